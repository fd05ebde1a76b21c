"""Hybrid retrieval: FAISS (dense) and FTS5 (lexical) candidates, fused, filtered.

Dense score of a chunk = mean of its whole-chunk similarity and its best
sentence's similarity, so a passage that answers the question in one sentence
is not drowned by the rest of its block. Lexical score is FTS5 bm25 over the
context line, the text and the footnote remarks, squashed into [0, 1) by
s / (s + LEXICAL_HALF) so that its scale does not depend on the other hits.
Hybrid score = DENSE_SHARE × dense + (1 − DENSE_SHARE) × lexical. Filters
restrict both sides before the cut to k.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import numpy as np

from .errors import UnknownFilterError
from .model import STRENGTHS, BlockKind
from .store import Store
from .text import words
from .vectors import VectorIndex

MODES = ("hybrid", "dense", "lexical")
CANDIDATES = 100  # per side, before fusion
# Fusion constants chosen on the dev set from a plateau (hit@1 and MRR@10 equal for
# DENSE_SHARE 0.5–0.6 and LEXICAL_HALF 5–20), not from a single best point.
DENSE_SHARE = 0.55
LEXICAL_HALF = 10.0  # the bm25 score that counts as half a perfect lexical match
SENTENCE_WEIGHT = 0.5  # share of the best sentence in the dense score
FTS_WEIGHTS = (0.5, 1.0, 0.3)  # bm25 column weights: context, text, extra (notes, rec ids)
MAX_QUERY_CHARS = 2000  # longer queries are cut: the model reads 256 tokens anyway

# Words too common to be worth a lexical match; they only slow FTS5 down.
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


@dataclass
class Filters:
    countries: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    rec_ids: list[str] = field(default_factory=list)

    def sql(self) -> tuple[str, tuple]:
        """A WHERE clause over chunks c JOIN documents d, with its parameters."""
        clauses: list[str] = []
        params: list = []

        def among(column: str, values: list[str]) -> None:
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)

        # The Convention has no country, so a country filter means "that country's documents only".
        among("d.country", self.countries)
        among("c.section", self.sections)
        among("c.kind", self.kinds)
        among("c.strength", self.strengths)
        among("c.doc_id", self.doc_ids)
        if self.rec_ids:
            clauses.append(
                f"c.chunk_id IN (SELECT chunk_id FROM chunk_recs WHERE rec_id IN ({','.join('?' * len(self.rec_ids))}))"
            )
            params.extend(self.rec_ids)
        return (" AND ".join(clauses) or "1"), tuple(params)

    @property
    def active(self) -> bool:
        return any((self.countries, self.sections, self.kinds, self.strengths, self.doc_ids, self.rec_ids))


def normalise_filters(
    store: Store,
    conn: sqlite3.Connection,
    *,
    countries=None,
    sections=None,
    kinds=None,
    strengths=None,
) -> Filters:
    """Check filter values against what the archive holds; unknown values raise, listing the valid ones."""

    def as_list(value) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        return [str(v).strip() for v in value if str(v).strip()]

    def match(name: str, given: list[str], allowed: list[str], canon=lambda s: s.casefold()) -> list[str]:
        by_key = {canon(a): a for a in allowed}
        out = []
        for value in given:
            key = canon(value)
            if key not in by_key:
                shown = ", ".join(allowed) if allowed else "none in this archive"
                raise UnknownFilterError(f"unknown {name} {value!r}: choose from {shown}")
            out.append(by_key[key])
        return sorted(set(out))

    return Filters(
        countries=match("country", as_list(countries), store.values(conn, "country")),
        sections=match("section", [s.upper().rstrip(".") for s in as_list(sections)], store.values(conn, "section")),
        kinds=match("kind", as_list(kinds), [k.value for k in BlockKind], canon=lambda s: str(BlockKind.parse(s))),
        strengths=match("strength", as_list(strengths), list(STRENGTHS)),
    )


def lexical_query(text: str) -> str | None:
    """An FTS5 MATCH expression built from the words of free text, never from its syntax.

    Every word is quoted, so quotes, AND/OR/NOT/NEAR, ``*``, ``^``, ``-`` and
    ``column:`` in user text are plain words or nothing. Everyday words get
    their factsheet synonyms as alternatives.
    """
    terms: list[str] = []
    seen: set[str] = set()
    for word in words(text[:MAX_QUERY_CHARS]):
        if word in STOPWORDS or word in seen or len(word) > 60:
            continue
        seen.add(word)
        alternatives = [word, *THESAURUS.get(word, ())]
        quoted = " OR ".join(f'"{w}"' for w in dict.fromkeys(alternatives))
        terms.append(f"({quoted})" if len(alternatives) > 1 else quoted)
    if not terms:
        return None
    return " OR ".join(terms)


def fuse(dense: list[tuple[int, float]], lexical: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Convex combination of the dense score and the squashed bm25 score, best first.

    Unlike rank fusion it keeps how strong each match is: a passage that only
    one side finds, but finds very well, can still come first.
    """
    dense_scores = dict(dense)
    lexical_scores = {i: s / (s + LEXICAL_HALF) for i, s in lexical if s > 0}
    fused = {
        i: DENSE_SHARE * dense_scores.get(i, 0.0) + (1 - DENSE_SHARE) * lexical_scores.get(i, 0.0)
        for i in dense_scores.keys() | lexical_scores.keys()
    }
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


