"""The Parties to the Lanzarote Convention: their names as the Council of Europe writes them.

A factsheet's title may name its Party in capitals ("TÜRKİYE"), by a former
name ("The former Yugoslav Republic of Macedonia"), in French ("Norvège") or
by a long form ("Kingdom of the Netherlands"); every one of them means one
Party, and the archive stores that Party under one name:

    canonical_party("TÜRKİYE") == canonical_party("Turkey") == "Türkiye"
    canonical_party("Atlantis") is None          # not a Party: the caller warns
    display_country("CÔTE D'IVOIRE") == "Côte d'Ivoire"
    party_of_adjective("Norwegian") == "Norway"

The table holds the Council of Europe's 46 member states, which have all
ratified the Convention, and Tunisia, the first Party from outside.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from .text import DASHES


@dataclass(frozen=True)
class Party:
    """One Party: its name, the adjectives that refer to it, and every other name it goes by."""

    name: str  # as the Council of Europe writes it: "Republic of Moldova", "Türkiye"
    adjectives: tuple[str, ...]  # "Moldovan"; the first is the usual one
    other_names: tuple[str, ...] = ()  # alternative, former, long and French names


PARTIES: tuple[Party, ...] = (
    Party("Albania", ("Albanian",), ("Republic of Albania", "Albanie")),
    Party("Andorra", ("Andorran",), ("Principality of Andorra", "Andorre")),
    Party("Armenia", ("Armenian",), ("Republic of Armenia", "Arménie")),
    Party("Austria", ("Austrian",), ("Republic of Austria", "Autriche")),
    Party("Azerbaijan", ("Azerbaijani",), ("Republic of Azerbaijan", "Azerbaïdjan")),
    Party("Belgium", ("Belgian",), ("Kingdom of Belgium", "Belgique")),
    Party(
        "Bosnia and Herzegovina",
        ("Bosnian", "Bosnian and Herzegovinian", "Herzegovinian"),
        ("Bosnia-Herzegovina", "Bosnie-Herzégovine"),
    ),
    Party("Bulgaria", ("Bulgarian",), ("Republic of Bulgaria", "Bulgarie")),
    Party("Croatia", ("Croatian",), ("Republic of Croatia", "Croatie")),
    Party("Cyprus", ("Cypriot",), ("Republic of Cyprus", "Chypre")),
    Party("Czech Republic", ("Czech",), ("Czechia", "République tchèque", "Tchéquie")),
    Party("Denmark", ("Danish",), ("Kingdom of Denmark", "Danemark")),
    Party("Estonia", ("Estonian",), ("Republic of Estonia", "Estonie")),
    Party("Finland", ("Finnish",), ("Republic of Finland", "Finlande")),
    Party("France", ("French",), ("French Republic", "République française")),
    Party("Georgia", ("Georgian",), ("Géorgie",)),
    Party("Germany", ("German",), ("Federal Republic of Germany", "Allemagne")),
    Party("Greece", ("Greek", "Hellenic"), ("Hellenic Republic", "Grèce")),
    Party("Hungary", ("Hungarian",), ("Hongrie",)),
    Party("Iceland", ("Icelandic",), ("Islande",)),
    Party("Ireland", ("Irish",), ("Irlande",)),
    Party("Italy", ("Italian",), ("Italian Republic", "Italie")),
    Party("Latvia", ("Latvian",), ("Republic of Latvia", "Lettonie")),
    Party("Liechtenstein", ("Liechtenstein", "Liechtensteiner"), ("Principality of Liechtenstein",)),
    Party("Lithuania", ("Lithuanian",), ("Republic of Lithuania", "Lituanie")),
    Party("Luxembourg", ("Luxembourgish", "Luxembourger"), ("Grand Duchy of Luxembourg", "Grand-Duché de Luxembourg")),
    Party("Malta", ("Maltese",), ("Republic of Malta", "Malte")),
    Party("Republic of Moldova", ("Moldovan",), ("Moldova", "Moldavie", "République de Moldova")),
    Party("Monaco", ("Monegasque", "Monégasque"), ("Principality of Monaco", "Principauté de Monaco")),
    Party("Montenegro", ("Montenegrin",), ("Monténégro",)),
    Party("Netherlands", ("Dutch",), ("Kingdom of the Netherlands", "Pays-Bas")),
    Party(
        "North Macedonia",
        ("North Macedonian", "Macedonian"),
        (
            "Republic of North Macedonia",
            "The former Yugoslav Republic of Macedonia",
            "Macedonia",
            "Macédoine du Nord",
            "L'ex-République yougoslave de Macédoine",
        ),
    ),
    Party("Norway", ("Norwegian",), ("Kingdom of Norway", "Norvège")),
    Party("Poland", ("Polish",), ("Republic of Poland", "Pologne")),
    Party("Portugal", ("Portuguese",), ("Portuguese Republic",)),
    Party("Romania", ("Romanian",), ("Roumanie",)),
    Party("San Marino", ("Sammarinese",), ("Republic of San Marino", "Saint-Marin")),
    Party("Serbia", ("Serbian",), ("Republic of Serbia", "Serbie")),
    Party("Slovak Republic", ("Slovak", "Slovakian"), ("Slovakia", "République slovaque", "Slovaquie")),
    Party("Slovenia", ("Slovenian", "Slovene"), ("Republic of Slovenia", "Slovénie")),
    Party("Spain", ("Spanish",), ("Kingdom of Spain", "Espagne")),
    Party("Sweden", ("Swedish",), ("Kingdom of Sweden", "Suède")),
    Party("Switzerland", ("Swiss",), ("Swiss Confederation", "Suisse")),
    Party("Türkiye", ("Turkish",), ("Turkey", "Republic of Türkiye", "Republic of Turkey", "Turquie")),
    Party("Ukraine", ("Ukrainian",)),
    Party(
        "United Kingdom",
        ("British",),
        ("United Kingdom of Great Britain and Northern Ireland", "UK", "Great Britain", "Royaume-Uni"),
    ),
    Party("Tunisia", ("Tunisian",), ("Republic of Tunisia", "Tunisie")),
)

# Everything that may differ between two spellings of one name: case, accents,
# the kind of apostrophe or dash, spacing, a leading article.
_APOSTROPHES = re.compile(r"[’‘ʼ`´]")
_DASHES = re.compile(f"[{DASHES}]")
_LEADING_ARTICLE = re.compile(r"^the\s+")
# Words kept lowercase inside a name: "Bosnia and Herzegovina", "Republic of Moldova",
# "Grand-Duché de Luxembourg"; "d'" and "l'" before a capital: "Côte d'Ivoire".
SMALL_WORDS = frozenset({"and", "of", "the", "de", "du", "des", "la", "le", "et"})
ELISIONS = frozenset({"d", "l"})


def party_key(name: str) -> str:
    """``name`` reduced to what identifies it: "TÜRKİYE", "Turkiye" and "türkiye" give "turkiye"."""
    decomposed = unicodedata.normalize("NFKD", name)
    # Dropping combining marks also drops the dot that "İ".lower() leaves behind.
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = _DASHES.sub(" ", _APOSTROPHES.sub("'", plain)).casefold()
    plain = " ".join(plain.strip(" .,:;\"“”").split())
    return _LEADING_ARTICLE.sub("", plain)


@cache
def _names() -> dict[str, str]:
    return {party_key(name): party.name for party in PARTIES for name in (party.name, *party.other_names)}


@cache
def _adjectives() -> dict[str, str]:
    return {party_key(adjective): party.name for party in PARTIES for adjective in party.adjectives}


def canonical_party(name: str) -> str | None:
    """The Party's name as the archive stores it, for any of its names; None when ``name`` is not a Party."""
    return _names().get(party_key(name))


