"""Citations inside factsheet text: recommendation ids, report paragraphs, Convention articles.

The words that introduce a citation ("Recommendations", "Para.", "Article",
"and", "to") are the document's language profile's; the ids and numbers are
the same in every language. A footnote names recommendations only in the list
right after its word, so a stray "IV-9" in a URL or a remark, a date ("13-15
February") or a later "IV-2019" is not mistaken for one.

Every helper returns strings, deduplicated and sorted in reading order of the
thing cited (II-3 before II-10, "9" before "25"), so callers can compare and
store them as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..lang import DEFAULT, LanguageProfile
from ..text import DASHES

DASH = f"[{DASHES}]"
# A recommendation id: chapter of the implementation report in Roman numerals, a
# hyphen (or dash) and its number, at most three digits ("IV-2019" is a year).
REC_ID = re.compile(rf"\b(?P<chapter>[IVXL]+)\s*{DASH}\s*(?P<number>\d{{1,3}})(?!\d)")
RANGE_END = re.compile(r"(?P<number>\d{1,3})(?![\d\w])")
# Ranges longer than this are kept as their two ends: "Paras 1-400" is a typo
# or a sweeping reference, not 400 paragraphs worth listing.
MAX_RANGE = 50
_ARTICLE_NUMBER = r"\d+(?:\s*\([^)]{1,12}\))*"
_BRACKETS = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class _Grammar:
    """The citation patterns of one language, built from its profile's words."""

    # Inside a list of recommendations: "II-3 to II-5", "II-3–II-5" and "II-3 - 5" are ranges;
    # items are joined by commas, "and", "&" or semicolons.
    range_to: re.Pattern
    list_join: re.Pattern
    # "Para. 43", "Paras. 78, 82", "Paras 71-73", "Para.236", "Para. 453, 454"
    para_list: re.Pattern
    # A number or a range "71-73" inside a list of paragraphs or articles.
    number_or_range: re.Pattern
    # "Article 25(1)(a-c)", "Articles 5, 6 and 8", "Art. 25(2)", "Articles 18 to 23": the word,
    # then numbers each optionally followed by paragraph/letter groups in brackets, joined by
    # commas, "and", "or", "to" or a dash.
    article_list: re.Pattern


@cache
def _grammar(profile: LanguageProfile) -> _Grammar:
    and_, or_, to = profile.and_word, profile.or_word, profile.to_word
    return _Grammar(
        range_to=re.compile(rf"\s*(?:(?:{to})\b|{DASH})\s*"),
        list_join=re.compile(rf"\s*(?:,\s*(?:(?:{and_})\s+)?|;\s*|&\s*|\b(?:{and_})\s+)"),
        para_list=re.compile(
            rf"\b(?:{profile.paragraph_word})\s*(?P<list>\d+(?:\s*(?:[-–]|,|&|{and_})\s*\d+)*)", re.IGNORECASE
        ),
        number_or_range=re.compile(rf"(?P<start>\d+)(?:\s*(?:[-–]|{to})\s*(?P<end>\d+))?"),
        article_list=re.compile(
            rf"\b(?:{profile.article_word})\s*(?P<list>{_ARTICLE_NUMBER}"
            rf"(?:\s*(?:,|{and_}|{or_}|{to}|[-–])\s*{_ARTICLE_NUMBER})*)"
        ),
    )


def article_list(profile: LanguageProfile = DEFAULT) -> re.Pattern:
    """The pattern of a list of Convention articles after the profile's word ("Art. 25(1)(e)", "Articles 5 and 6")."""
    return _grammar(profile).article_list


ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_to_int(numeral: str) -> int:
    """Value of a Roman numeral made of I, V, X and L ("XI" → 11); 0 if it is not one."""
    total = 0
    previous = 0
    for char in reversed(numeral.upper()):
        value = ROMAN_VALUES.get(char)
        if value is None:
            return 0
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def int_to_roman(value: int) -> str:
    """A positive number as a Roman numeral of I, V, X and L (11 → "XI"), as section numerals are written."""
    numeral = ""
    for symbol, amount in (("L", 50), ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1)):
        count, value = divmod(value, amount)
        numeral += symbol * count
    return numeral


