"""The facet reads of a ``Snapshot``: the columns filters read, from the indexes that cover them.

A mixin of ``Snapshot`` (it reads through the snapshot's connection, inside
its read transaction). ``facets.py`` holds the columns and answers filters
with them.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from .facets import CHUNK_FACETS, FacetColumns

BATCH = 500  # values per "IN (…)" list


class FacetReads:
    """Facet reads; ``Snapshot`` provides ``_conn``."""

    _conn: sqlite3.Connection

    def facet_columns(self, generation: int) -> FacetColumns:
        """The facet columns of this snapshot (whose generation the caller has read).

        Each chunk facet is read from its own index (schema 7: value, doc_id, and
        the chunk id every index carries), never from the chunk rows, which hold
        the text and the embeddings; the articles from their partial index (schema 8).
        """
        conn = self._conn
        documents = conn.execute("SELECT doc_id, country, replaced_at IS NULL FROM documents").fetchall()
        columns = {
            name: conn.execute(
                f"SELECT chunk_id, {name}{', doc_id' if name == 'kind' else ''} FROM chunks INDEXED BY chunks_{name}"
            ).fetchall()
            for name in CHUNK_FACETS
        }
        articles = conn.execute(
            "SELECT chunk_id, article, articles FROM chunks INDEXED BY chunks_articles "
            "WHERE article IS NOT NULL OR articles != '[]'"
        ).fetchall()
        return FacetColumns.build(generation, documents, columns, articles)

    def rec_chunk_ids(self, rec_ids: list[str]) -> np.ndarray:
        """The ids of the passages carrying any of these recommendation ids, ascending."""
        found: list[int] = []
        for start in range(0, len(rec_ids), BATCH):
            batch = rec_ids[start : start + BATCH]
            found += (r[0] for r in self._conn.execute(
                f"SELECT chunk_id FROM chunk_recs WHERE rec_id IN ({','.join('?' * len(batch))})", batch))
        return np.unique(np.asarray(found, dtype=np.int64))
