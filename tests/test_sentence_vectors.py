"""The sentence-vector file answers as the database does, stays in step with it, and recovers.

``Snapshot.sentence_embeddings`` (SQLite) is the reference throughout: the
file must give every chunk the same float16 rows, for ids it holds and ids
added since, after writes, when it is rewritten, and when it is lost,
damaged, newer than the database or made for another dimension.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest

from lanzasearch import Archive
from lanzasearch.filters import normalise_filters
from lanzasearch.model import Block, BlockKind
from lanzasearch.sentence_cache import REWRITE_SHARE, SentenceCache, SentenceVectors, best_of
from lanzasearch.snapshot_vectors import StoredEmbedding

from conftest import recovery_said
from generated_store import GeneratedStore

DIMENSION = 8


def unit(rng: np.random.Generator, rows: int) -> np.ndarray:
    vectors = rng.normal(size=(rows, DIMENSION)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


class Generated(GeneratedStore):
    """Generated passages with 0–5 sentences each, and their sentence cache."""

    seed = 5

    def __init__(self, folder, names: str = "", passages: int = 40, seed: int | None = None):
        self.cache = SentenceCache(folder)
        super().__init__(folder, names, passages, seed)

    def block(self, name: str, ordinal: int) -> Block:
        return Block(kind=BlockKind.OBSERVATION, text=f"{name} passage {ordinal}", section="II")

    def embedding(self) -> StoredEmbedding:
        return StoredEmbedding(unit(self.rng, 1)[0], unit(self.rng, int(self.rng.integers(0, 6))))

    def vectors(self, cache: SentenceCache | None = None) -> SentenceVectors:
        with self.store.snapshot() as snapshot:
            return (cache or self.cache).for_snapshot(snapshot, DIMENSION)

    def check(self, cache: SentenceCache | None = None) -> SentenceVectors:
        """Every chunk id, a random sample, and ids that do not exist: the file's answer is SQLite's."""
        with self.store.snapshot() as snapshot:
            vectors = (cache or self.cache).for_snapshot(snapshot, DIMENSION)
            ids = snapshot.chunk_ids()
            for asked in (ids, self.rng.permutation(ids)[: len(ids) // 3], np.array([ids[-1] + 1, 0, ids[0]])):
                assert by_id(*vectors.gather(snapshot, asked)) == by_id(*snapshot.sentence_embeddings(asked, DIMENSION))
                query = unit(self.rng, 1)[0]
                best = vectors.best(snapshot, query, asked)
                assert best == pytest.approx(best_of(query, *snapshot.sentence_embeddings(asked, DIMENSION)), abs=1e-6)
            assert vectors.differences(snapshot) == []
        return vectors


def by_id(found: list[int], counts: np.ndarray, matrix: np.ndarray) -> dict[int, bytes]:
    """Each chunk's rows as bytes, whatever the order the chunks came in."""
    assert len(found) == len(counts) and counts.sum() == len(matrix)
    starts = np.cumsum(counts) - counts
    return {i: matrix[s : s + n].tobytes() for i, s, n in zip(found, starts, counts)}


def test_the_compiled_best_sentence_reads_every_float16_as_numpy_widens_it():
    """Zeros, subnormals, the largest values, both signs and random finite float16s: the scores are those
    of the rows widened by numpy (added up in float64, as the compiled loop adds them)."""
    rng = np.random.default_rng(3)
    special = np.array([0.0, -0.0, 6e-8, -6e-8, 3e-5, 6.1e-5, 65504.0, -65504.0, 1.0, -1.0], dtype=np.float16)
    rows = rng.normal(size=(60, DIMENSION)).astype(np.float16)
    rows[:10] = rng.choice(special, size=(10, DIMENSION))
    every = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    every = every[np.isfinite(every)]
    rows[10:] = rng.choice(every, size=(50, DIMENSION))
    counts = np.array([0, 3, 1, 10, 0, 20, 26])
    ids = np.arange(1, len(counts) + 1) * 7
    vectors = SentenceVectors(DIMENSION, ids, np.concatenate([[0], np.cumsum(counts)]), rows)
    query = unit(rng, 1)[0]
    asked = [ids[3], 999, ids[0], ids[6], ids[1], ids[5], ids[2], ids[4]]
    best, missing = vectors.best_held(query, asked)
    assert missing.tolist() == [999]
    expected = best_of(query.astype(np.float64), [int(i) for i in ids], counts, rows.astype(np.float64))
    assert best.keys() == expected.keys() == {int(i) for i, n in zip(ids, counts) if n}
    assert best == pytest.approx(expected, rel=1e-9, abs=1e-9)


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.glob("sentences-*.bin"))


