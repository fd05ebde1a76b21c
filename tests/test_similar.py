"""Similar elsewhere: passages close in meaning to a stored passage, ranked by the stored vectors."""

from __future__ import annotations

import numpy as np
import pytest

from lanzasearch import Archive, ArchiveError


@pytest.fixture(scope="module")
def multi(multi_index, embedder):
    with Archive.open(multi_index, embedder=embedder) as archive:
        yield archive


@pytest.fixture(scope="module")
def phone_ban(multi):
    """Norway's promising practice on mobile phones in schools."""
    [hit] = multi.search("restrictions on mobile phones in schools", k=1, countries=["Norway"],
                         kinds=["promising_practice"])
    return hit


def test_similar_returns_no_passage_of_the_source_document(multi, phone_ban):
    hits = multi.similar(phone_ban.chunk_id, k=30)
    assert len(hits) == 30
    assert all(h.doc_id != phone_ban.doc_id for h in hits)
    assert [h.rank for h in hits] == list(range(1, 31))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_similar_ranks_by_the_stored_vectors(multi, phone_ban):
    hits = multi.similar(phone_ban.chunk_id, k=5)
    with multi.store.snapshot() as snapshot:
        vectors = snapshot.embeddings_for([phone_ban.chunk_id, *(h.chunk_id for h in hits)], multi.dimension)
    assert np.allclose([h.score for h in hits], vectors[1:] @ vectors[0], atol=1e-5)


def test_similar_in_other_parties_leaves_out_the_source_country(multi, phone_ban):
    hits = multi.similar(phone_ban.chunk_id, k=10, exclude_same_country=True)
    assert hits and {h.country for h in hits} <= {"Testland", "Exampleland"}
    assert "Peer Guides" in hits[0].text  # Testland's pupils teaching pupils about sharing images


def test_similar_keeps_the_source_document_when_asked_and_filters_by_kind(multi, phone_ban):
    own = multi.similar(phone_ban.chunk_id, k=3, exclude_same_document=False)
    assert own[0].chunk_id == phone_ban.chunk_id and own[0].score == pytest.approx(1.0, abs=1e-5)
    practices = multi.similar(phone_ban.chunk_id, k=5, kinds=["promising_practice"])
    assert practices and {h.kind for h in practices} == {"promising_practice"}


def test_similar_of_an_unknown_passage_says_where_ids_come_from(multi):
    with pytest.raises(ArchiveError, match="no passage 999999.*chunk_id of a search result"):
        multi.similar(999999)
