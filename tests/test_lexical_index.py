"""The pruned lexical index ranks exactly as FTS5 does, stays in step with the database, and recovers.

FTS5's bm25 over the archive's own table is the reference throughout: the
pruned index must return the same top 10 (same scores, the same ids but for
ties at the cut) for every question of the query sets, with and without
filters, after writes applied by difference, after its delta is folded into
a new base, and when its files are lost, damaged or stale.
"""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from lanzasearch import Archive
from lanzasearch.bm25 import Bm25Index
from lanzasearch.filters import Filters, normalise_filters
from lanzasearch.lexical import Bm25Search, Fts5Index, same_ranking
from lanzasearch.lexical_cache import COMPACT_SHARE, LexicalCache
from lanzasearch.model import Block, BlockKind
from lanzasearch.postings import Segment
from lanzasearch.snapshot_vectors import StoredEmbedding

from conftest import FIXTURES, recovery_said
from generated_store import GeneratedStore

QUERY_FILES = sorted(FIXTURES.glob("*queries*.jsonl")) + sorted(FIXTURES.glob("offtopic-*.jsonl"))
WORDS = ("child abuse helpline police court training judge online image school sport research victim "
         "prosecutor law article recommendation norway testland marmot network survey report data").split()


def questions() -> list[str]:
    found = []
    for path in QUERY_FILES:
        found += [json.loads(line)["query"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return list(dict.fromkeys(found))


def engines(archive: Archive, snapshot) -> tuple[Bm25Search, Fts5Index]:
    index = archive.lexical.for_snapshot(snapshot)
    return Bm25Search(snapshot, index, archive.lexical.tokenizer(snapshot)), Fts5Index(snapshot)


def differences(archive: Archive, queries: list[str], **filters) -> list[str]:
    with archive.store.snapshot() as snapshot:
        pruned, exact = engines(archive, snapshot)
        chosen = normalise_filters(snapshot, **filters)
        return [q for q in queries if not same_ranking(pruned.search(q, 100, chosen), exact.search(q, 100, chosen))]


# -- the same ranking as FTS5 on the real archive ------------------------------------------------


@pytest.mark.parametrize("filters", [{}, {"countries": ["Norway"]}, {"kinds": ["recommendation"]},
                                     {"kinds": ["follow_up"], "countries": ["Testland"]}, {"sections": ["VI"]}],
                         ids=["none", "country", "kind", "kind+country", "section"])
def test_every_question_of_the_query_sets_gets_fts5s_top_ten(multi_index, embedder, filters):
    with Archive.open(multi_index, embedder=embedder) as archive:
        assert len(questions()) > 100
        assert differences(archive, questions(), **filters) == []


def test_scores_are_fts5s_bm25_to_float_rounding(multi_index, embedder):
    with Archive.open(multi_index, embedder=embedder) as archive, archive.store.snapshot() as snapshot:
        pruned, exact = engines(archive, snapshot)
        for query in questions()[:40]:
            ours, theirs = dict(pruned.search(query, 1000, Filters())), dict(exact.search(query, 1000, Filters()))
            assert ours.keys() == theirs.keys()
            assert all(abs(ours[i] - theirs[i]) <= 1e-9 * max(1.0, theirs[i]) for i in ours)


def test_query_syntax_stays_plain_words(multi_index, embedder):
    hostile = ['"helpline', "children NEAR(abuse)", "text: helpline", "-police *", "AND OR NOT", "^court"]
    with Archive.open(multi_index, embedder=embedder) as archive:
        assert differences(archive, hostile) == []


def test_a_word_fts5_reads_as_a_phrase_is_answered_by_fts5(multi_index, embedder):
    # "\w+" keeps "child_abuse" one word; FTS5 tokenizes it into two terms, a phrase.
    with Archive.open(multi_index, embedder=embedder) as archive, archive.store.snapshot() as snapshot:
        pruned, exact = engines(archive, snapshot)
        assert pruned.tokenizer.terms(["child_abuse"]) is None
        assert pruned.search("child_abuse helpline", 10, Filters()) == exact.search("child_abuse helpline", 10, Filters())


# -- MaxScore is exact: generated archives, writes, tombstones, compaction ----------------------


class Generated(GeneratedStore):
    """Generated passages of Zipf-distributed words, their lexical cache, and FTS5 as the reference."""

    seed = 3

    def __init__(self, folder, names: str = "", passages: int = 40, seed: int | None = None):
        self.cache = LexicalCache(folder, (0.5, 1.0, 0.3))
        super().__init__(folder, names, passages, seed)

    def text(self, words: int) -> str:
        # Zipf-like: a few words in most passages, most words in few, as in real text.
        picks = np.minimum(self.rng.zipf(1.3, words) - 1, len(WORDS) - 1)
        return " ".join(WORDS[i] for i in picks)

    def block(self, name: str, ordinal: int) -> Block:
        kind = (BlockKind.RECOMMENDATION, BlockKind.FOLLOW_UP, BlockKind.OBSERVATION)[ordinal % 3]
        return Block(kind=kind, text=self.text(int(self.rng.integers(3, 60))), section=("II", "III", "VI")[ordinal % 3],
                     rec_ids=[f"II-{ordinal}"], notes=[self.text(5)] if ordinal % 4 == 0 else [])

    def embedding(self) -> StoredEmbedding:
        return StoredEmbedding(np.ones(4, np.float32) / 2, np.ones((1, 4), np.float32) / 2)

    def index(self, cache: LexicalCache | None = None) -> Bm25Index:
        with self.store.snapshot() as snapshot:
            return (cache or self.cache).for_snapshot(snapshot)

    def check(self, queries: int = 60, cache: LexicalCache | None = None) -> None:
        cache = cache or self.cache
        with self.store.snapshot() as snapshot:
            index = cache.for_snapshot(snapshot)
            assert index.ids.tolist() == snapshot.chunk_ids().tolist()
            pruned, exact = Bm25Search(snapshot, index, cache.tokenizer(snapshot)), Fts5Index(snapshot)
            for _ in range(queries):
                query = self.text(int(self.rng.integers(1, 8)))
                for filters in (Filters(), Filters(kinds=["recommendation"]), Filters(countries=["B"])):
                    for n in (1, 10, 100):
                        assert same_ranking(pruned.search(query, n, filters), exact.search(query, n, filters), n), \
                            (query, n, filters)


def test_maxscore_returns_the_exact_top_k_of_a_generated_archive(tmp_path):
    archive = Generated(tmp_path, "ABCDEFGH", 150)
    archive.check(queries=80)


def test_writes_are_applied_by_difference_and_stay_exact(tmp_path):
    archive = Generated(tmp_path, "ABCDEFGHIJKLMNOPQRST", 60)
    first = archive.index()
    base = first.base
    archive.put("U", 30)  # 30 of 1,230: a delta, not a new base
    archive.remove("C")
    second = archive.index()
    assert second.base is base and len(second.delta) == 30 and len(second.dead) == 60
    archive.check()
    assert (tmp_path / f"lexical-g{archive.store.generation()}.bin").exists()


def test_the_delta_is_folded_into_a_new_base_past_its_share(tmp_path):
    archive = Generated(tmp_path, "ABCD", 50)
    base = archive.index().base
    archive.put("E", int(200 * COMPACT_SHARE) + 5)
    folded = archive.index()
    assert folded.base is not base and len(folded.delta) == 0 and len(folded.dead) == 0
    archive.check()
    bases = sorted(p.name for p in tmp_path.glob("lexical-base-*.bin"))
    states = sorted(p.name for p in tmp_path.glob("lexical-g*.bin"))
    assert len(bases) == 1 and len(states) == 1  # older files are removed


def test_a_new_process_reads_the_files_instead_of_rebuilding(tmp_path, caplog):
    archive = Generated(tmp_path, "ABC", 80)
    archive.check(queries=5)
    archive.put("D", 10)
    archive.index()
    fresh = LexicalCache(tmp_path, (0.5, 1.0, 0.3))
    with archive.store.snapshot() as snapshot:
        fresh._load_latest(snapshot.generation(), fresh.stamp(snapshot.fts5_tokenize()))
    assert fresh._index is not None and len(fresh._index.delta) == 10  # loaded from disk as it was left
    archive.check(queries=10, cache=fresh)


def test_a_damaged_file_is_rebuilt_from_the_database_and_said(tmp_path, caplog):
    archive = Generated(tmp_path, "ABC")
    archive.index()
    state = next(tmp_path.glob("lexical-g*.bin"))
    state.write_bytes(state.read_bytes()[:100])
    with caplog.at_level(logging.WARNING, logger="lanzasearch"):
        archive.check(queries=10, cache=LexicalCache(tmp_path, (0.5, 1.0, 0.3)))
    assert recovery_said(caplog, state.name)


def test_files_built_with_other_weights_are_not_used(tmp_path):
    archive = Generated(tmp_path, "AB")
    archive.index()
    other = LexicalCache(tmp_path, (1.0, 1.0, 1.0))
    with archive.store.snapshot() as snapshot:
        other._load_latest(snapshot.generation(), other.stamp(snapshot.fts5_tokenize()))
    assert other._index is None


def test_a_file_behind_the_database_catches_up_by_difference(tmp_path):
    archive = Generated(tmp_path, "ABCDEFGHIJKL", 50)
    archive.index()
    # Another process writes; this process's cache has never seen the new generation.
    Generated(tmp_path, seed=9).put("M", 20)
    reader = LexicalCache(tmp_path, (0.5, 1.0, 0.3))
    with archive.store.snapshot() as snapshot:
        index = reader.for_snapshot(snapshot)
    assert len(index.delta) == 20
    archive.check(queries=10, cache=reader)


def test_a_read_only_folder_still_answers_from_memory(tmp_path, monkeypatch):
    archive = Generated(tmp_path)
    archive.put("A", 30)

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(Segment, "save", refuse)
    archive.check(queries=5)
    assert not list(tmp_path.glob("lexical-*.bin"))


# -- segments ------------------------------------------------------------------------------------


def test_a_segment_keeps_postings_in_id_order_with_their_bounds():
    segment = Segment.build(["b", "a"], np.array([0, 1, 0, 1]), np.array([9, 9, 4, 2]),
                            np.array([1.0, 2.5, 3.0, 0.5]), np.array([9, 4, 2]), np.array([10.0, 3.0, 7.0]))
    assert segment.terms == ("b", "a")
    docs, freqs = segment.postings(segment.row("a"))
    assert docs.tolist() == [2, 9] and freqs.tolist() == [0.5, 2.5]
    assert float(segment.max_freq[segment.row("b")]) == 3.0 and float(segment.min_length[segment.row("b")]) == 3.0
    assert segment.doc_ids.tolist() == [2, 4, 9]
    merged = Segment.merge([segment, Segment.build(["c"], np.array([0]), np.array([11]), np.array([1.0]),
                                                    np.array([11]), np.array([1.0]))], drop=np.array([9]))
    assert merged.doc_ids.tolist() == [2, 4, 11]
    assert merged.postings(merged.row("a"))[0].tolist() == [2]


def test_a_segment_round_trips_through_its_file(tmp_path):
    segment = Segment.build(["x", "y"], np.array([0, 1, 1]), np.array([5, 5, 8]), np.array([1.0, 0.3, 1.3]),
                            np.array([5, 8]), np.array([4.0, 6.0]))
    segment.save(tmp_path / "s.bin", {"stamp": {"k": 1}}, {"dead": np.array([3, 4])})
    header, loaded, extra = Segment.load(tmp_path / "s.bin")
    assert header["stamp"] == {"k": 1} and extra["dead"].tolist() == [3, 4]
    assert loaded.terms == segment.terms and loaded.postings(1)[0].tolist() == [5, 8]
    assert [p.name for p in tmp_path.iterdir()] == ["s.bin"]
