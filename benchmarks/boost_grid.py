"""`python benchmarks/boost_grid.py`: the boosts of a question's recognised parts across a grid of scales.

search.BOOSTS and search.ANSWER_FIRST are in units of the range of a
question's candidate scores; BOOST_SCALE multiplies all of them at once.
For each scale of the grid this scores the hybrid ranking of the structured
questions on the fixtures' archive (`make index-fixtures`) and of the dev and
held-out questions on the corpus archive (`make index`), by the eval set's
rule, so the scale can be chosen from a plateau of the structured set while
dev and held-out are checked not to drop. Writes benchmarks/boost-grid.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lanzasearch import Archive, search
from lanzasearch.evaluation import evaluate, load_queries

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RESULTS = ROOT / "benchmarks" / "boost-grid.json"
SCALES = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.5, 8.0, 10.0, 12.0, 16.0, 20.0, 30.0]
SETS = [("structured", "structured-queries.jsonl", "fixtures"), ("dev", "dev-queries.jsonl", "corpus"),
        ("held-out", "heldout-queries.jsonl", "corpus")]


def set_scale(scale: float, boosts: dict, answer_first: dict) -> None:
    """Every boost at ``scale`` × its share (the shares as search.py holds them at BOOST_SCALE)."""
    for name, value in boosts.items():
        search.BOOSTS[name] = value / search.BOOST_SCALE * scale
    for name, kinds in answer_first.items():
        for kind, value in kinds.items():
            search.ANSWER_FIRST[name][kind] = value / search.BOOST_SCALE * scale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(ROOT / "index"))
    parser.add_argument("--fixtures-index", default=str(ROOT / "build" / "index-fixtures"))
    parser.add_argument("--mode", default="hybrid")
    args = parser.parse_args()
    archives = {"corpus": Archive.open(args.index), "fixtures": Archive.open(args.fixtures_index)}
    boosts = dict(search.BOOSTS)
    answer_first = {name: dict(kinds) for name, kinds in search.ANSWER_FIRST.items()}
    rows = []
    print(f"{'scale':>6} " + " ".join(f"{name + ' h@1':>15} {'h@5':>5} {'MRR':>6}" for name, _, _ in SETS))
    try:
        for scale in SCALES:
            set_scale(scale, boosts, answer_first)
            row = {"scale": scale}
            for name, file, archive in SETS:
                a = archives[archive]
                report = evaluate(lambda q: a.search(q, k=10, mode=args.mode), load_queries(FIXTURES / file), args.mode)
                row[name] = report.summary()
            rows.append(row)
            print(f"{scale:6.1f} " + " ".join(
                f"{row[n]['hit@1']:15.3f} {row[n]['hit@5']:5.3f} {row[n]['mrr@10']:6.3f}" for n, _, _ in SETS))
    finally:
        set_scale(search.BOOST_SCALE, boosts, answer_first)
    RESULTS.write_text(json.dumps({"mode": args.mode, "model": archives["corpus"].model_name, "rows": rows},
                                  indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
