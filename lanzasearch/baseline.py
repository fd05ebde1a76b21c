"""The eval set's reference systems: BM25, dense and their hybrid over naive fixed-size chunks.

As the evaluation set's README describes them: the Markdown factsheet and
the Convention cut blindly into windows of at most 1,000 characters with 200
characters of overlap (semantic-text-splitter, which prefers to cut at
paragraph, sentence and word bounds), ranked by BM25 (bm25s, English stop
words), by the archive's embedding model, or by both through reciprocal-rank
fusion. ``make eval`` measures them beside the archive, with the same model,
so the baseline rows of the retrieval table are measured, not quoted. Needs
the ``dev`` extra.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embedding import Embedder

CHUNK_CHARS = 1000
OVERLAP_CHARS = 200
RRF_K = 60  # the usual constant of reciprocal-rank fusion
DEPTH = 100  # candidates per side before the hybrid's fusion


@dataclass
class NaiveChunk:
    """One window of a source file; ``text`` is what the eval set's rule reads."""

    source: str
    text: str


def naive_chunks(paths: list[Path]) -> list[NaiveChunk]:
    """Every file's text in windows of at most CHUNK_CHARS, overlapping by OVERLAP_CHARS."""
    from semantic_text_splitter import TextSplitter

    splitter = TextSplitter(CHUNK_CHARS, overlap=OVERLAP_CHARS)
    return [NaiveChunk(path.name, text) for path in paths for text in splitter.chunks(path.read_text(encoding="utf-8"))]


class NaiveSearch:
    """BM25, dense and hybrid ranking of naive chunks, each returning the chunks best first."""

    def __init__(self, chunks: list[NaiveChunk], embedder: Embedder):
        import bm25s

        self.chunks = chunks
        self.embedder = embedder
        self.bm25 = bm25s.BM25()
        self.bm25.index(bm25s.tokenize([c.text for c in chunks], stopwords="en", show_progress=False),
                        show_progress=False)
        self.vectors = embedder.encode_passages([c.text for c in chunks])

    def lexical_ranks(self, query: str, n: int = DEPTH) -> list[int]:
        """Chunk positions by BM25, best first (only chunks sharing a word with the query)."""
        import bm25s

        tokens = bm25s.tokenize([query], stopwords="en", show_progress=False)
        if not any(len(ids) for ids in tokens.ids):
            return []
        results, scores = self.bm25.retrieve(tokens, k=min(n, len(self.chunks)), show_progress=False)
        return [int(i) for i, s in zip(results[0], scores[0]) if s > 0]

    def dense_ranks(self, query: str, n: int = DEPTH) -> list[int]:
        """Chunk positions by cosine similarity to the query, best first."""
        similarities = self.vectors @ self.embedder.encode_query(query)
        return [int(i) for i in np.argsort(-similarities, kind="stable")[:n]]

    def hybrid_ranks(self, query: str, n: int = DEPTH) -> list[int]:
        """Reciprocal-rank fusion of the two rankings."""
        fused: dict[int, float] = {}
        for ranks in (self.lexical_ranks(query), self.dense_ranks(query)):
            for rank, i in enumerate(ranks, start=1):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank)
        return sorted(fused, key=lambda i: (-fused[i], i))[:n]

    def search(self, query: str, mode: str, k: int = 10) -> list[NaiveChunk]:
        """The k best chunks for a mode: "lexical", "dense" or "hybrid"."""
        ranking = {"lexical": self.lexical_ranks, "dense": self.dense_ranks, "hybrid": self.hybrid_ranks}[mode]
        return [self.chunks[i] for i in ranking(query)[:k]]
