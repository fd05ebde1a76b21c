"""Word .docx reader: a .docx's bytes into a ``SourceText``, the same contract as the PDF reader's.

python-docx opens the package and parses its parts with a hardened lxml
parser; why it and not another library is told in the README ("What it
does"). It has no footnote API, so the footnotes part is reached through its
relationship and parsed by the same parser.

What is read, in reading order (body paragraphs, tables row by row and cell
by cell, content controls), with headers and footers left out of the text as
furniture but kept as ``running_headers`` (they name the document when its
title page does not, as a PDF's do):

- headings by style (``styles.heading_level``); list items with their level
  (nested by ``w:ilvl`` and indentation) and the label Word draws ("1.",
  "a)"; none for bullets);
- coloured boxes: a paragraph's or a table cell's shading or borders, in the
  orange or blue family; the innermost colour wins;
- real footnotes (``word/footnotes.xml``): each call becomes a ``[^N]``
  marker glued to the word before it, N counted in document order as Word
  numbers them (from the document's ``w:numStart``), not the internal id;
- text as displayed: tabs as spaces, line breaks splitting the paragraph
  (a title page's "FACTSHEET – NORWAY" stays on its own line; the structure
  parser rejoins a sentence that a soft return cut), soft hyphens dropped,
  non-breaking hyphens read as "-", all-caps formatting applied, hidden and
  deleted text left out, field instructions left out and field results kept.

Pages: a .docx has none; Word lays pages out when it opens the file, with the
fonts and printer at hand. The ``w:lastRenderedPageBreak`` marks it leaves are
a cache of one such layout, so ``page`` and ``page_count`` are None.

Not read: text boxes and shapes, endnotes, comments. A footnote with a custom
mark ("*") is numbered in sequence like the others; its mark is dropped.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from ..model import Footnote
from .docx_package import DAMAGED, check_package
from .docx_styles import ListItem, Numbering, Styles, cell_box, is_on, left_indent, paragraph_box
from .lists import list_levels
from .source import Paragraph, SourceError, SourceText, short_reason

P, TBL, TR, TC, R, T = (qn(f"w:{tag}") for tag in ("p", "tbl", "tr", "tc", "r", "t"))
SDT, SDT_CONTENT, CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
# Inline wrappers whose runs are displayed; w:del and w:moveFrom (deleted text) are not among them.
INLINE_WRAPPERS = {qn(f"w:{tag}") for tag in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml",
                                              "moveTo", "dir", "bdo", "sdtContent")}
SPACES = {qn("w:tab"), qn("w:ptab")}
BREAKS = {qn("w:br"), qn("w:cr")}
NOTE_TYPES_SKIPPED = {"separator", "continuationSeparator", "continuationNotice"}
INDENT_TOLERANCE = 60  # twips (1/24 inch): indents closer than this are one column


@dataclass
class _Line:
    """A paragraph (or one line of it, after a line break) before list levels are nested."""

    paragraph: Paragraph
    item: ListItem | None  # set on the first line of a list item
    indent: int  # twips, where the text starts; text left of a list's items ends the list


def read_docx(path: str, data: bytes, sha256: str) -> SourceText:
    """Read a Word .docx into paragraphs and footnotes (see the module docstring).

    ``data`` holds the file's bytes (the caller has read and hashed them).
    Raises ``SourceError`` when the package is hostile or damaged, is not a
    Word document, or holds no text.
    """
    check_package(data)
    body, reader, headers = _open(data)
    reader.blocks(body, box=None)
    paragraphs = _nest_lists(reader.lines)
    if not paragraphs:
        raise SourceError("contains no text: the document is empty once hidden and deleted text are left out")
    return SourceText(
        path=path, format="docx", sha256=sha256, paragraphs=paragraphs, footnotes=reader.footnotes(), page_count=None,
        running_headers=headers,
    )


def _open(data: bytes) -> tuple[object, _BodyReader, list[str]]:
    """The document body, a reader primed with the styles, numbering and footnotes it refers to, and the
    running headers."""
    try:
        document = docx.Document(io.BytesIO(data))
        part = document.part
        styles = Styles(_related(part, RT.STYLES))
        numbering = Numbering(_related(part, RT.NUMBERING), styles)
        body = document.element.body
        reader = _BodyReader(styles, numbering, _notes(part), _first_note(body, _related(part, RT.SETTINGS)))
        return body, reader, _running_headers(document)
    except ValueError as exc:
        if "not a Word file" not in str(exc):  # python-docx's words for a main part of another type
            raise SourceError(DAMAGED.format(reason=short_reason(exc))) from exc
        raise SourceError(
            "is an Office file of another kind (a macro-enabled document or a template?): "
            "save it from Word as a plain .docx and ingest it again"
        ) from exc
    except Exception as exc:  # malformed XML or relationships surface as many exception types
        raise SourceError(DAMAGED.format(reason=short_reason(exc))) from exc


def _running_headers(document) -> list[str]:
    """The lines of every section's headers and footers (first-page, odd and even pages), in order of first
    appearance; page numbers (fields, digits only) are left out."""
    lines: list[str] = []
    for section in document.sections:
        for part in (section.first_page_header, section.header, section.even_page_header,
                     section.first_page_footer, section.footer, section.even_page_footer):
            if part.is_linked_to_previous:  # no definition of its own: the previous section's, or none
                continue
            for paragraph in part.paragraphs:
                text = _clean(paragraph.text)
                if text and not text.isdigit() and text not in lines:
                    lines.append(text)
    return lines


def _related(part, reltype: str):
    """The root element of the part ``part`` relates to by ``reltype``; None when there is none."""
    try:
        related = part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(related, "element", None)
    return element if element is not None else parse_xml(related.blob)


def _notes(part) -> dict[str, object]:
    """Footnote bodies by their internal id, separators left out."""
    root = _related(part, RT.FOOTNOTES)
    if root is None:
        return {}
    return {
        note.get(qn("w:id")): note
        for note in root.iterchildren(qn("w:footnote"))
        if note.get(qn("w:type"), "normal") not in NOTE_TYPES_SKIPPED
    }


def _first_note(body, settings) -> int:
    """The number Word gives the first footnote: 1 unless the section or the settings start elsewhere."""
    path = f"{qn('w:footnotePr')}/{qn('w:numStart')}"
    for holder in (body.find(qn("w:sectPr")), settings):
        start = holder.find(path) if holder is not None else None
        if start is not None and (start.get(qn("w:val")) or "").isdigit():
            return int(start.get(qn("w:val")))
    return 1


def _clean(text: str) -> str:
    """Displayed text on one line: soft hyphens gone, Unicode hyphens as "-", spaces collapsed."""
    text = text.replace("\u00ad", "").replace("\u2010", "-").replace("\u2011", "-")
    return " ".join(text.split())


class _BodyReader:
    """Walks the document body in reading order and collects lines, list items and footnote calls."""

    def __init__(self, styles: Styles, numbering: Numbering, notes: dict[str, object], first_note: int) -> None:
        self.styles = styles
        self.numbering = numbering
        self.notes = notes
        self.next_note = first_note
        self.numbers: dict[str, int] = {}  # footnote id -> the number Word displays
        self.lines: list[_Line] = []

    # -- block level

    def blocks(self, container, box: str | None) -> None:
        """Paragraphs and tables of a body, a table cell or a content control, in order."""
        for child in container.iterchildren():
            if child.tag == P:
                self.paragraph(child, box)
            elif child.tag == TBL:
                self.table(child, box)
            elif child.tag == SDT and (content := child.find(SDT_CONTENT)) is not None:
                self.blocks(content, box)
            elif child.tag == CUSTOM_XML:
                self.blocks(child, box)

    def table(self, table, box: str | None) -> None:
        """Cells in reading order, row by row; a shaded or bordered cell is a box around its text."""
        properties = table.find(qn("w:tblPr"))
        style = properties.find(qn("w:tblStyle")) if properties is not None else None
        chain = self.styles.chain(style.get(qn("w:val")) if style is not None else None)
        inherited_properties = [properties, *(s.find(qn(tag)) for s in chain for tag in ("w:tblPr", "w:tcPr"))]
        for row in _children(table, TR):
            for cell in _children(row, TC):
                self.blocks(cell, cell_box(cell, inherited_properties) or box)

    def paragraph(self, p, box: str | None) -> None:
        """One Word paragraph: one ``Paragraph`` per line, the first carrying the list item."""
        properties = p.find(qn("w:pPr"))
        chain = self.styles.paragraph_chain(properties)
        heading = self.styles.heading_level(properties, chain)
        item = self.numbering.item(properties, chain)
        colour = paragraph_box(properties, chain) or box
        texts = [_clean(text) for text in self.inline_text(p, chain)]
        if item is not None and item.label and texts[0]:
            texts[0] = f"{item.label} {texts[0]}"
        indent = item.indent if item else left_indent(properties, chain)
        if item is not None and not any(texts):  # an empty bullet still opens its level for the items under it
            self.lines.append(_Line(Paragraph(text="", box=colour), item, indent))
        first = True
        for text in texts:
            if not text:
                continue
            listed = item if first and not heading else None
            self.lines.append(_Line(Paragraph(text=text, heading_level=heading, box=colour), listed, indent))
            first = False

    # -- inline level

    def inline_text(self, element, chain: list, calls: bool = True) -> list[str]:
        """The displayed text of a paragraph's runs, split at line breaks."""
        lines = [""]
        self._inline(element, chain, lines, calls)
        return lines

    def _inline(self, element, chain: list, lines: list[str], calls: bool) -> None:
        for child in element.iterchildren():
            if child.tag == R:
                self._run(child, chain, lines, calls)
            elif child.tag == SDT and (content := child.find(SDT_CONTENT)) is not None:
                self._inline(content, chain, lines, calls)
            elif child.tag in INLINE_WRAPPERS:
                self._inline(child, chain, lines, calls)

    def _run(self, run, chain: list, lines: list[str], calls: bool) -> None:
        properties = run.find(qn("w:rPr"))
        if self._flag(properties, chain, "w:vanish"):
            return  # hidden text is not displayed
        caps = self._flag(properties, chain, "w:caps")
        custom_mark = False  # the text after a call with a custom mark ("*") is that mark, not text
        for child in run.iterchildren():
            if child.tag == T and custom_mark:
                custom_mark = False
            elif child.tag == T:
                lines[-1] += (child.text or "").upper() if caps else (child.text or "")
            elif child.tag in SPACES:
                lines[-1] += " "
            elif child.tag in BREAKS:
                lines.append("")
            elif child.tag == qn("w:noBreakHyphen"):
                lines[-1] += "-"
            elif child.tag == qn("w:footnoteReference") and calls:
                number = self._call(child.get(qn("w:id")))
                if number is not None:  # a call is glued to the word before it: "Network,[^42]"
                    lines[-1] = lines[-1].rstrip() + f"[^{number}]"
                custom_mark = child.get(qn("w:customMarkFollows"), "0").lower() in ("1", "true", "on")

    def _flag(self, properties, chain: list, tag: str) -> bool:
        """A run's toggle property: set on the run, else by its character style, else by the paragraph style."""
        if properties is not None and (own := properties.find(qn(tag))) is not None:
            return is_on(own)
        style = properties.find(qn("w:rStyle")) if properties is not None else None
        styles = [*self.styles.chain(style.get(qn("w:val")) if style is not None else None), *chain]
        for holder in (s.find(qn("w:rPr")) for s in styles):
            if holder is not None and (found := holder.find(qn(tag))) is not None:
                return is_on(found)
        return False

    # -- footnotes

    def _call(self, note_id: str | None) -> int | None:
        """The displayed number of a footnote call; None when the footnote it names does not exist."""
        if note_id not in self.notes:
            return None
        if note_id not in self.numbers:
            self.numbers[note_id] = self.next_note
            self.next_note += 1
        return self.numbers[note_id]

    def footnotes(self) -> dict[int, Footnote]:
        """The called footnotes' bodies, by displayed number, each on one line."""
        found = {}
        for note_id, number in self.numbers.items():
            texts = []
            for p in self.notes[note_id].iter(P):
                chain = self.styles.paragraph_chain(p.find(qn("w:pPr")))
                texts += [_clean(text) for text in self.inline_text(p, chain, calls=False)]
            found[number] = Footnote(number=number, text=" ".join(filter(None, texts)))
        return found


