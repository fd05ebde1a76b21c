"""Drive the real app in Chromium and take a screenshot of each tab.

Used by the browser test, and runnable to regenerate the README's pictures:

    .venv/bin/python tests/screenshots.py http://127.0.0.1:7860/ docs/

(with the app started on an index holding corpus/ and the fixture factsheets,
staff credentials set, so the Documents tab shows its staff panel; with
factsheet-testland-updated.md then ingested as factsheet-testland.md, the
versions picture shows an update and what it changed).
"""

from __future__ import annotations

import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1360, "height": 900}
TIMEOUT_MS = 60_000  # the first search of a fresh server can wait for the model
QUESTION = "training for judges and prosecutors"
COMPARE_QUESTION = "training for judges"
RECOMMENDATION = "II-6"
PRACTICE_QUESTION = "restrictions on mobile phones in schools"  # Norway's promising practice
PARTY, OTHER_PARTY = "Norway", "Testland"
UPDATED_DOCUMENT = "factsheet-testland-r2"
FRENCH_QUESTION = "formation des juges et des procureurs"


def chromium_path() -> str | None:
    """Debian's chromium, the only browser these tests use (nothing is downloaded)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def browser_page(base_url: str, locale: str | None = None) -> Iterator["Page"]:  # noqa: F821 - playwright's Page
    """A headless Chromium page on the app, closed afterwards; ``locale`` is the browser's language (e.g. fr-FR)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("no chromium binary on PATH: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT, **({"locale": locale} if locale else {}))
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(base_url)
            page.get_by_role("tab", name="Documents").wait_for()
            yield page
        finally:
            browser.close()


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def search(page, question: str = QUESTION):
    """Type a question, press Enter, and wait for the first result card; returns that card."""
    box = page.locator("#ls-query textarea")
    box.fill(question)
    box.press("Enter")
    card = page.locator("#ls-results .ls-card").first
    card.wait_for()
    return card


def compare(page, question: str = COMPARE_QUESTION):
    """Open the Compare tab, compare countries for a question, wait for the columns."""
    open_tab(page, "Compare countries")
    box = page.locator("#ls-compare-query textarea")
    box.fill(question)
    page.locator("#ls-compare-button").click()
    columns = page.locator("#ls-compare-results .ls-col")
    columns.first.wait_for()
    return columns


def show_recommendation(page, rec_id: str = RECOMMENDATION) -> None:
    """Open the Recommendations tab and click a recommendation id in its list."""
    open_tab(page, "Recommendations")
    page.locator(f'#ls-recs-table a[data-rec="{rec_id}"]').first.click()
    page.locator("#ls-rec-detail h2", has_text=rec_id).wait_for()


def open_documents(page) -> None:
    open_tab(page, "Documents")
    page.locator("#ls-docs-table .ls-table").wait_for()


def capture_all(base_url: str, out_dir: str | Path) -> list[Path]:
    """A full-page screenshot of each tab, in a state worth showing; returns the PNG paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with browser_page(base_url) as page:
        search(page)
        # Unfold one Convention article so the picture shows what the article chips do.
        article = page.locator("#ls-results details.ls-article summary").first
        if article.count():
            article.click()
        shots.append(_shot(page, out / "search.png"))
        compare(page)
        shots.append(_shot(page, out / "compare.png"))
        show_recommendation(page)
        shots.append(_shot(page, out / "recommendations.png"))
        open_documents(page)
        shots.append(_shot(page, out / "documents.png"))
    return shots


def capture_french(base_url: str, out_dir: str | Path) -> Path:
    """The Search tab in French (the header's FR link) with a French question and the model's note."""
    with browser_page(base_url) as page:
        switch_to_french(page)
        search(page, FRENCH_QUESTION)
        return _shot(page, Path(out_dir) / "search-fr.png")


def switch_to_french(page) -> None:
    """Press FR in the header's language switch and wait for the French page (labels and first panels)."""
    page.locator("#ls-lang-switch a[data-lang=fr]").click()
    page.get_by_role("tab", name="Recherche").wait_for()
    page.locator("#ls-lang-switch a.current[data-lang=fr]").wait_for()  # set by the load event with the panels


def similar_in_other_parties(page, question: str = PRACTICE_QUESTION, country: str = PARTY):
    """Search, press "Similar in other Parties" on the first card of ``country``; returns the panel shown."""
    search(page, question)
    card = page.locator("#ls-results .ls-card", has=page.locator(".ls-cite", has_text=country)).first
    card.locator("button.ls-similar").click()
    panel = page.locator("#ls-similar .ls-similar-panel")
    panel.locator(".ls-col-head").first.wait_for()
    return panel


def choose(page, elem_id: str, value: str) -> None:
    """Pick ``value`` in the Gradio dropdown with that elem_id."""
    page.locator(f"#{elem_id} input").click()
    page.locator(f'#{elem_id} [role=option][aria-label="{value}"]').click()


def capture_tracker(base_url: str, out_dir: str | Path) -> list[Path]:
    """Screenshots of the drafters' views: similar passages, two Parties side by side, the matrix, versions."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with browser_page(base_url) as page:
        similar_in_other_parties(page)
        page.locator("#ls-similar").scroll_into_view_if_needed()
        shots.append(_shot(page, out / "similar.png"))
        # A Party's link opens its profile; the page's refresh of the choices is over once it shows.
        page.goto(f"{base_url}?party={PARTY}")
        page.locator("#ls-party-profile h2", has_text=PARTY).wait_for()
        page.wait_for_timeout(1500)
        choose(page, "ls-other", OTHER_PARTY)
        page.locator("#ls-other-profile h2", has_text=OTHER_PARTY).wait_for()
        for chart in ("#ls-party-chart", "#ls-other-chart"):
            page.locator(f"{chart} svg .mark-rect path").first.wait_for(state="attached")
        page.wait_for_timeout(1500)  # the plots settle their axes
        shots.append(_shot(page, out / "parties.png"))
        open_tab(page, "Matrix")
        page.locator("#ls-matrix table.ls-matrix").wait_for()
        page.locator("#ls-matrix td.status-follow_up summary").first.click()
        shots.append(_shot(page, out / "matrix.png"))
        open_documents(page)
        choose(page, "ls-versions-doc", UPDATED_DOCUMENT)
        page.locator("#ls-versions .ls-table").wait_for()
        page.locator("#ls-versions").scroll_into_view_if_needed()
        shots.append(_shot(page, out / "versions.png"))
    return shots


MAX_SHOT_HEIGHT = 2000  # pixels: a README picture shows the top of a long page, not all of it


def _shot(page, path: Path) -> Path:
    page.wait_for_timeout(400)  # let Gradio finish its transitions
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_SHOT_HEIGHT)
    page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height})
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    for shot in [*capture_all(sys.argv[1], sys.argv[2]), *capture_tracker(sys.argv[1], sys.argv[2]),
                 capture_french(sys.argv[1], sys.argv[2])]:
        print(shot)
