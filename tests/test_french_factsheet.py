"""A French factsheet ("fiche d'information") is read with the French profile: the same structure as an English one.

The fixture is sections I, II, III and X of the Norway factsheet in French
(tests/fixtures/factsheet-norway-fr.md) and its Word form, made from it by
make_norway_fr_docx.py with real Word footnotes. Both go through the checks
the English factsheets go through: the title page, the sections, every
recommendation with its strength, the boxes and the recommendation each
answers, footnote links to recommendations and report paragraphs, articles
cited. Then an archive holds it beside the English Norway factsheet.
"""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES
from lanzasearch import Archive
from lanzasearch.lang import ENGLISH, FRENCH, detect_language
from lanzasearch.model import BlockKind
from lanzasearch.parsing import parse_file, read_file, read_source

FRENCH_MD = FIXTURES / "factsheet-norway-fr.md"
FRENCH_DOCX = FIXTURES / "factsheet-norway-fr.docx"
ENGLISH_MD = FIXTURES / "factsheet-norway.md"
FORMS = pytest.mark.parametrize("path", [FRENCH_MD, FRENCH_DOCX], ids=["markdown", "docx"])
RECOMMENDATION_KINDS = (BlockKind.RECOMMENDATION, BlockKind.GENERIC_RECOMMENDATION)

# Every recommendation of the fixture: its strength and section, as the Committee's verb grades it.
RECOMMENDATIONS = {
    "II-6": ("request", "II"),  # "le Comité demande à la Norvège"
    "II-8": ("request", "II"),  # "le Comité prie instamment"
    "II-1": ("invite", "II"),  # "le Comité invite toutes les Parties"
    "II-10": ("invite", "II"),
    "III-16": ("request", "III"),
    "III-18": ("request", "III"),
    "III-3": ("request", "III"),  # "le Comité demande aux Parties qui ne l'ont pas encore fait"
    "III-30": ("require", "III"),  # "le Comité exige de toutes les Parties"
    "X-5": ("invite", "X"),
}


def recommendation_blocks(doc):
    return [b for b in doc.blocks if b.kind in RECOMMENDATION_KINDS]


def follow_ups(doc, rec_id: str):
    return [b for b in doc.blocks if b.kind is BlockKind.FOLLOW_UP and rec_id in b.rec_ids]


@FORMS
def test_the_language_is_told_french_by_its_opening_pages(path):
    data, sha = read_file(path)
    assert detect_language(read_source(path, data, sha).opening()) is FRENCH
    assert detect_language(read_source(ENGLISH_MD, *read_file(ENGLISH_MD)).opening()) is ENGLISH


@FORMS
def test_the_title_page_gives_party_round_dates_and_an_id_of_its_own(path):
    doc = parse_file(path)
    assert (doc.doc_type, doc.language, doc.country, doc.round) == ("factsheet", "fr", "Norway", "2")
    assert (doc.prepared, doc.updated) == ("mars 2023", "janvier 2025")
    assert doc.doc_id == "factsheet-norway-r2-fr"  # beside factsheet-norway-r2, not a version of it
    assert doc.warnings == []


@FORMS
def test_sections_in_order_and_the_introduction(path):
    doc = parse_file(path)
    assert list(dict.fromkeys(b.section for b in doc.blocks)) == ["I", "II", "III", "X"]
    intro = [b for b in doc.blocks if b.section == "I"]
    assert intro and all(b.kind is BlockKind.INTRODUCTION for b in intro)


@FORMS
def test_every_recommendation_with_its_strength_and_section(path):
    doc = parse_file(path)
    found = {rec: (b.strength, b.section) for b in recommendation_blocks(doc) for rec in b.rec_ids}
    assert found == RECOMMENDATIONS
    generic = {rec for b in doc.blocks if b.kind is BlockKind.GENERIC_RECOMMENDATION for rec in b.rec_ids}
    assert generic == {"II-1", "II-10", "III-3", "III-30"}  # addressed to all Parties
    [ii_6] = [b for b in recommendation_blocks(doc) if "II-6" in b.rec_ids]
    assert ii_6.text.startswith("Dans cette situation, le Comité demande à la Norvège")
    assert "reçues passivement" in ii_6.text  # the nested bullets stay in their recommendation


