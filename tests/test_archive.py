"""The Archive API: ingest, index guarantees, search, compare, recommendations."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from conftest import CONVENTION, CORPUS, FICTIONAL, NORWAY_MD
from lanzasearch import Archive, ArchiveError, ArchiveNotFound, EmptyQuery, ModelMismatch, UnknownFilterError
from lanzasearch.indexing import DB_NAME, MANIFEST_NAME


@pytest.fixture(scope="module")
def archive(corpus_index, embedder):
    with Archive.open(corpus_index, embedder=embedder) as archive:
        yield archive


@pytest.fixture(scope="module")
def multi(multi_index, embedder):
    with Archive.open(multi_index, embedder=embedder) as archive:
        yield archive


# -- building and re-ingesting ------------------------------------------------


def test_corpus_gives_the_norway_factsheet_and_the_convention(archive):
    docs = {d.doc_id: d for d in archive.documents()}
    assert set(docs) == {"convention", "factsheet-norway-r2"}
    norway = docs["factsheet-norway-r2"]
    assert norway.country == "Norway" and norway.round == "2" and norway.page_count and norway.chunks > 50
    assert len(norway.sha256) == 64


def test_manifest_records_model_dimension_schema_and_generation(archive):
    manifest = json.loads((archive.path / MANIFEST_NAME).read_text())
    assert manifest["model"] == "all-MiniLM-L6-v2"
    assert manifest["dimension"] == 384
    assert manifest["schema_version"] >= 1
    assert manifest["generation"] == archive.generation > 0
    assert manifest["faiss_index"] == "flat"


def test_faiss_ids_equal_sqlite_chunk_ids(archive):
    report = archive.check()
    assert report.checks["vectors"].ok, report.checks["vectors"].detail


def test_unchanged_files_cost_a_hash_not_an_embedding(copy_index, corpus_index, embedder):
    with Archive.open(copy_index(corpus_index), embedder=embedder) as archive:
        generation = archive.generation
        report = archive.ingest([CORPUS])
        assert [f.status for f in report.files] == ["unchanged", "unchanged"]
        assert report.embedded == 0
        assert archive.generation == generation


def test_changed_file_replaces_its_old_version_and_reuses_unchanged_passages(tmp_path, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    source = folder / "testland.md"
    original = FICTIONAL[0].read_text(encoding="utf-8")
    source.write_text(original, encoding="utf-8")
    with Archive.open(tmp_path / "index", create=True, embedder=embedder) as archive:
        first = archive.ingest([folder])
        assert [f.status for f in first.files] == ["added"]
        source.write_text(original + "\n\nThe Committee observes that Testland opened a zebra crossing helpline.\n",
                          encoding="utf-8")
        second = archive.ingest([folder])
        assert [f.status for f in second.files] == ["updated"]
        assert 0 < second.embedded < first.embedded
        assert len(archive.documents()) == 1
        hits = archive.search("zebra crossing helpline", k=3, mode="lexical")
        assert hits and "zebra crossing helpline" in hits[0].text


def test_same_document_twice_in_one_batch_is_refused(tmp_path, embedder):
    twin = tmp_path / "copy.md"
    twin.write_text(NORWAY_MD.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with Archive.open(tmp_path / "index", create=True, embedder=embedder) as archive:
        report = archive.ingest([NORWAY_MD, twin])
        assert [f.status for f in report.files] == ["added", "failed"]
        assert "same document" in report.failed[0].reason


def test_failed_file_leaves_the_archive_untouched_and_others_are_ingested(tmp_path, embedder):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n this is not really a pdf")
    with Archive.open(tmp_path / "index", create=True, embedder=embedder) as archive:
        report = archive.ingest([bad, CONVENTION])
        assert [f.status for f in report.files] == ["failed", "added"]
        assert "broken.pdf" in report.failed[0].path and report.failed[0].reason
        assert [d.doc_id for d in archive.documents()] == ["convention"]


def test_missing_vector_file_is_rebuilt_from_the_database(copy_index, corpus_index, embedder):
    path = copy_index(corpus_index)
    for file in path.glob("vectors-g*.faiss"):
        file.unlink()
    with Archive.open(path, embedder=embedder) as archive:
        assert archive.search("Barnahus", k=1)
    assert list(path.glob("vectors-g*.faiss"))


def test_damaged_vector_file_is_rebuilt_not_trusted(copy_index, corpus_index, embedder):
    path = copy_index(corpus_index)
    [faiss_file] = path.glob("vectors-g*.faiss")
    faiss_file.write_bytes(b"garbage")
    with Archive.open(path, embedder=embedder) as archive:
        assert archive.search("Barnahus", k=1)


def test_archive_built_with_another_model_is_refused(copy_index, corpus_index):
    path = copy_index(corpus_index)
    with pytest.raises(ModelMismatch) as err:
        Archive.open(path, model="sentence-transformers/paraphrase-MiniLM-L3-v2")
    message = str(err.value)
    assert "all-MiniLM-L6-v2" in message and "paraphrase-MiniLM-L3-v2" in message and "--rebuild" in message


def test_opening_a_missing_archive_says_how_to_build_it(tmp_path):
    with pytest.raises(ArchiveNotFound, match="lanzasearch ingest"):
        Archive.open(tmp_path / "nothing")
    assert not (tmp_path / "nothing" / DB_NAME).exists()


def test_remove_deletes_a_document_and_its_vectors(copy_index, corpus_index, embedder):
    with Archive.open(copy_index(corpus_index), embedder=embedder) as archive:
        archive.remove("convention")
        assert [d.doc_id for d in archive.documents()] == ["factsheet-norway-r2"]
        assert all(h.doc_type == "factsheet" for h in archive.search("jurisdiction ships aircraft", k=20))
        assert archive.check().checks["vectors"].ok


def test_rebuild_re_embeds_everything_in_one_go(copy_index, corpus_index, embedder):
    with Archive.open(copy_index(corpus_index), embedder=embedder) as archive:
        before = {d.doc_id: d.chunks for d in archive.documents()}
        report = archive.ingest([CORPUS], rebuild=True)
        assert report.embedded == sum(before.values())
        assert {d.doc_id: d.chunks for d in archive.documents()} == before


def test_rebuild_of_one_file_keeps_every_other_document(copy_index, corpus_index, embedder):
    with Archive.open(copy_index(corpus_index), embedder=embedder) as archive:
        before = {d.doc_id: (d.sha256, d.chunks, d.source) for d in archive.documents()}
        report = archive.ingest([CONVENTION], rebuild=True)
        assert {f.doc_id for f in report.files} == set(before)
        assert {d.doc_id: (d.sha256, d.chunks, d.source) for d in archive.documents()} == before


def test_rebuild_is_refused_when_a_document_cannot_be_re_read(copy_index, corpus_index, embedder):
    with Archive.open(copy_index(corpus_index), embedder=embedder) as archive:
        archive.source_path("factsheet-norway-r2").unlink()
        generation = archive.generation
        with pytest.raises(ArchiveError, match="rebuild refused.*factsheet-norway.pdf.*no kept source"):
            archive.ingest([CONVENTION], rebuild=True)
        assert archive.generation == generation
        assert len(archive.documents()) == 2


def test_kept_source_is_the_exact_bytes_ingested(archive):
    for doc in archive.documents():
        kept = archive.source_path(doc.doc_id)
        assert kept is not None and hashlib.sha256(kept.read_bytes()).hexdigest() == doc.sha256


def test_an_old_versions_source_copy_is_pruned(tmp_path, embedder):
    """An earlier version is history with its source copy; once that version is removed, so is its copy."""
    source = tmp_path / "testland.md"
    source.write_text(FICTIONAL[0].read_text(encoding="utf-8"), encoding="utf-8")
    with Archive.open(tmp_path / "index", create=True, embedder=embedder) as archive:
        archive.ingest([source])
        source.write_text(source.read_text(encoding="utf-8") + "\nOne more observation.\n", encoding="utf-8")
        archive.ingest([source])
        [doc] = archive.documents()
        [old] = [v for v in archive.versions(doc.doc_id) if not v.current]
        assert sorted(p.name for p in (archive.path / "sources").iterdir()) == sorted(
            [f"{doc.sha256}.md", f"{old.sha256}.md"])
        archive.remove(doc.doc_id, version=old.version)
        assert [p.name for p in (archive.path / "sources").iterdir()] == [f"{doc.sha256}.md"]


# -- search ----------------------------------------------------------------------


def test_hit_carries_its_citation(archive):
    [hit] = archive.search("penalty waived when two teenagers of similar age consented", k=1)
    assert hit.country == "Norway" and hit.section == "II" and hit.kind == "follow_up"
    assert hit.rec_ids == ["II-6"] and hit.page is not None
    assert "Norway" in hit.citation and "II-6" in hit.citation and f"p. {hit.page}" in hit.citation


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_every_mode_finds_the_passage(archive, mode):
    hits = archive.search("agreement with the Philippines on livestreamed child sexual abuse", k=5, mode=mode)
    assert any("Philippines" in h.text for h in hits)


def test_filters_apply_before_the_cut(archive):
    hits = archive.search("training", k=7, kinds=["follow_up"], sections=["X"])
    assert len(hits) >= 1
    assert all(h.kind == "follow_up" and h.section == "X" for h in hits)
    strong = archive.search("children", k=10, strengths=["require"])
    assert strong and all(h.strength == "require" for h in strong)
    convention = archive.search("jurisdiction", k=5, kinds=["article"])
    assert convention and all(h.doc_type == "convention" and h.kind == "article" for h in convention)
    norway = archive.search("jurisdiction", k=5, countries=["norway"])
    assert norway and all(h.country == "Norway" for h in norway)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"countries": ["Atlantis"]}, "unknown country 'Atlantis'"),
        ({"sections": ["XIV"]}, "unknown section 'XIV'"),
        ({"kinds": ["poem"]}, "unknown kind 'poem'"),
        ({"strengths": ["beg"]}, "unknown strength 'beg'"),
        ({"mode": "magic"}, "unknown mode 'magic'"),
    ],
)
def test_unknown_filter_values_are_reported_with_the_valid_ones(archive, kwargs, message):
    with pytest.raises(UnknownFilterError, match=message) as err:
        archive.search("children", **kwargs)
    assert "choose from" in str(err.value)


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "\x00\x01"])
def test_empty_query_is_refused_clearly(archive, query):
    with pytest.raises(EmptyQuery, match="empty query"):
        archive.search(query)


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "AND OR NOT NEAR", "child*", "^start", "-minus", "text: police", "NEAR(a b)",
     "'; drop table chunks; --", "🙂 children 🙂", "الأطفال الحماية", "a" * 100_000, "((", "*"],
)
def test_query_syntax_never_reaches_fts5(archive, query):
    hits = archive.search(query, k=3)
    assert isinstance(hits, list)
    assert archive.documents()  # nothing was dropped


def test_filtered_search_returns_fewer_when_few_match(archive):
    hits = archive.search("anything at all", k=50, kinds=["promising_practice"])
    assert 0 < len(hits) <= 20
    assert all(h.kind == "promising_practice" for h in hits)


# -- compare and recommendations ----------------------------------------------------


def test_compare_gives_one_column_per_country(multi):
    result = multi.compare("criminal liability of children sharing their own images", per_country=2)
    assert set(result) == {"Exampleland", "Norway", "Testland"}
    assert all(len(hits) <= 2 for hits in result.values())
    assert all(h.country == country for country, hits in result.items() for h in hits)


def test_compare_by_recommendation_id_shows_each_countrys_answer(multi):
    result = multi.compare("II-6", per_country=5)
    assert any(h.kind == "follow_up" and "section 311" in h.text for h in result["Norway"])
    assert all("II-6" in h.rec_ids for hits in result.values() for h in hits)


def test_compare_says_nothing_when_a_country_has_nothing_relevant(multi):
    result = multi.compare("Barnahus Norway web-based course Kripos", countries=["Norway", "Testland"],
                           kinds=["follow_up"], per_country=3)
    assert result["Norway"]
    assert set(result) == {"Norway", "Testland"}


def test_recommendations_list_every_id_with_strength_and_follow_ups(archive):
    recs = archive.recommendations(country="Norway")
    assert len(recs) == 72
    ids = [r.rec_id for r in recs]
    assert ids.index("II-6") < ids.index("III-30") < ids.index("XI-1")
    ii6 = archive.recommendation("ii-6")
    assert ii6.strength == "request" and ii6.countries == ["Norway"]
    assert any("section 311" in f.text for f in ii6.follow_ups)
    assert archive.recommendation("VIII-5").strength == "invite"
    assert not archive.recommendation("VIII-5").follow_ups
    assert archive.recommendation("III-30").strength == "require"


def test_convention_article_text_is_available(archive):
    article = archive.article(25)
    assert article.heading.startswith("Article 25") and "jurisdiction" in article.text.lower()


def test_facets_list_the_values_present(multi):
    facets = multi.facets()
    assert facets["countries"] == ["Exampleland", "Norway", "Testland"]
    assert facets["sections"][:3] == ["I", "II", "III"]
    assert set(facets["strengths"]) == {"require", "request", "invite"}


def test_query_vector_is_encoded_once_per_query(archive):
    archive.search("focal points for data collection", k=3)
    encoder = archive.embedder
    cached = encoder.encode_query("focal points for data collection")
    assert np.allclose(cached, encoder.encode_passages(["focal points for data collection"])[0], atol=1e-5)
