"""The FTS5 table's reads of a ``Snapshot``: bm25 search, its rows and its tokenizer.

A mixin of ``Snapshot`` (it reads through the snapshot's connection, inside
its read transaction), kept apart so the rest of the snapshot stays about
chunks and documents.
"""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING, Iterator

import numpy as np

if TYPE_CHECKING:
    from .filters import Filters

_TOKENIZE = re.compile(r"tokenize\s*=\s*'((?:[^']|'')*)'", re.IGNORECASE)
DEFAULT_TOKENIZE = "unicode61"  # FTS5's own default, for a table created without the option


class LexicalReads:
    """FTS5 reads; ``Snapshot`` provides ``_conn`` and ``restricts``."""

    _conn: sqlite3.Connection

    def fts5_search(self, expression: str, n: int, filters: "Filters",
                    weights: tuple[float, float, float]) -> list[tuple[int, float]]:
        """FTS5 bm25 top-n (chunk id, score; higher is better) for a MATCH expression, within the filters."""
        from .snapshot import filter_sql

        w1, w2, w3 = weights
        rank = f"bm25(chunks_fts, {w1}, {w2}, {w3})"
        if not self.restricts(filters):
            # Every FTS row is a chunk: without a filter the joins only cost time
            # (3× at 100k passages, where common words match most rows).
            sql = f"SELECT rowid, -{rank} FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY {rank} LIMIT ?"
            return [(r[0], r[1]) for r in self._conn.execute(sql, (expression, n))]
        where, params = filter_sql(filters)
        sql = (f"SELECT f.rowid, -{rank} FROM chunks_fts f JOIN chunks c ON c.chunk_id = f.rowid "
               f"JOIN documents d USING (doc_id) WHERE chunks_fts MATCH ? AND {where} ORDER BY {rank} LIMIT ?")
        return [(r[0], r[1]) for r in self._conn.execute(sql, (expression, *params, n))]

    def fts5_ids(self) -> np.ndarray:
        """Every row id of the FTS5 table, ascending: each should be a chunk id."""
        ids = np.fromiter((r[0] for r in self._conn.execute("SELECT rowid FROM chunks_fts")), dtype=np.int64)
        ids.sort()
        return ids

    def fts5_rows(self, ids=None, batch: int = 2000) -> Iterator[list[tuple[int, str, str, str]]]:
        """(chunk id, context, text, extra) of the FTS5 rows, all or those of ``ids``, in batches."""
        if ids is None:
            cursor = self._conn.execute("SELECT rowid, context, text, extra FROM chunks_fts")
            while rows := cursor.fetchmany(batch):
                yield rows
            return
        from .snapshot import _batches

        for part in _batches(ids):
            marks = ",".join("?" * len(part))
            yield self._conn.execute(
                f"SELECT rowid, context, text, extra FROM chunks_fts WHERE rowid IN ({marks})", part).fetchall()

    def fts5_tokenize(self) -> str:
        """The FTS5 table's tokenize option, as it was created."""
        row = self._conn.execute("SELECT sql FROM sqlite_master WHERE name = 'chunks_fts'").fetchone()
        match = _TOKENIZE.search(row[0]) if row else None
        return match.group(1).replace("''", "'") if match else DEFAULT_TOKENIZE
