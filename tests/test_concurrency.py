"""Concurrent use: researchers keep searching while staff change the archive in another process.

The short version of ``make load`` (benchmarks/load.py, same code): API
threads and gradio_client clients of the running app search for a few seconds
while a writer process ingests a changed Testland factsheet, removes the
Exampleland factsheet and adds it again, in a loop. Every result is checked
against the chunk ids of every committed document version.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import threading
import time

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


def test_concurrent_use_readers_are_not_blocked_for_the_length_of_an_ingest(load_run):
    assert not [f for f in load_run.failures() if f.startswith("no API search completed during")]
    longest = max(s["ended"] - s["started"] for s in load_run.ingests)
    api = sorted(s.seconds for s in load_run.of("api") if not s.error)
    # A search never waits for a whole ingest: its 95th percentile stays below the longest ingest.
    assert api[int(0.95 * (len(api) - 1))] < longest


def test_a_search_answers_while_a_write_transaction_is_open(multi_index, embedder, tmp_path):
    """WAL: the writer's transaction does not stop readers, in this process or another."""
    index = tmp_path / "index"
    shutil.copytree(multi_index, index)
    reader = Archive.open(index, embedder=embedder)
    writer = Archive.open(index, embedder=embedder)
    reader.search("Barnahus", k=1)  # warm: vectors loaded
    inside, release = threading.Event(), threading.Event()

    def hold_a_write_transaction():
        with writer.store.write() as conn:
            conn.execute("DELETE FROM chunks_fts WHERE rowid = -1")
            inside.set()
            release.wait(30)

    holder = threading.Thread(target=hold_a_write_transaction)
    holder.start()
    try:
        assert inside.wait(30)
        started = time.perf_counter()
        hits = reader.search("Peer Guides programme", k=3)
        documents = reader.documents()
        took = time.perf_counter() - started
    finally:
        release.set()
        holder.join()
    assert hits and len(documents) == 4
    assert took < 5, f"a search waited {took:.1f} s for an open write transaction"
    reader.close()
    writer.close()
