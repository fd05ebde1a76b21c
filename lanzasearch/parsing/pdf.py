"""PDF reader: a PDF's bytes into a ``SourceText`` with page furniture removed.

pypdf's ``extract_text`` hands every text run over with its position and font
size, and every content-stream operator before it runs. From those this
module rebuilds what a reader of the page sees:

- lines (runs on one baseline, read left to right, pages read top to bottom:
  factsheets are single-column);
- footnote calls (small digits raised above the baseline of the run before
  them) as ``[^N]`` markers, and footnote bodies (small lines at the bottom of
  the page, numbered in sequence) as ``Footnote``s;
- running headers, footers and page numbers (text repeated at the same height
  on many pages, bare numbers in the top or bottom margin), dropped;
- coloured boxes (filled or stroked paths in an orange or blue hue) around
  follow-up actions and promising practices;
- paragraphs: lines grouped by spacing, indentation, style, bullets and box.

Paragraphs are never joined across pages or footnote blocks: the structure
parser repairs those breaks for every source format alike.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from ..model import Footnote
from .colours import box_colour
from .source import Paragraph, SourceError, SourceText, short_reason

# Glyphs that mark a list item ("\uf0b7", "\uf0a7": Symbol and Wingdings bullets
# from word processors). The ambiguous ones are ordinary text too, so they only
# count when drawn as a run of their own (see _split_bullet).
_BULLET_GLYPHS = frozenset("•\uf0b7\uf0a7▪■◦○●‣∙")
_AMBIGUOUS_BULLETS = frozenset({"o", "-", "–", "·", "*"})

_BOLD_FONT = re.compile(r"bold|black|heavy|demi", re.IGNORECASE)
_CALL_TEXT = re.compile(r"\d{1,3}(?:\s*,\s*\d{1,3})*")
_FOOTNOTE_START = re.compile(r"(\d{1,3})[.)]?\s+(?=\S)")
_PAGE_NUMBER = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?|[-–]\s*\d{1,4}\s*[-–]", re.IGNORECASE)
_MARKER = re.compile(r"\[\^(\d+)\]")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_URL_START = re.compile(r"(?:https?://|www\.)\S*$")
_URL_PIECE = re.compile(r"[\w.+\-%~=&?#/:;@]+")

# Layout tolerances, as fractions of the font size unless stated otherwise.
_SAME_BASELINE = 0.2  # runs this close vertically share a line
_SUPERSCRIPT_RISE = (0.15, 0.7)  # how far a superscript's baseline sits above its word
_SUPERSCRIPT_SHRINK = 0.95  # a superscript is set at most this size relative to its word
_CALL_LOOKAHEAD = 5  # markers searched for the next call number before accepting a skip
_SUPERSCRIPT_CHARS = 12  # superscripts are calls ("12, 13") and ordinals ("nd"), never phrases
_SMALL_TEXT = 0.9  # footnote text is smaller than this times the body size
_PARAGRAPH_GAP = 1.8  # baselines further apart than this start a new paragraph
_HEADING_GROWTH = 1.15  # text this much larger than the body text is a heading
_SAME_X = 2.0  # points: left edges this close are aligned
_MARGIN = 0.08  # fraction of the page height searched for headers and footers
_REPEATED_ON = 0.5  # a header or footer repeats on at least this share of pages …
_REPEATED_MIN_PAGES = 3  # … and on at least this many pages
_MIN_BOX = (20.0, 8.0)  # points: smaller coloured shapes are rules and underlines

_NOT_READABLE = "is not a readable PDF ({reason}): re-download or re-export the file"


@dataclass
class _Run:
    """A piece of text drawn in one font at one position (PDF points, y upwards)."""

    text: str
    x: float
    y: float  # baseline; a superscript gets the baseline of the word it belongs to
    size: float  # effective size in points, after text and page scaling
    bold: bool
    superscript: bool = False


@dataclass
class _Box:
    """The bounding box of a coloured shape, in page coordinates."""

    colour: str  # "orange" | "blue"
    x0: float
    y0: float
    x1: float
    y1: float

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    @property
    def area(self) -> float:
        return (self.x1 - self.x0) * (self.y1 - self.y0)


@dataclass
class _Line:
    """One visual line of a page, furniture not yet removed."""

    page: int
    text: str  # footnote calls already written as [^N]
    x: float  # left edge of the text, after any bullet
    y: float
    size: float  # size of the line's regular (not superscript) text
    bold: bool
    bullet_x: float | None = None  # where the bullet glyph stands, for list items
    box: str | None = None


@dataclass
class _Page:
    number: int
    bottom: float
    top: float
    lines: list[_Line]


@dataclass
class _Block:
    """Lines that make one paragraph, before their text is joined."""

    lines: list[_Line]
    heading: bool
    list_level: int = 0

    @property
    def first(self) -> _Line:
        return self.lines[0]


@dataclass
class _DocumentText:
    """What the page-by-page pass keeps: body blocks and footnote lines per footnote."""

    blocks: list[_Block] = field(default_factory=list)
    footnote_lines: dict[int, list[str]] = field(default_factory=dict)
    footnote_pages: dict[int, int] = field(default_factory=dict)


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

    _drop_furniture(pages)
    body_size = _body_font_size(pages)
    document = _DocumentText()
    for page in pages:
        _collect_page(page, body_size, document)
    _assign_list_levels(document.blocks)

    vocabulary = _hyphenation_vocabulary(pages)
    footnotes = {
        number: Footnote(number=number, text=_join_lines(lines, vocabulary), page=document.footnote_pages[number])
        for number, lines in document.footnote_lines.items()
    }
    joined = [_join_lines([line.text for line in block.lines], vocabulary) for block in document.blocks]
    texts = _checked_calls(joined, footnotes)
    levels = _heading_levels(document.blocks)
    paragraphs = [_paragraph(block, text, levels) for block, text in zip(document.blocks, texts)]
    return SourceText(
        path=path, format="pdf", sha256=sha256, paragraphs=paragraphs, footnotes=footnotes, page_count=page_count
    )


def _paragraph(block: _Block, text: str, levels: dict[tuple[float, bool], int]) -> Paragraph:
    """The finished paragraph of a block, its lines joined into ``text``."""
    return Paragraph(
        text=text,
        page=block.first.page,
        heading_level=levels.get(_style(block.first), 0) if block.heading else 0,
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


# --- one page: runs, boxes, lines ----------------------------------------------------------


def _read_page(page, number: int) -> _Page:
    """Extract the page's lines with their fonts, positions, footnote calls and boxes."""
    runs: list[_Run] = []
    boxes = _BoxCollector()

    def visit_text(text, cm, tm, font_dict, font_size):
        run = _make_run(text, cm, tm, font_dict, font_size)
        if run is not None:
            runs.append(run)

    try:
        page.extract_text(visitor_text=visit_text, visitor_operand_before=boxes.visit)
    except Exception as exc:  # a damaged content stream fails in pypdf with many exception types
        raise SourceError(_NOT_READABLE.format(reason=f"page {number}: {short_reason(exc)}")) from exc
    _mark_superscripts(runs)
    media = page.mediabox
    lines = [_make_line(group, number, boxes.boxes) for group in _group_lines(runs)]
    return _Page(number=number, bottom=float(media.bottom), top=float(media.top), lines=lines)