def party_adjectives() -> dict[str, str]:
    """Every adjective that refers to a Party, mapped to the Party's name: {"Norwegian": "Norway", …}."""
    return {adjective: party.name for party in PARTIES for adjective in party.adjectives}


def party_of_adjective(word: str) -> str | None:
    """The Party an adjective refers to, in any case or accent: "norwegian" → "Norway"; None otherwise."""
    return _adjectives().get(party_key(word))


def _lower(text: str) -> str:
    # "İ".lower() is "i" plus a combining dot; in a name it is simply "i".
    return text.replace("İ", "i").lower()


def _title_word(word: str, first: bool) -> str:
    """One word of a name in capitals, title-cased: "HERZEGOVINA", "GUINEA-BISSAU", "D'IVOIRE"."""
    lower = _lower(word)
    if not first and lower in SMALL_WORDS:
        return lower
    head, apostrophe, tail = lower.partition("'")
    if apostrophe and head in ELISIONS and tail:
        return f"{head if not first else head.upper()}'{tail[:1].upper()}{tail[1:]}"
    return "-".join(part[:1].upper() + part[1:] for part in lower.split("-"))


def title_case_name(name: str) -> str:
    """A name written in capitals as a name is written: "BOSNIA AND HERZEGOVINA" → "Bosnia and Herzegovina".

    A name already in mixed case is kept as written.
    """
    words = _APOSTROPHES.sub("'", name).split()
    if any(char.islower() for char in name):
        return " ".join(words)
    return " ".join(_title_word(word, index == 0) for index, word in enumerate(words))


def display_country(name: str) -> str:
    """The name to store for a country: the Party's own name if it is one, else ``name`` title-cased."""
    return canonical_party(name) or title_case_name(name)
