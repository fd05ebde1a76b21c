"""Fusion of the dense and lexical rankings: properties that hold for any model's and any engine's scores."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanzasearch import Archive
from lanzasearch.filters import Filters
from lanzasearch.fusion import DENSE_SHARE, fuse
from lanzasearch.lexical import Fts5Index

scores = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False).map(lambda x: round(x, 3))
bm25 = st.floats(min_value=0.01, max_value=40.0, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def candidates(draw):
    """A dense side over some ids and a lexical side over some of those ids and others."""
    ids = draw(st.lists(st.integers(1, 60), min_size=2, max_size=25, unique=True))
    dense = [(i, draw(scores)) for i in ids]
    lexical_ids = draw(st.lists(st.sampled_from(ids + list(range(100, 110))), max_size=20, unique=True))
    lexical = [(i, draw(bm25)) for i in lexical_ids]
    return dense, lexical


def order(ranked):
    return [i for i, _ in ranked]


def scaled(ranked, factor: float, shift: float):
    return [(i, factor * s + shift) for i, s in ranked]


def distinct(ranked) -> bool:
    """No two fused scores so close that rounding could swap them."""
    values = sorted(s for _, s in ranked)
    return all(b - a > 1e-6 for a, b in zip(values, values[1:]))


@settings(max_examples=200, deadline=None)
@given(candidates(), st.floats(0.05, 50.0), st.floats(-5.0, 5.0))
def test_multiplying_or_shifting_the_dense_scores_does_not_change_the_ranking(sides, factor, shift):
    dense, lexical = sides
    before = fuse(dense, lexical)
    if distinct(before):
        assert order(fuse(scaled(dense, factor, shift), lexical)) == order(before)


@settings(max_examples=200, deadline=None)
@given(candidates(), st.floats(0.05, 50.0), st.floats(0.0, 30.0))
def test_multiplying_or_shifting_the_lexical_scores_does_not_change_the_ranking(sides, factor, shift):
    dense, lexical = sides
    before = fuse(dense, lexical)
    if distinct(before):
        assert order(fuse(dense, scaled(lexical, factor, shift))) == order(before)


@settings(max_examples=100, deadline=None)
@given(candidates())
def test_a_lexical_side_with_one_candidate_or_none_leaves_the_dense_ranking_alone(sides):
    dense, lexical = sides
    dense_order = order(sorted(dense, key=lambda pair: (-pair[1], pair[0])))
    assert order(fuse(dense, [])) == dense_order
    one = [(dense[0][0], 25.0)]
    assert order(fuse(dense, one)) == dense_order


@settings(max_examples=100, deadline=None)
@given(candidates())
def test_a_candidate_better_on_both_sides_ranks_higher(sides):
    dense, lexical = sides
    d, l = dict(dense), dict(lexical)
    positions = {i: p for p, i in enumerate(order(fuse(dense, lexical)))}
    floor = min(l.values(), default=0.0)
    for a in d:
        for b in d:
            if d[a] > d[b] and l.get(a, floor) > l.get(b, floor):
                assert positions[a] < positions[b]


@settings(max_examples=100, deadline=None)
@given(candidates())
def test_every_candidate_of_either_side_is_ranked_once(sides):
    dense, lexical = sides
    ranked = order(fuse(dense, lexical))
    assert sorted(ranked) == sorted({i for i, _ in dense} | {i for i, _ in lexical})


def test_an_empty_dense_side_keeps_the_lexical_order():
    assert order(fuse([], [(3, 2.0), (1, 9.0), (2, 5.0)])) == [1, 2, 3]


def formula(dense, lexical, share=DENSE_SHARE):
    """The fused score as the module docstring states it, one candidate at a time, best first, ties by id."""
    def z(side):
        values = [s for _, s in side]
        mean = sum(values) / len(values) if values else 0.0
        spread = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5 if values else 0.0
        return {i: (s - mean) / spread if len(values) > 1 and spread > 1e-9 else 0.0 for i, s in side}
    dense_z, lexical_z = z(dense), z(lexical)
    floors = min(dense_z.values(), default=0.0), min(lexical_z.values(), default=0.0)
    fused = {i: share * dense_z.get(i, floors[0]) + (1 - share) * lexical_z.get(i, floors[1])
             for i in dense_z.keys() | lexical_z.keys()}
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


@settings(max_examples=300, deadline=None)
@given(candidates())
def test_the_fused_scores_are_the_formulas_and_ties_go_to_the_lower_id(sides):
    dense, lexical = sides
    expected = formula(dense, lexical)
    found = fuse(dense, lexical)
    assert [s for _, s in found] == pytest.approx([s for _, s in expected], abs=1e-9)
    assert {i for i, _ in found} == {i for i, _ in expected}
    for (i, a), (j, b) in zip(found, found[1:]):
        assert a > b or (a == b and i < j)


class RescaledEngine:
    """A lexical engine with another score scale: FTS5's bm25 × 1000 + 7 (as another engine might score)."""

    def __init__(self, inner):
        self.inner = inner

    def search(self, query: str, n: int, filters: Filters):
        return [(i, 1000 * s + 7) for i, s in self.inner.search(query, n, filters)]


