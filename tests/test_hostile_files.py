"""Hostile files: whatever a website or an e-mail gives is refused with its reason, or read; nothing breaks.

A refused file gets one line naming the file, the reason and what to do; the
exit status is non-zero; the archive is untouched; the other files of the same
batch are still ingested. The files are made here, in tmp_path: blank,
truncated, encrypted and image-only PDFs, web pages and ZIP files named .pdf,
Latin-1 Markdown, unknown types, files over the size and page limits, a
decompression bomb, and files that vanish or change while being read; and
.docx files that are bombs (honest or lying about their size), carry
entity-expansion or external-entity XML, are not ZIPs, are ZIPs of something
else, or are password-protected (encrypted with msoffcrypto-tool, as Word
does). One file is not made here: a Word 97-2003 .doc, converted once by
LibreOffice (tests/fixtures/minutes-word97.doc).

Decision recorded here and in the README: a PDF that is not a factsheet is
ingested as a generic document (doc_type "document"), searchable like any
other, not refused.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tracemalloc
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import FIXTURES, NORWAY_PDF, ROOT
from docx_builder import docx_bytes, para, with_part
from lanzasearch import Archive
from lanzasearch.indexing import DB_NAME, SOURCES_DIR

TESTLAND = FIXTURES / "factsheet-testland.md"
REPORT_TEXT = [
    "Annual report of the Wombat Protection Society",
    "The society counted wombats crossing country roads at dusk during the whole of 2023.",
    "Most crossings happened near schools, where volunteers painted zebra crossings for wombats.",
]


# -- making hostile files ------------------------------------------------------------------


def pdf_bytes(contents: list[bytes], extra_objects: list[bytes] = ()) -> bytes:
    """A minimal well-formed PDF, one page per content stream (already wrapped as stream objects or raw)."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
                            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for content in contents:
        stream = content if content.startswith(b"<<") else b"<< /Length %d >>\nstream\n%b\nendstream" % (len(content), content)
        objects.append(stream)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%b] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate([*objects, *extra_objects], start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%b\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
    return out.getvalue()


def text_page(lines: list[str], size: int = 11) -> bytes:
    """A content stream showing ``lines`` in Helvetica, top down."""
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252") for line in lines]
    body = b"\n".join(b"(%b) Tj T*" % line for line in escaped)
    return b"BT /F1 %d Tf %d TL 72 720 Td\n%b\nET" % (size, int(size * 1.5), body)


def image_page() -> bytes:
    """A page that only paints an (inline) image: what a scanner produces, with no text layer."""
    return b"q 300 0 0 300 72 400 cm\nBI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI\nQ"


def report_pdf() -> bytes:
    return pdf_bytes([text_page(REPORT_TEXT), text_page(["Second page: the crossings are repainted every spring."])])


def encrypted(data: bytes, user_password: str, algorithm: str = "AES-256") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_of(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:  # stored: the PDF shows through
        archive.writestr(name, data)
    return out.getvalue()


def decompression_bomb(expanded_mb: int = 300) -> bytes:
    """A small PDF whose content stream inflates to ``expanded_mb`` MB."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(text_page(["Bomb report text"]) + b"\n")]
    block = b" " * (1 << 20)
    parts += [packer.compress(block) for _ in range(expanded_mb)]
    parts.append(packer.flush())
    stream = b"".join(parts)
    return pdf_bytes([b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(stream), stream)])


def report_docx() -> bytes:
    return docx_bytes("".join(para(line) for line in REPORT_TEXT))


def document_xml(doctype: str, text: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}\n'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>").encode()


def billion_laughs_docx() -> bytes:
    """Ten entities, each ten of the one before: "&lol9;" stands for 10^9 "lol"s."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    doctype = f"<!DOCTYPE lolz [{''.join(entities)}]>"
    return with_part(report_docx(), "word/document.xml", document_xml(doctype, "&lol9;"))


def entity_in_relationships_docx() -> bytes:
    """The package's own relationships part carrying an entity: python-docx parses it whatever its type."""
    rels = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY target "word/document.xml">]>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="&target;"/></Relationships>')
    return with_part(report_docx(), "_rels/.rels", rels.encode())


def external_entity_docx() -> bytes:
    doctype = '<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    return with_part(report_docx(), "word/document.xml", document_xml(doctype, "&secret;"))


def locked_docx() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(report_docx())).encrypt("secret", out)
    return out.getvalue()


