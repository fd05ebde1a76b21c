"""End to end in a real browser: Debian's Chromium, driven by Playwright, on the real app.

Skipped, with the reason, only where no chromium binary exists. Screenshots go
to tests/artifacts/ (ignored by git); `tests/screenshots.py` makes the README's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app_fixtures import served_app  # noqa: F401
from screenshots import browser_page, capture_all, chromium_path, compare, open_documents, search

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def app(request):
    """The served app, once we know there is a browser to drive it (so a skip costs nothing)."""
    if chromium_path() is None:
        pytest.skip("no chromium binary on PATH: install Debian's chromium package to run the browser tests")
    return request.getfixturevalue("served_app")


def test_question_gives_a_cited_card_then_countries_compare(app):
    ARTIFACTS.mkdir(exist_ok=True)
    with browser_page(app.url) as page:
        card = search(page, "training for judges and prosecutors")
        assert card.locator(".ls-badge").inner_text()
        citation = card.locator(".ls-cite").inner_text()
        assert any(country in citation for country in ("Norway", "Testland", "Exampleland"))
        assert page.locator("#ls-results mark").count() > 0
        page.screenshot(path=str(ARTIFACTS / "browser-search.png"), full_page=True)

        columns = compare(page, "training for judges")
        countries = {columns.nth(i).locator(".ls-col-head").evaluate("h => h.firstChild.textContent")
                     for i in range(columns.count())}
        assert countries == {"Exampleland", "Norway", "Testland"}
        page.screenshot(path=str(ARTIFACTS / "browser-compare.png"), full_page=True)
    assert (ARTIFACTS / "browser-compare.png").stat().st_size > 10_000


def test_recommendation_ids_open_the_recommendations_tab(app):
    with browser_page(app.url) as page:
        search(page, "child not prosecuted for possessing own images")
        link = page.locator("#ls-results a.ls-rec").first
        rec_id = link.get_attribute("data-rec")
        link.click()
        detail = page.locator("#ls-rec-detail")
        detail.locator("h2", has_text=f"Recommendation {rec_id}").wait_for()
        assert page.get_by_role("tab", name="Recommendations").get_attribute("aria-selected") == "true"


def test_the_question_is_shown_as_chips_and_removing_one_widens_the_search(app):
    with browser_page(app.url) as page:
        first = search(page, "III-3 Norway follow-up")
        chips = page.locator("#ls-results .ls-chip")
        assert [chips.nth(i).get_attribute("data-chip") for i in range(chips.count())] == \
            ["recommendation:III-3", "kind:follow_up", "party:Norway"]
        assert first.locator(".ls-country").inner_text() == "Norway"
        assert "kind-follow_up" in first.get_attribute("class")
        assert "NOK 30 million" in first.inner_text()
        page.locator('#ls-results .ls-chip[data-chip="party:Norway"]').click()
        page.locator('#ls-results .ls-chip[data-chip="party:Norway"]').wait_for(state="detached")
        assert page.locator("#ls-results .ls-chip").count() == 2
        assert page.locator("#ls-query textarea").input_value() == "III-3 Norway follow-up"
        countries = page.locator("#ls-results .ls-card .ls-country").all_inner_texts()
        assert any("Norway" not in c for c in countries), countries


def test_an_example_question_runs_at_once(app):
    with browser_page(app.url) as page:
        page.get_by_text("support and assistance for child victims").click()
        page.locator("#ls-results .ls-card").first.wait_for()
        assert page.locator("#ls-query textarea").input_value() == "support and assistance for child victims"
        assert page.get_by_role("button", name="↓ CSV").is_visible()


def test_shared_links_and_documents_tab(app):
    with browser_page(app.url + "?rec=II-6") as page:
        page.locator("#ls-rec-detail h2", has_text="Recommendation II-6").wait_for()
        assert page.locator("#ls-rec-detail .ls-box.kind-follow_up").count() == 2
        open_documents(page)
        assert page.locator("#ls-docs-table tbody tr").count() == 4
        assert page.get_by_text("Staff actions").is_visible()
    with browser_page(app.url + "?q=training+for+judges") as page:
        page.locator("#ls-results .ls-card").first.wait_for()
        assert page.locator("#ls-query textarea").input_value() == "training for judges"


def test_screenshot_of_every_tab(app):
    shots = capture_all(app.url, ARTIFACTS / "tabs")
    assert [s.name for s in shots] == ["search.png", "compare.png", "recommendations.png", "documents.png"]
    assert all(s.stat().st_size > 20_000 for s in shots)
