"""The app in French, in a real browser and over HTTP: the EN/FR switch, the browser's language, the model note.

The test archive is built with the default model (all-MiniLM-L6-v2, English-only), so a French question
gets results and the note saying French questions will be weak.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app_fixtures import browser_app, served_app  # noqa: F401
from screenshots import FRENCH_QUESTION, browser_page, search, switch_to_french

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def app(browser_app):
    return browser_app


@pytest.mark.browser
@pytest.mark.slow
def test_the_switch_turns_the_page_french_and_a_french_question_gets_results_and_the_model_note(app):
    ARTIFACTS.mkdir(exist_ok=True)
    with browser_page(app.url, locale="en-GB") as page:
        assert page.get_by_role("tab", name="Search").is_visible()
        switch_to_french(page)
        for tab in ("Comparer les pays", "Recommandations", "Matrice"):
            assert page.get_by_role("tab", name=tab).is_visible()
        assert page.get_by_role("button", name="Rechercher").is_visible()
        assert page.get_by_text("Exemples de questions").is_visible()
        assert "Rechercher dans l'archive" in page.locator("#ls-results").inner_text()
        card = search(page, FRENCH_QUESTION)
        assert card.locator(".ls-cite").inner_text()
        assert card.get_by_role("button", name="Copier la citation").is_visible()
        assert card.get_by_role("button", name="Semblables dans d'autres Parties").is_visible()
        results = page.locator("#ls-results")
        assert " pour « formation des juges et des procureurs »" in results.locator(".ls-summary").inner_text()
        note = results.locator("[data-testid=model-note]")
        assert "anglais seulement" in note.inner_text()
        assert "multilingual-e5-small" in note.inner_text()
        page.screenshot(path=str(ARTIFACTS / "browser-search-fr.png"), full_page=True)
        # Back to English: the same page, English labels, and no note for an English question.
        page.locator("#ls-lang-switch a[data-lang=en]").click()
        page.get_by_role("tab", name="Compare countries").wait_for()
        page.locator("#ls-lang-switch a.current[data-lang=en]").wait_for()
        search(page, "training for judges and prosecutors")
        assert page.locator("#ls-results [data-testid=model-note]").count() == 0


@pytest.mark.browser
@pytest.mark.slow
def test_a_french_browser_gets_the_french_page_by_default(app):
    with browser_page(app.url, locale="fr-FR") as page:
        page.get_by_role("tab", name="Recherche").wait_for()
        page.locator("#ls-lang-switch a.current[data-lang=fr]").wait_for()  # the load event answered in French
        assert page.get_by_role("tab", name="Comparer les pays").is_visible()
        assert "Rechercher dans l'archive" in page.locator("#ls-results").inner_text()


def test_the_page_sets_the_language_a_link_names_before_gradio_starts(served_app):
    import json
    import urllib.request

    with urllib.request.urlopen(served_app.url + "?lang=fr") as response:
        page = response.read().decode("utf-8")
    assert page.index("URLSearchParams(window.location.search).get('lang')") < page.index('type="module"')
    with urllib.request.urlopen(served_app.url + "config") as response:
        config = json.loads(response.read())
    translations = config["i18n_translations"]
    assert translations["fr"]["tab.search"] == "Recherche" and translations["en"]["tab.search"] == "Search"


def test_a_french_question_on_an_english_only_archive_gets_the_note_and_results(multi_index):
    from lanzasearch.web import handlers
    from lanzasearch.web.service import ArchiveHolder, Service, StaffAuth

    service = Service(ArchiveHolder.of(multi_index), StaffAuth(), 2**20)
    assert "MiniLM" in service.archive.model_name
    html, csv, _ = handlers.ui_search(service, FRENCH_QUESTION, [], [], [], [], "hybrid", 10, lang="fr")
    assert 'data-testid="model-note"' in html and "anglais seulement" in html
    assert "ls-card" in html and csv.visible  # results all the same
    english, _, _ = handlers.ui_search(service, "training for judges and prosecutors", [], [], [], [], "hybrid", 10)
    assert "model-note" not in english
    note = handlers.model_note(service, FRENCH_QUESTION, "en")
    assert "English-only" in note and "--model multilingual-e5-small" in note
