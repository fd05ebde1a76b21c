"""Hybrid retrieval: dense and lexical candidates, fused, filtered.

Dense score of a chunk = mean of its whole-chunk similarity and its best
sentence's similarity, so a passage that answers the question in one sentence
is not drowned by the rest of its block. Lexical score is the lexical index's
(FTS5 bm25 over the context line, the text and the footnote remarks). The
two are fused by ``fusion.fuse``, which standardises each side's scores per
query, so neither the model's nor the engine's scale matters. Filters
restrict both sides before the cut to k.

The retriever sees the engines only through their protocols
(``VectorIndex``, ``LexicalIndex``) and the database through a ``Snapshot``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import numpy as np

from .errors import EmptyQuery, UnknownFilterError
from .filters import Filters
from .fusion import Fuse, fuse
from .lexical import LexicalIndex
from .snapshot import Snapshot

if TYPE_CHECKING:  # the FAISS module is loaded by whoever builds the index, not by search
    from .vectors import VectorIndex

MODES = ("hybrid", "dense", "lexical")
CANDIDATES = 100  # per side, before fusion
SENTENCE_WEIGHT = 0.5  # share of the best sentence in the dense score
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_mode(mode: str) -> str:
    """The mode if it is one of MODES; otherwise ``UnknownFilterError`` naming them."""
    if mode not in MODES:
        raise UnknownFilterError(f"unknown mode {mode!r}: choose from {', '.join(MODES)}")
    return mode


def clean_query(query: str | None) -> str:
    """Strip control characters and surrounding space; refuse an empty query."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", query or "")).strip()
    if not text:
        raise EmptyQuery("empty query: type a question or a few words")
    return text


class Retriever:
    """Ranks chunk ids for a query within one snapshot; the archive turns them into hits.

    ``vectors`` may be None for lexical-only ranking.
    """

    def __init__(self, snapshot: Snapshot, vectors: "VectorIndex | None", lexical: LexicalIndex, dimension: int,
                 fuse: Fuse = fuse):
        self.snapshot = snapshot
        self.vectors = vectors
        self.lexical = lexical
        self.dimension = dimension
        self.fuse = fuse

    def rank(self, query: str, query_vector: np.ndarray | None, filters: Filters, mode: str) -> list[tuple[int, float]]:
        """(chunk id, score) best first, for a mode already checked by ``check_mode``."""
        lexical = self.lexical.search(query, CANDIDATES, filters) if mode in ("hybrid", "lexical") else []
        if mode == "lexical":
            return lexical
        allowed = self.snapshot.filtered_ids(filters) if filters.active else None
        dense = self.dense(query_vector, allowed, extra=[i for i, _ in lexical])
        if mode == "dense":
            return dense
        return self.fuse(dense, lexical)

    def dense(self, query_vector: np.ndarray, allowed: np.ndarray | None, extra: list[int] = ()) -> list[tuple[int, float]]:
        """Dense ranking: vector candidates (plus ``extra`` ids) rescored with the sentence view."""
        candidates = dict(self.vectors.search(query_vector, CANDIDATES, allowed))
        candidates.update(self.similarities(query_vector, [i for i in extra if i not in candidates]))
        best = self.best_sentences(query_vector, list(candidates))
        scored = [
            (i, (1 - SENTENCE_WEIGHT) * whole + SENTENCE_WEIGHT * best.get(i, whole)) for i, whole in candidates.items()
        ]
        scored.sort(key=lambda pair: -pair[1])
        return scored

    def similarities(self, query_vector: np.ndarray, ids: list[int]) -> dict[int, float]:
        """Whole-passage cosine of the given chunk ids."""
        if not ids:
            return {}
        return dict(zip(ids, (float(s) for s in self.vectors.vectors_for(ids) @ query_vector)))

    def best_sentences(self, query_vector: np.ndarray, ids: list[int]) -> dict[int, float]:
        """Cosine of each chunk's best sentence (chunks without sentences are left out)."""
        stored = self.snapshot.sentence_embeddings(ids, self.dimension)
        return {i: float((s @ query_vector).max()) for i, s in stored.items() if len(s)}
