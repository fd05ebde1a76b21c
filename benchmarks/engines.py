"""Lexical engines side by side on one synthetic archive: the pruned index, FTS5, tantivy and bm25s.

    .venv/bin/python benchmarks/engines.py [--size 100000]     (make bench-engines)

Every engine indexes the same passages (the archive's FTS5 rows: context line,
text, footnote remarks) and answers the same 100 questions ``make bench``
uses, unfiltered and within one Party's recommendations. FTS5's bm25 is the
reference for the top 10. Prints a table and writes benchmarks/engines.json.

- pruned: ``lexical.Bm25Search``, what the archive searches with.
- tantivy: block-max WAND; the three fields weighted as FTS5's columns
  (0.5 / 1.0 / 0.3), English stemming, Party and kind as raw fields that a
  boolean query requires.
- bm25s: sparse-matrix scoring of the three fields as one text (it has no
  fields), stemmed, Lucene's idf (FTS5's goes no lower than zero, bm25s's
  Robertson idf does); filters as its weight mask.

All of them get the same words: the question's, with their thesaurus
alternatives. FTS5's top 10 counts ties at its cut: any passage scored as
the tenth may stand in it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (benchmarks/run.py: the archives, the questions, the statistics)
import synthetic  # noqa: E402

from lanzasearch import Archive  # noqa: E402
from lanzasearch.filters import normalise_filters  # noqa: E402
from lanzasearch.lexical import FTS_WEIGHTS, Bm25Search, Fts5Index, query_words  # noqa: E402

WEIGHTS = dict(zip(("context", "text", "extra"), FTS_WEIGHTS))
WORD = re.compile(r"\w+")


def words(question: str) -> list[str]:
    """The question's words and their thesaurus alternatives, as the archive's own engines search them."""
    return [w for group in query_words(question) for alternative in group for w in WORD.findall(alternative.lower())]


def rows(snapshot) -> tuple[list[tuple], dict[int, tuple[str, str]]]:
    """(chunk id, context, text, extra) of every passage, and each passage's (Party, kind), from the
    snapshot's own readers: its FTS5 rows and its facet columns."""
    passages = [row for batch in snapshot.fts5_rows() for row in batch]
    columns = snapshot.columns()
    country = {code: value or "" for value, code in columns.vocabulary["country"].items()}
    kind = {code: value for value, code in columns.vocabulary["kind"].items()}
    countries = columns.doc_country[columns.codes["doc"]]
    facets = {int(i): (country[int(c)], kind[int(k)]) for i, c, k in zip(columns.ids, countries, columns.codes["kind"])}
    return passages, facets


class Tantivy:
    name = "tantivy"

    def __init__(self, passages: list[tuple], facets: dict, folder: Path):
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True)
        for field in WEIGHTS:
            builder.add_text_field(field, tokenizer_name="en_stem")
        builder.add_text_field("country", tokenizer_name="raw")
        builder.add_text_field("kind", tokenizer_name="raw")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(folder))
        writer = self.index.writer(heap_size=512 * 2**20, num_threads=1)
        for chunk_id, context, text, extra in passages:
            country, kind = facets[chunk_id]
            writer.add_document(tantivy.Document(id=chunk_id, context=context or "", text=text or "",
                                                 extra=extra or "", country=country, kind=kind))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, question: str, n: int, country: str | None = None, kind: str | None = None) -> list[int]:
        tantivy = self.tantivy
        terms = " ".join(words(question))  # plain words: no query syntax reaches the parser
        if not terms:
            return []
        query = self.index.parse_query(terms, list(WEIGHTS), field_boosts=WEIGHTS)
        if country:
            query = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, query),
                (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "country", country)),
                (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "kind", kind))])
        hits = self.searcher.search(query, n).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits]


class Bm25s:
    name = "bm25s"

    def __init__(self, passages: list[tuple], facets: dict, folder: Path):
        import bm25s
        import snowballstemmer

        self.bm25s, self.stemmer = bm25s, snowballstemmer.stemmer("english")
        self.ids = np.array([p[0] for p in passages], dtype=np.int64)
        texts = [" ".join(part or "" for part in p[1:]) for p in passages]
        self.retriever = bm25s.BM25(method="lucene")  # robertson idf goes below zero for common words; FTS5 clamps it
        self.retriever.index(bm25s.tokenize(texts, stopwords=None, stemmer=self.stemmer, show_progress=False),
                             show_progress=False)
        self.facets = [facets[i] for i in self.ids.tolist()]
        self._masks: dict = {}

    def search(self, question: str, n: int, country: str | None = None, kind: str | None = None) -> list[int]:
        mask = None
        if country:
            key = (country, kind)
            if key not in self._masks:
                self._masks[key] = np.array([f == key for f in self.facets], dtype=np.float32)
            mask = self._masks[key]
        tokens = self.bm25s.tokenize([" ".join(words(question))], stopwords=None, stemmer=self.stemmer,
                                     show_progress=False, return_ids=False)
        if not any(tokens):
            return []
        found, scores = self.retriever.retrieve(tokens, k=n, weight_mask=mask, show_progress=False, n_threads=1)
        return [int(self.ids[i]) for i, s in zip(found[0], scores[0]) if s > 0]


