"""Language profiles: the parsers read a document with the words of the language it is written in.

English and French are shipped (``lang/en.py``, ``lang/fr.py``); the tests
below see the same parsers read a short French factsheet with the French
profile, chosen by the document's own words, and read it as a generic English
document when only English is registered. tests/test_french_factsheet.py
reads a longer French fixture in two forms.
"""

from __future__ import annotations


import pytest

from conftest import CONVENTION, FIXTURES, NORWAY_PDF
from lanzasearch import Archive, lang
from lanzasearch.lang import ENGLISH, FRENCH, PROFILES, detect_language
from lanzasearch.model import BlockKind
from lanzasearch.parsing import parse_bytes, parse_file, read_file, read_source

FRENCH_FACTSHEET = """CONSEIL DE L'EUROPE

## FICHE D'INFORMATION – NORVÈGE

Rapport de mise en œuvre du Comité de Lanzarote, 2e cycle de suivi.

## I. Introduction

Cette fiche présente les recommandations du Comité de Lanzarote à la Norvège et les actions de suivi que la
Norvège a communiquées au Comité.

## II. Cadres juridiques

Le Comité observe que la Norvège ne prévoit pas d'exception pour les enfants qui possèdent leurs propres images.

- Le Comité demande à la Norvège de veiller à ce qu'un enfant ne soit pas poursuivi pour la possession de ses
  propres images.[^1]

#### Actions de suivi :

En 2024, la Norvège a modifié l'article 311 du Code pénal pour que les enfants ne soient pas poursuivis.

[^1]: Recommandation II-6, par. 71.
"""


@pytest.fixture
def french_registered():
    """The French profile, registered after English by its line in lang/__init__.py."""
    assert PROFILES == (ENGLISH, FRENCH)


@pytest.fixture
def english_only(monkeypatch):
    """Only the English profile registered, as before a second language was added."""
    monkeypatch.setattr(lang, "PROFILES", (ENGLISH,))


@pytest.mark.parametrize("path", [NORWAY_PDF, FIXTURES / "factsheet-norway-word.docx", FIXTURES / "factsheet-norway.md",
                                  CONVENTION])
def test_the_english_documents_are_told_english_by_their_opening_pages(path, french_registered):
    data, sha = read_file(path)
    src = read_source(path, data, sha)
    assert detect_language(src.opening()) is ENGLISH
    assert parse_bytes(path, data, sha).language == "en"


def test_each_registered_profile_is_scored_by_its_marker_words():
    french = FRENCH_FACTSHEET.splitlines()
    english = ["The Committee requests Norway to ensure that a child is not prosecuted for possessing own images."]
    assert detect_language(french, [ENGLISH, FRENCH]) is FRENCH
    assert detect_language(english, [ENGLISH, FRENCH]) is ENGLISH
    assert detect_language(english, [FRENCH, ENGLISH]) is ENGLISH  # the order only decides the fallback


def test_a_text_whose_words_no_profile_knows_is_read_with_the_first_profile():
    assert detect_language(["2024 – 311 – 71 – II-6"], [ENGLISH, FRENCH]) is ENGLISH
    assert detect_language([], [ENGLISH, FRENCH]) is ENGLISH
    assert detect_language(["Barnahus Statens barnehus Oslo Bergen"], [ENGLISH, FRENCH]) is ENGLISH


def test_a_french_factsheet_is_read_with_the_french_profile_once_it_is_registered(tmp_path, french_registered):
    path = tmp_path / "fiche-norvege.md"
    path.write_text(FRENCH_FACTSHEET, encoding="utf-8")
    doc = parse_file(path)
    assert (doc.doc_type, doc.language, doc.country, doc.round, doc.doc_id) == (
        "factsheet", "fr", "Norway", "2", "factsheet-norway-r2-fr")
    [rec] = [b for b in doc.blocks if b.kind is BlockKind.RECOMMENDATION]
    assert (rec.strength, rec.rec_ids, rec.para_refs, rec.section) == ("request", ["II-6"], ["71"], "II")
    [follow_up] = [b for b in doc.blocks if b.kind is BlockKind.FOLLOW_UP]
    assert follow_up.rec_ids == ["II-6"] and "article 311" in follow_up.text


def test_without_its_profile_the_french_factsheet_finds_no_english_words(tmp_path, english_only):
    path = tmp_path / "fiche-norvege.md"
    path.write_text(FRENCH_FACTSHEET, encoding="utf-8")
    doc = parse_file(path)
    assert doc.language == "en" and doc.doc_type == "document"  # no "FACTSHEET" title in English words
    assert not any(b.rec_ids for b in doc.blocks)


def test_staff_may_type_a_round_in_any_registered_language(french_registered):
    from lanzasearch.parsing.identity import round_number

    assert round_number("2nd") == round_number("2e") == round_number("deuxième") == round_number("second") == "2"


def test_the_archive_records_each_documents_language(tmp_path, embedder, french_registered):
    path = tmp_path / "fiche-norvege.md"
    path.write_text(FRENCH_FACTSHEET, encoding="utf-8")
    with Archive.open(tmp_path / "index", create=True, embedder=embedder) as archive:
        assert archive.ingest([path, FIXTURES / "factsheet-testland.md"]).ok
        assert {d.doc_id: d.language for d in archive.documents()} == {
            "factsheet-norway-r2-fr": "fr", "factsheet-testland-r2": "en"}
