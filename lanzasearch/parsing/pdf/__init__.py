"""PDF reader: a PDF's bytes into a ``SourceText`` with page furniture removed.

pypdf's ``extract_text`` hands every text run over with its position and font
size, and every content-stream operator before it runs. From those the
modules of this package rebuild what a reader of the page sees, resting on
structure (position, order, numbering, colour families, relative sizes)
rather than on one producer's fonts or measures:

- ``runs``: text runs, with the text rise applied, and the raised ones
  (footnote calls, ordinals, footnote numbers);
- ``shapes``: coloured boxes from any painted shapes, and separator rules;
- ``lines``: runs on one baseline joined, bullets and raised numbers set
  apart, calls written as ``[^N]`` markers; lines are read top to bottom
  (factsheets are single-column);
- ``furniture``: running headers, footers and page numbers, dropped;
- ``footnotes``: the footnote area at the foot of each page, its numbered
  bodies, and the check of the calls against the numbering;
- ``paragraphs``: lines grouped by the page's line pitch, indentation, size,
  bullets and box; headings and list levels;
- ``text``: the lines of a paragraph joined, hyphenation undone.

Paragraphs are never joined across pages or footnote blocks: the structure
parser repairs those breaks for every source format alike.
"""

from __future__ import annotations

import io

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from ...model import Footnote
from ..source import Paragraph, SourceError, SourceText, short_reason
from .footnotes import Footnotes, checked_calls
from .furniture import drop_furniture
from .layout import Page
from .lines import read_page
from .paragraphs import (
    Block,
    assign_list_levels,
    body_font_size,
    heading_levels,
    line_pitches,
    page_pitches,
    split_blocks,
    style,
)
from .text import hyphenation_vocabulary, join_lines

__all__ = ["read_pdf"]

_NOT_READABLE = "is not a readable PDF ({reason}): re-download or re-export the file"


def read_pdf(path: str, data: bytes, sha256: str, *, max_pages: int | None = None) -> SourceText:
    """Read a PDF into paragraphs and footnotes with headers, page numbers and hyphenation removed.

    ``data`` holds the file's bytes (the caller has read and hashed them).
    Raises ``SourceError`` when the bytes are not a readable PDF, when a password
    protects them, when the PDF has more than ``max_pages`` pages, or when no page
    carries a text layer.
    """
    reader = _open(data)
    page_count = len(reader.pages)
    if max_pages is not None and page_count > max_pages:
        raise SourceError(
            f"has {page_count} pages, more than the limit of {max_pages}: "
            "split the file or raise the page limit, then ingest again"
        )
    pages = [_read_page(page, number) for number, page in enumerate(reader.pages, start=1)]
    del reader  # only the extracted lines are needed from here on
    if not any(page.lines for page in pages):
        raise SourceError(
            "has no text layer (scanned images?): run OCR on it first, e.g. ocrmypdf, then ingest again"
        )

    running_headers = drop_furniture(pages)
    blocks, notes = _blocks_and_footnotes(pages)
    vocabulary = hyphenation_vocabulary(line.text for page in pages for line in page.lines)
    footnotes = {
        number: Footnote(number=number, text=join_lines(lines, vocabulary), page=notes.pages[number])
        for number, lines in notes.lines.items()
    }
    joined = [join_lines([line.text for line in block.lines], vocabulary) for block in blocks]
    texts = checked_calls(joined, set(footnotes))
    levels = heading_levels(blocks)
    paragraphs = [_paragraph(block, text, levels) for block, text in zip(blocks, texts)]
    return SourceText(
        path=path, format="pdf", sha256=sha256, paragraphs=paragraphs, footnotes=footnotes, page_count=page_count,
        running_headers=running_headers,
    )


def _blocks_and_footnotes(pages: list[Page]) -> tuple[list[Block], Footnotes]:
    """Each page split into its footnote area and its body paragraphs, in reading order."""
    body_size = body_font_size(pages)
    notes = Footnotes()
    bodies = [notes.take(page, body_size) for page in pages]
    document_pitches = line_pitches([line for lines in bodies for line in lines])
    blocks: list[Block] = []
    for lines in bodies:
        blocks += split_blocks(lines, page_pitches(lines, document_pitches), body_size)
    assign_list_levels(blocks)
    return blocks, notes


def _paragraph(block: Block, text: str, levels: dict[tuple[float, bool], int]) -> Paragraph:
    """The finished paragraph of a block, its lines joined into ``text``."""
    return Paragraph(
        text=text,
        page=block.first.page,
        heading_level=levels.get(style(block.first), 0) if block.heading else 0,
        list_level=block.list_level,
        box=block.first.box,
    )


# --- opening -------------------------------------------------------------------------------


def _open(data: bytes) -> PdfReader:
    """Parse the PDF's structure and unlock it when it is encrypted without a user password."""
    if not data:
        raise SourceError(_NOT_READABLE.format(reason="the file is empty"))
    if b"%PDF-" not in data[:1024]:
        raise SourceError(_NOT_READABLE.format(reason=f"no %PDF- header, the file starts with {data[:8]!r}"))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise SourceError(
                "is encrypted with a password: remove the protection (e.g. qpdf --decrypt) and ingest again"
            )
        len(reader.pages)  # walks the page tree, where truncated files usually fail
    except SourceError:
        raise
    except DependencyError as exc:
        raise SourceError(
            f"is encrypted and cannot be decrypted here ({short_reason(exc)}): decrypt it first (e.g. qpdf --decrypt)"
        ) from exc
    except Exception as exc:  # pypdf signals damage with many exception types, not only PdfReadError
        raise SourceError(_NOT_READABLE.format(reason=_damage_reason(data, exc))) from exc
    return reader


def _damage_reason(data: bytes, exc: Exception) -> str:
    """pypdf's complaint on one short line, prefixed with the likely cause when the file was cut short."""
    reason = short_reason(exc)
    if b"%%EOF" not in data[-1024:]:
        return f"truncated, no %%EOF marker at the end; {reason}"
    return reason


def _read_page(page, number: int) -> Page:
    """One page's lines, rules and boxes; a damaged content stream is a SourceError naming the page."""
    try:
        return read_page(page, number)
    except Exception as exc:  # a damaged content stream fails in pypdf with many exception types
        raise SourceError(_NOT_READABLE.format(reason=f"page {number}: {short_reason(exc)}")) from exc
