"""Running headers, footers and page numbers: found by repetition and position, then dropped."""

from __future__ import annotations

import re
from collections import Counter

from .layout import Line, Page

_PAGE_NUMBER = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?|[-–]\s*\d{1,4}\s*[-–]", re.IGNORECASE)
_MARGIN = 0.08  # fraction of the page height searched for headers and footers
_REPEATED_ON = 0.5  # a header or footer repeats on at least this share of pages …
_REPEATED_MIN_PAGES = 3  # … and on at least this many pages


def drop_furniture(pages: list[Page]) -> list[str]:
    """Remove running headers, footers and page numbers from the top and bottom of every page.

    Returns the texts of the headers and footers found identical on several
    pages (not page numbers, not "Page 3 of 22"), in order of first
    appearance: they may name the document.

    A header or footer is a line in the page margin that recurs at the same
    height on many pages, identical or with a number that counts up with the
    page; a page number is a bare number in the margin. Only the outermost
    lines are examined, so body text that happens to start a page at the same
    height is safe.
    """
    repeated = _repeated_lines(pages)
    removed: Counter[str] = Counter()
    for page in pages:
        lines = page.lines
        while lines and _is_furniture(lines[0], page, repeated):
            removed[lines[0].text] += 1
            lines = lines[1:]
        while lines and _is_furniture(lines[-1], page, repeated):
            removed[lines[-1].text] += 1
            lines = lines[:-1]
        page.lines = lines
    return [text for text, count in removed.items() if count > 1 and not _PAGE_NUMBER.fullmatch(text)]


def _is_furniture(line: Line, page: Page, repeated: set[tuple]) -> bool:
    """A repeated line or a bare page number, in the top or bottom margin of its page."""
    margin = _MARGIN * page.height
    if page.bottom + margin < line.y < page.top - margin:
        return False
    return bool(_repetition_keys(line, page.number) & repeated) or bool(_PAGE_NUMBER.fullmatch(line.text))


def _repeated_lines(pages: list[Page]) -> set[tuple]:
    """Repetition keys shared by enough pages to be running headers or footers."""
    counts: Counter[tuple] = Counter()
    for page in pages:
        counts.update(set().union(*(_repetition_keys(line, page.number) for line in page.lines)))
    needed = max(_REPEATED_MIN_PAGES, _REPEATED_ON * len(pages))
    return {key for key, count in counts.items() if count >= needed}


def _repetition_keys(line: Line, page_number: int) -> set[tuple]:
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
