"""The archive database's schema: numbered migrations from an empty file to the current version.

A database records its version in ``PRAGMA user_version``; opening it runs the
migrations it has not had yet (``Store``), each in its own transaction. A
migration is SQL text, or a function given the connection when the change
needs Python (ids computed by the model's rules).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Callable

from .model import make_doc_id

log = logging.getLogger(__name__)

SCHEMA_VERSION = 8


def ascii_doc_ids(conn: sqlite3.Connection) -> None:
    """Documents keep the id the model gives them now: accents taken off, not made hyphens.

    Archives built before ``model.slug`` transliterated stored "Türkiye" as
    ``factsheet-t-rkiye-r2``; it becomes ``factsheet-turkiye-r2``. Chunks follow
    their document (foreign keys are checked at commit); FAISS and FTS5 are keyed
    by chunk id and kept sources by hash, so nothing else moves. An id already
    taken by another document is left as it was, with a warning.
    """
    conn.execute("PRAGMA defer_foreign_keys = ON")
    rows = conn.execute("SELECT doc_id, doc_type, country, round, title FROM documents").fetchall()
    taken = {row[0] for row in rows}
    for old, doc_type, country, round, title in rows:
        new = make_doc_id(doc_type, country, round, title)
        if new == old:
            continue
        if new in taken:
            log.warning("document %s keeps its id: %s is taken by another document", old, new)
            continue
        conn.execute("UPDATE documents SET doc_id = ? WHERE doc_id = ?", (new, old))
        conn.execute("UPDATE chunks SET doc_id = ? WHERE doc_id = ?", (new, old))
        taken.add(new)
        log.info("document %s is now %s", old, new)


# Numbered migrations: index i brings the schema from version i to i + 1.
MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [
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
    # planner needs statistics to use them well (see store.STATISTICS_DRIFT).
    """
    CREATE INDEX chunks_section ON chunks(section);
    CREATE INDEX chunks_kind ON chunks(kind);
    CREATE INDEX chunks_strength ON chunks(strength);
    ANALYZE chunks;
    ANALYZE documents;
    """,
    ascii_doc_ids,
    # Per document: the language profile it was read with, the parser's report (JSON of a
    # model.DocumentReport; NULL for documents stored before reports, until they are re-read)
    # and the identity staff set at ingest (JSON), which a rebuild applies again.
    """
    ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
    ALTER TABLE documents ADD COLUMN report TEXT;
    ALTER TABLE documents ADD COLUMN overrides TEXT NOT NULL DEFAULT '{}';
    """,
    # Text shared by Parties (grouping.py): a passage's key with its Party's names masked, written
    # at ingest so that grouping costs one indexed lookup at query time. Passages stored before
    # this version have none (they are not grouped) until `lanzasearch ingest --rebuild`.
    """
    ALTER TABLE chunks ADD COLUMN mask_key TEXT;
    CREATE INDEX chunks_mask ON chunks(mask_key);
    """,
    # Document versions: an updated factsheet keeps the one it replaces as history. The current
    # version is stored under the document's id (``series``) with ``replaced_at`` NULL; each
    # earlier one under "<series>@v<version>" with the time it was replaced. The boxes a Party
    # left empty (JSON, for the tracker), and each chunk's block, so versions compare block by block.
    """
    ALTER TABLE documents ADD COLUMN series TEXT;
    ALTER TABLE documents ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE documents ADD COLUMN replaced_at TEXT;
    ALTER TABLE documents ADD COLUMN empty_boxes TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE chunks ADD COLUMN block INTEGER;
    UPDATE documents SET series = doc_id;
    CREATE INDEX documents_series ON documents(series, version);
    """,
    # The filters' indexes carry each passage's document too, so a filter on kind, section or
    # strength is answered from the index alone, never from the chunk rows (which hold the
    # embeddings): at 100k passages the 9,405 recommendations' ids cost 200 ms without this.
    """
    DROP INDEX chunks_section;
    DROP INDEX chunks_kind;
    DROP INDEX chunks_strength;
    CREATE INDEX chunks_section ON chunks(section, doc_id);
    CREATE INDEX chunks_kind ON chunks(kind, doc_id);
    CREATE INDEX chunks_strength ON chunks(strength, doc_id);
    ANALYZE chunks;
    """,
    # The passages that are a Convention article or cite one, in a partial index that covers
    # both columns: the facet columns (facets.py) read them without touching the chunk rows.
    """
    CREATE INDEX chunks_articles ON chunks(article, articles) WHERE article IS NOT NULL OR articles != '[]';
    """,
]
