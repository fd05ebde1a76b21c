"""Small text helpers shared by chunking, search and evaluation."""

from __future__ import annotations

import re
import unicodedata

# Every character a document may use for a hyphen or a dash (hyphen, non-breaking hyphen,
# figure dash, en and em dash, minus), the ASCII hyphen last so the string can end a
# regular-expression character class: f"[{DASHES}]".
DASHES = "‐‑‒–—−-"

# Abbreviations that end with a full stop without ending a sentence.
_ABBREVIATIONS = (
    "e.g", "i.e", "cf", "para", "paras", "art", "arts", "no", "nos", "etc", "vs", "mr", "mrs", "ms",
    "dr", "st", "p", "pp", "ch", "sec", "fig", "vol", "approx", "incl", "ca",
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(\[]?[A-Z0-9ÆØÅÄÖÜ§])")
_ABBREV_TAIL = re.compile(r"(?:^|[\s(])(" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")\.$", re.IGNORECASE)
_INITIAL_TAIL = re.compile(r"(?:^|\s)[A-Z]\.$")  # "J. Smith", "a) b) c." lists
_WORD = re.compile(r"\w+", re.UNICODE)


def split_sentences(text: str) -> list[str]:
    """Cut text into sentences; list items ("- …") always start a new sentence.

    A sentence boundary is terminal punctuation followed by space and an
    upper-case letter or digit, unless the word before is an abbreviation
    ("cf. the Penal Code", "Para. 43") or a single initial.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(line):
            head = line[start : match.start()].rstrip("\"”’)")
            if _ABBREV_TAIL.search(head) or _INITIAL_TAIL.search(head):
                continue
            piece = line[start : match.start()].strip()
            if piece:
                sentences.append(piece)
            start = match.end()
        tail = line[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def normalize_for_match(text: str) -> str:
    """The eval set's normalisation: NFKD, lower-case, keep only a-z and 0-9."""
    text = unicodedata.normalize("NFKD", text).lower()
    return re.sub(r"[^a-z0-9]", "", text)


def words(text: str) -> list[str]:
    """Word tokens, lower-cased; what the lexical index and highlighting agree on."""
    return [w.lower() for w in _WORD.findall(text)]


def collapse_whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
