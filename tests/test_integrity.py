"""Archive.check() and `lanzasearch check`: everything derived from the database is in step with it, or said why not."""

from __future__ import annotations

import json
import sqlite3

import pytest

from lanzasearch import Archive
from lanzasearch.cli import main
from lanzasearch.indexing import DB_NAME, MANIFEST_NAME, SOURCES_DIR

CHECKS = ["generation", "model", "vectors", "lexical", "postings", "ranking", "sentences", "facets", "references", "versions",
          "sources", "unreferenced"]


@pytest.fixture
def index(copy_index, corpus_index):
    return copy_index(corpus_index)


def failed(report) -> dict[str, str]:
    return {c.name: c.detail for c in report.checks.values() if not c.ok}


def test_a_freshly_built_archive_passes_every_check(index, embedder):
    with Archive.open(index, embedder=embedder) as archive:
        report = archive.check()
        documents = archive.documents()
    assert report.ok and not report.problems and list(report.checks) == CHECKS
    assert report.documents == len(documents) == 2 and report.passages == sum(d.chunks for d in documents)
    assert "exactly the" in report.checks["vectors"].detail


def test_a_new_empty_archive_passes_every_check(tmp_path, embedder):
    with Archive.open(tmp_path / "index", create=True, embedder=embedder) as archive:
        report = archive.check()
    assert report.ok and report.documents == report.passages == 0


def test_a_missing_or_altered_kept_source_is_reported(index, embedder):
    with Archive.open(index, embedder=embedder) as archive:
        archive.source_path("convention").unlink()
        norway = archive.source_path("factsheet-norway-r2")
        norway.write_bytes(norway.read_bytes() + b"\n")
        report = archive.check()
    assert not report.ok and set(failed(report)) == {"sources"}
    assert "no kept source for convention" in report.checks["sources"].detail
    assert "factsheet-norway-r2 differs from the indexed bytes" in report.checks["sources"].detail


def test_a_stale_manifest_is_reported_and_brought_up_to_date_on_open(index, embedder):
    manifest = json.loads((index / MANIFEST_NAME).read_text())
    with Archive.open(index, embedder=embedder) as archive:
        (index / MANIFEST_NAME).write_text(json.dumps({**manifest, "generation": manifest["generation"] - 1}))
        report = archive.check()
        assert set(failed(report)) == {"generation"}
        assert f"manifest.json is at generation {manifest['generation'] - 1}" in report.checks["generation"].detail
    with Archive.open(index, embedder=embedder) as archive:  # recovery on open rewrites it
        assert archive.check().ok
    assert json.loads((index / MANIFEST_NAME).read_text())["generation"] == manifest["generation"]


def test_a_lost_fts5_row_and_a_stray_source_file_are_reported(index, embedder):
    with Archive.open(index, embedder=embedder) as archive:
        [some_id] = [h.chunk_id for h in archive.search("Barnahus", k=1)]
        conn = sqlite3.connect(index / DB_NAME)
        with conn:
            conn.execute("DELETE FROM chunks_fts WHERE rowid = ?", (some_id,))
        conn.close()
        (index / SOURCES_DIR / "0123abcd.pdf").write_bytes(b"%PDF-1.7 left behind")
        report = archive.check()
    # The pruned index follows the chunk ids, so it may also rank the lost row where FTS5 no longer does.
    assert {"lexical", "unreferenced"} <= set(failed(report)) <= {"lexical", "ranking", "unreferenced"}
    assert report.checks["lexical"].detail == f"missing from the FTS5 table: 1 chunk id ({some_id})"


def test_sentence_vectors_the_database_does_not_hold_are_reported(index, embedder):
    with Archive.open(index, embedder=embedder) as archive:
        archive.check()  # the sentence-vector file is in use
        with archive.store.snapshot() as snapshot:
            first = int(snapshot.chunk_ids()[0])  # the sample always starts at the first id
        conn = sqlite3.connect(index / DB_NAME)
        with conn:
            conn.execute("UPDATE chunks SET sentence_embeddings = zeroblob(length(sentence_embeddings)) "
                         "WHERE chunk_id = ?", (first,))
        conn.close()
        report = archive.check()
    name = next(index.glob("sentences-g*.bin")).name
    assert set(failed(report)) == {"sentences"}
    assert report.checks["sentences"].detail == (f"{name}: chunk {first} has other sentence vectors than the database: "
                                                 "delete the file and it is written again from the database")


def test_the_cli_prints_one_line_per_check_and_exits_non_zero_when_one_fails(index, capsys):
    assert main(["check", "--index", str(index)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{index}: generation ") and "2 documents" in out[0]
    assert [line.split()[:2] for line in out[1:]] == [["ok", name] for name in CHECKS]
    assert main(["check", "--json", "--index", str(index)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and [c["name"] for c in data["checks"]] == CHECKS

    next((index / SOURCES_DIR).glob("*.md")).unlink()
    assert main(["check", "--index", str(index)]) == 1
    failures = [line for line in capsys.readouterr().out.splitlines() if line.startswith("FAILED")]
    assert len(failures) == 1 and failures[0].split()[1] == "sources" and "convention" in failures[0]
