"""Which factsheet a text is: its Party and monitoring round, and what its title page says.

The Party comes from the title line, in whichever form the Secretariat set it:
"FACTSHEET – NORWAY", "Factsheet - Norway", "FACTSHEET: NORWAY", "FACT SHEET –
TÜRKİYE (…)", "FACTSHEET" with the name on the next line, or a running header
"… – Factsheet Norway". The name is normalised against the list of Parties
(``lanzasearch.parties``); a name that is not a Party is kept, title-cased,
with a warning. The two-column "COUNCIL OF EUROPE | CONSEIL DE L'EUROPE" line
is never a country.

The round comes from the title page, then from the running header, and only
then from the Introduction (the round it names most often), so a sentence in
the body about an earlier round never decides it.

Staff can correct both: ``identity_override(country, round)`` checks what
they typed, and the parsers apply it over whatever was detected.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from .. import lang
from ..errors import IdentityError
from ..lang import DEFAULT, LanguageProfile
from ..parties import ELISIONS, SMALL_WORDS, canonical_party, display_country, title_case_name
from ..text import DASHES
from .source import Paragraph

# What sets the name apart from the word: a dash, a colon or a table's column bar.
TITLE_SEPARATOR = re.compile(rf"^\s*[:|{DASHES}]\s*")
# Where the name ends: a bracketed remark, a further separator ("Norway – 2nd round"), a tab.
NAME_END = re.compile(rf"\s*[(\[|:\t]|\s[{DASHES}]\s")
# The organisation's own two-column line on the title page, in either language.
COUNCIL_OF_EUROPE = re.compile(r"council\s*of\s*europe|conseil\s*de\s*l\W?\s*europe", re.IGNORECASE)
# A word of a name: letters with inner apostrophes, hyphens or a full stop ("St.").
NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’.-][^\W\d_]*)*$")
_ELIDED = {f"{letter}'" for letter in ELISIONS}  # "d'Ivoire"
NAME_MAX_WORDS = 6  # a name not in the Parties list, longer than this, is prose
PARTY_MAX_WORDS = 8  # "United Kingdom of Great Britain and Northern Ireland"

# The round's theme on the title page is the quoted report title, perhaps joined to the line
# after it ("… (CSGSIV)” 2nd monitoring round") when that line did not look like a title.
QUOTED = re.compile(r"^[“\"](?P<theme>.+)[”\"]")



@dataclass
class FrontMatter:
    """What the title page (and the running header) says about the factsheet."""

    country: str | None = None
    theme: str | None = None
    prepared: str | None = None
    updated: str | None = None
    round: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        title = f"Factsheet – {self.country}" if self.country else "Factsheet"
        return f"{title}: {self.theme}" if self.theme else title


@dataclass(frozen=True)
class Identity:
    """A Party and a round set by staff; ``None`` leaves the detected value."""

    country: str | None = None
    round: str | None = None

    def __bool__(self) -> bool:
        return self.country is not None or self.round is not None

    def as_dict(self) -> dict[str, str]:
        """The values set, by name: {"country": "Norway"}."""
        return {name: value for name, value in (("country", self.country), ("round", self.round)) if value}


# --- the Party ---------------------------------------------------------------------------


def _looks_like_name(words: list[str]) -> bool:
    """Words that can be a country's name: few, no digits, each capitalised unless a small word."""
    if not words or len(words) > NAME_MAX_WORDS or not all(NAME_WORD.match(word) for word in words):
        return False
    if all(not char.islower() for char in "".join(words)):
        return True  # in capitals: "REPUBLIC OF MINILAND"
    return all(
        word[:1].isupper() or word.lower() in SMALL_WORDS or word.lower().replace("’", "'")[:2] in _ELIDED
        for word in words
    ) and words[0][:1].isupper()


