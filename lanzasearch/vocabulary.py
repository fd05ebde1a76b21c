"""The search side's words: stop words, the everyday-word thesaurus and the stemmer of the query language.

The lexical index leaves stop words out of a query and adds thesaurus
synonyms; the interface marks the same words, and their inflections, in the
passages it shows. The words are the English profile's (``lang/en.py``):
people search in the interface's language, whatever the documents are written in.
"""

from __future__ import annotations

import re

from .lang import ENGLISH

QUERY_LANGUAGE = ENGLISH
STOPWORDS = QUERY_LANGUAGE.stopwords
THESAURUS = QUERY_LANGUAGE.thesaurus
MIN_STEM = QUERY_LANGUAGE.min_stem

_WORD = re.compile(r"\w+", re.UNICODE)


def stem(word: str) -> str:
    """The word without its inflection, by the query language's stemmer."""
    return QUERY_LANGUAGE.stem(word)


def query_stems(query: str) -> set[str]:
    """The stems to mark for a query: its words minus stop words, plus their thesaurus synonyms."""
    stems: set[str] = set()
    for word in _WORD.findall(query.lower()):
        if word in STOPWORDS:
            continue
        for term in (word, *THESAURUS.get(word, ())):
            stems.add(stem(term))
    return stems


def matches_stem(word: str, stems: set[str]) -> bool:
    """Whether a word of a passage is one of the query's words or an inflection of one."""
    word = word.lower()
    # Short stems ("age", "ict", "16") only match the same word; longer ones also their inflections.
    return any(word == s or (len(s) >= MIN_STEM and word.startswith(s)) for s in stems)