def docx_bomb(expanded_mb: int = 300, declared: int | None = None) -> bytes:
    """The report .docx with a part of ``expanded_mb`` MB of spaces: a few hundred KB on disk.

    With ``declared``, the ZIP's headers claim that size instead of the real one.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(report_docx())) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry, source.read(entry))
        with target.open("word/media/image1.png", "w", force_zip64=True) as part:
            for _ in range(expanded_mb):
                part.write(b" " * (1 << 20))
    data = bytearray(out.getvalue())
    if declared is not None:
        _declare_size(data, b"word/media/image1.png", declared)
    return bytes(data)


def _declare_size(data: bytearray, name: bytes, size: int) -> None:
    """Rewrite the uncompressed size of ``name`` in its local header and its central directory entry."""
    start = 0
    while (central := data.find(b"PK\x01\x02", start)) >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46: central + 46 + length] == name:
            struct.pack_into("<I", data, central + 24, size)
            local = struct.unpack_from("<I", data, central + 42)[0]
            struct.pack_into("<I", data, local + 22, size)
        start = central + 4


@dataclass
class Bad:
    label: str
    name: str
    make: Callable[[], bytes]
    says: tuple[str, ...]  # the reason and, where there is something to do, what to do


BAD = [
    Bad("zero-byte file", "empty.pdf", lambda: b"", ("is empty (0 bytes)", "get the file again")),
    Bad("truncated PDF", "truncated.pdf", lambda: NORWAY_PDF.read_bytes()[: NORWAY_PDF.stat().st_size * 2 // 5],
        ("not a readable PDF", "truncated", "re-download")),
    Bad("password-protected PDF", "locked.pdf", lambda: encrypted(report_pdf(), "secret"),
        ("encrypted with a password", "qpdf --decrypt")),
    Bad("image-only PDF", "scan.pdf", lambda: pdf_bytes([image_page(), image_page()]), ("no text layer", "OCR")),
    Bad("HTML page named .pdf", "factsheet-web.pdf",
        lambda: b"<!DOCTYPE html>\n<html><head><title>Factsheet Norway</title></head><body>Moved</body></html>\n",
        ("is an HTML page", "save the document itself")),
    Bad("ZIP file named .pdf", "bundle.pdf", lambda: zip_of("factsheet.pdf", report_pdf()),
        ("is a ZIP archive", "unpack it")),
    Bad("Latin-1 Markdown", "note-latin1.md",
        lambda: "# Note\n\nLa protection des enfants était déjà prévue à l'école.\n".encode("latin-1"),
        ("not UTF-8", "re-save it as UTF-8")),
    Bad("unknown extension", "minutes.rtf", lambda: b"{\\rtf1\\ansi Minutes of the meeting}",
        ("unsupported file type '.rtf'", "convert it to PDF or Markdown")),
    Bad("PDF over the page limit", "huge-report.pdf", lambda: pdf_bytes([text_page([f"Page {i}"]) for i in range(501)]),
        ("has 501 pages", "limit of 500", "split")),
    Bad("entity expansion in a .docx", "laughs.docx", billion_laughs_docx,
        ("word/document.xml declares a DTD", "get the document again")),
    Bad("entity in a .docx's relationships", "rels.docx", entity_in_relationships_docx,
        ("_rels/.rels declares a DTD", "get the document again")),
    Bad("external entity in a .docx", "xxe.docx", external_entity_docx,
        ("word/document.xml declares a DTD", "get the document again")),
    Bad("text named .docx", "notes.docx", lambda: b"Notes typed in a text editor, not in Word.\n",
        ("is named .docx but is not a Word document", "save it again from Word")),
    Bad("ZIP named .docx", "bundle.docx", lambda: zip_of("factsheet.pdf", report_pdf()),
        ("is a ZIP archive, not a Word document", "unpack it")),
    Bad("password-protected .docx", "locked.docx", locked_docx,
        ("is password-protected", "remove the password in Word and save again")),
    Bad("Word 97-2003 .doc named .docx", "minutes.docx", lambda: (FIXTURES / "minutes-word97.doc").read_bytes(),
        ("is a Word 97-2003 .doc", "save it as .docx or PDF")),
]


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- the archive the refused files must not touch -------------------------------------------


@pytest.fixture(scope="module")
def base_index(tmp_path_factory, embedder) -> Path:
    path = tmp_path_factory.mktemp("hostile-base") / "index"
    with Archive.open(path, create=True, embedder=embedder) as archive:
        assert archive.ingest([TESTLAND]).ok
    return path


@pytest.fixture
def index(base_index, tmp_path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(base_index, target)
    return target


def snapshot(index: Path) -> tuple[list[str], dict[str, str]]:
    """Everything an ingest could change: the database's full content and every other file's bytes."""
    conn = sqlite3.connect(index / DB_NAME)
    try:
        dump = list(conn.iterdump())
    finally:
        conn.close()
    files = {
        str(p.relative_to(index)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(index.rglob("*"))
        if p.is_file() and not p.name.startswith(DB_NAME)
    }
    return dump, files


def refused(report, name: str) -> str:
    [failed] = [f for f in report.files if Path(f.path).name == name]
    assert failed.status == "failed", failed
    assert "\n" not in failed.reason and failed.reason.strip() == failed.reason
    return failed.reason


def ingest_measuring_memory(archive: Archive, path: Path, **limits) -> tuple:
    """The ingest report for one file, and the peak of the memory Python allocated meanwhile."""
    tracemalloc.start()
    try:
        report = archive.ingest([path], **limits)
        return report, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- each hostile file through the API ----------------------------------------------------------


@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_hostile_file_is_refused_with_its_reason_and_the_index_untouched(bad, index, tmp_path, embedder):
    path = write(tmp_path / "incoming", bad.name, bad.make())
    before = snapshot(index)
    with Archive.open(index, embedder=embedder) as archive:
        generation = archive.generation
        report = archive.ingest([path])
        reason = refused(report, bad.name)
        for phrase in bad.says:
            assert phrase in reason, f"{bad.label}: {reason!r} should say {phrase!r}"
        assert archive.generation == generation
    assert snapshot(index) == before


def test_pdf_encrypted_with_an_empty_password_simply_works(index, tmp_path, embedder):
    aes = write(tmp_path, "open-aes.pdf", encrypted(report_pdf(), ""))
    rc4 = write(tmp_path, "open-rc4.pdf", encrypted(pdf_bytes([text_page(["Kangaroo courts are not courts at all."])]),
                                                    "", algorithm="RC4-128"))
    with Archive.open(index, embedder=embedder) as archive:
        report = archive.ingest([aes, rc4])
        assert [f.status for f in report.files] == ["added", "added"], report.failed
        assert "wombats" in archive.search("wombats crossing roads at dusk", k=1)[0].text
        assert "Kangaroo" in archive.search("kangaroo courts", k=1, mode="lexical")[0].text


def test_a_pdf_that_is_not_a_factsheet_is_ingested_as_a_generic_document(index, tmp_path, embedder):
    path = write(tmp_path, "wombat-report.pdf", report_pdf())
    with Archive.open(index, embedder=embedder) as archive:
        [result] = archive.ingest([path]).files
        assert result.status == "added" and result.doc_id == "document-wombat-report"
        [doc] = [d for d in archive.documents() if d.doc_id == result.doc_id]
        assert doc.doc_type == "document" and doc.country is None and doc.page_count == 2
        [hit] = archive.search("zebra crossings painted for wombats", k=1)
        assert hit.doc_type == "document" and hit.page == 1 and "zebra crossings" in hit.text


# -- size: a configurable limit with a clear refusal, and memory bounded below it ---------------------


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(index, tmp_path, embedder):
    path = write(tmp_path, "big.pdf", report_pdf() + b"%" + b"x" * (3 << 20) + b"\n")
    before = snapshot(index)
    with Archive.open(index, embedder=embedder) as archive:
        reason = refused(archive.ingest([path], max_bytes=1 << 20), "big.pdf")
    assert reason.startswith("is too large (3") and "the limit is 1" in reason and "raise the size limit" in reason
    assert snapshot(index) == before


def test_a_file_over_the_size_limit_is_not_read_into_memory(index, tmp_path, embedder):
    path = tmp_path / "huge.pdf"
    with open(path, "wb") as handle:  # 200 MB, sparse: nothing is written to disk
        handle.write(report_pdf())
        handle.truncate(200 << 20)
    with Archive.open(index, embedder=embedder) as archive:
        report, peak = ingest_measuring_memory(archive, path, max_bytes=1 << 20)
    assert "is too large (200 MB" in refused(report, "huge.pdf")
    assert peak < 16 << 20, f"refusing a 200 MB file over a 1 MB limit allocated {peak / 2**20:.0f} MB"


def test_a_decompression_bomb_under_the_size_limit_is_refused_with_bounded_memory(index, tmp_path, embedder):
    path = write(tmp_path, "bomb.pdf", decompression_bomb(300))  # ~300 KB that inflates to 300 MB
    assert path.stat().st_size < 1 << 20
    with Archive.open(index, embedder=embedder) as archive:
        report, peak = ingest_measuring_memory(archive, path)
    reason = refused(report, "bomb.pdf")
    assert "not a readable PDF" in reason and "decompress" in reason
    assert peak < 250 << 20, f"a 300 KB file took {peak / 2**20:.0f} MB to refuse"


DOCX_BOMBS = [  # (inflated MB, size the headers declare, what the refusal says)
    pytest.param(300, None, "decompression bomb (word/media/image1.png would inflate to 300 MB)", id="too-large"),
    pytest.param(60, None, "decompression bomb (word/media/image1.png is compressed", id="too-compressed"),
    pytest.param(300, 64 << 10, "is a damaged .docx (word/media/image1.png: Bad CRC-32", id="lying-header"),
]


@pytest.mark.parametrize(("expanded_mb", "declared", "says"), DOCX_BOMBS)
def test_a_docx_bomb_is_refused_before_it_inflates(expanded_mb, declared, says, index, tmp_path, embedder):
    """Hundreds of MB in one part of a small .docx: refused by the declared size or ratio before
    inflating, or, when the headers lie, by reading no further than they claim; memory stays bounded."""
    path = write(tmp_path, "bomb.docx", docx_bomb(expanded_mb, declared=declared))
    assert path.stat().st_size < 1 << 20
    before = snapshot(index)
    with Archive.open(index, embedder=embedder) as archive:
        report, peak = ingest_measuring_memory(archive, path)
    reason = refused(report, "bomb.docx")
    assert says in reason, reason
    assert peak < 32 << 20, f"a 300 KB .docx took {peak / 2**20:.0f} MB to refuse"
    assert snapshot(index) == before


def test_a_good_docx_beside_the_hostile_ones_is_ingested(index, tmp_path, embedder):
    path = write(tmp_path, "wombat-report.docx", report_docx())
    with Archive.open(index, embedder=embedder) as archive:
        [result] = archive.ingest([path]).files
        assert result.status == "added" and result.doc_id == "document-wombat-report"
        [hit] = archive.search("zebra crossings painted for wombats", k=1)
        assert hit.doc_type == "document" and hit.page is None and "zebra crossings" in hit.text


def run_cli(*argv: str, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LANZASEARCH_")}
    environment.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "lanzasearch.cli", *argv], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["flag", "environment"])
def test_the_size_limit_is_configurable_from_the_cli(how, index, tmp_path):
    """`lanzasearch ingest --max-file-mb N` or LANZASEARCH_MAX_FILE_MB=N; the default is 50 MB."""
    path = write(tmp_path, "big.pdf", report_pdf() + b"%" + b"x" * (3 << 20) + b"\n")
    before = snapshot(index)
    if how == "flag":
        result = run_cli("ingest", str(path), "--max-file-mb", "1", "--no-progress", "--index", str(index))
    else:
        result = run_cli("ingest", str(path), "--no-progress", "--index", str(index), env={"LANZASEARCH_MAX_FILE_MB": "1"})
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [f"{path}: is too large (3 MB, the limit is 1 MB): "
                                          "split it or raise the size limit, then ingest again"]
    assert snapshot(index) == before


# -- a folder mixing good and bad files, through the CLI (one process, one model load) -----------------


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("mixed") / "incoming"
    bad = {b.name: write(folder / ("nested" if i % 3 == 0 else ""), b.name, b.make()) for i, b in enumerate(BAD)}
    good = {
        "factsheet-testland.md": write(folder, "factsheet-testland.md", TESTLAND.read_bytes()),
        "wombat-report.pdf": write(folder, "wombat-report.pdf", report_pdf()),
        "open-locked.pdf": write(folder / "nested", "open-locked.pdf", encrypted(report_pdf(), "")),
    }
    index = folder.parent / "index"
    result = run_cli("ingest", str(folder), "--no-progress", "--index", str(index))
    return {"folder": folder, "bad": bad, "good": good, "index": index, "result": result}


@pytest.mark.slow
def test_cli_names_each_refused_file_with_its_reason_on_one_line(mixed_folder):
    lines = mixed_folder["result"].stderr.splitlines()
    for bad in BAD:
        path = mixed_folder["bad"][bad.name]
        mine = [line for line in lines if line.startswith(f"{path}: ")]
        assert len(mine) == 1, (bad.label, lines)
        for phrase in bad.says:
            assert phrase in mine[0], (bad.label, mine[0])


@pytest.mark.slow
def test_cli_exits_non_zero_and_still_ingests_the_good_files_of_the_batch(mixed_folder, embedder):
    result = mixed_folder["result"]
    assert result.returncode == 1
    assert f"3 added, 0 updated, 0 unchanged, {len(BAD)} failed" in result.stdout
    with Archive.open(mixed_folder["index"], embedder=embedder) as archive:
        docs = {d.doc_id: d for d in archive.documents()}
        assert set(docs) == {"factsheet-testland-r2", "document-wombat-report", "document-open-locked"}
        assert docs["document-wombat-report"].doc_type == "document"
        for doc in docs.values():  # each good file is kept as the exact bytes indexed; nothing else is
            kept = archive.source_path(doc.doc_id)
            assert kept is not None and hashlib.sha256(kept.read_bytes()).hexdigest() == doc.sha256
        assert len([p for p in (archive.path / SOURCES_DIR).iterdir() if not p.name.startswith(".")]) == 3


@pytest.mark.slow
def test_cli_stderr_holds_only_the_one_line_reasons(mixed_folder):
    """No library chatter (pypdf's warnings about the damaged files) around the one-line reasons."""
    lines = mixed_folder["result"].stderr.splitlines()
    named = [line for line in lines if any(line.startswith(f"{p}: ") for p in mixed_folder["bad"].values())]
    assert lines == named


# -- files that vanish or change while being read --------------------------------------------------------


def test_a_file_that_disappears_before_it_is_read_is_reported_and_the_batch_goes_on(index, tmp_path, embedder,
                                                                                   monkeypatch):
    import lanzasearch.indexing as indexing

    vanishing = write(tmp_path, "vanishing.md", b"# Vanishing note\n\nThis file is deleted while it is queued.\n")
    other = write(tmp_path, "wombat-report.pdf", report_pdf())
    real_read = indexing.read_file

    def read_after_deletion(path, **kwargs):
        if Path(path) == vanishing:
            vanishing.unlink()  # listed in the batch, gone before it is read
        return real_read(path, **kwargs)

    monkeypatch.setattr(indexing, "read_file", read_after_deletion)
    with Archive.open(index, embedder=embedder) as archive:
        report = archive.ingest([vanishing, other])
        assert refused(report, "vanishing.md").startswith("no longer exists")
        assert [f.status for f in report.files if f.path == str(other)] == ["added"]
        assert {d.doc_id for d in archive.documents()} == {"factsheet-testland-r2", "document-wombat-report"}


def test_a_file_that_changes_while_being_read_is_stored_as_the_bytes_that_were_parsed(index, tmp_path, embedder,
                                                                                     monkeypatch):
    """The stored hash, the indexed text and the copy kept in sources/ are all the same bytes."""
    import lanzasearch.indexing as indexing

    first = b"# Changing note\n\nThe first version mentions a platypus.\n"
    path = write(tmp_path, "note.md", first)
    real_parse = indexing.parse_bytes

    def parse_while_it_changes(file, data, sha, **kwargs):
        path.write_bytes(b"# Changing note\n\nA later version, never indexed, mentions a numbat.\n")
        return real_parse(file, data, sha, **kwargs)

    monkeypatch.setattr(indexing, "parse_bytes", parse_while_it_changes)
    with Archive.open(index, embedder=embedder) as archive:
        [result] = archive.ingest([path]).files
        assert result.status == "added"
        [doc] = [d for d in archive.documents() if d.doc_id == result.doc_id]
        assert doc.sha256 == hashlib.sha256(first).hexdigest()
        assert "platypus" in archive.search("platypus", k=1, mode="lexical")[0].text
        kept = archive.source_path(result.doc_id)
        assert kept is None or hashlib.sha256(kept.read_bytes()).hexdigest() == doc.sha256, \
            "sources/ holds bytes that were never indexed (the file changed after it was read)"
