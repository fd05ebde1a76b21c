"""What a language profile holds: the words of one language that the parsers and the search side rely on."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class LanguageProfile:
    """The words of one language, for the parsers and for search. See ``en.py`` for what each one holds.

    Patterns are compiled with the flags their language needs; those matched at a
    paragraph's start say so (``^``). Compared (and hashed) by identity, so the
    parsers can cache what they build from a profile.
    """

    code: str  # ISO 639-1: "en"
    name: str  # "English"
    markers: frozenset[str]  # lowercase words common in this language's factsheets and rare in others

    # -- a factsheet's structure (factsheet.py)
    strengths: Mapping[str, str]  # lead-in verb, lowercase → grade: "requests" → "request"
    strength_verb: re.Pattern  # the Committee grading a recommendation; group "verb" is a key of strengths
    committee_voice: re.Pattern  # the Committee speaking, in the lead clause of a paragraph
    to_all_parties: re.Pattern  # a recommendation addressed to Parties in general
    committee_heading: re.Pattern  # a heading in the Committee's voice ("Observations of the Committee …")
    generic_heading: re.Pattern  # a heading over generic recommendations
    follow_up_title: re.Pattern  # the title of a follow-up box, matched on the whole paragraph
    practice_title: re.Pattern  # the title of a promising-practice box, matched on the whole paragraph

    # -- citations in footnotes and text (references.py)
    recommendation_word: re.Pattern  # the word a list of recommendation ids follows ("Recommendations", "Rec.")
    paragraph_word: str  # regex source: the word a list of report paragraphs follows ("Para.")
    article_word: str  # regex source: the word a list of articles follows ("Article", "Art.")
    and_word: str  # regex source: joins the last item of a list ("and")
    or_word: str  # regex source: "or"
    to_word: str  # regex source: joins the ends of a range ("II-3 to II-5")
    other_instrument: re.Pattern  # after an article number: it belongs to another instrument than the Convention

    # -- the title page (identity.py)
    factsheet_word: re.Pattern  # "FACTSHEET", "Fact sheet"
    author: re.Pattern  # the author every country factsheet names: "Lanzarote Committee"
    organisation_word: re.Pattern  # words of the organisation, never part of a country's name
    prepared: re.Pattern  # when the factsheet was prepared ("… in March 2023"); group "date"
    updated: re.Pattern  # when it was updated; group "date"
    round_words: Mapping[str, int]  # ordinal words, lowercase: "second" → 2
    ordinal_suffix: str  # regex source: what follows a number to make it an ordinal ("2nd")
    round: re.Pattern  # a monitoring round named in text; groups "ordinal", "word" (a round_words key), "number"

    # -- text repair (repair.py)
    dangling_words: frozenset[str]  # lowercase words that end no sentence and no title: "of", "the"

    # -- search (vocabulary.py, lexical.py)
    stopwords: frozenset[str]
    thesaurus: Mapping[str, tuple[str, ...]]  # an everyday word → the documents' words for it
    stem: Callable[[str], str]  # a lowercase word without its inflection
    min_stem: int  # a stem this long also marks longer words that start with it


def suffix_stemmer(suffixes: tuple[str, ...], min_stem: int) -> Callable[[str], str]:
    """A stemmer that cuts a word's first matching suffix of ``suffixes``, keeping at least ``min_stem`` letters."""

    def stem(word: str) -> str:
        for suffix in suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
                return word[: -len(suffix)]
        return word

    return stem
