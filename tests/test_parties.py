"""The Parties to the Lanzarote Convention: one name per Party, whatever name a document uses."""

import pytest

from lanzasearch.parties import (
    PARTIES,
    canonical_party,
    display_country,
    party_adjectives,
    party_of_adjective,
    title_case_name,
)


def test_the_list_holds_the_council_of_europe_member_states_and_tunisia():
    names = [party.name for party in PARTIES]
    assert len(names) == len(set(names)) == 47  # 46 member states, all of which ratified, and Tunisia
    assert {"Norway", "Türkiye", "North Macedonia", "Republic of Moldova", "Tunisia", "San Marino"} <= set(names)
    assert "Russian Federation" not in names  # no longer a member state


@pytest.mark.parametrize(
    "written, party",
    [
        ("Norway", "Norway"),
        ("NORWAY", "Norway"),
        ("Norvège", "Norway"),
        ("TÜRKİYE", "Türkiye"),  # a dotted capital I: "İ".lower() leaves a combining dot behind
        ("Türkiye", "Türkiye"),
        ("Turkiye", "Türkiye"),
        ("Turkey", "Türkiye"),
        ("Turquie", "Türkiye"),
        ("North Macedonia", "North Macedonia"),
        ("The former Yugoslav Republic of Macedonia", "North Macedonia"),
        ("“the former Yugoslav Republic of Macedonia”", "North Macedonia"),
        ("Macédoine du Nord", "North Macedonia"),
        ("Republic of Moldova", "Republic of Moldova"),
        ("Moldova", "Republic of Moldova"),
        ("REPUBLIC OF MOLDOVA", "Republic of Moldova"),
        ("Czechia", "Czech Republic"),
        ("Czech Republic", "Czech Republic"),
        ("Slovakia", "Slovak Republic"),
        ("Netherlands", "Netherlands"),
        ("The Netherlands", "Netherlands"),
        ("THE NETHERLANDS", "Netherlands"),
        ("Pays-Bas", "Netherlands"),
        ("Bosnia and Herzegovina", "Bosnia and Herzegovina"),
        ("BOSNIA AND HERZEGOVINA", "Bosnia and Herzegovina"),
        ("Bosnia-Herzegovina", "Bosnia and Herzegovina"),
        ("Bosnie-Herzégovine", "Bosnia and Herzegovina"),
        ("San Marino", "San Marino"),
        ("Saint-Marin", "San Marino"),
        ("United Kingdom of Great Britain and Northern Ireland", "United Kingdom"),
        ("Tunisie", "Tunisia"),
        ("  norway  ", "Norway"),
    ],
)
def test_every_name_of_a_party_gives_its_one_name(written, party):
    assert canonical_party(written) == party


@pytest.mark.parametrize("written", ["Atlantis", "Côte d'Ivoire", "Council of Europe", "Europe", "", "Norwegian"])
def test_names_that_are_not_parties_give_none(written):
    assert canonical_party(written) is None


def test_each_party_has_adjectives_for_the_search_box():
    adjectives = party_adjectives()
    assert all(party.adjectives for party in PARTIES)
    assert adjectives["Norwegian"] == "Norway"
    assert adjectives["Turkish"] == "Türkiye"
    assert adjectives["Moldovan"] == "Republic of Moldova"
    assert adjectives["Dutch"] == "Netherlands"
    assert adjectives["Monégasque"] == "Monaco"


@pytest.mark.parametrize(
    "word, party", [("norwegian", "Norway"), ("TURKISH", "Türkiye"), ("Monegasque", "Monaco"), ("Norway", None)]
)
def test_an_adjective_in_any_case_or_accent_names_its_party(word, party):
    assert party_of_adjective(word) == party


@pytest.mark.parametrize(
    "written, shown",
    [
        ("CÔTE D'IVOIRE", "Côte d'Ivoire"),
        ("CÔTE D’IVOIRE", "Côte d'Ivoire"),  # one apostrophe, whatever the keyboard typed
        ("Côte d’Ivoire", "Côte d'Ivoire"),
        ("REPUBLIC OF MINILAND", "Republic of Miniland"),
        ("GUINEA-BISSAU", "Guinea-Bissau"),
        ("İSTANBULIA", "Istanbulia"),  # no combining dot left over from the dotted capital I
        ("Kingdom of Atlantis", "Kingdom of Atlantis"),  # mixed case is kept as written
    ],
)
def test_names_in_capitals_are_title_cased_as_names_are_written(written, shown):
    assert title_case_name(written) == shown


def test_a_country_is_shown_by_its_party_name_or_title_cased():
    assert display_country("TÜRKİYE") == "Türkiye"
    assert display_country("THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA") == "North Macedonia"
    assert display_country("ATLANTIS") == "Atlantis"
