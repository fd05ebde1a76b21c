"""Filters answered in memory: the facet columns of one generation of the archive.

Every search restricts both of its sides to the passages its filters allow
(``Snapshot.filtered_ids``), and to the current versions of documents when
earlier ones are kept; a recognised part of a question (a kind, a section, a
Party) is a filtered source of candidates too, so a question can ask for
several. In SQL each is a join of the chunks and documents tables: 0.1 s for
the 9,405 follow-ups of a 100k archive, a second at 1M. Here the columns a
filter reads (each passage's kind, section, strength and document; each
document's country and whether it is current; who is a Convention article or
cites one) are read once per generation from the covering indexes, as small
integer codes, and a filter is a few vectorised comparisons: under a
millisecond at 100k.

The columns belong to one committed generation: ``FacetCache`` reads them
again when a snapshot sees another, and only for read transactions (a write
in progress has bumped the generation before it commits, and may roll back).
Recommendation ids, which name few passages, stay an indexed SQL lookup
(``FacetReads.rec_chunk_ids``) intersected with the rest.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .filters import Filters

if TYPE_CHECKING:
    from .snapshot import Snapshot

CHUNK_FACETS = ("kind", "section", "strength")  # chunk columns with an index that covers them


def _codes(values: Iterable, vocabulary: dict, count: int) -> np.ndarray:
    """Each value's code in ``vocabulary`` (new values get the next code)."""
    return np.fromiter((vocabulary.setdefault(v, len(vocabulary)) for v in values), dtype=np.int32, count=count)


def _ids(rows: Sequence[tuple]) -> np.ndarray:
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))


