"""The integrity check of an archive folder: is everything derived from the database in step with it?

Each check is cheap next to an ingest: it reads ids, counts and the kept
files, never the passages' text. ``Archive.check()`` runs them all and
``lanzasearch check`` prints the report.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .indexing import MANIFEST_NAME, SOURCES_DIR, Indexer, read_manifest
from .lexical import RANKING_PROBES, ranking_differences
from .lexical_cache import LexicalCache
from .sentence_cache import CHECK_SAMPLE, SentenceCache
from .snapshot import Snapshot
from .vectors import VectorCache

SHOWN_IDS = 5  # differing ids named in a finding


@dataclass
class Check:
    """One property of the archive, and what was found."""

    name: str
    ok: bool
    detail: str


@dataclass
class IntegrityReport:
    """What ``Archive.check()`` found: the archive's size and one entry per check."""

    path: str
    generation: int
    documents: int
    passages: int
    checks: dict[str, Check] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks.values())

    @property
    def problems(self) -> list[str]:
        """One line per failed check."""
        return [f"{c.name}: {c.detail}" for c in self.checks.values() if not c.ok]

    def to_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok, "checks": [asdict(c) for c in self.checks.values()]}


def _ids(ids: np.ndarray) -> str:
    """ "1 chunk id (123)", "7 chunk ids (1, 2, 3, 4, 5, …)"."""
    shown = ", ".join(map(str, ids[:SHOWN_IDS].tolist())) + (", …" if len(ids) > SHOWN_IDS else "")
    return f"{len(ids)} chunk id{'s' if len(ids) != 1 else ''} ({shown})"


def _ids_detail(found: np.ndarray, wanted: np.ndarray, what: str) -> str:
    missing, extra = np.setdiff1d(wanted, found), np.setdiff1d(found, wanted)
    parts = []
    if len(missing):
        parts.append(f"missing from {what}: {_ids(missing)}")
    if len(extra):
        parts.append(f"in {what} but not in the database: {_ids(extra)}")
    return "; ".join(parts)


def check_archive(path: Path, snapshot: Snapshot, vectors: VectorCache, indexer: Indexer,
                  lexical: LexicalCache, sentences: SentenceCache) -> IntegrityReport:
    """Run every check against one snapshot of the database (see the module's docstring)."""
    path = Path(path)
    meta, documents, chunk_ids = snapshot.meta(), snapshot.documents(), snapshot.chunk_ids()
    generation = snapshot.generation()
    report = IntegrityReport(str(path), generation, sum(d.current for d in documents), len(chunk_ids))

    def add(name: str, ok: bool, good: str, bad: str) -> None:
        report.checks[name] = Check(name, ok, good if ok else bad)

    # Read before the indexes are loaded below, which write their files when they are missing.
    manifest = read_manifest(path)
    stamps = {MANIFEST_NAME: manifest.get("generation"), "vector index file": vectors.saved_generation(),
              "lexical index file": lexical.saved_generation()}
    behind = {name: value for name, value in stamps.items() if value != generation}
    add("generation", not behind,
        f"the database, {MANIFEST_NAME} and the vector and lexical index files are at generation {generation}",
        ", ".join(f"{name} is at generation {value}" for name, value in behind.items())
        + f", the database at {generation}: they catch up when the archive is opened with no write at work")
    same_model = (manifest.get("model"), manifest.get("dimension")) == (meta.get("model"), int(meta.get("dimension", 0)))
    add("model", same_model, f"{meta.get('model')} ({meta.get('dimension')} dimensions) in the database and the manifest",
        f"the manifest says {manifest.get('model')} ({manifest.get('dimension')}), the database "
        f"{meta.get('model')} ({meta.get('dimension')})")

    vector_ids = vectors.for_snapshot(snapshot).ids
    add("vectors", np.array_equal(vector_ids, chunk_ids),
        f"the vector index holds exactly the {len(chunk_ids)} chunk ids of the database",
        _ids_detail(vector_ids, chunk_ids, "the vector index"))
    lexical_ids = snapshot.fts5_ids()
    add("lexical", np.array_equal(lexical_ids, chunk_ids),
        f"the FTS5 table holds exactly the {len(chunk_ids)} chunk ids of the database",
        _ids_detail(lexical_ids, chunk_ids, "the FTS5 table"))
    index = lexical.for_snapshot(snapshot)
    add("postings", np.array_equal(index.ids, chunk_ids),
        f"the pruned lexical index holds exactly the {len(chunk_ids)} chunk ids of the database",
        _ids_detail(index.ids, chunk_ids, "the pruned lexical index"))
    differ = ranking_differences(snapshot, index, lexical.tokenizer(snapshot))
    add("ranking", not differ,
        f"the pruned lexical index ranks {RANKING_PROBES} probe queries exactly as FTS5 does",
        f"the pruned lexical index ranks differently from FTS5 for: {'; '.join(differ[:SHOWN_IDS])}")
    held = sentences.for_snapshot(snapshot, int(meta.get("dimension", 0)))
    inside = int((held.held(chunk_ids) >= 0).sum())
    differ = held.differences(snapshot)
    rest = f"; the other {len(chunk_ids) - inside} are read from the database" if inside < len(chunk_ids) else ""
    add("sentences", not differ,
        f"the sentence-vector file holds {inside} of the {len(chunk_ids)} passages' rows as the database does "
        f"(checksum and {min(CHECK_SAMPLE, len(held.ids))} rows compared){rest}",
        f"{held.name}: {'; '.join(differ[:SHOWN_IDS])}: delete the file and it is written again from the database")
    differ = snapshot.columns().differences(snapshot.facet_columns(generation))
    add("facets", not differ, "the facet columns filters read are the database's",
        f"the facet columns differ from the database's in {', '.join(differ)}: delete the facets-g*.bin "
        "files and they are read again")
    orphans = {name: count for name, count in snapshot.orphans().items() if count}
    add("references", not orphans, "every chunk has its document and every document its chunks",
        ", ".join(f"{count} {name}" for name, count in orphans.items()))
    misplaced = snapshot.version_problems()
    history = sum(not d.current for d in documents)
    add("versions", not misplaced,
        f"every document has one current version; {history} earlier version{'s' if history != 1 else ''} kept as history",
        "; ".join(misplaced[:SHOWN_IDS]))

    missing, altered = [], []
    for doc in documents:
        kept = indexer.source_path(doc.doc_id)
        if kept is None:
            missing.append(doc.doc_id)
        elif hashlib.sha256(kept.read_bytes()).hexdigest() != doc.sha256:
            altered.append(doc.doc_id)
    add("sources", not missing and not altered,
        f"every document's source is kept in {SOURCES_DIR}/ with the bytes that were indexed",
        "; ".join(filter(None, [
            missing and f"no kept source for {', '.join(missing)} (a rebuild would refuse: ingest their files again)",
            altered and f"kept source of {', '.join(altered)} differs from the indexed bytes",
        ])))
    unreferenced = indexer.unreferenced_sources()
    add("unreferenced", not unreferenced, f"no file in {SOURCES_DIR}/ is left over",
        f"{len(unreferenced)} files in {SOURCES_DIR}/ belong to no document: opening the archive removes them")
    return report
