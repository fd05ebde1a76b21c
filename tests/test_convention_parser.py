"""The Convention parser and the generic-document parser."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lanzasearch.model import BlockKind, Document
from lanzasearch.parsing import parse_file
from lanzasearch.parsing.generic import parse_generic
from lanzasearch.parsing.markdown import read_markdown

ROOT = Path(__file__).resolve().parent.parent
CONVENTION = ROOT / "corpus" / "lanzarote-convention.md"


@lru_cache(maxsize=None)
def convention() -> Document:
    return parse_file(CONVENTION)


def articles(number: str):
    return [b for b in convention().blocks if b.article == number]


def test_a_preamble_then_fifty_articles_in_order():
    doc = convention()
    assert doc.blocks[0].kind is BlockKind.PREAMBLE
    assert doc.blocks[0].text.startswith("The member States of the Council of Europe and the other signatories hereto;")
    numbers = [int(b.article) for b in doc.blocks if b.kind is BlockKind.ARTICLE]
    assert sorted(set(numbers)) == list(range(1, 51))
    assert numbers == sorted(numbers)


def test_an_article_block_carries_chapter_heading_and_number():
    (definitions,) = articles("3")
    assert definitions.kind is BlockKind.ARTICLE
    assert definitions.section == "I"
    assert definitions.section_title == "Purposes, non-discrimination principle and definitions"
    assert definitions.heading == "Article 3 – Definitions"
    assert definitions.articles == ["3"]
    assert "“child” shall mean any person under the age of 18 years" in definitions.text
    assert definitions.text.startswith("For the purposes of this Convention:\na) “child”")


def test_a_long_article_is_cut_at_its_numbered_paragraphs():
    jurisdiction = articles("25")
    assert len(jurisdiction) == 9
    assert all(b.heading == "Article 25 – Jurisdiction" and b.section == "VI" for b in jurisdiction)
    assert jurisdiction[0].text.startswith("1. Each Party shall take the necessary legislative or other measures")
    assert "e) by a person who has his or her habitual residence in its territory." in jurisdiction[0].text
    assert jurisdiction[1].text.startswith("2. Each Party shall endeavour")
    assert all(len(b.text) <= 1200 for b in jurisdiction)


def test_a_short_article_stays_whole():
    (purposes,) = articles("1")
    assert purposes.text.splitlines()[0] == "1. The purposes of this Convention are to:"
    assert "2. In order to ensure effective implementation" in purposes.text


def test_the_closing_formula_is_not_part_of_article_50():
    assert "In witness whereof" not in "".join(b.text for b in articles("50"))
    assert convention().blocks[-1].text.startswith("In witness whereof the undersigned")


def test_generic_documents_are_grouped_by_heading_in_blocks_of_about_a_thousand_characters():
    paragraph = "The body observes that the State has adopted a plan. " * 8  # about 430 characters
    prevention = "\n\n".join([paragraph] * 3)
    text = f"# Baseline report\n\n## Prevention\n\n{prevention}\n\n## Protection\n\nShort.\n"
    doc = parse_generic(read_markdown("report.md", text.encode(), "sha"))
    assert doc.title == "Baseline report"
    assert [(b.heading, b.kind) for b in doc.blocks] == [
        ("Prevention", BlockKind.TEXT), ("Prevention", BlockKind.TEXT), ("Protection", BlockKind.TEXT),
    ]
    assert all(len(b.text) <= 1000 for b in doc.blocks)
    assert doc.blocks[0].articles == []


def test_generic_documents_keep_footnotes_as_notes():
    text = "# Note\n\nA claim.<sup>1</sup>\n\n<sup>1</sup> See https://example.org/source.\n"
    doc = parse_generic(read_markdown("note.md", text.encode(), "sha"))
    assert doc.blocks[0].text == "A claim."
    assert doc.blocks[0].notes == ["See https://example.org/source."]
