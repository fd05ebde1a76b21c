"""BM25 top-k over postings, exactly as FTS5's ``bm25()`` scores, with MaxScore pruning.

FTS5 scores every row an OR query matches before it keeps the best k: at
100k passages a query's common words match most of the archive. This index
gives the same top k (the same scores, to float rounding) while touching
far fewer postings:

- Each term's score is ``idf · f·(k1+1) / (f + k1·(1 − b + b·D/avgdl))`` with
  FTS5's constants and idf clamp, ``f`` the column-weighted frequency and
  ``D`` the passage's token count over all columns; a query's score is the
  sum over its terms (a term named twice counts twice, as FTS5's phrases do).
- MaxScore: every term has an upper bound of its score (its largest ``f`` over
  its shortest passage). The postings are walked passage by passage
  (document at a time, compiled: maxscore.py); once the n-th best score so
  far exceeds what the lowest terms could add together, no passage holding
  only those is walked, and they are looked up only for the passages that
  could still enter the top n.
- Filters stay exact and keep the pruning: a small allowed set is scored
  directly, a large one is a mask the walk reads.

The index is a base segment (its deleted passages as tombstones) plus a small
delta segment of passages added since, so a write costs its own passages.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from . import maxscore
from .postings import Segment

K1, B = 1.2, 0.75  # FTS5's bm25 constants
IDF_FLOOR = 1e-6  # FTS5 clamps idf <= 0 (a term in over half the rows) to this
# An allowed set this many times smaller than the postings a query would read is scored directly.
DIRECT_SCORING_RATIO = 8
SLACK = 1e-9  # float rounding of the bounds' sums never prunes a passage that ties


@dataclass(frozen=True)
class _Term:
    spans: tuple[tuple[int, int], ...]  # (start, end) of those postings in the base and the delta segment
    idf: float  # times the term's multiplicity in the query
    bound: float  # upper bound of the term's score in any passage
    postings: int


class Bm25Index:
    """The lexical postings of one state of the archive: a base segment, its tombstones, a delta segment."""

    def __init__(self, base: Segment, dead: np.ndarray, delta: Segment):
        self.base = base
        self.dead = np.unique(np.asarray(dead, dtype=np.int64))
        self.delta = delta
        top = max(int(base.doc_ids[-1]) if len(base) else 0, int(delta.doc_ids[-1]) if len(delta) else 0)
        # Passage length by chunk id; infinite for a passage that is not live, so its score is 0.
        lengths = np.full(top + 1, np.inf)
        lengths[np.asarray(base.doc_ids)] = base.doc_lengths
        lengths[self.dead] = np.inf
        lengths[np.asarray(delta.doc_ids)] = delta.doc_lengths
        self.lengths = lengths
        live = np.isfinite(lengths)
        self.count = int(live.sum())
        self.average_length = float(lengths[live].sum() / self.count) if self.count else 1.0
        self._dead_postings: dict[str, int] = {}

    @property
    def ids(self) -> np.ndarray:
        """The live chunk ids, ascending."""
        return np.flatnonzero(np.isfinite(self.lengths)).astype(np.int64)

    @property
    def dead_share(self) -> float:
        """Share of the base segment's passages that are deleted."""
        return len(self.dead) / len(self.base) if len(self.base) else 0.0

    @property
    def delta_share(self) -> float:
        """Size of the delta segment against the base segment."""
        return len(self.delta) / max(1, len(self.base))

    def updated(self, added: Segment, removed: np.ndarray) -> "Bm25Index":
        """A new index with ``added`` passages in and ``removed`` ones out; this one is left as it is."""
        removed = np.asarray(removed, dtype=np.int64)
        delta = self.delta.without(removed) if len(removed) else self.delta
        if len(added):
            delta = Segment.merge([delta, added])
        dead = np.union1d(self.dead, removed[np.isin(removed, self.base.doc_ids)])
        return Bm25Index(self.base, dead, delta)

    def compacted(self) -> "Bm25Index":
        """The same passages in one base segment, without tombstones."""
        return Bm25Index(Segment.merge([self.base, self.delta], drop=self.dead), np.zeros(0, np.int64), Segment.empty())

    # -- scoring ---------------------------------------------------------------------------

    def _dead_in(self, term: str, docs: np.ndarray) -> int:
        """How many of the base postings ``docs`` of ``term`` are deleted passages (for an exact idf)."""
        if not len(self.dead):
            return 0
        if term not in self._dead_postings:
            where = np.searchsorted(docs, self.dead)
            inside = where < len(docs)
            self._dead_postings[term] = int((docs[where[inside]] == self.dead[inside]).sum())
        return self._dead_postings[term]

    def _terms(self, terms: list[str]) -> list[_Term]:
        found = []
        for term, times in Counter(terms).items():
            spans, postings, max_freq, min_length = [], 0, 0.0, math.inf
            for segment in (self.base, self.delta):
                row = segment.row(term)
                if row is None:
                    spans.append((0, 0))
                    continue
                spans.append((int(segment.offsets[row]), int(segment.offsets[row + 1])))
                docs = segment.postings(row)[0]
                postings += len(docs)
                if segment is self.base:
                    postings -= self._dead_in(term, docs)
                max_freq = max(max_freq, float(segment.max_freq[row]))
                min_length = min(min_length, float(segment.min_length[row]))
            if postings <= 0:
                continue
            idf = math.log((self.count - postings + 0.5) / (postings + 0.5))
            idf = times * (idf if idf > 0 else IDF_FLOOR)
            bound = idf * max_freq * (K1 + 1) / (max_freq + K1 * (1 - B + B * min_length / self.average_length))
            found.append(_Term(tuple(spans), idf, bound, postings))
        return found

    def search(self, terms: list[str], n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The n best (chunk id, bm25 score > 0) for an OR of ``terms``, within ``allowed`` ids (ascending) when given.

        Ties are broken by chunk id. The scores are FTS5's ``-bm25()`` for the same rows.
        """
        scored = self._terms(terms)
        if not scored or n <= 0:
            return []
        listed = mask = None
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
            allowed = allowed[: np.searchsorted(allowed, len(self.lengths))]
            if len(allowed) * DIRECT_SCORING_RATIO <= sum(t.postings for t in scored):
                listed = allowed
            else:
                mask = np.zeros(len(self.lengths), dtype=np.bool_)
                mask[allowed] = True
        scored.sort(key=lambda t: t.bound)
        idf = np.array([t.idf for t in scored])
        bound = np.array([t.bound for t in scored])
        heap_scores, heap_ids, size = np.zeros(n), np.zeros(n, dtype=np.int64), 0
        # The base, then the delta segment, one heap for both (maxscore.py).
        for which, segment in enumerate((self.base, self.delta)):
            spans = np.array([t.spans[which] for t in scored], dtype=np.int64).reshape(-1, 2)
            if not (spans[:, 1] > spans[:, 0]).any():
                continue
            docs, freqs = np.asarray(segment.docs), np.asarray(segment.freqs)
            if listed is None:
                size = maxscore.walk(docs, freqs, spans[:, 0].copy(), spans[:, 1].copy(), idf, bound, self.lengths,
                                     self.average_length, K1, B, SLACK, np.zeros(0, np.bool_) if mask is None else mask,
                                     mask is not None, heap_scores, heap_ids, size, n)
                continue
            in_delta = np.isin(listed, self.delta.doc_ids)  # the delta is small; the rest is the base's
            mine = in_delta if segment is self.delta else ~in_delta
            falling = slice(None, None, -1)  # the listed walk reads the highest bounds first
            size = maxscore.walk_listed(docs, freqs, spans[falling, 0].copy(), spans[falling, 1].copy(), idf[falling].copy(),
                                        bound[falling].copy(), self.lengths, self.average_length, K1, B, SLACK,
                                        listed[mine], heap_scores, heap_ids, size, n)
        return maxscore.ranked(heap_scores, heap_ids, size)
