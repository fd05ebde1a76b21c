"""Fusion of the dense and the lexical ranking into one, whatever the model's or the engine's score scale.

Each side's candidate scores are standardised per query (z-scores: minus
their mean, over their standard deviation) before they are combined, so the
fused ranking does not move when one side's scores are multiplied by a
positive constant or shifted by one: a model whose cosines sit in a narrow
band (multilingual-e5-small: 0.83–0.86) fuses like one whose cosines spread
(all-MiniLM-L6-v2), and a lexical engine with another bm25 scale fuses like
FTS5. Unlike rank fusion it keeps how far a candidate stands out from the
others: a passage one side finds far better than the rest can still come
first.

A side with little to say says little: a candidate a side did not return
counts as that side's worst, and a side that returns one candidate or none
(a French question has few words in common with English passages) adds
nothing to any candidate, so the other side decides alone.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

Ranked = list[tuple[int, float]]  # (chunk id, score), best first
Fuse = Callable[[Ranked, Ranked], Ranked]


def best_first(scores: dict[int, float]) -> Ranked:
    """(id, score) pairs sorted by score, ties by id, so the order never depends on a dict's."""
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


# Share of the dense side in the fused score, chosen on the dev set from a plateau: with
# all-MiniLM-L6-v2 hit@1 and MRR@10 are equal (0.933 / 0.961) for 0.65–0.75, with
# multilingual-e5-small 0.933–0.967 / 0.961–0.967 (benchmarks/fusion-grid.json, `make fusion-grid`).
DENSE_SHARE = 0.7


def zscores(scores: dict[int, float]) -> dict[int, float]:
    """Each score's distance from the mean in standard deviations (all 0 for fewer than two, or equal, scores)."""
    ids, z = _zscored(list(scores.items()))
    return dict(zip(ids.tolist(), z.tolist()))


def _zscored(ranked: Ranked) -> tuple[np.ndarray, np.ndarray]:
    """(ids, their scores' z-scores), in the order given (``zscores``)."""
    ids = np.array([i for i, _ in ranked], dtype=np.int64)
    values = np.array([score for _, score in ranked], dtype=np.float64)
    if len(values) < 2:
        return ids, np.zeros(len(values))
    mean = float(values.mean())
    spread = float(values.std())
    if spread <= 1e-12 * max(1.0, abs(mean)):
        return ids, np.zeros(len(values))
    return ids, (values - mean) / spread


def fuse(dense: Ranked, lexical: Ranked, dense_share: float = DENSE_SHARE) -> Ranked:
    """DENSE_SHARE × dense z-score + the rest × lexical z-score, best first (ties by id).

    A candidate missing from one side gets that side's lowest z-score.
    """
    sides = [_zscored(list(dict(dense).items())), _zscored(list(dict(lexical).items()))]
    ids = np.union1d(sides[0][0], sides[1][0])
    fused = np.zeros(len(ids))
    for (side_ids, z), share in zip(sides, (dense_share, 1 - dense_share)):
        each = np.full(len(ids), z.min() if len(z) else 0.0)
        each[np.searchsorted(ids, side_ids)] = z
        fused += share * each
    order = np.lexsort((ids, -fused))
    return list(zip(ids[order].tolist(), fused[order].tolist()))
