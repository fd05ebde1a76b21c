"""A .docx's bytes judged safe, or refused, before any library inflates or parses them.

A .docx is a ZIP of XML parts, so a file from an e-mail or a website can be a
decompression bomb or carry entity-expansion ("billion laughs") or
external-entity XML. python-docx inflates every part it finds and parses the
XML ones, so everything is checked here first, in bounded memory and time:

- the declared size of every entry, of all of them together, and their
  compression ratio, before anything is inflated (the rule of Apache POI's
  ZipSecureFile: a part that inflates more than 100-fold is a bomb);
- then every entry inflated in small chunks, at most to its declared size,
  since a header can lie (zipfile stops there, and the CRC then fails);
- no XML part may declare a DTD: Office Open XML forbids them (ECMA-376
  part 2, M1.14), so one is an attack, not a document. XML parts are those
  python-docx parses: relationships, and parts whose content type is XML
  (an embedded HTML page, "<!DOCTYPE html>", is not one of them);
- a Word package at all: ``[Content_Types].xml`` and ``word/document.xml``.

Files that are not ZIPs get their own advice: an encrypted Office file and a
Word 97-2003 ``.doc`` are both OLE compound files, told apart by olefile.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import olefile
from lxml import etree

from .source import SourceError, short_reason

MAIN_PART = "word/document.xml"
CONTENT_TYPES = "[Content_Types].xml"
_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# For [Content_Types].xml, read here before python-docx sees the package: no entities, no DTD, no network.
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)

MAX_ENTRIES = 5000  # a Word file has a few dozen parts; thousands only with many images
MAX_PART_BYTES = 100 << 20  # inflated size of any one part
MAX_TOTAL_BYTES = 300 << 20  # inflated size of the whole package
MAX_RATIO = 100  # inflated / compressed, for parts past RATIO_FROM
RATIO_FROM = 1 << 20  # small parts may compress better than that without harm
CHUNK = 1 << 16

# A DTD or entity declaration, in the encodings an XML part may use (UTF-8 or UTF-16).
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(marker) for marker in _DTD_MARKERS) - 1

DAMAGED = "is a damaged .docx ({reason}): open it in Word, save it again as .docx, and ingest it again"
_BOMB = "is refused as a decompression bomb ({reason}): this is not an ordinary Word file; get the document again"


def check_package(data: bytes) -> None:
    """Refuse ``data`` unless it is a Word package that is safe to hand to python-docx.

    Raises ``SourceError`` (naming no file) for a decompression bomb, XML with
    a DTD, a damaged ZIP, or a ZIP that is not a Word document.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise SourceError(DAMAGED.format(reason=f"not a readable ZIP: {short_reason(exc)}")) from exc
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        missing = next((name for name in (MAIN_PART, CONTENT_TYPES) if name not in names), None)
        if missing:
            raise SourceError(
                f"is a ZIP archive, not a Word document (no {missing}): unpack it and ingest the files inside"
            )
        _check_declared_sizes(entries)
        types = archive.getinfo(CONTENT_TYPES)
        _check_entry(archive, types, xml=True)
        is_xml = _xml_parts(archive.read(types))
        for entry in entries:
            _check_entry(archive, entry, xml=is_xml(entry.filename))


def _check_declared_sizes(entries: list[zipfile.ZipInfo]) -> None:
    """What the ZIP's directory promises, judged before anything is inflated."""
    if len(entries) > MAX_ENTRIES:
        raise SourceError(_BOMB.format(reason=f"{len(entries)} parts, more than {MAX_ENTRIES}"))
    total = 0
    for entry in entries:
        size = entry.file_size
        if size > MAX_PART_BYTES:
            raise SourceError(_BOMB.format(reason=f"{entry.filename} would inflate to {size >> 20} MB"))
        if size >= RATIO_FROM and size > MAX_RATIO * max(entry.compress_size, 1):
            ratio = size // max(entry.compress_size, 1)
            raise SourceError(_BOMB.format(reason=f"{entry.filename} is compressed {ratio}-fold"))
        total += size
    if total > MAX_TOTAL_BYTES:
        raise SourceError(_BOMB.format(reason=f"the parts would inflate to {total >> 20} MB together"))


def _xml_parts(content_types: bytes):
    """Which part names python-docx will parse as XML, by the package's declared content types."""
    try:
        root = etree.fromstring(content_types, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SourceError(DAMAGED.format(reason=f"{CONTENT_TYPES}: {short_reason(exc)}")) from exc
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in root.iter(f"{_TYPES_NS}Default")}
    overrides = {o.get("PartName", "").lower(): o.get("ContentType", "") for o in root.iter(f"{_TYPES_NS}Override")}

    def is_xml(name: str) -> bool:
        if name == CONTENT_TYPES or name.endswith(".rels"):  # read as XML whatever their declared type
            return True
        declared = overrides.get("/" + name.lower()) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")
        return declared.endswith("xml")  # "application/xml", "…+xml"

    return is_xml


def _check_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, xml: bool) -> None:
    """Inflate one entry chunk by chunk, never past its declared size; in an XML part, look for DTDs."""
    if entry.flag_bits & 0x1:
        raise SourceError(DAMAGED.format(reason=f"{entry.filename} is encrypted inside the ZIP"))
    read = 0
    tail = b""
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(CHUNK):
                read += len(chunk)
                if read > entry.file_size:  # zipfile stops at the declared size; this is a second guard
                    raise SourceError(_BOMB.format(reason=f"{entry.filename} inflates past its declared size"))
                if xml:
                    window = tail + chunk
                    if any(marker in window for marker in _DTD_MARKERS):
                        raise SourceError(
                            f"is refused: its part {entry.filename} declares a DTD or entities, which Word never "
                            "writes (a way to attack XML readers); get the document again from a trusted source"
                        )
                    tail = window[-_OVERLAP:]
    except SourceError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, RuntimeError) as exc:
        raise SourceError(DAMAGED.format(reason=f"{entry.filename}: {short_reason(exc)}")) from exc


def ole_refusal(data: bytes) -> SourceError:
    """The advice for an OLE compound file given as a Word document.

    Word saves a password-protected .docx as an OLE file holding an
    ``EncryptionInfo`` stream and the encrypted package; a Word 97-2003 .doc
    is an OLE file with a ``WordDocument`` stream.
    """
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            encrypted = ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
            legacy = ole.exists("WordDocument")
    except Exception as exc:  # olefile signals damage with several exception types
        return SourceError(DAMAGED.format(reason=f"an unreadable OLE compound file: {short_reason(exc)}"))
    if encrypted:
        return SourceError("is password-protected: remove the password in Word and save again, then ingest it")
    if legacy:
        return SourceError("is a Word 97-2003 .doc: save it as .docx or PDF, then ingest it")
    return SourceError("is an OLE compound file, not a Word document (an Excel or PowerPoint file?): save it as PDF")
