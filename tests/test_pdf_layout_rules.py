"""The PDF reader's layout rules, each on a small PDF drawn for it.

Word processors set footnotes under a short rule with raised numbers, draw
boxes as shaded or bordered paragraphs and table cells, and space lines as
the author chose. None of these files come from the Norway factsheet: the
rules must hold for layouts the archive has not seen.
"""

from __future__ import annotations

import io
import re

import pytest
from handmade_pdf import BLUE_FILL, BLUE_LINE, LEFT, ORANGE_FILL, ORANGE_LINE, HandmadePdf
from pypdf import PdfReader

from lanzasearch.model import BlockKind
from lanzasearch.parsing.factsheet import parse_factsheet
from lanzasearch.parsing.source import SourceText

BODY = [
    "The Committee observes that the law of Testland protects children against",
    "sexual exploitation and sexual abuse in all settings, including online, and",
]


def texts(source: SourceText) -> list[str]:
    return [paragraph.text for paragraph in source.paragraphs]


def paragraph_starting(source: SourceText, start: str):
    return next(p for p in source.paragraphs if p.text.startswith(start))


# --- footnote calls and numbers -------------------------------------------------------------


def page_with_one_footnote(
    pdf: HandmadePdf, *, text_rise: bool = False, body: float = 11, note: float = 10, rule: bool = True
) -> None:
    y = pdf.paragraph(760, BODY, body)
    pdf.called(LEFT, y, "that the Committee welcomes.", 1, body, text_rise=text_rise)
    pdf.text(LEFT, y - 26, "The second paragraph has no footnote.", body)
    if rule:
        pdf.separator(120)
    pdf.footnote(105, 1, ["Para. 43 of the implementation report."], note)


@pytest.mark.parametrize("text_rise", [False, True], ids=["moved-up", "text-rise-operator"])
def test_a_raised_number_after_a_word_is_a_call_and_before_a_footnote_its_number(text_rise):
    pdf = HandmadePdf()
    page_with_one_footnote(pdf, text_rise=text_rise)
    source = pdf.read()
    assert texts(source) == [
        " ".join(BODY) + " that the Committee welcomes.[^1]",
        "The second paragraph has no footnote.",
    ]
    assert source.footnotes[1].text == "Para. 43 of the implementation report."
    assert source.footnotes[1].page == 1


def test_the_text_rise_case_really_uses_the_text_rise_operator():
    pdf = HandmadePdf()
    page_with_one_footnote(pdf, text_rise=True)
    content = PdfReader(io.BytesIO(pdf.bytes())).pages[0].get_contents().get_data()
    assert re.search(rb"\s3\.6\d* Ts\b", content), "the call must be raised by Ts, not by its position"


@pytest.mark.parametrize("rise", [0.15, 0.4, 0.9], ids=["low", "usual", "high"])
@pytest.mark.parametrize("gap", [0.0, 3.0], ids=["glued-to-its-text", "apart-from-its-text"])
def test_footnote_numbers_are_read_at_any_rise_glued_or_apart(rise, gap):
    pdf = HandmadePdf()
    end = pdf.text(LEFT, 760, "The Committee notes the reform of 2021.")
    pdf.raised(end, 760, "1", 6, rise * 11)
    pdf.separator(120)
    number_end = pdf.raised(LEFT, 100, "1", 6, rise * 10)
    pdf.text(number_end + gap, 100, "Act of 12 March 2021 on the protection of minors.", 10)
    source = pdf.read()
    assert texts(source) == ["The Committee notes the reform of 2021.[^1]"]
    assert source.footnotes[1].text == "Act of 12 March 2021 on the protection of minors."


@pytest.mark.parametrize("rule", [True, False], ids=["under-a-rule", "without-a-rule"])
@pytest.mark.parametrize(("body", "note"), [(11, 10), (10.5, 9.5), (11, 11)], ids=["11-10", "10.5-9.5", "same-size"])
def test_footnotes_one_point_smaller_or_the_body_size_are_taken_from_the_foot_of_the_page(body, note, rule):
    pdf = HandmadePdf()
    page_with_one_footnote(pdf, body=body, note=note, rule=rule)
    source = pdf.read()
    assert len(source.paragraphs) == 2
    assert not any("implementation report" in text for text in texts(source))
    assert source.footnotes[1].text == "Para. 43 of the implementation report."


