"""`make fusion-grid`: the fusion's constants across a grid, per model and query set, to show the plateau.

Each query's candidates are taken once from the real archive (the dense side
with its sentence view, the lexical side, as ``Retriever.rank`` gets them);
each fusion of the grid then ranks them and is scored by the eval set's rule.
Prints one table per fusion family and writes benchmarks/fusion-grid.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from eval import MODELS, QUERY_SETS, ROOT, SHORT, WORK, corpus_archive, log

from lanzasearch.evaluation import CUTOFF, EvalReport, QueryResult, load_queries
from lanzasearch.filters import Filters
from lanzasearch.fusion import DENSE_SHARE, Fuse, Ranked, best_first, fuse
from lanzasearch.search import CANDIDATES
from lanzasearch.text import normalize_for_match

RESULTS = ROOT / "benchmarks" / "fusion-grid.json"


def zscore_convex(share: float) -> Fuse:
    """The archive's fusion (fusion.fuse) with another dense share."""
    return lambda dense, lexical: fuse(dense, lexical, dense_share=share)


def minmax(scores: dict[int, float]) -> dict[int, float]:
    """Scores mapped onto [0, 1], the best to 1 and the worst to 0."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    return {i: (s - low) / (high - low) if high > low else 1.0 for i, s in scores.items()}


def minmax_convex(share: float) -> Fuse:
    """Min-max normalisation of each side in place of z-scores (measured, not kept)."""
    def fused(dense: Ranked, lexical: Ranked) -> Ranked:
        d, l = minmax(dict(dense)), minmax(dict(lexical))
        return best_first({i: share * d.get(i, 0.0) + (1 - share) * l.get(i, 0.0) for i in d.keys() | l.keys()})
    return fused


def rrf(k: float) -> Fuse:
    """Reciprocal-rank fusion: the sum of 1 / (k + rank) over both sides (measured, not kept)."""
    def fused(dense: Ranked, lexical: Ranked) -> Ranked:
        out: dict[int, float] = {}
        for ranked in (dense, lexical):
            for r, (i, _) in enumerate(ranked, start=1):
                out[i] = out.get(i, 0.0) + 1 / (k + r)
        return best_first(out)
    return fused


SHARES = [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85]
GRID = {
    f"z-scores, dense share (kept: {DENSE_SHARE})": (zscore_convex, SHARES),
    "min-max, dense share": (minmax_convex, SHARES),
    "reciprocal-rank fusion, k": (rrf, [5, 10, 20, 40, 60, 100]),
}


@dataclass
class Candidates:
    """One query's two candidate lists and which candidates are hits."""

    id: str
    dense: Ranked
    lexical: Ranked
    hits: set[int]


def collect(model: str) -> dict[str, list[Candidates]]:
    """Candidates of every query of every set, from the archive of corpus/ built with ``model``."""
    archive = corpus_archive(model)
    out: dict[str, list[Candidates]] = {}
    for set_name, path in QUERY_SETS.items():
        out[set_name] = []
        for q in load_queries(path):
            vector = archive.embedder.encode_query(q.query)
            with archive.store.snapshot() as snapshot:
                retriever = archive._retriever(snapshot)
                lexical = retriever.lexical.search(q.query, CANDIDATES, Filters())
                dense = retriever.dense(vector, None, extra=[i for i, _ in lexical])
                ids = list(dict.fromkeys([i for i, _ in dense] + [i for i, _ in lexical]))
                texts = {h.chunk_id: normalize_for_match(h.text) for h in snapshot.hits([(i, 0.0) for i in ids])}
            anchors = [normalize_for_match(a) for a in q.relevant]
            hits = {i for i, text in texts.items() if any(a and a in text for a in anchors)}
            out[set_name].append(Candidates(q.id, dense, lexical, hits))
    archive.close()
    return out


def score(candidates: list[Candidates], fuse: Fuse) -> EvalReport:
    """The eval rule's report for a fusion over collected candidates."""
    report = EvalReport("grid")
    for c in candidates:
        ranked = [i for i, _ in fuse(c.dense, c.lexical)[:CUTOFF]]
        rank = next((r for r, i in enumerate(ranked, start=1) if i in c.hits), None)
        report.queries.append(QueryResult(c.id, "", rank, 0.0))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    for model in args.models:
        collected = collect(model)
        log(f"{model}: candidates collected")
        for family, (make, points) in GRID.items():
            for value in points:
                fuse = make(value)
                row = {"model": model, "family": family, "value": value}
                for set_name, candidates in collected.items():
                    report = score(candidates, fuse)
                    row[set_name] = {"hit@1": round(report.hit_at(1), 3), "hit@5": round(report.hit_at(5), 3),
                                     "mrr@10": round(report.mrr, 3)}
                results.append(row)
    print_tables(results)
    args.output.write_text(json.dumps({"grid": results}, indent=2) + "\n", encoding="utf-8")
    return 0


def print_tables(results: list[dict]) -> None:
    for family in dict.fromkeys(r["family"] for r in results):
        print(f"\n{family}\n")
        sets = list(QUERY_SETS)
        print("| model | value | " + " | ".join(f"{s} hit@1 | {s} MRR@10" for s in sets) + " |")
        print("| --- | --- | " + " | ".join("--- | ---" for _ in sets) + " |")
        for r in results:
            if r["family"] == family:
                cells = " | ".join(f"{r[s]['hit@1']:.3f} | {r[s]['mrr@10']:.3f}" for s in sets)
                print(f"| {SHORT.get(r['model'], r['model'])} | {r['value']} | {cells} |")


if __name__ == "__main__":
    sys.exit(main())
