"""`make eval`: every figure of the README's retrieval tables, measured in one run.

For each embedding model (all-MiniLM-L6-v2, multilingual-e5-small) and each
query set (dev, held-out, French), by the eval set's scoring rule:

- the baselines of the eval set's README, measured with the same model:
  BM25, dense and their reciprocal-rank hybrid over naive 1,000-character
  chunks of the Markdown factsheet and the Convention (lanzasearch.baseline);
- Lanzasearch lexical, dense and hybrid over an archive of corpus/, hybrid
  both with today's fusion and with the fusion it replaced (raw scores,
  kept below as ``raw_convex`` so that the "before" rows stay measurable).

Archives are built once in benchmarks/work/ (git-ignored) and reused: an
unchanged corpus costs a hash. Prints Markdown tables and writes
benchmarks/eval-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "eval-results.json"
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
NAIVE_SOURCES = [FIXTURES / "factsheet-norway.md", CORPUS / "lanzarote-convention.md"]
QUERY_SETS = {
    "dev": FIXTURES / "dev-queries.jsonl",
    "held-out": FIXTURES / "heldout-queries.jsonl",
    "French": FIXTURES / "french-queries.jsonl",
}
MODELS = ("all-MiniLM-L6-v2", "multilingual-e5-small")
SHORT = {"all-MiniLM-L6-v2": "MiniLM", "multilingual-e5-small": "e5"}
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from lanzasearch import Archive  # noqa: E402
from lanzasearch.baseline import NaiveSearch, naive_chunks  # noqa: E402
from lanzasearch.embedding import load_embedder  # noqa: E402
from lanzasearch.evaluation import EvalReport, Query, evaluate, load_queries  # noqa: E402
from lanzasearch.filters import Filters  # noqa: E402
from lanzasearch.fusion import Fuse, Ranked  # noqa: E402

# The fusion before issue 13: a convex combination of the raw dense score and the squashed bm25
# score, with constants tuned for all-MiniLM-L6-v2. Kept only to measure against.
RAW_DENSE_SHARE = 0.55
RAW_LEXICAL_HALF = 10.0


def raw_convex(dense: Ranked, lexical: Ranked) -> Ranked:
    """The fusion it replaced: 0.55 × raw dense + 0.45 × bm25 / (bm25 + 10)."""
    lexical_scores = {i: s / (s + RAW_LEXICAL_HALF) for i, s in lexical if s > 0}
    dense_scores = dict(dense)
    fused = {i: RAW_DENSE_SHARE * dense_scores.get(i, 0.0) + (1 - RAW_DENSE_SHARE) * lexical_scores.get(i, 0.0)
             for i in dense_scores.keys() | lexical_scores.keys()}
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def log(message: str) -> None:
    print(f"[eval {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def corpus_archive(model: str) -> Archive:
    """An archive of corpus/ built with ``model`` in benchmarks/work/ (reused when it is up to date)."""
    folder = WORK / f"eval-{SHORT.get(model, 'model')}"
    archive = Archive.open(folder, create=True, model=model)
    started = time.perf_counter()
    report = archive.ingest([CORPUS])
    if not report.ok:
        raise SystemExit(f"cannot ingest corpus/: {report.failed}")
    log(f"{model}: archive of corpus/ ready in {folder} ({report.embedded} passages embedded, "
        f"{time.perf_counter() - started:.1f} s)")
    return archive


def search_with(archive: Archive, fuse: Fuse | None, mode: str) -> Callable[[str], list]:
    """Archive.search(query, k=10, mode), with another fusion when ``fuse`` is given."""
    if fuse is None:
        return lambda query: archive.search(query, k=10, mode=mode)

    def search(query: str) -> list:
        vector = archive.embedder.encode_query(query)
        with archive.store.snapshot() as snapshot:
            retriever = archive._retriever(snapshot)
            retriever.fuse = fuse
            return snapshot.hits(retriever.rank(query, vector, Filters(), mode)[:10])

    return search


def rows_for_model(model: str, sets: dict[str, list[Query]]) -> list[dict]:
    """Every row for one model: baselines, then the archive's modes, per query set."""
    archive = corpus_archive(model)
    naive = NaiveSearch(naive_chunks(NAIVE_SOURCES), load_embedder(model))
    systems: list[tuple[str, Callable[[str], list]]] = [
        ("BM25 over naive chunks", lambda q: naive.search(q, "lexical")),
        ("dense over naive chunks", lambda q: naive.search(q, "dense")),
        ("RRF hybrid over naive chunks", lambda q: naive.search(q, "hybrid")),
        ("Lanzasearch lexical", search_with(archive, None, "lexical")),
        ("Lanzasearch dense", search_with(archive, None, "dense")),
        ("Lanzasearch hybrid, raw-score fusion (before)", search_with(archive, raw_convex, "hybrid")),
        ("Lanzasearch hybrid", search_with(archive, None, "hybrid")),
    ]
    rows = []
    for name, search in systems:
        for set_name, queries in sets.items():
            report: EvalReport = evaluate(search, queries, name)
            rows.append({"model": model, "set": set_name, "system": name, **report.summary()})
    archive.close()
    return rows


def markdown(rows: list[dict], set_name: str) -> str:
    """One Markdown table: systems × models for one query set."""
    lines = ["| model | system | hit@1 | hit@5 | hit@10 | MRR@10 | nDCG@10 | mean chars |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        if r["set"] != set_name:
            continue
        lines.append(f"| {SHORT.get(r['model'], r['model'])} | {r['system']} | {r['hit@1']:.3f} | {r['hit@5']:.3f} | "
                     f"{r['hit@10']:.3f} | {r['mrr@10']:.3f} | {r['ndcg@10']:.3f} | {r['chars']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS), help="embedding models to measure")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    sets = {name: load_queries(path) for name, path in QUERY_SETS.items()}
    rows = [row for model in args.models for row in rows_for_model(model, sets)]
    for set_name, queries in sets.items():
        print(f"\n{set_name} ({len(queries)} queries, {QUERY_SETS[set_name].relative_to(ROOT)})\n")
        print(markdown(rows, set_name))
    args.output.write_text(json.dumps({"rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten to {args.output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