def test_a_footnote_continued_onto_the_next_page_is_read_whole():
    pdf = HandmadePdf()
    pdf.called(LEFT, 760, "The Committee refers to the national case law.", 1)
    pdf.separator(120)
    pdf.footnote(105, 1, ["Supreme Court, judgment of 3 May 2019, which held that the sharing of images", "among"])
    pdf.next_page()
    y = pdf.called(LEFT, 760, "It also notes the survey.", 2)
    pdf.text(LEFT, 734, "Testland reported two further measures in 2024.")
    pdf.separator(140, length=480)  # word processors mark a continued area with a longer rule
    # the continuation starts with a number that does not continue the numbering
    pdf.paragraph(125, ["12 peers in a class group: an offence in all cases."], 10, x=LEFT + 5)
    pdf.footnote(100, 2, ["Survey of 2023 among 4,000 pupils."])
    source = pdf.read()
    assert source.footnotes[1].text == (
        "Supreme Court, judgment of 3 May 2019, which held that the sharing of images among "
        "12 peers in a class group: an offence in all cases."
    )
    assert (source.footnotes[1].page, source.footnotes[2].page) == (1, 2)
    assert source.footnotes[2].text == "Survey of 2023 among 4,000 pupils."
    assert texts(source) == [
        "The Committee refers to the national case law.[^1]",
        "It also notes the survey.[^2]",
        "Testland reported two further measures in 2024.",
    ]


def test_a_table_at_the_foot_of_a_page_is_not_taken_for_a_continued_footnote():
    pdf = HandmadePdf()
    pdf.called(LEFT, 760, "The Committee refers to the national case law.", 1)
    pdf.separator(120)
    pdf.footnote(105, 1, ["Supreme Court, judgment of 3 May 2019."])
    pdf.next_page()
    pdf.paragraph(760, BODY)
    for y in (160, 140, 120):  # a small table's black row borders
        pdf.line((0, 0, 0), LEFT - 4, y, 400, y, 0.5)
    pdf.text(LEFT, 146, "Year 2023: 412 reports")
    pdf.text(LEFT, 126, "Year 2024: 530 reports")
    source = pdf.read()
    assert source.footnotes[1].text == "Supreme Court, judgment of 3 May 2019."
    assert texts(source)[-2:] == ["Year 2023: 412 reports", "Year 2024: 530 reports"]


def test_without_a_rule_smaller_lines_above_the_first_footnote_continue_the_last_one():
    pdf = HandmadePdf()
    y = pdf.paragraph(760, BODY)
    pdf.called(LEFT, y, "so the Committee refers to the national case law.", 1)
    pdf.footnote(105, 1, ["Supreme Court, judgment of 3 May 2019, in the case of"], 8, 10)
    pdf.next_page()
    y = pdf.paragraph(760, BODY)
    pdf.called(LEFT, y, "and it also notes the survey.", 2)
    pdf.paragraph(115, ["A. v. the Public Prosecutor."], 8, x=LEFT + 5)
    pdf.footnote(100, 2, ["Survey of 2023."], 8, 10)
    source = pdf.read()
    assert source.footnotes[1].text == "Supreme Court, judgment of 3 May 2019, in the case of A. v. the Public Prosecutor."
    assert texts(source)[1].endswith("and it also notes the survey.[^2]")
    assert len(source.paragraphs) == 2


def test_a_thin_line_under_text_is_an_underline_not_a_footnote_rule():
    pdf = HandmadePdf()
    y = pdf.paragraph(300, ["The Committee points to the guide at the address below.", "1 Introduction to the guide"])
    pdf.separator(y + 13 - 2)  # a black underline just under the second line
    pdf.text(LEFT, y, "2 Scope of the guide")
    source = pdf.read()
    assert source.footnotes == {}
    assert texts(source)[-1].endswith("2 Scope of the guide")


