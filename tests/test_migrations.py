"""Archives built by an earlier version open in this one: the schema migrates in place, nothing is re-embedded."""

from __future__ import annotations

import sqlite3

from conftest import FIXTURES
from lanzasearch import Archive
from lanzasearch.model import make_doc_id

TESTLAND = FIXTURES / "factsheet-testland.md"


def downgrade_to_schema_2(index) -> None:
    """The archive's database as schema 2 left it: no language, report, overrides or versions per document,
    no mask key or block per passage, no index of the articles."""
    conn = sqlite3.connect(index / "archive.sqlite3")
    with conn:
        conn.execute("DROP INDEX chunks_articles")
        conn.execute("DROP INDEX chunks_mask")
        conn.execute("DROP INDEX documents_series")
        for column in ("mask_key", "block"):
            conn.execute(f"ALTER TABLE chunks DROP COLUMN {column}")
        for column in ("language", "report", "overrides", "series", "version", "replaced_at", "empty_boxes"):
            conn.execute(f"ALTER TABLE documents DROP COLUMN {column}")
        conn.execute("PRAGMA user_version = 2")
    conn.close()


def test_doc_ids_take_accents_off_instead_of_making_hyphens():
    assert make_doc_id("factsheet", "Türkiye", "2") == "factsheet-turkiye-r2"
    assert make_doc_id("factsheet", "TÜRKİYE", "2") == "factsheet-turkiye-r2"
    assert make_doc_id("factsheet", "Côte d'Ivoire", "3") == "factsheet-cote-d-ivoire-r3"
    assert make_doc_id("document", None, None, "Rapport général") == "document-rapport-general"
    assert make_doc_id("convention", None, None, "Lanzarote Convention") == "convention"


def test_a_title_in_another_script_still_gets_an_id_of_its_own():
    first, second = make_doc_id("document", None, None, "Доклад"), make_doc_id("document", None, None, "Отчёт")
    assert first.startswith("document-x") and second.startswith("document-x") and first != second
    assert first == make_doc_id("document", None, None, "Доклад")  # stable across runs


def test_an_archive_with_hyphenated_accents_in_its_ids_is_migrated_when_opened(tmp_path, embedder):
    turkiye = tmp_path / "factsheet-turkiye.md"
    turkiye.write_text(TESTLAND.read_text(encoding="utf-8").replace("FACTSHEET – TESTLAND", "FACTSHEET – TÜRKİYE"),
                       encoding="utf-8")
    index = tmp_path / "index"
    with Archive.open(index, create=True, embedder=embedder) as archive:
        assert archive.ingest([turkiye]).ok
        assert [d.doc_id for d in archive.documents()] == ["factsheet-turkiye-r2"]
        generation = archive.generation
    downgrade_to_schema_2(index)
    conn = sqlite3.connect(index / "archive.sqlite3")
    with conn:  # what the archive looked like when its slug made hyphens of the letters it could not spell
        conn.execute("UPDATE documents SET doc_id = 'factsheet-t-rkiye-r2'")
        conn.execute("UPDATE chunks SET doc_id = 'factsheet-t-rkiye-r2'")
    conn.close()

    with Archive.open(index, embedder=embedder) as archive:
        assert [(d.doc_id, d.country) for d in archive.documents()] == [("factsheet-turkiye-r2", "Türkiye")]
        hit = archive.search("specialised cybercrime unit", k=1)[0]
        assert (hit.doc_id, hit.country) == ("factsheet-turkiye-r2", "Türkiye")
        assert archive.check().ok and archive.generation == generation
        assert archive.source_path("factsheet-turkiye-r2") is not None


def test_documents_stored_before_reports_open_without_one_until_they_are_re_read(tmp_path, embedder):
    index = tmp_path / "index"
    with Archive.open(index, create=True, embedder=embedder) as archive:
        assert archive.ingest([TESTLAND]).ok
    downgrade_to_schema_2(index)
    with Archive.open(index, embedder=embedder) as archive:
        [doc] = archive.documents()
        assert (doc.language, doc.report, doc.overrides) == ("en", None, {})
        assert archive.check().ok
        archive.ingest([], rebuild=True)
        [doc] = archive.documents()
        assert doc.report.sections == 5 and doc.report.recommendations == 6