def _make_run(text: str, cm, tm, font_dict, font_size: float) -> _Run | None:
    """A positioned run from pypdf's visitor arguments; None for blank or non-horizontal text."""
    text = text.replace("\r", "").replace("\n", "")
    if not text.strip():
        return None
    # The run's matrix is its text matrix followed by the current transformation matrix.
    a = tm[0] * cm[0] + tm[1] * cm[2]
    b = tm[0] * cm[1] + tm[1] * cm[3]
    c = tm[2] * cm[0] + tm[3] * cm[2]
    d = tm[2] * cm[1] + tm[3] * cm[3]
    if abs(b) > 0.01 * abs(a) or abs(c) > 0.01 * abs(d):
        return None  # rotated text is a watermark or a margin note, not reading text
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    size = font_size * abs(d)
    name = str(font_dict.get("/BaseFont", "")) if font_dict else ""
    return _Run(text=text, x=x, y=y, size=size, bold=bool(_BOLD_FONT.search(name)))


def _mark_superscripts(runs: list[_Run]) -> None:
    """Flag runs set smaller and raised above the run drawn just before them.

    Superscripts follow their word in the content stream; giving them the word's
    baseline puts them on its line.
    """
    base: _Run | None = None
    for run in runs:
        if base is not None and _is_superscript(run, base):
            run.superscript = True
            run.y = base.y
        else:
            base = run


