"""The recommendation tracker: one rec-id grammar with the parser, report order, and the filters of the list."""

from __future__ import annotations

import pytest

from lanzasearch import Archive
from lanzasearch.recommendations import filter_recommendations, parse_rec_id, rec_id_key
from sample_results import make_recs


@pytest.mark.parametrize(("typed", "rec_id"), [
    ("II-6", "II-6"), ("ii-6", "II-6"), (" II – 6 ", "II-6"), ("III-06", "III-6"), ("XL-2", "XL-2"),
    ("training for judges", None), ("II-6 and II-7", None), ("Q-1", None), ("", None), (None, None),
])
def test_a_typed_recommendation_id_is_read_like_the_factsheets_cite_it(typed, rec_id):
    assert parse_rec_id(typed) == rec_id


def test_recommendation_ids_sort_in_report_order():
    assert sorted(["III-1", "II-10", "XI-1", "II-3", "IX-2"], key=rec_id_key) == ["II-3", "II-10", "III-1", "IX-2", "XI-1"]


def test_filter_recommendations():
    recs = make_recs()
    ids = lambda out: [r.rec_id for r in out]  # noqa: E731
    assert ids(filter_recommendations(recs, sections=["VIII"])) == ["VIII-5"]
    assert ids(filter_recommendations(recs, strengths=["request"])) == ["II-6"]
    assert ids(filter_recommendations(recs, addressed_to=["Norway"])) == ["II-6"]
    assert ids(filter_recommendations(recs, follow_up="with")) == ["II-6"]
    assert ids(filter_recommendations(recs, follow_up="without")) == ["VIII-5"]
    assert ids(filter_recommendations(recs)) == ["II-6", "VIII-5"]


def test_the_archive_filters_its_recommendations_without_changing_them(multi_index, embedder):
    with Archive.open(multi_index, embedder=embedder) as archive:
        every = archive.recommendations()
        to_testland = archive.recommendations(addressed_to=["Testland"], follow_up="any")
        only_testland = archive.recommendations(country="Testland")
        invites_without = archive.recommendations(strengths=["invite"], follow_up="without")
        requests_with = archive.recommendations(strengths=["request"], follow_up="with")
    assert to_testland and all("Testland" in r.countries for r in to_testland)
    # Addressed to Testland, shown with every Party it is addressed to; read from Testland's factsheet alone, not.
    assert any(len(r.countries) > 1 for r in to_testland)
    assert all(r.countries == ["Testland"] for r in only_testland)
    assert [r.rec_id for r in to_testland] == [r.rec_id for r in every if "Testland" in r.countries]
    assert invites_without and all(r.strength == "invite" and not r.follow_ups for r in invites_without)
    assert requests_with and all(r.strength == "request" and r.follow_ups for r in requests_with)
