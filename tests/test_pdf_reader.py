"""The PDF reader: the Norway factsheet read into clean paragraphs and footnotes, and bad files refused."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from lanzasearch.parsing.pdf import read_pdf
from lanzasearch.parsing.source import SourceError, SourceText

NORWAY_PDF = Path(__file__).resolve().parent.parent / "corpus" / "factsheet-norway.pdf"
RUNNING_HEADER = "Lanzarote Committee – 2nd monitoring round – Factsheet Norway"
MARKER = re.compile(r"\[\^(\d+)\]")


@pytest.fixture(scope="module")
def norway_bytes() -> bytes:
    return NORWAY_PDF.read_bytes()


@pytest.fixture(scope="module")
def norway(norway_bytes) -> SourceText:
    return read_pdf(str(NORWAY_PDF), norway_bytes, hashlib.sha256(norway_bytes).hexdigest())


def texts(source: SourceText) -> list[str]:
    return [paragraph.text for paragraph in source.paragraphs]


def paragraph_starting(source: SourceText, start: str):
    return next(p for p in source.paragraphs if p.text.startswith(start))


def encrypted_copy(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def refusal(data: bytes, **options) -> str:
    with pytest.raises(SourceError) as caught:
        read_pdf("uploads/some-file.pdf", data, "0" * 64, **options)
    message = str(caught.value)
    assert "some-file" not in message, "the caller names the file, the message must not"
    assert "\n" not in message
    return message


# --- the document as a whole ------------------------------------------------------------------


def test_source_describes_the_file(norway, norway_bytes):
    assert norway.format == "pdf"
    assert norway.path == str(NORWAY_PDF)
    assert norway.sha256 == hashlib.sha256(norway_bytes).hexdigest()
    assert norway.page_count == 22


def test_title_page_and_table_of_contents_stay(norway):
    first = norway.paragraphs[:10]
    assert any(p.text == "FACTSHEET – NORWAY" and p.heading_level for p in first)
    assert any(p.text.startswith("I. Introduction ..... 3") for p in first)


def test_pages_are_set_and_never_go_back(norway):
    pages = [p.page for p in norway.paragraphs]
    assert all(isinstance(page, int) and 1 <= page <= 22 for page in pages)
    assert pages == sorted(pages)
    assert pages[0] == 1 and pages[-1] == 22


# --- furniture --------------------------------------------------------------------------------


def test_running_headers_and_page_numbers_are_gone(norway):
    for text in texts(norway):
        assert RUNNING_HEADER not in text
        assert not re.fullmatch(r"\d{1,3}", text), f"bare page number left as a paragraph: {text!r}"


def test_footnote_bodies_never_become_paragraphs(norway):
    for text in texts(norway):
        assert not re.match(r"\d{1,3}\. (Para|Recommendation)", text), text


def test_bullet_glyphs_are_removed_from_list_items(norway):
    items = [p for p in norway.paragraphs if p.list_level]
    assert len(items) > 60
    assert all(p.list_level == 1 for p in items), "the Norway PDF draws every bullet at one indentation"
    assert not any(p.text[0] in "•\uf0b7▪◦-" for p in items)
    assert paragraph_starting(norway, "In this situation, the Committee requests").list_level == 1


# --- footnotes --------------------------------------------------------------------------------


def test_footnote_calls_are_markers_counting_up_to_the_last_footnote(norway):
    calls = [int(n) for text in texts(norway) for n in MARKER.findall(text)]
    assert len(norway.footnotes) == 109
    assert calls == list(range(1, 110))


def test_footnote_call_is_glued_to_the_word_it_follows(norway):
    text = paragraph_starting(norway, "The Committee observes that the PROMISE Barnahus").text
    assert "Barnahus Network,[^42] WeProtect Global Alliance,[^43] ECPAT[^44] and EMPACT" in text
    assert paragraph_starting(norway, "The Committee observes that the legal framework of Norway").text.endswith(
        "child self-generated sexual material.[^1]"
    )


def test_footnote_bodies_are_numbered_with_their_page(norway):
    note = norway.footnotes[3]
    assert (note.number, note.text, note.page) == (3, "Recommendation II-6.", 3)
    assert norway.footnotes[109].text == "Recommendation XI-4."
    assert all(number == note.number for number, note in norway.footnotes.items())


def test_footnote_bodies_over_several_lines_are_joined_with_urls_intact(norway):
    assert norway.footnotes[47].text.endswith("New Zealand, Singapore and the United States.")
    assert norway.footnotes[40].text.endswith(
        "https://static1.squarespace.com/static/55e5a4aae4b0a8e8abf5dcac/t/6062d3248f03b063e7d4b72a/"
        "1617089319499/ECPAT+Norway+Report+Online+and+media+facilitated+child+sexual+abuse+19+March+2021.pdf"
    )
    assert norway.footnotes[100].text.endswith("Nettutg-NOVA-Rapport-Nettovergrep-10-2018.pdf")
    assert norway.footnotes[42].text == "https://www.barnahus.eu/en/"


def test_real_numbers_are_not_taken_for_footnote_calls(norway):
    body = " ".join(texts(norway))
    for phrase in ("Penal Code section 311", "NOK 30 million", "2nd monitoring round", "At its 41st meeting"):
        assert phrase in body
    assert "section 311[^" not in body


# --- line joining -----------------------------------------------------------------------------


def test_compounds_split_at_a_line_end_keep_their_hyphen(norway):
    body = " ".join(texts(norway))
    compounds = ("non-visual self-generated", "ICT-facilitated child", "law-enforcement", "non-profit", "pre-approved")
    for compound in compounds:
        assert compound in body
    assert not re.search(r"\w- \w", body.replace("educations - nursing", "")), "a line-end hyphen left a space"


def test_line_broken_after_a_slash_joins_without_space(norway):
    assert "and/ or" not in " ".join(texts(norway))


def test_paragraphs_are_not_joined_across_pages(norway):
    cut = paragraph_starting(norway, "the distribution or transmission by children")
    rest = norway.paragraphs[norway.paragraphs.index(cut) + 1]
    assert cut.text.endswith("when such images and/or") and cut.page == 3
    assert rest.text.startswith("videos qualify as") and rest.page == 4


# --- headings and boxes -----------------------------------------------------------------------


def test_headings_are_told_by_size_and_weight(norway):
    assert paragraph_starting(norway, "II. Legal frameworks").heading_level == 1
    assert paragraph_starting(norway, "What constitutes “child pornography”").heading_level == 2
    boxes = [p for p in norway.paragraphs if p.text in ("Follow-up actions:", "Promising practices:")]
    assert len(boxes) == 19
    assert all(p.heading_level > 2 for p in boxes)
    assert paragraph_starting(norway, "One of the main functions").heading_level == 0


def box_contents(source: SourceText, title: str) -> list:
    """The paragraphs under each box title, up to the next heading."""
    contents, inside = [], False
    for paragraph in source.paragraphs:
        if paragraph.heading_level:
            inside = paragraph.text == title
        elif inside:
            contents.append(paragraph)
    return contents


def test_follow_up_actions_are_in_orange_boxes(norway):
    titles = [p for p in norway.paragraphs if p.text == "Follow-up actions:"]
    assert titles and all(p.box == "orange" for p in titles)
    contents = box_contents(norway, "Follow-up actions:")
    orange = [p for p in contents if p.box == "orange"]
    assert len(orange) >= 11
    assert paragraph_starting(norway, "In 2024 the Government allocated NOK 30 million").box == "orange"


def test_promising_practices_are_in_blue_boxes(norway):
    titles = [p for p in norway.paragraphs if p.text == "Promising practices:"]
    assert titles and all(p.box == "blue" for p in titles)
    assert all(p.box == "blue" for p in box_contents(norway, "Promising practices:")[:5])
    assert paragraph_starting(norway, "EU Kids Online is a multinational research network").box == "blue"


def test_text_outside_boxes_has_no_box(norway):
    for start in ("One of the main functions", "The Committee invites all Parties", "Therefore, the Committee"):
        assert paragraph_starting(norway, start).box is None
    assert paragraph_starting(norway, "the distribution or transmission by children").box is None


# --- the same rules on a hand-made layout -------------------------------------------------------


def helvetica(name: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(name),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def pdf_from_content(streams: list[bytes]) -> bytes:
    """A PDF with one A4 page per content stream; fonts /R (Helvetica) and /B (Helvetica-Bold)."""
    writer = PdfWriter()
    fonts = DictionaryObject({NameObject("/R"): helvetica("/Helvetica"), NameObject("/B"): helvetica("/Helvetica-Bold")})
    for content in streams:
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        stream = DecodedStreamObject()
        stream.set_data(content)
        page.replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def show(x: float, y: float, text: str, size: float = 10, font: str = "R") -> bytes:
    return f"BT /{font} {size} Tf {x} {y} Td ({text}) Tj ET\n".encode("latin-1")


def handmade_page(number: int) -> bytes:
    """A report page: running header and footer, an exponent, a footnote call, boxes, a nested list."""
    content = show(72, 810, "Annual report 2024", 8) + show(280, 30, f"Page {number} of 3", 8)
    content += show(72, 760, f"Chapter {number}", 14, "B")
    content += show(72, 716, "checked by the inspector") + show(190, 720, str(number), 6) + show(196, 716, " last year.")
    if number == 1:  # an exponent that looks like the call of footnote 2, and hyphens at line ends
        content += show(90, 730, "Hall 1 measures 20 m") + show(205, 734, "2", 6) + show(211, 730, " and was")
        content += show(72, 702, "It is a well-") + show(72, 688, "known inter-") + show(72, 674, "national fair.")
    else:
        content += show(90, 730, f"Hall {number} was") + show(72, 702, "It is an international fair.")
    content += b"1 0.55 0.1 rg 60 560 400 80 re f 0 0 0 rg\n"
    content += show(72, 620, "Follow-up actions:", 10, "B") + show(72, 600, f"Done in 202{number}.")
    content += show(72, 520, "\\225 First item") + show(84, 506, "continued here.")
    content += show(90, 492, "o") + show(102, 492, "Nested item") + show(72, 478, "\\225 Second item")
    content += b"0.2 0.4 0.8 RG 60 380 400 60 re S\n" + show(72, 420, "Promising practices:", 10, "B")
    content += show(72, 80, f"{number} Footnote {number}, with a URL https://example.org/a/", 7)
    content += show(72, 72, "b/c.pdf", 7)
    return content


@pytest.fixture(scope="module")
def handmade() -> SourceText:
    return read_pdf("report.pdf", pdf_from_content([handmade_page(n) for n in (1, 2, 3)]), "0" * 64)


def test_handmade_running_header_and_numbered_footer_are_removed(handmade):
    assert not any("Annual report" in text or "Page " in text for text in texts(handmade))
    assert [p.text for p in handmade.paragraphs if p.heading_level == 1] == ["Chapter 1", "Chapter 2", "Chapter 3"]


def test_handmade_exponent_stays_text_and_calls_become_markers(handmade):
    first = paragraph_starting(handmade, "Hall 1").text
    assert first.startswith("Hall 1 measures 20 m2 and was checked by the inspector[^1] last year.")
    assert sorted(handmade.footnotes) == [1, 2, 3]
    assert handmade.footnotes[2].text == "Footnote 2, with a URL https://example.org/a/b/c.pdf"


def test_handmade_hyphens_are_judged_by_the_rest_of_the_document(handmade):
    assert "It is a well-known international fair." in paragraph_starting(handmade, "Hall 1").text


def test_handmade_list_nesting_and_boxes(handmade):
    page_one = [p for p in handmade.paragraphs if p.page == 1]
    items = [(p.text, p.list_level) for p in page_one if p.list_level]
    assert items == [("First item continued here.", 1), ("Nested item", 2), ("Second item", 1)]
    boxes = {p.text: p.box for p in page_one if p.box}
    assert boxes == {"Follow-up actions:": "orange", "Done in 2021.": "orange", "Promising practices:": "blue"}


# --- files that cannot be read ----------------------------------------------------------------


def test_password_protected_pdf_is_refused(norway_bytes):
    message = refusal(encrypted_copy(norway_bytes, user_password="secret"))
    assert message.startswith("is encrypted with a password")
    assert "qpdf --decrypt" in message


def test_pdf_encrypted_with_an_empty_password_reads_like_the_plain_one(norway, norway_bytes):
    unlocked = read_pdf("copy.pdf", encrypted_copy(norway_bytes, user_password=""), "0" * 64)
    assert texts(unlocked) == texts(norway)
    assert unlocked.footnotes == norway.footnotes


def test_pdf_without_text_layer_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    message = refusal(out.getvalue())
    assert message.startswith("has no text layer")
    assert "ocrmypdf" in message


def test_truncated_pdf_is_refused(norway_bytes):
    message = refusal(norway_bytes[: len(norway_bytes) // 2])
    assert message.startswith("is not a readable PDF (")
    assert message.endswith("re-download or re-export the file")


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("factsheet.txt", "not a pdf")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [b"<!DOCTYPE html><html><body>Factsheet</body></html>", zip_archive(), b""],
    ids=["html", "zip", "empty"],
)
def test_other_files_named_pdf_are_refused(data):
    assert refusal(data).startswith("is not a readable PDF (")


def test_pdf_over_the_page_limit_is_refused(norway_bytes):
    message = refusal(norway_bytes, max_pages=5)
    assert "22 pages" in message and "limit of 5" in message


def test_pdf_within_the_page_limit_is_read(norway, norway_bytes):
    assert read_pdf("same.pdf", norway_bytes, "0" * 64, max_pages=22).page_count == norway.page_count
