"""Query understanding: what a question names that the archive knows by structure.

A question may name recommendation ids ("III-3", "Rec. II-6", "recommendation
II 6", "recommendations II-3 to II-4"), Convention articles ("Article 23",
"Art. 25(1)(b)"), sections ("section VII", "in education for children"),
kinds of passage ("follow-up", "what did Norway report", "promising
practice"), strengths ("requires", "invitation") and Parties ("Norway",
"Norwegian"). Each becomes a ``Part``; search turns the parts into candidate
sources and boosts, never into hard filters, and searches the rest of the
words as before.

The id and article grammars are the parsers' own (parsing/references.py);
the Parties come from parties.py and from the archive. The language's
phrasing (how a question says "follow-up" or "requires") is in ``Phrasing``
tables, one per language, so another language adds a table and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lang import DEFAULT
from .model import SECTIONS, BlockKind
from .parsing.references import DASH, REC_ID, article_list, article_refs, rec_ids, roman_to_int
from .parties import PARTIES

PART_KINDS = ("recommendation", "article", "section", "kind", "strength", "party")
IGNORED = "ignored"  # what took the characters of a part the user left out
STRENGTH_LABELS = {"require": "Required", "request": "Requested", "invite": "Invited"}


@dataclass(frozen=True)
class Phrasing:
    """How one language says what the recognisers look for: regular-expression fragments, matched case-blind."""

    kinds: dict[BlockKind, tuple[str, ...]]
    strengths: dict[str, tuple[str, ...]]
    section_word: str  # "section" or "chapter" before a numeral


# --- English -------------------------------------------------------------------------------
# Kept apart from the logic so that it moves to a language profile as it stands.
ENGLISH = Phrasing(
    kinds={
        BlockKind.FOLLOW_UP: (
            r"follow[\s-]?ups?(?:\s+actions?)?",
            # "what did Norway report", "what has Norway done", "what Exampleland did"
            r"what\s+(?:did|has|have|does)\s+(?:[\w'’-]+\s+){0,3}?(?:report(?:ed)?|done|do)\b",
            r"what\s+(?:[\w'’-]+\s+){1,3}?did\b",
            r"(?:actions?\s+)?reported(?:\s+by)?",
            # the factsheets' own words for the Party's answer: its orange box, its reply
            r"orange\s+box(?:es)?", r"repl(?:y|ies|ied)\b",
        ),
        BlockKind.PROMISING_PRACTICE: (r"(?:promising|good|best)\s+practices?", r"blue\s+box(?:es)?"),
        BlockKind.GENERIC_RECOMMENDATION: (
            r"generic\s+recommendations?",
            r"recommendations?\s+(?:to|for)\s+all\s+parties",
        ),
        BlockKind.OBSERVATION: (r"observations?", r"(?:the\s+committee\s+)?observed", r"findings?"),
        # Not before an id: "recommendation II 6" names one recommendation, not the kind.
        BlockKind.RECOMMENDATION: (r"recommendations?\b(?!\s*(?:nos?\.?\s*)?[IVXL]+\s*[-‐–—\s]\s*\d)",),
    },
    strengths={
        "require": (r"requires?", r"required", r"requirements?"),
        "request": (r"requests?", r"requested"),
        "invite": (r"invites?", r"invited", r"invitations?"),
    },
    section_word=r"(?:section|chapter)",
)


@dataclass(frozen=True)
class Part:
    """One thing recognised in a question."""

    kind: str  # one of PART_KINDS
    value: str  # "III-3", "23", "VII", "follow_up", "require", "Norway"
    label: str  # what the interface shows: "Recommendation III-3"

    @property
    def key(self) -> str:
        """A stable name for the part, used to leave it out: "party:Norway"."""
        return f"{self.kind}:{self.value}"


@dataclass
class Understanding:
    """A question, the parts recognised in it, and the words left once they are taken out."""

    query: str
    parts: list[Part] = field(default_factory=list)
    rest: str = ""  # the question without the recognised phrases (for the lexical side)
    searched: str = ""  # the question without the parts the user left out (for the dense side)

    def values(self, kind: str) -> list[str]:
        """The values of the parts of one kind: ``values("party") == ["Norway"]``."""
        return [p.value for p in self.parts if p.kind == kind]

    @property
    def label(self) -> str:
        """The interpretation in one line: "Recommendation III-3 · Norway · Follow-up actions"."""
        return " · ".join(p.label for p in self.parts)

    def to_dict(self) -> dict:
        return {"query": self.query, "parts": [{"kind": p.kind, "value": p.value, "label": p.label,
                                                 "key": p.key} for p in self.parts], "rest": self.rest,
                "searched": self.searched}


def _plural(label: str) -> str:
    return label if label.endswith("s") else f"{label}s"


class Understander:
    """Recognises the parts of questions, for one language and one set of Parties and sections."""

    def __init__(self, countries=(), section_titles: dict[str, str] | None = None, phrasing: Phrasing = ENGLISH):
        self.phrasing = phrasing
        titles = {**SECTIONS, **(section_titles or {})}
        # "I. Introduction" is too common a word to mean a section; the others are phrases of their own.
        self._numerals = set(titles)
        self._titles = [(numeral, re.compile(rf"\b{re.escape(title)}\b", re.IGNORECASE))
                        for numeral, title in titles.items() if numeral != "I"]
        names: dict[str, str] = {}
        for party in PARTIES:
            for name in (party.name, *party.other_names, *party.adjectives):
                names[name] = party.name
        for country in countries:  # the archive's own, fictional ones included
            names.setdefault(country, country)
        self._party_names = names
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._parties = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
        self._party_keys = {n.casefold(): p for n, p in names.items()}
        self._kinds = [(kind, re.compile(rf"\b(?:{'|'.join(patterns)})", re.IGNORECASE))
                       for kind, patterns in phrasing.kinds.items()]
        self._strengths = [(s, re.compile(rf"\b(?:{'|'.join(p)})\b", re.IGNORECASE))
                           for s, p in phrasing.strengths.items()]
        self._section = re.compile(rf"\b{phrasing.section_word}\s+(?P<n>[IVXL]+)\b", re.IGNORECASE)
        # "Recommendation II 6": the word, then a numeral and a number with only a space between.
        self._spaced_id = re.compile(rf"{DEFAULT.recommendation_word.pattern}(?P<chapter>[IVXL]+)\s+(?P<number>\d{{1,3}})\b",
                                     re.IGNORECASE)
        self._articles = re.compile(article_list(DEFAULT).pattern, re.IGNORECASE)

    def understand(self, query: str, ignore=()) -> Understanding:
        """The parts a question names, in the order of PART_KINDS, and the words left over.

        Parts whose key is in ``ignore`` ("party:Norway") are left out: neither interpreted nor searched.
        """
        ignore = set(ignore)
        taken: list[str | None] = [None] * len(query)  # which kind of part took each character
        found: list[Part] = []

        def claim(start: int, end: int, kind: str, parts: list[Part], over: tuple[str, ...] = ()) -> None:
            """Recognise ``parts`` at query[start:end] unless the span overlaps a part of another kind than ``over``.

            An ignored part's words are left out of the search altogether (``searched``), not just uninterpreted.
            """
            kept = [p for p in parts if p.key not in ignore]
            if not parts or any(t is not None and t not in over for t in taken[start:end]):
                return
            if not kept:
                taken[start:end] = [t or IGNORED for t in taken[start:end]]
                return
            taken[start:end] = [kind] * (end - start)
            found.extend(p for p in kept if p not in found)

        def rec(rec_id: str) -> Part:
            return Part("recommendation", rec_id, f"Recommendation {rec_id}")

        # Parties first: a kind's phrase may hold one ("what did Norway report").
        for match in self._parties.finditer(query):
            party = self._party_keys[match.group(0).casefold()]
            claim(match.start(), match.end(), "party", [Part("party", party, party)])
        for kind, pattern in self._kinds:
            for match in pattern.finditer(query):
                claim(match.start(), match.end(), "kind", [Part("kind", kind.value, _plural(kind.label))], ("party",))
        for match in DEFAULT.recommendation_word.finditer(query):
            end = _end_of_ids(query, match.end())
            ids = rec_ids(query[match.start():end])  # the list right after the word, ranges included
            spaced = self._spaced_id.match(query, match.start())
            if not ids and spaced and roman_to_int(spaced["chapter"]):
                ids, end = [f"{spaced['chapter'].upper()}-{int(spaced['number'])}"], spaced.end()
            claim(match.start(), end, "recommendation", [rec(i) for i in ids], ("kind",))
        for match in REC_ID.finditer(query):
            if roman_to_int(match["chapter"]):
                claim(match.start(), match.end(), "recommendation",
                      [rec(f"{match['chapter']}-{int(match['number'])}")], ("recommendation",))
        for match in self._articles.finditer(query):
            claim(match.start(), match.end(), "article",
                  [Part("article", n, f"Article {n}") for n in article_refs("Article " + match["list"])])
        for match in self._section.finditer(query):
            numeral = match["n"].upper()
            if numeral in self._numerals:
                claim(match.start(), match.end(), "section", [Part("section", numeral, f"Section {numeral}")])
        for numeral, pattern in self._titles:
            for match in pattern.finditer(query):
                claim(match.start(), match.end(), "section", [Part("section", numeral, f"Section {numeral}")])
        for strength, pattern in self._strengths:
            for match in pattern.finditer(query):
                claim(match.start(), match.end(), "strength", [Part("strength", strength, STRENGTH_LABELS[strength])])
        found.sort(key=lambda p: PART_KINDS.index(p.kind))
        rest = "".join(" " if t else c for c, t in zip(query, taken))
        searched = "".join(" " if t == IGNORED else c for c, t in zip(query, taken))
        return Understanding(query, found, " ".join(rest.split()), " ".join(searched.split()))


def _end_of_ids(text: str, position: int) -> int:
    """Where the list of ids (and ranges) starting at ``position`` ends."""
    item = re.compile(rf"\s*(?:(?:,|;|&|and|to|{DASH})\s*)?(?:[IVXL]+\s*{DASH}\s*)?\d{{1,3}}(?!\d)")
    end = position
    while match := item.match(text, end):
        end = match.end()
    return end

