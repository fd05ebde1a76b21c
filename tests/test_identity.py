"""A factsheet's identity: its Party and round come from the title page, whatever its variant.

Each test builds the paragraphs a reader would hand over (a ``SourceText``)
and parses them with ``parse_source``, the way an ingested file is parsed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lanzasearch.model import Document
from lanzasearch.parsing import IdentityError, parse_file, parse_source, read_file, read_source
from lanzasearch.parsing.identity import round_number
from lanzasearch.parsing.source import Paragraph, SourceText

ROOT = Path(__file__).resolve().parent.parent
CONVENTION = ROOT / "corpus" / "lanzarote-convention.md"
NORWAY_HTML_PDF = ROOT / "corpus" / "factsheet-norway.pdf"
NORWAY_WORD_PDF = ROOT / "tests" / "fixtures" / "factsheet-norway-word.pdf"
NORWAY_MD = ROOT / "tests" / "fixtures" / "factsheet-norway.md"
COUNCIL_LINE = "COUNCIL OF EUROPE | CONSEIL DE L'EUROPE"
THEME = "“The protection of children against sexual exploitation and sexual abuse facilitated by ICTs”"
INTRODUCTION = (
    "One of the main functions of the Lanzarote Committee is to monitor the effective implementation "
    "of the Lanzarote Convention."
)
LEGAL = "The Committee observes that the law is clear."


def source(
    *title_page: str,
    introduction: tuple[str, ...] = (INTRODUCTION,),
    body: tuple[str, ...] = (LEGAL,),
    headers: tuple[str, ...] = (),
) -> SourceText:
    """A factsheet's paragraphs: the title page, then sections I and II."""
    paragraphs = [Paragraph(text, heading_level=1 if index == 1 else 0) for index, text in enumerate(title_page)]
    paragraphs += [Paragraph("I. Introduction", heading_level=2), *map(Paragraph, introduction)]
    paragraphs += [Paragraph("II. Legal frameworks", heading_level=2), *map(Paragraph, body)]
    return SourceText(
        path="factsheet.pdf", format="pdf", sha256="sha", paragraphs=paragraphs, running_headers=list(headers)
    )


def factsheet(title: str, *more: str, **parts) -> Document:
    return parse_source(source(COUNCIL_LINE, title, THEME, *more, **parts))


# --- the Party ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "FACTSHEET – NORWAY",
        "Factsheet – Norway",
        "FACTSHEET: NORWAY",
        "FACT SHEET – NORWAY",
        "Factsheet - Norway",
        "FACTSHEET — NORWAY",
        "Factsheet ‑ Norway",  # a non-breaking hyphen, as a word processor sets it
        "FACTSHEET – NORWAY (updated with the authorities' information)",
        "Factsheet – Norway [draft]",
        "FACTSHEET – NORWAY – 2nd monitoring round",
        "FACTSHEET – NORWAY Lanzarote Committee Implementation Report on:",  # a reader merged two lines
        "Factsheet – Norway Lanzarote Committee Implementation Report on:",
        "FACTSHEET – NORWAY COUNCIL OF EUROPE CONSEIL DE L'EUROPE",
        "Factsheet – Norvège",
    ],
)
def test_every_form_of_the_title_line_names_the_party(title):
    doc = factsheet(title)
    assert (doc.doc_type, doc.country) == ("factsheet", "Norway")
    assert doc.title == f"Factsheet – Norway: {THEME.strip('“”')}"


@pytest.mark.parametrize(
    "title, party",
    [
        ("FACTSHEET – BOSNIA AND HERZEGOVINA", "Bosnia and Herzegovina"),
        ("Factsheet – Bosnia and Herzegovina (fictional remark)", "Bosnia and Herzegovina"),
        ("FACTSHEET – REPUBLIC OF MOLDOVA", "Republic of Moldova"),
        ("Factsheet: Republic of Moldova", "Republic of Moldova"),
        ("FACTSHEET – TÜRKİYE", "Türkiye"),
        ("FACTSHEET – TURKEY", "Türkiye"),
        ("Factsheet – Türkiye", "Türkiye"),
        ("FACTSHEET – NORTH MACEDONIA", "North Macedonia"),
        ("FACTSHEET – “THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA”", "North Macedonia"),
        ("FACTSHEET – SAN MARINO", "San Marino"),
        ("FACTSHEET – CZECH REPUBLIC", "Czech Republic"),
        ("Factsheet – Czechia", "Czech Republic"),
        ("FACTSHEET – THE NETHERLANDS", "Netherlands"),
        ("FACTSHEET – UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND", "United Kingdom"),
    ],
)
def test_names_with_spaces_hyphens_and_diacritics_are_normalised_to_the_party(title, party):
    doc = factsheet(title)
    assert doc.country == party
    assert not any("not a Party" in warning for warning in doc.warnings)


