"""Text repair shared by every reader's output: whitespace, stray markers, cut sentences.

A page break or a block of footnotes between two halves of a sentence leaves
two paragraphs where the author wrote one ("…protect those who are" /
"underage. The interpretation…"). ``repair_paragraphs`` rejoins them. It is
deliberately conservative: headings are never merged, and a paragraph is only
continued when it visibly stops mid-sentence and the next one visibly goes on.
Every function here is idempotent, so readers and parsers may both call it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..lang import DEFAULT, LanguageProfile
from .source import Paragraph

# Characters that look like spaces or nothing in a PDF or a Word export.
INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, zero-width, BOM
WIDE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# "word [^3]" → "word[^3]": a call belongs to the word before it.
SPACE_BEFORE_CALL = re.compile(r"\s+(?=\[\^\d+\])")
# Bullet glyphs left at the start of a paragraph by PDF extraction or pasting.
LEADING_GLYPH = re.compile(r"^(?:[•▪◦●■□‣⁃\uf0b7\uf0a7]\s*)+")
# A paragraph made only of punctuation, bullets or a bare page number is furniture.
STRAY_PARAGRAPH = re.compile(r"^(?:[\W_]+|\d{1,3}|\[\^\d+\])$")
# What may trail a sentence after its final stop: footnote calls, quotes, brackets.
TRAILING = re.compile(r"(?:\[\^\d+\]|[\s”’\"')\]])+$")
# A sentence or a lead-in is complete when it ends with one of these.
TERMINAL = ".!?:;…"
LAST_WORD = re.compile(r"(\w+)\W*$")


def normalise_whitespace(text: str) -> str:
    """One space between words, no invisible characters, no space before a footnote call."""
    text = INVISIBLE.sub("", text)
    text = WIDE_SPACE.sub(" ", text.replace("\n", " "))
    return SPACE_BEFORE_CALL.sub("", text).strip()


def clean_paragraph_text(text: str) -> str:
    """Whitespace normalised and leading bullet glyphs removed."""
    return LEADING_GLYPH.sub("", normalise_whitespace(text))


def ends_open(text: str) -> bool:
    """True when ``text`` stops mid-sentence: its last real character is not terminal punctuation."""
    core = TRAILING.sub("", text)
    return bool(core) and core[-1] not in TERMINAL


def starts_mid_sentence(text: str) -> bool:
    """A lowercase letter or a digit first ("6 years."): the text goes on from somewhere.

    An uppercase start is taken as a new sentence, even though a proper noun
    could continue one: merging two real paragraphs is worse than leaving a cut.
    """
    return bool(text) and (text[0].islower() or text[0].isdigit())


def ends_dangling(text: str, profile: LanguageProfile = DEFAULT) -> bool:
    """True when ``text`` ends with a word that cannot end a sentence ("of", "the", "and" …): a paragraph
    ending with one was cut, even when the next part starts with a capital ("…prosecution of" / "ICT …")."""
    match = LAST_WORD.search(TRAILING.sub("", text))
    return bool(match) and match.group(1) in profile.dangling_words


def continues(previous: Paragraph, following: Paragraph, profile: LanguageProfile = DEFAULT) -> bool:
    """True when ``following`` is the rest of the sentence that ``previous`` leaves open."""
    return (
        previous.heading_level == 0
        and following.heading_level == 0
        and following.list_level == 0  # a new bullet is never a continuation
        and previous.box == following.box
        and ends_open(previous.text)
        and (
            starts_mid_sentence(following.text)
            or ends_dangling(previous.text, profile)
            or (_across_pages(previous, following) and following.text.startswith("("))
        )
    )


def _across_pages(previous: Paragraph, following: Paragraph) -> bool:
    """The two paragraphs stand on different pages: a page break may have cut a sentence between them.

    There a continuation may open with a bracket ("…on the Internet”" / "(COSEC) and the…"), which
    elsewhere starts a paragraph of its own ("(Education Act (2023))").
    """
    last_page = previous.end_page or previous.page
    return last_page is not None and following.page is not None and following.page > last_page


def join_texts(first: str, second: str) -> str:
    """Join two halves of a sentence; a line-end hyphen ("self-" + "generated") keeps no space."""
    if first.endswith("-") and len(first) > 1 and first[-2].isalpha():
        return first + second
    return f"{first} {second}"


def _merge(previous: Paragraph, following: Paragraph) -> Paragraph:
    """``previous`` extended by ``following``: its text, and the page where the sentence ends."""
    end_page = following.end_page or following.page or previous.end_page
    if end_page == previous.page:
        end_page = previous.end_page
    return replace(previous, text=join_texts(previous.text, following.text), end_page=end_page)


def repair_paragraphs(paragraphs: list[Paragraph], profile: LanguageProfile = DEFAULT) -> list[Paragraph]:
    """Clean each paragraph, drop stray markers, rejoin sentences cut by page or footnote breaks
    (``profile`` knows the words that end no sentence)."""
    repaired: list[Paragraph] = []
    for paragraph in paragraphs:
        text = clean_paragraph_text(paragraph.text)
        if not text or STRAY_PARAGRAPH.match(text):
            continue
        paragraph = replace(paragraph, text=text)
        if repaired and continues(repaired[-1], paragraph, profile):
            repaired[-1] = _merge(repaired[-1], paragraph)
        else:
            repaired.append(paragraph)
    return repaired
