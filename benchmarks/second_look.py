"""`make second-look`: two ways of taking a second look at the top candidates, measured, not shipped.

For each embedding model and each query set (dev, held-out, French), beside
the archive's hybrid search as it is:

- pseudo-relevance feedback on the lexical side: the words shared by at
  least two of the lexical side's first three passages (stop words and the
  query's own words left out, at most ``PRF_TERMS``) are added to the query
  and the lexical side is asked again, then fused with the dense side as
  usual;
- a second dense view: the other model's dense ranking of the same passages
  (the two archives hold the same corpus; passages are matched by text),
  fused with both the model's own dense side and the lexical side (z-scores,
  shares in ``SECOND_VIEW_SHARES``).

The README's retrieval notes quote what this prints; it also writes
benchmarks/second-look.json. Each variant's extra cost per query is reported
as a median over the dev queries.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval as bench  # noqa: E402  (benchmarks/eval.py: the archives and query sets of `make eval`)

from lanzasearch.evaluation import evaluate  # noqa: E402
from lanzasearch.filters import Filters  # noqa: E402
from lanzasearch.fusion import best_first, fuse, zscores  # noqa: E402
from lanzasearch.search import CANDIDATES  # noqa: E402
from lanzasearch.text import words  # noqa: E402
from lanzasearch.vocabulary import STOPWORDS  # noqa: E402

RESULTS = bench.ROOT / "benchmarks" / "second-look.json"
PRF_DOCS = 3
PRF_TERMS = 8
SECOND_VIEW_SHARES = (0.35, 0.35)  # own dense, other model's dense; the lexical side has the rest


def feedback_terms(query: str, texts: list[str]) -> list[str]:
    """Words found in at least two of the feedback passages, most frequent first, not in the query."""
    asked = set(words(query))
    counts: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    for text in texts:
        found = [w for w in words(text) if w not in STOPWORDS and w not in asked and len(w) > 2 and not w.isdigit()]
        counts.update(found)
        spread.update(set(found))
    return [w for w, _ in counts.most_common() if spread[w] >= 2][:PRF_TERMS]


class Variants:
    """The archive's hybrid search and its two second looks, over one archive (and the other model's)."""

    def __init__(self, archive, other):
        self.archive, self.other = archive, other
        with archive.store.snapshot() as snapshot:
            self.by_text = {hit.text: hit.chunk_id for hit in snapshot.hits([(int(i), 0.0) for i in snapshot.chunk_ids()])}

    def ranked(self, query: str, expand: bool = False) -> tuple[list, list]:
        """(dense, lexical) candidates of the archive, the lexical side with feedback when ``expand``."""
        vector = self.archive.embedder.encode_query(query)
        with self.archive.store.snapshot() as snapshot:
            retriever = self.archive._retriever(snapshot)
            lexical = retriever.lexical.search(query, CANDIDATES, Filters())
            if expand and lexical:
                texts = [hit.text for hit in snapshot.hits(lexical[:PRF_DOCS])]
                extra = feedback_terms(query, texts)
                if extra:
                    lexical = retriever.lexical.search(f"{query} {' '.join(extra)}", CANDIDATES, Filters())
            dense = retriever.dense(vector, None, extra=[i for i, _ in lexical])
        return dense, lexical

    def other_dense(self, query: str) -> list:
        """The other model's dense ranking, in this archive's chunk ids."""
        vector = self.other.embedder.encode_query(query)
        with self.other.store.snapshot() as snapshot:
            ranked = self.other._retriever(snapshot).dense(vector, None)
            hits = snapshot.hits(ranked)
        return [(self.by_text[h.text], h.score) for h in hits if h.text in self.by_text]

    def hits(self, ranked: list) -> list:
        with self.archive.store.snapshot() as snapshot:
            return snapshot.hits(ranked[:10])

    def hybrid(self, query: str) -> list:
        return self.hits(fuse(*self.ranked(query)))

    def feedback(self, query: str) -> list:
        return self.hits(fuse(*self.ranked(query, expand=True)))

    def second_view(self, query: str) -> list:
        dense, lexical = self.ranked(query)
        sides = [zscores(dict(dense)), zscores(dict(self.other_dense(query))), zscores(dict(lexical))]
        shares = [*SECOND_VIEW_SHARES, 1 - sum(SECOND_VIEW_SHARES)]
        floors = [min(side.values(), default=0.0) for side in sides]
        ids = set().union(*sides)
        fused = {i: sum(w * side.get(i, floor) for w, side, floor in zip(shares, sides, floors)) for i in ids}
        return self.hits(best_first(fused))


def print_table(rows: list[dict]) -> None:
    """The README's second-look table: dev, held-out and French figures and the cost, a row per system."""
    print("| model | system | dev hit@1 / MRR@10 | held-out hit@1 / MRR@10 | French hit@1 / hit@5 | ms a query |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        d, h, f = r["dev"], r["held-out"], r["French"]
        print(f"| {bench.SHORT[r['model']]} | {r['system']} | {d['hit@1']:.3f} / {d['mrr@10']:.3f} | "
              f"{h['hit@1']:.3f} / {h['mrr@10']:.3f} | {f['hit@1']:.3f} / {f['hit@5']:.3f} | {r['ms_per_query']} |")


def cost_ms(search, queries: list[str], warm: bool = True) -> float:
    """Median milliseconds per query; ``warm`` first runs each once, so the query vectors are cached and
    what is timed is the second look's own cost (else the whole search, encoding included)."""
    for q in queries if warm else ():
        search(q)
    times = []
    for q in queries:
        start = time.perf_counter()
        search(q)
        times.append(time.perf_counter() - start)
    return round(1000 * statistics.median(times), 2)


def main() -> int:
    sets = {name: bench.load_queries(path) for name, path in bench.QUERY_SETS.items()}
    archives = {model: bench.corpus_archive(model) for model in bench.MODELS}
    rows = []
    for model, archive in archives.items():
        other = next(a for m, a in archives.items() if m != model)
        variants = Variants(archive, other)
        systems = {"hybrid (as shipped)": variants.hybrid, "hybrid + lexical feedback": variants.feedback,
                   "hybrid + the other model's dense view": variants.second_view}
        dev = [q.query for q in sets["dev"]]
        for name, search in systems.items():
            row = {"model": model, "system": name, "ms_per_query": cost_ms(search, dev)}
            for set_name, queries in sets.items():
                report = evaluate(search, queries, name).summary()
                row[set_name] = {k: report[k] for k in ("hit@1", "hit@5", "mrr@10")}
            rows.append(row)
            bench.log(json.dumps(row))
    print_table(rows)
    RESULTS.write_text(json.dumps({"rows": rows}, indent=2) + "\n", encoding="utf-8")
    for archive in archives.values():
        archive.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
