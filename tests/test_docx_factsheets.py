"""Factsheets as .docx files: a layout unlike the Norway file's, and .docx files through the archive.

The Testland factsheet (tests/fixtures/factsheet-testland.md) is laid out here
the way another secretariat might: Georgia 12 pt, a two-column title table,
the title in Word's Title style, section headings in a house style based on
Heading 1 and numbered by Word (I., II., … with "set numbering value" for
VIII and X), bullets from the "List Bullet" styles, real footnotes, and the
boxes as one-cell tables shaded in other tints of orange and blue than the
Norway file's. The parser must find the same structure as in the Markdown.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx.shared import Pt

from conftest import FIXTURES
from docx_builder import call, docx_bytes, para, run, shading, table
from lanzasearch import Archive
from lanzasearch.model import BlockKind, Document
from lanzasearch.parsing import parse_file

NORWAY_DOCX = FIXTURES / "factsheet-norway-word.docx"
RECOMMENDATION_KINDS = {BlockKind.RECOMMENDATION, BlockKind.GENERIC_RECOMMENDATION}

STYLES = (
    '<w:style w:type="paragraph" w:styleId="FSSection"><w:name w:val="FS Section"/><w:basedOn w:val="Heading1"/>'
    '<w:pPr><w:numPr><w:numId w:val="90"/></w:numPr></w:pPr>'
    '<w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/><w:sz w:val="28"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="FSSub"><w:name w:val="FS Sub"/><w:basedOn w:val="Heading3"/>'
    '<w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/><w:i/></w:rPr></w:style>'
)
# Section numbers drawn by Word: one list, and two restarts where the factsheet skips sections.
NUMBERING = (
    '<w:abstractNum w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
    '<w:lvlText w:val="%1."/><w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl></w:abstractNum>'
    '<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>'
    '<w:num w:numId="98"><w:abstractNumId w:val="90"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="8"/>'
    "</w:lvlOverride></w:num>"
    '<w:num w:numId="910"><w:abstractNumId w:val="90"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/>'
    "</w:lvlOverride></w:num>"
)
FOOTNOTES = {
    11: "Para. 71.", 12: "Recommendation II-6.", 13: "Recommendation II-1.", 14: "Recommendation II-10.",
    15: "Para. 135.", 16: "Recommendation III-30.", 17: "Para. 365.", 18: "Recommendation VIII-5.",
    19: "Para. 428.", 20: "Recommendation X-5.",
}
ORANGE, BLUE = "F8CBAD", "BDD7EE"  # other tints than the Norway file's FDE9D9 and DBE5F1


def section(title: str, num_id: int = 90) -> str:
    numbered = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
    return para(title, style="FSSection", properties=numbered)


def bullet(*content: str, level: int = 1) -> str:
    return para(*content, style="ListBullet" if level == 1 else "ListBullet2")


def box(fill: str, title: str, *paragraphs: str) -> str:
    """A box as a one-cell table: its title in bold, then its paragraphs."""
    return table([[para(run(title, "<w:b/>")) + "".join(paragraphs)]], cell_properties=shading(fill))


def body_of_testland() -> str:
    return "".join([
        table([["COUNCIL OF EUROPE", "CONSEIL DE L'EUROPE"]]),
        para("FACTSHEET – TESTLAND (fictional test document)", style="Title"),
        para("Lanzarote Committee Implementation Report on:", style="Subtitle"),
        para("“The protection of children against sexual exploitation and sexual abuse facilitated by information "
             "and communication technologies (ICTs): addressing the challenges raised by child self-generated sexual "
             "images and/or videos (CSGSIV)”"),
        para("This factsheet was prepared by the Secretariat in June 2023."),
        para("It has been updated with information submitted by the Government of Testland in January 2025 "
             "displayed in orange and blue text boxes."),
        para("Table of Content", style="TOCHeading"),
        para("I.", "<w:r><w:tab/></w:r>", "Introduction", "<w:r><w:tab/></w:r>", "2"),
        para("II.", "<w:r><w:tab/></w:r>", "Legal frameworks", "<w:r><w:tab/></w:r>", "2"),
        section("Introduction"),
        para("This fictional factsheet imitates the layout of the factsheets of the 2", run("nd", '<w:vertAlign '
             'w:val="superscript"/>'), " monitoring round of the Lanzarote Committee so that the archive can be "
             "tested with more than one country."),
        section("Legal frameworks"),
        para("Observations and recommendations of the Committee on the legal framework specific to Testland",
             style="FSSub"),
        para("The Committee observes that in Testland the age of criminal responsibility is 14 and that the Criminal "
             "Code of Testland does not expressly exempt children who possess their own self-generated images.",
             call(11)),
        bullet("In this situation, the Committee requests that Testland ensures that a child will not be prosecuted "
               "when he/she possesses:"),
        bullet("their own self-generated sexually suggestive or explicit images and/or videos;", level=2),
        bullet("self-generated sexually suggestive or explicit images and/or videos of another child with the "
               "informed consent of the child depicted on them.", call(12), level=2),
        box(ORANGE, "Follow-up actions:",
            para("In 2024 the Parliament of Testland amended section 204 of the Criminal Code (fictional)."),
            para("The Ministry of Justice of Testland issued guidance to prosecutors on the amended section in "
                 "September 2024.")),
        para("Generic recommendations of the Committee on the legal frameworks", style="FSSub"),
        para("The Committee invites all Parties, including Testland:"),
        bullet("to rather use the term “child sexual abuse material” (CSAM) for material depicting acts of sexual "
               "abuse of children.", call(13)),
        bullet("to consider criminalising the offence of “grooming” (solicitation of children for sexual purposes), "
               "even when it does not lead to a face-to-face meeting.", call(14)),
        box(BLUE, "Promising practices:"),
        section("Investigations and prosecution"),
        para("The Committee observes that Testland has a specialised cybercrime unit in its national police, but "
             "that it has no specialised unit for ICT-facilitated sexual offences committed against children.",
             call(15)),
        para("On measures to ensure the effective investigation and prosecution of offenders", style="FSSub"),
        bullet("The Committee requires all Parties to ensure that investigations and criminal proceedings in ICT "
               "facilitated sexual offences against children are treated as priority and carried out without any "
               "unjustified delay.", call(16)),
        box(ORANGE, "Follow-up actions:",
            para("The Prosecutor General of Testland issued a circular in March 2024 (fictional) requiring prosecutors "
                 "to report every case pending for more than a year to the Prosecutor General.")),
        section("Promoting awareness of the risks of sexual exploitation and sexual abuse faced by children", 98),
        para("The Committee observes that in Testland awareness-raising is mostly carried out by the police in "
             "secondary schools.", call(17)),
        para("The Committee invites all Parties, including Testland:"),
        bullet("to ensure that awareness-raising for children regarding the risks that they face is led first and "
               "foremost by their peers.", call(18)),
        box(BLUE, "Promising practices:",
            bullet("The “Peer Guides” programme of Testland (fictional) trains volunteer pupils aged 15 to 17 to lead "
                   "classroom sessions on the sharing of nude images with younger pupils.")),
        section("Higher education curriculum and continuous training", 910),
        para("The Committee observes that in Testland only teachers receive training on how to identify situations "
             "where a child is a victim of sexual exploitation or sexual abuse.", call(19)),
        para("Therefore, the Committee requires Testland:"),
        bullet("to ensure that the persons who have regular contact with children in the health sector are equipped "
               "to identify any situation of sexual exploitation and sexual abuse of children.", call(20)),
        box(ORANGE, "Follow-up actions:"),
        box(BLUE, "Promising practices:"),
    ])


def house_fonts(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Georgia", Pt(12)


@pytest.fixture(scope="module")
def testland_docx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("testland") / "factsheet-testland.docx"
    path.write_bytes(docx_bytes(body_of_testland(), footnotes=FOOTNOTES, styles=STYLES, numbering=NUMBERING,
                                build=house_fonts))
    return path


def rec(doc: Document, rec_id: str):
    [found] = [b for b in doc.blocks if b.kind in RECOMMENDATION_KINDS and rec_id in b.rec_ids]
    return found


def follow_ups(doc: Document, rec_id: str):
    return [b for b in doc.blocks if b.kind is BlockKind.FOLLOW_UP and rec_id in b.rec_ids]


def test_testland_in_another_word_layout_has_the_structure_of_its_markdown(testland_docx):
    doc = parse_file(testland_docx)
    assert (doc.doc_type, doc.country, doc.round, doc.prepared, doc.updated, doc.page_count) == (
        "factsheet", "Testland", "2", "June 2023", "January 2025", None)
    sections = list(dict.fromkeys((b.section, b.section_title) for b in doc.blocks))
    assert [s for s, _ in sections] == ["I", "II", "III", "VIII", "X"]
    assert dict(sections)["X"] == "Higher education curriculum and continuous training"
    ids = {r for b in doc.blocks if b.kind in RECOMMENDATION_KINDS for r in b.rec_ids}
    assert ids == {"II-1", "II-6", "II-10", "III-30", "VIII-5", "X-5"}
    ii_6 = rec(doc, "II-6")
    assert ii_6.strength == "request" and ii_6.para_refs == []
    assert "- their own self-generated sexually suggestive" in ii_6.text  # the List Bullet 2 items stay with it
    (criminal_code,) = follow_ups(doc, "II-6")
    assert "amended section 204 of the Criminal Code" in criminal_code.text
    (circular,) = follow_ups(doc, "III-30")
    assert circular.text.endswith("report every case pending for more than a year to the Prosecutor General.")
    assert rec(doc, "III-30").strength == "require"
    assert rec(doc, "VIII-5").kind is BlockKind.GENERIC_RECOMMENDATION
    assert follow_ups(doc, "X-5") == []  # an empty box
    (peers,) = [b for b in doc.blocks if b.kind is BlockKind.PROMISING_PRACTICE]
    assert "Peer Guides" in peers.text and peers.section == "VIII"
    (observation,) = [b for b in doc.blocks if "age of criminal responsibility is 14" in b.text]
    assert observation.para_refs == ["71"]
    text = "\n".join(b.text for b in doc.blocks)
    assert "CONSEIL DE L'EUROPE" not in text and "Table of Content" not in text and "2nd monitoring round" in text


# --- through the archive ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_archive(tmp_path_factory, embedder, testland_docx) -> Path:
    """An archive ingested from a folder holding only .docx files."""
    folder = tmp_path_factory.mktemp("word-files")
    shutil.copy(NORWAY_DOCX, folder / NORWAY_DOCX.name)
    shutil.copy(testland_docx, folder / testland_docx.name)
    path = folder.parent / "word-index"
    with Archive.open(path, create=True, embedder=embedder) as archive:
        report = archive.ingest([folder])
        assert report.ok, report.failed
        assert sorted(f.status for f in report.files) == ["added", "added"]
    return path


def test_a_folder_of_docx_files_is_ingested_and_searchable(docx_archive, embedder):
    with Archive.open(docx_archive, embedder=embedder) as archive:
        docs = {d.doc_id: d for d in archive.documents()}
        assert set(docs) == {"factsheet-norway-r2", "factsheet-testland-r2"}
        assert docs["factsheet-norway-r2"].page_count is None
        [hit] = archive.search("Attorney General annual guidelines on priorities", k=1, countries="Norway")
        assert "annual guidelines" in hit.text and hit.page is None
        kept = archive.source_path("factsheet-norway-r2")
        assert kept is not None and kept.suffix == ".docx"


def test_recommendations_and_compare_read_the_docx_structure(docx_archive, embedder):
    with Archive.open(docx_archive, embedder=embedder) as archive:
        norway = {r.rec_id: r for r in archive.recommendations(country="Norway")}
        assert len(norway) == 72
        assert norway["II-6"].strength == "request"
        [section_311] = norway["II-6"].follow_ups
        assert "Penal Code section 311" in section_311.text and section_311.page is None
        assert norway["VIII-5"].follow_ups == []
        comparison = archive.compare("II-6")
        assert set(comparison) == {"Norway", "Testland"}
        for country, hits in comparison.items():
            assert any(h.kind == "recommendation" for h in hits), country
            assert any(h.kind == "follow_up" for h in hits), country
