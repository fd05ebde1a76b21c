"""The SQLite side of the archive: the source of truth.

Documents, chunks with their metadata and embeddings, and an FTS5 table over
chunk text live in one database in WAL mode, so readers keep answering from
the last committed state while a writer works. Every write bumps a generation
number in the same transaction; the FAISS file is a cache of the generation
it was built from.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import numpy as np

from .errors import StoreError
from .faults import checkpoint
from .model import Chunk, Document, DocumentInfo

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 60_000
# The planner's statistics are refreshed when the number of chunks has moved by this
# share since they were gathered. Without them it drives a "country + kind" filter from
# the kind index (16k rows at 100k passages: 20–600 ms) instead of the country's
# documents (117 rows: 0.1 ms); a full ANALYZE takes ~200 ms at 100k passages.
STATISTICS_DRIFT = 0.25

# Numbered migrations: index i brings the schema from version i to i + 1.
MIGRATIONS = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY,
        doc_type TEXT NOT NULL,
        title TEXT NOT NULL,
        country TEXT,
        round TEXT,
        prepared TEXT,
        updated TEXT,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        page_count INTEGER,
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE chunks (
        chunk_id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so FAISS ids stay unambiguous
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        kind TEXT NOT NULL,
        section TEXT,
        section_title TEXT,
        heading TEXT,
        strength TEXT,
        article TEXT,
        rec_ids TEXT NOT NULL DEFAULT '[]',
        para_refs TEXT NOT NULL DEFAULT '[]',
        articles TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '[]',
        pages TEXT NOT NULL DEFAULT '[]',
        page INTEGER,
        context TEXT NOT NULL,
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        embedding BLOB NOT NULL,          -- float32, unit length
        sentence_embeddings BLOB NOT NULL -- float16 rows, one per sentence
    );
    CREATE INDEX chunks_doc ON chunks(doc_id, ordinal);
    CREATE INDEX chunks_hash ON chunks(text_hash);
    CREATE TABLE chunk_recs (
        chunk_id INTEGER NOT NULL REFERENCES chunks(chunk_id) ON DELETE CASCADE,
        rec_id TEXT NOT NULL
    );
    CREATE INDEX chunk_recs_rec ON chunk_recs(rec_id);
    CREATE INDEX chunk_recs_chunk ON chunk_recs(chunk_id);
    CREATE VIRTUAL TABLE chunks_fts USING fts5(
        context, text, extra,
        tokenize = 'porter unicode61 remove_diacritics 2'
    );
    """,
    # Facet values (the filter choices) are read from these small indexes instead of a
    # scan of every chunk row: 0.1–3 ms instead of 300 ms at 100k passages. The
    # smallest of them also answers "every chunk id" (33 ms instead of 76 ms). The
    # planner needs statistics to use them well (see STATISTICS_DRIFT).
    """
    CREATE INDEX chunks_section ON chunks(section);
    CREATE INDEX chunks_kind ON chunks(kind);
    CREATE INDEX chunks_strength ON chunks(strength);
    ANALYZE chunks;
    ANALYZE documents;
    """,
]

CHUNK_COLUMNS = (
    "c.chunk_id, c.doc_id, d.doc_type, d.country, d.title, d.source, c.ordinal, c.kind, c.section, "
    "c.section_title, c.heading, c.strength, c.article, c.rec_ids, c.para_refs, c.articles, c.notes, "
    "c.pages, c.page, c.context, c.text"
)


@dataclass
class ChunkRow:
    """A stored chunk with its document's identity, as search and the UI read it."""

    chunk_id: int
    doc_id: str
    doc_type: str
    country: str | None
    title: str
    source: str
    ordinal: int
    kind: str
    section: str | None
    section_title: str | None
    heading: str | None
    strength: str | None
    article: str | None
    rec_ids: list[str]
    para_refs: list[str]
    articles: list[str]
    notes: list[str]
    pages: list[int]
    page: int | None
    context: str
    text: str

    @classmethod
    def from_sql(cls, row: tuple) -> "ChunkRow":
        values = list(row)
        for i in (13, 14, 15, 16, 17):  # the JSON list columns
            values[i] = json.loads(values[i])
        return cls(*values)


