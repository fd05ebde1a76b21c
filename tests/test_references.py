"""Citation helpers: recommendation ids, report paragraphs, Convention articles."""

import pytest

from lanzasearch.parsing.references import article_refs, para_refs, rec_ids, roman_to_int


@pytest.mark.parametrize(
    "footnote, expected",
    [
        ("Recommendation II-6.", ["II-6"]),
        ("Recommendations V-4, V-7, V-12, V-15.", ["V-4", "V-7", "V-12", "V-15"]),
        ("Recommendations III-15 and III-16", ["III-15", "III-16"]),
        ("Recommendation X-5, X-6.", ["X-5", "X-6"]),
        ("Recommendations VIII-6.", ["VIII-6"]),
        ("Recommendations III-16 and III-3", ["III-3", "III-16"]),  # report order, not text order
        ("Rec. XI-4", ["XI-4"]),
        ("Recommendation II – 9", ["II-9"]),  # a dash with spaces, as PDFs sometimes print it
    ],
)
def test_recommendation_ids_from_footnotes(footnote, expected):
    assert rec_ids(footnote) == expected


@pytest.mark.parametrize(
    "footnote, expected",
    [
        ("Recommendations II-3 to II-5", ["II-3", "II-4", "II-5"]),
        ("Recommendations II-3–II-5.", ["II-3", "II-4", "II-5"]),
        ("Recommendations II-3 - 5", ["II-3", "II-4", "II-5"]),
        ("Recommendations II-3 to 5 and III-1", ["II-3", "II-4", "II-5", "III-1"]),
        ("Recommendations II-9 to III-2", ["II-9", "III-2"]),  # across chapters: only the ends are known
        ("Recommendations II-3 to II-300", ["II-3", "II-300"]),  # a typo, not 298 recommendations
        ("Recs. V-4, V-7", ["V-4", "V-7"]),
        ("Rec II-6", ["II-6"]),
        ("Recomm. II-6", ["II-6"]),
        ("Recommendation No. II-6", ["II-6"]),
        ("Recommendations Nos. III-15 and III-16", ["III-15", "III-16"]),
        ("Recommendations II-3, II-4, and II-6", ["II-3", "II-4", "II-6"]),
        ("Recommendations II-3 & II-4; see also Recommendation V-2", ["II-3", "II-4", "V-2"]),
        ("Recommendation II‑6", ["II-6"]),  # a non-breaking hyphen
    ],
)
def test_ranges_and_short_forms_of_recommendation_lists(footnote, expected):
    assert rec_ids(footnote) == expected


@pytest.mark.parametrize(
    "footnote, expected",
    [
        ("Recommendation II-6, adopted at the 41st meeting (13-15 February 2024).", ["II-6"]),
        ("Recommendation II-6. See form IV-2019 and Annex IV-3.", ["II-6"]),
        ("Recommendation IV-2019", []),
        ("Recommendations made at the meeting of 13-15 February 2024", []),
        ("Recommendation II-6 of the report, chapter III-2", ["II-6"]),
    ],
)
def test_ids_come_only_from_the_list_right_after_the_word(footnote, expected):
    assert rec_ids(footnote) == expected


@pytest.mark.parametrize("text", ["Para. 43.", "See page IV-9 of https://example.org/II-6", "Chapter III-2 review"])
def test_ids_need_the_word_recommendation(text):
    assert rec_ids(text) == []


def test_duplicate_recommendation_ids_are_merged():
    assert rec_ids("Recommendation II-6; see also Recommendation II-6.") == ["II-6"]


@pytest.mark.parametrize(
    "footnote, expected",
    [
        ("Para. 43.", ["43"]),
        ("Paras. 78, 82.", ["78", "82"]),
        ("Paras 71-73", ["71", "72", "73"]),
        ("Para.236.", ["236"]),
        ("Para. 453, 454.", ["453", "454"]),
        ("Para. 135", ["135"]),
        ("Paras. 320 and 321", ["320", "321"]),
        ("Recommendation II-6.", []),
        ("A survey conducted bi-annually.", []),
    ],
)
def test_report_paragraphs(footnote, expected):
    assert para_refs(footnote) == expected


def test_huge_paragraph_ranges_are_not_expanded():
    assert para_refs("Paras 1-400") == ["1", "400"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the territoriality principle (Article 25(1)(a-c))", ["25"]),
        ("as “child pornography” in accordance with Article 20(2) Lanzarote Convention.", ["20"]),
        ("The Articles 5, 6 and 8 of the Convention establish", ["5", "6", "8"]),
        ("the passive personality principle (Art. 25(2))", ["25"]),
        ("as requested by Article 25(1)(e) of the Convention", ["25"]),
        ("Article 25(6) and Article 20(2)", ["20", "25"]),
        ("Articles 18 to 23 of this Convention", ["18", "19", "20", "21", "22", "23"]),
        ("Article 25(4) and Article 25(6)", ["25"]),
        ("Articles 10, 9 and 10", ["9", "10"]),  # numeric order, not string order
    ],
)
def test_convention_articles(text, expected):
    assert article_refs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Article 9 of the Budapest Convention",
        "the Convention on Cybercrime (ETS No. 185), especially Article 9 thereof",
        "Article 34 of the UN Convention on the Rights of the Child",
        "no article cited here, only section 311 and NOK 30 million",
    ],
)
def test_other_instruments_and_plain_numbers_are_not_articles(text):
    assert article_refs(text) == []


def test_roman_numerals():
    assert [roman_to_int(n) for n in ("I", "IV", "VIII", "IX", "XI", "XL")] == [1, 4, 8, 9, 11, 40]
    assert roman_to_int("ABC") == 0
