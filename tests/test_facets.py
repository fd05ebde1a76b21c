"""Filters answered from the facet columns in memory (facets.py) give exactly the ids the SQL join gives.

Every combination below is asked both ways of one real archive with several
Parties, the Convention and an earlier version kept as history; then after a
write (the columns are read again for the new generation) and inside a write
transaction (where the columns are never used: the write may roll back).
"""

from __future__ import annotations

import dataclasses
import itertools
import logging

import numpy as np
import pytest

from conftest import recovery_said, updated_testland
from lanzasearch import Archive
from lanzasearch.facets import FILE_PATTERN, FacetColumns
from lanzasearch.filters import Filters
from lanzasearch.indexing import DB_NAME
from lanzasearch.snapshot import Snapshot
from lanzasearch.store import Store


@pytest.fixture(scope="module")
def archive(multi_index, tmp_path_factory, embedder):
    """corpus/, Testland and Exampleland, with Testland updated so that its first version is history."""
    with updated_testland(multi_index, tmp_path_factory.mktemp("facets"), embedder) as opened:
        yield opened


def by_sql(archive: Archive, filters: Filters) -> np.ndarray:
    """The same filters through the SQL join: a snapshot without facet columns."""
    with archive.store.snapshot() as snapshot:
        return Snapshot(snapshot._conn, "sql").filtered_ids(filters)


def by_facets(archive: Archive, filters: Filters) -> np.ndarray:
    with archive.store.snapshot() as snapshot:
        assert snapshot._facets is archive.store.facets
        return snapshot.filtered_ids(filters)


def filter_grid(archive: Archive) -> list[Filters]:
    """Each facet alone and in pairs, with and without history, and values the archive lacks."""
    with archive.store.snapshot() as snapshot:
        countries = snapshot.values("country")
        sections = snapshot.values("section")
    docs = [d.doc_id for d in archive.documents(include_history=True)]
    values = {
        "countries": [[countries[0]], countries[:2], ["Nowhere"]],
        "sections": [[sections[0]], sections[1:4], ["XIV"]],
        "kinds": [["recommendation"], ["follow_up", "promising_practice"], ["article"]],
        "strengths": [["require"], ["invite", "request"]],
        "doc_ids": [[docs[0]], [d for d in docs if "@v" in d], ["no-such-document"]],
        "rec_ids": [["II-6"], ["III-3", "X-5"], ["XX-99"]],
        "article_numbers": [["23"], ["25", "36"]],
        "cited_articles": [["23"], ["18", "36"], ["999"]],
    }
    grid = [Filters(), Filters(history=True)]
    for name, options in values.items():
        grid += [Filters(**{name: v}, history=h) for v in options for h in (False, True)]
    for (a, first), (b, second) in itertools.combinations(values.items(), 2):
        grid.append(Filters(**{a: first[0], b: second[-2 if len(second) > 2 else -1]}))
    return grid


def test_every_filter_gives_the_ids_the_sql_join_gives(archive):
    grid = filter_grid(archive)
    nonempty = 0
    for filters in grid:
        expected = by_sql(archive, filters)
        found = by_facets(archive, filters)
        assert found.tolist() == expected.tolist(), filters
        assert found.dtype == np.int64 and not found.flags.writeable
        nonempty += bool(len(found))
    assert nonempty > len(grid) // 2  # the grid is not a pile of empty answers
    history = by_facets(archive, Filters(history=True))
    current = by_facets(archive, Filters())
    assert len(history) > len(current)  # the earlier version is there, and left out by default


