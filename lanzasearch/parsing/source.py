"""What a reader hands to the structure parsers: paragraphs with furniture removed.

A reader (pdf.py, markdown.py) knows the file format and nothing about
factsheets; a structure parser (factsheet.py, convention.py) knows factsheets
and nothing about file formats. ``SourceText`` is the contract between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import LanzasearchError
from ..model import Footnote

# The pages where a document's language is told: title page, contents, Introduction.
OPENING_PAGES = 3


class SourceError(LanzasearchError):
    """A file that cannot be read as a document. The message says why and what to do."""


def short_reason(exc: Exception, limit: int = 160) -> str:
    """A library's exception as one line of readable length, to quote inside a SourceError.

    Parsers may quote whole chunks of a stream or of an XML part in their messages.
    """
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Paragraph:
    """A run of text that belongs together: a heading, a paragraph, or one list item.

    Footnote calls stay in ``text`` as ``[^N]`` markers (N the footnote number),
    so structure parsers can attach the footnote to the block that cites it.
    """

    text: str
    page: int | None = None  # 1-based page where the paragraph starts; None for text sources
    end_page: int | None = None  # page where it ends, when a page break cut it
    heading_level: int = 0  # 0 body text; 1..6 heading (Markdown '#' count, PDF size/bold)
    list_level: int = 0  # 0 not a list item; 1 top-level bullet, 2 nested …
    box: str | None = None  # "orange" | "blue" when the reader can see a coloured box around it


@dataclass
class SourceText:
    path: str
    format: str  # "pdf" | "docx" | "markdown" | "text"
    sha256: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    page_count: int | None = None
    # Running headers and footers the reader removed ("Lanzarote Committee – 2nd monitoring round –
    # Factsheet Norway"), in order of first appearance: they name the document when its title does not.
    running_headers: list[str] = field(default_factory=list)

    def opening(self, pages: int = OPENING_PAGES) -> list[str]:
        """The text of the first ``pages`` pages (of a source without pages, all of it), in order."""
        return [p.text for p in self.paragraphs if p.page is None or p.page <= pages]
