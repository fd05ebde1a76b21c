"""The factsheet parser, on the Norway factsheet as Markdown, PDF and .docx, and on fictional factsheets.

The expected numbers were counted by hand in the factsheet; when the parser
disagrees, the parser is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from lanzasearch.model import BlockKind, Document, Footnote
from lanzasearch.parsing import parse_file, read_source
from lanzasearch.parsing.factsheet import parse_factsheet
from lanzasearch.parsing.source import Paragraph, SourceText

ROOT = Path(__file__).resolve().parent.parent
NORWAY_MD = ROOT / "tests" / "fixtures" / "factsheet-norway.md"
NORWAY_PDF = ROOT / "corpus" / "factsheet-norway.pdf"
NORWAY_WORD_PDF = ROOT / "tests" / "fixtures" / "factsheet-norway-word.pdf"
NORWAY_DOCX = ROOT / "tests" / "fixtures" / "factsheet-norway-word.docx"
TESTLAND = ROOT / "tests" / "fixtures" / "factsheet-testland.md"
# Testland as a word processor user would set it (tests/fixtures/make_testland_word.py): A4, 11 pt body,
# 1.5 line spacing, boxes as shaded one-cell tables, real footnotes, a bold recommendation.
TESTLAND_WORD_PDF = ROOT / "tests" / "fixtures" / "factsheet-testland-word.pdf"
TESTLAND_DOCX = ROOT / "tests" / "fixtures" / "factsheet-testland-word.docx"
EXAMPLELAND = ROOT / "tests" / "fixtures" / "factsheet-exampleland.md"

# The same factsheet as Markdown, as a PDF made from HTML, as a PDF exported by a word processor, and as .docx.
SOURCES = [
    pytest.param(NORWAY_MD, id="markdown"),
    pytest.param(NORWAY_PDF, id="pdf"),
    pytest.param(NORWAY_WORD_PDF, id="word-pdf"),
    pytest.param(NORWAY_DOCX, id="docx"),
]

RECOMMENDATION_KINDS = {BlockKind.RECOMMENDATION, BlockKind.GENERIC_RECOMMENDATION}


@lru_cache(maxsize=None)
def parsed(path: Path) -> Document:
    return parse_file(path)


@pytest.fixture(params=SOURCES)
def norway(request) -> Document:
    return parsed(request.param)


def blocks_of(doc: Document, kind: BlockKind):
    return [b for b in doc.blocks if b.kind is kind]


def recommendation(doc: Document, rec_id: str):
    found = [b for b in doc.blocks if b.kind in RECOMMENDATION_KINDS and rec_id in b.rec_ids]
    assert len(found) == 1, f"{rec_id}: {len(found)} recommendation blocks"
    return found[0]


def follow_ups(doc: Document, rec_id: str):
    return [b for b in blocks_of(doc, BlockKind.FOLLOW_UP) if rec_id in b.rec_ids]


# --- metadata and sections ---------------------------------------------------------


def test_metadata_comes_from_the_title_page(norway):
    assert norway.doc_type == "factsheet"
    assert norway.country == "Norway"
    assert norway.round == "2"
    assert norway.prepared == "March 2023"
    assert norway.updated == "March 2025"
    assert norway.title.startswith("Factsheet – Norway: The protection of children against sexual exploitation")
    assert norway.title.endswith("(CSGSIV)")
    assert norway.doc_id == "factsheet-norway-r2"


def test_page_count_is_known_for_the_pdfs_only():
    assert parsed(NORWAY_MD).page_count is None
    assert parsed(NORWAY_PDF).page_count == 22
    assert parsed(NORWAY_WORD_PDF).page_count == 23
    assert parsed(NORWAY_DOCX).page_count is None  # Word lays out pages when it opens the file


def test_eleven_sections_in_order_with_their_titles(norway):
    sections = list(dict.fromkeys((b.section, b.section_title) for b in norway.blocks))
    assert [s for s, _ in sections] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI"]
    titles = dict(sections)
    assert titles["II"] == "Legal frameworks"
    assert titles["X"] == "Higher education curriculum and continuous training"
    assert titles["VIII"].startswith("Promoting awareness of the risks")


def test_title_page_and_table_of_contents_are_not_content(norway):
    text = "\n".join(b.text for b in norway.blocks)
    assert "Table of Content" not in text
    assert "....." not in text
    assert "CONSEIL DE L'EUROPE" not in text
    assert "This factsheet was prepared by the Secretariat" not in text
    assert norway.blocks[0].section == "I"


def test_section_one_is_introduction(norway):
    assert {b.kind for b in norway.blocks if b.section == "I"} == {BlockKind.INTRODUCTION}
    assert any("three types of recommendations" in b.text for b in blocks_of(norway, BlockKind.INTRODUCTION))


# --- recommendations ------------------------------------------------------------------


def test_seventy_two_distinct_recommendations(norway):
    ids = {rec for b in norway.blocks if b.kind in RECOMMENDATION_KINDS for rec in b.rec_ids}
    assert len(ids) == 72
    # every recommendation named in a footnote is attached to a recommendation block
    named = {rec for rec in re.findall(r"\b[IVX]+-\d+\b", _footnote_text(NORWAY_MD))}
    assert ids == named


def test_every_recommendation_has_a_strength(norway):
    for block in norway.blocks:
        if block.kind in RECOMMENDATION_KINDS:
            assert block.strength in {"require", "request", "invite"}, block.text[:80]


def test_ii_6_is_a_request_answered_by_the_penal_code(norway):
    rec = recommendation(norway, "II-6")
    assert rec.kind is BlockKind.RECOMMENDATION
    assert rec.strength == "request"
    assert rec.section == "II"
    assert rec.text.startswith("In this situation, the Committee requests that Norway ensures")
    assert "- their own self-generated sexually suggestive" in rec.text  # sub-bullets stay with it
    (follow_up,) = follow_ups(norway, "II-6")
    assert "Penal Code section 311" in follow_up.text


def test_iii_30_is_a_require_answered_by_the_attorney_general(norway):
    rec = recommendation(norway, "III-30")
    assert rec.strength == "require"
    assert "treated as priority" in rec.text
    (follow_up,) = follow_ups(norway, "III-30")
    assert "Attorney General issues annual guidelines" in follow_up.text


def test_viii_5_is_an_invitation_without_follow_up(norway):
    rec = recommendation(norway, "VIII-5")
    assert rec.kind is BlockKind.GENERIC_RECOMMENDATION
    assert rec.strength == "invite"
    assert follow_ups(norway, "VIII-5") == []


def test_strength_comes_from_the_lead_in_verb(norway):
    assert recommendation(norway, "II-11").strength == "invite"  # "the Committee invites Norway:"
    assert recommendation(norway, "V-17").strength == "require"  # "the Committee requires Norway to ensure"
    assert recommendation(norway, "V-3").strength == "request"  # "requests all Parties, including Norway"
    assert recommendation(norway, "III-17").strength == "invite"  # "The Committee also invites Norway"


def test_each_bullet_is_a_block_that_reads_on_its_own(norway):
    lead_in = "To improve the effective implementation of the Convention, the Committee invites Norway:"
    ii_11, ii_12 = recommendation(norway, "II-11"), recommendation(norway, "II-12")
    assert ii_11 is not ii_12
    assert ii_11.text.startswith(lead_in + "\n- to take into account the situation")
    assert "either creating a specific incrimination to address this situation," in ii_11.text
    assert ii_12.text == lead_in + "\n- to ensure that sexual extortion of children involving child " \
                                   "self-generated sexual images and/or videos is investigated and prosecuted."


def test_a_recommendation_after_a_box_keeps_its_lead_in(norway):
    ii_9 = recommendation(norway, "II-9")
    assert ii_9.text.startswith("Therefore, the Committee requests that Norway ensures that:\n- the distribution")
    assert ii_9.articles == ["20"]


def test_generic_recommendations_to_all_parties(norway):
    generic = blocks_of(norway, BlockKind.GENERIC_RECOMMENDATION)
    assert all("Parties" in b.text for b in generic)
    assert recommendation(norway, "II-1").kind is BlockKind.GENERIC_RECOMMENDATION
    assert recommendation(norway, "II-1").text.startswith("The Committee invites all Parties, including Norway:\n- ")
    assert recommendation(norway, "II-6").kind is BlockKind.RECOMMENDATION


# --- boxes ---------------------------------------------------------------------------------


def test_eleven_follow_up_boxes_each_linked_to_the_recommendation_before_it(norway):
    boxes = blocks_of(norway, BlockKind.FOLLOW_UP)
    assert len(boxes) == 11
    assert all(b.text.strip() and b.rec_ids for b in boxes)
    linked = {tuple(b.rec_ids) for b in boxes}
    assert ("III-3", "III-7") in linked  # "NOK 30 million" answers the generic III-3/III-7 request
    assert ("X-7",) in linked
    (nok,) = [b for b in boxes if "NOK 30 million" in b.text]
    assert nok.rec_ids == ["III-3", "III-7"]


def test_eight_promising_practice_boxes(norway):
    boxes = blocks_of(norway, BlockKind.PROMISING_PRACTICE)
    assert len(boxes) == 8
    assert all(b.text.strip() for b in boxes)
    assert [b.section for b in boxes] == ["II", "VII", "VII", "VIII", "IX", "X", "X", "XI"]
    education_act = boxes[0].text
    assert education_act.startswith("(Education Act (2023))")
    assert "- talk about the opportunities and challenges involved in digital interaction" in education_act


def test_a_box_ends_where_the_committee_speaks_again(norway):
    (criminal_procedure,) = follow_ups(norway, "III-28")
    assert criminal_procedure.text.startswith("According to the Criminal Procedure Act")
    assert "The Committee" not in criminal_procedure.text
    (distributing,) = follow_ups(norway, "II-9")
    assert "sexual extortion" not in distributing.text
    extortion = "On the prosecution of conduct amounting to “sexual extortion of children”"
    assert recommendation(norway, "II-11").heading == extortion


# --- footnotes, articles, text quality ---------------------------------------------------


def test_footnotes_are_resolved_onto_the_citing_block(norway):
    (first,) = [b for b in norway.blocks if "refers explicitly to child self-generated sexual material" in b.text]
    assert first.kind is BlockKind.OBSERVATION and first.para_refs == ["43"]
    (networks,) = [b for b in norway.blocks if "Barnahus Network" in b.text]
    assert networks.para_refs == ["236", "255", "259"]
    assert "https://www.barnahus.eu/en/" in networks.notes
    assert "Barnahus Network, WeProtect Global Alliance, ECPAT and EMPACT" in networks.text
    training = recommendation(norway, "III-17")
    assert training.rec_ids == ["III-17", "III-19"]
    assert training.notes == ["Such trainings can also be part of broader training programmes."]
    assert "ensure that training on the challenges" in training.text


def test_convention_articles_cited_in_text(norway):
    (awareness,) = [b for b in norway.blocks if b.text.startswith("The Articles 5, 6 and 8 of the Convention")]
    assert awareness.articles == ["5", "6", "8"]
    (nationality,) = [b for b in norway.blocks if "as requested by Article 25(1)(e)" in b.text]
    assert nationality.articles == ["25"]


def test_observations_are_merged_up_to_about_a_thousand_characters(norway):
    observations = blocks_of(norway, BlockKind.OBSERVATION)
    civil_society = [b for b in observations if b.section == "VII"]
    assert len(civil_society) == 2  # four short paragraphs, about 1,300 characters: two blocks
    assert all(len(b.text) <= 1100 for b in civil_society)


@pytest.mark.parametrize(
    ("path", "page_count", "ii_6_pages", "iii_30_pages"),
    [
        # in the HTML-made PDF, the list of sub-bullets of II-6 runs over a page break
        pytest.param(NORWAY_PDF, 22, [2, 3], [8], id="pdf"),
        pytest.param(NORWAY_WORD_PDF, 23, [3], [9], id="word-pdf"),
    ],
)
def test_pages_are_sorted_pdf_pages(path, page_count, ii_6_pages, iii_30_pages):
    doc = parsed(path)
    assert all(b.pages == sorted(set(b.pages)) and b.pages for b in doc.blocks)
    assert all(1 <= p <= page_count for b in doc.blocks for p in b.pages)
    assert recommendation(doc, "II-6").pages == ii_6_pages
    assert recommendation(doc, "III-30").pages == iii_30_pages
    assert all(b.pages == [] for b in parsed(NORWAY_MD).blocks)
    assert all(b.pages == [] for b in parsed(NORWAY_DOCX).blocks)


# Differences between the PDF and its Markdown conversion that are not parsing
# errors, each named. (The Markdown nests two sub-bullet lists that the PDF draws
# flat; sentences are compared with list markers and indentation removed, so that
# one needs no entry.)
PDF_KNOWN_DIFFERENCES = {
    "Jurisdiction in cases of child sexual exploitation and abuse facilitated by ICTs committed on the territory "
    "of a Party: the territoriality principle (Article 25(1)(a-c))": "the PDF text has a space in '25(1) (a-c)'",
}

FOOTNOTE_LINE = re.compile(r"^<sup>\d+</sup>\s")
BARE_URL_LINE = re.compile(r"^<https?://\S+>$")
RULE_LINE = re.compile(r"^-{2,}$")
BOX_TITLE = re.compile(r"^(?:\*\*)?(?:Follow-up actions|Promising practices?):?(?:\*\*)?$", re.IGNORECASE)
# The places where the Markdown conversion cuts a sentence with a page break or a
# footnote block: (end of the first part, start of the second part).
KNOWN_CUTS = [
    ("to protect those who are", "underage. The interpretation"),
    ("to ensure an effective investigation and", "prosecution of ICT-facilitated"),
    ("sexual offences against children", "have sufficient specialisation"),
    ("inter-Party cooperation for the purpose of", "identifying child victims"),
    ("prosecution of criminal acts committed", "abroad by a Norwegian national"),
    ("imprisonment of at least", "6 years."),
    ("and other international organisations and initiatives due", "to their capacity to mobilisation"),
    ("assistance programmes for development provided for the", "benefit of third States."),
    ("about the risks of sexual", "exploitation and sexual abuse faced by children"),
    ("sexual exploitation and sexual abuse of children", "and are informed of the possibility"),
    ("leisure clubs for young", "people. It includes"),
    ("The project will contribute to a better", "understanding of the phenomenon"),
]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
LIST_MARKER = re.compile(r"^\s*-\s+", re.MULTILINE)


def _footnote_text(path: Path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if FOOTNOTE_LINE.match(line))


def _strip_markup(line: str) -> str:
    line = re.sub(r"<sup>\d+</sup>", "", line)
    line = re.sub(r"<sup>(\w+)</sup>", r"\1", line)
    line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"<(https?://[^>]+)>", r"\1", line)
    line = line.replace("**", "").replace("*", "")
    return line


# The word processor typesets quotes (’ “ ”) where the Markdown has some straight ones: the
# same text, so quotes are compared by kind, not by shape.
QUOTE_SHAPES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def normalise(text: str) -> str:
    return " ".join(LIST_MARKER.sub("", text).translate(QUOTE_SHAPES).split())


@dataclass(frozen=True)
class ReferenceLine:
    text: str
    heading: bool  # a '#' heading or a plain line that does not end like a sentence


@lru_cache(maxsize=None)
def reference_lines() -> tuple[ReferenceLine, ...]:
    """The lines of sections I–XI, read straight from the Markdown file, in order.

    Footnote bodies, rules and box titles are dropped, markup stripped, and the
    known cuts rejoined. Heading-like lines are flagged: the parser may keep
    them as a block heading or as a line of box text.
    """
    raw = NORWAY_MD.read_text(encoding="utf-8")
    lines = [line.strip() for line in raw[raw.index("## I. Introduction"):].splitlines()]
    kept = [
        line for line in lines
        if line and not FOOTNOTE_LINE.match(line) and not BARE_URL_LINE.match(line)
        and not RULE_LINE.match(line) and not BOX_TITLE.match(line.lstrip("#").strip())
    ]
    joined: list[str] = []
    cuts_found = 0
    for line in kept:
        if joined and any(joined[-1].endswith(end) and line.startswith(start) for end, start in KNOWN_CUTS):
            joined[-1] = f"{joined[-1]} {line}"
            cuts_found += 1
        else:
            joined.append(line)
    assert cuts_found == len(KNOWN_CUTS), "the fixture's cuts changed: update KNOWN_CUTS"
    result = []
    for line in joined:
        text = normalise(_strip_markup(line.lstrip("#").strip()))
        ends_like_sentence = text.rstrip("”’\")").endswith((".", ":", ";", "?", "!", ","))
        is_item = line.startswith("- ")
        result.append(ReferenceLine(text, heading=line.startswith("#") or not (is_item or ends_like_sentence)))
    return tuple(result)


def reference_sentences() -> list[str]:
    return [s for line in reference_lines() if not line.heading for s in SENTENCE_END.split(line.text) if s]


def grouping_headings() -> set[str]:
    """Headings directly followed by another heading ("Observations and recommendations of the
    Committee … specific to Norway", then "What constitutes …"): blocks keep only the nearest one."""
    lines = reference_lines()
    return {line.text for line, following in zip(lines, lines[1:]) if line.heading and following.heading}


def test_every_sentence_of_sections_i_to_xi_is_in_some_block(norway):
    corpus = normalise("\n".join(b.text for b in norway.blocks))
    sentences = reference_sentences()
    assert len(sentences) > 240  # the reference itself is not empty or truncated (261 today)
    assert [s for s in sentences if s not in corpus] == []


def test_every_heading_line_is_a_heading_or_box_text(norway):
    places = {normalise(b.heading or "") for b in norway.blocks}
    places |= {normalise(f"{b.section}. {b.section_title}") for b in norway.blocks}
    places.add(normalise("\n".join(b.text for b in norway.blocks)))
    missing = {line.text for line in reference_lines() if line.heading and not any(line.text in p for p in places)}
    missing -= grouping_headings()
    if norway.page_count:  # the PDF: only the named differences, and only as named (spacing)
        squeezed = ["".join(p.split()) for p in places]
        missing -= {h for h in PDF_KNOWN_DIFFERENCES if any("".join(h.split()) in p for p in squeezed)}
    assert missing == set()


def test_no_block_contains_page_furniture_or_footnote_debris(norway):
    joined = "\n".join(b.text for b in norway.blocks)
    headings = [b.heading or "" for b in norway.blocks]
    everything = "\n".join([joined, *headings, *(n for b in norway.blocks for n in b.notes)])
    for debris in ("[^", "<sup>", "</", "Lanzarote Committee – 2nd monitoring round – Factsheet"):
        assert debris not in everything, debris
    assert not re.search(r"\bPage \d+\b", joined)
    assert not re.search(r"^\s*\d{1,3}\s*$", joined, re.MULTILINE), "a bare page number"
    # no footnote number glued to the word that called it ("Norway.4", "Network,42")
    raw = NORWAY_MD.read_text(encoding="utf-8")
    for before, number in re.findall(r"(\S{1,6})<sup>(\d+)</sup>", raw):
        assert f"{before}{number}" not in joined, f"{before}{number}"
    # no footnote body in the text (unless the text itself says the same, as "Recommendation II-1.")
    body = " ".join(line.text for line in reference_lines() if not line.heading)
    for line in _footnote_text(NORWAY_MD).splitlines():
        note = normalise(FOOTNOTE_LINE.sub("", line))
        if note not in body:
            assert note not in normalise(joined), note


def test_empty_boxes_give_no_block(norway):
    for block in norway.blocks:
        assert block.text.strip()
        assert not re.match(r"(?i)^(follow-up actions|promising practices?):?$", block.text.strip())


def squeezed(text: str | None) -> str:
    return "".join((text or "").split())


def test_the_four_renderings_of_norway_give_the_same_structure():
    """Block by block: kind, section, heading, strength and the recommendations cited or answered."""
    def structure(path: Path) -> list[tuple]:
        return [(b.kind, b.section, squeezed(b.heading), b.strength, tuple(b.rec_ids)) for b in parsed(path).blocks]

    assert structure(NORWAY_PDF) == structure(NORWAY_MD)
    assert structure(NORWAY_WORD_PDF) == structure(NORWAY_MD)
    assert structure(NORWAY_DOCX) == structure(NORWAY_MD)


# --- fictional factsheets: other countries, same layout --------------------------------


@pytest.mark.parametrize("path", [TESTLAND, TESTLAND_WORD_PDF, TESTLAND_DOCX], ids=["markdown", "word-pdf", "docx"])
def test_testland_parses_with_its_own_country_and_follow_ups(path):
    doc = parsed(path)
    assert (doc.doc_type, doc.country, doc.round, doc.prepared, doc.updated) == (
        "factsheet", "Testland", "2", "June 2023", "January 2025")
    assert [s for s in dict.fromkeys(b.section for b in doc.blocks)] == ["I", "II", "III", "VIII", "X"]
    ids = {rec for b in doc.blocks if b.kind in RECOMMENDATION_KINDS for rec in b.rec_ids}
    assert ids == {"II-1", "II-6", "II-10", "III-30", "VIII-5", "X-5"}
    assert recommendation(doc, "II-6").strength == "request"
    assert "Testland ensures" in recommendation(doc, "II-6").text
    (criminal_code,) = follow_ups(doc, "II-6")
    assert "amended section 204 of the Criminal Code" in criminal_code.text
    (circular,) = follow_ups(doc, "III-30")
    assert circular.text.endswith("report every case pending for more than a year to the Prosecutor General.")
    assert follow_ups(doc, "X-5") == []  # an empty box
    (peers,) = blocks_of(doc, BlockKind.PROMISING_PRACTICE)
    assert "Peer Guides" in peers.text and peers.section == "VIII"
    assert "Norway" not in "\n".join(b.text for b in doc.blocks)


@pytest.mark.parametrize("path", [TESTLAND_WORD_PDF, TESTLAND_DOCX], ids=["word-pdf", "docx"])
def test_testland_set_by_a_word_processor_reads_block_for_block_like_its_markdown(path):
    word, markdown = parsed(path), parsed(TESTLAND)
    assert word.title == markdown.title
    assert [(b.kind, b.section, b.heading, b.strength, b.rec_ids, b.text) for b in word.blocks] == [
        (b.kind, b.section, b.heading, b.strength, b.rec_ids, b.text) for b in markdown.blocks
    ]
    assert recommendation(word, "III-30").strength == "require"  # set in bold, still a recommendation


def test_exampleland_has_no_follow_up_to_ii_6_but_a_practice_on_judges_training():
    doc = parse_file(EXAMPLELAND)
    assert (doc.country, doc.doc_id) == ("Exampleland", "factsheet-exampleland-r2")
    assert recommendation(doc, "II-6").strength == "request"
    assert follow_ups(doc, "II-6") == []
    (judges,) = blocks_of(doc, BlockKind.PROMISING_PRACTICE)
    assert "course for judges" in judges.text and judges.section == "III"
    assert recommendation(doc, "III-17").rec_ids == ["III-17", "III-19"]
    assert recommendation(doc, "III-17").notes == [
        "Such trainings can also be part of broader training programmes (see https://example.org/fictional-training)."
    ]
    (procedure,) = follow_ups(doc, "III-30")
    assert "Code of Criminal Procedure" in procedure.text
    assert recommendation(doc, "V-6").rec_ids == ["V-6", "V-11"]


def test_parse_factsheet_accepts_a_source_text_directly():
    data = TESTLAND.read_bytes()
    doc = parse_factsheet(read_source(TESTLAND, data, "sha"))
    assert doc.country == "Testland" and doc.sha256 == "sha"


def factsheet_from(markdown: str) -> Document:
    return parse_factsheet(read_source("mini.md", markdown.encode("utf-8"), "sha"))


MINI_TITLE = "## FACTSHEET – REPUBLIC OF MINILAND (fictional test document)\n\n"


def test_country_names_keep_small_words_lowercase():
    doc = factsheet_from(MINI_TITLE + "## I. Introduction\n\nAn introduction.\n")
    assert doc.country == "Republic of Miniland"
    assert doc.doc_type == "factsheet"


def test_a_lead_in_without_bullets_is_kept_as_a_recommendation():
    doc = factsheet_from(
        MINI_TITLE
        + "## II. Legal frameworks\n\n### Observations of the Committee\n\n"
        "The Committee observes that Miniland has a law.\n\n"
        "Therefore, the Committee requests Miniland:\n\n### Another heading\n\nThe Committee notes more.\n"
    )
    assert [(b.kind, b.strength, b.text) for b in doc.blocks] == [
        (BlockKind.OBSERVATION, None, "The Committee observes that Miniland has a law."),
        (BlockKind.RECOMMENDATION, "request", "Therefore, the Committee requests Miniland:"),
        (BlockKind.OBSERVATION, None, "The Committee notes more."),
    ]


def test_a_recommendation_without_footnote_ends_with_its_sentence():
    doc = factsheet_from(
        MINI_TITLE
        + "## II. Legal frameworks\n\n### Observations\n\n"
        "The Committee invites Miniland:\n\n"
        "- to do one thing in:\n- the health sector;\n- the education sector.\n- to do another thing.\n"
    )
    assert [b.text for b in doc.blocks] == [
        "The Committee invites Miniland:\n- to do one thing in:\n- the health sector;\n- the education sector.",
        "The Committee invites Miniland:\n- to do another thing.",
    ]
    assert {b.strength for b in doc.blocks} == {"invite"}


def seen(text: str, box: str | None = None, heading_level: int = 0, list_level: int = 0) -> Paragraph:
    """A paragraph as the PDF reader hands it over, with the colour of the box it saw around it."""
    return Paragraph(text=text, page=1, box=box, heading_level=heading_level, list_level=list_level)


def coloured_factsheet(paragraphs: list[Paragraph]) -> Document:
    """A factsheet as a PDF reader hands it over: paragraphs, the boxes it saw, and footnotes."""
    head = [seen("FACTSHEET – MINILAND", heading_level=1), seen("II. Legal frameworks", heading_level=1)]
    notes = {1: Footnote(1, "Recommendation II-1."), 2: Footnote(2, "Recommendation II-2.")}
    return parse_factsheet(SourceText("mini.pdf", "pdf", "sha", paragraphs=head + paragraphs, footnotes=notes))


def test_a_coloured_box_is_a_box_without_a_title_and_its_colour_names_its_kind():
    doc = coloured_factsheet([
        seen("The Committee requests Miniland to adopt a law.[^1]"),
        seen("Miniland adopted the law in 2024.", box="orange"),
        seen("It entered into force in 2025.", box="orange"),
        seen("The Committee invites Miniland to train judges.[^2]"),
        seen("Follow-up actions:", box="blue", heading_level=3),  # the colour decides, not the title
        seen("A peer programme trains pupils.", box="blue"),
    ])
    assert [(b.kind, b.rec_ids, b.text) for b in doc.blocks] == [
        (BlockKind.RECOMMENDATION, ["II-1"], "The Committee requests Miniland to adopt a law."),
        (BlockKind.FOLLOW_UP, ["II-1"], "Miniland adopted the law in 2024.\nIt entered into force in 2025."),
        (BlockKind.RECOMMENDATION, ["II-2"], "The Committee invites Miniland to train judges."),
        (BlockKind.PROMISING_PRACTICE, [], "A peer programme trains pupils."),
    ]


def test_an_uncoloured_title_opens_a_box_even_where_the_reader_saw_other_boxes():
    doc = coloured_factsheet([
        seen("The Committee requests Miniland to adopt a law.[^1]"),
        seen("Follow-up actions:", box="orange", heading_level=3),
        seen("Miniland adopted the law in 2024.", box="orange"),
        seen("The Committee invites Miniland to train judges.[^2]"),
        seen("Follow-up actions:", heading_level=3),  # a box whose shading the reader could not see
        seen("Judges were trained in 2025."),
        seen("The Committee notes the progress made."),
    ])
    assert [(b.kind, b.rec_ids, b.text) for b in doc.blocks] == [
        (BlockKind.RECOMMENDATION, ["II-1"], "The Committee requests Miniland to adopt a law."),
        (BlockKind.FOLLOW_UP, ["II-1"], "Miniland adopted the law in 2024."),
        (BlockKind.RECOMMENDATION, ["II-2"], "The Committee invites Miniland to train judges."),
        (BlockKind.FOLLOW_UP, ["II-2"], "Judges were trained in 2025."),
        (BlockKind.OBSERVATION, [], "The Committee notes the progress made."),
    ]


def test_a_factsheet_without_numbered_sections_still_gives_blocks():
    doc = factsheet_from(
        MINI_TITLE + "The Committee observes that Miniland has a law.<sup>1</sup>\n\n<sup>1</sup> Para. 9.\n"
    )
    assert doc.country == "Republic of Miniland"
    assert [(b.kind, b.section, b.para_refs) for b in doc.blocks if "has a law" in b.text] == [
        (BlockKind.OBSERVATION, None, ["9"])
    ]