def sort_rec_ids(ids) -> list[str]:
    """Recommendation ids deduplicated, in report order: II-3 before II-10 before III-1."""

    def key(rec_id: str) -> tuple[int, int]:
        chapter, number = rec_id.split("-")
        return roman_to_int(chapter), int(number)

    return sorted(set(ids), key=key)


def _plain_id(match: re.Match) -> str:
    """A matched id as "II-6": plain hyphen, no spaces, no leading zeros."""
    return f"{match['chapter']}-{int(match['number'])}"


def _range_after(first: re.Match, text: str, position: int, grammar: _Grammar) -> tuple[list[str], int]:
    """The ids from ``first`` to the end of a range starting at ``position``, and where it ends.

    "II-3 to II-5" and "II-3 - 5" give II-3, II-4, II-5; a range across chapters,
    backwards or longer than MAX_RANGE gives only its two ends.
    """
    to = grammar.range_to.match(text, position)
    last = REC_ID.match(text, to.end()) if to else None
    if last and roman_to_int(last["chapter"]):
        chapter, end, position = last["chapter"], int(last["number"]), last.end()
    elif to and (bare := RANGE_END.match(text, to.end())):
        chapter, end, position = first["chapter"], int(bare["number"]), bare.end()
    else:
        return [_plain_id(first)], position
    start = int(first["number"])
    if chapter == first["chapter"] and start < end <= start + MAX_RANGE:
        return [f"{chapter}-{number}" for number in range(start, end + 1)], position
    return [_plain_id(first), f"{chapter}-{end}"], position


def _rec_list(text: str, position: int, grammar: _Grammar) -> list[str]:
    """The ids of the list starting at ``position``: ids and ranges joined by commas, "and" or "&"."""
    found: list[str] = []
    while (first := REC_ID.match(text, position)) and roman_to_int(first["chapter"]):
        ids, position = _range_after(first, text, first.end(), grammar)
        found.extend(ids)
        join = grammar.list_join.match(text, position)
        if not join:
            break
        position = join.end()
    return found


def rec_ids(text: str, profile: LanguageProfile = DEFAULT) -> list[str]:
    """Recommendation ids named in a footnote: "Recommendations III-15 and III-16." → ["III-15", "III-16"];
    "Recommendations II-3 to II-5" → ["II-3", "II-4", "II-5"].

    Only the list right after the word "Recommendation(s)" (or "Rec.", "Recs.",
    "Recommendation No.") counts; ids are normalised to "II-6" (plain hyphen, no spaces).
    """
    found: set[str] = set()
    for word in profile.recommendation_word.finditer(text):
        found.update(_rec_list(text, word.end(), _grammar(profile)))
    return sort_rec_ids(found)


def _expand_numbers(number_list: str, grammar: _Grammar) -> set[int]:
    """Numbers of "78, 82", "71-73" or "18 to 23" as a set of ints (ranges expanded up to MAX_RANGE)."""
    numbers: set[int] = set()
    for match in grammar.number_or_range.finditer(number_list):
        start = int(match["start"])
        end = int(match["end"]) if match["end"] else start
        if start < end <= start + MAX_RANGE:
            numbers.update(range(start, end + 1))
        else:
            numbers.update({start, end})
    return numbers


def para_refs(text: str, profile: LanguageProfile = DEFAULT) -> list[str]:
    """Implementation-report paragraphs cited: "Paras. 78, 82" → ["78", "82"]; "Paras 71-73" → ["71", "72", "73"]."""
    grammar = _grammar(profile)
    numbers: set[int] = set()
    for match in grammar.para_list.finditer(text):
        numbers |= _expand_numbers(match["list"], grammar)
    return [str(number) for number in sorted(numbers)]


def article_refs(text: str, profile: LanguageProfile = DEFAULT) -> list[str]:
    """Convention articles cited, as numbers: "Article 25(1)(a-c)" → ["25"];
    "Articles 5, 6 and 8 of the Convention" → ["5", "6", "8"].

    Paragraph and letter groups in brackets are dropped; references followed by
    another instrument's name ("Article 9 of the Budapest Convention") are skipped.
    """
    grammar = _grammar(profile)
    numbers: set[int] = set()
    for match in grammar.article_list.finditer(text):
        if profile.other_instrument.match(text, match.end()):
            continue
        numbers |= _expand_numbers(_BRACKETS.sub("", match["list"]), grammar)
    return [str(number) for number in sorted(numbers)]
