"""The sentence vectors of an archive folder in one memory-mapped file, beside the database.

The sentence view (search.py) scores each candidate passage by its best
sentence: about 200 passages per question. In SQLite their vectors sit behind
each chunk row's text and passage vector, and reading them took 1 ms of a 5 ms
search at 100k passages; scored where they lie in a memory map (a compiled
loop, ``_best_rows``) they take a tenth of that.

A chunk id names one passage and its vectors forever (SQLite never reuses an
id, and a rebuild writes new ones), so a file stays true for every id it holds
at any later generation:

- ``sentences-g<n>.bin`` holds every chunk id of generation n, ascending, the
  offsets of their rows, and the float16 rows as SQLite stores them; it is
  written atomically, as it is read, and never changed.
- Passages added since are read from the database, until they (or the
  deleted passages still in the file) reach ``REWRITE_SHARE`` of the archive;
  then a new file is written and the older ones are removed.
- A file newer than the database (restored from a backup, which may hand out
  its ids again) or made for another dimension is never used. ``check``
  compares the file's checksum and a sample of its rows with the database.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numba
import numpy as np

from .arrayfile import load_arrays, write_arrays
from .fsutil import generation_files

if TYPE_CHECKING:
    from .snapshot import Snapshot

log = logging.getLogger(__name__)

FORMAT = 1
FILE_PATTERN = "sentences-g{generation}.bin"
REWRITE_SHARE = 0.1  # write a new file once this share of the archive is read from the database
CHECK_SAMPLE = 500  # rows ``check`` compares with the database, spread over the file
# The value of every float16, by its bits. numpy widens float16 one number at a time (0.4 ms for the
# 600 sentence rows of a question, as long as the FAISS search); the compiled scoring below reads
# each number's value from this table instead, where the row lies, and copies nothing.
_HALF = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float64)


@numba.njit(nogil=True, cache=True)
def _best_rows(bits: np.ndarray, offsets: np.ndarray, at: np.ndarray, query: np.ndarray, half: np.ndarray) -> np.ndarray:
    """For each file position in ``at``, the largest dot product of ``query`` with one of its rows
    (-inf for none); the rows are float16 bits, read through ``half``, added up in float64."""
    best = np.full(len(at), -np.inf)
    for c in range(len(at)):
        for r in range(offsets[at[c]], offsets[at[c] + 1]):
            total = 0.0
            for j in range(len(query)):
                total += half[bits[r, j]] * query[j]
            best[c] = max(best[c], total)
    return best


def best_of(query: np.ndarray, found: list[int], counts: np.ndarray, matrix: np.ndarray) -> dict[int, float]:
    """Each chunk's best sentence cosine, from ``Snapshot.sentence_embeddings``'s rows (chunks without any left out)."""
    has = counts > 0
    if not has.any():
        return {}
    best = np.maximum.reduceat(matrix @ query, (np.cumsum(counts) - counts)[has])
    return dict(zip((i for i, yes in zip(found, has) if yes), best.tolist()))


class SentenceVectors:
    """Sentence vectors by chunk id: those of the file from a memory map, the others from the snapshot."""

    def __init__(self, dimension: int, ids: np.ndarray | None = None, offsets: np.ndarray | None = None,
                 rows: np.ndarray | None = None, checksum: bytes = b"", name: str = ""):
        self.dimension = dimension
        self.name = name  # the file's name, for messages
        self.ids = ids if ids is not None else np.zeros(0, np.int64)
        self.offsets = offsets if offsets is not None else np.zeros(1, np.int64)
        self.rows = rows if rows is not None else np.zeros((0, dimension), np.float16)
        self.checksum = checksum
        self._bits = self.rows.view(np.uint16)

    def held(self, ids: np.ndarray) -> np.ndarray:
        """The positions in the file of these ids, -1 where the file does not hold one."""
        if not len(self.ids):
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        return np.where(self.ids[at] == ids, at, -1)

    def gather(self, snapshot: "Snapshot", ids) -> tuple[list[int], np.ndarray, np.ndarray]:
        """(chunk ids found, their sentence counts, every sentence's vector as a float32 row, chunk after
        chunk in that order), like ``Snapshot.sentence_embeddings``, of which it reads only what the file lacks."""
        ids = np.asarray(ids, dtype=np.int64)
        at = self.held(ids)
        inside = at >= 0
        starts, ends = self.offsets[at[inside]], self.offsets[at[inside] + 1]
        counts = ends - starts
        rows = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
        found, matrix = ids[inside].tolist(), self.rows[rows].astype(np.float32)
        if inside.all():
            return found, counts, matrix
        more, more_counts, more_matrix = snapshot.sentence_embeddings(ids[~inside], self.dimension)
        return found + more, np.concatenate([counts, more_counts]), np.concatenate([matrix, more_matrix])

    def best(self, snapshot: "Snapshot", query: np.ndarray, ids) -> dict[int, float]:
        """Each chunk's best sentence cosine with ``query`` (chunks without sentences are left out), as
        ``best_of`` gives it: the file's rows scored where they lie, the others read from the snapshot."""
        best, missing = self.best_held(query, ids)
        if len(missing):
            best.update(best_of(query, *snapshot.sentence_embeddings(missing, self.dimension)))
        return best

    def best_held(self, query: np.ndarray, ids) -> tuple[dict[int, float], np.ndarray]:
        """``best`` for the chunks the file holds, and the ids it does not hold; reads no database."""
        ids = np.asarray(ids, dtype=np.int64)
        at = self.held(ids)
        inside = at >= 0
        held = at[inside]
        scores = _best_rows(self._bits, self.offsets, held, np.asarray(query, dtype=np.float64), _HALF)
        has = self.offsets[held + 1] > self.offsets[held]
        return dict(zip(ids[inside][has].tolist(), scores[has].tolist())), ids[~inside]

    def differences(self, snapshot: "Snapshot") -> list[str]:
        """What in the file disagrees with itself or with the database: its checksum, then sampled rows."""
        if not len(self.ids):
            return []
        if _checksum(self.rows) != self.checksum:
            return ["its rows do not match the checksum they were written with"]
        sample = np.unique(np.linspace(0, len(self.ids) - 1, CHECK_SAMPLE).astype(np.int64))
        stored = dict(snapshot.sentence_blobs(self.ids[sample]))
        return [f"chunk {self.ids[p]} has other sentence vectors than the database" for p in sample
                if int(self.ids[p]) in stored
                and self.rows[self.offsets[p]:self.offsets[p + 1]].tobytes() != stored[int(self.ids[p])]]