def name_in(candidate: str, *, set_apart: bool, profile: LanguageProfile = DEFAULT) -> str | None:
    """The country a title names in ``candidate``, the text after the word "factsheet".

    A Party is found at the start of the text even when more follows it ("Norway
    Lanzarote Committee …"). Any other name is only taken when a dash or colon
    set it apart from the word (``set_apart``), so "This factsheet was prepared
    by …" names nothing; its capitals are taken when capitals start the text.
    """
    for end in (NAME_END, profile.organisation_word):
        cut = end.search(candidate)
        candidate = candidate[: cut.start()] if cut else candidate
    words = candidate.split()
    for count in range(min(len(words), PARTY_MAX_WORDS), 0, -1):
        party = canonical_party(" ".join(words[:count]))
        if party:
            return party
    if not set_apart:
        return None
    capitals = []
    for word in words:
        if any(char.islower() for char in word):
            break
        capitals.append(word)
    if capitals and len(capitals) < len(words):
        words = capitals  # "NORWAY Lanzarote Committee Implementation Report on:"
    return title_case_name(" ".join(words)) if _looks_like_name(words) else None


def title_country(text: str, following: Iterable[str] = (), profile: LanguageProfile = DEFAULT) -> str | None:
    """The country named by a title line, or by the line after a title that is only "FACTSHEET"."""
    for word in profile.factsheet_word.finditer(text):
        rest = text[word.end() :]
        separator = TITLE_SEPARATOR.match(rest)
        rest = rest[separator.end() :] if separator else rest
        if rest.strip():
            country = name_in(rest, set_apart=bool(separator), profile=profile)
        else:  # the name is set on its own line below the word
            lines = [line for line in following if re.search(r"\w", COUNCIL_OF_EUROPE.sub("", line))]
            country = name_in(lines[0], set_apart=True, profile=profile) if lines else None
        if country:
            return country
    return None


def find_country(
    paragraphs: list[Paragraph], running_headers: Iterable[str] = (), profile: LanguageProfile = DEFAULT
) -> str | None:
    """Country from the first title line of ``paragraphs``, else from a running header."""
    texts = [paragraph.text for paragraph in paragraphs]
    for index, text in enumerate(texts):
        country = title_country(text, texts[index + 1 : index + 3], profile)
        if country:
            return country
    for header in running_headers:
        country = title_country(header, profile=profile)
        if country:
            return country
    return None


def names_a_factsheet(
    paragraphs: list[Paragraph], running_headers: Iterable[str] = (), profile: LanguageProfile = DEFAULT
) -> bool:
    """Whether a title line in ``paragraphs`` (the opening of a text) or a running header names a factsheet.

    A title naming a Party is enough. A title naming anything else ("FACTSHEET –
    CHILD PROTECTION", a thematic factsheet of another body) also needs the
    Lanzarote Committee named near it, as every country factsheet's title page does.
    """
    headers = list(running_headers)
    country = find_country(paragraphs, headers, profile)
    if country is None:
        return False
    return canonical_party(country) is not None or any(
        profile.author.search(text) for text in [*(p.text for p in paragraphs), *headers]
    )


# --- the round -------------------------------------------------------------------------------


def _round_of(match: re.Match, profile: LanguageProfile) -> int:
    if match["word"]:
        return profile.round_words[match["word"].lower()]
    return int(match["ordinal"] or match["number"])


def round_in(texts: Iterable[str], profile: LanguageProfile = DEFAULT) -> str | None:
    """The round first named in ``texts`` (title page lines, running headers)."""
    for text in texts:
        match = profile.round.search(text)
        if match and (number := _round_of(match, profile)):
            return str(number)
    return None


def round_most_named(texts: Iterable[str], profile: LanguageProfile = DEFAULT) -> str | None:
    """The round named most often in ``texts`` (an Introduction); a tie goes to the later round,
    since a factsheet looks back at earlier rounds, not ahead."""
    counts = Counter(_round_of(match, profile) for text in texts for match in profile.round.finditer(text))
    counts.pop(0, None)
    if not counts:
        return None
    return str(max(counts, key=lambda number: (counts[number], number)))


