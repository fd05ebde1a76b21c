"""Lines of one paragraph or footnote joined into text: line-end hyphens undone, URLs and slashes rejoined."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_URL_START = re.compile(r"(?:https?://|www\.)\S*$")
_URL_PIECE = re.compile(r"[\w.+\-%~=&?#/:;@]+")
_SOFT_HYPHEN = "\u00ad"

Vocabulary = tuple[set[str], set[str]]


def hyphenation_vocabulary(lines: Iterable[str]) -> Vocabulary:
    """Words of the document, hyphenated compounds and plain words apart, lowercased.

    A line-end hyphen is judged by the rest of the document: "self-" +
    "generated" keeps its hyphen when "self-generated" occurs elsewhere.
    """
    compounds: set[str] = set()
    plain: set[str] = set()
    for line in lines:
        words = _WORD.findall(line)
        if line.endswith(_SOFT_HYPHEN):
            words = words[:-1]  # the first half of a broken word is not a word
        for word in words:
            (compounds if "-" in word else plain).add(word.lower())
    return compounds, plain


def join_lines(lines: list[str], vocabulary: Vocabulary) -> str:
    """Lines of one paragraph as one string: undo line-end hyphenation, rejoin split URLs and slashes."""
    text = ""
    for line in lines:
        if not text:
            text = line
        elif text.endswith(_SOFT_HYPHEN):
            text = text[:-1] + line  # the producer marked the break as a hyphenation point
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
    return text.removesuffix(_SOFT_HYPHEN)


def _drop_hyphen(text: str, line: str, vocabulary: Vocabulary) -> bool:
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
