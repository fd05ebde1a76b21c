"""Blocks into chunks: one chunk per block, long blocks split at sentence or item bounds."""

from __future__ import annotations

from .model import Block, BlockKind, Chunk, DocType, Document
from .text import split_sentences

MAX_CHARS = 1200  # a block up to this length stays whole
TARGET_CHARS = 900  # pieces of a longer block aim for this length
_CONTEXT_HEADING_CHARS = 90


def chunk_document(doc: Document) -> list[Chunk]:
    """Turn a document's blocks into chunks that keep each block's metadata."""
    chunks: list[Chunk] = []
    for block_ordinal, block in enumerate(doc.blocks):
        context = context_line(doc, block)
        pieces = split_block_text(block.text)
        if block.notes:
            # Footnote remarks (a survey's name, a URL) are part of what the passage says.
            pieces[-1] += "\n" + "\n".join(f"Note: {note}" for note in block.notes)
        for piece in pieces:
            chunks.append(
                Chunk(
                    doc_id=doc.doc_id,
                    ordinal=len(chunks),
                    block=block,
                    text=piece,
                    context=context,
                    sentences=split_sentences(piece),
                    block_ordinal=block_ordinal,
                )
            )
    return chunks


def context_line(doc: Document, block: Block) -> str:
    """A short line placed before the embedded text: whose passage, and on what.

    "Norway · Interplay of the age of criminal responsibility …"; a block
    without a heading gets its section and kind instead. Measured on the dev
    set, owner + heading embeds better than adding the section title and the
    kind label too: those words are shared by many blocks and blur them.
    """
    owner = doc.country or ("Lanzarote Convention" if doc.doc_type == DocType.CONVENTION else doc.title)
    if block.heading:
        heading = block.heading
        if len(heading) > _CONTEXT_HEADING_CHARS:
            heading = heading[:_CONTEXT_HEADING_CHARS].rsplit(" ", 1)[0] + " …"
        return f"{owner} · {heading}"
    parts = [owner]
    if block.section_title:
        parts.append(block.section_title)
    if block.kind is not BlockKind.TEXT:
        parts.append(block.kind.label)
    return " · ".join(parts)


def split_block_text(text: str) -> list[str]:
    """Split text longer than MAX_CHARS into pieces of about TARGET_CHARS.

    Cuts fall between list items first, then between sentences, so no piece
    starts or ends mid-sentence. A lead-in line ending with a colon is repeated
    at the head of every piece so each piece still reads on its own.
    """
    text = text.strip()
    if len(text) <= MAX_CHARS:
        return [text]
    lines = [line for line in text.splitlines() if line.strip()]
    lead = lines[0] if len(lines) > 1 and lines[0].rstrip().endswith(":") and len(lines[0]) < 400 else None
    units: list[str] = []
    for line in lines[1:] if lead else lines:
        if len(line) <= TARGET_CHARS:
            units.append(line)
        else:
            prefix = "- " if line.startswith("- ") else ""
            sentences = split_sentences(line[len(prefix):])
            units.extend([prefix + sentences[0], *sentences[1:]] if sentences else [line])
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    budget = TARGET_CHARS - (len(lead) + 1 if lead else 0)
    for unit in units:
        if current and size + len(unit) + 1 > budget:
            pieces.append(_join(lead, current))
            current, size = [], 0
        current.append(unit)
        size += len(unit) + 1
    if current:
        pieces.append(_join(lead, current))
    return pieces


def _join(lead: str | None, units: list[str]) -> str:
    # Sentences of one paragraph rejoin with a space, list items with a newline.
    out = lead or ""
    for unit in units:
        if not out:
            out = unit
        elif unit.startswith("- ") or out.endswith(":"):
            out += "\n" + unit
        else:
            out += " " + unit
    return out
