"""What a Word paragraph inherits: heading level, list numbering and box colour.

A .docx rarely says on the paragraph itself that it is a heading or a list
item: it names a style, the style is based on another, and a list style
points into the numbering definitions. These classes follow those chains as
Word does, over the lxml elements python-docx parsed:

- ``Styles``: a style's ``basedOn`` chain; the heading level from the
  paragraph's or style's outline level, or from a built-in "heading N" or
  "Title" style anywhere in the chain (so a house style based on Heading 2 is
  a level-2 heading);
- ``Numbering``: the list level of a paragraph (its own ``w:numPr`` or its
  style's), the label Word draws before it ("1.", "a)", "IV."; none for
  bullets) and its indentation, which is what nests "List Bullet 2" under
  "List Bullet" although both are level 0 of their own lists;
- ``paragraph_box`` and ``cell_box``: shading and border colours, judged by
  the same colour families as the PDF reader (``colours.box_colour``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn

from .colours import box_colour

VAL = qn("w:val")
MAX_CHAIN = 32  # basedOn links followed; real documents use a handful, a loop would be endless
MAX_LEVEL = 6
_HEADING_NAME = re.compile(r"^heading\s+(\d)$", re.IGNORECASE)
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
_NO_BORDER = {"nil", "none"}
_VERTICAL_SIDES = ("left", "right", "start", "end")


def is_on(element) -> bool:
    """A Word toggle property (``<w:caps/>``, ``<w:vanish w:val="0"/>``): present and not switched off."""
    return element is not None and element.get(VAL, "true").lower() not in ("0", "false", "off")


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class Styles:
    """The document's style definitions, by id, with their ``basedOn`` chains."""

    def __init__(self, root) -> None:
        self.by_id: dict[str, object] = {}
        self.default_paragraph: str | None = None
        if root is None:
            return
        for style in root.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            self.by_id[style_id] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                self.default_paragraph = style_id

    def chain(self, style_id: str | None) -> list:
        """The style and the styles it is based on, nearest first."""
        found: list = []
        while style_id in self.by_id and len(found) < MAX_CHAIN:
            style = self.by_id[style_id]
            if any(style is seen for seen in found):
                break
            found.append(style)
            based_on = style.find(qn("w:basedOn"))
            style_id = based_on.get(VAL) if based_on is not None else None
        return found

    def paragraph_chain(self, ppr) -> list:
        """The chain of the paragraph's style, or of the default paragraph style when it names none."""
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return self.chain(style.get(VAL) if style is not None else self.default_paragraph)

    def heading_level(self, ppr, chain: list) -> int:
        """1..6 for a heading, 0 for body text: the outline level first, then built-in heading names."""
        own = _outline_level(ppr)
        if own is not None:
            return own
        for style in chain:
            level = _outline_level(style.find(qn("w:pPr")))
            if level is not None:
                return level
            name = style.find(qn("w:name"))
            name = name.get(VAL, "") if name is not None else ""
            if heading := _HEADING_NAME.match(name):
                return min(int(heading.group(1)), MAX_LEVEL)
            if name.lower() == "title":
                return 1
        return 0


def _outline_level(ppr) -> int | None:
    """The heading level an explicit ``w:outlineLvl`` gives (0 for "body text"); None when there is none."""
    outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    value = _int(outline.get(VAL)) if outline is not None else None
    if value is None:
        return None
    return min(value + 1, MAX_LEVEL) if 0 <= value < 9 else 0


def inherited(ppr, chain: list, tag: str):
    """A paragraph property (``w:shd``, ``w:pBdr``, ``w:ind``, ``w:numPr``): the paragraph's own, else its style's."""
    for holder in [ppr, *(style.find(qn("w:pPr")) for style in chain)]:
        if holder is not None and (found := holder.find(qn(tag))) is not None:
            return found
    return None


# --- lists -------------------------------------------------------------------------------------


@dataclass
class ListItem:
    """Where a numbered or bulleted paragraph stands in its list."""

    num_id: str
    ilvl: int
    indent: int  # left indentation in twips, for nesting lists against each other
    label: str  # what Word draws before the text ("1.", "a)"); "" for bullets