class Retriever:
    """Ranks chunk ids for a query; the archive turns them into hits."""

    def __init__(self, store: Store, dimension: int):
        self.store = store
        self.dimension = dimension

    def dense(
        self,
        conn: sqlite3.Connection,
        vectors: VectorIndex,
        query_vector: np.ndarray,
        allowed: np.ndarray | None,
        extra: list[int] = (),
    ) -> list[tuple[int, float]]:
        """Dense ranking: FAISS candidates (plus ``extra`` ids) rescored with the sentence view."""
        candidates = dict(vectors.search(query_vector, CANDIDATES, allowed))
        candidates.update(self.similarities(vectors, query_vector, [i for i in extra if i not in candidates]))
        best = self.best_sentences(conn, query_vector, list(candidates))
        scored = [
            (i, (1 - SENTENCE_WEIGHT) * whole + SENTENCE_WEIGHT * best.get(i, whole)) for i, whole in candidates.items()
        ]
        scored.sort(key=lambda pair: -pair[1])
        return scored

    @staticmethod
    def similarities(vectors: VectorIndex, query_vector: np.ndarray, ids: list[int]) -> dict[int, float]:
        """Whole-passage cosine of the given chunk ids."""
        if not ids:
            return {}
        return dict(zip(ids, (float(s) for s in vectors.vectors_for(ids) @ query_vector)))

    def best_sentences(self, conn: sqlite3.Connection, query_vector: np.ndarray, ids: list[int]) -> dict[int, float]:
        """Cosine of each chunk's best sentence (chunks without sentences are left out)."""
        stored = self.store.sentence_embeddings(conn, ids, self.dimension)
        return {i: float((s @ query_vector).max()) for i, s in stored.items() if len(s)}

    def lexical(self, conn: sqlite3.Connection, query: str, filters: Filters) -> list[tuple[int, float]]:
        match = lexical_query(query)
        if match is None:
            return []
        where, params = filters.sql()
        return self.store.lexical(conn, match, CANDIDATES, where, params, FTS_WEIGHTS)

    def rank(
        self,
        conn: sqlite3.Connection,
        vectors: VectorIndex,
        query: str,
        query_vector: np.ndarray | None,
        filters: Filters,
        mode: str,
    ) -> list[tuple[int, float]]:
        """(chunk id, score) best first, for the mode asked."""
        if mode not in MODES:
            raise UnknownFilterError(f"unknown mode {mode!r}: choose from {', '.join(MODES)}")
        allowed = None
        if filters.active:
            where, params = filters.sql()
            allowed = self.store.filtered_ids(conn, where, params)
        lexical = self.lexical(conn, query, filters) if mode in ("hybrid", "lexical") else []
        if mode == "lexical":
            return lexical
        dense = self.dense(conn, vectors, query_vector, allowed, extra=[i for i, _ in lexical])
        if mode == "dense":
            return dense
        return fuse(dense, lexical)