def _checksum(rows: np.ndarray) -> bytes:
    """SHA-256 of the rows, read a slice at a time (a file at 1M passages is 2 GB)."""
    digest = hashlib.sha256()
    for start in range(0, len(rows), 1 << 16):
        digest.update(np.ascontiguousarray(rows[start:start + (1 << 16)]).data)
    return digest.digest()


class SentenceCache:
    """Keeps the sentence-vector file of an archive folder in step with the database (see the module docstring)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._vectors: SentenceVectors | None = None
        self._generation = -1
        self._lock = threading.Lock()

    def _files(self) -> list[tuple[int, Path]]:
        return generation_files(self.folder, FILE_PATTERN)

    def for_snapshot(self, snapshot: "Snapshot", dimension: int) -> SentenceVectors:
        """The sentence vectors for the generation the snapshot reads (or a newer one); a new file when due."""
        generation = snapshot.generation()
        with self._lock:
            vectors = self._vectors
            if vectors is not None and generation <= self._generation and vectors.dimension == dimension:
                return vectors
            if vectors is None or vectors.dimension != dimension:
                vectors = self._load_latest(generation, dimension)
            db_ids = snapshot.chunk_ids()
            inside = int((vectors.held(db_ids) >= 0).sum())
            if len(db_ids) - inside > REWRITE_SHARE * len(db_ids) or len(vectors.ids) - inside > REWRITE_SHARE * len(db_ids):
                vectors = self._write(snapshot, generation, dimension, vectors)
            self._vectors, self._generation = vectors, generation
            return vectors

    def _load_latest(self, generation: int, dimension: int) -> SentenceVectors:
        """The newest readable file not newer than ``generation`` and of this dimension (an empty one if none)."""
        for number, path in reversed(self._files()):
            if number > generation:
                continue
            try:
                header, arrays = load_arrays(path)
                if header.get("format") != FORMAT or header.get("dimension") != dimension:
                    log.info("sentence vectors: %s was made for other settings; writing a new file", path.name)
                    break
                if len(arrays["offsets"]) != len(arrays["ids"]) + 1 or arrays["offsets"][-1] != len(arrays["rows"]):
                    raise ValueError("its offsets do not match its rows")
                return SentenceVectors(dimension, arrays["ids"], arrays["offsets"], arrays["rows"],
                                       arrays["checksum"].tobytes(), path.name)
            except Exception as exc:  # a damaged cache is rewritten, never trusted
                log.warning("recovery: %s is unreadable (%s); trying an older one", path.name, exc)
        return SentenceVectors(dimension)

    def _write(self, snapshot: "Snapshot", generation: int, dimension: int, current: SentenceVectors) -> SentenceVectors:
        """Every chunk's sentence vectors into a new file, streamed from the database; the old files go."""
        count, size = snapshot.sentence_totals()
        path = self.folder / FILE_PATTERN.format(generation=generation)
        log.info("sentence vectors: writing %s for %d passages", path.name, count)
        header = {"format": FORMAT, "dimension": dimension, "generation": generation}
        specs = {"ids": (np.int64, (count,)), "offsets": (np.int64, (count + 1,)),
                 "rows": (np.float16, (size // (2 * dimension), dimension)), "checksum": (np.uint8, (32,))}

        def fill(maps: dict[str, np.ndarray]) -> None:
            ids, offsets, rows = maps["ids"], maps["offsets"], maps["rows"]
            filled = offsets[0] = 0
            for position, (chunk_id, blob) in enumerate(snapshot.sentence_blobs()):
                block = np.frombuffer(blob, dtype=np.float16).reshape(-1, dimension)
                ids[position] = chunk_id
                rows[filled:filled + len(block)] = block
                filled += len(block)
                offsets[position + 1] = filled
            maps["checksum"][:] = np.frombuffer(_checksum(rows), dtype=np.uint8)

        try:
            write_arrays(path, header, specs, fill)
        except OSError as exc:  # a read-only folder still answers, reading the database
            log.warning("cannot write %s (%s); sentence vectors are read from the database", path.name, exc)
            return current
        for number, old in self._files():
            if number < generation:  # a newer file is another process's, and newer
                old.unlink(missing_ok=True)
        return self._load_latest(generation, dimension)

    def saved_generation(self) -> int | None:
        """The generation of the newest file in the folder, or None when there is none."""
        return max(self._files(), default=(None, None))[0]

    def manifest(self) -> dict:
        """The manifest's entry for the file in use."""
        vectors = self._vectors
        held = len(vectors.ids) if vectors is not None else 0
        return {"sentence_vectors": {"passages": held, "rows": len(vectors.rows) if vectors is not None else 0}}