def _is_superscript(run: _Run, base: _Run) -> bool:
    """Smaller than ``base``, raised above its baseline, to its right, and short."""
    rise = run.y - base.y
    low, high = _SUPERSCRIPT_RISE
    return (
        run.size <= _SUPERSCRIPT_SHRINK * base.size
        and low * base.size <= rise <= high * base.size
        and run.x > base.x
        and len(run.text.strip()) <= _SUPERSCRIPT_CHARS
    )


def _group_lines(runs: list[_Run]) -> list[list[_Run]]:
    """Runs on one baseline, lines top to bottom, runs left to right.

    Sorting by position rather than trusting stream order matters: generators
    such as WeasyPrint draw list bullets after the text of the whole page.
    """
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if lines and abs(lines[-1][0].y - run.y) <= _SAME_BASELINE * max(run.size, lines[-1][0].size):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.x) for line in lines]


def _make_line(runs: list[_Run], page: int, boxes: list[_Box]) -> _Line:
    """Join a line's runs, writing digit superscripts as footnote markers."""
    bullet_x, runs = _split_bullet(runs)
    text = ""
    for run in runs:
        if run.superscript and _CALL_TEXT.fullmatch(run.text.strip()):
            # The marker is glued to the word: "Network,42 WeProtect" -> "Network,[^42] WeProtect".
            text = text.rstrip() + "".join(f"[^{n}]" for n in re.findall(r"\d+", run.text))
        else:
            text += run.text
    regular = [run for run in runs if not run.superscript] or runs
    first = runs[0]
    return _Line(
        page=page,
        text=" ".join(text.split()),
        x=first.x,
        y=first.y,
        size=max(run.size for run in regular),
        bold=all(run.bold for run in regular),
        bullet_x=bullet_x,
        box=_box_at(boxes, first.x + 1.0, first.y + 0.3 * first.size),
    )


def _split_bullet(runs: list[_Run]) -> tuple[float | None, list[_Run]]:
    """Where a list item's bullet stands, and the runs without it; (None, runs) for other lines."""
    first = runs[0]
    glyph = first.text.strip()
    if len(runs) > 1 and (glyph in _BULLET_GLYPHS or glyph in _AMBIGUOUS_BULLETS):
        return first.x, runs[1:]
    # Some generators draw the bullet and the item's first words as one run: "• text".
    head = first.text.lstrip()
    if head[:1] in _BULLET_GLYPHS and head[1:2].isspace() and head[2:].strip():
        rest = _Run(text=head[2:], x=first.x, y=first.y, size=first.size, bold=first.bold)
        return first.x, [rest, *runs[1:]]
    return None, runs


# --- coloured boxes --------------------------------------------------------------------------


