"""Query understanding: what a question names that the archive knows by structure."""

from __future__ import annotations

import pytest

from lanzasearch.understanding import Understander

UNDERSTANDER = Understander(["Norway", "Testland", "Exampleland"])


def parts(query: str) -> list[str]:
    return [p.key for p in UNDERSTANDER.understand(query).parts]


@pytest.mark.parametrize("query, expected", [
    ("II-6", ["recommendation:II-6"]),
    ("Rec. II-6", ["recommendation:II-6"]),
    ("recommendation II 6", ["recommendation:II-6"]),
    ("Recommendation No. II-6", ["recommendation:II-6"]),
    ("recommendations II-3 to II-5", ["recommendation:II-3", "recommendation:II-4", "recommendation:II-5"]),
    ("Recs. V-4, V-7", ["recommendation:V-4", "recommendation:V-7"]),
    ("follow-up to X-7", ["recommendation:X-7", "kind:follow_up"]),
])
def test_recommendation_ids_in_every_form_the_factsheets_use(query, expected):
    assert parts(query) == expected


@pytest.mark.parametrize("query, expected", [
    ("Article 23", ["article:23"]),
    ("article 23", ["article:23"]),
    ("Art. 25(1)(e)", ["article:25"]),
    ("Article 20(2) and Article 25", ["article:20", "article:25"]),
    ("Articles 18 to 20", ["article:18", "article:19", "article:20"]),
])
def test_articles_with_their_paragraphs_and_lists(query, expected):
    assert parts(query) == expected


@pytest.mark.parametrize("query, expected", [
    ("section VII", ["section:VII"]),
    ("in education for children", ["section:IX"]),
    ("follow-up actions in international cooperation", ["section:V", "kind:follow_up"]),
    ("Section 5 of the Penal Code", []),  # a law's section, not a factsheet's: no numeral of the report
])
def test_sections_by_numeral_or_by_title(query, expected):
    assert parts(query) == expected


@pytest.mark.parametrize("query, kind", [
    ("follow-up", "follow_up"),
    ("Follow-up actions", "follow_up"),
    ("what did Testland report", "follow_up"),
    ("what has Norway done", "follow_up"),
    ("what Exampleland did", "follow_up"),
    ("promising practices involving parents", "promising_practice"),
    ("orange box for II-9", "follow_up"),
    ("Norway's reply on III-16", "follow_up"),
    ("blue boxes on online games", "promising_practice"),
    ("generic recommendation on helplines", "generic_recommendation"),
    ("what the Committee observed about research", "observation"),
    ("observations", "observation"),
    ("the recommendations on training", "recommendation"),
])
def test_kinds_by_name_and_by_phrasing(query, kind):
    assert f"kind:{kind}" in parts(query)


def test_a_response_in_the_ordinary_sense_is_no_kind():
    assert not [p for p in parts("legal response to written sexual texts made by children") if p.startswith("kind:")]


def test_a_recommendation_named_by_id_is_not_also_the_kind_recommendation():
    assert parts("recommendation III-3") == ["recommendation:III-3"]
    assert parts("generic recommendation VI-2") == ["recommendation:VI-2", "kind:generic_recommendation"]


@pytest.mark.parametrize("query, strength", [
    ("what the Committee requires of Norway", "require"),
    ("requests to Norway", "request"),
    ("invitation to step up awareness-raising", "invite"),
    ("Parties are invited to", "invite"),
])
def test_strengths(query, strength):
    assert f"strength:{strength}" in parts(query)


@pytest.mark.parametrize("query, party", [
    ("Norway", "Norway"),
    ("norwegian follow-up", "Norway"),
    ("what did Norway report on III-3", "Norway"),
    ("Norway's school curriculum", "Norway"),
    ("Kingdom of Norway", "Norway"),
    ("Turkish legislation", "Türkiye"),  # a Party not in this archive is still a Party
    ("Testland", "Testland"),  # a country of the archive that is not on the Parties list
])
def test_parties_by_name_adjective_and_other_names(query, party):
    assert f"party:{party}" in parts(query)


def test_what_is_recognised_leaves_the_rest_of_the_words():
    understood = UNDERSTANDER.understand("What did Norway report on recommendation III-3?")
    assert understood.label == "Recommendation III-3 · Follow-up actions · Norway"
    assert "III" not in understood.rest and "Norway" not in understood.rest
    understood = UNDERSTANDER.understand("promising practice on sexual harassment in sports")
    assert understood.rest == "on sexual harassment in sports"


def test_a_question_without_anything_to_recognise_is_left_as_it_is():
    understood = UNDERSTANDER.understand("recipe for chocolate cake")
    assert understood.parts == [] and understood.rest == "recipe for chocolate cake"
    assert parts("covid-19 and civil-1 are not ids") == []


def test_a_part_left_out_is_neither_interpreted_nor_searched():
    understood = UNDERSTANDER.understand("III-3 Norway follow-up", ignore=["party:Norway"])
    assert [p.key for p in understood.parts] == ["recommendation:III-3", "kind:follow_up"]
    assert (understood.rest, understood.searched) == ("", "III-3 follow-up")
    whole = UNDERSTANDER.understand("III-3", ignore=["party:Norway"])  # nothing to leave out
    assert whole.searched == "III-3" and whole.parts
