"""Text many Parties share: one result naming its Parties, never a Party's own text merged with another's."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import DEV_QUERIES
from lanzasearch import Archive
from lanzasearch.evaluation import load_queries
from lanzasearch.grouping import masked_text, mask_key
from lanzasearch.model import Block, BlockKind, Chunk
from lanzasearch.web import exports


def _chunk(kind: BlockKind, text: str, rec_ids=()) -> Chunk:
    return Chunk("d", 0, Block(kind, text, rec_ids=list(rec_ids)), text, "")


def test_the_partys_names_and_adjective_are_masked():
    norway = "The Committee invites all Parties, including Norway: the Norwegian authorities of the Kingdom of Norway"
    testland = "The Committee invites all Parties, including Testland: the Testland authorities of the Testland"
    assert masked_text(norway, "Norway") == masked_text(testland, "Testland")
    assert masked_text("Norway", "Testland") != masked_text("Testland", "Testland")


def test_the_same_recommendation_to_two_parties_shares_a_key_and_their_own_text_never_does():
    generic = "The Committee invites all Parties, including {}: to ensure that awareness-raising is led by peers."
    kind = BlockKind.GENERIC_RECOMMENDATION
    assert mask_key(_chunk(kind, generic.format("Norway"), ["VIII-5"]), "Norway") == \
        mask_key(_chunk(kind, generic.format("Testland"), ["VIII-5"]), "Testland")
    assert mask_key(_chunk(kind, generic.format("Norway"), ["VIII-5"]), "Norway") != \
        mask_key(_chunk(kind, generic.format("Norway"), ["VIII-6"]), "Norway")  # another recommendation
    for own in (BlockKind.FOLLOW_UP, BlockKind.OBSERVATION, BlockKind.PROMISING_PRACTICE):
        assert mask_key(_chunk(own, "Norway allocated NOK 30 million."), "Norway") is None
    assert mask_key(_chunk(BlockKind.ARTICLE, "Each Party shall"), None) is None


@pytest.fixture(scope="module")
def archive(multi_index, embedder):
    with Archive.open(multi_index, embedder=embedder) as archive:
        yield archive


PRIORITY = "investigations and criminal proceedings are treated as priority and carried out without any unjustified delay"


def test_a_generic_recommendation_is_returned_once_with_all_three_parties(archive):
    hits = archive.search(PRIORITY, k=10)
    generic = [h for h in hits if "treated as priority" in h.text and h.kind == "generic_recommendation"]
    assert len(generic) == 1
    assert sorted(generic[0].parties) == ["Exampleland", "Norway", "Testland"]
    assert all(chunk_id != generic[0].chunk_id for _, chunk_id in generic[0].also_in)


def test_k_counts_different_texts(archive):
    hits = archive.search("The Committee invites all Parties", k=10)
    assert len(hits) == 10
    keys = [(h.kind, masked_text(h.text, h.country or "")) for h in hits]
    assert len(set(keys)) == 10


def test_no_dev_question_returns_the_same_masked_text_twice(archive):
    for query in load_queries(DEV_QUERIES):
        hits = archive.search(query.query, k=10)
        texts = [masked_text(h.text, h.country or "") for h in hits]
        assert len(texts) == len(set(texts)), query.query


def test_a_partys_follow_up_is_never_grouped_with_another_partys(archive):
    hits = archive.search("follow-up actions on prosecuting children for their own images", k=20)
    follow_ups = [h for h in hits if h.kind == "follow_up"]
    assert follow_ups and all(not h.also_in for h in follow_ups)


def test_the_csv_has_one_row_per_party(archive):
    hits = archive.search(PRIORITY, k=3, kinds="generic_recommendation")
    members = {h.chunk_id: h for h in archive.passages([i for hit in hits for _, i in hit.also_in])}
    rows = list(csv.DictReader(io.StringIO(exports.hits_csv(hits[:1], members))))
    assert sorted(row["country"] for row in rows) == ["Exampleland", "Norway", "Testland"]
    assert {row["rank"] for row in rows} == {"1"} and len({row["doc_id"] for row in rows}) == 3