def _union(groups: dict[str, np.ndarray], keys: Iterable[str]) -> np.ndarray:
    found = [groups[k] for k in keys if k in groups]
    return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class FacetColumns:
    """One generation's facet columns: every chunk id, ascending, and each facet's code per id."""

    generation: int
    ids: np.ndarray  # int64, ascending
    codes: dict[str, np.ndarray]  # "kind", "section", "strength", "doc" → int32 code per id
    vocabulary: dict[str, dict]  # the same names, and "country" → {value: code}
    doc_country: np.ndarray  # per document code: its country's code
    doc_current: np.ndarray  # per document code: whether it is the current version
    by_article: dict[str, np.ndarray]  # a Convention article's number → its passages' ids
    by_cited: dict[str, np.ndarray]  # an article's number → the ids of the passages citing it
    _values: dict[str, list[str]] = field(default_factory=dict, repr=False)  # ``values``, once per name

    @classmethod
    def build(cls, generation: int, documents: Sequence[tuple], columns: dict[str, Sequence[tuple]],
              articles: Sequence[tuple]) -> "FacetColumns":
        """From the rows ``FacetReads.facet_columns`` reads: documents (doc_id, country, current),
        each facet's (chunk id, value[, doc_id]) in any order, and (chunk id, article, cited JSON)."""
        doc_codes = {doc_id: code for code, (doc_id, _, _) in enumerate(documents)}
        vocabulary: dict[str, dict] = {"country": {}, "doc": doc_codes}
        doc_country = _codes((country for _, country, _ in documents), vocabulary["country"], len(documents))
        doc_current = np.fromiter((bool(current) for *_, current in documents), dtype=bool, count=len(documents))
        kind_rows = columns["kind"]
        ids = _ids(kind_rows)
        order = np.argsort(ids, kind="stable")
        codes = {"doc": np.fromiter((doc_codes[r[2]] for r in kind_rows), dtype=np.int32, count=len(kind_rows))[order]}
        for name in CHUNK_FACETS:
            rows = columns[name]
            if len(rows) != len(ids):
                raise ValueError(f"the {name} index holds {len(rows)} passages, the kind index {len(ids)}")
            vocabulary[name] = {}
            codes[name] = _codes((r[1] for r in rows), vocabulary[name], len(rows))[np.argsort(_ids(rows), kind="stable")]
        by_article: dict[str, list[int]] = {}
        by_cited: dict[str, list[int]] = {}
        for chunk_id, article, cited in articles:
            if article is not None:
                by_article.setdefault(article, []).append(chunk_id)
            for number in json.loads(cited) if cited != "[]" else ():
                by_cited.setdefault(str(number), []).append(chunk_id)
        sorted_ids = ids[order]
        sorted_ids.flags.writeable = False
        return cls(generation, sorted_ids, codes, vocabulary, doc_country, doc_current,
                   {k: np.unique(v) for k, v in by_article.items()}, {k: np.unique(v) for k, v in by_cited.items()})

    def _among(self, name: str, values: list[str], rows: np.ndarray | None = None) -> np.ndarray:
        """Whether each passage's ``name`` is one of ``values`` (a value the archive lacks matches nothing).

        Every passage's, or those at ``rows`` (see ``rows``). ``name`` is a chunk facet or "country".
        """
        vocabulary = self.vocabulary[name]
        wanted = [vocabulary[v] for v in values if v in vocabulary]
        if name == "country":
            codes = self.doc_country[self.codes["doc"] if rows is None else self.codes["doc"][rows]]
        else:
            codes = self.codes[name] if rows is None else self.codes[name][rows]
        return np.isin(codes, wanted)

    def rows(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(whether each chunk id is stored, the rows of those that are)."""
        ids = np.asarray(ids, dtype=np.int64)
        rows = np.minimum(np.searchsorted(self.ids, ids), max(len(self.ids) - 1, 0))
        stored = self.ids[rows] == ids if len(self.ids) else np.zeros(len(ids), dtype=bool)
        return stored, rows[stored]

    def carries(self, name: str, values: list[str], rows: np.ndarray) -> np.ndarray:
        """Whether the passages at ``rows`` carry one of ``values`` as their kind, section, strength or country."""
        if not values:
            return np.zeros(len(rows), dtype=bool)
        return self._among(name, values, rows)

    def with_article(self, numbers: list[str], ids: np.ndarray) -> np.ndarray:
        """Whether each of ``ids`` is one of these Convention articles or cites one."""
        if not numbers:
            return np.zeros(len(ids), dtype=bool)
        return np.isin(ids, np.union1d(_union(self.by_article, numbers), _union(self.by_cited, numbers)))

    def values(self, name: str) -> list[str]:
        """The distinct values of a facet ("country", "kind", "section", "strength") in this generation, sorted."""
        if name not in self._values:
            self._values[name] = sorted(v for v in self.vocabulary[name] if v is not None)
        return self._values[name]

    @property
    def has_history(self) -> bool:
        """Whether an earlier version of any document is kept."""
        return not bool(self.doc_current.all())

    def allowed(self, filters: Filters) -> np.ndarray:
        """The chunk ids the filters allow, ascending, but for ``rec_ids`` (see ``FacetReads``)."""
        mask: np.ndarray | None = None
        for name, values in (("kind", filters.kinds), ("section", filters.sections), ("strength", filters.strengths)):
            if values:
                chosen = self._among(name, values)
                mask = chosen if mask is None else mask & chosen
        if filters.countries or filters.doc_ids or not filters.history:
            documents = np.ones(len(self.doc_current), dtype=bool) if filters.history else self.doc_current.copy()
            if filters.countries:
                country = self.vocabulary["country"]
                documents &= np.isin(self.doc_country, [country[c] for c in filters.countries if c in country])
            if filters.doc_ids:
                known = self.vocabulary["doc"]
                documents &= np.isin(np.arange(len(documents)), [known[d] for d in filters.doc_ids if d in known])
            if not documents.all():
                chosen = documents[self.codes["doc"]]
                mask = chosen if mask is None else mask & chosen
        ids = self.ids if mask is None else self.ids[mask]
        if filters.article_numbers:
            ids = np.intersect1d(ids, _union(self.by_article, filters.article_numbers), assume_unique=True)
        if filters.cited_articles:
            ids = np.intersect1d(ids, _union(self.by_cited, filters.cited_articles), assume_unique=True)
        return ids


class FacetCache:
    """The facet columns of the newest generation a read snapshot has seen, read again when it changes."""

    def __init__(self) -> None:
        self._columns: FacetColumns | None = None
        self._lock = threading.Lock()

    def for_snapshot(self, snapshot: "Snapshot") -> FacetColumns:
        generation = snapshot.generation()
        columns = self._columns
        if columns is not None and columns.generation == generation:
            return columns
        with self._lock:  # one reader reads them; the others wait for its copy
            columns = self._columns
            if columns is None or columns.generation != generation:
                columns = snapshot.facet_columns(generation)
                if self._columns is None or generation >= self._columns.generation:
                    self._columns = columns  # a reader still in an older snapshot keeps the newer copy
        return columns
