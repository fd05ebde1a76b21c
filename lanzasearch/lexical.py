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

import numpy as np

from .filters import Filters
from .text import words
from .vocabulary import STOPWORDS, THESAURUS

if TYPE_CHECKING:
    from .bm25 import Bm25Index
    from .fts5_tokenizer import Fts5Tokenizer
    from .snapshot import Snapshot

FTS_WEIGHTS = (0.5, 1.0, 0.3)  # bm25 column weights: context, text, extra (notes, rec ids)
MAX_QUERY_CHARS = 2000  # longer queries are cut: the model reads 256 tokens anyway
MAX_WORD_CHARS = 60  # longer "words" are noise (a pasted URL, a run of letters)
RANKING_PROBES = 5  # passages whose words the integrity check searches with both engines
PROBE_WORDS = 12


class LexicalIndex(Protocol):
    """What search needs from a lexical engine, for one state of the archive."""

    def search(self, query: str, n: int, filters: Filters) -> list[tuple[int, float]]:
        """Top-n (chunk id, score > 0; higher is better) for the words of ``query``, within ``filters``."""


def query_words(text: str) -> list[list[str]]:
    """The words of free text a lexical search looks for: per word, the word and its thesaurus synonyms.

    Stop words, repeats and over-long words are left out.
    """
    groups: list[list[str]] = []
    seen: set[str] = set()
    for word in words(text[:MAX_QUERY_CHARS]):
        if word in STOPWORDS or word in seen or len(word) > MAX_WORD_CHARS:
            continue
        seen.add(word)
        groups.append(list(dict.fromkeys([word, *THESAURUS.get(word, ())])))
    return groups


def lexical_query(text: str) -> str | None:
    """An FTS5 MATCH expression built from the words of free text, never from its syntax.

    Every word is quoted, so quotes, AND/OR/NOT/NEAR, ``*``, ``^``, ``-`` and
    ``column:`` in user text are plain words or nothing. Everyday words get
    their factsheet synonyms as alternatives. None when no word is left.
    """
    terms = []
    for alternatives in query_words(text):
        quoted = " OR ".join(f'"{w}"' for w in alternatives)
        terms.append(f"({quoted})" if len(alternatives) > 1 else quoted)
    return " OR ".join(terms) or None


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


class Bm25Search:
    """The pruned BM25 index (bm25.py) of one archive snapshot, as a ``LexicalIndex``.

    It ranks exactly as ``Fts5Index`` does (same terms, same scores) without
    scoring every matching row. A query word FTS5 would read as a phrase (it
    tokenizes into several terms) is left to FTS5 itself.
    """

    def __init__(self, snapshot: "Snapshot", index: "Bm25Index", tokenizer: "Fts5Tokenizer",
                 weights: tuple[float, float, float] = FTS_WEIGHTS):
        self.snapshot = snapshot
        self.index = index
        self.tokenizer = tokenizer
        self.weights = weights

    def search(self, query: str, n: int, filters: Filters) -> list[tuple[int, float]]:
        """BM25 top-n for the words of ``query`` (see ``query_words``), within ``filters``."""
        groups = query_words(query)
        if not groups:
            return []
        terms = self.tokenizer.terms([w for group in groups for w in group])
        if terms is None:
            return Fts5Index(self.snapshot, self.weights).search(query, n, filters)
        allowed = self.snapshot.filtered_ids(filters) if self.snapshot.restricts(filters) else None
        return self.index.search(terms, n, allowed)


def same_ranking(a: list[tuple[int, float]], b: list[tuple[int, float]], k: int = 10) -> bool:
    """Whether two rankings agree on the top k: the same scores, and the same ids but for ties at the cut."""
    a, b = a[:k], b[:k]
    if len(a) != len(b):
        return False
    if any(abs(x - y) > 1e-9 * max(1.0, abs(x)) for (_, x), (_, y) in zip(a, b)):
        return False
    if not a:
        return True
    cut = a[-1][1] + 1e-9 * max(1.0, abs(a[-1][1]))
    return {i for i, s in a if s > cut} == {i for i, s in b if s > cut}


def ranking_differences(snapshot: "Snapshot", index: "Bm25Index", tokenizer: "Fts5Tokenizer") -> list[str]:
    """Probe queries (the opening words of passages spread over the archive) that the two engines rank differently."""
    ids = snapshot.chunk_ids()
    if not len(ids):
        return []
    probes = ids[np.linspace(0, len(ids) - 1, min(RANKING_PROBES, len(ids))).astype(int)]
    pruned, exact = Bm25Search(snapshot, index, tokenizer), Fts5Index(snapshot)
    differ = []
    for rows in snapshot.fts5_rows(probes):
        for chunk_id, _, text, _ in rows:
            query = " ".join(text.split()[:PROBE_WORDS])
            if not same_ranking(pruned.search(query, 10, Filters()), exact.search(query, 10, Filters())):
                differ.append(f"the words of passage {chunk_id}")
    return differ
