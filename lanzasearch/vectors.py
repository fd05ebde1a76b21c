"""Vector search: the ``VectorIndex`` and ``VectorCache`` protocols, and FAISS as their implementation.

Search needs little from a vector engine (``VectorIndex``): the nearest
chunks to a query vector, optionally among allowed ids, and the stored
vectors of given ids. The archive keeps an engine in step with the database
through a ``VectorCache`` (vector_cache.py for FAISS). Another engine
implements both protocols and is chosen in ``open_vector_cache``.

FAISS is a derived cache of the vectors stored in SQLite. Vectors are unit
length, so inner product is cosine similarity. Ids are the archive's chunk ids
(``IndexIDMap2``), never reused by SQLite, so an id names one vector forever.
The index kind follows the archive's size: exact (flat) below
``APPROXIMATE_THRESHOLD`` vectors, IVF above; HNSW is offered too
(``LANZASEARCH_FAISS_INDEX`` = flat | ivf | hnsw overrides the choice). The constants
below were measured by ``make bench`` on 2 cores (benchmarks/results.json, README).

Why IVF rather than HNSW by default, at 100k corpus-like vectors (recall@10
against exact search, p50 of a one-thread search for the retriever's 100
candidates; ``make bench``): IVF-Flat with 1265 lists reached 0.984 probing
1/32 of them (1.0 ms) and 0.998 probing 1/16 (1.2–1.8 ms), built in 4–9 s;
HNSW reached 0.93 (M 48, efConstruction 200, efSearch 256, 0.7–0.9 ms) and
0.95 at efSearch 512, built in 20–35 s (M 32: 0.71–0.90). Archives of
factsheets repeat passages nearly word for word across Parties; such
near-duplicate clusters cost HNSW reachability, not IVF.

After a write the index is brought up to date by difference with the database's ids:
new chunks are added, deleted ones become tombstones that searches exclude, rebuilt
once they exceed ``TOMBSTONE_SHARE`` (HNSW cannot remove vectors; for the others, a
search on an older snapshot may still ask for the vector of a chunk just deleted).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Protocol

import faiss
import numpy as np

from .fsutil import atomic_path
from .settings import env_choice

if TYPE_CHECKING:
    from .snapshot import Snapshot

KINDS = ("flat", "ivf", "hnsw")
# Flat search costs 0.1–0.2 ms per 1,000 vectors on one core (10k: 0.6–1 ms, 50k:
# 5.5 ms, 100k: 16–23 ms on a busy machine), so it misses 5 ms p50 from ~30k vectors.
# Below 20k it stays within ~3 ms and exact; above it IVF pays off.
APPROXIMATE_THRESHOLD = 20_000
# Hysteresis: an approximate index turns back into a flat one only well below the
# threshold, so an archive hovering around it does not rebuild on every write.
FLAT_BELOW = APPROXIMATE_THRESHOLD // 2
# IVF: 4·√n lists (1265 at 100k, ~80 vectors each); a query probes 1/16 of them, at most
# IVF_MAX_PROBES. At 100k, probing 1/64 gave recall@10 0.942, 1/32 0.984, 1/16 0.998, 1/8
# 0.999; at 1M (4,000 lists) 62 probes gave 0.988, 125 0.997 (5.8 ms), 250 0.999 (11.4 ms):
# the probes a query needs grow far slower than the lists.
IVF_LISTS_PER_SQRT = 4
IVF_PROBE_SHARE = 1 / 16
IVF_MAX_PROBES = 128
IVF_TRAIN_PER_LIST = 50  # k-means sample per list (FAISS warns below 39)
# HNSW (on request): the best measured below 1 ms at 100k (recall@10 0.93; M 32 with
# efConstruction 40–200 stayed at 0.71–0.90).
HNSW_M = 48
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 256
# A filtered search over at most this many ids scores them exactly (gathering and a
# matrix product take ~1 ms for 5,000 vectors); larger filters search the index
# with an id selector.
EXACT_FILTER_LIMIT = 5_000
# A filtered HNSW search widens its beam by the share of ids kept, up to this many times. A
# filtered IVF search probes as many lists as an unfiltered one, only lists holding allowed ids:
# at 1M, for filters keeping 9–12% (a kind, a section), recall@10 against exact search within the
# filter went from 0.973–0.998 (probes widened 8×, 14–15 ms p50) to 0.998–1.000 (7–8.6 ms).
MAX_FILTER_WIDENING = 8
# An index is rebuilt once this share of its vectors are tombstones.
TOMBSTONE_SHARE = 0.2
# A single query is fastest on one OpenMP thread: on a busy 2-core machine a second
# thread made a flat search of 10k vectors 50× slower (30 ms against 0.6 ms p50).
_SEARCH_THREADS = 1
_BUILD_THREADS = faiss.omp_get_max_threads()


def choose_kind(count: int, current: str | None = None) -> str:
    """Exact search while it is cheap enough; IVF once the archive is large.

    ``LANZASEARCH_FAISS_INDEX`` (flat, ivf or hnsw) forces a kind. ``current``
    is the kind in use, for the hysteresis between exact and approximate
    (an HNSW index no longer asked for becomes IVF).
    """
    override = env_choice("LANZASEARCH_FAISS_INDEX", KINDS)
    if override:
        return override
    if current in ("ivf", "hnsw") and count >= FLAT_BELOW:
        return "ivf"
    return "ivf" if count >= APPROXIMATE_THRESHOLD else "flat"


def ivf_lists(count: int) -> int:
    """How many IVF lists suit ``count`` vectors."""
    return max(1, int(IVF_LISTS_PER_SQRT * count**0.5))


def ivf_probes(lists: int) -> int:
    """How many of ``lists`` IVF lists a query probes."""
    return max(1, min(IVF_MAX_PROBES, int(np.ceil(lists * IVF_PROBE_SHARE))))


class VectorIndex(Protocol):
    """What search needs from a vector engine, for one state of the archive."""

    @property
    def ids(self) -> np.ndarray:
        """The chunk ids it can return, ascending (the integrity check compares them with the database's)."""

    def search(self, query: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-n (chunk id, cosine) pairs, best first; ``allowed`` restricts to those ids before ranking."""

    def vectors_for(self, ids) -> np.ndarray:
        """The stored unit vectors of these chunk ids, in that order (zeros for an id it no longer holds)."""


class VectorCache(Protocol):
    """Keeps one archive folder's vector index in step with its database."""

    def for_snapshot(self, snapshot: "Snapshot") -> VectorIndex:
        """The index for the generation the snapshot reads (or a newer one), brought up to date first."""

    def manifest(self) -> dict:
        """What manifest.json records about the index in use (its kind and parameters)."""

    def saved_generation(self) -> int | None:
        """The database generation of the index kept on disk, or None when none is kept."""


def open_vector_cache(folder: Path, dimension: Callable[[], int]) -> VectorCache:
    """The vector engine of an archive folder (FAISS, the only one so far); ``dimension`` is asked when needed."""
    from .vector_cache import FaissCache  # imported here: the cache module builds on this one

    return FaissCache(folder, dimension)


class _SharedLock:
    """Many searches at once, or one update alone: FAISS indexes are not safe to change while read."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._readers:
                self._cond.wait()
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class FaissIndex:
    """A FAISS index keyed by chunk id: search, stored vectors, and updates in place.

    ``dead`` ids (tombstones) are still stored but never returned, counted or
    listed: ``ids`` and ``len`` describe the live vectors only.
    """

    def __init__(self, index: faiss.IndexIDMap2, kind: str):
        self.index = index
        self.kind = kind
        self._stored = faiss.vector_to_array(index.id_map).astype(np.int64)
        self._dead = np.zeros(0, dtype=np.int64)
        self._exclude: faiss.IDSelector | None = None
        self._lock = _SharedLock()
        self._map_positions()

    def _map_positions(self) -> None:
        """Chunk ids to positions in the index, and (IVF) each position's list, for filtered IVF searches."""
        self._order = np.argsort(self._stored, kind="stable")
        self._sorted = self._stored[self._order]
        self._list_of = np.zeros(0, dtype=np.int32)
        if self.kind == "ivf":
            inner = faiss.downcast_index(self.index.index)
            self._list_of = np.empty(len(self._stored), dtype=np.int32)
            for number in range(inner.nlist):
                size = inner.invlists.list_size(number)
                if size:
                    self._list_of[faiss.rev_swig_ptr(inner.invlists.get_ids(number), size)] = number

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dimension: int, kind: str | None = None) -> "FaissIndex":
        """An index over these vectors; the kind follows their number unless given."""
        kind = kind or choose_kind(len(ids))
        if kind not in KINDS:
            raise ValueError(f"unknown FAISS index kind {kind!r}: use one of {', '.join(KINDS)}")
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        faiss.omp_set_num_threads(_BUILD_THREADS)
        if kind == "hnsw":
            inner = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            inner.hnsw.efSearch = HNSW_EF_SEARCH
        elif kind == "ivf":
            lists = ivf_lists(len(ids))
            inner = faiss.IndexIVFFlat(faiss.IndexFlatIP(dimension), dimension, lists, faiss.METRIC_INNER_PRODUCT)
            sample = np.random.default_rng(0).permutation(len(ids))[: IVF_TRAIN_PER_LIST * lists]
            inner.cp.min_points_per_centroid = 1  # a small archive forced to IVF trains without complaint
            inner.train(vectors[np.sort(sample)] if len(ids) else np.zeros((lists, dimension), dtype=np.float32))
            inner.make_direct_map()  # reconstruct (vectors_for) by position
            inner.nprobe = ivf_probes(lists)
        else:
            inner = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIDMap2(inner)
        if len(ids):
            index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))
        return cls(index, kind)

    @property
    def parameters(self) -> dict:
        """What the manifest records about this index: enough to reproduce it."""
        out = {"kind": self.kind, "threshold": APPROXIMATE_THRESHOLD}
        inner = faiss.downcast_index(self.index.index)
        if self.kind == "ivf":
            out |= {"lists": int(inner.nlist), "probes": int(inner.nprobe)}
        elif self.kind == "hnsw":
            out |= {"M": int(inner.hnsw.nb_neighbors(1)), "ef_construction": int(inner.hnsw.efConstruction),
                    "ef_search": HNSW_EF_SEARCH}
        return out

    @property
    def dimension(self) -> int:
        return int(self.index.d)

    def __len__(self) -> int:
        return len(self._stored) - len(self._dead)

    @property
    def ids(self) -> np.ndarray:
        """The live chunk ids, ascending."""
        stored = np.sort(self._stored)
        return np.setdiff1d(stored, self._dead, assume_unique=True) if len(self._dead) else stored

    @property
    def dead_share(self) -> float:
        return len(self._dead) / len(self._stored) if len(self._stored) else 0.0

    def search(self, query: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-n (chunk id, cosine) pairs, best first; ``allowed`` restricts to those ids before ranking."""
        if len(self) == 0 or n <= 0:
            return []
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        if allowed is not None:
            if len(allowed) == 0:
                return []
            if len(allowed) <= EXACT_FILTER_LIMIT or (self.kind == "flat" and len(allowed) < len(self) // 4):
                return self._exact(query[0], np.asarray(allowed, dtype=np.int64), n)
        faiss.omp_set_num_threads(_SEARCH_THREADS)  # per calling thread: builds elsewhere keep theirs
        if allowed is not None and self.kind == "ivf":
            return self._ivf_filtered(query, np.asarray(allowed, dtype=np.int64), n)
        with self._lock.shared():
            params = self._params(n, allowed)
            scores, ids = self.index.search(query, min(n, len(self)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def _params(self, n: int, allowed: np.ndarray | None) -> faiss.SearchParameters | None:
        selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64)) if allowed is not None else self._exclude
        if self.kind == "hnsw":  # filtered-out vectors are visited but not kept: widen the beam by the share kept
            widen = min(len(self) / len(allowed), MAX_FILTER_WIDENING) if allowed is not None else 1.0
            params = faiss.SearchParametersHNSW(efSearch=int(max(HNSW_EF_SEARCH, n) * widen))
        elif self.kind == "ivf":  # unfiltered: ``_ivf_filtered`` answers filtered searches
            params = faiss.SearchParametersIVF(nprobe=int(faiss.downcast_index(self.index.index).nprobe))
        elif selector is None:
            return None
        else:
            params = faiss.SearchParameters()
        if selector is not None:
            params.sel = selector
        params.selector_ref = selector  # the SWIG object must outlive the search
        return params

    def _ivf_filtered(self, query: np.ndarray, allowed: np.ndarray, n: int) -> list[tuple[int, float]]:
        """Top-n among ``allowed``, probing the lists nearest the query that hold any of them (see
        MAX_FILTER_WIDENING), with the allowed positions as a bitmap."""
        inner = faiss.downcast_index(self.index.index)
        with self._lock.shared():
            at = np.minimum(np.searchsorted(self._sorted, allowed), len(self._sorted) - 1)
            positions = self._order[at[self._sorted[at] == allowed]]
            holding = np.bincount(self._list_of[positions], minlength=inner.nlist) > 0
            distances, lists = inner.quantizer.search(query, inner.nlist)
            near = holding[lists[0]]
            probes = int(min(inner.nprobe, near.sum()))
            if probes == 0:
                return []
            lists = np.ascontiguousarray(lists[:, near][:, :probes])
            distances = np.ascontiguousarray(distances[:, near][:, :probes])
            chosen = np.zeros(len(self._stored), dtype=bool)
            chosen[positions] = True
            bitmap = np.packbits(chosen, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(self._stored), faiss.swig_ptr(bitmap))  # both held till the end
            params = faiss.SearchParametersIVF(nprobe=probes, sel=selector)
            scores, found = np.empty((1, n), dtype=np.float32), np.empty((1, n), dtype=np.int64)
            inner.search_preassigned_c(1, faiss.swig_ptr(query), n, faiss.swig_ptr(lists), faiss.swig_ptr(distances),
                                       faiss.swig_ptr(scores), faiss.swig_ptr(found), False, params)
            return [(int(self._stored[i]), float(s)) for i, s in zip(found[0], scores[0]) if i >= 0]

    def _exact(self, query: np.ndarray, allowed: np.ndarray, n: int) -> list[tuple[int, float]]:
        """Exact top-n among ``allowed`` (live ids only), by a matrix product over their vectors."""
        scores = self.vectors_for(allowed) @ query
        if n < len(scores):
            top = np.argpartition(-scores, n - 1)[:n]
        else:
            top = np.arange(len(scores))
        top = top[np.lexsort((allowed[top], -scores[top]))]
        return [(int(allowed[i]), float(scores[i])) for i in top]

    def vectors_for(self, ids) -> np.ndarray:
        """Stored vectors of the given chunk ids, in that order (one call into FAISS).

        An id the index no longer holds gets a zero vector: only a search still
        reading a snapshot from before the rebuild that dropped it can ask.
        """
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock.shared():
            try:
                return self.index.reconstruct_batch(ids)
            except RuntimeError:
                known = np.isin(ids, self._stored)
                out = np.zeros((len(ids), self.dimension), dtype=np.float32)
                if known.any():
                    out[known] = self.index.reconstruct_batch(ids[known])
                return out

    def update(self, added_ids: np.ndarray, added_vectors: np.ndarray, removed_ids: np.ndarray) -> None:
        """Apply a database change: add new chunks, mark deleted ones as tombstones."""
        added_ids = np.asarray(added_ids, dtype=np.int64)
        removed_ids = np.asarray(removed_ids, dtype=np.int64)
        with self._lock.exclusive():
            if len(added_ids):
                faiss.omp_set_num_threads(_BUILD_THREADS)
                self.index.add_with_ids(np.ascontiguousarray(added_vectors, dtype=np.float32), added_ids)
            self._stored = faiss.vector_to_array(self.index.id_map).astype(np.int64)
            self._map_positions()
            if len(removed_ids):
                self._set_dead(np.union1d(self._dead, removed_ids))

    def _set_dead(self, dead: np.ndarray) -> None:
        self._dead = np.intersect1d(dead, self._stored)
        if len(self._dead):
            batch = faiss.IDSelectorBatch(self._dead)
            self._exclude = faiss.IDSelectorNot(batch)
            self._exclude.batch_ref = batch  # IDSelectorNot keeps a bare pointer to it
        else:
            self._exclude = None

    def save(self, path: Path) -> None:
        """Write atomically: readers of ``path`` never see a partial index.

        Tombstones are not written: whoever loads the file learns them from the
        database (ids in the file that the database no longer has).
        """
        with self._lock.shared(), atomic_path(path) as tmp:
            faiss.write_index(self.index, tmp)

    @classmethod
    def load(cls, path: Path) -> "FaissIndex":
        index = faiss.read_index(str(path))
        if not isinstance(index, faiss.IndexIDMap2):
            raise ValueError(f"{path.name} is a {type(index).__name__}, not an IndexIDMap2")
        inner = faiss.downcast_index(index.index)
        if isinstance(inner, faiss.IndexHNSW):
            kind = "hnsw"
        elif isinstance(inner, faiss.IndexIVF):
            kind = "ivf"
            inner.make_direct_map()  # not always kept by the file format
            inner.nprobe = ivf_probes(inner.nlist)
        else:
            kind = "flat"
        return cls(index, kind)
