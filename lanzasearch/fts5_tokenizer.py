"""FTS5's own tokenizer on an in-memory database: passages and query words get exactly FTS5's terms.

The pruned lexical index (bm25.py) must hold the terms the archive's FTS5
table holds, or its scores would not be FTS5's. Rather than copy FTS5's
tokenizer (unicode61, diacritics, Porter stemming) in Python, the passages go
through an in-memory FTS5 table created with the archive table's own tokenize
option, and the terms are read back from its ``fts5vocab`` instance table.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from typing import Iterable

import numpy as np

from .postings import Segment

COLUMNS = ("context", "text", "extra")
QUERY_CACHE = 4096  # query words whose terms are remembered


class Fts5Tokenizer:
    """FTS5's tokenizer, with the archive table's options, on an in-memory database.

    ``segment`` turns passages into postings (weighted by column as the
    archive's bm25 weighs them); ``terms`` turns query words into terms.
    """

    def __init__(self, tokenize: str, weights: tuple[float, float, float]):
        self.tokenize = tokenize
        self.weights = dict(zip(COLUMNS, weights))
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        option = tokenize.replace("'", "''")
        self._conn.executescript(
            f"CREATE VIRTUAL TABLE rows USING fts5({', '.join(COLUMNS)}, tokenize='{option}');"
            "CREATE VIRTUAL TABLE row_terms USING fts5vocab(rows, instance);"
            f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize='{option}');"
            "CREATE VIRTUAL TABLE word_terms USING fts5vocab(words, instance);"
        )
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def segment(self, batches: Iterable[list[tuple]]) -> Segment:
        """The postings of passages given as batches of (chunk id, context, text, extra)."""
        vocabulary: dict[str, int] = {}
        parts: list[tuple[np.ndarray, ...]] = []
        for rows in batches:
            if rows:
                parts.append(self._postings(rows, vocabulary))
        if not parts:
            return Segment.empty()
        terms, docs, freqs, ids, lengths = (np.concatenate(column) for column in zip(*parts))
        return Segment.build(list(vocabulary), terms, docs, freqs, ids, lengths)

    def _postings(self, rows: list[tuple], vocabulary: dict[str, int]) -> tuple[np.ndarray, ...]:
        with self._lock:
            self._conn.execute("DELETE FROM rows")
            self._conn.executemany(f"INSERT INTO rows(rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?)", rows)
            # One row per token, in (term, doc, column, offset) order; counting them here is
            # twice as fast as a GROUP BY, which sorts what is already in order.
            instances = self._conn.execute("SELECT term, doc, col FROM row_terms").fetchall()
        ids = np.sort(np.array([row[0] for row in rows], dtype=np.int64))
        if not instances:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), ids, np.zeros(len(ids), np.float32)
        terms, docs, columns = zip(*instances)
        term_ids = np.fromiter((vocabulary.setdefault(t, len(vocabulary)) for t in terms), np.int64, len(terms))
        docs = np.asarray(docs, dtype=np.int64)
        weights = np.fromiter((self.weights[c] for c in columns), np.float64, len(columns))
        # One posting per run of the same (term, doc): the sum of its tokens' column weights.
        starts = np.flatnonzero(np.r_[True, (term_ids[1:] != term_ids[:-1]) | (docs[1:] != docs[:-1])])
        freqs = np.add.reduceat(weights, starts)
        lengths = np.bincount(np.searchsorted(ids, docs), minlength=len(ids)).astype(np.float32)
        return term_ids[starts], docs[starts], freqs, ids, lengths

    def terms(self, words: list[str]) -> list[str] | None:
        """The term of each query word; None when a word is several terms (FTS5 reads it as a phrase)."""
        missing = [w for w in dict.fromkeys(words) if w not in self._cache]
        if missing:
            with self._lock:
                self._conn.execute("DELETE FROM words")
                self._conn.executemany("INSERT INTO words(rowid, word) VALUES (?, ?)", list(enumerate(missing, 1)))
                found: dict[int, list[str]] = {}
                for term, doc in self._conn.execute("SELECT term, doc FROM word_terms ORDER BY doc, offset"):
                    found.setdefault(doc, []).append(term)
                for number, word in enumerate(missing, 1):
                    self._cache[word] = tuple(found.get(number, ()))
                while len(self._cache) > QUERY_CACHE:
                    self._cache.popitem(last=False)
        out = []
        for word in words:
            tokens = self._cache.get(word, ())
            if len(tokens) > 1:
                return None
            out.extend(tokens)
        return out