def test_a_lexical_engine_with_another_scale_gives_the_same_hybrid_ranking(corpus_index, embedder):
    queries = ["training for judges and prosecutors", "sexual extortion of children", "Barnahus"]
    with Archive.open(corpus_index, embedder=embedder) as archive, archive.store.snapshot() as snapshot:
        for query in queries:
            vector = embedder.encode_query(query)
            retriever = archive._retriever(snapshot)
            fts5 = retriever.rank(query, vector, Filters(), "hybrid")
            retriever.lexical = RescaledEngine(Fts5Index(snapshot))
            rescaled = retriever.rank(query, vector, Filters(), "hybrid")
            assert order(rescaled)[:10] == order(fts5)[:10], query


UNDERSTOOD = ["What did Norway report on recommendation III-3?", "Article 36 training of judges",
              "the Committee requires Norway to train professionals", "Barnahus"]


@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
def test_a_question_with_recognised_parts_ranks_the_same_whatever_the_lexical_scale(corpus_index, embedder, mode):
    """Candidates from the question and from each part are fused once and boosted in the fused scores' own unit,
    so another engine's bm25 scale moves neither the fusion nor the boosts."""
    with Archive.open(corpus_index, embedder=embedder) as archive, archive.store.snapshot() as snapshot:
        for query in UNDERSTOOD:
            understood = archive._understand(snapshot, query, ())
            vector = embedder.encode_query(query)
            retriever = archive._retriever(snapshot, dense=mode != "lexical")
            fts5 = retriever.rank_understood(understood, vector, Filters(), mode)
            retriever.lexical = RescaledEngine(Fts5Index(snapshot))
            rescaled = retriever.rank_understood(understood, vector, Filters(), mode)
            assert [r.chunk_id for r in rescaled][:10] == [r.chunk_id for r in fts5][:10], query


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_a_vector_search_started_before_the_question_is_understood_ranks_as_one_started_after(corpus_index, embedder, mode):
    """``Retriever.start`` runs the vector search within the user's filters while the question is read;
    the ranking is the one ``rank_understood`` makes alone, and reads like a list."""
    filters = [Filters(), Filters(countries=["Norway"]), Filters(kinds=["recommendation"])]
    ranked = 0
    with Archive.open(corpus_index, embedder=embedder) as archive, archive.store.snapshot() as snapshot:
        for query in UNDERSTOOD:
            for chosen in filters:
                vector = embedder.encode_query(query)
                retriever = archive._retriever(snapshot, dense=mode != "lexical")
                started = retriever.start(vector, chosen, mode)
                assert (started is None) == (mode == "lexical")
                understood = archive._understand(snapshot, query, ())
                early = retriever.rank_understood(understood, vector, chosen, mode, started)
                alone = retriever.rank_understood(understood, vector, chosen, mode)
                assert len(early) == len(alone), (query, chosen)
                ranked += bool(len(early))
                assert [(r.chunk_id, r.score, r.dense, r.named) for r in early] == \
                    [(r.chunk_id, r.score, r.dense, r.named) for r in alone]
                assert [r.chunk_id for r in early[:3]] == [early[i].chunk_id for i in range(min(3, len(early)))]
                assert early[len(early):] == [] and (not len(early) or early[-1].chunk_id == list(early)[-1].chunk_id)
                with pytest.raises(IndexError):
                    early[len(early)]
    assert ranked > len(UNDERSTOOD) * len(filters) // 2


def test_closeness_is_the_raw_dense_score_whatever_else_is_ranked(corpus_index, embedder):
    """The weak-match rule reads a passage's own cosine, not a score relative to the other candidates: the same
    passage is as close in hybrid mode as in dense mode, and as close as its dense score alone."""
    with Archive.open(corpus_index, embedder=embedder) as archive, archive.store.snapshot() as snapshot:
        for query in ["recipe for chocolate cake", "training for judges and prosecutors"]:
            understood = archive._understand(snapshot, query, ())
            vector = embedder.encode_query(query)
            retriever = archive._retriever(snapshot)
            hybrid = {r.chunk_id: r.closeness for r in retriever.rank_understood(understood, vector, Filters(), "hybrid")}
            dense = dict(retriever.dense(vector, None))
            shared = [i for i in dense if i in hybrid][:20]
            assert shared, query
            for chunk_id in shared:
                assert hybrid[chunk_id] == pytest.approx(dense[chunk_id], abs=1e-6), (query, chunk_id)
