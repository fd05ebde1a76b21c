"""Body lines grouped into paragraphs, and which paragraphs are headings or list items.

A paragraph ends at a bullet, a change of box or of type size, a change of
left edge, after a title set in its own colour, or at a gap wider than the
line pitch: the distance between the baselines of a paragraph's lines,
measured on the page itself (and on the whole document, for pages of one-line
paragraphs), so single, 1.15 and 1.5 line spacing all work.

A heading is set larger than the body text, or in bold and reads like a
title: short, not a list item, not ending like a sentence. A recommendation
set in bold is a bold paragraph, not a heading.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..lists import list_levels
from ..repair import TRAILING
from .layout import Line, Page

_HEADING_GROWTH = 1.08  # text this much larger than the body text is a heading
_PITCH_RANGE = (0.8, 3.0)  # baseline gaps counted for the pitch, in font sizes
_SAME_PITCH = 0.05  # baseline distances this close (relative) are one pitch
_PAGE_PITCH_SLACK = 0.1  # a page's pitch may exceed the document's by this share
_DEFAULT_PITCH = 1.2  # times the font size, when no pitch recurs at that size
_PARAGRAPH_SPACING = 0.25  # times the font size: extra space beyond the pitch that ends a paragraph …
_MIN_SPACING = 2.0  # … and at least this many points
_SAME_X = 2.0  # points: left edges this close are aligned
_TITLE_MAX_LINES = 4
_TITLE_MAX_CHARS = 300
_LABEL_MAX_WORDS = 6  # a bold line ending with ":" is a title ("Follow-up actions:") up to this length
_SENTENCE_END = re.compile(r"[.;,!]$")
_OPENING = "\"“‘'(["  # what may open a sentence before its capital


@dataclass
class Block:
    """Lines that make one paragraph, before their text is joined."""

    lines: list[Line]
    heading: bool = False
    list_level: int = 0

    @property
    def first(self) -> Line:
        return self.lines[0]


def body_font_size(pages: list[Page]) -> float:
    """The size most of the text is set in, weighted by characters."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[_size(line)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def line_pitches(lines: list[Line]) -> dict[float, float]:
    """Per type size, the baseline distance of consecutive lines inside a paragraph.

    That is the smallest distance between consecutive lines of one size that
    recurs: paragraph breaks add space, and a distance seen once may be one.
    """
    gaps: dict[float, list[float]] = {}
    for previous, line in zip(lines, lines[1:]):
        size = _size(line)
        gap = previous.y - line.y
        if _size(previous) == size and _PITCH_RANGE[0] * size <= gap <= _PITCH_RANGE[1] * size:
            gaps.setdefault(size, []).append(gap)
    pitches = {}
    for size, values in gaps.items():
        values.sort()
        recurring = [gap for gap, after in zip(values, values[1:]) if after <= gap * (1 + _SAME_PITCH)]
        if recurring:
            pitches[size] = recurring[0]
    return pitches


def page_pitches(lines: list[Line], document: dict[float, float]) -> dict[float, float]:
    """The page's own pitches, unless wider than the document's: a page of one-line paragraphs has none."""
    own = line_pitches(lines)
    pitches = dict(document)
    for size, pitch in own.items():
        if size not in document or pitch <= document[size] * (1 + _PAGE_PITCH_SLACK):
            pitches[size] = pitch
    return pitches


def split_blocks(lines: list[Line], pitches: dict[float, float], body_size: float) -> list[Block]:
    """A page's body lines as paragraphs, each marked as a heading or not."""
    blocks: list[Block] = []
    for line in lines:
        if not blocks or _starts_block(blocks[-1], line, pitches):
            blocks.append(Block(lines=[line]))
        else:
            blocks[-1].lines.append(line)
    for block in blocks:
        block.heading = is_heading(block, body_size)
    return blocks


def _starts_block(block: Block, line: Line, pitches: dict[float, float]) -> bool:
    """Whether a line begins a new paragraph instead of continuing ``block``.

    A bullet, a change of box or of type size, a gap wider than the line
    pitch, or a change of left edge ends a paragraph. Only the second line
    may change the left edge: leftwards under an indented first line, or
    rightwards under a list item whose bullet is part of its first run.
    """
    previous = block.lines[-1]
    if line.bullet_x is not None or line.box != previous.box or _size(line) != _size(previous):
        return True
    if _coloured_title_ends(block, line):
        return True
    size = _size(line)
    pitch = pitches.get(size, _DEFAULT_PITCH * size)
    if previous.y - line.y > pitch + max(_PARAGRAPH_SPACING * size, _MIN_SPACING):
        return True
    if abs(line.x - previous.x) <= _SAME_X:
        return False
    if previous is block.first:
        return line.x < previous.x if previous.bullet_x is not None else line.x > previous.x
    return True


def _coloured_title_ends(block: Block, line: Line) -> bool:
    """A block set all in one colour that reads like a title, followed by a line in another colour that
    starts like a new sentence: a heading told from its text by colour alone, with no space after it."""
    colour = block.first.colour
    return (
        colour is not None
        and line.colour != colour
        and all(other.colour == colour for other in block.lines)
        and line.text.lstrip(_OPENING)[:1].isupper()
        and _reads_as_title(block)
    )


def is_heading(block: Block, body_size: float) -> bool:
    """Set larger than the body text, or in bold and reading like a title (see the module docstring)."""
    first = block.first
    if first.bullet_x is not None:
        return False
    if first.size >= _HEADING_GROWTH * body_size:
        return True
    return all(line.bold for line in block.lines) and _reads_as_title(block)


def _reads_as_title(block: Block) -> bool:
    """Short, and not ending like a sentence; a colon ends only a short label ("Example - Social Studies:")."""
    text = " ".join(line.text for line in block.lines)
    core = TRAILING.sub("", text)
    if len(block.lines) > _TITLE_MAX_LINES or len(text) > _TITLE_MAX_CHARS or not core:
        return False
    if core.endswith(":"):
        return "," not in core and len(core.split()) <= _LABEL_MAX_WORDS
    return not _SENTENCE_END.search(core)


def assign_list_levels(blocks: list[Block]) -> None:
    """Nest list items by how far right their bullets stand.

    The stack holds the bullet positions of the open lists. It survives page
    breaks (a nested list may continue on the next page) but not headings,
    boxes, or text that starts at or left of the outermost bullet.
    """
    levels = list_levels(
        blocks,
        marker=lambda block: block.first.bullet_x,
        compare=lambda x, other: -1 if x < other - _SAME_X else int(x > other + _SAME_X),
        continues=lambda block, outermost: block.first.x > outermost + _SAME_X,
        box=lambda block: block.first.box,
        heading=lambda block: bool(block.heading),
    )
    for block, level in zip(blocks, levels):
        if level:
            block.list_level = level


def style(line: Line) -> tuple[float, bool]:
    """A line's type style: size to half a point, and weight."""
    return (_size(line), line.bold)


def heading_levels(blocks: list[Block]) -> dict[tuple[float, bool], int]:
    """Heading level per type style: the largest style is level 1, bold before regular at one size."""
    styles = sorted({style(block.first) for block in blocks if block.heading}, reverse=True)
    return {key: min(rank, 6) for rank, key in enumerate(styles, start=1)}


def _size(line: Line) -> float:
    return round(line.size * 2) / 2
