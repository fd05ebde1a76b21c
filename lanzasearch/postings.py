"""Postings of a set of passages: for each term, the passages holding it and how often.

A ``Segment`` is immutable plain arrays in CSR form: the postings of term
row ``r`` are ``docs[offsets[r]:offsets[r + 1]]`` (chunk ids, ascending) with
their weighted frequencies ``freqs`` (each column's count times its weight,
as FTS5's bm25 counts them). Per term it also keeps the largest frequency and
the shortest passage, the two numbers an upper bound of the term's score
needs. Per passage it keeps the length (tokens over all columns).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .arrayfile import load_arrays, save_arrays

_ARRAYS = ("offsets", "docs", "freqs", "max_freq", "min_length", "doc_ids", "doc_lengths")


@dataclass(frozen=True)
class Segment:
    """The postings of some passages (see the module docstring)."""

    terms: tuple[str, ...]
    offsets: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int32 chunk ids, ascending within a term
    freqs: np.ndarray  # float64 weighted frequency (FTS5 sums the weights in double)
    max_freq: np.ndarray  # float64, per term
    min_length: np.ndarray  # float32, per term: the shortest passage holding it
    doc_ids: np.ndarray  # int64, ascending: the passages of the segment
    doc_lengths: np.ndarray  # float32: their lengths, tokens over all columns
    _rows: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._rows.update((term, row) for row, term in enumerate(self.terms))

    @classmethod
    def empty(cls) -> "Segment":
        return cls.build([], np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32),
                         np.zeros(0, np.int64), np.zeros(0, np.float32))

    @classmethod
    def build(cls, vocabulary: list[str], term_ids: np.ndarray, docs: np.ndarray, freqs: np.ndarray,
              doc_ids: np.ndarray, doc_lengths: np.ndarray) -> "Segment":
        """A segment from one posting per (term id into ``vocabulary``, doc) and the docs' lengths.

        Several postings of one (term, doc) are summed; terms without a posting are dropped.
        """
        order = np.lexsort((docs, term_ids))
        term_ids, docs, freqs = term_ids[order], docs[order].astype(np.int32), freqs[order].astype(np.float64)
        if len(docs) > 1:
            starts = np.flatnonzero(np.r_[True, (term_ids[1:] != term_ids[:-1]) | (docs[1:] != docs[:-1])])
            if len(starts) < len(docs):
                term_ids, docs, freqs = term_ids[starts], docs[starts], np.add.reduceat(freqs, starts)
        used, starts = np.unique(term_ids, return_index=True)
        offsets = np.append(starts, len(docs)).astype(np.int64)
        by_doc = np.argsort(doc_ids, kind="stable")
        doc_ids, doc_lengths = doc_ids[by_doc].astype(np.int64), doc_lengths[by_doc].astype(np.float32)
        lengths = doc_lengths[np.searchsorted(doc_ids, docs)] if len(docs) else np.zeros(0, np.float32)
        heads = offsets[:-1]
        return cls(
            terms=tuple(vocabulary[i] for i in used.tolist()),
            offsets=offsets,
            docs=docs,
            freqs=freqs,
            max_freq=np.maximum.reduceat(freqs, heads) if len(docs) else np.zeros(0, np.float64),
            min_length=np.minimum.reduceat(lengths, heads) if len(docs) else np.zeros(0, np.float32),
            doc_ids=doc_ids,
            doc_lengths=doc_lengths,
        )

    def __len__(self) -> int:
        """The number of passages."""
        return len(self.doc_ids)

    @property
    def postings_count(self) -> int:
        return len(self.docs)

    def row(self, term: str) -> int | None:
        """The term's row, or None when no passage here holds it."""
        return self._rows.get(term)

    def postings(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids ascending, weighted frequencies) of a term row."""
        start, end = int(self.offsets[row]), int(self.offsets[row + 1])
        return self.docs[start:end], self.freqs[start:end]

    def exploded(self) -> np.ndarray:
        """The term row of every posting (for rebuilding or merging segments)."""
        return np.repeat(np.arange(len(self.terms), dtype=np.int64), np.diff(self.offsets))

    def without(self, ids: np.ndarray) -> "Segment":
        """This segment less the passages ``ids`` (postings and lengths)."""
        gone = np.isin(self.docs, ids)
        if not gone.any() and not np.isin(self.doc_ids, ids).any():
            return self
        rows = self.exploded()
        keep = ~np.isin(self.doc_ids, ids)
        return Segment.build(list(self.terms), rows[~gone], self.docs[~gone], self.freqs[~gone],
                             self.doc_ids[keep], self.doc_lengths[keep])

    @staticmethod
    def merge(segments: list["Segment"], drop: np.ndarray | None = None) -> "Segment":
        """One segment of the passages of all ``segments`` (which hold different passages), less ``drop``."""
        vocabulary: dict[str, int] = {}
        rows, docs, freqs, doc_ids, lengths = [], [], [], [], []
        for segment in segments:
            remap = np.array([vocabulary.setdefault(t, len(vocabulary)) for t in segment.terms], dtype=np.int64)
            local = segment.exploded()
            seg_docs, seg_freqs = np.asarray(segment.docs), np.asarray(segment.freqs)
            seg_ids, seg_lengths = np.asarray(segment.doc_ids), np.asarray(segment.doc_lengths)
            if drop is not None and len(drop):
                keep, keep_ids = ~np.isin(seg_docs, drop), ~np.isin(seg_ids, drop)
                local, seg_docs, seg_freqs = local[keep], seg_docs[keep], seg_freqs[keep]
                seg_ids, seg_lengths = seg_ids[keep_ids], seg_lengths[keep_ids]
            rows.append(remap[local] if len(remap) else local)
            docs.append(seg_docs)
            freqs.append(seg_freqs)
            doc_ids.append(seg_ids)
            lengths.append(seg_lengths)
        if not segments:
            return Segment.empty()
        return Segment.build(list(vocabulary), np.concatenate(rows), np.concatenate(docs), np.concatenate(freqs),
                             np.concatenate(doc_ids), np.concatenate(lengths))

    # -- files -----------------------------------------------------------------------------

    def save(self, path: Path, header: dict, extra: dict[str, np.ndarray] | None = None) -> None:
        """Write the segment, ``header`` and ``extra`` arrays to one file, atomically."""
        arrays = {name: getattr(self, name) for name in _ARRAYS}
        save_arrays(path, {**header, "terms": list(self.terms)}, {**arrays, **(extra or {})})

    @classmethod
    def load(cls, path: Path) -> tuple[dict, "Segment", dict[str, np.ndarray]]:
        """(header, segment, extra arrays) of a file written by ``save``; the postings are memory-mapped."""
        header, arrays = load_arrays(path)
        terms = tuple(header.pop("terms", ()))
        missing = [name for name in _ARRAYS if name not in arrays]
        if missing or len(arrays["offsets"]) != len(terms) + 1:
            raise ValueError(f"{Path(path).name}: not a postings file")
        segment = cls(terms=terms, **{name: arrays.pop(name) for name in _ARRAYS})
        return header, segment, arrays