class _BoxCollector:
    """Follows a page's drawing operators and keeps the orange and blue shapes it paints.

    Only the shape's bounding box matters: the box may be a filled rectangle
    (``re f``) or a rounded border path (``m l c … f*``), in page coordinates.
    """

    _FILL = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
    _STROKE = {b"S", b"s"}

    def __init__(self) -> None:
        self.boxes: list[_Box] = []
        self._fill: tuple[float, ...] | None = (0.0, 0.0, 0.0)
        self._stroke: tuple[float, ...] | None = (0.0, 0.0, 0.0)
        self._saved: list[tuple] = []
        self._points: list[tuple[float, float]] = []

    def visit(self, operator: bytes, operands: list, cm, tm) -> None:
        if operator == b"q":
            self._saved.append((self._fill, self._stroke))
        elif operator == b"Q":
            if self._saved:
                self._fill, self._stroke = self._saved.pop()
        elif operator in (b"rg", b"g", b"k", b"sc", b"scn", b"cs"):
            self._fill = _rgb(operator, operands)
        elif operator in (b"RG", b"G", b"K", b"SC", b"SCN", b"CS"):
            self._stroke = _rgb(operator.lower(), operands)
        elif operator == b"re" and len(operands) == 4:
            x, y, w, h = (float(v) for v in operands)
            self._points += [_transform(cm, x, y), _transform(cm, x + w, y + h)]
        elif operator in (b"m", b"l", b"c", b"v", b"y"):
            coords = [float(v) for v in operands]
            self._points += [_transform(cm, px, py) for px, py in zip(coords[::2], coords[1::2])]
        elif operator in self._FILL or operator in self._STROKE or operator == b"n":
            colour = self._fill if operator in self._FILL else self._stroke if operator in self._STROKE else None
            self._paint(colour)

    def _paint(self, rgb: tuple[float, ...] | None) -> None:
        """Keep the current path's bounding box when it is painted orange or blue, then start afresh."""
        name = box_colour(rgb) if rgb else None
        if name and self._points:
            xs = [p[0] for p in self._points]
            ys = [p[1] for p in self._points]
            box = _Box(name, min(xs), min(ys), max(xs), max(ys))
            if box.x1 - box.x0 >= _MIN_BOX[0] and box.y1 - box.y0 >= _MIN_BOX[1]:
                self.boxes.append(box)
        self._points = []


def _rgb(operator: bytes, operands: list) -> tuple[float, ...] | None:
    """The RGB colour set by a fill-colour operator; None for patterns and unknown spaces.

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


def _transform(cm, x: float, y: float) -> tuple[float, float]:
    return (x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5])


def _box_at(boxes: list[_Box], x: float, y: float) -> str | None:
    """Colour of the innermost box around a point."""
    around = [box for box in boxes if box.contains(x, y)]
    return min(around, key=lambda box: box.area).colour if around else None


# --- furniture -------------------------------------------------------------------------------


def _drop_furniture(pages: list[_Page]) -> None:
    """Remove running headers, footers and page numbers from the top and bottom of every page.

    A header or footer is a line in the page margin that recurs at the same
    height on many pages, identical or with a number that counts up with the
    page; a page number is a bare number in the margin. Only the outermost
    lines are examined, so body text that happens to start a page at the same
    height is safe.
    """
    repeated = _repeated_lines(pages)
    for page in pages:
        lines = page.lines
        while lines and _is_furniture(lines[0], page, repeated):
            lines = lines[1:]
        while lines and _is_furniture(lines[-1], page, repeated):
            lines = lines[:-1]
        page.lines = lines


def _is_furniture(line: _Line, page: _Page, repeated: set[tuple]) -> bool:
    """A repeated line or a bare page number, in the top or bottom margin of its page."""
    margin = _MARGIN * (page.top - page.bottom)
    if page.bottom + margin < line.y < page.top - margin:
        return False
    return bool(_repetition_keys(line, page.number) & repeated) or bool(_PAGE_NUMBER.fullmatch(line.text))


def _repeated_lines(pages: list[_Page]) -> set[tuple]:
    """Repetition keys shared by enough pages to be running headers or footers."""
    counts: Counter[tuple] = Counter()
    for page in pages:
        counts.update(set().union(*(_repetition_keys(line, page.number) for line in page.lines)))
    needed = max(_REPEATED_MIN_PAGES, _REPEATED_ON * len(pages))
    return {key for key, count in counts.items() if count >= needed}


def _repetition_keys(line: _Line, page_number: int) -> set[tuple]:
    """What a line shares with its copies on other pages: height (to 2 points) and text.

    Besides the exact text, one key per number in the line masks that number
    and records its distance to the page number: "Page 3 of 22" on page 3
    matches "Page 4 of 22" on page 4 (distance 0 both times), while footnotes
    such as "12. Para. 43." and "16. Para. 71." at the foot of successive pages
    do not, their numbers not keeping step with the pages.
    """
    height = round(line.y / 2)
    keys: set[tuple] = {(height, line.text, None)}
    for number in re.finditer(r"\d+", line.text):
        masked = line.text[: number.start()] + "#" + line.text[number.end() :]
        keys.add((height, masked, int(number.group()) - page_number))
    return keys


# --- footnotes and paragraphs ------------------------------------------------------------------


def _body_font_size(pages: list[_Page]) -> float:
    """The size most of the text is set in, weighted by characters."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _collect_page(page: _Page, body_size: float, document: _DocumentText) -> None:
    """Split a page into its footnote area and body blocks, adding both to the document."""
    body = _take_footnotes(page, body_size, document)
    block: _Block | None = None
    for line in body:
        if block is None or _starts_block(block, line):
            block = _Block(lines=[line], heading=_is_heading(line, body_size))
            document.blocks.append(block)
        else:
            block.lines.append(line)