def _children(parent, tag: str) -> list:
    """Direct children with ``tag``, also those wrapped in content controls or custom XML."""
    found = []
    for child in parent.iterchildren():
        if child.tag == tag:
            found.append(child)
        elif child.tag == SDT and (content := child.find(SDT_CONTENT)) is not None:
            found += _children(content, tag)
        elif child.tag == CUSTOM_XML:
            found += _children(child, tag)
    return found


def _nest_lists(lines: list[_Line]) -> list[Paragraph]:
    """List levels by nesting, as a reader sees them; empty bullets dropped once they have served.

    The stack holds the (indent, ilvl) of the open list levels: an item further
    right, or at the same indent one ``ilvl`` deeper, opens a level; one
    further left closes levels. "List Bullet 2" under "List Bullet" nests by
    indentation although both are level 0 of their own lists. Headings, a
    change of box, and text that does not line up with the outermost item's
    text close every list.
    """
    levels = list_levels(
        lines,
        marker=lambda line: line.item,
        compare=_compare,
        continues=lambda line, outermost: _under_item_text(line.indent, outermost),
        box=lambda line: line.paragraph.box,
        heading=lambda line: bool(line.paragraph.heading_level),
    )
    for line, level in zip(lines, levels):
        if level:
            line.paragraph.list_level = level
    return [line.paragraph for line in lines if line.paragraph.text]


def _under_item_text(indent: int, item: ListItem) -> bool:
    """Whether text at ``indent`` lines up with a list item's text (a continuation), not with the margin."""
    return indent > 0 and indent >= item.indent - INDENT_TOLERANCE


def _compare(item: ListItem, other: ListItem) -> int:
    """-1, 0 or 1 as ``item`` stands left of, with, or right of (nested under) ``other``."""
    if abs(item.indent - other.indent) > INDENT_TOLERANCE:
        return 1 if item.indent > other.indent else -1
    return (item.ilvl > other.ilvl) - (item.ilvl < other.ilvl)
