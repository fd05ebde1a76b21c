"""The SQLite side of the archive: the source of truth, and all of its SQL.

Documents, chunks with their metadata and embeddings, and an FTS5 table over
chunk text live in one database in WAL mode, so readers keep answering from
the last committed state while a writer works. Every write bumps a generation
number in the same transaction; the FAISS file is a cache of the generation
it was built from.

This module opens the database and writes to it; reads go through a
``Snapshot`` (snapshot.py), the schema is in schema.py.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .errors import StoreError
from .facets import FacetCache
from .faults import checkpoint
from .grouping import mask_key
from .model import Chunk, Document, DocumentInfo, version_doc_id
from .schema import MIGRATIONS, SCHEMA_VERSION
from .snapshot import Snapshot
from .snapshot_vectors import StoredEmbedding, encode_sentences

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 60_000
# The planner's statistics are refreshed when the number of chunks has moved by this
# share since they were gathered. Without them it drives a "country + kind" filter from
# the kind index (16k rows at 100k passages: 20–600 ms) instead of the country's
# documents (117 rows: 0.1 ms); a full ANALYZE takes ~200 ms at 100k passages.
STATISTICS_DRIFT = 0.25


# The columns of a document version, in the order a renamed version is copied.
_VERSION_COLUMNS = ("doc_type", "title", "country", "round", "prepared", "updated", "source", "sha256", "page_count",
                    "ingested_at", "series", "version", "empty_boxes", "language", "report", "overrides")


@dataclass
class VersionStamp:
    """Where a re-read version goes back in a rebuild: its stored id, number, and times."""

    doc_id: str
    version: int
    ingested_at: str
    replaced_at: str | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def text_hash(model: str, chunk: Chunk) -> str:
    """What an embedding depends on: the model and the exact embedded text and sentences."""
    digest = hashlib.sha256()
    for part in (model, chunk.embed_text, *chunk.sentences):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


class Store:
    """One SQLite database; a connection per thread for reading, one lock for writing."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self.facets = FacetCache(self.path.parent)  # the filters' columns of the newest generation read
        self._migrate()

    # -- connections -------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints, never corrupt in WAL mode
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A read transaction: everything read through the yielded ``Snapshot`` sees one committed state.

        Nested use in one thread shares the outer snapshot (or the write transaction in progress).
        """
        conn = self.conn
        if conn.in_transaction:
            yield Snapshot(conn, str(self.path))
            return
        conn.execute("BEGIN")
        try:
            yield Snapshot(conn, str(self.path), self.facets)
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that bumps the generation; all or nothing.

        Readers never wait for it (WAL); the connection it yields is for this module's own writes.
        """
        with self._write_lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                self._refresh_statistics(conn)
                generation = Snapshot(conn, str(self.path)).generation() + 1
                conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('generation', ?)", (str(generation),))
                checkpoint("commit")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @staticmethod
    def _refresh_statistics(conn: sqlite3.Connection) -> None:
        """ANALYZE the chunks and documents tables, in this transaction, once their size has drifted."""
        count = conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        analyzed = None
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'chunks_doc'").fetchone()
            analyzed = int(row[0].split()[0]) if row else None
        if analyzed is None or abs(count - analyzed) > STATISTICS_DRIFT * max(analyzed, 1):
            conn.execute("PRAGMA analysis_limit = 0")  # exact counts: sampled ones misled the planner too
            conn.execute("ANALYZE chunks")
            conn.execute("ANALYZE documents")

    def _migrate(self) -> None:
        conn = self.conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: index schema {version} is newer than this Lanzasearch ({SCHEMA_VERSION}): upgrade Lanzasearch"
            )
        for target in range(version, SCHEMA_VERSION):
            log.info("migrating %s to schema %d", self.path, target + 1)
            conn.execute("BEGIN IMMEDIATE")
            try:
                migration = MIGRATIONS[target]
                if callable(migration):
                    migration(conn)
                else:
                    for statement in migration.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target + 1}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    # -- single reads, each its own snapshot ---------------------------------------

    def meta(self) -> dict[str, str]:
        """The archive's settings: model, dimension, schema, generation."""
        with self.snapshot() as snapshot:
            return snapshot.meta()

    def generation(self) -> int:
        """The number of committed writes."""
        with self.snapshot() as snapshot:
            return snapshot.generation()

    def documents(self) -> list[DocumentInfo]:
        """Every stored document with its chunk count."""
        with self.snapshot() as snapshot:
            return snapshot.documents()

    def document_sha(self, doc_id: str) -> str | None:
        """The SHA-256 of a stored document, or None when it is not stored."""
        with self.snapshot() as snapshot:
            return snapshot.document_sha(doc_id)

    # -- writes ----------------------------------------------------------------------

    def set_meta(self, values: dict[str, str]) -> None:
        """Record archive settings (model, dimension, schema), in a write of their own."""
        with self.write() as conn:
            conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", list(values.items()))

    def add_version(
        self,
        doc: Document,
        chunks: list[Chunk],
        hashes: list[str],
        embeddings: list[StoredEmbedding],
        removes: Iterable[str] = (),
    ) -> None:
        """Store a new version of a document in one transaction; the version it replaces is kept as history,
        and the versions ``removes`` names (a wrongly read identity staff corrected) go.

        The replaced version's rows are renamed to "<doc_id>@v<n>", not copied: its chunk ids, and so
        its vectors, stay as they are.
        """
        with self.write() as conn:
            for doc_id in removes:
                self._drop_version(conn, doc_id)
            row = conn.execute("SELECT version FROM documents WHERE doc_id = ?", (doc.doc_id,)).fetchone()
            if row:
                self._rename(conn, doc.doc_id, version_doc_id(doc.doc_id, row[0]), _now())
            self._insert_document(conn, doc, chunks, hashes, embeddings)

    def replace_all(self, documents: list[tuple], meta: dict[str, str]) -> None:
        """Replace the whole archive (a rebuild, possibly with another model) in one transaction.

        Each entry is (document, chunks, hashes, embeddings, stamp): a ``VersionStamp`` puts a
        re-read version back under its id and number; None makes it the newest version.
        """
        with self.write() as conn:
            for (doc_id,) in conn.execute("SELECT doc_id FROM documents").fetchall():
                self._delete_document(conn, doc_id)
            for doc, chunks, hashes, embeddings, stamp in sorted(documents, key=lambda entry: entry[4] is None):
                self._insert_document(conn, doc, chunks, hashes, embeddings, stamp)
            conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", list(meta.items()))

    @staticmethod
    def _rename(conn: sqlite3.Connection, old: str, new: str, replaced_at: str | None) -> None:
        """Move a version to another id (and replaced time) with its chunks; chunk ids do not change."""
        columns = ", ".join(_VERSION_COLUMNS)
        conn.execute(f"INSERT INTO documents(doc_id, replaced_at, {columns}) SELECT ?, ?, {columns} "
                     "FROM documents WHERE doc_id = ?", (new, replaced_at, old))
        conn.execute("UPDATE chunks SET doc_id = ? WHERE doc_id = ?", (new, old))
        conn.execute("DELETE FROM documents WHERE doc_id = ?", (old,))

    @staticmethod
    def _insert_document(conn, doc: Document, chunks: list[Chunk], hashes: list[str],
                         embeddings: list[StoredEmbedding], stamp: VersionStamp | None = None) -> None:
        if stamp is None:
            version = conn.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM documents WHERE series = ?",
                                   (doc.doc_id,)).fetchone()[0]
            stamp = VersionStamp(doc.doc_id, version, _now())
        conn.execute(
            "INSERT INTO documents(doc_id, doc_type, title, country, round, prepared, updated, source, sha256, "
            "page_count, ingested_at, series, version, replaced_at, empty_boxes, language, report, overrides) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (stamp.doc_id, doc.doc_type, doc.title, doc.country, doc.round, doc.prepared, doc.updated,
             doc.source, doc.sha256, doc.page_count, stamp.ingested_at, doc.doc_id, stamp.version,
             stamp.replaced_at, json.dumps([asdict(box) for box in doc.empty_boxes]), doc.language,
             json.dumps(asdict(doc.report), ensure_ascii=False), json.dumps(doc.overrides, ensure_ascii=False)),
        )
        for chunk, h, emb in zip(chunks, hashes, embeddings):
            b = chunk.block
            cur = conn.execute(
                "INSERT INTO chunks(doc_id, ordinal, block, kind, section, section_title, heading, strength, article, "
                "rec_ids, para_refs, articles, notes, pages, page, context, text, text_hash, embedding, "
                "sentence_embeddings, mask_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (stamp.doc_id, chunk.ordinal, chunk.block_ordinal, b.kind.value, b.section, b.section_title,
                 b.heading, b.strength, b.article, json.dumps(b.rec_ids), json.dumps(b.para_refs),
                 json.dumps(b.articles), json.dumps(b.notes), json.dumps(b.pages), chunk.page, chunk.context,
                 chunk.text, h, np.asarray(emb.vector, dtype=np.float32).tobytes(), encode_sentences(emb.sentences),
                 mask_key(chunk, doc.country)),
            )
            chunk_id = cur.lastrowid
            checkpoint("write")
            conn.executemany("INSERT INTO chunk_recs(chunk_id, rec_id) VALUES (?, ?)", [(chunk_id, r) for r in b.rec_ids])
            conn.execute(
                "INSERT INTO chunks_fts(rowid, context, text, extra) VALUES (?, ?, ?, ?)",
                (chunk_id, chunk.context, chunk.text, " ".join([*b.rec_ids, *b.notes])),
            )

    def remove_document(self, series: str) -> None:
        """Delete every version of a document, their chunks, recommendation rows and FTS5 rows, in one transaction."""
        with self.write() as conn:
            for (doc_id,) in conn.execute("SELECT doc_id FROM documents WHERE series = ?", (series,)).fetchall():
                self._delete_document(conn, doc_id)

    def remove_version(self, doc_id: str) -> None:
        """Delete one stored version, in one transaction; when it was the current one, the newest earlier one becomes current."""
        with self.write() as conn:
            self._drop_version(conn, doc_id)

    @classmethod
    def _drop_version(cls, conn: sqlite3.Connection, doc_id: str) -> None:
        """Delete one stored version; when it was the current one, the newest earlier one becomes current."""
        row = conn.execute("SELECT series FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return
        cls._delete_document(conn, doc_id)
        if doc_id == row[0]:
            newest = conn.execute("SELECT doc_id FROM documents WHERE series = ? ORDER BY version DESC LIMIT 1",
                                  (row[0],)).fetchone()
            if newest:
                cls._rename(conn, newest[0], row[0], None)

    @staticmethod
    def _delete_document(conn: sqlite3.Connection, doc_id: str) -> None:
        conn.execute("DELETE FROM chunks_fts WHERE rowid IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)", (doc_id,))
        conn.execute("DELETE FROM chunk_recs WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)", (doc_id,))
        conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

