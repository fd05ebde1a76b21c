"""Saying when nothing answers well: a threshold chosen from a plateau, and what it flags."""

from __future__ import annotations

import pytest

from conftest import DEV_QUERIES, FIXTURES
from lanzasearch import Archive
from lanzasearch.evaluation import load_queries
from lanzasearch.weakmatch import calibrate, match_of

OFF_TOPIC = [FIXTURES / "offtopic-queries.jsonl", FIXTURES / "offtopic-heldout.jsonl"]


def test_the_threshold_is_the_middle_of_the_widest_plateau_of_fewest_errors():
    chosen = calibrate(on_topic=[0.5, 0.6], off_topic=[0.1, 0.55])
    # One error is unavoidable; of the two stretches that make only one, the wider is (0.1, 0.5).
    assert (chosen.errors, chosen.plateau, chosen.threshold) == (1, (0.1, 0.5), 0.3)
    assert chosen.flagged([0.2, 0.25, 0.6]) == 2


def test_calibration_needs_both_kinds_of_question():
    with pytest.raises(ValueError):
        calibrate([0.5], [])


def test_a_model_never_calibrated_has_no_weak_matches():
    assert match_of(0.0, "some-other-model") == "strong"
    assert match_of(0.0, "all-MiniLM-L6-v2") == "weak" and match_of(1.0, "all-MiniLM-L6-v2") == "strong"


def weak_questions(archive, paths) -> tuple[list[str], list[str]]:
    """(the questions of these query files, those of them the archive flags as weak)."""
    questions = [q.query for path in paths for q in load_queries(path)]
    return questions, [q for q in questions if archive.search(q, k=3).weak]


@pytest.fixture(scope="module")
def archive(corpus_index, embedder):
    with Archive.open(corpus_index, embedder=embedder) as archive:
        yield archive


def test_off_topic_questions_are_weak_and_dev_questions_are_not(archive):
    off_topic, weak = weak_questions(archive, OFF_TOPIC)
    assert len(off_topic) >= 20
    assert len(weak) >= 0.9 * len(off_topic), set(off_topic) - set(weak)
    _, flagged_dev = weak_questions(archive, [DEV_QUERIES])
    assert len(flagged_dev) <= 1, flagged_dev


def test_every_weak_result_is_marked_and_a_named_id_is_never_weak(archive):
    results = archive.search("recipe for chocolate cake", k=5)
    assert results.weak and all(h.match == "weak" for h in results)
    named = archive.search("II-6 recipe for chocolate cake", k=5)
    assert not named.weak and "II-6" in named[0].rec_ids


def test_multilingual_e5_has_its_own_threshold():
    assert match_of(0.80, "multilingual-e5-small") == "weak" and match_of(0.86, "multilingual-e5-small") == "strong"


@pytest.fixture(scope="module")
def e5_archive(e5_corpus_index, e5_embedder):
    with Archive.open(e5_corpus_index, embedder=e5_embedder) as archive:
        yield archive


def test_with_e5_off_topic_questions_are_weak_and_english_and_french_ones_are_not(e5_archive):
    off_topic, weak = weak_questions(e5_archive, OFF_TOPIC)
    assert len(weak) >= 0.9 * len(off_topic), set(off_topic) - set(weak)
    assert e5_archive.search("recipe for chocolate cake", k=3).weak
    _, flagged_dev = weak_questions(e5_archive, [DEV_QUERIES])
    assert not flagged_dev, flagged_dev
    _, flagged_french = weak_questions(e5_archive, [FIXTURES / "french-queries.jsonl"])
    assert len(flagged_french) <= 2, flagged_french
    assert not e5_archive.search("à quel âge commence la responsabilité pénale en Norvège", k=3).weak
