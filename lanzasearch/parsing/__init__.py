"""Files into structured documents: ``parse_file(path) -> Document``.

Readers (pdf/, docx.py, markdown.py; listed in readers.py's registry) turn bytes
into a ``SourceText``; structure parsers (factsheet.py, convention.py, generic.py) turn a ``SourceText`` into a
``Document`` with ordered ``Block``s. Parsing never touches the index.

Staff can correct what the parsers detect: ``country=`` and ``round=`` (on
``parse_file``, ``parse_bytes`` and ``parse_source``) set the Party and the
monitoring round of a factsheet, or of any other document, whatever its title
page says. The country is canonicalised through the Parties list ("Turkey" →
"Türkiye"); the round may be written "2", "2nd", "second" or "Round 2". A
malformed value raises ``IdentityError`` (a ``LanzasearchError``) before the file is
read.

The file's real type is told from its bytes, not trusted from its name: a
ZIP or a saved web page renamed ``.pdf`` is refused with a message saying
what it is and what to do.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from ..lang import detect_language
from ..model import Document
from .convention import is_convention, parse_convention
from .factsheet import is_factsheet, parse_factsheet
from .generic import parse_generic
from .identity import Identity, IdentityError, identity_override, identity_warnings
from .readers import PDF_MAGIC, PDF_READER, READERS, SUPPORTED_SUFFIXES, ZIP_MAGIC, Reader, reader_for
from .source import SourceError, SourceText

__all__ = [
    "READERS",
    "SUPPORTED_SUFFIXES",
    "Reader",
    "IdentityError",
    "SourceError",
    "identity_override",
    "parse_bytes",
    "parse_file",
    "parse_source",
    "read_file",
    "read_source",
    "reader_for",
]

LEGACY_WORD_SUFFIXES = (".doc", ".docx")  # names an old Word file (or a password-protected .docx) may carry
ZIP_SUFFIX = ".zip"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, and any password-protected Office file
HTML_WINDOW = 512


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; a file that vanished since it was listed is a SourceError, not a crash."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no longer exists: it was moved or deleted before it could be read") from None


def _size_label(size: int) -> str:
    """Bytes in the unit a person would say: "3.2 MB", "512 KB", "900 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def _looks_like_html(data: bytes) -> bool:
    """A saved web page: markup first, and an <html> element or doctype near the start."""
    head = data[:HTML_WINDOW].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (b"<html" in head or b"<!doctype html" in head)


def read_source(path: str | Path, data: bytes, sha256: str, *, max_pages: int | None = None) -> SourceText:
    """Dispatch ``data`` to the reader its content calls for; refuse what is not a document.

    Raises SourceError for ZIP archives, HTML pages, unsupported file types,
    files named ``.pdf`` that are not PDFs and files named ``.docx`` that are
    not Word documents (a password-protected one, a renamed ``.doc``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    named = reader_for(path)  # the reader the file's name asks for
    if named is not None and named.signature is not None and named.signature(data):
        return named.read(str(path), data, sha256, max_pages)  # a PDF named .pdf, a Word package named .docx
    if data.startswith(OLE_MAGIC) and suffix in LEGACY_WORD_SUFFIXES:
        from .docx_package import ole_refusal

        raise ole_refusal(data)
    # A ZIP before the PDF test: one that stores a PDF uncompressed shows "%PDF-" in its first KB.
    if data.startswith(ZIP_MAGIC) and (named is not None or suffix == ZIP_SUFFIX):
        raise SourceError("is a ZIP archive, not a PDF: unpack it and ingest the files inside")
    if data.startswith(PDF_MAGIC):
        return PDF_READER.read(str(path), data, sha256, max_pages)  # a PDF under another name
    if _looks_like_html(data):
        raise SourceError("is an HTML page, not a PDF: save the document itself (PDF or text)")
    if named is None:
        shown = suffix or "(no extension)"
        raise SourceError(f"unsupported file type '{shown}': convert it to PDF or Markdown")
    if named.signature is not None:
        raise SourceError(named.misnamed)
    return named.read(str(path), data, sha256, max_pages)


def parse_source(src: SourceText, *, country: str | None = None, round: str | int | None = None) -> Document:
    """The structure parser the text calls for: factsheet, Convention, or generic document.

    ``country`` and ``round`` override the detected Party and round (see the
    module docstring). The Convention belongs to no Party: overriding its
    identity raises ``IdentityError``.
    """
    return _parse(src, identity_override(country, round))


def _parse(src: SourceText, identity: Identity) -> Document:
    """``parse_source`` with the overrides already checked; the language profile told from the opening pages.

    The overrides are recorded on the document, so that a rebuild reading its kept source applies them again.
    """
    profile = detect_language(src.opening())
    if is_factsheet(src, profile):
        return replace(parse_factsheet(src, identity, profile), overrides=identity.as_dict())
    if is_convention(src):
        if identity:
            raise IdentityError(
                "the Lanzarote Convention belongs to no Party or round: ingest it without a country or round"
            )
        return parse_convention(src, profile)
    document = parse_generic(src, profile)
    if not identity:
        return document
    country, round = identity.country or document.country, identity.round or document.round
    warnings = identity_warnings(country, round, needs_round=False)
    report = replace(document.report, warnings=[*warnings, *document.report.warnings])
    return replace(document, country=country, round=round, warnings=warnings, report=report,
                   overrides=identity.as_dict())


def read_file(path: str | Path, *, max_bytes: int | None = None) -> tuple[bytes, str]:
    """The file's bytes and their SHA-256, read once.

    The size limit is checked on the file's size before anything is read, so a
    huge file costs no memory. Raises SourceError (naming no file) when the
    file has vanished, is empty or exceeds ``max_bytes``.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SourceError("no longer exists: it was moved or deleted before it could be read") from None
    if max_bytes is not None and size > max_bytes:
        raise SourceError(
            f"is too large ({_size_label(size)}, the limit is {_size_label(max_bytes)}): "
            "split it or raise the size limit, then ingest again"
        )
    data = _read_bytes(path)
    if not data:
        raise SourceError("is empty (0 bytes): the download or export failed; get the file again")
    if max_bytes is not None and len(data) > max_bytes:  # it grew while we looked
        raise SourceError(f"changed size while being read (now {_size_label(len(data))}): ingest it again")
    return data, hashlib.sha256(data).hexdigest()


def parse_bytes(
    path: str | Path,
    data: bytes,
    sha256: str,
    *,
    max_pages: int | None = None,
    country: str | None = None,
    round: str | int | None = None,
) -> Document:
    """Structure bytes already read by ``read_file``: the document records exactly these bytes' hash.

    ``country`` and ``round`` override the detected identity; they are checked before the bytes are parsed.
    """
    identity = identity_override(country, round)
    return _parse(read_source(Path(path), data, sha256, max_pages=max_pages), identity)


def parse_file(
    path: str | Path,
    *,
    max_bytes: int | None = None,
    max_pages: int | None = None,
    country: str | None = None,
    round: str | int | None = None,
) -> Document:
    """Read, detect, and structure one file.

    Raises SourceError, with a message that names no file (the caller prefixes
    it), when the file has vanished, is empty, exceeds ``max_bytes`` or
    ``max_pages``, or is not a readable PDF, Word, Markdown or text document.
    ``country`` and ``round`` override the detected identity; a malformed one
    raises ``IdentityError`` before the file is read.
    """
    identity_override(country, round)
    data, sha256 = read_file(path, max_bytes=max_bytes)
    return parse_bytes(path, data, sha256, max_pages=max_pages, country=country, round=round)
