"""Lexical search: the ``LexicalIndex`` protocol, and SQLite FTS5 as its implementation.

Search needs one thing from a lexical engine: the best chunks for the words
of a free-text query, within the filters, with a score that grows with the
match (search.py squashes it into [0, 1)). FTS5 ranks by bm25 over three
columns, the context line, the text and the extra words (footnote remarks,
recommendation ids); the table lives in the archive database and is written
in the same transaction as the chunks, so it is always in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .filters import Filters
from .text import words
from .vocabulary import STOPWORDS, THESAURUS

if TYPE_CHECKING:
    from .snapshot import Snapshot

FTS_WEIGHTS = (0.5, 1.0, 0.3)  # bm25 column weights: context, text, extra (notes, rec ids)
MAX_QUERY_CHARS = 2000  # longer queries are cut: the model reads 256 tokens anyway
MAX_WORD_CHARS = 60  # longer "words" are noise (a pasted URL, a run of letters)


class LexicalIndex(Protocol):
    """What search needs from a lexical engine, for one state of the archive."""

    def search(self, query: str, n: int, filters: Filters) -> list[tuple[int, float]]:
        """Top-n (chunk id, score > 0; higher is better) for the words of ``query``, within ``filters``."""


def lexical_query(text: str) -> str | None:
    """An FTS5 MATCH expression built from the words of free text, never from its syntax.

    Every word is quoted, so quotes, AND/OR/NOT/NEAR, ``*``, ``^``, ``-`` and
    ``column:`` in user text are plain words or nothing. Everyday words get
    their factsheet synonyms as alternatives. None when no word is left.
    """
    terms: list[str] = []
    seen: set[str] = set()
    for word in words(text[:MAX_QUERY_CHARS]):
        if word in STOPWORDS or word in seen or len(word) > MAX_WORD_CHARS:
            continue
        seen.add(word)
        alternatives = [word, *THESAURUS.get(word, ())]
        quoted = " OR ".join(f'"{w}"' for w in dict.fromkeys(alternatives))
        terms.append(f"({quoted})" if len(alternatives) > 1 else quoted)
    if not terms:
        return None
    return " OR ".join(terms)


class Fts5Index:
    """The FTS5 table of one archive snapshot, as a ``LexicalIndex``."""

    def __init__(self, snapshot: "Snapshot", weights: tuple[float, float, float] = FTS_WEIGHTS):
        self.snapshot = snapshot
        self.weights = weights

    def search(self, query: str, n: int, filters: Filters) -> list[tuple[int, float]]:
        """FTS5 bm25 top-n for the words of ``query`` (see ``lexical_query``), within ``filters``."""
        expression = lexical_query(query)
        if expression is None:
            return []
        return self.snapshot.fts5_search(expression, n, filters, self.weights)
