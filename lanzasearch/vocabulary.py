"""The search side's English vocabulary: stop words, the everyday-word thesaurus, a light stemmer.

The lexical index leaves stop words out of a query and adds thesaurus
synonyms; the interface marks the same words, and their inflections, in the
passages it shows. Parser vocabulary (strength verbs, box titles, month
names) stays with the parsers.
"""

from __future__ import annotations

import re

# Words too common to be worth a lexical match; they only slow the lexical index down.
STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have how i if in into is it
    its may might must no not of on or our shall should so such than that the their them then there these
    they this those to was we were what when where which while who whom why will with would you your about
    any all also other""".split()
)

# Everyday words a researcher types against the factsheets' vocabulary. Only
# the lexical side uses it; the model already knows most of these pairs.
THESAURUS = {
    "kid": ("child", "children"),
    "kids": ("child", "children"),
    "teen": ("child", "adolescent"),
    "teens": ("children", "adolescents"),
    "teenager": ("child", "adolescent"),
    "teenagers": ("children", "adolescents"),
    "youngster": ("child",),
    "youngsters": ("children",),
    "minor": ("child",),
    "minors": ("children",),
    "pupils": ("children", "students"),
    "nudes": ("sexual", "images"),
    "nude": ("sexual", "images"),
    "sexting": ("self", "generated", "sexual", "images"),
    "selfies": ("self", "generated", "images"),
    "pics": ("images",),
    "photos": ("images",),
    "pictures": ("images",),
    "videos": ("videos",),
    "jail": ("imprisonment", "prison"),
    "prison": ("imprisonment",),
    "punish": ("penalty", "punishable", "prosecuted"),
    "punished": ("penalty", "punishable", "prosecuted"),
    "sextortion": ("sexual", "extortion"),
    "porn": ("pornography",),
    "cops": ("police",),
    "law": ("legislation", "legal"),
    "laws": ("legislation", "legal"),
    "abroad": ("jurisdiction", "territory"),
    "online": ("ict", "internet"),
    "internet": ("online", "ict"),
    "money": ("financial", "funding", "budget"),
    "budget": ("funding", "allocated"),
    "hotline": ("helpline",),
    "helpline": ("hotline",),
    "teachers": ("teacher", "education", "professionals"),
}

_WORD = re.compile(r"\w+", re.UNICODE)
# Suffixes cut from a query word so "prosecuted" also marks "prosecution"; the
# stem must keep at least MIN_STEM letters to avoid marking half the page.
_SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ies", "es", "ed", "s", "ly", "e")
MIN_STEM = 4


def stem(word: str) -> str:
    """The word without its first matching inflection suffix, keeping at least MIN_STEM letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


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