def _take_footnotes(page: _Page, body_size: float, document: _DocumentText) -> list[_Line]:
    """Move the footnote bodies at the page bottom into the document; return the other lines.

    The footnote area is the run of small lines at the bottom of the page,
    starting at the first one that opens with the next footnote number or
    with a number called on this page. A line opening with the number after
    the current footnote's starts a new footnote; any other line continues it.
    """
    lines = page.lines
    start = len(lines)
    while start > 0 and lines[start - 1].size < _SMALL_TEXT * body_size:
        start -= 1
    calls = {int(n) for line in lines[:start] for n in _MARKER.findall(line.text)}
    current = max(document.footnote_lines, default=0)
    for index in range(start, len(lines)):
        match = _FOOTNOTE_START.match(lines[index].text)
        if match and (int(match.group(1)) == current + 1 or int(match.group(1)) in calls):
            break
    else:
        return lines
    body, area = lines[:index], lines[index:]
    for position, line in enumerate(area):
        match = _FOOTNOTE_START.match(line.text)
        number = int(match.group(1)) if match else None
        opens = number is not None and (number == current + 1 or (number in calls and number > current))
        if position == 0 or opens:
            current = number
            document.footnote_lines[current] = [line.text[match.end() :]]
            document.footnote_pages[current] = page.number
        else:
            document.footnote_lines[current].append(line.text)
    return body


def _is_heading(line: _Line, body_size: float) -> bool:
    """Headings are set in bold or clearly larger than the body text."""
    return line.bullet_x is None and (line.bold or line.size > _HEADING_GROWTH * body_size)


def _style(line: _Line) -> tuple[float, bool]:
    """A line's type style: size to half a point, and weight."""
    return (round(line.size * 2) / 2, line.bold)


def _starts_block(block: _Block, line: _Line) -> bool:
    """Whether a line begins a new paragraph instead of continuing ``block``.

    A bullet, a change of box or of type style, a gap wider than the line
    spacing, or a change of left edge ends a paragraph. Only the second line
    may change the left edge: leftwards under an indented first line, or
    rightwards under a list item whose bullet is part of its first run.
    """
    previous = block.lines[-1]
    if line.bullet_x is not None or line.box != previous.box or _style(line) != _style(previous):
        return True
    if previous.y - line.y > _PARAGRAPH_GAP * max(line.size, previous.size):
        return True
    if abs(line.x - previous.x) <= _SAME_X:
        return False
    if previous is block.first:
        return line.x < previous.x if previous.bullet_x is not None else line.x > previous.x
    return True


def _assign_list_levels(blocks: list[_Block]) -> None:
    """Nest list items by how far right their bullets stand.

    The stack holds the bullet positions of the open lists. It survives page
    breaks (a nested list may continue on the next page) but not headings,
    boxes, or text that starts at or left of the outermost bullet.
    """
    open_bullets: list[float] = []
    previous_box: str | None = None
    for block in blocks:
        first = block.first
        if first.box != previous_box or block.heading:
            open_bullets = []
        previous_box = first.box
        if first.bullet_x is None:
            if open_bullets and first.x <= open_bullets[0] + _SAME_X:
                open_bullets = []
            continue
        while open_bullets and first.bullet_x < open_bullets[-1] - _SAME_X:
            open_bullets.pop()
        if not open_bullets or first.bullet_x > open_bullets[-1] + _SAME_X:
            open_bullets.append(first.bullet_x)
        block.list_level = len(open_bullets)


