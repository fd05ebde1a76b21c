"""Hybrid retrieval: dense and lexical candidates, fused, filtered.

Dense score of a chunk = mean of its whole-chunk similarity and its best
sentence's similarity, so a passage that answers the question in one sentence
is not drowned by the rest of its block. Lexical score is the lexical index's
(FTS5 bm25 over the context line, the text and the footnote remarks). The
two are fused by ``fusion.fuse``, which standardises each side's scores per
query, so neither the model's nor the engine's scale matters. Filters
restrict both sides before the cut to k.

A question's recognised parts (understanding.py) are candidate sources and
boosts, not filters: the passages carrying a named id, article, section,
kind, strength or Party are ranked too, and each part a passage carries adds
its boost to the fused score; the words left over are searched as before.

The retriever sees the engines only through their protocols
(``VectorIndex``, ``LexicalIndex``) and the database through a ``Snapshot``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from .errors import EmptyQuery, UnknownFilterError
from .filters import Filters
from .fusion import Fuse, best_first, fuse
from .lexical import LexicalIndex
from .model import BlockKind
from .sentence_cache import best_of
from .snapshot import Snapshot
from .understanding import Understanding

if TYPE_CHECKING:  # the FAISS module is loaded by whoever builds the index, not by search
    from .sentence_cache import SentenceVectors
    from .vectors import VectorIndex

MODES = ("hybrid", "dense", "lexical")
CANDIDATES = 100  # per side, before fusion
SENTENCE_WEIGHT = 0.5  # share of the best sentence in the dense score
# What a recognised part adds to the score of each passage carrying it, in units of the range
# (best minus worst) of that question's candidate scores, so the boosts mean the same on any scale:
# the fused z-scores, or one side's raw scores in the dense and lexical modes. A named id or article
# (2.25 ranges) outweighs any match of words; a kind, section, strength or Party tips the balance
# between passages the words match about as well. A strength names recommendations as surely as a
# kind does. BOOST_SCALE multiplies them all; it is the middle of the plateau of the structured
# questions (hybrid hit@1 0.900 and MRR@10 0.940 for 5–10; dev and held-out equal across the grid:
# benchmarks/boost-grid.json, `python benchmarks/boost_grid.py`).
BOOST_SCALE = 7.5
BOOSTS = {name: BOOST_SCALE * share for name, share in
          {"recommendation": 0.30, "article": 0.30, "kind": 0.15, "section": 0.10, "strength": 0.15,
           "party": 0.10}.items()}
# Without a named kind, a bare id answers with the recommendation, then the follow-ups; a bare
# article with its own text, then the passages citing it (same unit as BOOSTS).
ANSWER_FIRST = {
    "recommendation": {BlockKind.RECOMMENDATION.value: BOOST_SCALE * 0.16,
                       BlockKind.GENERIC_RECOMMENDATION.value: BOOST_SCALE * 0.16,
                       BlockKind.FOLLOW_UP.value: BOOST_SCALE * 0.08},
    "article": {BlockKind.ARTICLE.value: BOOST_SCALE * 0.16},
}
# A question's vector searches, and the best sentences of the passages they find, run in one of these
# threads while the caller's understands the question and runs the lexical side: all of them release
# the GIL (FAISS, the compiled loops of sentence_cache.py and maxscore.py), so with two cores a question
# waits for the slower side, not for both. The search within the user's filters starts first, before
# the question is read (``Retriever.start``). The database is read in the caller's thread only.
SIDES = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="lanzasearch-vectors")
# The passages carrying a named id or article that are candidates whatever their words: the newest
# (highest chunk ids) of each source. Beyond them, those that either side ranks among its CANDIDATES
# best within the source are candidates too; at real size an id or article names far fewer.
NAMED_LIMIT = 500
# A named "recommendation" kind also means the generic ones, addressed to every Party.
_KIND_ALSO = {BlockKind.GENERIC_RECOMMENDATION.value: BlockKind.RECOMMENDATION.value}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _spread(scores: list[float]) -> float:
    """The range of a question's candidate scores (best minus worst): the unit of the boosts (1 when they do not spread)."""
    spread = max(scores) - min(scores) if len(scores) > 1 else 0.0
    return spread if spread > 1e-12 else 1.0