@dataclass
class StoredEmbedding:
    vector: np.ndarray
    sentences: np.ndarray


def text_hash(model: str, chunk: Chunk) -> str:
    """What an embedding depends on: the model and the exact embedded text and sentences."""
    digest = hashlib.sha256()
    for part in (model, chunk.embed_text, *chunk.sentences):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def encode_sentences(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float16).tobytes()


def decode_sentences(blob: bytes, dimension: int) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).reshape(-1, dimension).astype(np.float32)


class Store:
    """One SQLite database; a connection per thread for reading, one lock for writing."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._write_lock = threading.Lock()
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
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same committed snapshot."""
        conn = self.conn
        if conn.in_transaction:  # nested use shares the outer snapshot
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that bumps the generation; all or nothing."""
        with self._write_lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                self._refresh_statistics(conn)
                generation = self.generation_in(conn) + 1
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
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target + 1}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    # -- metadata ----------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, values: dict[str, str]) -> None:
        with self.write() as conn:
            conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", list(values.items()))

    @staticmethod
    def generation_in(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def generation(self) -> int:
        return self.generation_in(self.conn)

    # -- documents ---------------------------------------------------------

    def document_sha(self, doc_id: str) -> str | None:
        row = self.conn.execute("SELECT sha256 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def sha_known(self, sha256: str) -> str | None:
        """The doc_id already stored with exactly these bytes, if any."""
        row = self.conn.execute("SELECT doc_id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def documents(self) -> list[DocumentInfo]:
        rows = self.conn.execute(
            "SELECT d.doc_id, d.doc_type, d.title, d.country, d.round, d.source, d.sha256, d.page_count, "
            "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id), d.ingested_at, d.prepared, d.updated "
            "FROM documents d ORDER BY d.doc_type DESC, d.country, d.doc_id"
        ).fetchall()
        return [DocumentInfo(*row) for row in rows]

    def cached_embeddings(self, hashes: list[str], dimension: int) -> dict[str, StoredEmbedding]:
        """Embeddings already stored for these text hashes: unchanged passages are not re-embedded."""
        found: dict[str, StoredEmbedding] = {}
        for start in range(0, len(hashes), 500):
            batch = hashes[start : start + 500]
            marks = ",".join("?" * len(batch))
            for h, vec, sent in self.conn.execute(
                f"SELECT text_hash, embedding, sentence_embeddings FROM chunks WHERE text_hash IN ({marks})", batch
            ):
                found[h] = StoredEmbedding(np.frombuffer(vec, dtype=np.float32).copy(), decode_sentences(sent, dimension))
        return found

    def replace_document(
        self,
        doc: Document,
        chunks: list[Chunk],
        hashes: list[str],
        embeddings: list[StoredEmbedding],
    ) -> None:
        """Put one document version in place of the old one, in one transaction."""
        with self.write() as conn:
            self._delete_document(conn, doc.doc_id)
            self._insert_document(conn, doc, chunks, hashes, embeddings)

    def replace_all(self, documents: list[tuple], meta: dict[str, str]) -> None:
        """Replace the whole archive (a rebuild, possibly with another model) in one transaction."""
        with self.write() as conn:
            for (doc_id,) in conn.execute("SELECT doc_id FROM documents").fetchall():
                self._delete_document(conn, doc_id)
            for doc, chunks, hashes, embeddings in documents:
                self._insert_document(conn, doc, chunks, hashes, embeddings)
            conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", list(meta.items()))

    @staticmethod
    def _insert_document(conn, doc: Document, chunks: list[Chunk], hashes: list[str],
                         embeddings: list[StoredEmbedding]) -> None:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        conn.execute(
            "INSERT INTO documents(doc_id, doc_type, title, country, round, prepared, updated, source, sha256, "
            "page_count, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (doc.doc_id, doc.doc_type, doc.title, doc.country, doc.round, doc.prepared, doc.updated,
             doc.source, doc.sha256, doc.page_count, now),
        )
        for chunk, h, emb in zip(chunks, hashes, embeddings):
            b = chunk.block
            cur = conn.execute(
                "INSERT INTO chunks(doc_id, ordinal, kind, section, section_title, heading, strength, article, "
                "rec_ids, para_refs, articles, notes, pages, page, context, text, text_hash, embedding, "
                "sentence_embeddings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, chunk.ordinal, b.kind.value, b.section, b.section_title, b.heading, b.strength,
                 b.article, json.dumps(b.rec_ids), json.dumps(b.para_refs), json.dumps(b.articles),
                 json.dumps(b.notes), json.dumps(b.pages), chunk.page, chunk.context, chunk.text, h,
                 np.asarray(emb.vector, dtype=np.float32).tobytes(), encode_sentences(emb.sentences)),
            )
            chunk_id = cur.lastrowid
            checkpoint("write")
            conn.executemany("INSERT INTO chunk_recs(chunk_id, rec_id) VALUES (?, ?)", [(chunk_id, r) for r in b.rec_ids])
            conn.execute(
                "INSERT INTO chunks_fts(rowid, context, text, extra) VALUES (?, ?, ?, ?)",
                (chunk_id, chunk.context, chunk.text, " ".join([*b.rec_ids, *b.notes])),
            )

    def remove_document(self, doc_id: str) -> None:
        with self.write() as conn:
            self._delete_document(conn, doc_id)

    @staticmethod
    def _delete_document(conn: sqlite3.Connection, doc_id: str) -> None:
        conn.execute("DELETE FROM chunks_fts WHERE rowid IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)", (doc_id,))
        conn.execute("DELETE FROM chunk_recs WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)", (doc_id,))
        conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    # -- reading chunks ----------------------------------------------------

    def all_embeddings(self, conn: sqlite3.Connection, dimension: int) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, float32 matrix) of every stored chunk, read in one pass.

        Rows are copied into one preallocated matrix as they come, so reading
        100k vectors needs their 150 MB once, not a list of blobs beside it.
        """
        count = conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        ids = np.empty(count, dtype=np.int64)
        matrix = np.empty((count, dimension), dtype=np.float32)
        filled = 0
        for chunk_id, blob in conn.execute("SELECT chunk_id, embedding FROM chunks ORDER BY chunk_id"):
            ids[filled] = chunk_id
            matrix[filled] = np.frombuffer(blob, dtype=np.float32)
            filled += 1
        return ids[:filled], matrix[:filled]

    def embeddings_for(self, conn: sqlite3.Connection, ids, dimension: int) -> np.ndarray:
        """The float32 vectors of these chunk ids, in that order (the rows added since a generation)."""
        ids = [int(i) for i in ids]
        matrix = np.empty((len(ids), dimension), dtype=np.float32)
        position = {chunk_id: row for row, chunk_id in enumerate(ids)}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            for chunk_id, blob in conn.execute(
                f"SELECT chunk_id, embedding FROM chunks WHERE chunk_id IN ({marks})", batch
            ):
                matrix[position.pop(chunk_id)] = np.frombuffer(blob, dtype=np.float32)
        if position:
            raise KeyError(f"chunks {sorted(position)[:5]} are not in {self.path}")
        return matrix

    def chunk_ids(self, conn: sqlite3.Connection) -> set[int]:
        return set(self.chunk_id_array(conn).tolist())

    def chunk_id_array(self, conn: sqlite3.Connection) -> np.ndarray:
        """Every chunk id, ascending; read from the smallest covering index, not the table."""
        ids = np.fromiter((r[0] for r in conn.execute("SELECT chunk_id FROM chunks")), dtype=np.int64)
        ids.sort()
        return ids

    def chunk_rows(self, conn: sqlite3.Connection, ids: list[int]) -> dict[int, ChunkRow]:
        found: dict[int, ChunkRow] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            for row in conn.execute(
                f"SELECT {CHUNK_COLUMNS} FROM chunks c JOIN documents d USING (doc_id) WHERE c.chunk_id IN ({marks})",
                batch,
            ):
                found[row[0]] = ChunkRow.from_sql(row)
        return found

    def select_rows(self, conn: sqlite3.Connection, where: str = "1", params: tuple = ()) -> list[ChunkRow]:
        rows = conn.execute(
            f"SELECT {CHUNK_COLUMNS} FROM chunks c JOIN documents d USING (doc_id) WHERE {where} "
            "ORDER BY d.doc_type DESC, d.country, c.doc_id, c.ordinal",
            params,
        ).fetchall()
        return [ChunkRow.from_sql(r) for r in rows]

    def sentence_embeddings(self, conn: sqlite3.Connection, ids: list[int], dimension: int) -> dict[int, np.ndarray]:
        found: dict[int, np.ndarray] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            for chunk_id, blob in conn.execute(
                f"SELECT chunk_id, sentence_embeddings FROM chunks WHERE chunk_id IN ({marks})", batch
            ):
                found[chunk_id] = decode_sentences(blob, dimension)
        return found

    def filtered_ids(self, conn: sqlite3.Connection, where: str, params: tuple) -> np.ndarray:
        rows = conn.execute(
            f"SELECT c.chunk_id FROM chunks c JOIN documents d USING (doc_id) WHERE {where}", params
        ).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def lexical(self, conn: sqlite3.Connection, match: str, n: int, where: str, params: tuple,
                weights: tuple[float, float, float]) -> list[tuple[int, float]]:
        """FTS5 bm25 top-n (chunk id, score; higher is better) within the filter."""
        w1, w2, w3 = weights
        if where == "1":
            # Every FTS row is a chunk: without a filter the joins only cost time
            # (3× at 100k passages, where common words match most rows).
            sql = (
                f"SELECT rowid, -bm25(chunks_fts, {w1}, {w2}, {w3}) FROM chunks_fts "
                f"WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts, {w1}, {w2}, {w3}) LIMIT ?"
            )
            return [(r[0], r[1]) for r in conn.execute(sql, (match, n))]
        sql = (
            f"SELECT f.rowid, -bm25(chunks_fts, {w1}, {w2}, {w3}) AS score FROM chunks_fts f "
            "JOIN chunks c ON c.chunk_id = f.rowid JOIN documents d USING (doc_id) "
            f"WHERE chunks_fts MATCH ? AND {where} ORDER BY bm25(chunks_fts, {w1}, {w2}, {w3}) LIMIT ?"
        )
        return [(r[0], r[1]) for r in conn.execute(sql, (match, *params, n))]

    def values(self, conn: sqlite3.Connection, column: str) -> list[str]:
        """The distinct non-null values of a facet column among stored chunks, sorted."""
        if column in ("country", "doc_type"):
            # Every stored document has chunks (an empty one is refused at ingest).
            rows = conn.execute(f"SELECT DISTINCT {column} FROM documents WHERE {column} IS NOT NULL").fetchall()
        elif column in ("section", "kind", "strength"):
            # A skip scan of the column's index: one seek per distinct value.
            rows = conn.execute(
                f"WITH RECURSIVE v(x) AS (SELECT MIN({column}) FROM chunks UNION ALL "
                f"SELECT (SELECT MIN({column}) FROM chunks WHERE {column} > v.x) FROM v WHERE v.x IS NOT NULL) "
                "SELECT x FROM v WHERE x IS NOT NULL"
            ).fetchall()
        else:
            rows = conn.execute(f"SELECT DISTINCT {column} FROM chunks WHERE {column} IS NOT NULL").fetchall()
        return sorted(r[0] for r in rows)
