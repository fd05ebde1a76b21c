"""The tracker's views of the recommendations: empty boxes, a Party's profile, the recommendation × Party matrix."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, NORWAY_MD
from lanzasearch import Archive, UnknownFilterError
from lanzasearch.parsing import parse_file

TESTLAND_MD = FIXTURES / "factsheet-testland.md"


@pytest.fixture(scope="module")
def multi(multi_index, embedder):
    with Archive.open(multi_index, embedder=embedder) as archive:
        yield archive


# -- empty boxes ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [TESTLAND_MD, FIXTURES / "factsheet-testland-word.pdf"], ids=lambda p: p.suffix)
def test_an_empty_follow_up_box_is_recorded_with_its_recommendation_and_is_no_passage(path):
    doc = parse_file(path)
    follow_ups = [(box.section, box.rec_ids) for box in doc.empty_boxes if box.kind == "follow_up"]
    assert follow_ups == [("X", ["X-5"])]
    # Its empty practice boxes are recorded too, and no block stands for any empty box.
    assert [box.section for box in doc.empty_boxes if box.kind == "promising_practice"] == ["II", "X"]
    assert not [b for b in doc.blocks if b.kind.value == "follow_up" and "X-5" in b.rec_ids]


def test_the_norway_factsheet_left_the_box_under_x5_and_x6_empty():
    doc = parse_file(NORWAY_MD)
    assert [box.rec_ids for box in doc.empty_boxes if box.kind == "follow_up"] == [["X-5", "X-6"]]
    assert {box.section for box in doc.empty_boxes if box.kind == "promising_practice"} == {"III", "IV", "VI", "XI"}


# -- profile ---------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["Norway", "Testland", "Exampleland"])
def test_profile_counts_equal_the_recommendation_list(multi, country):
    profile = multi.profile(country)
    recs = multi.recommendations(country=country)
    assert [r.rec_id for r in profile.recommendations] == [r.rec_id for r in recs]
    assert sum(profile.status_counts().values()) == len(recs)
    assert sum(sum(row.values()) for row in profile.by_section_and_strength().values()) == len(recs)
    assert sum(sum(row.values()) for row in profile.by_section_and_status().values()) == len(recs)
    for section, row in profile.by_section_and_strength().items():
        assert row == {s: sum(r.section == section and r.strength == s for r in recs) for s in row}
    with_content = {r.rec_id for r in recs if any(f.country == country for f in r.follow_ups)}
    assert {rec_id for rec_id, s in profile.statuses.items() if s == "follow_up"} == with_content


def test_profile_of_testland_says_which_boxes_it_filled_left_empty_or_never_had(multi):
    profile = multi.profile("testland")  # a Party's name in any case
    assert profile.country == "Testland" and profile.rounds == ["2"]
    assert [d.doc_id for d in profile.documents] == ["factsheet-testland-r2"]
    assert profile.statuses["II-6"] == "follow_up" and profile.statuses["III-30"] == "follow_up"
    assert profile.statuses["X-5"] == "empty_box"
    assert profile.statuses["II-1"] == "no_box"  # a generic recommendation with no box of Testland's
    assert profile.status_counts() == {"follow_up": 2, "empty_box": 1, "no_box": 3}
    assert [h.kind for h in profile.practices] == ["promising_practice"]
    assert "Peer Guides" in profile.practices[0].text


def test_profile_lists_the_convention_articles_a_party_is_cited_for_most(multi):
    articles = dict(multi.profile("Norway").articles)
    assert articles and max(articles.values()) == articles["25"]


def test_profile_of_an_unknown_party_names_the_known_ones(multi):
    with pytest.raises(UnknownFilterError, match="Atlantis.*Norway"):
        multi.profile("Atlantis")


# -- matrix ----------------------------------------------------------------------------------


def test_matrix_rows_are_recommendations_and_columns_the_parties(multi):
    matrix = multi.matrix()
    assert matrix.countries == ["Exampleland", "Norway", "Testland"]
    assert [r.rec_id for r in matrix.rows] == [r.rec_id for r in multi.recommendations()]
    assert all(set(row.cells) == set(matrix.countries) for row in matrix.rows)


def test_matrix_marks_what_each_party_reported(multi):
    rows = {row.rec_id: row for row in multi.matrix().rows}
    ii6 = rows["II-6"].cells
    assert ii6["Norway"].status == "follow_up" and ii6["Norway"].label == "follow-up reported"
    assert "Penal Code section 311" in ii6["Norway"].text
    assert ii6["Testland"].status == "follow_up" and "section 204" in ii6["Testland"].text
    assert ii6["Exampleland"].status == "empty_box" and not ii6["Exampleland"].text
    x5 = rows["X-5"].cells
    assert x5["Testland"].status == "empty_box"
    assert x5["Norway"].status == "no_box"  # addressed to Norway, and its factsheet (the PDF) has no box for it
    assert x5["Exampleland"].status == "not_addressed"
    assert rows["II-1"].cells["Norway"].status == "generic"


def test_matrix_filters_by_section_strength_and_status(multi):
    assert {r.section for r in multi.matrix(sections=["X"]).rows} == {"X"}
    assert {r.strength for r in multi.matrix(strengths=["require"]).rows} == {"require"}
    empty = multi.matrix(statuses=["box left empty"])
    assert {r.rec_id for r in empty.rows} == {"II-6", "X-5"}
    assert multi.matrix(countries=["Norway"]).countries == ["Norway"]
    with pytest.raises(UnknownFilterError, match="unknown status 'done'.*follow_up"):
        multi.matrix(statuses=["done"])