def test_recent_filters_are_answered_from_the_cache_the_same_and_the_cache_keeps_within_its_bytes(archive, monkeypatch):
    """The allowed ids of a filter asked again are the ones worked out the first time (the same read-only
    array); once the cache holds more bytes than it may, the oldest filters are worked out afresh."""
    grid = filter_grid(archive)
    with archive.store.snapshot() as snapshot:
        columns = snapshot.columns()
        columns._allowed.clear()
        first = [columns.allowed(f) for f in grid]
        again = [columns.allowed(dataclasses.replace(f, rec_ids=["II-6"])) for f in grid]  # rec ids are not its part
        assert all(a is b for a, b in zip(first, again))
        assert all(not a.flags.writeable for a in first)
        assert [a.tolist() for a in first] == [columns._work_out_allowed(f).tolist() for f in grid]
        limit = max(a.nbytes for a in first if a is not columns.ids)
        monkeypatch.setattr("lanzasearch.facets.ALLOWED_CACHE_BYTES", limit)
        columns._allowed.clear()
        answers = [columns.allowed(f) for f in grid]
        held = [a for a in columns._allowed.values() if a is not columns.ids]
        assert sum(a.nbytes for a in held) <= limit and len(held) < len(answers)
        assert [a.tolist() for a in answers] == [a.tolist() for a in first]


def test_the_columns_follow_a_write_and_stay_out_of_write_transactions(archive, tmp_path):
    kinds = Filters(kinds=["follow_up"], countries=["Testland"])
    before = by_facets(archive, kinds)
    generation = archive.store.facets._columns.generation
    archive.remove("factsheet-testland-r2")
    assert len(before) and by_facets(archive, kinds).tolist() == [] == by_sql(archive, kinds).tolist()
    assert archive.store.facets._columns.generation > generation
    with archive.store.write() as conn:  # a write in progress reads its own rows, never the columns
        snapshot = Snapshot(conn, "write")
        assert snapshot.filtered_ids(Filters()).tolist() == by_sql(archive, Filters()).tolist()
        with archive.store.snapshot() as nested:
            assert nested._facets is None


def test_a_new_process_maps_the_generations_file_instead_of_reading_the_database(archive, monkeypatch):
    by_facets(archive, Filters())  # the columns of this generation are in use
    path = archive.path / FILE_PATTERN.format(generation=archive.generation)
    assert [p.name for p in archive.path.glob("facets-g*.bin")] == [path.name]  # older generations' are gone
    grid = filter_grid(archive)
    expected = [by_sql(archive, filters).tolist() for filters in grid]

    def refuse(*args):
        raise AssertionError("the facet columns were read from the database")

    monkeypatch.setattr(Snapshot, "facet_columns", refuse)
    other = Store(archive.path / DB_NAME)  # another process: its own connection and cache
    try:
        with other.snapshot() as snapshot:
            assert [snapshot.filtered_ids(filters).tolist() for filters in grid] == expected
    finally:
        other.close()


def test_a_damaged_facets_file_is_read_again_from_the_database_and_said(archive, caplog):
    path = archive.path / FILE_PATTERN.format(generation=archive.generation)
    by_facets(archive, Filters())
    path.write_bytes(path.read_bytes()[:200])
    other = Store(archive.path / DB_NAME)
    try:
        with caplog.at_level(logging.WARNING, logger="lanzasearch"), other.snapshot() as snapshot:
            found = snapshot.filtered_ids(Filters(kinds=["recommendation"]))
    finally:
        other.close()
    assert found.tolist() == by_sql(archive, Filters(kinds=["recommendation"])).tolist()
    assert recovery_said(caplog, path.name)
    with archive.store.snapshot() as snapshot:  # written again, whole
        assert FacetColumns.load(path).differences(snapshot.facet_columns(archive.generation)) == []


def test_check_reports_a_facets_file_that_is_not_the_databases(archive):
    by_facets(archive, Filters())
    path = archive.path / FILE_PATTERN.format(generation=archive.generation)
    columns = FacetColumns.load(path)
    wrong = dataclasses.replace(columns, codes={**columns.codes, "kind": np.zeros_like(columns.codes["kind"])})
    wrong.save(path)
    archive.store.facets._columns = None  # as a process that starts now
    report = archive.check()
    assert not report.checks["facets"].ok and "kind codes" in report.checks["facets"].detail
    path.unlink()
    archive.store.facets._columns = None
    assert archive.check().checks["facets"].ok