# --- boxes ----------------------------------------------------------------------------------------


def test_a_box_drawn_as_four_separate_lines_is_a_box():
    pdf = HandmadePdf()
    pdf.text(LEFT, 760, "The Committee requests Testland to train judges.")
    pdf.frame(ORANGE_LINE, LEFT - 6, 680, 530, 740)
    pdf.text(LEFT, 722, "Follow-up actions:", bold=True)
    pdf.text(LEFT, 700, "A course for judges started in 2024.")
    pdf.text(LEFT, 660, "The Committee also notes other progress.")
    boxes = {p.text: p.box for p in pdf.read().paragraphs}
    assert boxes == {
        "The Committee requests Testland to train judges.": None,
        "Follow-up actions:": "orange",
        "A course for judges started in 2024.": "orange",
        "The Committee also notes other progress.": None,
    }


def test_a_shaded_table_cell_is_a_box_and_the_cell_below_is_not():
    pdf = HandmadePdf()
    pdf.shade(BLUE_FILL, LEFT, 690, 530, 740)
    for y in (640, 690, 740):  # the table's black grid: one column, two rows
        pdf.line((0, 0, 0), LEFT, y, 530, y, 0.5)
    for x in (LEFT, 530):
        pdf.line((0, 0, 0), x, 640, x, 740, 0.5)
    pdf.text(LEFT + 6, 722, "Promising practices:", bold=True)
    pdf.text(LEFT + 6, 704, "A peer guide programme.")
    pdf.text(LEFT + 6, 660, "A row that is not shaded.")
    boxes = {p.text: p.box for p in pdf.read().paragraphs}
    assert boxes == {
        "Promising practices:": "blue",
        "A peer guide programme.": "blue",
        "A row that is not shaded.": None,
    }


def test_touching_shapes_of_one_colour_are_one_box_whatever_their_shades():
    pdf = HandmadePdf()
    pdf.shade(ORANGE_FILL, LEFT - 6, 715, 530, 740)  # the title's shading …
    pdf.shade((0.98, 0.85, 0.75), LEFT + 18, 640, 530, 715)  # … the indented body's, a shade deeper …
    pdf.frame(ORANGE_LINE, LEFT - 6, 640, 530, 740)  # … and a border around both
    pdf.text(LEFT, 722, "Follow-up actions:", bold=True)
    pdf.text(LEFT, 700, "Text set at the title's indent, left of the body's shading.")
    pdf.text(LEFT + 24, 680, "Text inside the body's shading.")
    source = pdf.read()
    assert {p.box for p in source.paragraphs} == {"orange"}


def test_an_underline_in_a_box_colour_is_not_a_box():
    pdf = HandmadePdf()
    pdf.text(LEFT, 760, "See the website of the ministry for details.")
    pdf.line(BLUE_LINE, LEFT, 758, 300, 758, 0.6)
    assert [p.box for p in pdf.read().paragraphs] == [None]


# --- headings and paragraphs --------------------------------------------------------------------


def mini_factsheet(pdf: HandmadePdf) -> None:
    """A title, a section, a bold heading, a bold recommendation and a bold lead-in to a bullet."""
    pdf.text(LEFT, 780, "FACTSHEET – TESTLAND", 14, bold=True)
    pdf.text(LEFT, 750, "II. Legal frameworks", 13, bold=True)
    pdf.text(LEFT, 725, "Observations of the Committee", 11, bold=True)
    pdf.paragraph(700, [
        "The Committee requests Testland to ensure that children are not prosecuted for",
        "sharing images of themselves with peers when the sharing is consensual.",
    ], bold=True)
    pdf.raised(pdf.text(LEFT, 674, "This applies to all children.", bold=True), 674, "1", 6.4, 3.6)
    pdf.text(LEFT, 648, "The Committee invites Testland:", bold=True)
    pdf.text(LEFT + 6, 635, "•")
    pdf.raised(pdf.text(LEFT + 18, 635, "to raise awareness among parents."), 635, "2", 6.4, 3.6)
    pdf.separator(120)
    pdf.footnote(105, 1, ["Recommendation II-6."])
    pdf.footnote(92, 2, ["Recommendation II-7."])


