"""Markdown and plain-text files into a ``SourceText``.

The reader knows Markdown as Word/PDF converters write it, not factsheets:
headings, bold-only lines used as headings, bullet and numbered lists,
``<sup>N</sup>`` footnote calls and ``<sup>N</sup> text`` footnote bodies,
horizontal rules, HTML comments and tags, links and emphasis. It removes the
markup and hands over clean paragraphs; footnote calls become ``[^N]`` markers.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Footnote
from .source import Paragraph, SourceError, SourceText

NOT_UTF8 = "is not UTF-8 text (it looks like Latin-1/Windows-1252): re-save it as UTF-8 and ingest again"
NO_TEXT = "contains no text: it is empty once blank lines and markup are removed"

# Suffixes read as plain text: the same line rules apply, but the format is
# recorded as "text" so nobody expects Markdown semantics from them.
PLAIN_TEXT_SUFFIXES = {".txt"}

# --- line patterns -------------------------------------------------------------

HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# "## Title ##": ATX heading; closing hashes are decoration.
ATX_HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.*?)(?:\s+#+)?\s*$")
# "---", "***", "___", "- - -" and the stray "--" converters leave behind: rules, not text.
RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){2,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
# "**Follow-up actions:**" alone on a line: converters write headings this way.
BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_].*?)(?:\*\*|__)\s*$")
STRONG_MARK = re.compile(r"\*\*|__")  # inside a "bold line": two bold runs, "**a** and **b**", not one
BOLD_HEADING_MAX = 200
BOLD_HEADING_LEVEL = 6  # below every '#' heading: a bold line is the humblest heading
# "- item", "* item", "+ item", "1. item", "2) item"; the marker's indentation gives the nesting.
BULLET_ITEM = re.compile(r"^(?P<indent>\s*)[-*+•]\s+(?P<text>.*)$")
ORDERED_ITEM = re.compile(r"^(?P<indent>\s*)(?P<number>\d{1,3})[.)]\s+(?P<text>.*)$")
# A footnote body: "<sup>12</sup> Para. 43." (Word conversions) or "[^12]: Para. 43." (Markdown).
FOOTNOTE_BODY = re.compile(r"^\s*(?:<sup>\s*(?P<sup>\d+)\s*</sup>|\[\^(?P<md>\d+)\]:)\s*(?P<text>.*)$")
# A paragraph that is only a link: a footnote's URL that the converter put on its own line.
BARE_URL = re.compile(r"^<?(?:https?://|www\.)\S+>?$")

# --- inline patterns -----------------------------------------------------------

SUP_CALL = re.compile(r"<sup>\s*(\d+)\s*</sup>")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[(?P<text>[^\]^][^\]]*)\]\([^)]*\)")
AUTOLINK = re.compile(r"<(?P<url>(?:https?|mailto):[^>\s]+)>")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
CODE = re.compile(r"`+(?P<text>[^`]+)`+")
# Emphasis: a marker run that opens after a non-word character and closes before
# one, so "snake_case_names" and "2*3*4" stay as written.
STRONG = re.compile(r"(?<![\w*])(\*\*|__)(?=\S)(?P<text>.+?)(?<=\S)\1(?![\w*])")
EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(?P<text>.+?)(?<=\S)\1(?![\w*])")
ESCAPE = re.compile(r"\\(?P<char>[\\`*_{}\[\]()#+\-.!|])")
SPACES = re.compile(r"[ \t\u00a0]+")


def clean_inline(text: str) -> str:
    """Markdown/HTML inline markup removed; ``<sup>N</sup>`` calls kept as ``[^N]`` markers."""
    text = SUP_CALL.sub(r"[^\1]", text)
    text = IMAGE.sub(r"\g<alt>", text)
    text = LINK.sub(r"\g<text>", text)
    text = AUTOLINK.sub(r"\g<url>", text)
    text = HTML_TAG.sub("", text)
    text = CODE.sub(r"\g<text>", text)
    text = STRONG.sub(r"\g<text>", text)
    text = EMPHASIS.sub(r"\g<text>", text)
    text = ESCAPE.sub(r"\g<char>", text)
    text = html.unescape(text)
    return SPACES.sub(" ", text).strip()


def decode_text(data: bytes) -> str:
    """UTF-8 text of ``data`` (a BOM is allowed), newlines normalised; SourceError otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(NOT_UTF8) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class _Builder:
    """Collects paragraphs and footnotes while the lines are walked."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # raw lines of the open paragraph
    list_level: int = 0  # of the open paragraph
    footnote: int | None = None  # number of the open footnote body, if that is what is open
    last_closed_footnote: int | None = None  # the previous thing closed was this footnote
    list_indents: list[int] = field(default_factory=list)  # indentation of each open list level

    def close(self) -> None:
        """End the open paragraph or footnote body, if one is open."""
        if not self.lines and self.footnote is None:
            return
        text = clean_inline(" ".join(self.lines))
        self.last_closed_footnote = None
        if self.footnote is not None:
            self.footnotes[self.footnote] = Footnote(number=self.footnote, text=text)
            self.last_closed_footnote = self.footnote
        elif text:
            self.paragraphs.append(Paragraph(text=text, list_level=self.list_level))
        self.lines, self.list_level, self.footnote = [], 0, None

    def add_heading(self, text: str, level: int) -> None:
        self.close()
        self.last_closed_footnote = None
        self.list_indents.clear()
        text = clean_inline(text)
        if text:
            self.paragraphs.append(Paragraph(text=text, heading_level=level))

    def start_item(self, indent: int, text: str) -> None:
        """Open a list item; its level comes from the indentation of the items above it."""
        self.close()
        self.last_closed_footnote = None
        while self.list_indents and indent < self.list_indents[-1]:
            self.list_indents.pop()
        if not self.list_indents or indent > self.list_indents[-1]:
            self.list_indents.append(indent)
        self.list_level = len(self.list_indents)
        self.lines = [text]

    def start_footnote(self, number: int, text: str) -> None:
        self.close()
        self.footnote = number
        self.lines = [text]

    def add_text(self, line: str) -> None:
        """A plain line: continues the open paragraph or footnote, or starts a paragraph."""
        if self.lines:
            self.lines.append(line.strip())
            return
        if self._continues_footnote(line):
            return
        self.last_closed_footnote = None
        self.list_indents.clear()  # a paragraph after a blank line ends any list
        self.lines = [line.strip()]

    def _continues_footnote(self, line: str) -> bool:
        """Converters put a footnote's URL on a paragraph of its own ("Research X:" / "<https://…>"); glue it back."""
        if self.last_closed_footnote is None or not BARE_URL.match(line.strip()):
            return False
        note = self.footnotes[self.last_closed_footnote]
        note.text = f"{note.text} {clean_inline(line.strip())}".strip()
        return True


