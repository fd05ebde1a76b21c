"""Citations inside factsheet text: recommendation ids, report paragraphs, Convention articles.

Every helper returns strings, deduplicated and sorted in reading order of the
thing cited (II-3 before II-10, "9" before "25"), so callers can compare and
store them as they are.
"""

from __future__ import annotations

import re

# "Recommendation II-6", "Recommendations V-4, V-7", "Rec. III-30": a footnote
# names recommendations only after one of these words, so a stray "IV-9" in a
# URL or a remark is not mistaken for one.
RECOMMENDATION_WORD = re.compile(r"\b(?:Recommendations?|Recs?\.)", re.IGNORECASE)
# A recommendation id: chapter of the implementation report in Roman numerals, a
# hyphen (or dash) and its number.
REC_ID = re.compile(r"\b(?P<chapter>[IVXL]+)\s*[-–]\s*(?P<number>\d+)\b")

# "Para. 43", "Paras. 78, 82", "Paras 71-73", "Para.236", "Para. 453, 454"
PARA_LIST = re.compile(
    r"\bParas?\.?\s*(?P<list>\d+(?:\s*(?:[-–]|,|&|and)\s*\d+)*)",
    re.IGNORECASE,
)
# A number or a range "71-73" inside a list of paragraphs or articles.
NUMBER_OR_RANGE = re.compile(r"(?P<start>\d+)(?:\s*(?:[-–]|to)\s*(?P<end>\d+))?")
# Ranges longer than this are kept as their two ends: "Paras 1-400" is a typo
# or a sweeping reference, not 400 paragraphs worth listing.
MAX_RANGE = 50

# "Article 25(1)(a-c)", "Articles 5, 6 and 8", "Art. 25(2)", "Articles 18 to 23":
# the word, then numbers each optionally followed by paragraph/letter groups in
# brackets, joined by commas, "and", "or", "to" or a dash.
_ARTICLE_NUMBER = r"\d+(?:\s*\([^)]{1,12}\))*"
ARTICLE_LIST = re.compile(
    rf"\b(?:Articles?|Arts?\.)\s*(?P<list>{_ARTICLE_NUMBER}"
    rf"(?:\s*(?:,|and|or|to|[-–])\s*{_ARTICLE_NUMBER})*)"
)
# What follows an article reference when it belongs to another instrument:
# "Article 9 of the Budapest Convention", "Article 34 thereof". References to
# "the Convention", "this Convention" or "the Lanzarote Convention" are kept.
OTHER_INSTRUMENT = re.compile(
    r"\s*(?:thereof\b|(?:of|in)\s+(?:the\s+)?(?!(?:this\s+|the\s+)?(?:Lanzarote\s+)?Convention\b)[A-Z])"
)
_BRACKETS = re.compile(r"\([^)]*\)")

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


def sort_rec_ids(ids) -> list[str]:
    """Recommendation ids deduplicated, in report order: II-3 before II-10 before III-1."""

    def key(rec_id: str) -> tuple[int, int]:
        chapter, number = rec_id.split("-")
        return roman_to_int(chapter), int(number)

    return sorted(set(ids), key=key)


def rec_ids(text: str) -> list[str]:
    """Recommendation ids named in a footnote: "Recommendations III-15 and III-16." → ["III-15", "III-16"].

    Only text after the word "Recommendation(s)" counts; ids are normalised to
    "II-6" (plain hyphen, no spaces).
    """
    found: set[str] = set()
    for word in RECOMMENDATION_WORD.finditer(text):
        for match in REC_ID.finditer(text, word.end()):
            if roman_to_int(match["chapter"]):
                found.add(f"{match['chapter']}-{int(match['number'])}")
    return sort_rec_ids(found)


def _expand_numbers(number_list: str) -> set[int]:
    """Numbers of "78, 82", "71-73" or "18 to 23" as a set of ints (ranges expanded up to MAX_RANGE)."""
    numbers: set[int] = set()
    for match in NUMBER_OR_RANGE.finditer(number_list):
        start = int(match["start"])
        end = int(match["end"]) if match["end"] else start
        if start < end <= start + MAX_RANGE:
            numbers.update(range(start, end + 1))
        else:
            numbers.update({start, end})
    return numbers


def para_refs(text: str) -> list[str]:
    """Implementation-report paragraphs cited: "Paras. 78, 82" → ["78", "82"]; "Paras 71-73" → ["71", "72", "73"]."""
    numbers: set[int] = set()
    for match in PARA_LIST.finditer(text):
        numbers |= _expand_numbers(match["list"])
    return [str(number) for number in sorted(numbers)]


def article_refs(text: str) -> list[str]:
    """Convention articles cited, as numbers: "Article 25(1)(a-c)" → ["25"];
    "Articles 5, 6 and 8 of the Convention" → ["5", "6", "8"].

    Paragraph and letter groups in brackets are dropped; references followed by
    another instrument's name ("Article 9 of the Budapest Convention") are skipped.
    """
    numbers: set[int] = set()
    for match in ARTICLE_LIST.finditer(text):
        if OTHER_INSTRUMENT.match(text, match.end()):
            continue
        numbers |= _expand_numbers(_BRACKETS.sub("", match["list"]))
    return [str(number) for number in sorted(numbers)]