def _heading_levels(blocks: list[_Block]) -> dict[tuple[float, bool], int]:
    """Heading level per type style: the largest style is level 1, bold before regular at one size."""
    styles = sorted({_style(block.first) for block in blocks if block.heading}, reverse=True)
    return {style: min(rank, 6) for rank, style in enumerate(styles, start=1)}


# --- text --------------------------------------------------------------------------------------


def _hyphenation_vocabulary(pages: list[_Page]) -> tuple[set[str], set[str]]:
    """Words of the document, hyphenated compounds and plain words apart, lowercased.

    A line-end hyphen is judged by the rest of the document: "self-" +
    "generated" keeps its hyphen when "self-generated" occurs elsewhere.
    """
    compounds: set[str] = set()
    plain: set[str] = set()
    for page in pages:
        for line in page.lines:
            for word in _WORD.findall(line.text):
                (compounds if "-" in word else plain).add(word.lower())
    return compounds, plain


def _join_lines(lines: list[str], vocabulary: tuple[set[str], set[str]]) -> str:
    """Lines of one paragraph as one string: undo line-end hyphenation, rejoin split URLs and slashes."""
    text = ""
    for line in lines:
        if not text:
            text = line
        elif _URL_START.search(text) and _is_url_continuation(line):
            text += line
        elif text.endswith("/") and line[0].isalnum():
            text += line  # lines break after a slash: "and/" + "or videos"
        elif text.endswith("-") and _drop_hyphen(text, line, vocabulary):
            text = text[:-1] + line
        elif text.endswith("-") and re.search(r"[^\W\d_]-$", text):
            text += line  # a compound split after its hyphen
        else:
            text += " " + line
    return text


def _drop_hyphen(text: str, line: str, vocabulary: tuple[set[str], set[str]]) -> bool:
    """Whether a hyphen at the end of ``text`` only split a word across lines.

    Kept when the next line starts with a capital or a digit ("ICT-Facilitated",
    "II-1") or when the hyphenated form occurs elsewhere in the document;
    dropped when only the joined form does; kept when the document cannot tell.
    """
    head = re.search(r"([^\W\d_]+(?:-[^\W\d_]+)*)-$", text)
    tail = re.match(r"[^\W\d_]+", line)
    if not head or not tail or not line[0].islower():
        return False
    compounds, plain = vocabulary
    hyphenated = f"{head.group(1)}-{tail.group(0)}".lower()
    joined = f"{head.group(1)}{tail.group(0)}".lower()
    return hyphenated not in compounds and (joined in plain or joined in compounds)


def _is_url_continuation(line: str) -> bool:
    """A line that carries on a URL broken at the end of the previous line.

    Its first token must look like part of an address: a path, a query, or a
    file name ("…/t/" + "6062d…/", "…-Rapport-" + "Nettovergrep-10-2018.pdf").
    """
    token = line.split(" ", 1)[0]
    return bool(_URL_PIECE.fullmatch(token)) and (
        any(ch in token for ch in "/+=%_?&#") or bool(re.search(r"\.[A-Za-z0-9]{2,5}$", token))
    )


def _checked_calls(texts: list[str], footnotes: dict[int, Footnote]) -> list[str]:
    """Turn back into plain digits the markers that break the footnote numbering.

    Numbering is the second check on superscripts (an exponent, "m²", is
    raised too): calls count up through the document. A marker is a call when
    it is the next number, or when it skips ahead to a footnote that exists
    and the number skipped does not turn up among the next few markers.
    """
    numbers = [int(n) for text in texts for n in _MARKER.findall(text)]
    verdicts = iter(_in_sequence(numbers, footnotes))
    return [_MARKER.sub(lambda m: m.group(0) if next(verdicts) else m.group(1), text) for text in texts]


def _in_sequence(numbers: list[int], footnotes: dict[int, Footnote]) -> list[bool]:
    """For each marker number in document order: does it continue the footnote sequence?"""
    verdicts, last = [], 0
    for index, number in enumerate(numbers):
        upcoming = numbers[index + 1 : index + 1 + _CALL_LOOKAHEAD]
        verdict = number == last + 1 or (number > last and number in footnotes and last + 1 not in upcoming)
        verdicts.append(verdict)
        if verdict:
            last = number
    return verdicts
