"""Language profiles: the parsers read a document with the words of the language it is written in.

English is the one profile shipped. A second language is a profile registered
beside it: the tests below register a small French one, written like
``lang/en.py`` with French words, and see the same parsers read a French
factsheet with it, chosen by the document's own words.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from conftest import CONVENTION, FIXTURES, NORWAY_PDF
from lanzasearch import Archive, lang
from lanzasearch.lang import ENGLISH, PROFILES, detect_language
from lanzasearch.model import BlockKind
from lanzasearch.parsing import parse_bytes, parse_file, read_file, read_source

FRENCH_MARKERS = frozenset("""le la les de des du et à en un une est que qui pour dans sur par au aux ne pas
    comité parties enfants recommandation demande invite observe actions suivi pratiques""".split())

# A French profile as lang/fr.py would hold it, with what this test's factsheet needs.
FRENCH = replace(
    ENGLISH,
    code="fr",
    name="French",
    markers=FRENCH_MARKERS,
    strengths={"exige": "require", "demande": "request", "invite": "invite", "encourage": "invite"},
    strength_verb=re.compile(r"\bComité(?:\s+de\s+Lanzarote)?\s+(?P<verb>exige|demande|invite|encourage)\b",
                             re.IGNORECASE),
    committee_voice=re.compile(r"\ble\s+Comité(?:\s+de\s+Lanzarote)?\s+(?:observe|note|exige|demande|invite)\b",
                               re.IGNORECASE),
    to_all_parties=re.compile(r"\bComité\s+(?:exige|demande|invite)\s+(?:toutes\s+les\s+)?Parties\b", re.IGNORECASE),
    committee_heading=re.compile(r"^(?:observations?|recommandations?)\b.*\bComité\b", re.IGNORECASE),
    generic_heading=re.compile(r"^recommandations\s+génériques\b", re.IGNORECASE),
    follow_up_title=re.compile(r"^(?:actions|mesures)\s+de\s+suivi\s*:?$", re.IGNORECASE),
    practice_title=re.compile(r"^pratiques?\s+prometteuses?\s*:?$", re.IGNORECASE),
    recommendation_word=re.compile(r"\bRecommandations?\s*", re.IGNORECASE),
    paragraph_word=r"Par\.|Paragraphes?",
    and_word="et",
    to_word="à",
    factsheet_word=re.compile(r"\bfiche\s+d['’]information\b", re.IGNORECASE),
    round=re.compile(r"\b(?P<ordinal>\d{1,2})\s?(?:e|ème)\s+cycle\b|\b(?P<word>deuxième)\s+cycle\b"
                     r"|\bcycle\s+(?P<number>\d{1,2})\b", re.IGNORECASE),
    round_words={"deuxième": 2},
    ordinal_suffix=r"e|ème",
)

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
def french_registered(monkeypatch):
    """The French profile registered after English, as its line in lang/__init__.py would do."""
    monkeypatch.setattr(lang, "PROFILES", (*PROFILES, FRENCH))


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
        "factsheet", "fr", "Norway", "2", "factsheet-norway-r2")
    [rec] = [b for b in doc.blocks if b.kind is BlockKind.RECOMMENDATION]
    assert (rec.strength, rec.rec_ids, rec.para_refs, rec.section) == ("request", ["II-6"], ["71"], "II")
    [follow_up] = [b for b in doc.blocks if b.kind is BlockKind.FOLLOW_UP]
    assert follow_up.rec_ids == ["II-6"] and "article 311" in follow_up.text


def test_without_its_profile_the_french_factsheet_finds_no_english_words(tmp_path):
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
            "factsheet-norway-r2": "fr", "factsheet-testland-r2": "en"}
