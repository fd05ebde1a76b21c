"""Document versions: an updated factsheet keeps the one it replaces as history, and says what changed."""

from __future__ import annotations

import shutil

import pytest

from conftest import TESTLAND, updated_testland
from lanzasearch import ArchiveError

DOC_ID = "factsheet-testland-r2"


@pytest.fixture(scope="module")
def updated(multi_index, tmp_path_factory, embedder):
    """The multi-country archive after the updated Testland factsheet was ingested under the same file name."""
    with updated_testland(multi_index, tmp_path_factory.mktemp("versions"), embedder) as archive:
        yield archive


def test_an_update_keeps_the_previous_version_as_history(updated):
    current, first = updated.versions(DOC_ID)
    assert (current.doc_id, current.version, current.replaced_at, current.updated) == (DOC_ID, 2, None, "March 2026")
    assert (first.doc_id, first.version, first.updated) == (f"{DOC_ID}@v1", 1, "January 2025")
    assert first.replaced_at and not first.current
    assert [d.doc_id for d in updated.documents() if d.country == "Testland"] == [DOC_ID]
    assert {d.doc_id for d in updated.documents(include_history=True)} >= {DOC_ID, f"{DOC_ID}@v1"}
    report = updated.check()
    assert report.ok, report.problems
    assert "1 earlier version kept as history" in report.checks["versions"].detail


def test_changes_lists_exactly_the_boxes_that_differ(updated):
    found = updated.changes(DOC_ID)
    assert (found.old.version, found.new.version) == (1, 2)
    summary = [(c.status, c.kind, c.section, c.rec_ids) for c in found.changes]
    assert summary == [
        ("changed", "follow_up", "II", ["II-6"]),
        ("added", "follow_up", "X", ["X-5"]),
        ("removed", "promising_practice", "VIII", []),
    ]
    changed, added, removed = found.changes
    assert "guidance to prosecutors on" in changed.old_text and "prosecutors and judges" in changed.new_text
    assert added.old_text is None and "compulsory for nurses" in added.new_text
    assert removed.new_text is None and "Peer Guides" in removed.old_text
    assert found.counts() == {"added": 1, "changed": 1, "removed": 1}
    # The first version has nothing before it.
    first = updated.changes(DOC_ID, version=1)
    assert first.old is None and first.changes == []


def test_search_reads_the_current_version_unless_history_is_asked_for(updated):
    current = updated.search("Peer Guides programme pupils", k=10, mode="lexical")
    assert all(h.replaced_at is None for h in current)
    assert not any("Peer Guides" in h.text for h in current)
    history = updated.search("Peer Guides programme pupils", k=10, mode="lexical", include_history=True)
    old = [h for h in history if "Peer Guides" in h.text]
    assert old and old[0].doc_id == f"{DOC_ID}@v1" and old[0].version == 1 and old[0].replaced_at
    assert "version 1, replaced" in old[0].full_citation
    for mode in ("dense", "hybrid"):
        assert all(h.replaced_at is None for h in updated.search("Peer Guides programme", k=50, mode=mode))
    # The tracker reads the current version: X-5 is answered now.
    assert updated.profile("Testland").statuses["X-5"] == "follow_up"


def test_ingesting_the_earlier_bytes_again_makes_them_the_newest_version(updated, tmp_path):
    again = tmp_path / TESTLAND.name
    shutil.copyfile(TESTLAND, again)
    try:
        assert [f.status for f in updated.ingest([again]).files] == ["updated"]
        assert [v.version for v in updated.versions(DOC_ID)] == [3, 2, 1]
        assert [c.status for c in updated.changes(DOC_ID).changes] == ["changed", "removed", "added"]
    finally:
        updated.remove(DOC_ID, version=3)
    assert [v.version for v in updated.versions(DOC_ID)] == [2, 1]


def test_removing_one_version_or_all(multi_index, tmp_path, embedder):
    with updated_testland(multi_index, tmp_path, embedder) as archive:
        with pytest.raises(ArchiveError, match="has no version 7 \\(versions: 2, 1\\)"):
            archive.remove(DOC_ID, version=7)
        archive.remove(DOC_ID, version=2)  # the current one: the first version is current again
        [only] = archive.versions(DOC_ID)
        assert (only.doc_id, only.version, only.current) == (DOC_ID, 1, True)
        assert any("Peer Guides" in h.text for h in archive.search("Peer Guides programme", k=3, mode="lexical"))
        assert archive.check().ok
        archive.ingest([tmp_path / "new" / TESTLAND.name])
        archive.remove(DOC_ID)  # every version
        assert not [d for d in archive.documents(include_history=True) if d.series == DOC_ID]
        assert archive.check().ok


def test_a_rebuild_keeps_every_version(multi_index, tmp_path, embedder):
    with updated_testland(multi_index, tmp_path, embedder) as archive:
        before = [(d.doc_id, d.version, d.sha256, d.chunks, d.replaced_at) for d in archive.documents(include_history=True)]
        archive.ingest([], rebuild=True)
        after = [(d.doc_id, d.version, d.sha256, d.chunks, d.replaced_at) for d in archive.documents(include_history=True)]
        assert after == before
        assert [c.status for c in archive.changes(DOC_ID).changes] == ["changed", "added", "removed"]
        assert archive.check().ok
