"""The eval set's scoring rule, its baselines, and the archive's quality on the dev queries."""

from __future__ import annotations

import pytest

from conftest import CONVENTION, DEV_QUERIES, NORWAY_MD
from lanzasearch import Archive
from lanzasearch.baseline import CHUNK_CHARS, NaiveSearch, naive_chunks
from lanzasearch.evaluation import EvalReport, QueryResult, evaluate, first_hit, load_queries
from lanzasearch.model import Hit


def _hit(text: str) -> Hit:
    return Hit(rank=1, score=1.0, chunk_id=1, doc_id="d", doc_type="factsheet", country="Norway", section="II",
               heading=None, kind="observation", strength=None, rec_ids=[], para_refs=[], articles=[], page=1,
               text=text)


def test_a_hit_ignores_case_punctuation_and_line_breaks():
    hits = [_hit("nothing here"), _hit("The “Barn og\nmedier” survey")]
    assert first_hit(hits, ["barn og medier"]) == 2


def test_a_word_glued_to_a_footnote_number_is_not_a_hit():
    assert first_hit([_hit("Barnahus Network42 WeProtect")], ["Barnahus Network WeProtect"]) is None


def test_metrics_follow_the_rule():
    report = EvalReport("x", [QueryResult("a", "", 1, 100), QueryResult("b", "", 2, 300), QueryResult("c", "", None, 200)])
    assert report.hit_at(1) == pytest.approx(1 / 3)
    assert report.hit_at(5) == pytest.approx(2 / 3)
    assert report.mrr == pytest.approx((1 + 0.5) / 3)
    assert report.ndcg == pytest.approx((1 + 1 / 1.5849625) / 3, rel=1e-5)
    assert report.chars == 200


def test_malformed_query_file_names_the_line(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "a", "query": "x", "relevant": ["y"]}\n{"id": "b"}\n')
    with pytest.raises(ValueError, match="q.jsonl:2"):
        load_queries(bad)


@pytest.fixture(scope="module")
def reports(corpus_index, embedder):
    queries = load_queries(DEV_QUERIES)
    with Archive.open(corpus_index, embedder=embedder) as archive:
        return {m: evaluate(lambda q, m=m: archive.search(q, k=10, mode=m), queries, m)
                for m in ("hybrid", "dense", "lexical")}


def test_hybrid_meets_the_quality_targets_on_the_dev_set(reports):
    hybrid = reports["hybrid"]
    summary = hybrid.summary()
    assert hybrid.hit_at(1) >= 0.90, summary
    assert hybrid.mrr >= 0.95, summary
    assert hybrid.hit_at(10) == 1.0, summary
    assert hybrid.chars <= 1200, summary


@pytest.fixture(scope="module")
def baselines(embedder):
    """The eval set's baselines measured here, with the same model: naive chunks of the Markdown factsheet and the Convention."""
    naive = NaiveSearch(naive_chunks([NORWAY_MD, CONVENTION]), embedder)
    queries = load_queries(DEV_QUERIES)
    return {m: evaluate(lambda q, m=m: naive.search(q, m), queries, m) for m in ("lexical", "dense", "hybrid")}


def test_naive_chunks_are_windows_of_at_most_a_thousand_characters_that_overlap():
    chunks = naive_chunks([CONVENTION])
    source = CONVENTION.read_text(encoding="utf-8")
    assert len(chunks) > 50 and all(len(c.text) <= CHUNK_CHARS and c.text in source for c in chunks)
    starts = [source.find(c.text) for c in chunks]
    assert starts == sorted(starts)
    # the overlap is made of whole sentences (up to 200 characters): after a long paragraph a window starts afresh
    assert sum(b.text[:40] in a.text for a, b in zip(chunks, chunks[1:])) >= len(chunks) // 3


def test_hybrid_beats_every_baseline_row(reports, baselines):
    hybrid = reports["hybrid"]
    for name, baseline in baselines.items():
        assert hybrid.mrr > baseline.mrr and hybrid.hit_at(1) > baseline.hit_at(1), (name, baseline.summary())
        assert hybrid.chars < baseline.chars, (name, baseline.summary())
    assert reports["dense"].mrr > baselines["dense"].mrr
