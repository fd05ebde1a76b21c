"""Small Word files made inside the tests: python-docx builds the package, raw WordprocessingML the rest.

python-docx writes paragraphs, headings, list styles and tables but no
footnotes, shading or borders, so a test states those in the XML Word itself
writes, and ``docx_bytes`` puts them in a real package: body elements before
the section properties, extra styles and numbering definitions in their
parts, footnotes in a footnotes part related to the document as Word relates it.
"""

from __future__ import annotations

import io
import zipfile
from typing import Callable
from xml.sax.saxutils import escape

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
)


def run(text: str, properties: str = "") -> str:
    """A run of text, with optional run properties (``<w:b/>``, ``<w:caps/>`` …)."""
    rpr = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def call(note_id: int) -> str:
    """A footnote call as Word writes it: a run holding a ``w:footnoteReference``."""
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'


def para(*content: str, style: str | None = None, properties: str = "") -> str:
    """A paragraph of runs (plain strings become runs), with a style and paragraph properties."""
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    runs = "".join(part if part.startswith("<") else run(part) for part in content)
    return f"<w:p><w:pPr>{style_xml}{properties}</w:pPr>{runs}</w:p>"


def shading(fill: str) -> str:
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'


def borders(colour: str, sides: tuple[str, ...] = ("top", "left", "bottom", "right"), tag: str = "w:pBdr") -> str:
    lines = "".join(f'<w:{side} w:val="single" w:sz="8" w:space="4" w:color="{colour}"/>' for side in sides)
    return f"<{tag}>{lines}</{tag}>"


def table(rows: list[list[str]], *, cell_properties: str = "", table_properties: str = "") -> str:
    """A table; each cell is given as the XML of its paragraphs (a plain string becomes one paragraph)."""
    body = "".join(
        "<w:tr>" + "".join(
            f"<w:tc><w:tcPr>{cell_properties}</w:tcPr>{cell if cell.startswith('<') else para(cell)}</w:tc>"
            for cell in row
        ) + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl><w:tblPr>{table_properties}</w:tblPr>{body}</w:tbl>"


def docx_bytes(
    body: str = "",
    *,
    footnotes: dict[int, str] | None = None,
    styles: str = "",
    numbering: str = "",
    build: Callable[[Document], None] | None = None,
) -> bytes:
    """A .docx: what ``build`` adds through python-docx, then ``body`` (WordprocessingML) after it.

    ``footnotes`` maps internal footnote ids to their text; ``styles`` and
    ``numbering`` are extra ``w:style`` and ``w:abstractNum``/``w:num`` elements.
    """
    document = docx.Document()
    if build is not None:
        build(document)
    section = document.element.body.find(qn("w:sectPr"))
    for element in parse_xml(f"<w:body {W}>{body}</w:body>"):
        section.addprevious(element)
    for element in parse_xml(f"<w:styles {W}>{styles}</w:styles>"):
        document.styles.element.append(element)
    if numbering:
        definitions = document.part.numbering_part.element
        extra = list(parse_xml(f"<w:numbering {W}>{numbering}</w:numbering>"))
        for element in extra:  # abstract definitions come before the lists that use them
            if element.tag == qn("w:abstractNum"):
                definitions.insert(0, element)
            else:
                definitions.append(element)
    if footnotes is not None:
        _add_footnotes(document, footnotes)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_footnotes(document: Document, footnotes: dict[int, str]) -> None:
    notes = "".join(
        f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>{run(" " + text)}</w:p>'
        "</w:footnote>"
        for note_id, text in footnotes.items()
    )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {W}>{SEPARATORS}{notes}</w:footnotes>'
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def with_part(package: bytes, name: str, data: bytes) -> bytes:
    """``package`` with the part ``name`` replaced (or added), every other part as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename != name:
                target.writestr(entry, source.read(entry))
        target.writestr(name, data)
    return out.getvalue()
