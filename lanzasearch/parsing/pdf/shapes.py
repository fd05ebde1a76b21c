"""Coloured boxes and separator rules from a page's drawing operators.

A box may be drawn in many ways: a filled rectangle, a rounded border path,
four separate border lines, the shading of a table cell or of each paragraph
inside it. Every painted shape in an orange or blue hue is kept, and shapes
of one colour family that touch are merged into one region, so the parts of
one box (its title strip, its shaded paragraphs, its border lines) become one
outline; only outlines of a box's size are boxes. The colour family, not the
exact shade, names the kind.

Thin horizontal strokes in a neutral colour are kept too: a footnote area is
set off from the body by such a rule.
"""

from __future__ import annotations

import math

from ..colours import box_colour, hsv
from .layout import Region, Rule

_MIN_BOX = (20.0, 8.0)  # points: smaller coloured outlines are underlines and rules, not boxes
_TOUCHING = 1.5  # points: shapes this close are parts of one box
_RULE_THICKNESS = 2.0  # points: a separator rule is at most this thick …
_RULE_MIN_LENGTH = 30.0  # … and at least this long
_PAGE_FILL = 0.9  # a coloured shape covering this share of the page both ways is a background


class ShapeCollector:
    """Follows a page's drawing operators (pypdf's ``visitor_operand_before``) and keeps what it paints.

    Only a shape's bounding box matters, in page coordinates: ``regions`` gets
    the orange and blue ones, ``rules`` the thin neutral horizontal ones.
    """

    _FILL = {b"f", b"F", b"f*"}
    _STROKE = {b"S", b"s"}
    _FILL_AND_STROKE = {b"B", b"B*", b"b", b"b*"}

    def __init__(self) -> None:
        self.regions: list[Region] = []
        self.rules: list[Rule] = []
        self._fill: tuple[float, ...] | None = (0.0, 0.0, 0.0)
        self._stroke: tuple[float, ...] | None = (0.0, 0.0, 0.0)
        self._width = 1.0  # line width in page units
        self._saved: list[tuple] = []
        self._points: list[tuple[float, float]] = []

    def visit(self, operator: bytes, operands: list, cm, tm) -> None:
        if operator == b"q":
            self._saved.append((self._fill, self._stroke, self._width))
        elif operator == b"Q":
            if self._saved:
                self._fill, self._stroke, self._width = self._saved.pop()
        elif operator in (b"rg", b"g", b"k", b"sc", b"scn", b"cs"):
            self._fill = rgb(operator, operands)
        elif operator in (b"RG", b"G", b"K", b"SC", b"SCN", b"CS"):
            self._stroke = rgb(operator.lower(), operands)
        elif operator == b"w" and operands:
            self._width = _number(operands[0], 1.0) * math.sqrt(abs(cm[0] * cm[3] - cm[1] * cm[2]))
        elif operator == b"re" and len(operands) == 4:
            x, y, w, h = (_number(v, 0.0) for v in operands)
            self._points += [_transform(cm, px, py) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h))]
        elif operator in (b"m", b"l", b"c", b"v", b"y"):
            coords = [_number(v, 0.0) for v in operands]
            self._points += [_transform(cm, px, py) for px, py in zip(coords[::2], coords[1::2])]
        elif operator in self._FILL:
            self._paint(self._fill, stroked=False)
        elif operator in self._STROKE:
            self._paint(self._stroke, stroked=True)
        elif operator in self._FILL_AND_STROKE:
            fill_colour = box_colour(self._fill) if self._fill else None
            self._paint(self._fill if fill_colour else self._stroke, stroked=True)
        elif operator == b"n":
            self._points = []  # a clipping path: nothing is painted

    def _paint(self, rgb: tuple[float, ...] | None, *, stroked: bool) -> None:
        """Keep the current path's bounding box as a region or a rule, then start afresh."""
        points, self._points = self._points, []
        if not points or rgb is None:
            return
        pad = self._width / 2 if stroked else 0.0
        x0 = min(p[0] for p in points) - pad
        x1 = max(p[0] for p in points) + pad
        y0 = min(p[1] for p in points) - pad
        y1 = max(p[1] for p in points) + pad
        colour = box_colour(rgb)
        if colour:
            self.regions.append(Region(colour, x0, y0, x1, y1))
        elif y1 - y0 <= _RULE_THICKNESS and x1 - x0 >= _RULE_MIN_LENGTH and not _is_white(rgb):
            self.rules.append(Rule(x0, x1, (y0 + y1) / 2))

    def boxes(self, page_width: float, page_height: float) -> list[Region]:
        """The page's boxes: touching regions of one colour merged, backgrounds and slivers dropped."""
        merged = merge_regions(self.regions)
        return [
            region
            for region in merged
            if region.width >= _MIN_BOX[0]
            and region.height >= _MIN_BOX[1]
            and not (region.width >= _PAGE_FILL * page_width and region.height >= _PAGE_FILL * page_height)
        ]


def merge_regions(regions: list[Region]) -> list[Region]:
    """Union the regions of one colour family that overlap or touch, until none do."""
    pending = list(regions)
    merged: list[Region] = []
    while pending:
        current = pending.pop()
        grown = True
        while grown:
            grown = False
            for other in list(pending):
                if other.colour == current.colour and other.touches(current, _TOUCHING):
                    current = current.union(other)
                    pending.remove(other)
                    grown = True
        merged.append(current)
    return merged


def box_at(boxes: list[Region], x: float, y: float) -> str | None:
    """Colour of the innermost box around a point."""
    around = [box for box in boxes if box.contains(x, y)]
    return min(around, key=lambda box: box.area).colour if around else None


def _number(value, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def rgb(operator: bytes, operands: list) -> tuple[float, ...] | None:
    """The RGB colour set by a fill-colour operator (lowercase); None for patterns and unknown spaces.

    ``cs`` resets the colour to the space's initial one, black in the device spaces.
    """
    if operator == b"cs":
        return (0.0, 0.0, 0.0)
    try:
        values = [float(v) for v in operands]
    except (TypeError, ValueError):
        return None  # a pattern name: no plain colour to judge
    if len(values) == 1:
        return (values[0],) * 3
    if len(values) == 3:
        return tuple(values)
    if len(values) == 4:
        c, m, y, k = values
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _is_white(rgb: tuple[float, ...]) -> bool:
    _, saturation, value = hsv(rgb)
    return saturation < 0.05 and value > 0.95


def _transform(cm, x: float, y: float) -> tuple[float, float]:
    return (x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5])
