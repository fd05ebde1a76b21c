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
Reading them takes 2 s at 1M passages, so the first process to read a
generation's columns writes them to ``facets-g<generation>.bin`` (atomically,
removing older ones), and the others, and the next start, map that file
instead: the writer's refresh after an ingest reads them first.
Recommendation ids, which name few passages, stay an indexed SQL lookup
(``FacetReads.rec_chunk_ids``) intersected with the rest.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .arrayfile import load_arrays, save_arrays
from .filters import Filters
from .fsutil import generation_files

if TYPE_CHECKING:
    from .snapshot import Snapshot

log = logging.getLogger(__name__)

CHUNK_FACETS = ("kind", "section", "strength")  # chunk columns with an index that covers them
FORMAT = 1
FILE_PATTERN = "facets-g{generation}.bin"
# The allowed ids of the filters asked for lately, kept with their generation's columns (a filter
# cache, as search engines keep one): the same few kinds, sections and Parties come back question
# after question, and working one out reads every passage's codes (0.1–0.7 ms at 100k passages).
ALLOWED_CACHE_BYTES = 64 << 20
_ALLOWED_KEY = tuple(f.name for f in fields(Filters) if f.name != "rec_ids")  # what ``allowed`` reads


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
    _allowed: OrderedDict = field(default_factory=OrderedDict, repr=False)  # ``allowed``'s, newest last
    _allowed_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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

    def save(self, path: Path) -> None:
        """Write the columns to one array file, atomically (``load`` maps them back)."""
        groups = {name: (list(found), np.concatenate([*found.values(), np.zeros(0, np.int64)]),
                         np.cumsum([0, *map(len, found.values())]))
                  for name, found in (("by_article", self.by_article), ("by_cited", self.by_cited))}
        header = {"format": FORMAT, "generation": self.generation,
                  "vocabulary": {name: list(values) for name, values in self.vocabulary.items()},
                  **{name: keys for name, (keys, _, _) in groups.items()}}
        arrays = {"ids": self.ids, "doc_country": self.doc_country, "doc_current": self.doc_current,
                  **{f"codes_{name}": codes for name, codes in self.codes.items()},
                  **{f"{name}_ids": ids for name, (_, ids, _) in groups.items()},
                  **{f"{name}_offsets": offsets for name, (_, _, offsets) in groups.items()}}
        save_arrays(path, header, arrays)

    @classmethod
    def load(cls, path: Path) -> "FacetColumns":
        """The columns ``save`` wrote, memory-mapped; ``ValueError`` when the file is of another format."""
        header, arrays = load_arrays(path)
        if header.get("format") != FORMAT:
            raise ValueError(f"{path.name} is of format {header.get('format')}, not {FORMAT}")
        groups = {}
        for name in ("by_article", "by_cited"):
            ids, offsets = arrays[f"{name}_ids"], arrays[f"{name}_offsets"]
            groups[name] = {key: ids[offsets[i]:offsets[i + 1]] for i, key in enumerate(header[name])}
        vocabulary = {name: {value: code for code, value in enumerate(values)}
                      for name, values in header["vocabulary"].items()}
        codes = {name[len("codes_"):]: array for name, array in arrays.items() if name.startswith("codes_")}
        return cls(int(header["generation"]), arrays["ids"], codes, vocabulary, arrays["doc_country"],
                   arrays["doc_current"], groups["by_article"], groups["by_cited"])

    def differences(self, other: "FacetColumns") -> list[str]:
        """The columns in which these and ``other`` (read afresh from the database) disagree."""
        pairs = {"ids": (self.ids, other.ids), "documents' countries": (self.doc_country, other.doc_country),
                 "current versions": (self.doc_current, other.doc_current),
                 **{f"{name} codes": (codes, other.codes.get(name)) for name, codes in self.codes.items()}}
        differ = [name for name, (mine, theirs) in pairs.items() if theirs is None or not np.array_equal(mine, theirs)]
        differ += [name for name in self.vocabulary if self.vocabulary[name] != other.vocabulary.get(name)]
        for name, mine, theirs in (("articles", self.by_article, other.by_article),
                                   ("cited articles", self.by_cited, other.by_cited)):
            if mine.keys() != theirs.keys() or any(not np.array_equal(mine[k], theirs[k]) for k in mine):
                differ.append(name)
        return differ

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

    @cached_property
    def has_history(self) -> bool:
        """Whether an earlier version of any document is kept (asked twice a search: read once)."""
        return not bool(self.doc_current.all())

    def allowed(self, filters: Filters) -> np.ndarray:
        """The chunk ids the filters allow, ascending and read-only, but for ``rec_ids`` (see ``FacetReads``);
        those of recent filters are kept (ALLOWED_CACHE_BYTES)."""
        key = tuple(filters.history if name == "history" else tuple(getattr(filters, name)) for name in _ALLOWED_KEY)
        with self._allowed_lock:
            if (ids := self._allowed.get(key)) is not None:
                self._allowed.move_to_end(key)
                return ids
        ids = self._work_out_allowed(filters)
        ids.flags.writeable = False
        with self._allowed_lock:
            self._allowed[key] = ids
            while sum(a.nbytes for a in self._allowed.values() if a is not self.ids) > ALLOWED_CACHE_BYTES:
                self._allowed.popitem(last=False)
        return ids

    def _work_out_allowed(self, filters: Filters) -> np.ndarray:
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
    """The facet columns of the newest generation a read snapshot has seen, read again when it changes:
    from the folder's file of that generation, else from the database (and then written to that file)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self._columns: FacetColumns | None = None
        self._lock = threading.Lock()

    def _read(self, snapshot: "Snapshot", generation: int) -> FacetColumns:
        if self.folder is None:
            return snapshot.facet_columns(generation)
        path = self.folder / FILE_PATTERN.format(generation=generation)
        if path.exists():
            try:
                columns = FacetColumns.load(path)
                if columns.generation == generation:
                    return columns
                log.warning("recovery: %s holds generation %d; reading the database", path.name, columns.generation)
            except (OSError, ValueError, KeyError) as exc:  # a damaged cache is replaced, never trusted
                log.warning("recovery: %s is unreadable (%s); reading the database", path.name, exc)
        columns = snapshot.facet_columns(generation)
        try:
            columns.save(path)
        except OSError as exc:  # a read-only folder still answers, reading the database
            log.warning("cannot write %s (%s); facet columns are read from the database", path.name, exc)
            return columns
        for number, old in generation_files(self.folder, FILE_PATTERN):
            if number < generation:  # a newer file is another process's, and newer
                old.unlink(missing_ok=True)
        return columns

    def for_snapshot(self, snapshot: "Snapshot") -> FacetColumns:
        generation = snapshot.generation()
        columns = self._columns
        if columns is not None and columns.generation == generation:
            return columns
        with self._lock:  # one reader reads them; the others wait for its copy
            columns = self._columns
            if columns is None or columns.generation != generation:
                columns = self._read(snapshot, generation)
                if self._columns is None or generation >= self._columns.generation:
                    self._columns = columns  # a reader still in an older snapshot keeps the newer copy
        return columns