class Numbering:
    """The numbering definitions, and the counters of the lists read so far.

    As in Word, lists that share an abstract definition share its counters
    (a list interrupted by a paragraph and resumed under another ``w:num``
    goes on counting), unless the ``w:num`` restarts with a ``w:startOverride``.
    """

    def __init__(self, root, styles: Styles) -> None:
        self.styles = styles
        self.nums: dict[str, object] = {}
        self.abstracts: dict[str, object] = {}
        self.counters: dict[str, list[int | None]] = {}
        if root is not None:
            self.nums = {n.get(qn("w:numId")): n for n in root.iterchildren(qn("w:num"))}
            self.abstracts = {a.get(qn("w:abstractNumId")): a for a in root.iterchildren(qn("w:abstractNum"))}

    def item(self, ppr, chain: list) -> ListItem | None:
        """The list item a paragraph is, with its label counted; None when it is not in a list."""
        own = ppr.find(qn("w:numPr")) if ppr is not None else None
        styled = inherited(None, chain, "w:numPr")
        num_id = _child_val(own, "w:numId") or _child_val(styled, "w:numId")
        ilvl = _int(_child_val(own, "w:ilvl") or _child_val(styled, "w:ilvl"), 0)
        if not num_id or num_id == "0" or num_id not in self.nums or not 0 <= ilvl < 9:
            return None  # numId 0 switches a style's numbering off
        level, start = self._level(num_id, ilvl)
        if level is None:
            return None
        counts = self.counters.setdefault(self._counter_key(num_id), [None] * 9)
        counts[ilvl] = start if counts[ilvl] is None else counts[ilvl] + 1
        counts[ilvl + 1 :] = [None] * (8 - ilvl)  # a deeper level restarts under each new item
        label = self._label(num_id, level, counts)
        indent = _indent(ppr) or _indent(level.find(qn("w:pPr"))) or _ind_left(inherited(None, chain, "w:ind"))
        return ListItem(num_id=num_id, ilvl=ilvl, indent=indent or 0, label=label)

    def _counter_key(self, num_id: str) -> str:
        """Whose counters a list uses: its own when it restarts, else its abstract definition's."""
        num = self.nums[num_id]
        if num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}") is not None:
            return f"num {num_id}"
        return f"abstract {_child_val(num, 'w:abstractNumId')}"

    def _level(self, num_id: str, ilvl: int, depth: int = 0):
        """The ``w:lvl`` definition and start value for one level of a list (overrides first)."""
        num = self.nums[num_id]
        start = None
        for override in num.iterchildren(qn("w:lvlOverride")):
            if _int(override.get(qn("w:ilvl"))) == ilvl:
                start = _int(_child_val(override, "w:startOverride"))
                if (lvl := override.find(qn("w:lvl"))) is not None:
                    return lvl, start if start is not None else _start(lvl)
        abstract = self.abstracts.get(_child_val(num, "w:abstractNumId"))
        if abstract is None:
            return None, 0
        link = _child_val(abstract, "w:numStyleLink")
        if link and depth < 2:  # the list is defined by a numbering style: follow it once
            linked = _child_val(inherited(None, self.styles.chain(link), "w:numPr"), "w:numId")
            if linked in self.nums and linked != num_id:
                return self._level(linked, ilvl, depth + 1)
        for lvl in abstract.iterchildren(qn("w:lvl")):
            if _int(lvl.get(qn("w:ilvl"))) == ilvl:
                return lvl, start if start is not None else _start(lvl)
        return None, 0

    def _label(self, num_id: str, level, counts: list[int | None]) -> str:
        """The level's ``w:lvlText`` with each %N replaced by the counter of level N, in its format."""
        if _child_val(level, "w:numFmt") in ("bullet", "none"):
            return ""
        template = _child_val(level, "w:lvlText") or ""

        def counter(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            value = counts[index] if 0 <= index < 9 and counts[index] is not None else 1
            lvl, _ = self._level(num_id, index) if 0 <= index < 9 else (None, 0)
            return format_number(value, _child_val(lvl, "w:numFmt") or "decimal")

        return re.sub(r"%([1-9])", counter, template).strip()


def _child_val(parent, tag: str) -> str | None:
    child = parent.find(qn(tag)) if parent is not None else None
    return child.get(VAL) if child is not None else None


def _start(lvl) -> int:
    return _int(_child_val(lvl, "w:start"), 0)


def _indent(ppr) -> int | None:
    """Left indentation in twips from a ``w:pPr`` (``w:left`` or its newer name ``w:start``)."""
    ind = ppr.find(qn("w:ind")) if ppr is not None else None
    return _ind_left(ind)


def _ind_left(ind) -> int | None:
    if ind is None:
        return None
    return _int(ind.get(qn("w:left")) or ind.get(qn("w:start")))


def left_indent(ppr, chain: list) -> int:
    """A paragraph's left indentation in twips, its own or its style's; 0 when neither sets one."""
    return _ind_left(inherited(ppr, chain, "w:ind")) or 0


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def format_number(value: int, fmt: str) -> str:
    """A list counter as Word writes it in ``fmt``: decimal, roman or letters; others fall back to decimal."""
    if fmt in ("upperRoman", "lowerRoman") and 0 < value < 4000:
        roman = ""
        for amount, letters in _ROMAN:
            count, value = divmod(value, amount)
            roman += letters * count
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("upperLetter", "lowerLetter") and value > 0:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)  # Word: a … z, aa … zz
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