def test_the_file_gives_every_chunk_the_rows_sqlite_holds(tmp_path):
    archive = Generated(tmp_path, "ABCD", 60)
    vectors = archive.check()
    assert len(vectors.ids) == 240 and files(tmp_path) == [f"sentences-g{archive.store.generation()}.bin"]


def test_a_few_new_passages_are_read_from_the_database_until_their_share_calls_for_a_new_file(tmp_path):
    archive = Generated(tmp_path, "ABCDEFGHIJ", 50)
    archive.put("S", 20)
    first = archive.vectors()
    archive.put("K", int(520 * REWRITE_SHARE) - 12)  # 40 of 540: read from the database
    archive.remove("S")  # 20 deleted passages stay in the file, never asked for by a newer snapshot
    same = archive.check()
    assert same.ids is first.ids and len(files(tmp_path)) == 1
    archive.put("L", 30)  # now over the share: a new file with every passage
    rewritten = archive.check()
    with archive.store.snapshot() as snapshot:
        assert np.array_equal(rewritten.ids, snapshot.chunk_ids())
    assert files(tmp_path) == [f"sentences-g{archive.store.generation()}.bin"]  # the older file is removed


def test_a_new_process_reads_the_file_instead_of_writing_one(tmp_path, caplog):
    archive = Generated(tmp_path, "ABC")
    archive.vectors()
    archive.put("D", 5)
    with caplog.at_level(logging.INFO, logger="lanzasearch"):
        fresh = archive.check(SentenceCache(tmp_path))
    assert len(fresh.ids) == 120 and not any("writing" in r.message for r in caplog.records)


@pytest.mark.parametrize("damage", ["cut", "header"])
def test_a_damaged_file_is_written_again_from_the_database_and_said(tmp_path, caplog, damage):
    archive = Generated(tmp_path, "ABC")
    archive.vectors()
    path = tmp_path / files(tmp_path)[0]
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2] if damage == "cut" else b"\xff" * 64 + raw[64:])
    with caplog.at_level(logging.WARNING, logger="lanzasearch"):
        archive.check(SentenceCache(tmp_path))
    assert recovery_said(caplog, path.name)


def test_changed_rows_fail_the_checksum_that_check_compares(tmp_path):
    archive = Generated(tmp_path, "AB")
    archive.vectors()
    path = tmp_path / files(tmp_path)[0]
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0xFF  # one byte of the rows, which opening does not read
    path.write_bytes(bytes(raw))
    with archive.store.snapshot() as snapshot:
        vectors = SentenceCache(tmp_path).for_snapshot(snapshot, DIMENSION)
        assert vectors.differences(snapshot) == ["its rows do not match the checksum they were written with"]


def test_a_file_newer_than_the_database_or_of_another_dimension_is_not_used(tmp_path):
    archive = Generated(tmp_path)
    archive.put("A", 30)
    archive.vectors()
    generation = archive.store.generation()
    newer = tmp_path / f"sentences-g{generation + 5}.bin"
    (tmp_path / files(tmp_path)[0]).rename(newer)  # as if the database had been restored from an older backup
    with archive.store.snapshot() as snapshot:
        cache = SentenceCache(tmp_path)
        assert len(cache._load_latest(generation, DIMENSION).ids) == 0
        newer.rename(tmp_path / f"sentences-g{generation}.bin")
        assert len(cache._load_latest(generation, DIMENSION).ids) == 30
        assert len(cache._load_latest(generation, DIMENSION * 2).ids) == 0


def test_a_read_only_folder_still_answers_from_the_database(tmp_path, monkeypatch):
    archive = Generated(tmp_path)
    archive.put("A", 30)

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr("lanzasearch.sentence_cache.write_arrays", refuse)
    vectors = archive.check()
    assert len(vectors.ids) == 0 and not files(tmp_path)


def test_search_scores_are_the_same_from_the_file_and_from_sqlite(multi_index, embedder, copy_index):
    """The sentence view's scores, for the real model and factsheets, do not depend on where the rows come from."""
    index = copy_index(multi_index)
    with Archive.open(index, embedder=embedder) as archive:
        with archive.store.snapshot() as snapshot:
            retriever = archive._retriever(snapshot)
            assert retriever.sentences is not None and len(retriever.sentences.ids) == len(snapshot.chunk_ids())
            filters = normalise_filters(snapshot)
            for query in ("helpline for children", "training of judges", "online grooming", "III-3"):
                vector = embedder.encode_query(query)
                ids = [i for i, _ in retriever.rank(query, vector, filters, "hybrid")]
                from_file = retriever.best_sentences(vector, ids)
                retriever.sentences = None
                # The same rows; the product runs over them in another order, so floats may differ in the last bit.
                assert retriever.best_sentences(vector, ids) == pytest.approx(from_file, abs=1e-6)
                retriever.sentences = archive.sentences.for_snapshot(snapshot, archive.dimension)
