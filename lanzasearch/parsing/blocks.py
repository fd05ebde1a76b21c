"""Helpers every structure parser uses to turn paragraphs into ``Block``s.

Rendering (list items on their own lines, prefixed "- "), packing short
paragraphs into blocks of a readable size, page spans, and resolving
footnote calls into the citations they stand for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lang import DEFAULT, LanguageProfile
from ..model import Block, BlockKind, Footnote
from . import references
from .source import Paragraph

# Blocks are packed up to about this many characters: long enough to carry a
# thought, short enough that a search hit points at the right passage.
MAX_BLOCK_CHARS = 1000

FOOTNOTE_CALL = re.compile(r"\[\^(?P<number>\d+)\]")
# A call with the spaces before it: "word [^3]." loses both, leaving "word.".
CALL_WITH_SPACE = re.compile(r"[ \t]*\[\^\d+\]")
# An ordered item keeps its number in its text ("1. The purposes…"): no bullet for it.
ORDINAL_START = re.compile(r"^\d{1,3}\.\s")


def item_line(paragraph: Paragraph, base_level: int = 1) -> str:
    """One paragraph as a line of block text: bullets prefixed "- " and indented by nesting."""
    if paragraph.list_level == 0:
        return paragraph.text
    indent = "  " * max(paragraph.list_level - base_level, 0)
    marker = "" if ORDINAL_START.match(paragraph.text) else "- "
    return f"{indent}{marker}{paragraph.text}"


def render(paragraphs: list[Paragraph]) -> str:
    """Paragraphs as block text, one per line; the shallowest list level gets no indentation."""
    levels = [p.list_level for p in paragraphs if p.list_level]
    base = min(levels) if levels else 1
    return "\n".join(item_line(p, base) for p in paragraphs)


def page_span(paragraphs: list[Paragraph]) -> list[int]:
    """Sorted pages the paragraphs cover (start to end page of each); empty for text sources."""
    pages: set[int] = set()
    for paragraph in paragraphs:
        if paragraph.page is not None:
            pages.update(range(paragraph.page, (paragraph.end_page or paragraph.page) + 1))
    return sorted(pages)


def footnote_numbers(text: str) -> list[int]:
    """Numbers of the footnote calls in ``text``, in order of appearance."""
    return [int(match["number"]) for match in FOOTNOTE_CALL.finditer(text)]


def remove_calls(text: str) -> str:
    """Text without ``[^N]`` markers (and the spaces before them); line structure is kept."""
    return "\n".join(line.rstrip() for line in CALL_WITH_SPACE.sub("", text).split("\n"))


@dataclass
class Citations:
    """What the footnotes called from a block cite."""

    rec_ids: list[str] = field(default_factory=list)
    para_refs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def resolve_footnotes(text: str, footnotes: dict[int, Footnote], profile: LanguageProfile = DEFAULT) -> Citations:
    """Sort each footnote called in ``text`` into recommendation ids, report paragraphs or notes.

    A footnote naming recommendations or paragraphs (in the words of ``profile``'s
    language) contributes those; any other footnote (a URL, a remark) is kept whole as a note.
    """
    rec_ids: set[str] = set()
    paras: set[str] = set()
    notes: list[str] = []
    for number in footnote_numbers(text):
        note = footnotes.get(number)
        if note is None:
            continue
        found_recs = references.rec_ids(note.text, profile)
        found_paras = references.para_refs(note.text, profile)
        rec_ids.update(found_recs)
        paras.update(found_paras)
        if not found_recs and not found_paras and note.text not in notes:
            notes.append(note.text)
    return Citations(
        rec_ids=references.sort_rec_ids(rec_ids),
        para_refs=sorted(paras, key=int),
        notes=notes,
    )


def make_block(
    kind: BlockKind,
    text: str,
    paragraphs: list[Paragraph],
    footnotes: dict[int, Footnote],
    *,
    rec_ids: list[str] = (),
    articles: list[str] | None = None,
    profile: LanguageProfile = DEFAULT,
    **fields,
) -> Block:
    """A block from rendered ``text`` (with calls) and the source ``paragraphs`` it came from.

    Footnote calls are resolved into ``rec_ids`` (added to those given),
    ``para_refs`` and ``notes`` (read in ``profile``'s language), then removed. ``articles`` defaults to the
    Convention articles cited in the text or the block's heading; pass a list
    (even an empty one) to set them instead.
    """
    citations = resolve_footnotes(text, footnotes, profile)
    clean = remove_calls(text)
    if articles is None:
        articles = references.article_refs(f"{fields.get('heading') or ''}\n{clean}", profile)
    return Block(
        kind=kind,
        text=clean,
        rec_ids=references.sort_rec_ids([*rec_ids, *citations.rec_ids]),
        para_refs=citations.para_refs,
        notes=citations.notes,
        articles=list(articles),
        pages=page_span(paragraphs),
        **fields,
    )


@dataclass
class Packer:
    """Collects consecutive paragraphs of one kind and cuts them into blocks of about MAX_BLOCK_CHARS.

    A list stays with the paragraph that introduces it: a cut only happens
    before a paragraph that is not a list item.
    """

    max_chars: int = MAX_BLOCK_CHARS
    paragraphs: list[Paragraph] = field(default_factory=list)
    groups: list[list[Paragraph]] = field(default_factory=list)

    def add(self, paragraph: Paragraph) -> None:
        size = sum(len(p.text) + 1 for p in self.paragraphs)
        if self.paragraphs and paragraph.list_level == 0 and size + len(paragraph.text) > self.max_chars:
            self.cut()
        self.paragraphs.append(paragraph)

    def cut(self) -> None:
        if self.paragraphs:
            self.groups.append(self.paragraphs)
            self.paragraphs = []

    def take(self) -> list[list[Paragraph]]:
        """The finished groups, including the open one; the packer is empty afterwards."""
        self.cut()
        groups, self.groups = self.groups, []
        return groups
