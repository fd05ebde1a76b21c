"""The stored vectors' reads of a ``Snapshot``: passage vectors and their sentences' vectors.

A mixin of ``Snapshot`` (it reads through the snapshot's connection, inside
its read transaction), kept apart so the rest of the snapshot stays about
chunks and documents. The vector index (vector_cache.py) and the sentence
file (sentence_cache.py) are derived from these reads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Iterator

import numpy as np


@dataclass
class StoredEmbedding:
    """A passage's vector (float32, unit length) and its sentences' vectors, one row each."""

    vector: np.ndarray
    sentences: np.ndarray


def encode_sentences(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float16).tobytes()


def decode_sentences(blob: bytes, dimension: int) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).reshape(-1, dimension).astype(np.float32)


class VectorReads:
    """Reads of the stored vectors; ``Snapshot`` provides ``_conn`` and ``_name``."""

    _conn: sqlite3.Connection
    _name: str

    def all_embeddings(self, dimension: int) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, float32 matrix) of every stored chunk, read in one pass.

        Rows are copied into one preallocated matrix as they come, so reading
        100k vectors needs their 150 MB once, not a list of blobs beside it.
        """
        count = self._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        ids = np.empty(count, dtype=np.int64)
        matrix = np.empty((count, dimension), dtype=np.float32)
        filled = 0
        for chunk_id, blob in self._conn.execute("SELECT chunk_id, embedding FROM chunks ORDER BY chunk_id"):
            ids[filled] = chunk_id
            matrix[filled] = np.frombuffer(blob, dtype=np.float32)
            filled += 1
        return ids[:filled], matrix[:filled]

    def embeddings_for(self, ids, dimension: int) -> np.ndarray:
        """The float32 vectors of these chunk ids, in that order (the rows added since a generation)."""
        from .snapshot import _batches

        ids = [int(i) for i in ids]
        matrix = np.empty((len(ids), dimension), dtype=np.float32)
        position = {chunk_id: row for row, chunk_id in enumerate(ids)}
        for batch in _batches(ids):
            marks = ",".join("?" * len(batch))
            for chunk_id, blob in self._conn.execute(
                f"SELECT chunk_id, embedding FROM chunks WHERE chunk_id IN ({marks})", batch
            ):
                matrix[position.pop(chunk_id)] = np.frombuffer(blob, dtype=np.float32)
        if position:
            raise KeyError(f"chunks {sorted(position)[:5]} are not in {self._name}")
        return matrix

    def sentence_embeddings(self, ids, dimension: int) -> tuple[list[int], np.ndarray, np.ndarray]:
        """The sentence vectors of these chunks, for the sentence view, as one matrix.

        (chunk ids found, their sentence counts, every sentence's vector as a float32 row,
        chunk after chunk in that order): one product scores them all.
        """
        blobs = dict(self.sentence_blobs(ids))
        counts = np.fromiter((len(b) for b in blobs.values()), dtype=np.int64, count=len(blobs)) // (2 * dimension)
        return list(blobs), counts, decode_sentences(b"".join(blobs.values()), dimension)

    def sentence_blobs(self, ids=None, batch: int = 2000) -> Iterator[tuple[int, bytes]]:
        """(chunk id, float16 sentence rows) of these chunks, or of every chunk in id order."""
        if ids is None:
            cursor = self._conn.execute("SELECT chunk_id, sentence_embeddings FROM chunks ORDER BY chunk_id")
            while rows := cursor.fetchmany(batch):
                yield from rows
            return
        from .snapshot import _batches

        for part in _batches(ids):
            marks = ",".join("?" * len(part))
            yield from self._conn.execute(
                f"SELECT chunk_id, sentence_embeddings FROM chunks WHERE chunk_id IN ({marks})", part)

    def sentence_totals(self) -> tuple[int, int]:
        """(chunks, bytes of their sentence rows): what a file of every sentence vector holds."""
        count, size = self._conn.execute("SELECT COUNT(*), SUM(LENGTH(sentence_embeddings)) FROM chunks").fetchone()
        return int(count), int(size or 0)

    def cached_embeddings(self, hashes: list[str], dimension: int) -> dict[str, StoredEmbedding]:
        """Embeddings already stored for these text hashes: unchanged passages are not re-embedded."""
        from .snapshot import _batches_of

        found: dict[str, StoredEmbedding] = {}
        for batch in _batches_of(list(hashes)):
            marks = ",".join("?" * len(batch))
            for h, vec, sent in self._conn.execute(
                f"SELECT text_hash, embedding, sentence_embeddings FROM chunks WHERE text_hash IN ({marks})", batch
            ):
                found[h] = StoredEmbedding(np.frombuffer(vec, dtype=np.float32).copy(), decode_sentences(sent, dimension))
        return found
