"""The public API: ``Archive`` ties parsing, chunking, embedding, storage and search together.

The CLI and the Gradio app are thin layers over this class.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from .chunking import chunk_document
from .embedding import Embedder, load_embedder, resolve_model
from .errors import ArchiveError, ArchiveNotFound, EmptyQuery, ModelMismatch, UnknownFilterError
from .faults import checkpoint
from .fsutil import atomic_path, atomic_write_text, file_lock, remove_temporaries
from .model import (
    BlockKind,
    Chunk,
    Document,
    DocumentInfo,
    FileResult,
    FollowUp,
    Hit,
    IngestReport,
    Recommendation,
)
from .parsing import parse_bytes, read_file
from .parsing.references import roman_to_int
from .parsing.source import SourceError
from .search import MODES, Filters, Retriever, normalise_filters
from .settings import env_number
from .store import SCHEMA_VERSION, ChunkRow, Store, StoredEmbedding, text_hash
from .vectors import VectorCache, VectorIndex

log = logging.getLogger(__name__)

DB_NAME = "archive.sqlite3"
MANIFEST_NAME = "manifest.json"
SOURCES_DIR = "sources"
WRITE_LOCK = ".write.lock"
DEFAULT_MAX_FILE_MB = 50
DEFAULT_MAX_PAGES = 500
REC_ID = re.compile(r"^\s*([IVX]+)\s*[-–]\s*(\d+)\s*$", re.IGNORECASE)
# Below this cosine a passage is not shown as a country's answer in compare().
COMPARE_MIN_SIMILARITY = 0.35
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Progress = Callable[[int, int, str], None]


@dataclass
class _Prepared:
    """A parsed file waiting for its embeddings."""

    result: FileResult
    document: Document
    chunks: list[Chunk]
    hashes: list[str]
    data: bytes  # the exact bytes parsed: kept as the source copy
    suffix: str


class Archive:
    """A searchable archive of factsheets in one index folder.

    ``Archive.open("index")`` opens an existing archive; ``create=True`` starts
    one. The embedding model is loaded on first use and shared in the process.
    """

    def __init__(self, path: Path, store: Store, model_name: str, embedder: Embedder | None = None):
        self.path = Path(path)
        self.store = store
        self.model_name = model_name
        self._embedder = embedder
        self.dimension = int(store.meta().get("dimension", 0)) or None
        self.vectors = VectorCache(self.path, lambda: self.dimension or self.embedder.dimension)

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path = "index",
        *,
        create: bool = False,
        model: str | None = None,
        embedder: Embedder | None = None,
        allow_model_change: bool = False,
    ) -> "Archive":
        """Open the archive in ``path``; ``create=True`` makes it when missing.

        An archive remembers the model that built it. Asking for another model
        raises ``ModelMismatch`` unless ``allow_model_change`` (for a rebuild).
        Leftovers of an interrupted write are cleaned up here, and logged.
        """
        path = Path(path)
        db = path / DB_NAME
        if not db.exists() and not create:
            raise ArchiveNotFound(
                f"no archive in {path}/: build it with `lanzasearch ingest corpus/ --index {path}` (or `make index`)"
            )
        if not db.exists() and embedder is None:
            embedder = load_embedder(model)  # a model that cannot be loaded leaves no empty archive behind
        path.mkdir(parents=True, exist_ok=True)
        store = Store(db)
        meta = store.meta()
        stored_model = meta.get("model")
        if embedder is not None:
            requested = embedder.name
        else:
            requested = resolve_model(model)[0] if (model or not stored_model) else stored_model
        if stored_model and requested != stored_model and not allow_model_change:
            raise ModelMismatch(
                f"the archive in {path}/ was built with model '{stored_model}', not '{requested}': "
                f"rebuild it with `lanzasearch ingest --rebuild --model {requested}` or use the archive's model"
            )
        archive = cls(path, store, requested, embedder)
        archive._recover()
        if not stored_model:
            archive.embedder  # learn the dimension now, so the manifest is complete from the start
            store.set_meta({"model": requested, "dimension": str(archive.dimension), "schema": str(SCHEMA_VERSION)})
            archive._write_manifest()
        return archive

    def _recover(self) -> None:
        """Remove what an interrupted writer left behind, unless a writer is at work right now.

        SQLite rolls back an unfinished transaction by itself; what is left are
        temporary files and kept source copies no document refers to.
        """
        with file_lock(self.path / WRITE_LOCK, blocking=False) as idle:
            if not idle:
                return
            for leftover in remove_temporaries(self.path):
                log.warning("recovery: removed %s left by an interrupted write", leftover.name)
            self._prune_sources()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer at a time across processes; readers never wait for it (WAL)."""
        with file_lock(self.path / WRITE_LOCK):
            yield

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder(self.model_name)
        if self.dimension is None:
            self.dimension = self._embedder.dimension
        return self._embedder

    @property
    def generation(self) -> int:
        return self.store.generation()

    # -- ingest ----------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path] = ("corpus",),
        *,
        rebuild: bool = False,
        progress: bool | Progress = False,
        max_bytes: int | None = None,
        max_pages: int | None = None,
    ) -> IngestReport:
        """Add new files, replace changed ones, skip unchanged bytes; return what happened per file.

        Each document version is written in one transaction. A file that fails
        (unreadable, encrypted, not UTF-8 …) is reported with its reason and
        leaves the archive untouched; the other files are still ingested.
        ``rebuild=True`` re-embeds everything in one transaction, so the
        archive switches to the current model all at once: documents not
        named in ``paths`` are re-read from their kept source copies, and if
        any document cannot be re-read the rebuild is refused and nothing
        changes (``ArchiveError``). Files over
        ``max_bytes`` (default $LANZASEARCH_MAX_FILE_MB, 50 MB) or ``max_pages``
        (default $LANZASEARCH_MAX_PAGES, 500) are refused before they are read.
        """
        with self._writing():
            return self._ingest(paths, rebuild, progress, max_bytes, max_pages)

    def _ingest(self, paths, rebuild, progress, max_bytes, max_pages) -> IngestReport:
        max_bytes = max_bytes or int(env_number("LANZASEARCH_MAX_FILE_MB", DEFAULT_MAX_FILE_MB, float, "MB") * 1024 * 1024)
        max_pages = max_pages or env_number("LANZASEARCH_MAX_PAGES", DEFAULT_MAX_PAGES, int, "pages")
        report = IngestReport()
        files = list(expand_paths(paths, report))
        notify = _progress_callback(progress, len(files))
        prepared: list[_Prepared] = []
        claimed: dict[str, str] = {}
        for number, file in enumerate(files, start=1):
            notify(number - 1, len(files), f"reading {file.name}")
            item = self._prepare(file, rebuild, claimed, max_bytes, max_pages)
            if item is None:
                continue
            if isinstance(item, FileResult):
                report.files.append(item)
                continue
            if rebuild:
                prepared.append(item)
                continue
            self._keep_source(item)
            report.embedded += self._commit([item])
            report.files.append(item.result)
        if rebuild:
            prepared.extend(self._prepare_kept_sources(claimed, report, max_bytes, max_pages))
            if report.failed:
                reasons = "; ".join(f"{f.path} {f.reason}" for f in report.failed)
                raise ArchiveError(f"rebuild refused, the archive is unchanged: {reasons}")
            notify(len(files), len(files), "embedding")
            for item in prepared:
                self._keep_source(item)
            report.embedded += self._commit(prepared, replace_all=True)
            report.files.extend(p.result for p in prepared)
        notify(len(files), len(files), "done")
        if report.added or report.updated or rebuild:
            self._prune_sources()
            self._sync_vectors()
            self._write_manifest()
        return report

    def _prepare_kept_sources(self, claimed: dict[str, str], report: IngestReport, max_bytes: int, max_pages: int):
        """For a rebuild: every document not in this batch, re-read from its kept source copy."""
        for info in self.store.documents():
            if info.doc_id in claimed:
                continue
            source = self.source_path(info.doc_id)
            if source is None:
                report.files.append(FileResult(
                    info.source, "failed", doc_id=info.doc_id,
                    reason="has no kept source copy: ingest its file together with --rebuild",
                ))
                continue
            item = self._prepare(source, True, claimed, max_bytes, max_pages)
            if isinstance(item, FileResult):
                item.path = info.source
                report.files.append(item)
            elif item is not None:
                item.document.source = item.result.path = info.source
                yield item

    def _prepare(self, file: Path, rebuild: bool, claimed: dict[str, str], max_bytes: int, max_pages: int):
        """Parse one file into chunks, or say why not (a FileResult), or None if nothing to do."""
        shown = str(file)
        try:
            data, sha = read_file(file, max_bytes=max_bytes)
            known = self.store.sha_known(sha)
            if known and not rebuild:
                claimed.setdefault(known, shown)
                return FileResult(shown, "unchanged", doc_id=known, chunks=self._chunk_count(known))
            document = parse_bytes(file, data, sha, max_pages=max_pages)
            checkpoint("parse")
        except SourceError as exc:
            return FileResult(shown, "failed", reason=str(exc))
        except OSError as exc:
            return FileResult(shown, "failed", reason=f"cannot be read ({exc.strerror or exc}): check the path and permissions")
        document.source = file.name
        doc_id = document.doc_id
        if doc_id in claimed:
            return FileResult(
                shown, "failed", doc_id=doc_id,
                reason=f"is the same document ({doc_id}) as {claimed[doc_id]} in this batch: ingest one of them",
            )
        claimed[doc_id] = shown
        if not document.blocks:
            return FileResult(shown, "failed", reason="has no searchable text after parsing: check that it is a text document")
        status = "updated" if self.store.document_sha(doc_id) else "added"
        chunks = chunk_document(document)
        hashes = [text_hash(self.model_name, c) for c in chunks]
        return _Prepared(
            FileResult(shown, status, doc_id=doc_id, chunks=len(chunks)), document, chunks, hashes, data, file.suffix.lower()
        )

    def _keep_source(self, item: _Prepared) -> None:
        """Keep the parsed bytes as ``sources/<sha256><suffix>``, so citations can open the file at a page.

        Written before the database commit and named by content, so a crash
        between the two leaves at most an unreferenced file (pruned later),
        never a copy that disagrees with the stored document.
        """
        target = self.path / SOURCES_DIR / f"{item.document.sha256}{item.suffix}"
        if target.exists():
            return
        try:
            with atomic_path(target) as tmp:
                Path(tmp).write_bytes(item.data)
        except OSError as exc:  # the archive is complete without it; only the page link is lost
            log.warning("cannot keep a copy of %s (%s)", item.result.path, exc)

    def _prune_sources(self) -> None:
        """Delete kept copies that no stored document refers to (old versions, interrupted ingests)."""
        folder = self.path / SOURCES_DIR
        if not folder.is_dir():
            return
        wanted = {d.sha256 for d in self.store.documents()}
        for file in folder.iterdir():
            if file.is_file() and file.name.split(".", 1)[0] not in wanted and not file.name.startswith("."):
                file.unlink(missing_ok=True)

    def source_path(self, doc_id: str) -> Path | None:
        """The kept copy of a document's source file (PDF or text), if there is one."""
        sha = self.store.document_sha(doc_id)
        if sha is None:
            return None
        return next(iter(sorted((self.path / SOURCES_DIR).glob(f"{sha}.*"))), None)

    def _chunk_count(self, doc_id: str) -> int:
        return next((d.chunks for d in self.store.documents() if d.doc_id == doc_id), 0)

    def _embed(self, items: list[_Prepared], reuse: bool) -> tuple[list[list[StoredEmbedding]], int]:
        """Embeddings for every chunk of the items; stored ones are reused unless ``reuse`` is off."""
        all_hashes = [h for item in items for h in item.hashes]
        cached = self.store.cached_embeddings(all_hashes, self.embedder.dimension) if reuse else {}
        todo: dict[str, Chunk] = {}
        for item in items:
            for chunk, h in zip(item.chunks, item.hashes):
                if h not in cached and h not in todo:
                    todo[h] = chunk
        if todo:
            # One encode call for whole chunks and their sentences keeps batches full.
            texts: list[str] = []
            spans: list[tuple[str, int, int]] = []
            for h, chunk in todo.items():
                start = len(texts)
                texts.append(chunk.embed_text)
                texts.extend(chunk.sentences)
                spans.append((h, start, len(texts)))
            vectors = self.embedder.encode(texts)
            checkpoint("embed")
            for h, start, end in spans:
                cached[h] = StoredEmbedding(vectors[start], vectors[start + 1 : end])
        return [[cached[h] for h in item.hashes] for item in items], len(todo)

    def _commit(self, items: list[_Prepared], replace_all: bool = False) -> int:
        if not items:
            return 0
        embeddings, embedded = self._embed(items, reuse=not replace_all)
        if replace_all:
            self.store.replace_all(
                [(i.document, i.chunks, i.hashes, e) for i, e in zip(items, embeddings)],
                {"model": self.model_name, "dimension": str(self.embedder.dimension)},
            )
        else:
            for item, emb in zip(items, embeddings):
                self.store.replace_document(item.document, item.chunks, item.hashes, emb)
        return embedded

    def remove(self, doc_id: str) -> None:
        """Remove a document and its passages."""
        if self.store.document_sha(doc_id) is None:
            known = ", ".join(d.doc_id for d in self.store.documents()) or "none"
            raise ArchiveError(f"no document '{doc_id}' in the archive (documents: {known})")
        with self._writing():
            self.store.remove_document(doc_id)
            self._prune_sources()
            self._sync_vectors()
            self._write_manifest()

    def documents(self) -> list[DocumentInfo]:
        """Every document in the archive with its chunk count and when it was ingested."""
        return self.store.documents()

    # -- vectors -----------------------------------------------------------------

    def _vectors_for(self, conn) -> VectorIndex:
        """The FAISS index of the snapshot ``conn`` reads (loaded, brought up to date, or rebuilt)."""
        return self.vectors.for_snapshot(self.store, conn)

    def _sync_vectors(self) -> None:
        with self.store.read() as conn:
            self._vectors_for(conn)

    def _write_manifest(self) -> None:
        meta = self.store.meta()
        kind = self.vectors.kind
        manifest = {
            "model": meta.get("model"),
            "dimension": int(meta.get("dimension", 0)),
            "schema_version": SCHEMA_VERSION,
            "generation": int(meta.get("generation", 0)),
            "faiss_index": kind,
            "faiss_parameters": self.vectors.parameters,
            "documents": len(self.store.documents()),
        }
        atomic_write_text(self.path / MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")

    def manifest(self) -> dict:
        path = self.path / MANIFEST_NAME
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    # -- search ------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 10,
        countries: Iterable[str] | str | None = None,
        sections: Iterable[str] | str | None = None,
        kinds: Iterable[str] | str | None = None,
        strengths: Iterable[str] | str | None = None,
        mode: str = "hybrid",
    ) -> list[Hit]:
        """The k best passages for a free-text query, filters applied before the cut.

        ``mode`` is "hybrid" (dense + lexical, fused), "dense" or "lexical".
        Unknown filter values raise ``UnknownFilterError`` naming the valid ones;
        an empty query raises ``EmptyQuery``.
        """
        query = clean_query(query)
        if mode not in MODES:
            raise UnknownFilterError(f"unknown mode {mode!r}: choose from {', '.join(MODES)}")
        k = max(1, min(int(k), 200))
        query_vector = self.embedder.encode_query(query) if mode != "lexical" else None
        with self.store.read() as conn:
            filters = normalise_filters(
                self.store, conn, countries=countries, sections=sections, kinds=kinds, strengths=strengths
            )
            return self._search(conn, query, query_vector, filters, mode, k)

    def _search(self, conn, query: str, query_vector, filters: Filters, mode: str, k: int) -> list[Hit]:
        vectors = self._vectors_for(conn) if mode != "lexical" else None
        ranked = Retriever(self.store, self.dimension).rank(conn, vectors, query, query_vector, filters, mode)[:k]
        rows = self.store.chunk_rows(conn, [i for i, _ in ranked])
        return [make_hit(rank, score, rows[i]) for rank, (i, score) in enumerate(ranked, start=1) if i in rows]

    def compare(
        self,
        query: str,
        countries: Iterable[str] | None = None,
        per_country: int = 3,
        kinds: Iterable[str] | None = None,
        mode: str = "hybrid",
    ) -> dict[str, list[Hit]]:
        """Each country's best passages for a query or a recommendation id, side by side.

        A recommendation id ("II-6") gives each country's recommendation text
        and follow-up actions for it. A free-text query gives each country's best
        passages; a country with nothing relevant maps to an empty list.
        """
        query = clean_query(query)
        per_country = max(1, min(int(per_country), 50))
        with self.store.read() as conn:
            base = normalise_filters(self.store, conn, countries=countries, kinds=kinds)
            chosen = base.countries or self.store.values(conn, "country")
            rec = REC_ID.match(query)
            query_vector = None if rec else self.embedder.encode_query(query)
            result: dict[str, list[Hit]] = {}
            for country in chosen:
                filters = Filters(countries=[country], kinds=base.kinds)
                if rec:
                    filters.rec_ids = [f"{rec.group(1).upper()}-{rec.group(2)}"]
                    rows = self.store.select_rows(conn, *filters.sql())[:per_country]
                    result[country] = [make_hit(i, 1.0, r) for i, r in enumerate(rows, start=1)]
                    continue
                hits = self._search(conn, query, query_vector, filters, mode, per_country * 3)
                result[country] = self._relevant(conn, hits, query_vector)[:per_country]
            return result

    def _relevant(self, conn, hits: list[Hit], query_vector: np.ndarray) -> list[Hit]:
        """Hits close enough in meaning, as a whole or by one sentence; the rest is noise in a comparison."""
        if not hits:
            return []
        retriever = Retriever(self.store, self.dimension)
        ids = [h.chunk_id for h in hits]
        whole = retriever.similarities(self._vectors_for(conn), query_vector, ids)
        best = retriever.best_sentences(conn, query_vector, ids)
        keep = [h for h in hits if max(whole[h.chunk_id], best.get(h.chunk_id, -1.0)) >= COMPARE_MIN_SIMILARITY]
        for rank, hit in enumerate(keep, start=1):
            hit.rank = rank
        return keep

    # -- recommendations -----------------------------------------------------------

    def recommendations(self, country: str | None = None) -> list[Recommendation]:
        """Every recommendation id in the archive, in section order, with strength, text and follow-ups."""
        with self.store.read() as conn:
            countries = normalise_filters(self.store, conn, countries=country).countries
            filters = Filters(
                countries=countries,
                kinds=[BlockKind.RECOMMENDATION.value, BlockKind.GENERIC_RECOMMENDATION.value],
            )
            rec_rows = [r for r in self.store.select_rows(conn, *filters.sql()) if r.rec_ids]
            extra = Filters(countries=countries, kinds=[BlockKind.FOLLOW_UP.value, BlockKind.PROMISING_PRACTICE.value])
            box_rows = self.store.select_rows(conn, *extra.sql())
        return build_recommendations(rec_rows, box_rows)

    def recommendation(self, rec_id: str) -> Recommendation | None:
        """One recommendation id ("II-6") across the archive, or None when no document has it."""
        match = REC_ID.match(rec_id or "")
        if not match:
            raise ArchiveError(f"'{rec_id}' is not a recommendation id: write it like II-6 (section numeral, dash, number)")
        wanted = f"{match.group(1).upper()}-{match.group(2)}"
        return next((r for r in self.recommendations() if r.rec_id == wanted), None)

    def article(self, number: str | int) -> Hit | None:
        """The text of a Convention article (all its paragraphs), or None when it is not in the archive."""
        with self.store.read() as conn:
            rows = self.store.select_rows(conn, "c.kind = ? AND c.article = ?", (BlockKind.ARTICLE.value, str(number)))
        if not rows:
            return None
        hit = make_hit(1, 1.0, rows[0])
        hit.text = "\n\n".join(r.text for r in rows)
        return hit

    def facets(self) -> dict[str, list[str]]:
        """The filter values present in the archive: countries, sections, kinds, strengths."""
        with self.store.read() as conn:
            return {
                "countries": self.store.values(conn, "country"),
                "sections": sorted(self.store.values(conn, "section"), key=roman_to_int),
                "kinds": self.store.values(conn, "kind"),
                "strengths": self.store.values(conn, "strength"),
            }