def reference(ranked: list[tuple[int, float]], k: int = 10) -> tuple[int, set[int]]:
    """How many of FTS5's top k there are, and the passages that may stand in them: the top k and any tied at the cut."""
    if len(ranked) <= k:
        return len(ranked), {i for i, _ in ranked}
    cut = ranked[k - 1][1]
    return k, {i for i, score in ranked if score >= cut - 1e-9 * max(1.0, abs(cut))}


def overlap(found: list[int], truth: tuple[int, set[int]]) -> float:
    """The share of FTS5's top 10 an engine's top 10 holds, ties at the cut counted (1.0 when both are empty)."""
    size, acceptable = truth
    return min(size, len(set(found) & acceptable)) / size if size else float(not found)


def measure(engine, queries: list[str], truth: list[tuple[int, set[int]]], repeat: int) -> dict:
    times, shares = [], []
    for round_ in range(repeat):
        for question, expected in zip(queries, truth):
            seconds, found = run.timed(engine, question)
            times.append(seconds)
            if round_ == 0:
                shares.append(overlap(found, expected))
    return {"p50_ms": run.ms(run.median(times)), "p95_ms": run.ms(run.p95(times)),
            "top10_overlap": float(np.mean(shares)), "top10_all": float(np.mean([s == 1.0 for s in shares]))}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="synthetic archive size (built by make bench)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=Path(__file__).resolve().parent / "engines.json")
    args = parser.parse_args(argv)
    folder = run.WORK / f"synthetic-{args.size}"
    if not folder.exists():
        raise SystemExit(f"{folder}: no synthetic archive of {args.size} passages; build it with "
                         f"benchmarks/run.py --quick --sizes {args.size} (or make bench)")
    with Archive.open(run.WORK / "corpus-index", embedder=None) as corpus:
        source = synthetic.load_source(corpus, run.FACTSHEET)
    queries = [text for text, _ in synthetic.queries(source, [(q, None) for q in run.dev_queries()], run.SCALE_QUERIES)]
    results: dict = {"size": args.size, "queries": len(queries), "machine": run.machine(), "engines": {}}
    with Archive.open(folder, embedder=None) as archive, archive.store.snapshot() as snapshot:
        passages, facets = rows(snapshot)
        country = next(c for c, k in facets.values() if c.startswith("Country"))
        chosen = {"": normalise_filters(snapshot),
                  "filtered": normalise_filters(snapshot, countries=[country], kinds=["recommendation"])}
        fts5 = Fts5Index(snapshot)
        truth = {name: [reference(fts5.search(q, 40, f)) for q in queries] for name, f in chosen.items()}
        pruned = Bm25Search(snapshot, archive.lexical.for_snapshot(snapshot), archive.lexical.tokenizer(snapshot))
        for name, engine in (("pruned", pruned), ("FTS5", fts5)):
            results["engines"][name] = {
                "unfiltered": measure(lambda q: [i for i, _ in engine.search(q, 10, chosen[""])], queries, truth[""],
                                      args.repeat),
                "filtered": measure(lambda q: [i for i, _ in engine.search(q, 10, chosen["filtered"])], queries[:30],
                                    truth["filtered"][:30], args.repeat)}
        results["engines"]["pruned"]["build_seconds"] = run.lexical_build(folder)["seconds"]
        for kind in (Tantivy, Bm25s):
            with run.scratch(f"engine-{kind.name}") as scratch:
                try:
                    seconds, built = run.timed(kind, passages, facets, scratch)
                except ImportError as exc:
                    run.log(f"{kind.name}: not installed ({exc}); pip install '.[engines]' to compare it")
                    continue
                run.log(f"{kind.name}: built in {seconds:.1f} s")
                results["engines"][kind.name] = {
                    "build_seconds": seconds,
                    "unfiltered": measure(lambda q: built.search(q, 10), queries, truth[""], args.repeat),
                    "filtered": measure(lambda q: built.search(q, 10, country, "recommendation"), queries[:30],
                                        truth["filtered"][:30], args.repeat)}
    args.output.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(table(results))
    return results


def table(results: dict) -> str:
    lines = [f"{results['size']:,} passages, {results['queries']} questions; top 10 against FTS5's bm25",
             "| engine | build | p50 / p95 | top-10 overlap (all 10) | Party + kind: p50 / p95 | overlap (all 10) |",
             "|---|---|---|---|---|---|"]
    for name, e in results["engines"].items():
        u, f = e["unfiltered"], e["filtered"]
        build = f"{e['build_seconds']:.1f} s" if "build_seconds" in e else "(the archive's)"
        lines.append(f"| {name} | {build} | {u['p50_ms']:.2f} / {u['p95_ms']:.2f} ms | "
                     f"{100 * u['top10_overlap']:.1f} % ({100 * u['top10_all']:.0f} %) | "
                     f"{f['p50_ms']:.2f} / {f['p95_ms']:.2f} ms | {100 * f['top10_overlap']:.1f} % ({100 * f['top10_all']:.0f} %) |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
