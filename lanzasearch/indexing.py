"""Writing to an archive folder: ingest, rebuild, remove, and recovery after an interrupted write.

An archive folder holds the database (the source of truth), the vector, sentence-vector and
lexical index files derived from it, ``manifest.json`` (model, dimension, schema, generation, indexes)
and ``sources/`` (the exact bytes of every stored document version, named by their
SHA-256). One writer at a time works in a folder, across processes (a file lock).
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .chunking import chunk_document
from .embedding import Embedder
from .errors import ArchiveError, RebuildRefused
from .faults import checkpoint
from .fsutil import atomic_path, atomic_write_text, file_lock, remove_temporaries
from .lexical_cache import LexicalCache
from .model import Chunk, Document, DocumentInfo, FileResult, IngestReport, Replacement
from .parsing import SourceError, parse_bytes, read_file
from .schema import SCHEMA_VERSION
from .sentence_cache import SentenceCache
from .settings import env_number
from .snapshot_vectors import StoredEmbedding
from .store import Store, VersionStamp, text_hash
from .vectors import VectorCache

log = logging.getLogger(__name__)

DB_NAME = "archive.sqlite3"
MANIFEST_NAME = "manifest.json"
SOURCES_DIR = "sources"
WRITE_LOCK = ".write.lock"
DEFAULT_MAX_FILE_MB = 50
DEFAULT_MAX_PAGES = 500

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
    removes: list[str]  # stored documents of the same bytes that this one takes the place of
    stamp: VersionStamp | None = None  # a rebuild puts a re-read version back where it was


@dataclass
class _Batch:
    """One ingest call's settings, and the documents its files have claimed so far (doc id → file)."""

    rebuild: bool
    max_bytes: int
    max_pages: int
    claimed: dict[str, str] = field(default_factory=dict)


def read_manifest(folder: Path) -> dict:
    """The folder's manifest.json, or {} when there is none."""
    path = Path(folder) / MANIFEST_NAME
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


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