def test_bold_recommendations_stay_recommendations_and_bold_titles_stay_headings():
    pdf = HandmadePdf()
    mini_factsheet(pdf)
    source = pdf.read()
    assert [(p.text, p.heading_level > 0) for p in source.paragraphs][:3] == [
        ("FACTSHEET – TESTLAND", True),
        ("II. Legal frameworks", True),
        ("Observations of the Committee", True),
    ]
    assert paragraph_starting(source, "The Committee requests Testland").heading_level == 0
    doc = parse_factsheet(source)
    kinds = [(b.kind, b.strength, b.rec_ids) for b in doc.blocks]
    assert kinds == [
        (BlockKind.RECOMMENDATION, "request", ["II-6"]),
        (BlockKind.RECOMMENDATION, "invite", ["II-7"]),
    ]
    assert doc.blocks[0].heading == "Observations of the Committee"
    assert doc.blocks[1].text == "The Committee invites Testland:\n- to raise awareness among parents."


def test_soft_hyphens_and_unicode_hyphens_read_like_plain_text():
    pdf = HandmadePdf()
    pdf.paragraph(760, [
        "The plan was drafted in co\u00ad",
        "operation with a non\u2010profit body and co\u2011ordinated by the",
        "ministry; its exam\u00adple of good practice covers self\u2010",
        "generated images.",
    ])
    (paragraph,) = pdf.read().paragraphs
    assert paragraph.text == (
        "The plan was drafted in cooperation with a non-profit body and co-ordinated by the "
        "ministry; its example of good practice covers self-generated images."
    )


HEADING_BLUE = (0.12, 0.22, 0.39)
LINK_BLUE = (0.0, 0.0, 1.0)


def test_a_title_told_from_its_text_by_colour_alone_is_its_own_paragraph():
    pdf = HandmadePdf()
    pdf.paragraph(760, BODY)
    pdf.text(LEFT, 734, "Observations of the Committee on research specific to Testland", colour=HEADING_BLUE)
    pdf.paragraph(721, ["The Committee observes that research on the subject is rare.", "“Quoted” reports are older."])
    assert texts(pdf.read()) == [
        " ".join(BODY),
        "Observations of the Committee on research specific to Testland",
        "The Committee observes that research on the subject is rare. “Quoted” reports are older.",
    ]


def test_a_link_in_colour_does_not_break_its_paragraph():
    pdf = HandmadePdf()
    end = pdf.text(LEFT, 760, "In its ")
    pdf.text(end, 760, "Interpretative Opinion on the applicability of the Convention", colour=LINK_BLUE)
    pdf.text(LEFT, 747, "to offences facilitated through the use of ICTs", colour=LINK_BLUE)
    pdf.text(LEFT, 734, "Parties were called on to act (12 May 2017).")
    assert texts(pdf.read()) == [
        "In its Interpretative Opinion on the applicability of the Convention to offences facilitated through "
        "the use of ICTs Parties were called on to act (12 May 2017)."
    ]


PARAGRAPHS = [
    ["Testland adopted a national strategy against the sexual abuse of children in",
     "2023, with measures for schools, health services and the police, and a budget",
     "for the five years that the strategy covers."],
    ["The strategy is reviewed every year by an independent body which reports to",
     "parliament and publishes its findings with the data on which they rest, so that",
     "civil society can follow the progress made."],
    ["Children were consulted in the drafting through school councils and an online",
     "survey answered by more than four thousand pupils across all regions of the",
     "country."],
]


@pytest.mark.parametrize("spacing", [1.0, 1.15, 1.5])
def test_paragraph_breaks_are_measured_against_the_line_spacing(spacing):
    pdf = HandmadePdf()
    pitch = 11 * 1.22 * spacing  # Calibri's line height is 1.22 em
    y = 760.0
    for lines in PARAGRAPHS:
        y = pdf.paragraph(y, lines, 11, pitch) - 6  # 6 pt after each paragraph
    source = pdf.read()
    assert texts(source) == [" ".join(lines) for lines in PARAGRAPHS]