def check_mode(mode: str) -> str:
    """The mode if it is one of MODES; otherwise ``UnknownFilterError`` naming them."""
    if mode not in MODES:
        raise UnknownFilterError(f"unknown mode {mode!r}: choose from {', '.join(MODES)}")
    return mode


def clean_query(query: str | None) -> str:
    """Strip control characters and surrounding space; refuse an empty query."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", query or "")).strip()
    if not text:
        raise EmptyQuery("empty query: type a question or a few words")
    return text


@dataclass
class Ranked:
    """A ranked passage: its order score, the fusion's own score, its raw dense score, and whether it is named."""

    chunk_id: int
    score: float  # fused score plus the boosts of the parts it carries
    fused: float  # the fusion's score alone (per-query z-scores in hybrid mode; one side's raw score otherwise)
    named: bool  # carries a recommendation id or an article the question names
    mask_key: str | None = None  # shared-text key (grouping.py), read for the results' prefix only
    dense: float | None = None  # the raw dense score (cosine, sentence view), None in lexical mode

    @property
    def closeness(self) -> float | None:
        """How closely it answers, on the model's own absolute scale (the weak-match rule reads it).

        1 for a passage carrying a named id or article; otherwise its raw dense score, which,
        unlike the fused z-score, does not depend on the other candidates; None without a dense side.
        """
        return 1.0 if self.named else self.dense


class Ranking(Sequence[Ranked]):
    """A question's ranked passages, best first; each ``Ranked`` is made when it is read.

    A question has a few hundred candidates and its results read the first
    few tens (grouping.py), so the rest are never made.
    """

    def __init__(self, ids: np.ndarray, scores: np.ndarray, fused: np.ndarray, named: np.ndarray,
                 dense: dict[int, float]):
        self._ids, self._scores, self._fused, self._named = ids.tolist(), scores.tolist(), fused.tolist(), named.tolist()
        self._dense = dense

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, at: int | slice):
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        i = self._ids[at]
        return Ranked(i, self._scores[at], self._fused[at], self._named[at], dense=self._dense.get(i))


def named_sources(understood: Understanding, filters: Filters) -> list[Filters]:
    """The passages carrying a named id or article, within the user's filters: few, and all candidates."""
    sources = []
    if recs := understood.values("recommendation"):
        sources.append(replace(filters, rec_ids=recs))
    if articles := understood.values("article"):
        sources += [replace(filters, article_numbers=articles), replace(filters, cited_articles=articles)]
    return sources


def part_sources(understood: Understanding, filters: Filters) -> list[Filters]:
    """Where the recognised parts look for candidates, each within the user's filters."""
    sources = named_sources(understood, filters)
    broad = {"countries": understood.values("party"), "sections": understood.values("section"),
             "kinds": understood.values("kind"), "strengths": understood.values("strength")}
    if "recommendation" in broad["kinds"]:
        broad["kinds"] = [*broad["kinds"], BlockKind.GENERIC_RECOMMENDATION.value]
    if any(broad.values()):  # the user's own filters win over what the question implies
        sources.append(replace(filters, **{name: getattr(filters, name) or values for name, values in broad.items()}))
    return sources


