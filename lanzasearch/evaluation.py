"""The eval set's scoring rule: hit@k, MRR@10, nDCG@10 and mean passage length.

A returned passage is a hit when its displayed text, normalised (NFKD,
lower-case, only a-z and 0-9 kept), contains any of the query's anchors
normalised the same way.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol, Sequence

from .errors import QueryFileError
from .text import normalize_for_match

CUTOFF = 10


class Passage(Protocol):
    """What the scoring rule reads of a returned passage (a ``Hit``, a baseline's chunk)."""

    text: str


@dataclass
class Query:
    id: str
    query: str
    relevant: list[str]


@dataclass
class QueryResult:
    id: str
    query: str
    rank: int | None  # rank of the first hit within the top 10, None when there is none
    chars: float  # mean length of the passages returned


@dataclass
class EvalReport:
    mode: str
    queries: list[QueryResult] = field(default_factory=list)

    def hit_at(self, k: int) -> float:
        return _mean([1.0 if q.rank is not None and q.rank <= k else 0.0 for q in self.queries])

    @property
    def mrr(self) -> float:
        return _mean([1.0 / q.rank if q.rank else 0.0 for q in self.queries])

    @property
    def ndcg(self) -> float:
        return _mean([1.0 / math.log2(q.rank + 1) if q.rank else 0.0 for q in self.queries])

    @property
    def chars(self) -> float:
        return _mean([q.chars for q in self.queries])

    def summary(self) -> dict:
        return {
            "mode": self.mode,
            "queries": len(self.queries),
            "hit@1": round(self.hit_at(1), 3),
            "hit@5": round(self.hit_at(5), 3),
            "hit@10": round(self.hit_at(10), 3),
            "mrr@10": round(self.mrr, 3),
            "ndcg@10": round(self.ndcg, 3),
            "chars": round(self.chars),
            "misses": [q.id for q in self.queries if q.rank != 1],
        }


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def load_queries(path: str | Path) -> list[Query]:
    """Read a JSONL query file; a malformed line raises ``QueryFileError`` with its line number."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise QueryFileError(f"{path}: cannot be read ({reason}): give a UTF-8 JSONL file of queries") from None
    queries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            queries.append(Query(str(data["id"]), str(data["query"]), [str(a) for a in data["relevant"]]))
        except (ValueError, KeyError, TypeError) as exc:
            raise QueryFileError(f"{path}:{number}: not a query line ({exc}): expected id, query and relevant") from exc
    return queries


def first_hit(hits: Sequence[Passage], anchors: list[str]) -> int | None:
    wanted = [normalize_for_match(a) for a in anchors]
    for position, hit in enumerate(hits[:CUTOFF], start=1):
        text = normalize_for_match(hit.text)
        if any(anchor and anchor in text for anchor in wanted):
            return position
    return None


def evaluate(search: Callable[[str], Sequence[Passage]], queries: list[Query], mode: str) -> EvalReport:
    """Score a search function (query → top hits) on a query set."""
    report = EvalReport(mode)
    for q in queries:
        hits = search(q.query)[:CUTOFF]
        chars = _mean([len(h.text) for h in hits])
        report.queries.append(QueryResult(q.id, q.query, first_hit(hits, q.relevant), chars))
    return report