# -- helpers --------------------------------------------------------------------


def clean_query(query: str | None) -> str:
    """Strip control characters and surrounding space; refuse an empty query."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", query or "")).strip()
    if not text:
        raise EmptyQuery("empty query: type a question or a few words")
    return text


def expand_paths(paths: Iterable[str | Path], report: IngestReport) -> Iterable[Path]:
    """Files named, and files inside folders named (recursively, hidden ones skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and not any(part.startswith(".") for part in file.relative_to(path).parts):
                    yield file
        elif path.is_file():
            yield path
        else:
            report.files.append(FileResult(str(path), "failed", reason="does not exist: check the path"))


def make_hit(rank: int, score: float, row: ChunkRow) -> Hit:
    return Hit(
        rank=rank,
        score=round(float(score), 6),
        chunk_id=row.chunk_id,
        doc_id=row.doc_id,
        doc_type=row.doc_type,
        country=row.country,
        section=row.section,
        heading=row.heading,
        kind=row.kind,
        strength=row.strength,
        rec_ids=row.rec_ids,
        para_refs=row.para_refs,
        articles=row.articles,
        page=row.page,
        text=row.text,
        section_title=row.section_title,
        pages=row.pages,
        notes=row.notes,
        source=row.source,
        title=row.title,
    )


def rec_sort_key(rec_id: str) -> tuple[int, int]:
    section, _, number = rec_id.partition("-")
    return roman_to_int(section), int(number) if number.isdigit() else 0


def build_recommendations(rec_rows: list[ChunkRow], box_rows: list[ChunkRow]) -> list[Recommendation]:
    """Group recommendation chunks by id and attach each country's follow-ups and practices."""
    recs: dict[str, Recommendation] = {}
    for row in rec_rows:
        for rec_id in row.rec_ids:
            rec = recs.get(rec_id)
            if rec is None:
                rec = recs[rec_id] = Recommendation(
                    rec_id=rec_id, section=row.section, section_title=row.section_title,
                    strength=row.strength, kind=row.kind, text=row.text,
                )
            country = row.country or row.doc_id
            if country not in rec.countries:
                rec.countries.append(country)
                rec.pages[country] = row.page
            rec.articles = sorted(set(rec.articles) | set(row.articles), key=lambda a: int(a) if a.isdigit() else 0)
    for row in box_rows:
        box = FollowUp(country=row.country, doc_id=row.doc_id, text=row.text, page=row.page, chunk_id=row.chunk_id)
        if row.kind == BlockKind.FOLLOW_UP.value:
            for rec_id in row.rec_ids:
                if rec_id in recs:
                    recs[rec_id].follow_ups.append(box)
        else:
            # A practice answers the "invite" recommendations of its section in the same factsheet.
            linked = row.rec_ids or [
                r.rec_id for r in recs.values()
                if r.section == row.section and r.strength == "invite" and (row.country in r.countries)
            ]
            for rec_id in linked:
                if rec_id in recs:
                    recs[rec_id].practices.append(box)
    return sorted(recs.values(), key=lambda r: rec_sort_key(r.rec_id))


def _progress_callback(progress: bool | Progress, total: int) -> Progress:
    if callable(progress):
        return progress
    if not progress:
        return lambda done, total, message: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="file", desc="ingest")

    def update(done: int, total: int, message: str) -> None:
        bar.n = done
        bar.set_postfix_str(message)
        bar.refresh()
        if message == "done":
            bar.close()

    return update
