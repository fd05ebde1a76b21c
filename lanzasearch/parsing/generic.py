"""Any other readable document: ``parse_generic(src) -> Document`` of TEXT blocks.

Reports of other monitoring bodies, notes, articles: the text is grouped
under its headings and packed into blocks of about a thousand characters, so
it is searchable like the factsheets without pretending to know its structure.
"""

from __future__ import annotations

from pathlib import Path

from ..lang import LanguageProfile, detect_language
from ..model import Block, BlockKind, DocType, Document
from .blocks import Packer, make_block, render
from .repair import repair_paragraphs
from .report import document_report
from .source import Paragraph, SourceText


def document_title(paragraphs: list[Paragraph], path: str) -> str:
    """The first heading's text, or the file name without its suffix."""
    for paragraph in paragraphs:
        if paragraph.heading_level:
            return paragraph.text
    return Path(path).stem


def parse_generic(src: SourceText, profile: LanguageProfile | None = None) -> Document:
    """TEXT blocks grouped by heading, about MAX_BLOCK_CHARS each.

    Convention articles are not extracted: in an arbitrary document "Article 5"
    may belong to any instrument. ``profile`` is the document's language, told
    from its opening pages when not given.
    """
    profile = profile or detect_language(src.opening())
    paragraphs = repair_paragraphs(src.paragraphs, profile)
    blocks: list[Block] = []
    packer = Packer()
    heading: str | None = None

    def flush() -> None:
        for group in packer.take():
            blocks.append(make_block(BlockKind.TEXT, render(group), group, src.footnotes, heading=heading, articles=[],
                                     profile=profile))

    for paragraph in paragraphs:
        if paragraph.heading_level:
            flush()
            heading = paragraph.text
        else:
            packer.add(paragraph)
    flush()
    return Document(
        doc_type="document",
        title=document_title(paragraphs, src.path),
        source=src.path,
        sha256=src.sha256,
        page_count=src.page_count,
        blocks=blocks,
        language=profile.code,
        report=document_report(src, paragraphs, DocType.DOCUMENT),
    )