# --- the title page --------------------------------------------------------------------------


def read_front_matter(
    title_page: list[Paragraph],
    running_headers: Iterable[str] = (),
    introduction: list[Paragraph] = (),
    profile: LanguageProfile = DEFAULT,
) -> FrontMatter:
    """Country, round, theme and dates from the title page; the round from the running header or
    the Introduction when the title page does not name it."""
    headers = list(running_headers)
    meta = FrontMatter(country=find_country(title_page, headers, profile))
    for paragraph in title_page:
        theme = QUOTED.match(paragraph.text)
        if theme and meta.theme is None:
            meta.theme = theme["theme"].strip()
        prepared = profile.prepared.search(paragraph.text)
        if prepared and meta.prepared is None:
            meta.prepared = prepared["date"]
        updated = profile.updated.search(paragraph.text)
        if updated and meta.updated is None:
            meta.updated = updated["date"]
    meta.round = (
        round_in((p.text for p in title_page), profile)
        or round_in(headers, profile)
        or round_most_named((p.text for p in introduction), profile)
    )
    meta.warnings = identity_warnings(meta.country, meta.round)
    return meta


def identity_warnings(country: str | None, round: str | None, *, needs_round: bool = True) -> list[str]:
    """What staff should check about a document's identity: a name that is not a Party; no round,
    when the document should have one (a factsheet)."""
    warnings = []
    if country and canonical_party(country) is None:
        warnings.append(
            f"'{country}' is not a Party to the Lanzarote Convention: check the name's spelling "
            "(on the title page, or as typed), or set the country explicitly"
        )
    if round is None and needs_round:
        warnings.append(
            "no monitoring round on the title page, running header or Introduction: set the round explicitly"
        )
    return warnings


# --- overrides -------------------------------------------------------------------------------


@cache
def _round_override(profile: LanguageProfile) -> re.Pattern:
    """What staff may type as a round in the profile's language: "2", "2nd", "second", "Round 2"."""
    return re.compile(
        rf"^(?:{profile.round.pattern}|(?P<bare>\d{{1,2}})(?:\s?(?:{profile.ordinal_suffix}))?"
        rf"|(?P<bare_word>{'|'.join(profile.round_words)}))$",
        re.IGNORECASE,
    )


def round_number(text: str) -> str | None:
    """A round as staff may type it ("2", "2nd", "second", "Round 2"), in any registered language,
    as its number "2"; None if it is not one."""
    for profile in lang.PROFILES:
        match = _round_override(profile).match(" ".join(text.split()))
        if not match:
            continue
        if match["bare_word"]:
            return str(profile.round_words[match["bare_word"].lower()])
        number = int(match["bare"]) if match["bare"] else _round_of(match, profile)
        return str(number) if number else None
    return None


def identity_override(country: str | None = None, round: str | int | None = None) -> Identity:
    """Check a country and a round typed by staff; the country canonicalised through the Parties list.

    Raises IdentityError, saying what to write, for an empty or malformed name or
    a round that is not a number of a monitoring round.
    """
    if country is not None:
        shown = " ".join(str(country).split())
        if not shown:
            raise IdentityError("the country is empty: give the Party's name, e.g. Norway")
        words = shown.split()
        name_like = len(words) <= PARTY_MAX_WORDS and all(NAME_WORD.match(word) for word in words)
        if not canonical_party(shown) and not name_like:
            raise IdentityError(f"country {shown!r} is not a country's name: give the Party's name, e.g. Norway")
        country = display_country(shown)
    if round is not None:
        number = round_number(str(round))
        if number is None:
            raise IdentityError(f"round {str(round)!r} is not a monitoring round: give its number, e.g. 2")
        round = number
    return Identity(country=country, round=round)
