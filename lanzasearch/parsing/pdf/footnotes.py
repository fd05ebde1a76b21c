"""Footnote areas at the foot of pages, their numbered bodies, and the calls that point to them.

A footnote area is the tail of a page's lines, told from the body by
structure rather than by one producer's sizes:

- below a separator rule: a thin neutral stroke, left-aligned with the lines
  under it, with a gap above it (an underline hugs its text), in the lower
  part of the page;
- or opened by a raised number (a footnote's own number is set like a call);
- or, in a run of lines smaller than the body text at the foot of the page,
  opened by a plain number ("3. Recommendation II-6.").

The text may be the body's size or smaller, never larger. A line opens a
footnote when its number continues the numbering of the previous pages (or is
called on the page); any other line continues the footnote above it, which
may have begun on the previous page if it was cut there mid-sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..repair import ends_open
from .layout import Line, Page, Rule

MARKER = re.compile(r"\[\^(\d+)\]")
_NUMBER_START = re.compile(r"(\d{1,3})[.)]?\s+(?=\S)")

_SIZE_TOLERANCE = 0.25  # points: sizes this close are the same size
_RULE_ZONE = 0.6  # a separator rule lies in this lower share of the page
_RULE_CLEARANCE = 0.4  # times the body size: the gap between a separator and the text above it
_RULE_ALIGN = 3.0  # points: a separator starts at most this far right of the footnote text
_CALL_LOOKAHEAD = 5  # markers searched for the next call number before accepting a skip


@dataclass
class Footnotes:
    """Footnote bodies collected page by page: their lines and the page each starts on."""

    lines: dict[int, list[str]] = field(default_factory=dict)
    pages: dict[int, int] = field(default_factory=dict)
    last_page: int = 0  # the page the last footnote line was read on

    @property
    def last(self) -> int:
        """The number of the footnote read last; 0 before the first."""
        return max(self.lines, default=0)

    def open_on(self, page: int) -> bool:
        """Whether the last footnote may go on at the foot of ``page``: it was cut mid-sentence on the page before."""
        return self.last_page == page - 1 and bool(self.lines) and ends_open(self.lines[self.last][-1])

    def opening(self, line: Line, calls: set[int]) -> tuple[int, str] | None:
        """The number a line opens a footnote with, and the rest of its text; None for other lines.

        The number is the line's raised label or its first word; it must be the
        next in sequence, or a number called on the page that skips ahead.
        """
        if line.label is not None:
            number, text = line.label, line.text
        elif match := _NUMBER_START.match(line.text):
            number, text = int(match.group(1)), line.text[match.end() :]
        else:
            return None
        if number == self.last + 1 or (number in calls and number > self.last):
            return number, text
        return None

    def take(self, page: Page, body_size: float) -> list[Line]:
        """Move the page's footnote area into the collection; return the body lines above it."""
        calls = {int(n) for line in page.lines for n in MARKER.findall(line.text)}
        start = _area_start(page, body_size, self, calls)
        if start is None:
            return page.lines
        for line in page.lines[start:]:
            opened = self.opening(line, calls)
            if opened is not None:
                number, text = opened
                self.lines[number] = [text]
                self.pages[number] = page.number
            else:
                self.lines[self.last].append(line.text)  # _area_start made sure a footnote is open
            self.last_page = page.number
        return page.lines[:start]


def _area_start(page: Page, body_size: float, notes: Footnotes, calls: set[int]) -> int | None:
    """Index of the first line of the page's footnote area, or None when the page has none."""
    lines = page.lines
    not_larger = _not_larger_tail(lines, body_size)
    for rule in sorted(page.rules, key=lambda r: r.y):
        start = _below_rule(page, rule, body_size)
        if start is not None and start >= not_larger and _area_opens(lines[start:], page, notes, calls):
            return start
    for index in range(not_larger, len(lines)):
        line = lines[index]
        smaller = line.size < body_size - _SIZE_TOLERANCE and all(
            other.size < body_size - _SIZE_TOLERANCE for other in lines[index:]
        )
        if (line.label is not None or smaller) and notes.opening(line, calls):
            return _continued_from(lines, index, page, notes, body_size)
    return None


def _not_larger_tail(lines: list[Line], body_size: float) -> int:
    """Where the run of lines at the foot of the page that are not larger than the body text begins."""
    start = len(lines)
    while start > 0 and lines[start - 1].size <= body_size + _SIZE_TOLERANCE:
        start -= 1
    return start


def _below_rule(page: Page, rule: Rule, body_size: float) -> int | None:
    """Index of the first line under a separator rule, or None when the rule does not set off an area."""
    if rule.y > page.bottom + _RULE_ZONE * page.height:
        return None
    below = [index for index, line in enumerate(page.lines) if line.y + 0.5 * line.size < rule.y]
    if not below or below[-1] != len(page.lines) - 1:
        return None
    start = below[0]
    above = page.lines[start - 1] if start else None
    if above is not None and above.y - rule.y < _RULE_CLEARANCE * body_size:
        return None  # an underline or a table border under a line of text
    if rule.x0 > min(line.x for line in page.lines[start:]) + _RULE_ALIGN:
        return None
    return start


def _area_opens(area: list[Line], page: Page, notes: Footnotes, calls: set[int]) -> bool:
    """An area opens with a footnote, or carries on the one cut at the foot of the page before."""
    return notes.opening(area[0], calls) is not None or notes.open_on(page.number)


def _continued_from(lines: list[Line], start: int, page: Page, notes: Footnotes, body_size: float) -> int:
    """Move ``start`` up over the lines that carry on the previous page's last footnote.

    Without a rule to mark the area, only lines set in the footnotes' smaller
    size, directly above the first footnote, can be told from the body.
    """
    size = lines[start].size
    if not notes.open_on(page.number) or size >= body_size - _SIZE_TOLERANCE:
        return start
    while start > 0 and abs(lines[start - 1].size - size) <= _SIZE_TOLERANCE and lines[start - 1].label is None:
        start -= 1
    return start


def checked_calls(texts: list[str], numbers_with_bodies: set[int]) -> list[str]:
    """Turn back into plain digits the markers that break the footnote numbering.

    Numbering is the second check on superscripts (an exponent, "m²", is
    raised too): calls count up through the document. A marker is a call when
    it is the next number, or when it skips ahead to a footnote that exists
    and the number skipped does not turn up among the next few markers.
    """
    numbers = [int(n) for text in texts for n in MARKER.findall(text)]
    verdicts = iter(_in_sequence(numbers, numbers_with_bodies))
    return [MARKER.sub(lambda m: m.group(0) if next(verdicts) else m.group(1), text) for text in texts]


def _in_sequence(numbers: list[int], numbers_with_bodies: set[int]) -> list[bool]:
    """For each marker number in document order: does it continue the footnote sequence?"""
    verdicts, last = [], 0
    for index, number in enumerate(numbers):
        upcoming = numbers[index + 1 : index + 1 + _CALL_LOOKAHEAD]
        verdict = number == last + 1 or (number > last and number in numbers_with_bodies and last + 1 not in upcoming)
        verdicts.append(verdict)
        if verdict:
            last = number
    return verdicts