def _list_item(line: str) -> tuple[int, str] | None:
    """(indentation, text) of a list item line; ordered items keep their number ("1. text")."""
    bullet = BULLET_ITEM.match(line)
    if bullet:
        return len(bullet["indent"].expandtabs(4)), bullet["text"]
    ordered = ORDERED_ITEM.match(line)
    if ordered:
        return len(ordered["indent"].expandtabs(4)), f"{ordered['number']}. {ordered['text']}"
    return None


def parse_lines(text: str) -> tuple[list[Paragraph], dict[int, Footnote]]:
    """Paragraphs and footnote bodies of a Markdown text."""
    builder = _Builder()
    for line in HTML_COMMENT.sub("", text).split("\n"):
        if not line.strip():
            builder.close()
            continue
        if RULE.match(line):
            builder.close()
            continue
        heading = ATX_HEADING.match(line)
        if heading:
            builder.add_heading(heading["text"], len(heading["hashes"]))
            continue
        bold = BOLD_LINE.match(line)
        if bold and len(bold["text"]) <= BOLD_HEADING_MAX and not STRONG_MARK.search(bold["text"]):
            builder.add_heading(bold["text"], BOLD_HEADING_LEVEL)
            continue
        footnote = FOOTNOTE_BODY.match(line)
        if footnote:
            builder.start_footnote(int(footnote["sup"] or footnote["md"]), footnote["text"])
            continue
        item = _list_item(line)
        if item:
            builder.start_item(*item)
            continue
        builder.add_text(line)
    builder.close()
    return builder.paragraphs, builder.footnotes


def read_markdown(path: str | Path, data: bytes, sha256: str) -> SourceText:
    """Read a Markdown (``.md``, ``.markdown``) or plain-text (``.txt``) file's bytes.

    Raises SourceError when the bytes are not UTF-8 or hold no text; the message
    names no file, the caller prefixes it.
    """
    text = decode_text(data)
    paragraphs, footnotes = parse_lines(text)
    if not paragraphs:
        raise SourceError(NO_TEXT)
    text_format = "text" if Path(path).suffix.lower() in PLAIN_TEXT_SUFFIXES else "markdown"
    return SourceText(path=str(path), format=text_format, sha256=sha256, paragraphs=paragraphs, footnotes=footnotes)
