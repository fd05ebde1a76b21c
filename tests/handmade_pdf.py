"""Small PDFs drawn line by line with reportlab, each showing one layout rule to the PDF reader.

Positions are PDF points with y upwards on an A4 page. Text is set in the
standard Helvetica fonts, so widths are known and a superscript can be placed
right after its word. Import it in a test module (``from handmade_pdf import HandmadePdf``).
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from lanzasearch.parsing.pdf import read_pdf
from lanzasearch.parsing.source import SourceText

WIDTH, HEIGHT = 595.0, 842.0
LEFT = 72.0
ORANGE_FILL = (0.99, 0.91, 0.85)  # the factsheets' pale orange and blue, and stronger border shades
ORANGE_LINE = (0.89, 0.42, 0.04)
BLUE_FILL = (0.86, 0.90, 0.95)
BLUE_LINE = (0.21, 0.37, 0.57)
# Helvetica-Oblique is drawn with an encoding whose ¤ and ¦ are U+2010 HYPHEN and U+2011 NON-BREAKING
# HYPHEN (see HandmadePdf.bytes): the standard fonts' own encoding has neither.
HYPHEN_FONT = "Helvetica-Oblique"
_HYPHEN_CODES = {"\u2010": "\xa4", "\u2011": "\xa6"}


class HandmadePdf:
    """A PDF drawn page by page; ``read()`` hands it to the PDF reader."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self.canvas = Canvas(self._buffer, pagesize=(WIDTH, HEIGHT))

    # -- text

    def text(
        self, x: float, y: float, text: str, size: float = 11, *, bold: bool = False, colour=(0, 0, 0)
    ) -> float:
        """Draw ``text`` with its baseline at ``y``; return the x where it ends."""
        font = "Helvetica-Bold" if bold else "Helvetica"
        if any(ch in text for ch in _HYPHEN_CODES):
            font = HYPHEN_FONT
            text = text.translate(str.maketrans(_HYPHEN_CODES))
        self.canvas.setFont(font, size)
        self.canvas.setFillColorRGB(*colour)
        self.canvas.drawString(x, y, text)
        self.canvas.setFillColorRGB(0, 0, 0)
        return x + stringWidth(text, font, size)

    def raised(self, x: float, y: float, text: str, size: float, rise: float, *, text_rise: bool = False) -> float:
        """Draw a superscript ``rise`` points above the baseline ``y``: moved there, or with the ``Ts`` operator."""
        if text_rise:
            obj = self.canvas.beginText(x, y)
            obj.setFont("Helvetica", size)
            obj.setRise(rise)
            obj.textOut(text)
            obj.setRise(0)
            self.canvas.drawText(obj)
        else:
            self.canvas.setFont("Helvetica", size)
            self.canvas.drawString(x, y + rise, text)
        return x + stringWidth(text, "Helvetica", size)

    def paragraph(
        self, y: float, lines: list[str], size: float = 11, pitch: float = 13.0, *, x: float = LEFT, bold: bool = False
    ) -> float:
        """Draw lines ``pitch`` points apart from baseline ``y`` down; return the baseline after the last."""
        for line in lines:
            self.text(x, y, line, size, bold=bold)
            y -= pitch
        return y

    def called(self, x: float, y: float, text: str, call: int, size: float = 11, **raise_options) -> float:
        """Draw ``text`` followed by the raised call number ``call``, as word processors set it."""
        end = self.text(x, y, text, size)
        return self.raised(end, y, str(call), round(size * 0.58, 1), round(size * 0.33, 1), **raise_options)

    def footnote(self, y: float, number: int, lines: list[str], size: float = 10, pitch: float = 12.0) -> float:
        """A footnote body: its number raised before the first line, the text indented a little."""
        self.raised(LEFT, y, str(number), round(size * 0.58, 1), round(size * 0.35, 1))
        return self.paragraph(y, lines, size, pitch, x=LEFT + 5)

    # -- shapes

    def separator(self, y: float, length: float = 144.0) -> None:
        """The short black rule that word processors draw above the footnotes."""
        self.canvas.setFillColorRGB(0, 0, 0)
        self.canvas.rect(LEFT, y, length, 0.5, stroke=0, fill=1)

    def shade(self, rgb: tuple[float, float, float], x0: float, y0: float, x1: float, y1: float) -> None:
        """A filled rectangle behind text (draw it before the text)."""
        self.canvas.setFillColorRGB(*rgb)
        self.canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        self.canvas.setFillColorRGB(0, 0, 0)

    def line(self, rgb: tuple[float, float, float], x0: float, y0: float, x1: float, y1: float, width: float = 1) -> None:
        """One stroked segment."""
        self.canvas.setStrokeColorRGB(*rgb)
        self.canvas.setLineWidth(width)
        self.canvas.line(x0, y0, x1, y1)

    def frame(self, rgb: tuple[float, float, float], x0: float, y0: float, x1: float, y1: float) -> None:
        """A border drawn as four separate lines, as word processors draw paragraph borders."""
        self.line(rgb, x0, y1, x1, y1)
        self.line(rgb, x1, y1, x1, y0)
        self.line(rgb, x1, y0, x0, y0)
        self.line(rgb, x0, y0, x0, y1)

    # -- pages

    def next_page(self) -> None:
        self.canvas.showPage()

    def bytes(self) -> bytes:
        """The finished file; the hyphen font's encoding is set to draw U+2010 and U+2011."""
        self.canvas.showPage()
        self.canvas.save()
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(self._buffer.getvalue())))
        for page in writer.pages:
            for font in page["/Resources"].get("/Font", {}).values():
                font = font.get_object()
                if font.get("/BaseFont") == f"/{HYPHEN_FONT}":
                    font[NameObject("/Encoding")] = DictionaryObject({
                        NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
                        NameObject("/Differences"): ArrayObject([
                            NumberObject(0xA4), NameObject("/hyphentwo"),
                            NumberObject(0xA6), NameObject("/nonbreakinghyphen"),
                        ]),
                    })
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    def read(self) -> SourceText:
        return read_pdf("handmade.pdf", self.bytes(), "0" * 64)
