"""The reader registry: one entry per file format, from which every list of accepted files is derived."""

from __future__ import annotations

import pytest

import lanzasearch
from conftest import CORPUS, FIXTURES, NORWAY_PDF
from lanzasearch.parsing import READERS, SUPPORTED_SUFFIXES, read_file, read_source, reader_for
from lanzasearch.parsing.readers import formats_label

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_supported_suffixes_are_the_registrys_and_each_names_one_reader():
    assert SUPPORTED_SUFFIXES == tuple(suffix for reader in READERS for suffix in reader.suffixes)
    assert len(set(SUPPORTED_SUFFIXES)) == len(SUPPORTED_SUFFIXES)
    assert all(suffix == suffix.lower() and suffix.startswith(".") for suffix in SUPPORTED_SUFFIXES)
    assert lanzasearch.READERS is READERS


@pytest.mark.parametrize(
    ("name", "format", "media_type"),
    [
        ("factsheet-norway.pdf", "pdf", "application/pdf"),
        ("Factsheet Norway.PDF", "pdf", "application/pdf"),
        ("factsheet-norway-word.docx", "docx", DOCX_MEDIA_TYPE),
        ("notes.md", "markdown", "text/plain; charset=utf-8"),
        ("notes.markdown", "markdown", "text/plain; charset=utf-8"),
        ("notes.txt", "text", "text/plain; charset=utf-8"),
    ],
)
def test_a_files_name_finds_its_reader_with_the_formats_media_type(name, format, media_type):
    reader = reader_for(name)
    assert (reader.format, reader.media_type) == (format, media_type)


def test_names_the_archive_does_not_read_find_no_reader():
    assert reader_for("minutes.doc") is None and reader_for("table.xlsx") is None and reader_for("README") is None


def test_the_formats_are_named_for_people_with_their_suffixes():
    label = formats_label()
    assert label == "PDF (.pdf), Word (.docx), Markdown (.md, .markdown) or text (.txt)"
    assert all(suffix in label for suffix in SUPPORTED_SUFFIXES)


@pytest.mark.parametrize(
    ("path", "format", "paged"),
    [(NORWAY_PDF, "pdf", True), (FIXTURES / "factsheet-norway-word.docx", "docx", False),
     (FIXTURES / "factsheet-norway.md", "markdown", False), (CORPUS / "lanzarote-convention.md", "markdown", False)],
)
def test_each_file_is_read_by_the_reader_its_name_and_bytes_call_for(path, format, paged):
    data, sha = read_file(path)
    src = read_source(path, data, sha)
    assert src.format == format and reader_for(path).paged is paged
    assert (src.page_count is not None) is paged


def test_a_pdf_under_another_name_is_still_read_as_a_pdf(tmp_path):
    renamed = tmp_path / "factsheet.txt"
    renamed.write_bytes(NORWAY_PDF.read_bytes())
    data, sha = read_file(renamed)
    assert read_source(renamed, data, sha).format == "pdf"
