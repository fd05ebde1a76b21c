"""The .docx reader: Word's own structure (styles, numbering, shading, footnotes) into the reader contract.

Each rule is shown on a small document made here with python-docx and the
WordprocessingML that Word writes (tests/docx_builder.py); the Norway
factsheet's .docx is checked with the other forms in test_factsheet_parser.py.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx.oxml.parser import parse_xml
from docx.shared import Pt

from docx_builder import W, borders, call, docx_bytes, para, run, shading, table, with_part
from lanzasearch.parsing import SUPPORTED_SUFFIXES, SourceError, parse_source, read_source
from lanzasearch.parsing.source import Paragraph, SourceText

ORANGE_FILL, BLUE_FILL, GREY_FILL = "FDE9D9", "DBE5F1", "D9D9D9"
ORANGE_LINE, BLUE_LINE = "E36C0A", "4F81BD"


def read(data: bytes, name: str = "doc.docx") -> SourceText:
    return read_source(Path(name), data, "sha")


def texts(src: SourceText) -> list[str]:
    return [p.text for p in src.paragraphs]


def by_text(src: SourceText) -> dict[str, Paragraph]:
    return {p.text: p for p in src.paragraphs}


def test_docx_is_a_supported_type_read_as_docx_without_pages():
    assert ".docx" in SUPPORTED_SUFFIXES
    src = read(docx_bytes(para("One paragraph.")))
    assert (src.format, src.page_count, texts(src)) == ("docx", None, ["One paragraph."])
    assert src.paragraphs[0].page is None


# --- footnotes -----------------------------------------------------------------------------------


def test_a_real_footnote_becomes_a_numbered_footnote_and_a_marker_glued_to_the_word():
    # Word's internal ids (7, 3) are not what it displays: notes are numbered 1, 2 … in document order.
    body = para("The Committee observes a law", call(7), " and a practice ", call(3), ".")
    src = read(docx_bytes(body, footnotes={3: "Recommendation II-6.", 7: "Para. 43.", 9: "Never called."}))
    assert texts(src) == ["The Committee observes a law[^1] and a practice[^2]."]
    assert {n: f.text for n, f in src.footnotes.items()} == {1: "Para. 43.", 2: "Recommendation II-6."}
    assert src.footnotes[1].page is None


def test_footnote_numbers_count_on_across_paragraphs_and_tables():
    body = para("First", call(10), ".") + table([[para("In a cell", call(11), ".")]]) + para("Last", call(12), ".")
    src = read(docx_bytes(body, footnotes={10: "Para. 1.", 11: "Para. 2.", 12: "Para. 3."}))
    assert texts(src) == ["First[^1].", "In a cell[^2].", "Last[^3]."]
    assert [f.text for f in src.footnotes.values()] == ["Para. 1.", "Para. 2.", "Para. 3."]


def test_footnote_numbers_start_where_the_document_says():
    def start_at_five(document):
        settings = document.settings.element
        settings.append(parse_xml(f'<w:footnotePr {W}><w:numStart w:val="5"/></w:footnotePr>'))

    src = read(docx_bytes(para("A call", call(1), "."), footnotes={1: "Para. 7."}, build=start_at_five))
    assert texts(src) == ["A call[^5]."] and src.footnotes[5].text == "Para. 7."


def test_a_footnote_with_a_custom_mark_keeps_its_place_in_the_numbering_and_loses_the_mark():
    custom = '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="5"/><w:t>*</w:t></w:r>'
    src = read(docx_bytes(para("Starred", custom, " then numbered", call(6), "."),
                          footnotes={5: "A remark.", 6: "Para. 9."}))
    assert texts(src) == ["Starred[^1] then numbered[^2]."]
    assert [f.text for f in src.footnotes.values()] == ["A remark.", "Para. 9."]


def test_a_damaged_part_is_refused_with_advice():
    package = docx_bytes(para("Fine text."), footnotes={1: "A note."})
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        footnotes = archive.read("word/footnotes.xml")
    broken = with_part(package, "word/footnotes.xml", footnotes[: len(footnotes) // 2])
    with pytest.raises(SourceError, match=r"^is a damaged \.docx \(.*\): open it in Word, save it again as \.docx"):
        read(broken)


def test_an_embedded_html_page_is_no_xml_part_and_its_doctype_no_attack():
    # Converters embed HTML as "alternative format import" parts; python-docx never parses them as XML.
    package = with_part(docx_bytes(para("Imported text.")), "word/afchunk.htm",
                        b"<!DOCTYPE html>\n<html><body><p>Imported text.</p></body></html>")
    assert texts(read(package)) == ["Imported text."]


# --- headings ------------------------------------------------------------------------------------

HOUSE_STYLES = (
    # a house style based on Heading 2, one with its own outline level, and Word's TOC Heading (body text)
    '<w:style w:type="paragraph" w:styleId="FSSection"><w:name w:val="FS Section"/>'
    '<w:basedOn w:val="Heading2"/><w:rPr><w:rFonts w:ascii="Georgia"/><w:sz w:val="30"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="BoxTitle"><w:name w:val="Box Title"/>'
    '<w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Contents"><w:name w:val="Contents heading"/>'
    '<w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>'
)


def test_headings_come_from_styles_outline_levels_and_the_styles_they_are_based_on():
    def build(document):
        document.add_paragraph("Factsheet title", style="Title")
        document.add_heading("A heading one", level=1)
        document.add_heading("A heading three", level=3)
        document.add_paragraph("Plain body text.")

    body = (para("House section", style="FSSection") + para("Own outline level", style="BoxTitle")
            + para("Table of contents", style="Contents")
            + para("Direct outline level", properties='<w:outlineLvl w:val="0"/>'))
    src = read(docx_bytes(body, styles=HOUSE_STYLES, build=build))
    assert {p.text: p.heading_level for p in src.paragraphs} == {
        "Factsheet title": 1, "A heading one": 1, "A heading three": 3, "Plain body text.": 0,
        "House section": 2, "Own outline level": 4, "Table of contents": 0, "Direct outline level": 1,
    }
    assert {p.box for p in src.paragraphs} == {None}  # the Title style's blue bottom rule is no box


def test_a_numbered_heading_carries_its_number_and_is_no_list_item():
    numbering = (
        '<w:abstractNum w:abstractNumId="70"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="70"><w:abstractNumId w:val="70"/></w:num>'
    )
    numbered = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="70"/></w:numPr>'
    body = para("Introduction", style="Heading1", properties=numbered) + para("Some text.") \
        + para("Legal frameworks", style="Heading1", properties=numbered)
    src = read(docx_bytes(body, numbering=numbering))
    assert [(p.text, p.heading_level, p.list_level) for p in src.paragraphs] == [
        ("I. Introduction", 1, 0), ("Some text.", 0, 0), ("II. Legal frameworks", 1, 0),
    ]


# --- lists ---------------------------------------------------------------------------------------

MULTILEVEL = (
    '<w:abstractNum w:abstractNumId="80">'
    + "".join(
        f'<w:lvl w:ilvl="{i}"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
        f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for i in range(3)
    )
    + '</w:abstractNum><w:num w:numId="80"><w:abstractNumId w:val="80"/></w:num>'
    '<w:abstractNum w:abstractNumId="81"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
    '<w:lvlText w:val="%2)"/></w:lvl></w:abstractNum><w:num w:numId="81"><w:abstractNumId w:val="81"/></w:num>'
)


def item(text: str, num_id: int, ilvl: int) -> str:
    return para(text, properties=f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')


def test_nested_bullets_keep_their_levels():
    body = (para("The Committee invites Norway:") + item("to do one thing in:", 80, 0)
            + item("the health sector;", 80, 1) + item("the schools, and in:", 80, 1)
            + item("sports clubs.", 80, 2) + item("to do another thing.", 80, 0) + para("After the list."))
    src = read(docx_bytes(body, numbering=MULTILEVEL))
    assert [(p.text, p.list_level) for p in src.paragraphs] == [
        ("The Committee invites Norway:", 0), ("to do one thing in:", 1), ("the health sector;", 2),
        ("the schools, and in:", 2), ("sports clubs.", 3), ("to do another thing.", 1), ("After the list.", 0),
    ]


def test_text_aligned_with_an_item_continues_its_list_and_text_at_the_margin_ends_it():
    aligned = '<w:ind w:left="1440"/>'
    body = (item("outer item", 80, 0) + item("inner item", 80, 1) + para("More about the inner item.", properties=aligned)
            + item("inner again", 80, 1) + para("Back at the margin.") + item("a new list", 80, 1))
    src = read(docx_bytes(body, numbering=MULTILEVEL))
    assert [(p.text, p.list_level) for p in src.paragraphs] == [
        ("outer item", 1), ("inner item", 2), ("More about the inner item.", 0), ("inner again", 2),
        ("Back at the margin.", 0), ("a new list", 1),
    ]


def test_list_styles_nest_by_indentation_although_each_is_level_zero_of_its_own_list():
    def build(document):
        document.add_paragraph("Lead-in:")
        document.add_paragraph("outer item", style="List Bullet")
        document.add_paragraph("inner item", style="List Bullet 2")
        document.add_paragraph("outer again", style="List Bullet")

    src = read(docx_bytes(build=build))
    assert [(p.text, p.list_level) for p in src.paragraphs] == [
        ("Lead-in:", 0), ("outer item", 1), ("inner item", 2), ("outer again", 1),
    ]


def test_ordered_items_carry_the_label_word_draws():
    body = (item("first point", 81, 0) + item("detail", 81, 1) + item("more detail", 81, 1)
            + item("second point", 81, 0) + item("its own detail", 81, 1))
    src = read(docx_bytes(body, numbering=MULTILEVEL))
    assert [(p.text, p.list_level) for p in src.paragraphs] == [
        ("1. first point", 1), ("a) detail", 2), ("b) more detail", 2),
        ("2. second point", 1), ("a) its own detail", 2),
    ]


def test_a_list_resumed_under_another_list_id_goes_on_counting_unless_it_restarts():
    restart = ('<w:num w:numId="82"><w:abstractNumId w:val="81"/>'
               '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
               '<w:num w:numId="83"><w:abstractNumId w:val="81"/></w:num>')
    body = (item("first", 81, 0) + para("An interruption.") + item("second", 83, 0)
            + para("A new list.") + item("first again", 82, 0) + item("second again", 82, 0))
    src = read(docx_bytes(body, numbering=MULTILEVEL + restart))
    assert texts(src) == ["1. first", "An interruption.", "2. second", "A new list.", "1. first again",
                          "2. second again"]


# --- boxes ---------------------------------------------------------------------------------------


def test_a_shaded_table_cell_is_a_box_of_its_colour_family():
    body = (
        para("The Committee requests Norway to act.")
        + table([[para("Follow-up actions:") + para("Norway acted.")]], cell_properties=shading(ORANGE_FILL))
        + table([[para("Promising practices:") + para("A good example.")]], cell_properties=shading(BLUE_FILL))
        + table([["A grey cell."]], cell_properties=shading(GREY_FILL))
        + table([["Cell with orange borders."]], cell_properties=borders(ORANGE_LINE, tag="w:tcBorders"))
        + table([["A table with orange shading."]], table_properties=shading(ORANGE_FILL))
    )
    boxes = {p.text: p.box for p in read(docx_bytes(body)).paragraphs}
    assert boxes == {
        "The Committee requests Norway to act.": None,
        "Follow-up actions:": "orange", "Norway acted.": "orange",
        "Promising practices:": "blue", "A good example.": "blue",
        "A grey cell.": None, "Cell with orange borders.": "orange", "A table with orange shading.": "orange",
    }


def test_shaded_or_bordered_paragraphs_are_boxes_and_a_single_rule_is_not():
    styles = ('<w:style w:type="paragraph" w:styleId="FollowUp"><w:name w:val="Follow-up box"/>'
              f"<w:pPr>{shading(ORANGE_FILL)}</w:pPr></w:style>")
    body = (
        para("Shaded blue.", properties=shading(BLUE_FILL))
        + para("Bordered orange, no fill.", properties=borders(ORANGE_LINE))
        + para("A box by its style.", style="FollowUp")
        + para("Blue left bar.", properties=borders(BLUE_LINE, sides=("left",)))
        + para("Underlined title.", properties=borders(BLUE_LINE, sides=("bottom",)))
        + para("Grey shading.", properties=shading(GREY_FILL))
        + table([[para("Blue paragraph in an orange cell.", properties=shading(BLUE_FILL)) + para("Orange.")]],
                cell_properties=shading(ORANGE_FILL))
    )
    assert {p.text: p.box for p in read(docx_bytes(body, styles=styles)).paragraphs} == {
        "Shaded blue.": "blue", "Bordered orange, no fill.": "orange", "A box by its style.": "orange",
        "Blue left bar.": "blue", "Underlined title.": None, "Grey shading.": None,
        "Blue paragraph in an orange cell.": "blue", "Orange.": "orange",
    }


def test_adjacent_shaded_paragraphs_make_one_box_for_the_factsheet_parser():
    box = shading(ORANGE_FILL) + borders(ORANGE_LINE)
    body = (
        para("FACTSHEET – MINILAND") + para("Lanzarote Committee Implementation Report")
        + para("II. Legal frameworks", style="Heading1")
        + para("Therefore, the Committee requests that Miniland ensures that a child is not prosecuted.", call(1))
        + para("Follow-up actions:", properties=box) + para("Miniland amended its law.", properties=box)
        + para("A second paragraph of the same box.", properties=box)
        + para("The Committee also observes something else.")
    )
    doc = parse_source(read(docx_bytes(body, footnotes={1: "Recommendation II-6."})))
    [follow_up] = [b for b in doc.blocks if b.kind.value == "follow_up"]
    assert follow_up.text == "Miniland amended its law.\nA second paragraph of the same box."
    assert follow_up.rec_ids == ["II-6"]


# --- title table and text ------------------------------------------------------------------------


def test_the_title_table_is_read_cell_by_cell_in_reading_order():
    body = (table([["COUNCIL OF EUROPE", "CONSEIL DE L'EUROPE"]])
            + para("FACTSHEET – REPUBLIC OF MINILAND", style="Heading2")
            + para("Lanzarote Committee Implementation Report")
            + table([["Prepared", "March 2023"], ["Updated", "March 2025"]])
            + para("I. Introduction", style="Heading2") + para("An introduction."))
    src = read(docx_bytes(body))
    assert texts(src) == ["COUNCIL OF EUROPE", "CONSEIL DE L'EUROPE", "FACTSHEET – REPUBLIC OF MINILAND",
                          "Lanzarote Committee Implementation Report", "Prepared", "March 2023", "Updated", "March 2025", "I. Introduction", "An introduction."]
    doc = parse_source(src)
    assert (doc.doc_type, doc.country) == ("factsheet", "Republic of Miniland")
    assert "CONSEIL" not in "\n".join(b.text for b in doc.blocks)


def test_soft_hyphens_no_break_hyphens_tabs_and_line_breaks():
    body = (
        para(run("self"), "<w:r><w:noBreakHyphen/></w:r>", run("generated, inter"), "<w:r><w:softHyphen/></w:r>",
             run("national and multi\u00adlateral, co\u2011operation and cross\u2010border."))
        + para(run("Introduction"), "<w:r><w:tab/></w:r>", run("3"))
        + para(run("FACTSHEET – NORWAY"), "<w:r><w:br/></w:r>", run("2nd monitoring round"), style="Heading2")
    )
    src = read(docx_bytes(body))
    assert [(p.text, p.heading_level) for p in src.paragraphs] == [
        ("self-generated, international and multilateral, co-operation and cross-border.", 0),
        ("Introduction 3", 0),
        ("FACTSHEET – NORWAY", 2), ("2nd monitoring round", 2),
    ]


def test_only_displayed_text_is_read():
    body = (
        para(run("Factsheet – Norway", "<w:caps/>"))
        + para("Kept", run(" hidden", "<w:vanish/>"), '<w:del w:id="1" w:author="a"><w:r><w:delText> deleted'
               "</w:delText></w:r></w:del>", '<w:ins w:id="2" w:author="a">' + run(" inserted") + "</w:ins>", ".")
        + para('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText>'
               '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>', run("12"),
               '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        + para(run("   "))
        + "<w:sdt><w:sdtContent>" + para("In a content control.") + "</w:sdtContent></w:sdt>"
    )
    assert texts(read(docx_bytes(body))) == ["FACTSHEET – NORWAY", "Kept inserted.", "12", "In a content control."]


def test_house_fonts_and_sizes_do_not_matter():
    def build(document):
        style = document.styles["Normal"]
        style.font.name, style.font.size = "Georgia", Pt(12)
        document.add_heading("A heading", level=2).runs[0].font.size = Pt(9)  # smaller than the body, still a heading
        document.add_paragraph("Body text in Georgia.").runs[0].font.bold = True  # bold, still body text

    assert [(p.text, p.heading_level) for p in read(docx_bytes(build=build)).paragraphs] == [
        ("A heading", 2), ("Body text in Georgia.", 0),
    ]


def test_a_word_97_file_is_refused_under_either_name():
    legacy = (Path(__file__).parent / "fixtures" / "minutes-word97.doc").read_bytes()
    for name in ("minutes.doc", "minutes.docx"):
        with pytest.raises(SourceError, match=r"^is a Word 97-2003 \.doc: save it as \.docx or PDF"):
            read(legacy, name)


def test_a_document_without_text_is_refused():
    with pytest.raises(SourceError, match="contains no text"):
        read(docx_bytes(para(run("   ")) + para(run("hidden", "<w:vanish/>"))))


def test_headers_and_footers_are_running_headers_that_can_name_the_document():
    def headers(document):
        section = document.sections[0]
        section.header.paragraphs[0].text = "Lanzarote Committee – 2nd monitoring round – Factsheet Norway"
        section.footer.paragraphs[0].text = "7"  # a page number is not a running header

    src = read(docx_bytes(para(run("I. Introduction"), style="Heading1")
                          + para(run("The Committee observes that Norway has a Barnahus model.")), build=headers))
    assert src.running_headers == ["Lanzarote Committee – 2nd monitoring round – Factsheet Norway"]
    assert "Factsheet Norway" not in " ".join(texts(src))  # furniture, not text
    doc = parse_source(src)
    assert (doc.doc_type, doc.country, doc.round) == ("factsheet", "Norway", "2")