@pytest.mark.parametrize(
    "council_line",
    [COUNCIL_LINE, "COUNCIL OF EUROPE\tCONSEIL DE L'EUROPE", "COUNCIL OF EUROPECONSEIL DE L'EUROPE"],
)
def test_the_two_column_council_of_europe_line_is_not_a_country(council_line):
    doc = parse_source(source(council_line, "FACTSHEET – NORWAY", THEME))
    assert doc.country == "Norway"
    # with the name on the line after the word, the Council's line between them is skipped
    doc = parse_source(source("FACTSHEET", council_line, "NORWAY", THEME))
    assert doc.country == "Norway"


def test_a_title_set_on_two_lines_names_the_party_on_the_second():
    assert parse_source(source(COUNCIL_LINE, "FACTSHEET", "REPUBLIC OF MOLDOVA", THEME)).country == "Republic of Moldova"
    assert parse_source(source(COUNCIL_LINE, "Factsheet –", "San Marino", THEME)).country == "San Marino"


def test_the_committee_merged_into_a_title_is_not_part_of_the_name():
    doc = factsheet("FACTSHEET – ATLANTIS LANZAROTE COMMITTEE IMPLEMENTATION REPORT ON:")
    assert doc.country == "Atlantis"
    assert parse_source(source("FACTSHEET", "LANZAROTE COMMITTEE", THEME)).doc_type == "document"


def test_a_name_that_is_not_a_party_is_kept_title_cased_with_a_warning():
    doc = factsheet("FACTSHEET – CÔTE D’IVOIRE (not a Party)")
    assert doc.country == "Côte d'Ivoire"
    assert any("'Côte d'Ivoire' is not a Party to the Lanzarote Convention" in w for w in doc.warnings)


def test_a_party_is_known_without_a_warning():
    doc = factsheet("FACTSHEET – NORWAY", "Lanzarote Committee – 2nd monitoring round")
    assert doc.warnings == []


@pytest.mark.parametrize(
    "line",
    [
        "This factsheet was prepared by the Secretariat in March 2023.",
        "Factsheet on the protection of children",
        "The factsheet – as the Committee notes – is a synthesis.",
    ],
)
def test_a_sentence_about_a_factsheet_names_no_country(line):
    doc = parse_source(source(COUNCIL_LINE, line, THEME))
    assert doc.doc_type == "document" and doc.country is None


@pytest.mark.parametrize("title", ["Factsheet – Online Safety", "FACTSHEET – CHILD PROTECTION"])
def test_a_title_naming_no_party_needs_the_lanzarote_committee_to_be_a_factsheet(title):
    other_body = SourceText(
        path="thematic.pdf", format="pdf", sha256="sha",
        paragraphs=[Paragraph(title, heading_level=1), Paragraph("The Court has examined many cases.")],
    )
    assert parse_source(other_body).doc_type == "document"
    committee = SourceText(
        path="factsheet.pdf", format="pdf", sha256="sha",
        paragraphs=[Paragraph(title, heading_level=1), Paragraph("Lanzarote Committee Implementation Report on:")],
    )
    assert parse_source(committee).doc_type == "factsheet"


def test_the_running_header_names_the_party_when_the_title_page_does_not():
    doc = parse_source(
        source(COUNCIL_LINE, THEME, headers=("Lanzarote Committee – 2nd monitoring round – Factsheet Norway",))
    )
    assert (doc.doc_type, doc.country, doc.round) == ("factsheet", "Norway", "2")
    assert parse_source(source(THEME, headers=("Factsheet – Türkiye",))).country == "Türkiye"


def test_the_title_page_wins_over_the_running_header():
    doc = parse_source(source("FACTSHEET – SAN MARINO", THEME, headers=("Factsheet – Norway",)))
    assert doc.country == "San Marino"


@pytest.mark.parametrize(
    "path, header",
    [
        (NORWAY_HTML_PDF, "Lanzarote Committee – 2nd monitoring round – Factsheet Norway"),
        (NORWAY_WORD_PDF, "Factsheet – Norway"),
    ],
    ids=["html-made-pdf", "word-made-pdf"],
)
def test_the_pdf_reader_hands_over_the_running_header_it_removed(path, header):
    data, sha256 = read_file(path)
    assert read_source(path, data, sha256).running_headers == [header]


@pytest.mark.parametrize("path", [NORWAY_MD, NORWAY_HTML_PDF, NORWAY_WORD_PDF], ids=["markdown", "html-pdf", "word-pdf"])
def test_each_norway_file_is_norway_in_the_second_round(path):
    # the title pages do not name the round: the HTML-made PDF's running header does, and
    # the Introduction of all three ("the implementation report of its 2nd monitoring round")
    doc = parse_file(path)
    assert (doc.doc_type, doc.country, doc.round, doc.warnings) == ("factsheet", "Norway", "2", [])


# --- the round -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, round",
    [
        ("Lanzarote Committee – 2nd monitoring round", "2"),
        ("Second monitoring round", "2"),
        ("2nd round", "2"),
        ("Round 2", "2"),
        ("Monitoring round 3", "3"),
        ("THIRD MONITORING ROUND", "3"),
        ("1st monitoring round", "1"),
    ],
)
def test_the_round_is_read_from_the_title_page_in_words_or_digits(line, round):
    assert factsheet("FACTSHEET – NORWAY", line).round == round


