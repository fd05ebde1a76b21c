"""The pruned lexical index of an archive folder, kept in step with the database like the vectors.

The FTS5 table in SQLite stays the source of truth (written in the same
transaction as the chunks). ``LexicalCache`` derives a ``Bm25Index`` from it:

- Passages are tokenized by FTS5 itself (the archive table's own tokenize
  option, on an in-memory table), so the index holds exactly FTS5's terms and
  its scores are FTS5's bm25.
- Files: ``lexical-base-g<n>.bin`` (a base segment, immutable) and
  ``lexical-g<generation>.bin`` (that generation's delta segment, tombstones
  and the name of its base), each written atomically.
- A process opening the archive loads the newest state not newer than the
  database and catches up by difference of chunk ids; it rebuilds from the
  FTS5 table when no file is readable or the stamp (format, tokenizer,
  weights) differs. The delta is folded into a new base past
  ``COMPACT_SHARE``.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .bm25 import B, K1, Bm25Index
from .fsutil import file_generation, generation_files
from .fts5_tokenizer import Fts5Tokenizer
from .postings import Segment

if TYPE_CHECKING:
    from .snapshot import Snapshot

log = logging.getLogger(__name__)

FORMAT = 1
STATE_PATTERN = "lexical-g{generation}.bin"
BASE_PATTERN = "lexical-base-g{generation}.bin"
# Fold the delta into a new base when it, or the base's deleted passages, reach this share of the base.
COMPACT_SHARE = 0.1
TOKENIZE_BATCH = 2000  # passages per pass through the in-memory FTS5 table


class LexicalCache:
    """Keeps the ``Bm25Index`` of an archive folder in step with the database (see the module docstring)."""

    def __init__(self, folder: Path, weights: tuple[float, float, float]):
        self.folder = Path(folder)
        self.weights = tuple(weights)
        self._index: Bm25Index | None = None
        self._base_generation = -1
        self._generation = -1
        self._tokenizer: Fts5Tokenizer | None = None
        self._lock = threading.Lock()

    def stamp(self, tokenize: str) -> dict:
        """What the files must agree on to be used: format, tokenizer, column weights, bm25 constants."""
        return {"format": FORMAT, "tokenize": tokenize, "weights": list(self.weights), "k1": K1, "b": B}

    def tokenizer(self, snapshot: "Snapshot") -> Fts5Tokenizer:
        """FTS5's tokenizer with the archive table's options; read from the table once, and again
        only when ``for_snapshot`` finds them changed (never on the way of a search)."""
        if self._tokenizer is None:
            self._tokenizer = Fts5Tokenizer(snapshot.fts5_tokenize(), self.weights)
        return self._tokenizer

    def _use_tokenize(self, tokenize: str) -> None:
        if self._tokenizer is None or self._tokenizer.tokenize != tokenize:
            self._tokenizer = Fts5Tokenizer(tokenize, self.weights)

    def manifest(self) -> dict:
        """The manifest's entry for the index in use."""
        index = self._index
        if index is None:
            return {"lexical_index": {"kind": "bm25-maxscore"}}
        return {"lexical_index": {"kind": "bm25-maxscore", "passages": index.count, "base": len(index.base),
                                  "delta": len(index.delta), "tombstones": len(index.dead)}}

    def saved_generation(self) -> int | None:
        """The generation of the newest state file in the folder, or None when there is none."""
        return max((number for number, _ in self._files(STATE_PATTERN)), default=None)

    def _files(self, pattern: str) -> list[tuple[int, Path]]:
        return generation_files(self.folder, pattern)

    def for_snapshot(self, snapshot: "Snapshot") -> Bm25Index:
        """The index for the generation the snapshot reads (or a newer one), brought up to date first."""
        generation = snapshot.generation()
        with self._lock:
            if self._index is not None and generation <= self._generation:
                return self._index
            tokenize = snapshot.fts5_tokenize()
            self._use_tokenize(tokenize)
            stamp = self.stamp(tokenize)
            if self._index is None:
                self._load_latest(generation, stamp)
            index, base_changed = self._index, False
            if index is not None:
                index = self._reconcile(index, snapshot)
            if index is None:
                index = Bm25Index(self.tokenizer(snapshot).segment(snapshot.fts5_rows(batch=TOKENIZE_BATCH)),
                                  np.zeros(0, np.int64), Segment.empty())
                base_changed = True
            elif index.dead_share > COMPACT_SHARE or index.delta_share > COMPACT_SHARE:
                log.info("lexical index: folding %d new and %d deleted passages into its base",
                         len(index.delta), len(index.dead))
                index, base_changed = index.compacted(), True
            if base_changed:
                self._base_generation = generation
            self._index, self._generation = index, generation
            self._save(index, generation, stamp, base_changed)
            return index

    def _reconcile(self, index: Bm25Index, snapshot: "Snapshot") -> Bm25Index:
        db_ids = snapshot.chunk_ids()
        live = index.ids
        removed = np.setdiff1d(live, db_ids, assume_unique=True)
        added = np.setdiff1d(db_ids, live, assume_unique=True)
        if not len(removed) and not len(added):
            return index
        segment = self.tokenizer(snapshot).segment(snapshot.fts5_rows(added, batch=TOKENIZE_BATCH)) if len(added) \
            else Segment.empty()
        return index.updated(segment, removed)

    def _load_latest(self, generation: int, stamp: dict) -> None:
        """Load the newest readable state not newer than ``generation`` whose stamp matches."""
        for number, path in sorted(self._files(STATE_PATTERN), reverse=True):
            if number > generation:
                continue
            try:
                header, delta, extra = Segment.load(path)
                if header.get("stamp") != stamp:
                    log.info("lexical index: %s was built with other settings; rebuilding it", path.name)
                    return
                base_path = self.folder / header["base"]
                base_header, base, _ = Segment.load(base_path)
                if base_header.get("stamp") != stamp:
                    raise ValueError(f"{base_path.name} has other settings")
                self._index = Bm25Index(base, np.asarray(extra["dead"]), delta)
                self._base_generation = file_generation(base_path.name, BASE_PATTERN)
                self._generation = number
                return
            except Exception as exc:  # a damaged cache is rebuilt, never trusted
                log.warning("recovery: the lexical index %s is unreadable (%s); trying an older one", path.name, exc)

    def _save(self, index: Bm25Index, generation: int, stamp: dict, base_changed: bool) -> None:
        state = self.folder / STATE_PATTERN.format(generation=generation)
        base = self.folder / BASE_PATTERN.format(generation=self._base_generation)
        try:
            if base_changed or not base.exists():
                index.base.save(base, {"stamp": stamp})
            if not state.exists() or base_changed:  # another process may have written it already
                index.delta.save(state, {"stamp": stamp, "base": base.name, "generation": generation},
                                 {"dead": index.dead})
        except OSError as exc:  # a read-only index folder still answers from memory
            log.warning("cannot write %s (%s); the lexical index stays in memory", state.name, exc)
            return
        for number, old in self._files(STATE_PATTERN):
            if number < generation:
                old.unlink(missing_ok=True)
        for number, old in self._files(BASE_PATTERN):
            if number < self._base_generation:
                old.unlink(missing_ok=True)
