"""What the PDF reader sees on a page: text runs, lines, coloured regions and rules.

Plain data passed between the reader's stages. Coordinates are PDF points
with y pointing up, after the page's and the text's transformations.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Run:
    """A piece of text drawn in one font at one position."""

    text: str
    x: float
    y: float  # baseline; a superscript gets the baseline of the word it belongs to
    size: float  # effective size in points, after text and page scaling
    bold: bool
    superscript: bool = False
    colour: tuple[float, ...] | None = None  # fill colour of the glyphs, RGB rounded to 0.01

    @property
    def blank(self) -> bool:
        """A run of spaces: it only says that the runs on either side are separate words."""
        return not self.text.strip()


@dataclass
class Region:
    """The outline of a coloured shape, or of several touching shapes of one colour family."""

    colour: str  # "orange" | "blue"
    x0: float
    y0: float
    x1: float
    y1: float

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def touches(self, other: Region, tolerance: float) -> bool:
        """Overlapping, or apart by at most ``tolerance`` points both ways."""
        return (
            self.x0 - tolerance <= other.x1
            and other.x0 - tolerance <= self.x1
            and self.y0 - tolerance <= other.y1
            and other.y0 - tolerance <= self.y1
        )

    def union(self, other: Region) -> Region:
        return Region(
            self.colour, min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1)
        )

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return self.width * self.height


@dataclass
class Rule:
    """A thin horizontal stroke in a neutral colour: a candidate footnote separator."""

    x0: float
    x1: float
    y: float


@dataclass
class Line:
    """One visual line of a page, furniture not yet removed."""

    page: int
    text: str  # footnote calls already written as [^N]
    x: float  # left edge of the text, after any bullet or raised number
    y: float
    size: float  # size of the line's regular (not superscript) text, the one most characters are set in
    bold: bool
    colour: tuple[float, ...] | None = None  # the one colour of all its regular text; None when mixed
    bullet_x: float | None = None  # where the bullet glyph stands, for list items
    label: int | None = None  # a raised number opening the line: how footnote bodies are numbered
    box: str | None = None


@dataclass
class Page:
    number: int
    bottom: float
    top: float
    lines: list[Line]
    rules: list[Rule] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.top - self.bottom
