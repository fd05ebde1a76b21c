"""Concurrent use: researchers keep searching while staff change the archive in another process.

The short version of ``make load`` (benchmarks/load.py, same code): API
threads and gradio_client clients of the running app search for a few seconds
while a writer process ingests a changed Testland factsheet, removes the
Exampleland factsheet and adds it again, in a loop. Every result is checked
against the chunk ids of every committed document version. Nothing here is
timed: latency under load is `make load`'s table. Whether readers wait for a
writer is tested by forcing the order of events with thread events: a search
answers while an ingest's write transaction is held open.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import threading

import pytest

from conftest import ROOT
from lanzasearch import Archive

pytestmark = pytest.mark.slow

DURATION = 12  # seconds of load; `make load` runs 60


def load_module():
    spec = importlib.util.spec_from_file_location("lanzasearch_load", ROOT / "benchmarks" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def load_run(multi_index, embedder, tmp_path_factory):
    load = load_module()
    root = tmp_path_factory.mktemp("load")
    index = root / "index"
    shutil.copytree(multi_index, index)
    result = load.run_load(index, DURATION, api_threads=2, http_clients=2, embedder=embedder, work=root / "work")
    print("\n" + result.table())
    return result


def test_concurrent_use_zero_failed_requests(load_run):
    assert load_run.of("api") and load_run.of("http")
    assert not load_run.errors
    assert load_run.writer_returncode == 0 and load_run.app_returncode is None


def test_concurrent_use_no_result_mixes_two_versions_of_a_document(load_run):
    assert len(load_run.ingests) >= 2, "the writer committed too little to test anything"
    assert not load_run.mixed


WAIT = 600  # seconds: a bound on waiting for the other thread, so a hang fails instead of blocking the suite


@pytest.fixture
def paused_ingest(multi_index, embedder, tmp_path, monkeypatch):
    """An ingest of a changed Testland factsheet, stopped inside its write transaction until released.

    The ingest runs in a thread and stops at its first chunk row (the "write"
    crash point, after the old version's rows are deleted in the same
    transaction); ``inside`` is set once it waits there, ``release`` lets it
    commit. No clock is read: the order of events is forced.
    """
    import lanzasearch.store as store_module

    index = tmp_path / "index"
    shutil.copytree(multi_index, index)
    changed = tmp_path / "docs" / "factsheet-testland.md"
    changed.parent.mkdir()
    changed.write_text(load_module().testland_round(1), encoding="utf-8")
    inside, release = threading.Event(), threading.Event()
    real_checkpoint = store_module.checkpoint

    def pause_at_the_first_row(point: str) -> None:
        if point == "write" and not inside.is_set():
            inside.set()
            release.wait(WAIT)
        real_checkpoint(point)

    monkeypatch.setattr(store_module, "checkpoint", pause_at_the_first_row)
    writer = Archive.open(index, embedder=embedder)
    reports: list = []
    thread = threading.Thread(target=lambda: reports.append(writer.ingest([changed])))
    yield index, inside, release, thread, reports
    release.set()
    thread.join(WAIT)
    writer.close()


def test_concurrent_use_readers_are_not_blocked_for_the_length_of_an_ingest(paused_ingest, embedder):
    """While an ingest holds its write transaction open, searches answer, and see the old version whole."""
    index, inside, release, thread, reports = paused_ingest
    reader = Archive.open(index, embedder=embedder)
    with reader.store.snapshot() as snapshot:
        old_ids = set(snapshot.chunk_ids("factsheet-testland-r2").tolist())
    thread.start()
    assert inside.wait(WAIT), "the ingest never reached its write transaction"
    # The ingest is stopped inside its transaction until these searches have answered.
    answers = [reader.search(query, k=10, mode=mode) for query in ("guidance to prosecutors on the amended section",
               "LOAD ROUND report to the Committee", "Peer Guides programme") for mode in ("hybrid", "lexical")]
    documents = {d.doc_id: d.sha256 for d in reader.documents()}
    assert thread.is_alive() and not reports, "the ingest finished before the searches: nothing was tested"
    release.set()
    thread.join(WAIT)
    testland = [h.chunk_id for hits in answers for h in hits if h.doc_id == "factsheet-testland-r2"]
    assert all(answers) and testland and set(testland) <= old_ids  # the old version, whole
    assert not any("LOAD ROUND" in h.text for hits in answers for h in hits)
    assert len(documents) == 4
    assert [f.status for f in reports[0].files] == ["updated"]
    assert "LOAD ROUND 1" in reader.search("LOAD ROUND 1 new helpline staff", k=1, mode="lexical")[0].text
    reader.close()


def test_a_search_answers_while_a_write_transaction_is_open(multi_index, embedder, tmp_path):
    """WAL: the writer's transaction does not stop readers, in this process or another.

    The transaction is held open by another thread until the search has
    answered; a reader that had to wait for it would never answer.
    """
    index = tmp_path / "index"
    shutil.copytree(multi_index, index)
    reader = Archive.open(index, embedder=embedder)
    writer = Archive.open(index, embedder=embedder)
    reader.search("Barnahus", k=1)  # warm: vectors loaded
    inside, release = threading.Event(), threading.Event()

    def hold_a_write_transaction():
        with writer.store.write():
            inside.set()
            release.wait(WAIT)

    holder = threading.Thread(target=hold_a_write_transaction)
    holder.start()
    try:
        assert inside.wait(WAIT)
        hits = reader.search("Peer Guides programme", k=3)
        documents = reader.documents()
        assert holder.is_alive()  # the transaction was still open when the search answered
    finally:
        release.set()
        holder.join(WAIT)
    assert hits and len(documents) == 4
    reader.close()
    writer.close()
