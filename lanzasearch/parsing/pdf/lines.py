"""One page read into lines: runs on one baseline joined, bullets and raised numbers set apart, boxes attached."""

from __future__ import annotations

import re
from dataclasses import replace

from .layout import Line, Page, Region, Run
from .runs import RunCollector, mark_superscripts
from .shapes import ShapeCollector, box_at

# Glyphs that mark a list item ("\uf0b7", "\uf0a7": Symbol and Wingdings bullets
# from word processors; "\x7f": WinAnsiEncoding draws its unused codes as a bullet,
# and some producers write the bullet so). The ambiguous ones are ordinary text
# too, so they only count when drawn as a run of their own (see _split_bullet).
_BULLET_GLYPHS = frozenset("•\uf0b7\uf0a7▪■◦○●‣∙\x7f")
_AMBIGUOUS_BULLETS = frozenset({"o", "-", "–", "·", "*"})
_CALL_TEXT = re.compile(r"\d{1,3}(?:\s*,\s*\d{1,3})*")
# Hyphens that read as "-": U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
_SOFT_HYPHEN = "\u00ad"

_SAME_BASELINE = 0.2  # runs this close vertically (fraction of the font size) share a line


def read_page(page, number: int) -> Page:
    """Extract the page's lines with their fonts, positions, footnote calls and boxes.

    Exceptions from pypdf propagate: the caller turns them into a reason.
    """
    runs = RunCollector()
    shapes = ShapeCollector()

    def visit_operator(operator, operands, cm, tm):
        runs.visit_operator(operator, operands, cm, tm)
        shapes.visit(operator, operands, cm, tm)

    page.extract_text(visitor_text=runs.visit_text, visitor_operand_before=visit_operator)
    mark_superscripts(runs.runs)
    media = page.mediabox
    boxes = shapes.boxes(float(media.width), float(media.height))
    lines = [_make_line(group, number, boxes) for group in group_lines(runs.runs)]
    return Page(
        number=number,
        bottom=float(media.bottom),
        top=float(media.top),
        lines=[line for line in lines if line.text],
        rules=[rule for rule in shapes.rules if box_at(boxes, (rule.x0 + rule.x1) / 2, rule.y) is None],
    )


def group_lines(runs: list[Run]) -> list[list[Run]]:
    """Runs on one baseline, lines top to bottom, runs left to right.

    Sorting by position rather than trusting stream order matters: generators
    such as WeasyPrint draw list bullets after the text of the whole page.
    The sort is stable, so a run of spaces stays before the run it precedes.
    """
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if lines and abs(lines[-1][0].y - run.y) <= _SAME_BASELINE * max(run.size, lines[-1][0].size):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [_trimmed(sorted(line, key=lambda r: r.x)) for line in lines if not all(r.blank for r in line)]


def _trimmed(runs: list[Run]) -> list[Run]:
    """A line's runs without the runs of spaces at either end."""
    start = next(i for i, run in enumerate(runs) if not run.blank)
    end = max(i for i, run in enumerate(runs) if not run.blank)
    return runs[start : end + 1]


def _make_line(runs: list[Run], page: int, boxes: list[Region]) -> Line:
    """Join a line's runs, writing digit superscripts as footnote markers and a leading one as the label."""
    bullet_x, runs = _split_bullet(runs)
    label = None
    first = runs[0]
    if first.superscript and first.text.strip().isdigit() and any(not run.blank for run in runs[1:]):
        label, runs = int(first.text), _trimmed(runs[1:])
    text = ""
    for run in runs:
        if run.superscript and _CALL_TEXT.fullmatch(run.text.strip()):
            # The marker is glued to the word: "Network,42 WeProtect" -> "Network,[^42] WeProtect".
            text = text.rstrip() + "".join(f"[^{n}]" for n in re.findall(r"\d+", run.text))
        else:
            text += run.text
    regular = [run for run in runs if not run.superscript and not run.blank] or runs
    colours = {run.colour for run in regular}
    return Line(
        page=page,
        text=_clean(text),
        x=runs[0].x,
        y=runs[0].y,
        size=_main_size(regular),
        bold=all(run.bold for run in regular),
        colour=colours.pop() if len(colours) == 1 else None,
        bullet_x=bullet_x,
        label=label,
        box=box_at(boxes, first.x + 1.0, first.y + 0.3 * first.size),
    )


def _main_size(runs: list[Run]) -> float:
    """The size most of the runs' characters are set in: a footnote's number may be set larger than its text."""
    weights: dict[float, int] = {}
    for run in runs:
        size = round(run.size, 2)
        weights[size] = weights.get(size, 0) + len(run.text.strip())
    return max(weights, key=lambda size: (weights[size], size))


def _clean(text: str) -> str:
    """Spaces collapsed, hyphen variants read as "-", soft hyphens dropped except one ending the line.

    A soft hyphen at the end of a line marks where a word was broken, which
    the line joiner needs to know; anywhere else it is invisible.
    """
    text = " ".join(text.translate(_HYPHENS).split())
    trailing = text.endswith(_SOFT_HYPHEN)
    text = text.replace(_SOFT_HYPHEN, "")
    return text + _SOFT_HYPHEN if trailing and text else text


def _split_bullet(runs: list[Run]) -> tuple[float | None, list[Run]]:
    """Where a list item's bullet stands, and the runs without it; (None, runs) for other lines."""
    first = runs[0]
    glyph = first.text.strip()
    rest = [run for run in runs[1:] if not run.blank]
    if rest and (glyph in _BULLET_GLYPHS or glyph in _AMBIGUOUS_BULLETS):
        return first.x, _trimmed(runs[1:])
    # Some generators draw the bullet and the item's first words as one run: "• text".
    head = first.text.lstrip()
    if head[:1] in _BULLET_GLYPHS and head[1:2].isspace() and head[2:].strip():
        return first.x, [replace(first, text=head[2:]), *runs[1:]]
    return None, runs