class Indexer:
    """The writes to one archive folder; ``Archive`` is its public face.

    ``embedder`` is asked for the model only when something must be embedded.
    """

    def __init__(self, path: Path, store: Store, vectors: VectorCache, embedder: Callable[[], Embedder],
                 model_name: str, lexical: LexicalCache, sentences: SentenceCache):
        self.path = Path(path)
        self.store = store
        self.vectors = vectors
        self.lexical, self.sentences = lexical, sentences
        self._embedder, self.model_name = embedder, model_name

    # -- locking and recovery ------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One writer at a time across processes; readers never wait for it (WAL)."""
        with file_lock(self.path / WRITE_LOCK):
            yield

    def recover(self) -> None:
        """Clean up after an interrupted writer, unless a writer is at work right now.

        SQLite rolls back an unfinished transaction by itself; what is left are temporary files,
        kept source copies no document refers to, and derived files behind the database's generation.
        """
        with file_lock(self.path / WRITE_LOCK, blocking=False) as idle:
            if not idle:
                return
            for leftover in remove_temporaries(self.path):
                log.warning("recovery: removed %s left by an interrupted write", leftover.name)
            self.prune_sources()
            manifest, meta = read_manifest(self.path), self.store.meta()
            generation = int(meta.get("generation", 0))
            behind = [f"{name} was at generation {saved}" for name, saved in (
                (MANIFEST_NAME, manifest.get("generation")), ("the lexical index", self.lexical.saved_generation()))
                if saved != generation]
            if meta.get("model") and behind:
                log.warning("%s, the database at %s: bringing it up to date", ", ".join(behind), generation)
                try:
                    self.refresh()
                except OSError as exc:  # a read-only folder still answers; the files stay behind
                    log.warning("cannot bring %s up to date (%s)", MANIFEST_NAME, exc)

    # -- ingest ------------------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path], rebuild: bool, progress: bool | Progress,
               max_bytes: int | None, max_pages: int | None, identity: dict[str, str]) -> IngestReport:
        """What ``Archive.ingest`` does (see there), under the write lock; ``identity`` is checked already."""
        with self.writing():
            return self._ingest(paths, rebuild, progress, max_bytes, max_pages, identity)

    def _ingest(self, paths, rebuild, progress, max_bytes, max_pages, identity) -> IngestReport:
        batch = _Batch(
            rebuild=rebuild,
            max_bytes=max_bytes or int(env_number("LANZASEARCH_MAX_FILE_MB", DEFAULT_MAX_FILE_MB, float, "MB") * 2**20),
            max_pages=max_pages or env_number("LANZASEARCH_MAX_PAGES", DEFAULT_MAX_PAGES, int, "pages"),
        )
        report = IngestReport()
        files = list(expand_paths(paths, report))
        # A rebuild also re-reads every document the batch does not name, from its kept source.
        total = len(files) + (len(self.store.documents()) if rebuild else 0)
        notify = _progress_callback(progress, total)
        prepared: list[_Prepared] = []
        for number, file in enumerate(files, start=1):
            notify(number - 1, total, f"reading {file.name}")
            item = self._prepare(file, batch, identity)
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
            prepared.extend(self._prepare_kept_sources(batch, report,
                                                       lambda name, done: notify(len(files) + done, total, name)))
            if report.failed:
                reasons = "; ".join(f"{f.path} {f.reason}" for f in report.failed)
                raise RebuildRefused(f"rebuild refused, the archive is unchanged: {reasons}", report.failed)
            notify(total, total, "embedding")
            for item in prepared:
                self._keep_source(item)
            report.embedded += self._commit(prepared, replace_all=True)
            report.files.extend(p.result for p in prepared)
        notify(total, total, "done")
        if report.added or report.updated or rebuild:
            self.prune_sources()
            self.refresh()
        return report

    def _prepare_kept_sources(self, batch: _Batch, report: IngestReport,
                              notify: Callable[[str, int], None]) -> Iterator[_Prepared]:
        """For a rebuild: every document version not in this batch, re-read from its kept source copy
        with the identity staff set when it was ingested."""
        for done, info in enumerate(self.store.documents()):
            if info.doc_id in batch.claimed:
                continue
            notify(f"reading {info.source}", done)
            source = self.source_path(info.doc_id)
            if source is None:
                report.files.append(FileResult(
                    info.source, "failed", doc_id=info.doc_id,
                    reason="has no kept source copy: ingest its file together with --rebuild",
                ))
                continue
            item = self._prepare(source, batch, info.overrides, name=info.source, kept=info)
            if isinstance(item, FileResult):
                item.path, item.doc_id = info.source, item.doc_id or info.doc_id
                report.files.append(item)
            else:
                item.result.path = info.source
                yield item

    def _prepare(self, file: Path, batch: _Batch, identity: dict[str, str], name: str | None = None,
                 kept: DocumentInfo | None = None):
        """Parse one file into chunks, or say why not (a FileResult: failed, or unchanged).

        ``identity`` (country, round set by staff) is applied over what the file says; the
        document records ``name`` (default: the file's name) as its source. ``kept`` is the
        version a rebuild re-reads from its kept copy: it goes back under its own id.
        """
        shown, name = str(file), name or file.name
        try:
            data, sha = read_file(file, max_bytes=batch.max_bytes)
            with self.store.snapshot() as snapshot:
                known = snapshot.sha_known(sha)
            stored = self._stored(known)
            # The same bytes cost a hash and keep the identity they were given, unless staff set another now.
            if known and not batch.rebuild and (not identity or stored.overrides == identity):
                batch.claimed.setdefault(known, shown)
                return FileResult(shown, "unchanged", doc_id=known, chunks=stored.chunks, report=stored.report)
            document = parse_bytes(file, data, sha, max_pages=batch.max_pages, **identity)
            checkpoint("parse")
        except SourceError as exc:
            return FileResult(shown, "failed", reason=str(exc))
        except OSError as exc:
            return FileResult(shown, "failed", reason=f"cannot be read ({exc.strerror or exc}): check the path and permissions")
        document.source = name
        doc_id = kept.doc_id if kept and not kept.current else document.doc_id
        if doc_id in batch.claimed:
            return FileResult(
                shown, "failed", doc_id=doc_id,
                reason=f"is the same document ({doc_id}) as {batch.claimed[doc_id]} in this batch: ingest one of them",
            )
        batch.claimed[doc_id] = shown
        if not document.blocks:
            return FileResult(shown, "failed", reason="has no searchable text after parsing: check that it is a text document")
        previous = self._stored(doc_id)
        replaced = [Replacement(doc_id, previous.source, name, doc_id)] if previous and previous.source != name else []
        removes = []
        if known and known != doc_id and kept is None:  # these very bytes were stored as another document: it moves here
            batch.claimed.setdefault(known, shown)
            replaced.append(Replacement(known, stored.source, name, doc_id))
            removes.append(known)
        chunks = chunk_document(document)
        hashes = [text_hash(self.model_name, c) for c in chunks]
        result = FileResult(shown, "updated" if previous else "added", doc_id=doc_id, chunks=len(chunks),
                            report=document.report, replaced=replaced)
        stamp = VersionStamp(doc_id, kept.version, kept.ingested_at, kept.replaced_at) if kept else None
        return _Prepared(result, document, chunks, hashes, data, file.suffix.lower(), removes, stamp)

    def _stored(self, doc_id: str | None) -> DocumentInfo | None:
        """The stored document of that id, if any."""
        return next((d for d in self.store.documents() if d.doc_id == doc_id), None) if doc_id else None

    def _embed(self, items: list[_Prepared], reuse: bool) -> tuple[list[list[StoredEmbedding]], int]:
        """Embeddings for every chunk of the items; stored ones are reused unless ``reuse`` is off."""
        embedder = self._embedder()
        cached: dict[str, StoredEmbedding] = {}
        if reuse:
            with self.store.snapshot() as snapshot:
                cached = snapshot.cached_embeddings([h for item in items for h in item.hashes], embedder.dimension)
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
            vectors = embedder.encode_passages(texts)
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
                [(i.document, i.chunks, i.hashes, e, i.stamp) for i, e in zip(items, embeddings)],
                {"model": self.model_name, "dimension": str(self._embedder().dimension)},
            )
        else:
            for item, emb in zip(items, embeddings):
                self.store.add_version(item.document, item.chunks, item.hashes, emb, removes=item.removes)
        return embedded

    # -- removing ----------------------------------------------------------------------------

    def remove(self, doc_id: str, version: int | None = None) -> None:
        """What ``Archive.remove`` does, under the write lock."""
        with self.store.snapshot() as snapshot:
            series = snapshot.series_of(doc_id)
            versions = snapshot.versions(series) if series else []
        if series is None:
            known = ", ".join(d.doc_id for d in self.store.documents() if d.current) or "none"
            raise ArchiveError(f"no document '{doc_id}' in the archive (documents: {known})")
        target = None
        if version is not None:
            target = next((v.doc_id for v in versions if v.version == version), None)
            if target is None:
                numbers = ", ".join(str(v.version) for v in versions)
                raise ArchiveError(f"{series} has no version {version} (versions: {numbers}): see `lanzasearch docs --history`")
        elif doc_id != series:
            target = doc_id  # an earlier version named by its own id
        with self.writing():
            if target is None:
                self.store.remove_document(series)
            else:
                self.store.remove_version(target)
            self.prune_sources()
            self.refresh()

    # -- kept sources and derived files ------------------------------------------------------------

    def source_path(self, doc_id: str) -> Path | None:
        """The kept copy of a document's source file, if there is one."""
        sha = self.store.document_sha(doc_id)
        if sha is None:
            return None
        return next(iter(sorted((self.path / SOURCES_DIR).glob(f"{sha}.*"))), None)

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

    def unreferenced_sources(self) -> list[Path]:
        """Kept copies that no stored document refers to (old versions, interrupted ingests)."""
        folder = self.path / SOURCES_DIR
        if not folder.is_dir():
            return []
        wanted = {d.sha256 for d in self.store.documents()}
        return [file for file in sorted(folder.iterdir())
                if file.is_file() and file.name.split(".", 1)[0] not in wanted and not file.name.startswith(".")]

    def prune_sources(self) -> None:
        """Delete the kept copies no stored document refers to."""
        for file in self.unreferenced_sources():
            file.unlink(missing_ok=True)

    def refresh(self) -> None:
        """Bring the derived files to the database's generation: indexes, sentence vectors, facets, then the manifest."""
        with self.store.snapshot() as snapshot:
            self.vectors.for_snapshot(snapshot)
            self.sentences.for_snapshot(snapshot, int(snapshot.meta().get("dimension", 0)))
            self.lexical.for_snapshot(snapshot)
            snapshot.columns()  # the facet columns' file of this generation, for every reader
        self.write_manifest()

    def write_manifest(self) -> None:
        """Write manifest.json (atomically) from the database's settings and the indexes in use."""
        with self.store.snapshot() as snapshot:
            meta, documents = snapshot.meta(), len(snapshot.documents())
        derived = {**self.vectors.manifest(), **self.sentences.manifest(), **self.lexical.manifest()}
        manifest = {"model": meta.get("model"), "dimension": int(meta.get("dimension", 0)), "schema_version": SCHEMA_VERSION,
                    "generation": int(meta.get("generation", 0)), **derived, "documents": documents}
        atomic_write_text(self.path / MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n")


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