@FORMS
def test_follow_up_boxes_answer_the_recommendation_before_them(path):
    doc = parse_file(path)
    (penal_code,) = follow_ups(doc, "II-6")
    assert "article 311 du Code pénal" in penal_code.text
    (course,) = follow_ups(doc, "III-16")
    assert course.rec_ids == ["III-16", "III-18"] and "École supérieure de police" in course.text
    (funding,) = follow_ups(doc, "III-3")
    assert "30 millions de couronnes" in funding.text
    assert follow_ups(doc, "II-8") == [] and follow_ups(doc, "III-30") == []
    assert len([b for b in doc.blocks if b.kind is BlockKind.FOLLOW_UP]) == 3
    assert not any(re.match(r"(?i)^(actions de suivi|pratique prometteuse)\s*:?$", b.text.strip())
                   for b in doc.blocks)  # a box's title is not its text


@FORMS
def test_a_promising_practice_box(path):
    doc = parse_file(path)
    (practice,) = [b for b in doc.blocks if b.kind is BlockKind.PROMISING_PRACTICE]
    assert practice.section == "X" and "formation initiale des enseignants" in practice.text


@FORMS
def test_footnotes_link_report_paragraphs_and_articles(path):
    doc = parse_file(path)
    paragraphs = {tuple(b.para_refs) for b in doc.blocks if b.para_refs}
    assert paragraphs == {("43",), ("71",), ("78", "82"), ("135",)}  # "Par. 43", "Paragraphe 71", "Par. 78, 82"
    [x_5] = [b for b in doc.blocks if "X-5" in b.rec_ids and b.kind is BlockKind.RECOMMENDATION]
    assert x_5.articles == ["5"]  # "conformément à l'article 5 de la Convention"
    (penal_code,) = follow_ups(doc, "II-6")
    assert penal_code.articles == []  # "l'article 311 du Code pénal" is another instrument's


def test_the_word_form_reads_block_for_block_like_the_markdown():
    def structure(path):
        return [(b.kind, b.section, b.strength, tuple(b.rec_ids), tuple(b.para_refs)) for b in parse_file(path).blocks]

    assert structure(FRENCH_DOCX) == structure(FRENCH_MD)


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory, embedder):
    """An archive of the English Norway factsheet and its French fixture."""
    with Archive.open(tmp_path_factory.mktemp("bilingual") / "index", create=True, embedder=embedder) as archive:
        report = archive.ingest([ENGLISH_MD, FRENCH_MD])
        assert report.ok and [f.status for f in report.files] == ["added", "added"]
        yield archive


def test_the_french_factsheet_is_kept_beside_the_english_one(bilingual):
    docs = {d.doc_id: (d.country, d.language) for d in bilingual.documents()}
    assert docs == {"factsheet-norway-r2": ("Norway", "en"), "factsheet-norway-r2-fr": ("Norway", "fr")}


def test_compare_puts_the_english_and_french_answers_side_by_side(bilingual):
    compared = bilingual.compare("II-6")
    assert list(compared) == ["Norway", "Norway (fr)"]
    english, french = compared["Norway"], compared["Norway (fr)"]
    assert {h.language for h in english} == {"en"} and {h.language for h in french} == {"fr"}
    assert [h.kind for h in french] == ["recommendation", "follow_up"]
    assert "le Comité demande à la Norvège" in french[0].text and "article 311" in french[1].text
    assert any(h.kind == "recommendation" and "Norway ensures" in h.text for h in english)


def test_a_french_question_finds_french_passages_by_their_words(bilingual):
    hits = bilingual.search("formation des procureurs et des juges", k=5, mode="lexical")
    assert hits and hits[0].language == "fr" and hits[0].doc_id == "factsheet-norway-r2-fr"
    assert "procureurs" in hits[0].text
    assert bilingual.search("training for prosecutors and judges", k=1, mode="lexical")[0].language == "en"
