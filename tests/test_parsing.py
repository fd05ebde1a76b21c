"""parse_file: one read, content-based type detection, dispatch, and errors that say what to do."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from lanzasearch.model import BlockKind
from lanzasearch.parsing import SUPPORTED_SUFFIXES, SourceError, parse_file

ROOT = Path(__file__).resolve().parent.parent
NORWAY_MD = ROOT / "tests" / "fixtures" / "factsheet-norway.md"
NORWAY_PDF = ROOT / "corpus" / "factsheet-norway.pdf"
CONVENTION = ROOT / "corpus" / "lanzarote-convention.md"


def minimal_pdf(lines: list[tuple[int, int, str]]) -> bytes:
    """A one-page PDF drawing each (font size, baseline y, text) in Helvetica: enough for the PDF reader."""
    content = "BT\n" + "".join(f"/F1 {size} Tf 1 0 0 1 72 {y} Tm ({text}) Tj\n" for size, y, text in lines) + "ET\n"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}endstream",
    ]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def error_of(path: Path, **limits) -> str:
    with pytest.raises(SourceError) as error:
        parse_file(path, **limits)
    message = str(error.value)
    assert path.name not in message  # the caller names the file; the message says what and what to do
    return message


def test_supported_suffixes():
    assert set(SUPPORTED_SUFFIXES) == {".pdf", ".docx", ".md", ".markdown", ".txt"}


# --- dispatch ---------------------------------------------------------------------------


def test_a_factsheet_in_markdown(tmp_path):
    doc = parse_file(NORWAY_MD)
    assert (doc.doc_type, doc.country) == ("factsheet", "Norway")
    assert doc.sha256 == hashlib.sha256(NORWAY_MD.read_bytes()).hexdigest()


def test_a_factsheet_in_pdf():
    doc = parse_file(NORWAY_PDF)
    assert (doc.doc_type, doc.country, doc.page_count) == ("factsheet", "Norway", 22)
    assert doc.sha256 == hashlib.sha256(NORWAY_PDF.read_bytes()).hexdigest()


def test_a_pdf_is_recognised_by_its_bytes_not_its_name(tmp_path):
    renamed = write(tmp_path, "factsheet.txt", NORWAY_PDF.read_bytes())
    assert parse_file(renamed).country == "Norway"


def test_the_convention():
    doc = parse_file(CONVENTION)
    assert (doc.doc_type, doc.title, doc.doc_id) == ("convention", "Lanzarote Convention", "convention")


def test_any_other_text_is_a_generic_document(tmp_path):
    path = write(tmp_path, "grevio-notes.md", "# GREVIO baseline report\n\nThe report observes many things.\n")
    doc = parse_file(path)
    assert (doc.doc_type, doc.title) == ("document", "GREVIO baseline report")
    assert [b.kind for b in doc.blocks] == [BlockKind.TEXT]


def test_a_pdf_that_is_not_a_factsheet_is_a_generic_document(tmp_path):
    path = write(tmp_path, "grevio.pdf", minimal_pdf([
        (18, 760, "Baseline evaluation report"),
        (11, 730, "The expert group observes that the State has adopted a national plan."),
        (11, 716, "It welcomes the training of judges on hearing children."),
    ]))
    doc = parse_file(path)
    assert (doc.doc_type, doc.title, doc.page_count) == ("document", "Baseline evaluation report", 1)
    (block,) = doc.blocks
    assert block.kind is BlockKind.TEXT and block.pages == [1]
    assert block.text.endswith("It welcomes the training of judges on hearing children.")


def test_plain_text_files_are_read(tmp_path):
    path = write(tmp_path, "notes.txt", "Some notes about Article 34 of another treaty.\n")
    doc = parse_file(path)
    assert doc.doc_type == "document" and doc.title == "notes"
    assert doc.blocks[0].text == "Some notes about Article 34 of another treaty."


def test_a_factsheet_is_recognised_by_its_title_not_its_file_name(tmp_path):
    path = write(tmp_path, "download (3).md", NORWAY_MD.read_bytes())
    assert parse_file(path).doc_type == "factsheet"


# --- errors --------------------------------------------------------------------------------


def test_a_file_that_disappeared(tmp_path):
    assert error_of(tmp_path / "gone.pdf").startswith("no longer exists")


def test_an_empty_file(tmp_path):
    assert error_of(write(tmp_path, "empty.pdf", b"")).startswith("is empty (0 bytes): ")


def test_a_file_over_the_size_limit_names_the_limit(tmp_path):
    path = write(tmp_path, "big.md", "# Big\n\n" + "word " * 500)
    message = error_of(path, max_bytes=1024)
    assert message.startswith("is too large (")
    assert "the limit is 1 KB" in message


def test_the_size_limit_allows_files_up_to_it(tmp_path):
    path = write(tmp_path, "small.md", "# Small\n\nText.\n")
    assert parse_file(path, max_bytes=path.stat().st_size).title == "Small"


def test_a_pdf_over_the_page_limit(tmp_path):
    assert "limit of 5" in error_of(NORWAY_PDF, max_pages=5)


def test_a_zip_archive(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("factsheet.md", "# FACTSHEET – NORWAY")
    path = write(tmp_path, "factsheets.pdf", buffer.getvalue())
    assert error_of(path) == "is a ZIP archive, not a PDF: unpack it and ingest the files inside"


def test_an_html_page_saved_instead_of_the_document(tmp_path):
    path = write(tmp_path, "factsheet.pdf", "<!DOCTYPE html>\n<html><head><title>Factsheet</title></head></html>")
    assert error_of(path) == "is an HTML page, not a PDF: save the document itself (PDF or text)"


def test_an_unsupported_file_type(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path = write(tmp_path, "factsheet.xlsx", buffer.getvalue())
    assert error_of(path) == "unsupported file type '.xlsx': convert it to PDF or Markdown"


def test_a_zip_named_docx_without_a_word_document(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")  # no [Content_Types].xml: not a Word package
    path = write(tmp_path, "factsheet.docx", buffer.getvalue())
    assert error_of(path) == (
        "is a ZIP archive, not a Word document (no [Content_Types].xml): unpack it and ingest the files inside"
    )


def test_a_file_named_pdf_that_is_text(tmp_path):
    path = write(tmp_path, "factsheet.pdf", "FACTSHEET – NORWAY\n")
    assert "not a PDF" in error_of(path)


def test_a_truncated_pdf(tmp_path):
    path = write(tmp_path, "broken.pdf", NORWAY_PDF.read_bytes()[:2000])
    assert error_of(path)  # the PDF reader explains; parse_file passes it on as a SourceError


def test_latin1_markdown(tmp_path):
    path = write(tmp_path, "notes.md", "Rapport sur la Norvège".encode("cp1252"))
    assert error_of(path).startswith("is not UTF-8 text (it looks like Latin-1/Windows-1252)")


def test_markdown_with_no_text(tmp_path):
    assert error_of(write(tmp_path, "blank.md", "\n\n---\n\n")).startswith("contains no text: ")
