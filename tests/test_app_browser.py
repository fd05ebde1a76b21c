"""End to end in a real browser: Debian's Chromium, driven by Playwright, on the real app.

Skipped, with the reason, only where no chromium binary exists. Screenshots go
to tests/artifacts/ (ignored by git); `tests/screenshots.py` makes the README's.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app_fixtures import browser_app, served_app  # noqa: F401
from screenshots import (
    browser_page, capture_all, capture_tracker, compare, open_documents, open_tab, search,
    similar_in_other_parties,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def app(browser_app):
    return browser_app


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


def test_similar_in_other_parties_lists_another_country(app):
    with browser_page(app.url) as page:
        panel = similar_in_other_parties(page)
        asked = panel.locator(".ls-similar-head .ls-country").inner_text()
        heads = panel.locator(".ls-col-head")
        countries = {heads.nth(i).evaluate("h => h.firstChild.textContent") for i in range(heads.count())}
        assert asked == "Norway" and countries and countries <= {"Testland", "Exampleland"}
        assert panel.locator(".ls-card").count() >= len(countries)


def test_links_reopen_a_party_a_passage_and_a_search(app):
    with browser_page(app.url + "?party=Norway") as page:
        page.locator("#ls-party-profile h2", has_text="Norway").wait_for()
        assert page.get_by_role("tab", name="Parties").get_attribute("aria-selected") == "true"
        # The chart is drawn: Gradio's bar plot (Vega) puts one bar per section and follow-up status in its svg.
        page.locator("#ls-party-chart svg .mark-rect path").first.wait_for(state="attached")
        axis = page.locator("#ls-party-chart [aria-label^='X-axis']").get_attribute("aria-label")
        assert "values: II, III, IV, V, VI" in axis  # the sections in report order
        counts = page.locator("#ls-party-chart [aria-label^='Y-axis']").get_attribute("aria-label")
        assert "discrete" not in counts  # bar heights on a numeric scale
        chunk_id = page.locator("#ls-party-profile button.ls-similar").first.get_attribute("data-similar")
    with browser_page(app.url + f"?passage={chunk_id}") as page:
        panel = page.locator("#ls-similar .ls-similar-panel")
        panel.wait_for()
        assert panel.get_attribute("data-passage") == chunk_id
    with browser_page(app.url + "?q=Criminal+Code&country=Testland&kind=follow_up&mode=lexical") as page:
        page.locator("#ls-results .ls-card").first.wait_for()
        cards = page.locator("#ls-results .ls-card")
        assert all("Testland" in cards.nth(i).locator(".ls-cite").inner_text() for i in range(cards.count()))
        link = page.locator("#ls-results .ls-summary-bar button.ls-copy", has_text="Copy link")
        assert link.get_attribute("data-copy") == "?q=Criminal+Code&country=Testland&kind=follow_up&mode=lexical"


def test_the_matrix_downloads_as_a_workbook_with_a_row_per_recommendation(app, tmp_path):
    with browser_page(app.url) as page:
        open_tab(page, "Matrix")
        page.locator("#ls-matrix table.ls-matrix").wait_for()
        shown = page.locator("#ls-matrix tbody tr").count()
        with page.expect_download() as download:
            page.locator("#ls-matrix-xlsx").click()
        path = tmp_path / "matrix.xlsx"
        download.value.save_as(path)
    workbook = openpyxl.load_workbook(path)
    rows = [row for sheet in workbook.worksheets for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == shown
    sheet = workbook[next(name for name in workbook.sheetnames if name.startswith("II "))]
    assert [c.value for c in sheet[1]][:4] == ["Recommendation", "Strength", "Text", "Exampleland"]
    ii6 = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "II-6")
    norway = [c.value for c in sheet[1]].index("Norway")
    assert ii6[norway].startswith("follow-up reported") and "Penal Code section 311" in ii6[norway]


def test_screenshot_of_the_new_views(app):
    shots = capture_tracker(app.url, ARTIFACTS / "tabs")
    assert [s.name for s in shots] == ["similar.png", "parties.png", "matrix.png", "versions.png"]
    assert all(s.stat().st_size > 20_000 for s in shots)
