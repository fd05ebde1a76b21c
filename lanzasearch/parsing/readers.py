"""The reader registry: every file format the archive reads, with its suffixes, display name and media type.

``SUPPORTED_SUFFIXES``, the CLI's help, the upload form's accepted types and
its refusals, and the media type a kept source is served with
(``/source/<doc_id>``) all come from ``READERS``. A new format is a reader
module (bytes → ``SourceText``) and one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import PurePath
from typing import Callable

from .source import SourceText

PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WINDOW = 1024  # PDF readers accept the header anywhere in the first KB
ZIP_MAGIC = b"PK\x03\x04"  # also .docx (read as Word when so named), .xlsx, .epub
FALLBACK_MEDIA_TYPE = "application/octet-stream"


def _is_pdf(data: bytes) -> bool:
    """A PDF header within the first KB, as PDF readers allow; a ZIP that stores a PDF uncompressed is not one."""
    return not data.startswith(ZIP_MAGIC) and PDF_MAGIC in data[:PDF_MAGIC_WINDOW]


def _is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


@dataclass(frozen=True)
class Reader:
    """One file format: how people call it, which names and bytes it takes, and the function that reads it."""

    format: str  # SourceText.format: "pdf"
    name: str  # shown to people: "PDF", "Word"
    suffixes: tuple[str, ...]  # lowercase, with the dot: (".pdf",)
    media_type: str  # how a kept source file is served
    # "module:function" of the reader, relative to this package, imported on first use so that
    # pypdf and python-docx are only loaded when a file of theirs is met.
    function: str
    paged: bool = False  # the format has pages (its reader takes max_pages; blocks know their pages)
    # Whether bytes are of this format; None for text, which any bytes may be (the reader decides).
    signature: Callable[[bytes], bool] | None = None
    misnamed: str = ""  # the refusal when a file has this format's name but not its bytes

    @property
    def label(self) -> str:
        """ "Markdown (.md, .markdown)" """
        return f"{self.name} ({', '.join(self.suffixes)})"

    def read(self, path: str, data: bytes, sha256: str, max_pages: int | None = None) -> SourceText:
        """The file's ``SourceText``; raises ``SourceError`` when the reader cannot read it."""
        module, function = self.function.split(":")
        read = getattr(import_module(module, __package__), function)
        return read(path, data, sha256, max_pages=max_pages) if self.paged else read(path, data, sha256)


READERS: tuple[Reader, ...] = (
    Reader("pdf", "PDF", (".pdf",), "application/pdf", ".pdf:read_pdf", paged=True, signature=_is_pdf,
           misnamed="is named .pdf but is not a PDF (no %PDF- header): re-download or re-export it"),
    Reader("docx", "Word", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           ".docx:read_docx", signature=_is_zip,
           misnamed="is named .docx but is not a Word document (not a ZIP package): save it again from Word"),
    # Markdown and text are served as plain text, so a browser shows them instead of downloading them.
    Reader("markdown", "Markdown", (".md", ".markdown"), "text/plain; charset=utf-8", ".markdown:read_markdown"),
    Reader("text", "text", (".txt",), "text/plain; charset=utf-8", ".markdown:read_markdown"),
)

SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(suffix for reader in READERS for suffix in reader.suffixes)
PDF_READER = next(reader for reader in READERS if reader.format == "pdf")


def reader_for(name: str | PurePath) -> Reader | None:
    """The reader a file's name asks for, by its suffix; None when the archive reads no such files."""
    suffix = PurePath(str(name)).suffix.lower()
    return next((reader for reader in READERS if suffix in reader.suffixes), None)


def media_type(name: str | PurePath) -> str:
    """The media type a file of this name is served with: its reader's, else a plain download."""
    reader = reader_for(name)
    return reader.media_type if reader else FALLBACK_MEDIA_TYPE


def formats_label() -> str:
    """Every format by name and suffixes: "PDF (.pdf), Word (.docx), Markdown (.md, .markdown) or text (.txt)"."""
    labels = [reader.label for reader in READERS]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