def test_the_title_page_round_wins_over_the_introduction():
    doc = factsheet(
        "FACTSHEET – NORWAY", "Third monitoring round",
        introduction=("In the implementation report of its 2nd monitoring round, the Committee made recommendations.",),
    )
    assert doc.round == "3"


def test_the_running_header_round_wins_over_the_introduction():
    doc = factsheet(
        "FACTSHEET – NORWAY",
        headers=("Lanzarote Committee – 3rd monitoring round – Factsheet Norway",),
        introduction=("Following the 2nd monitoring round, the Committee adopted a report.",),
    )
    assert doc.round == "3"


def test_without_title_or_header_the_introduction_gives_the_round_it_names_most():
    doc = factsheet(
        "FACTSHEET – NORWAY",
        introduction=(
            "Unlike the 1st monitoring round, the 2nd monitoring round concerned ICTs.",
            "The Committee agreed on a methodology for the 2nd monitoring round recommendations.",
        ),
    )
    assert doc.round == "2"


def test_a_tie_in_the_introduction_goes_to_the_later_round():
    doc = factsheet("FACTSHEET – NORWAY", introduction=("After the first monitoring round came the second monitoring round.",))
    assert doc.round == "2"


def test_a_body_sentence_about_an_earlier_round_never_decides_it():
    doc = factsheet(
        "FACTSHEET – NORWAY",
        body=("The Committee observes that, as in the 1st monitoring round, the law is unclear.",),
    )
    assert doc.round is None
    assert any("no monitoring round" in warning for warning in doc.warnings)


def test_a_body_sentence_does_not_decide_it_for_a_factsheet_without_sections():
    src = SourceText(
        path="factsheet.md", format="markdown", sha256="sha",
        paragraphs=[Paragraph("FACTSHEET – NORWAY", heading_level=1), Paragraph("The Committee recalls the 1st monitoring round.")],
    )
    doc = parse_source(src)
    assert (doc.country, doc.round) == ("Norway", None)


# --- overrides by staff -----------------------------------------------------------------------


def test_staff_overrides_win_over_the_title_page_and_are_canonicalised():
    denmark = source(COUNCIL_LINE, "FACTSHEET – DENMARK", THEME, "2nd monitoring round")
    doc = parse_source(denmark, country="turkey", round="3rd")
    assert (doc.country, doc.round) == ("Türkiye", "3")
    assert doc.title.startswith("Factsheet – Türkiye: The protection of children")
    doc = parse_source(denmark, country="NORVÈGE")
    assert (doc.country, doc.round, doc.doc_id) == ("Norway", "2", "factsheet-norway-r2")


def test_an_override_settles_a_round_the_parser_could_not_find():
    doc = parse_source(source("FACTSHEET – NORWAY"), round=2)
    assert (doc.round, doc.warnings) == ("2", [])


def test_an_override_with_a_name_that_is_not_a_party_is_kept_with_a_warning():
    doc = parse_source(source("FACTSHEET – NORWAY", "2nd round"), country="ATLANTIS")
    assert doc.country == "Atlantis"
    assert any("'Atlantis' is not a Party" in warning for warning in doc.warnings)


@pytest.mark.parametrize("written", ["2", " 2 ", "2nd", "second", "Second", "Round 2", "2nd monitoring round", "02"])
def test_a_round_may_be_written_as_staff_would_write_it(written):
    assert round_number(written) == "2"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"round": "abc"}, "round 'abc' is not a monitoring round: give its number, e.g. 2"),
        ({"round": "0"}, "round '0' is not a monitoring round: give its number, e.g. 2"),
        ({"round": "2.5"}, "round '2.5' is not a monitoring round: give its number, e.g. 2"),
        ({"country": "  "}, "the country is empty: give the Party's name, e.g. Norway"),
        ({"country": "Norway 2"}, "country 'Norway 2' is not a country's name: give the Party's name, e.g. Norway"),
    ],
)
def test_a_malformed_override_is_refused_in_one_line_before_the_file_is_read(tmp_path, overrides, message):
    missing = tmp_path / "never-read.pdf"
    with pytest.raises(IdentityError) as refused:
        parse_file(missing, **overrides)  # the file does not exist: the override is checked first
    assert str(refused.value) == message
    assert "\n" not in str(refused.value)
    assert isinstance(refused.value, ValueError)


def test_the_convention_belongs_to_no_party():
    assert parse_file(CONVENTION).doc_type == "convention"
    with pytest.raises(IdentityError, match="the Lanzarote Convention belongs to no Party or round"):
        parse_file(CONVENTION, country="Norway")


def test_an_override_names_the_party_and_round_of_another_document():
    note = SourceText(
        path="note.md", format="markdown", sha256="sha",
        paragraphs=[Paragraph("A note", heading_level=1), Paragraph("Some text about a law.")],
    )
    doc = parse_source(note, country="Czechia", round="2")
    assert (doc.doc_type, doc.country, doc.round, doc.warnings) == ("document", "Czech Republic", "2", [])
