"""The FAISS side of the archive: a derived cache of the vectors stored in SQLite.

Vectors are unit length, so inner product is cosine similarity. Ids are the
archive's chunk ids (``IndexIDMap2``). Below ``HNSW_THRESHOLD`` vectors the
index is exact (flat); above it, HNSW with parameters measured by
``make bench`` (recall@10 against the flat index is reported there).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Callable

import faiss
import numpy as np

from .fsutil import atomic_path

log = logging.getLogger(__name__)

HNSW_THRESHOLD = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
FILE_PATTERN = "vectors-g{generation}.faiss"


def choose_kind(count: int) -> str:
    """Exact search while it is cheap enough; HNSW once the archive is large."""
    override = os.environ.get("LANZASEARCH_FAISS_INDEX")
    if override:
        if override not in ("flat", "hnsw"):
            raise ValueError(f"LANZASEARCH_FAISS_INDEX={override!r}: use 'flat' or 'hnsw'")
        return override
    return "hnsw" if count >= HNSW_THRESHOLD else "flat"


class VectorIndex:
    """FAISS index keyed by chunk id, with the filters the archive needs."""

    def __init__(self, index: faiss.Index, kind: str):
        self.index = index
        self.kind = kind

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dimension: int, kind: str | None = None) -> "VectorIndex":
        kind = kind or choose_kind(len(ids))
        if kind == "hnsw":
            inner = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            inner.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            inner = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIDMap2(inner)
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))
        return cls(index, kind)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    @property
    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def search(self, query: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-n (chunk id, cosine) pairs; ``allowed`` restricts to those ids before ranking."""
        if len(self) == 0 or n <= 0:
            return []
        params = None
        if allowed is not None:
            if len(allowed) == 0:
                return []
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            if self.kind == "hnsw":
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, n))
            else:
                params = faiss.SearchParameters(sel=selector)
        elif self.kind == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(HNSW_EF_SEARCH, n))
        scores, ids = self.index.search(query.reshape(1, -1).astype(np.float32), min(n, len(self)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def vectors_for(self, ids: list[int]) -> np.ndarray:
        """Stored vectors of the given chunk ids, in that order."""
        if not ids:
            return np.zeros((0, self.index.d), dtype=np.float32)
        return np.vstack([self.index.reconstruct(int(i)) for i in ids])

    def save(self, path: Path) -> None:
        """Write atomically: readers of ``path`` never see a partial index."""
        with atomic_path(path) as tmp:
            faiss.write_index(self.index, tmp)

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        index = faiss.read_index(str(path))
        inner = faiss.downcast_index(index.index) if hasattr(index, "index") else index
        kind = "hnsw" if isinstance(inner, faiss.IndexHNSW) else "flat"
        return cls(index, kind)


class VectorCache:
    """Keeps the FAISS index of an archive folder in step with the database's generation.

    The file ``vectors-g<generation>.faiss`` is written atomically after a
    write; a process that finds no file for the current generation (or a
    damaged one, or one whose ids differ from the database's) rebuilds it from
    the embeddings stored in SQLite.
    """

    def __init__(self, folder: Path, dimension: Callable[[], int]):
        self.folder = Path(folder)
        self._dimension = dimension
        self._index: VectorIndex | None = None
        self._generation = -1
        self._lock = threading.Lock()

    @property
    def kind(self) -> str:
        return self._index.kind if self._index is not None else choose_kind(0)

    def path(self, generation: int) -> Path:
        return self.folder / FILE_PATTERN.format(generation=generation)

    def for_snapshot(self, store, conn) -> VectorIndex:
        """The index for the generation that ``conn``'s read transaction sees."""
        generation = store.generation_in(conn)
        with self._lock:
            if self._index is not None and self._generation == generation:
                return self._index
            ids = np.array(sorted(store.chunk_ids(conn)), dtype=np.int64)
            index = self._load(generation, ids)
            if index is None:
                stored_ids, matrix = store.all_embeddings(conn, self._dimension())
                index = VectorIndex.build(stored_ids, matrix, self._dimension())
                self._save(index, generation)
            self._index, self._generation = index, generation
            return index

    def _load(self, generation: int, ids: np.ndarray) -> VectorIndex | None:
        path = self.path(generation)
        if not path.exists():
            return None
        try:
            index = VectorIndex.load(path)
        except Exception as exc:  # a damaged cache is rebuilt, never trusted
            log.warning("recovery: %s is unreadable (%s); rebuilding it from the database", path.name, exc)
            return None
        if not np.array_equal(np.sort(index.ids), ids):
            log.warning("recovery: %s does not match the database; rebuilding it", path.name)
            return None
        return index

    def _save(self, index: VectorIndex, generation: int) -> None:
        try:
            index.save(self.path(generation))
        except OSError as exc:  # a read-only index folder still answers from memory
            log.warning("cannot write %s (%s); the vector index stays in memory", self.path(generation), exc)
            return
        for old in self.folder.glob(FILE_PATTERN.format(generation="*")):
            if old != self.path(generation):
                old.unlink(missing_ok=True)
