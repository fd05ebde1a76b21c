"""The FAISS index of an archive folder, kept in step with the database, one file per generation.

After a write the index is saved as ``vectors-g<generation>.faiss``; a
process opening the archive loads the newest file and catches up with the
database by difference (see ``FaissCache``). Search itself only sees the
``VectorIndex`` protocol (vectors.py).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable

import faiss
import numpy as np

from .fsutil import generation_files
from .snapshot import Snapshot
from .vectors import APPROXIMATE_THRESHOLD, TOMBSTONE_SHARE, FaissIndex, choose_kind, ivf_lists

log = logging.getLogger(__name__)

FILE_PATTERN = "vectors-g{generation}.faiss"


class FaissCache:
    """Keeps the FAISS index of an archive folder in step with the database.

    The file ``vectors-g<generation>.faiss`` is written atomically after a
    write. A process opening the archive loads the newest file not newer than
    the database and applies the difference between its ids and the
    database's; it rebuilds from the embeddings stored in SQLite only when no
    file is readable, the model's dimension changed, the kind must change
    (the archive crossed the size threshold) or tombstones piled up.

    The index only moves forward: a reader still inside an older snapshot is
    served the newer index, whose extra ids the archive drops when it reads
    their rows.
    """

    def __init__(self, folder: Path, dimension: Callable[[], int]):
        self.folder = Path(folder)
        self._dimension = dimension
        self._index: FaissIndex | None = None
        self._generation = -1
        self._lock = threading.Lock()

    @property
    def kind(self) -> str:
        return self._index.kind if self._index is not None else choose_kind(0)

    @property
    def parameters(self) -> dict:
        """The kind in use and its parameters, as the manifest records them."""
        return self._index.parameters if self._index is not None else {"kind": "flat", "threshold": APPROXIMATE_THRESHOLD}

    def manifest(self) -> dict:
        """The manifest's entries for the index in use: its kind and parameters."""
        return {"faiss_index": self.kind, "faiss_parameters": self.parameters}

    def saved_generation(self) -> int | None:
        """The generation of the newest index file in the folder, or None when there is none."""
        return max(self._files(), default=(None, None))[0]

    def _files(self) -> list[tuple[int, Path]]:
        """(generation, path) of every index file in the folder, oldest first."""
        return generation_files(self.folder, FILE_PATTERN)

    def path(self, generation: int) -> Path:
        return self.folder / FILE_PATTERN.format(generation=generation)

    def for_snapshot(self, snapshot: Snapshot) -> FaissIndex:
        """The index for the generation the snapshot reads (or a newer one), brought up to date first."""
        generation = snapshot.generation()
        with self._lock:
            if self._index is not None and generation <= self._generation:
                return self._index
            dimension = self._dimension()
            db_ids = snapshot.chunk_ids()
            index = self._index if self._index is not None else self._load_latest(generation)
            previous_kind = index.kind if index is not None else None
            if index is not None:
                index = self._reconcile(index, db_ids, dimension, snapshot)
            rebuilt = index is None
            if rebuilt:
                ids, matrix = snapshot.all_embeddings(dimension)
                index = FaissIndex.build(ids, matrix, dimension, choose_kind(len(ids), previous_kind))
            if rebuilt or not self.path(generation).exists():  # another process may have written it already
                self._save(index, generation)
            self._index, self._generation = index, generation
            return index

    def _reconcile(self, index: FaissIndex, db_ids: np.ndarray, dimension: int, snapshot: Snapshot) -> FaissIndex | None:
        """``index`` brought to the database's ids in place, or None when a rebuild is due."""
        if index.dimension != dimension:
            log.warning("recovery: the vector index has dimension %d, the archive %d; rebuilding it",
                        index.dimension, dimension)
            return None
        if choose_kind(len(db_ids), index.kind) != index.kind:
            log.info("vector index: %d passages call for %s instead of %s; rebuilding it",
                     len(db_ids), choose_kind(len(db_ids), index.kind), index.kind)
            return None
        if index.kind == "ivf" and faiss.downcast_index(index.index.index).nlist * 2 < ivf_lists(len(db_ids)):
            log.info("vector index: the archive has outgrown its IVF lists; rebuilding it")
            return None
        live = index.ids
        removed = np.setdiff1d(live, db_ids, assume_unique=True)
        added = np.setdiff1d(db_ids, live, assume_unique=True)
        if len(removed) or len(added):
            index.update(added, snapshot.embeddings_for(added, dimension), removed)
        if index.dead_share > TOMBSTONE_SHARE:
            log.info("vector index: %.0f%% of its vectors are deleted passages; rebuilding it", 100 * index.dead_share)
            return None
        return index

    def _load_latest(self, generation: int) -> FaissIndex | None:
        """The newest readable index file not newer than ``generation``."""
        found = [(number, path) for number, path in self._files() if number <= generation]
        for _, path in sorted(found, reverse=True):
            try:
                return FaissIndex.load(path)
            except Exception as exc:  # a damaged cache is rebuilt, never trusted
                log.warning("recovery: %s is unreadable (%s); rebuilding it from the database", path.name, exc)
        return None

    def _save(self, index: FaissIndex, generation: int) -> None:
        try:
            index.save(self.path(generation))
        except OSError as exc:  # a read-only index folder still answers from memory
            log.warning("cannot write %s (%s); the vector index stays in memory", self.path(generation), exc)
            return
        for number, old in self._files():
            if number < generation:  # a newer file is another process's, and newer
                old.unlink(missing_ok=True)