# --- boxes -------------------------------------------------------------------------------------


def _rgb(value: str | None) -> tuple[float, float, float] | None:
    """"FDE9D9" as RGB fractions; None for "auto" and anything that is not a hex colour."""
    if not value or not _HEX.match(value):
        return None
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))


def shading_colour(shd) -> str | None:
    """The box family of a ``w:shd``: its fill, or its pattern colour when the pattern is solid."""
    if shd is None:
        return None
    value = shd.get(qn("w:color")) if shd.get(VAL) == "solid" else shd.get(qn("w:fill"))
    rgb = _rgb(value)
    return box_colour(rgb) if rgb else None


def border_colour(borders) -> str | None:
    """The box family of a ``w:pBdr`` or ``w:tcBorders`` that encloses its text.

    A single top or bottom line is a rule or an underline (Word's Title style
    has one), not a box: a box needs a vertical side, or both a top and a bottom.
    """
    if borders is None:
        return None
    sides: dict[str, str] = {}
    for side in borders:
        if not isinstance(side.tag, str) or side.get(VAL, "none") in _NO_BORDER:
            continue
        rgb = _rgb(side.get(qn("w:color")))
        colour = box_colour(rgb) if rgb else None
        if colour:
            sides[side.tag.rsplit("}", 1)[-1]] = colour
    encloses = any(side in sides for side in _VERTICAL_SIDES) or {"top", "bottom"} <= sides.keys()
    return next(iter(sides.values())) if encloses else None


def paragraph_box(ppr, chain: list) -> str | None:
    """The box colour of a shaded or bordered paragraph (its own formatting or its style's)."""
    return shading_colour(inherited(ppr, chain, "w:shd")) or border_colour(inherited(ppr, chain, "w:pBdr"))


def cell_box(tc, table_properties: list) -> str | None:
    """The box colour of a table cell: its own shading or borders, else its table's, else its table style's.

    ``table_properties`` holds the table's ``w:tblPr`` and the ``w:tblPr`` and
    ``w:tcPr`` of its style chain; each may carry shading and borders.
    """
    tcpr = tc.find(qn("w:tcPr"))
    if tcpr is not None:
        colour = shading_colour(tcpr.find(qn("w:shd"))) or border_colour(tcpr.find(qn("w:tcBorders")))
        if colour:
            return colour
    for properties in table_properties:
        if properties is None:
            continue
        colour = shading_colour(properties.find(qn("w:shd"))) or border_colour(
            properties.find(qn("w:tblBorders")) if properties.find(qn("w:tblBorders")) is not None
            else properties.find(qn("w:tcBorders"))
        )
        if colour:
            return colour
    return None
