"""Language profiles: the words of one language that the parsers and the search side rely on.

A ``LanguageProfile`` holds a language's parser vocabulary (the Committee's
voice and its strength verbs, box titles, heading patterns, the words that
cite a recommendation or a report paragraph, the title page's words, month
names and round words, words that end no sentence) and its search words (stop
words, thesaurus, stemmer). The parsers take a profile instead of module
constants; ``detect_language`` chooses one per document from its opening
words, and the archive records it (``documents.language``).

A language is one module here (``fr.py``, defining ``PROFILE``, a
``LanguageProfile`` (profile.py), the way ``en.py`` does) and its line in
``PROFILES`` below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from . import en, fr
from .profile import LanguageProfile

__all__ = ["DEFAULT", "ENGLISH", "FRENCH", "PROFILES", "LanguageProfile", "detect_language"]

# How many words from the start of a document are read to tell its language: the title
# page, the contents and the Introduction, where every factsheet speaks in full sentences.
DETECTION_WORDS = 1500
# A profile is chosen when at least this share of those words are its marker words: the
# English factsheets and the Convention open with 36–40 % of English markers, a French
# paragraph with 1–2 %.
MIN_MARKER_SHARE = 0.08
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


ENGLISH = en.PROFILE
FRENCH = fr.PROFILE

# The registered profiles; the first is the fallback when no profile's words stand out.
PROFILES: tuple[LanguageProfile, ...] = (ENGLISH, FRENCH)
DEFAULT = PROFILES[0]


def opening_words(texts: Iterable[str], limit: int = DETECTION_WORDS) -> list[str]:
    """The first ``limit`` words of ``texts``, lowercase."""
    words: list[str] = []
    for text in texts:
        words += _WORD.findall(text.casefold())
        if len(words) >= limit:
            break
    return words[:limit]


def detect_language(texts: Iterable[str], profiles: Sequence[LanguageProfile] | None = None) -> LanguageProfile:
    """The profile a document is written in, from its opening ``texts`` (its first pages).

    Each registered profile (or each of ``profiles``) is scored by the share of
    the opening words that are its marker words; the best one wins if it
    reaches MIN_MARKER_SHARE, else the first profile (English), so a short or
    odd text is still read.
    """
    profiles = profiles or PROFILES
    words = opening_words(texts)
    if not words:
        return profiles[0]
    shares = [(sum(word in p.markers for word in words) / len(words), p) for p in profiles]
    share, best = max(shares, key=lambda pair: pair[0])
    return best if share >= MIN_MARKER_SHARE else profiles[0]
