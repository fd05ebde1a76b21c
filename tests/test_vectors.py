"""The FAISS cache: index kind by size, approximate recall, updates by difference, tombstones, files."""

from __future__ import annotations

import numpy as np
import pytest

from lanzasearch import vectors
from lanzasearch.model import Block, BlockKind, Chunk, Document
from lanzasearch.snapshot_vectors import StoredEmbedding
from lanzasearch.store import Store
from lanzasearch.vector_cache import FILE_PATTERN, FaissCache
from lanzasearch.vectors import FaissIndex, choose_kind

DIM = 32


def unit(rng: np.random.Generator, n: int, dim: int = DIM) -> np.ndarray:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def exact_top(matrix: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return ids[np.argsort(-(matrix @ query), kind="stable")[:k]].tolist()


@pytest.fixture(autouse=True)
def no_override(monkeypatch):
    monkeypatch.delenv("LANZASEARCH_FAISS_INDEX", raising=False)


# -- which index ---------------------------------------------------------------------------


def test_small_archives_are_searched_exactly_and_large_ones_with_ivf():
    assert choose_kind(0) == "flat"
    assert choose_kind(vectors.APPROXIMATE_THRESHOLD - 1) == "flat"
    assert choose_kind(vectors.APPROXIMATE_THRESHOLD) == "ivf"


def test_an_approximate_archive_shrinking_a_little_below_the_threshold_stays_approximate():
    assert choose_kind(vectors.APPROXIMATE_THRESHOLD - 1, current="ivf") == "ivf"
    assert choose_kind(vectors.FLAT_BELOW - 1, current="ivf") == "flat"


def test_an_hnsw_index_nobody_asks_for_any_more_becomes_ivf():
    assert choose_kind(vectors.APPROXIMATE_THRESHOLD - 1, current="hnsw") == "ivf"


def test_the_environment_overrides_the_choice(monkeypatch):
    monkeypatch.setenv("LANZASEARCH_FAISS_INDEX", "hnsw")
    assert choose_kind(10) == "hnsw"
    monkeypatch.setenv("LANZASEARCH_FAISS_INDEX", "flat")
    assert choose_kind(10 * vectors.APPROXIMATE_THRESHOLD, current="ivf") == "flat"
    monkeypatch.setenv("LANZASEARCH_FAISS_INDEX", "annoy")
    with pytest.raises(ValueError, match="LANZASEARCH_FAISS_INDEX='annoy'"):
        choose_kind(10)


@pytest.mark.parametrize("kind", vectors.KINDS)
def test_parameters_say_what_was_built(kind):
    rng = np.random.default_rng(0)
    index = FaissIndex.build(np.arange(2000), unit(rng, 2000), DIM, kind=kind)
    params = index.parameters
    assert params["kind"] == kind and params["threshold"] == vectors.APPROXIMATE_THRESHOLD
    if kind == "ivf":
        assert params["lists"] == vectors.ivf_lists(2000) and params["probes"] == vectors.ivf_probes(params["lists"])
    if kind == "hnsw":
        assert params["M"] == vectors.HNSW_M and params["ef_search"] == vectors.HNSW_EF_SEARCH


# -- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_approximate_search_finds_what_exact_search_finds(kind):
    rng = np.random.default_rng(1)
    centres = unit(rng, 40)  # clustered, like passages on a few dozen topics
    matrix = centres[rng.integers(0, 40, 4000)] + 0.5 * unit(rng, 4000)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    ids = np.arange(10, 4010, dtype=np.int64)
    approximate = FaissIndex.build(ids, matrix, DIM, kind=kind)
    flat = FaissIndex.build(ids, matrix, DIM, kind="flat")
    assert approximate.kind == kind and flat.kind == "flat"
    queries = matrix[rng.integers(0, 4000, 100)] + 0.3 * unit(rng, 100)  # near the passages, as questions are
    found = total = 0
    for query in queries / np.linalg.norm(queries, axis=1, keepdims=True):
        truth = exact_top(matrix, ids, query, 10)
        assert [i for i, _ in flat.search(query, 10)] == truth
        found += len(set(truth) & {i for i, _ in approximate.search(query, 10)})
        total += 10
    assert found / total >= 0.98


@pytest.mark.parametrize("kind", vectors.KINDS)
def test_a_filter_restricts_results_before_the_cut(kind, monkeypatch):
    monkeypatch.setattr(vectors, "EXACT_FILTER_LIMIT", 1000)  # so both ways of filtering run
    rng = np.random.default_rng(2)
    matrix = unit(rng, 3000)
    ids = np.arange(1, 3001, dtype=np.int64)
    index = FaissIndex.build(ids, matrix, DIM, kind=kind)
    query = unit(rng, 1)[0]
    for allowed in (ids[::7], ids[ids % 3 != 0]):  # below and above the exact-filter limit
        hits = index.search(query, 10, allowed=allowed)
        assert len(hits) == 10 and {i for i, _ in hits} <= set(allowed.tolist())
        scores = [s for _, s in hits]
        assert scores == sorted(scores, reverse=True)
    small = ids[::7]
    assert [i for i, _ in index.search(query, 10, allowed=small)] == exact_top(matrix[::7], small, query, 10)
    assert index.search(query, 10, allowed=np.zeros(0, dtype=np.int64)) == []


def test_a_filtered_ivf_search_probes_the_lists_that_hold_allowed_ids(monkeypatch):
    """A kind lives in a few topics' lists, far from most questions: probing the nearest lists
    would visit few of its passages; probing the nearest lists that hold any finds them."""
    monkeypatch.setattr(vectors, "EXACT_FILTER_LIMIT", 100)
    monkeypatch.setattr(vectors, "IVF_PROBE_SHARE", 1 / 64)  # 5 lists of 309, as 1M passages probe 128 of 4,000
    rng = np.random.default_rng(4)
    centres = unit(rng, 40)
    topic = rng.integers(0, 40, 6000)
    matrix = centres[topic] + 0.5 * unit(rng, 6000)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    ids = np.arange(1, 6001, dtype=np.int64)
    index = FaissIndex.build(ids[:5000], matrix[:5000], DIM, kind="ivf")
    index.update(ids[5000:], matrix[5000:], np.zeros(0, np.int64))  # added after the build: other positions
    allowed = ids[(topic < 2) & (ids % 2 == 0)]  # 2 topics of 40, half their passages
    allowed = np.concatenate([allowed, [99_999]])  # an id the index does not hold is ignored
    rows = allowed[:-1] - 1
    found = total = 0
    for query in unit(rng, 50):
        hits = index.search(query, 10, allowed=allowed)
        assert {i for i, _ in hits} <= set(allowed[:-1].tolist()) and len(hits) == 10
        found += len(set(exact_top(matrix[rows], allowed[:-1], query, 10)) & {i for i, _ in hits})
        total += 10
    assert found / total >= 0.95  # probes widened 8× around the question found none of them at all


def test_vectors_for_returns_the_stored_vectors_in_the_order_asked():
    rng = np.random.default_rng(3)
    matrix = unit(rng, 50)
    index = FaissIndex.build(np.arange(100, 150), matrix, DIM)
    assert np.allclose(index.vectors_for([149, 100, 120]), matrix[[49, 0, 20]])
    assert index.vectors_for([]).shape == (0, DIM)
    # A search on a snapshot older than a rebuild may ask for a vector the index dropped.
    assert np.allclose(index.vectors_for([100, 7]), np.vstack([matrix[0], np.zeros(DIM)]))


@pytest.mark.parametrize("kind", vectors.KINDS)
def test_deleted_vectors_are_tombstones_never_returned(kind):
    rng = np.random.default_rng(4)
    matrix = unit(rng, 500)
    ids = np.arange(1, 501, dtype=np.int64)
    index = FaissIndex.build(ids, matrix, DIM, kind=kind)
    gone = ids[:50]
    new = unit(rng, 5)
    index.update(np.arange(501, 506), new, gone)
    assert len(index) == 455
    assert index.ids.tolist() == list(range(51, 506))
    for row in range(50):
        assert not {i for i, _ in index.search(matrix[row], 10)} & set(gone.tolist())
    assert index.search(new[2], 1)[0][0] == 503
    assert np.allclose(index.vectors_for([1]), matrix[:1])  # an older snapshot may still ask for it


@pytest.mark.parametrize("kind", vectors.KINDS)
def test_save_and_load_round_trip(tmp_path, kind):
    rng = np.random.default_rng(5)
    matrix = unit(rng, 300)
    ids = np.arange(7, 307, dtype=np.int64)
    index = FaissIndex.build(ids, matrix, DIM, kind=kind)
    path = tmp_path / "vectors-g3.faiss"
    index.save(path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary left behind
    loaded = FaissIndex.load(path)
    assert loaded.kind == kind and loaded.ids.tolist() == ids.tolist()
    query = unit(rng, 1)[0]
    assert loaded.search(query, 5) == index.search(query, 5)


# -- the cache over a real store ---------------------------------------------------------------


class Archive:
    """A Store filled with generated documents, and the cache of its vectors."""

    def __init__(self, folder, seed: int = 6):
        self.folder = folder
        self.store = Store(folder / "archive.sqlite3")
        self.cache = FaissCache(folder, lambda: DIM)
        self.rng = np.random.default_rng(seed)

    def put(self, name: str, passages: int) -> None:
        doc = Document(doc_type="factsheet", title=name, source=f"{name}.md", sha256=name, country=name)
        chunks, hashes, embeddings = [], [], []
        for ordinal in range(passages):
            text = f"{name} passage {ordinal}."
            block = Block(kind=BlockKind.OBSERVATION, text=text, section="II")
            chunks.append(Chunk(doc.doc_id, ordinal, block, text, name, [text]))
            hashes.append(f"{name}-{ordinal}-{self.rng.integers(1 << 30)}")
            embeddings.append(StoredEmbedding(unit(self.rng, 1)[0], unit(self.rng, 1)))
        self.store.add_version(doc, chunks, hashes, embeddings)

    def remove(self, name: str) -> None:
        self.store.remove_document(f"factsheet-{name.lower()}")

    def index(self, cache: FaissCache | None = None) -> FaissIndex:
        with self.store.snapshot() as snapshot:
            index = (cache or self.cache).for_snapshot(snapshot)
            assert index.ids.tolist() == snapshot.chunk_ids().tolist()
            return index


@pytest.mark.parametrize("kind", vectors.KINDS)
def test_writes_are_applied_as_differences_not_rebuilds(tmp_path, monkeypatch, kind):
    monkeypatch.setenv("LANZASEARCH_FAISS_INDEX", kind)
    archive = Archive(tmp_path)
    for name in ("A", "B", "C", "D", "E", "F"):
        archive.put(name, 40)
    first = archive.index()
    archive.put("G", 30)
    archive.remove("A")  # 40 of 270 stored: below the tombstone share
    assert archive.index() is first
    assert len(first) == 230 and first.dead_share == pytest.approx(40 / 270)
    archive.put("A", 40)  # a new version: new chunk ids, the old ones stay tombstones
    assert archive.index() is first and len(first) == 270


def test_too_many_tombstones_rebuild_the_index(tmp_path, monkeypatch):
    monkeypatch.setenv("LANZASEARCH_FAISS_INDEX", "hnsw")
    archive = Archive(tmp_path)
    for name in ("A", "B", "C"):
        archive.put(name, 30)
    first = archive.index()
    archive.remove("A")
    rebuilt = archive.index()
    assert rebuilt is not first and rebuilt.dead_share == 0 and len(rebuilt) == 60


def test_crossing_the_threshold_switches_the_kind(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "APPROXIMATE_THRESHOLD", 100)
    monkeypatch.setattr(vectors, "FLAT_BELOW", 50)
    archive = Archive(tmp_path)
    archive.put("A", 60)
    assert archive.index().kind == "flat"
    archive.put("B", 60)
    assert archive.index().kind == "ivf"
    archive.remove("A")
    assert archive.index().kind == "ivf"  # 60 left: above FLAT_BELOW
    archive.remove("B")
    archive.put("C", 20)
    assert archive.index().kind == "flat"


def test_another_process_catches_up_from_an_older_file(tmp_path):
    archive = Archive(tmp_path)
    archive.put("A", 5)
    archive.put("B", 40)
    archive.index()
    old_file = tmp_path / FILE_PATTERN.format(generation=archive.store.generation())
    assert old_file.exists()
    archive.remove("A")
    archive.put("C", 25)  # nobody has opened the vectors since these writes
    fresh = FaissCache(tmp_path, lambda: DIM)
    index = archive.index(fresh)
    assert len(index) == 65 and index.dead_share == pytest.approx(5 / 70)  # caught up, not rebuilt
    current = tmp_path / FILE_PATTERN.format(generation=archive.store.generation())
    assert current.exists() and not old_file.exists()


def test_an_unreadable_file_is_rebuilt_from_the_database(tmp_path):
    archive = Archive(tmp_path)
    archive.put("A", 20)
    archive.index()
    [file] = tmp_path.glob("vectors-g*.faiss")
    file.write_bytes(b"not an index")
    index = archive.index(FaissCache(tmp_path, lambda: DIM))
    assert len(index) == 20
    assert FaissIndex.load(file).ids.tolist() == index.ids.tolist()  # and written again