def part_boosts(snapshot: Snapshot, ids: np.ndarray, understood: Understanding) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(whether each chunk id is stored, then for those: the boost each earns from the parts it carries,
    and whether it carries a named id or article), read from the facet columns."""
    columns = snapshot.columns()
    stored, rows = columns.rows(ids)
    ids = ids[stored]
    if not understood.parts:
        return stored, np.zeros(len(ids)), np.zeros(len(ids), dtype=bool)
    recs, kinds = understood.values("recommendation"), understood.values("kind")
    kinds_carried = [*kinds, *(kind for kind, also in _KIND_ALSO.items() if also in kinds)]
    carried = {
        "recommendation": np.isin(ids, snapshot.rec_chunk_ids(recs)) if recs else np.zeros(len(ids), dtype=bool),
        "article": columns.with_article(understood.values("article"), ids),
        "kind": columns.carries("kind", kinds_carried, rows),
        "section": columns.carries("section", understood.values("section"), rows),
        "strength": columns.carries("strength", understood.values("strength"), rows),
        "party": columns.carries("country", understood.values("party"), rows),
    }
    total = sum(BOOSTS[name] * yes for name, yes in carried.items())
    if not kinds:
        for name, extra in ANSWER_FIRST.items():
            for kind, boost in extra.items():
                total = total + boost * (carried[name] & columns.carries("kind", [kind], rows))
    return stored, np.asarray(total, dtype=float), carried["recommendation"] | carried["article"]


class Retriever:
    """Ranks chunk ids for a query within one snapshot; the archive turns them into hits.

    ``vectors`` may be None for lexical-only ranking.
    """

    def __init__(self, snapshot: Snapshot, vectors: "VectorIndex | None", lexical: LexicalIndex, dimension: int,
                 fuse: Fuse = fuse, sentences: "SentenceVectors | None" = None):
        self.snapshot = snapshot
        self.vectors = vectors
        self.lexical = lexical
        self.dimension = dimension
        self.fuse = fuse
        self.sentences = sentences  # the sentence-vector file (sentence_cache.py); None reads them all from SQLite

    def rank(self, query: str, query_vector: np.ndarray | None, filters: Filters, mode: str) -> list[tuple[int, float]]:
        """(chunk id, score) best first, for a mode already checked by ``check_mode``."""
        lexical = self.lexical.search(query, CANDIDATES, filters) if mode in ("hybrid", "lexical") else []
        if mode == "lexical":
            return lexical
        allowed = self.snapshot.filtered_ids(filters) if self.snapshot.restricts(filters) else None
        dense = self.dense(query_vector, allowed, extra=[i for i, _ in lexical])
        if mode == "dense":
            return dense
        return self.fuse(dense, lexical)

    def start(self, query_vector: np.ndarray | None, filters: Filters, mode: str) -> "Future | None":
        """Start the vector search within the user's filters, the first source of every question, in a
        worker (see SIDES), so that it runs while the question is understood; None in lexical mode."""
        if mode not in ("hybrid", "dense"):
            return None
        allowed = self.snapshot.filtered_ids(filters) if self.snapshot.restricts(filters) else None
        return SIDES.submit(self._vector_candidates, query_vector, [allowed])

    def rank_understood(self, understood: Understanding, query_vector: np.ndarray | None, filters: Filters,
                        mode: str, started: "Future | None" = None) -> "Ranking":
        """Rank for a question and its recognised parts: candidates from every source, fused once, boosted.

        The dense side reads the whole question; the lexical side the words
        that are not a recognised part ("III-3" is not the words "iii" and "3").
        Each side's raw scores are gathered over the union of the sources (a
        passage's cosine and its bm25 do not depend on the source that found
        it), the named passages get their real dense scores, and the two sides
        are fused once, so every candidate's fused score is on one scale.
        ``started`` is what ``start`` returned for the same vector, filters and mode, if it was called.
        """
        sources = [filters, *part_sources(understood, filters)]
        named_ids: list[int] = []
        for source in named_sources(understood, filters):  # in every mode, even with no word left to match
            named_ids += self.snapshot.filtered_ids(source)[-NAMED_LIMIT:].tolist()
        found = [started or self.start(query_vector, filters, mode)] if mode in ("hybrid", "dense") else []
        if found and sources[1:]:  # the vector searches run beside the lexical side (see SIDES)
            allowed = [self.snapshot.filtered_ids(s) if self.snapshot.restricts(s) else None for s in sources[1:]]
            found.append(SIDES.submit(self._vector_candidates, query_vector, allowed))
        lexical: dict[int, float] = {}
        if mode in ("hybrid", "lexical"):
            for source in sources:
                for chunk_id, score in self.lexical.search(understood.rest, CANDIDATES, source):
                    lexical[chunk_id] = max(score, lexical.get(chunk_id, score))
        dense: dict[int, float] = {}
        if found:
            candidates, sentences = {}, {}
            for each in found:  # in the order of the sources, as one search of them all would merge them
                more, their_sentences = each.result()
                candidates.update(more)
                sentences.update(their_sentences)
            dense = dict(self.rescore(query_vector, candidates, extra=[*lexical, *named_ids], sentences=sentences))
        if mode == "lexical":
            floor = min(lexical.values(), default=0.0)  # a named passage the words miss: the side's worst
            fused = {**{i: floor for i in named_ids}, **lexical}
        elif mode == "dense":
            fused = dense
        else:
            fused = dict(self.fuse(best_first(dense), best_first(lexical)))
        unit = _spread(list(fused.values()))
        ids = np.fromiter(fused, dtype=np.int64, count=len(fused))
        scores = np.fromiter(fused.values(), dtype=float, count=len(fused))
        stored, boosts, named = part_boosts(self.snapshot, ids, understood)
        ids, scores = ids[stored], scores[stored]
        boosted = scores + boosts * unit
        order = np.lexsort((ids, -boosted))
        return Ranking(ids[order], boosted[order], scores[order], named[order], dense)

    def _vector_candidates(self, query_vector: np.ndarray, allowed: list[np.ndarray | None]
                           ) -> tuple[dict[int, float], dict[int, float]]:
        """The vector index's candidates within each allowed set (None: all), merged, and the best sentence
        cosines of those the sentence file holds; reads no database."""
        found: dict[int, float] = {}
        for ids in allowed:
            found.update(self.vectors.search(query_vector, CANDIDATES, ids))
        return found, self.sentences.best_held(query_vector, list(found))[0] if self.sentences is not None else {}

    def dense(self, query_vector: np.ndarray, allowed: np.ndarray | None, extra: list[int] = ()) -> list[tuple[int, float]]:
        """Dense ranking: vector candidates (plus ``extra`` ids) rescored with the sentence view."""
        return self.rescore(query_vector, dict(self.vectors.search(query_vector, CANDIDATES, allowed)), extra)

    def rescore(self, query_vector: np.ndarray, candidates: dict[int, float], extra=(),
                sentences: dict[int, float] | None = None) -> list[tuple[int, float]]:
        """The vector candidates' whole-passage cosines, plus ``extra`` ids, rescored with the sentence view
        (``sentences``: best sentence cosines known already, by chunk id)."""
        candidates = dict(candidates)
        candidates.update(self.similarities(query_vector, list(dict.fromkeys(i for i in extra if i not in candidates))))
        best = dict(sentences or {})
        best.update(self.best_sentences(query_vector, [i for i in candidates if i not in best]))
        scored = [
            (i, (1 - SENTENCE_WEIGHT) * whole + SENTENCE_WEIGHT * best.get(i, whole)) for i, whole in candidates.items()
        ]
        scored.sort(key=lambda pair: -pair[1])
        return scored

    def similarities(self, query_vector: np.ndarray, ids: list[int]) -> dict[int, float]:
        """Whole-passage cosine of the given chunk ids."""
        if not ids:
            return {}
        return dict(zip(ids, (float(s) for s in self.vectors.vectors_for(ids) @ query_vector)))

    def best_sentences(self, query_vector: np.ndarray, ids: list[int]) -> dict[int, float]:
        """Cosine of each chunk's best sentence (chunks without sentences are left out)."""
        if self.sentences is not None:
            return self.sentences.best(self.snapshot, query_vector, ids)
        return best_of(query_vector, *self.snapshot.sentence_embeddings(ids, self.dimension))
