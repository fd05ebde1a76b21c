"""Reading the archive database: one consistent snapshot, with typed queries.

``Store.snapshot()`` opens a read transaction and yields a ``Snapshot``:
everything read through it sees the same committed state, however many
writes commit meanwhile (WAL). The read side of the store's SQL lives here:
filters become SQL here and nowhere else, and a ``Hit`` is built from a row
here and nowhere else.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

import numpy as np

from .filters import Filters
from .model import DocumentInfo, DocumentReport, EmptyBox, Hit, version_doc_id
from .snapshot_facets import FacetReads
from .snapshot_lexical import LexicalReads
from .snapshot_vectors import VectorReads

if TYPE_CHECKING:
    from .facets import FacetCache, FacetColumns

BATCH = 500  # ids per "IN (…)" list, well under SQLite's limit on bound variables

HIT_COLUMNS = (
    "c.chunk_id, c.doc_id, d.doc_type, d.country, d.title, d.source, c.kind, c.section, c.section_title, "
    "c.heading, c.strength, c.rec_ids, c.para_refs, c.articles, c.notes, c.pages, c.page, c.text, "
    "d.round, d.prepared, d.updated, d.version, d.replaced_at, d.language"
)
DOCUMENT_INFO_COLUMNS = (
    "d.doc_id, d.doc_type, d.title, d.country, d.round, d.source, d.sha256, d.page_count, "
    "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id), d.ingested_at, d.prepared, d.updated, "
    "d.language, d.report, d.overrides, d.series, d.version, d.replaced_at"
)


def document_info(row: tuple) -> DocumentInfo:
    """A ``DocumentInfo`` from a row of ``DOCUMENT_INFO_COLUMNS``, its report and overrides decoded from JSON."""
    info = DocumentInfo(*row)
    info.report = DocumentReport.from_dict(json.loads(info.report)) if info.report else None
    info.overrides = json.loads(info.overrides)
    return info
_FROM = "FROM chunks c JOIN documents d USING (doc_id)"
_ORDER = "ORDER BY d.doc_type DESC, d.country, c.doc_id, c.ordinal"
# Facet columns and where their values are read: documents' columns from the small documents
# table (every stored document has chunks: an empty one is refused at ingest); chunk columns by
# a skip scan of their index, one seek per distinct value.
DOCUMENT_FACETS = ("country", "doc_type")
CHUNK_FACETS = ("section", "kind", "strength")


def make_hit(row: tuple, rank: int, score: float) -> Hit:
    """A search result from a row of HIT_COLUMNS: the one place a row becomes a Hit."""
    (chunk_id, doc_id, doc_type, country, title, source, kind, section, section_title, heading, strength,
     rec_ids, para_refs, articles, notes, pages, page, text, round_, prepared, updated, version, replaced_at,
     language) = row
    return Hit(
        rank=rank, score=round(float(score), 6), chunk_id=chunk_id, doc_id=doc_id, doc_type=doc_type,
        country=country, section=section, heading=heading, kind=kind, strength=strength,
        rec_ids=json.loads(rec_ids), para_refs=json.loads(para_refs), articles=json.loads(articles), page=page,
        text=text, section_title=section_title, pages=json.loads(pages), notes=json.loads(notes), source=source,
        title=title, round=round_, prepared=prepared, updated=updated, version=version, replaced_at=replaced_at,
        language=language,
    )


def filter_sql(filters: Filters) -> tuple[str, tuple]:
    """A WHERE clause over ``chunks c JOIN documents d``, with its parameters."""
    clauses: list[str] = []
    params: list = []

    def among(column: str, values: list[str]) -> None:
        if values:
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)

    # The Convention has no country, so a country filter means "that country's documents only".
    among("d.country", filters.countries)
    among("c.section", filters.sections)
    among("c.kind", filters.kinds)
    among("c.strength", filters.strengths)
    among("c.doc_id", filters.doc_ids)
    among("c.article", filters.article_numbers)
    if filters.cited_articles:
        clauses.append(f"EXISTS (SELECT 1 FROM json_each(c.articles) WHERE value IN "
                       f"({','.join('?' * len(filters.cited_articles))}))")
        params.extend(filters.cited_articles)
    if not filters.history:
        clauses.append("d.replaced_at IS NULL")  # earlier versions of a document only when asked for
    if filters.rec_ids:
        clauses.append(
            f"c.chunk_id IN (SELECT chunk_id FROM chunk_recs WHERE rec_id IN ({','.join('?' * len(filters.rec_ids))}))"
        )
        params.extend(filters.rec_ids)
    return (" AND ".join(clauses) or "1"), tuple(params)


def _batches(ids) -> list[list[int]]:
    return _batches_of([int(i) for i in ids])


def _batches_of(values: list) -> list[list]:
    return [values[start : start + BATCH] for start in range(0, len(values), BATCH)]


class Snapshot(LexicalReads, FacetReads, VectorReads):
    """Typed reads inside one read transaction of the archive database.

    ``facets``, given to read transactions only, answers filters from the facet
    columns in memory (facets.py) instead of SQL.
    """

    def __init__(self, conn: sqlite3.Connection, name: str, facets: "FacetCache | None" = None):
        self._conn = conn
        self._name = name  # the database file, for messages
        self._facets = facets
        self._filtered: dict[tuple, np.ndarray] = {}
        self._columns: "FacetColumns | None" = None
        self._generation: int | None = None

    # -- the archive as a whole --------------------------------------------------

    def meta(self) -> dict[str, str]:
        """The archive's settings: model, dimension, schema, generation."""
        return dict(self._conn.execute("SELECT key, value FROM meta").fetchall())

    def generation(self) -> int:
        """The number of committed writes; the FAISS file is a cache of one generation.

        A read transaction's is read once (a search asks for it a few times per cache); inside
        a write transaction, which bumps it, every call reads it again.
        """
        if self._generation is not None:
            return self._generation
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        generation = int(row[0]) if row else 0
        if self._facets is not None:  # given to read transactions only
            self._generation = generation
        return generation

    def documents(self) -> list[DocumentInfo]:
        """Every stored document version with its chunk count, Convention last, countries in order, newest first."""
        rows = self._conn.execute(
            f"SELECT {DOCUMENT_INFO_COLUMNS} FROM documents d "
            "ORDER BY d.doc_type DESC, d.country, d.series, d.version DESC"
        ).fetchall()
        return [document_info(row) for row in rows]

    def versions(self, series: str) -> list[DocumentInfo]:
        """Every stored version of one document, the current one first."""
        rows = self._conn.execute(
            f"SELECT {DOCUMENT_INFO_COLUMNS} FROM documents d WHERE d.series = ? ORDER BY d.version DESC", (series,)
        ).fetchall()
        return [document_info(row) for row in rows]

    def series_of(self, doc_id: str) -> str | None:
        """The document a stored version (current or earlier) belongs to, or None when no version has this id."""
        row = self._conn.execute("SELECT series FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def has_history(self) -> bool:
        """Whether any earlier version of a document is kept."""
        if self._facets is not None:
            return self.columns().has_history
        return self._conn.execute("SELECT 1 FROM documents WHERE replaced_at IS NOT NULL LIMIT 1").fetchone() is not None

    def restricts(self, filters: Filters) -> bool:
        """Whether the filters leave out any passage: their values, or the earlier versions kept as history."""
        return filters.active or (not filters.history and self.has_history())

    def version_problems(self) -> list[str]:
        """Versions out of order: a document without exactly one current version, an earlier one under another id."""
        problems = [
            f"{series} has {count} current versions"
            for series, count in self._conn.execute(
                "SELECT series, SUM(replaced_at IS NULL) AS n FROM documents GROUP BY series HAVING n != 1")
        ]
        for doc_id, series, version, replaced_at in self._conn.execute(
                "SELECT doc_id, series, version, replaced_at FROM documents"):
            wanted = series if replaced_at is None else version_doc_id(series, version)
            if doc_id != wanted:
                problems.append(f"version {version} of {series} is stored as {doc_id}, not {wanted}")
        return problems

    def document_sha(self, doc_id: str) -> str | None:
        """The SHA-256 of the stored version of a document, or None when it is not stored."""
        row = self._conn.execute("SELECT sha256 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def sha_known(self, sha256: str) -> str | None:
        """The doc_id whose current version has exactly these bytes, if any (an earlier version's bytes come back as new)."""
        row = self._conn.execute(
            "SELECT doc_id FROM documents WHERE sha256 = ? AND replaced_at IS NULL", (sha256,)).fetchone()
        return row[0] if row else None

    def empty_boxes(self, countries: list[str] | None = None) -> list[tuple[str, str | None, EmptyBox]]:
        """(doc_id, country, box) for every box left empty in the current documents (of these countries)."""
        sql = "SELECT doc_id, country, empty_boxes FROM documents WHERE replaced_at IS NULL"
        params: tuple = ()
        if countries:
            sql += f" AND country IN ({','.join('?' * len(countries))})"
            params = tuple(countries)
        return [(doc_id, country, EmptyBox(**box))
                for doc_id, country, boxes in self._conn.execute(sql, params) for box in json.loads(boxes)]

    def blocks(self, doc_id: str) -> list[tuple[int, Hit]]:
        """One stored version's passages in order, each with the ordinal of the block it is part of."""
        rows = self._conn.execute(
            f"SELECT {HIT_COLUMNS}, COALESCE(c.block, c.ordinal) {_FROM} WHERE c.doc_id = ? ORDER BY c.ordinal",
            (doc_id,)).fetchall()
        return [(row[-1], make_hit(row[:-1], rank, 1.0)) for rank, row in enumerate(rows, start=1)]

    def values(self, column: str) -> list[str]:
        """The distinct non-null values of a facet column (country, doc_type, section, kind, strength), sorted."""
        if self._facets is not None and column in ("country", *CHUNK_FACETS):
            return list(self.columns().values(column))
        if column in DOCUMENT_FACETS:
            sql = f"SELECT DISTINCT {column} FROM documents WHERE {column} IS NOT NULL"
        elif column in CHUNK_FACETS:
            sql = (f"WITH RECURSIVE v(x) AS (SELECT MIN({column}) FROM chunks UNION ALL "
                   f"SELECT (SELECT MIN({column}) FROM chunks WHERE {column} > v.x) FROM v WHERE v.x IS NOT NULL) "
                   "SELECT x FROM v WHERE x IS NOT NULL")
        else:
            raise KeyError(f"{column!r} is not a facet: use one of {', '.join(DOCUMENT_FACETS + CHUNK_FACETS)}")
        return sorted(r[0] for r in self._conn.execute(sql).fetchall())

    # -- chunk ids and vectors ----------------------------------------------------

    def chunk_ids(self, doc_id: str | None = None) -> np.ndarray:
        """Every chunk id (or one document's), ascending; read from the smallest covering index."""
        if doc_id is None:
            rows = self._conn.execute("SELECT chunk_id FROM chunks")
        else:
            rows = self._conn.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64)
        ids.sort()
        return ids

    # -- passages ---------------------------------------------------------------------

    def hits(self, ranked: list[tuple[int, float]]) -> list[Hit]:
        """Hits for (chunk id, score) pairs, in that order, ranked from 1; ids no longer stored are left out."""
        rows: dict[int, tuple] = {}
        for batch in _batches([i for i, _ in ranked]):
            marks = ",".join("?" * len(batch))
            for row in self._conn.execute(f"SELECT {HIT_COLUMNS} {_FROM} WHERE c.chunk_id IN ({marks})", batch):
                rows[row[0]] = row
        return [make_hit(rows[i], rank, score) for rank, (i, score) in enumerate(ranked, start=1) if i in rows]

    def select(self, filters: Filters) -> list[Hit]:
        """Every passage matching the filters, in document order, ranked from 1 with score 1."""
        where, params = filter_sql(filters)
        rows = self._conn.execute(f"SELECT {HIT_COLUMNS} {_FROM} WHERE {where} {_ORDER}", params).fetchall()
        return [make_hit(row, rank, 1.0) for rank, row in enumerate(rows, start=1)]

    def mask_keys(self, ids) -> dict[int, str | None]:
        """The shared-text key (grouping.py) of these chunk ids (ids no longer stored are left out)."""
        found: dict[int, str | None] = {}
        for batch in _batches(ids):
            marks = ",".join("?" * len(batch))
            found.update(self._conn.execute(f"SELECT chunk_id, mask_key FROM chunks WHERE chunk_id IN ({marks})", batch))
        return found

    def columns(self) -> "FacetColumns":
        """The facet columns of this snapshot (facets.py): the cached generation's, or read for this snapshot alone."""
        if self._facets is not None:
            return self._facets.for_snapshot(self)
        if self._columns is None:
            self._columns = self.facet_columns(self.generation())
        return self._columns

    def sharing(self, keys, filters: Filters) -> dict[str, list[tuple[str, int]]]:
        """For each shared-text key, every (Party, chunk id) holding it within the filters, Parties in order."""
        found: dict[str, list[tuple[str, int]]] = {}
        where, params = filter_sql(filters)
        for batch in _batches_of(list(keys)):
            marks = ",".join("?" * len(batch))
            for key, country, chunk_id in self._conn.execute(
                f"SELECT c.mask_key, d.country, c.chunk_id {_FROM} WHERE c.mask_key IN ({marks}) AND {where} "
                "ORDER BY d.country, c.chunk_id", (*batch, *params)
            ):
                found.setdefault(key, []).append((country, chunk_id))
        return found

    def filtered_ids(self, filters: Filters) -> np.ndarray:
        """The chunk ids matching the filters, ascending (what each side of a search may return).

        Remembered for the snapshot's life: a search asks for the same filters on both sides.
        """
        where, params = filter_sql(filters)
        key = (where, params)
        if key not in self._filtered:
            if self._facets is not None:
                ids = self.columns().allowed(filters)
                if filters.rec_ids:
                    ids = np.intersect1d(ids, self.rec_chunk_ids(filters.rec_ids), assume_unique=True)
            else:
                rows = self._conn.execute(f"SELECT c.chunk_id {_FROM} WHERE {where} ORDER BY c.chunk_id", params)
                ids = np.fromiter((r[0] for r in rows), dtype=np.int64)
            ids.flags.writeable = False
            self._filtered[key] = ids
        return self._filtered[key]

    def orphans(self) -> dict[str, int]:
        """Rows that point at nothing, or documents with nothing: each count should be 0."""
        queries = {
            "recommendation rows without their chunk":
                "SELECT COUNT(*) FROM chunk_recs WHERE chunk_id NOT IN (SELECT chunk_id FROM chunks)",
            "chunks without their document":
                "SELECT COUNT(*) FROM chunks WHERE doc_id NOT IN (SELECT doc_id FROM documents)",
            "documents without chunks":
                "SELECT COUNT(*) FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM chunks)",
        }
        return {name: self._conn.execute(sql).fetchone()[0] for name, sql in queries.items()}
