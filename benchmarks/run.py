"""`make bench`: ingest, query, scale, memory and start-up figures, each beside a reference.

Every figure is a median over ``--repeat`` runs, and every speed is also given
as a ratio to a reference measured in the same run (these machines are shared
and noisy: absolute numbers move, ratios much less):

- for each embedding model (all-MiniLM-L6-v2, multilingual-e5-small):
  ingest throughput beside the model's bare encode of exactly the texts
  ingest embeds (each passage's context line + text, and its sentences),
  cold (as processes) and warm (model already loaded), and query latency
  beside the bare encode of the same query;
- with the default model: search latency without the encode, at 10k, 100k and 1M passages of a
  synthetic archive written through the real store (benchmarks/synthetic.py), for each
  FAISS index kind, with recall@10 against exact search (at 1M the chosen kind only: exact
  search is the numpy product that gives the truth), and the lexical side alone, pruned
  (bm25.py) beside FTS5 over the same rows, with the share of queries whose top 10 they agree on;
  from 100k, IVF-PQ (48 and 96 bytes a vector) as the compressed alternative to IVF-Flat;
- the write of one 120-passage factsheet into each archive and bringing both indexes up to date;
- memory beyond the model and disk size per 10k passages;
- app start until the first search answers over HTTP, beside a cold process
  that only loads the model.

Prints a table, writes benchmarks/results.json. Synthetic archives are cached
in benchmarks/work/ (git-ignored; the 1M one takes about 8 GB and half an hour to write).
``--quick`` runs fewer repeats and only 10k.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results.json"
CORPUS = ROOT / "corpus"
FACTSHEET = CORPUS / "factsheet-norway.pdf"
DEV_QUERIES = ROOT / "tests" / "fixtures" / "dev-queries.jsonl"
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import numpy as np  # noqa: E402

import synthetic  # noqa: E402
from load import free_port, stop  # noqa: E402  (the load test's app helpers)
from lanzasearch import Archive, vectors  # noqa: E402
from lanzasearch.filters import Filters, normalise_filters  # noqa: E402
from lanzasearch.indexing import expand_paths  # noqa: E402
from lanzasearch.chunking import chunk_document  # noqa: E402
from lanzasearch.embedding import DEFAULT_MODEL, MULTILINGUAL_MODEL, load_embedder  # noqa: E402
from lanzasearch.model import IngestReport  # noqa: E402
from lanzasearch.parsing import parse_file  # noqa: E402
from lanzasearch.search import CANDIDATES, MODES  # noqa: E402
from lanzasearch.store import text_hash  # noqa: E402
from lanzasearch.vectors import FaissIndex  # noqa: E402

SCALE_QUERIES = 100  # 30 dev queries + 70 paraphrase-like ones, for latency and recall
EF_SWEEP = (100, 128, 256, 512)  # the retriever asks for 100 candidates, so efSearch is at least 100
PROBE_SWEEP = (1 / 64, 1 / 32, 1 / 16, 1 / 8)  # share of IVF lists a query probes
APP_TIMEOUT = 120
HNSW_BENCH_LIMIT = 500_000
PQ_BYTES = (48, 96)  # IVF-PQ codes per vector measured beside IVF-Flat (a float vector is 1,536 bytes)
PQ_FROM = 100_000  # sizes from which IVF-PQ is measured
SHORT = {DEFAULT_MODEL: "MiniLM", MULTILINGUAL_MODEL: "e5"}


# -- small helpers ---------------------------------------------------------------------


def median(values) -> float:
    return float(statistics.median(values))


def p95(values) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))])


def ms(seconds: float) -> float:
    return round(1000 * seconds, 3)


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def cpu_timed(fn: Callable, *args, **kwargs) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process and its children, value).

    On a shared machine wall time also measures the neighbours; the CPU time
    this work itself took (all torch threads, child processes) does not.
    """
    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    start, start_cpu = time.perf_counter(), cpu()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, cpu() - start_cpu, value


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_json(args: list[str], env: dict | None = None) -> dict:
    """Run a probe process and parse the JSON line it prints last."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


@contextmanager
def scratch(name: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=WORK))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def dev_queries() -> list[str]:
    return [json.loads(line)["query"] for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_texts(model_name: str) -> tuple[int, list[str]]:
    """(passages, texts) exactly as ingest embeds them: per new passage its embedded text and sentences."""
    texts: list[str] = []
    seen: set[str] = set()
    for file in expand_paths([CORPUS], IngestReport()):
        for chunk in chunk_document(parse_file(file)):
            h = text_hash(model_name, chunk)
            if h not in seen:
                seen.add(h)
                texts.append(chunk.embed_text)
                texts.extend(chunk.sentences)
    return len(seen), texts


# -- ingest ------------------------------------------------------------------------------


def corpus_index(model_name: str) -> Path:
    """Where bench_ingest leaves an archive of corpus/ built with a model, for the query figures."""
    return WORK / ("corpus-index" if model_name == DEFAULT_MODEL else f"corpus-index-{model_name}")


def bench_ingest(embedder, repeat: int) -> dict:
    """Cold ingest as processes, warm ingest in this process, unchanged re-ingest; beside bare encode.

    Each run measures the reference right before the figure, and ratios are
    taken per run (paired), in wall time and in CPU time.
    """
    passages, texts = corpus_texts(embedder.name)
    texts_file = WORK / f"corpus-texts-{embedder.name}.json"
    texts_file.write_text(json.dumps(texts), encoding="utf-8")
    log(f"ingest: {passages} passages, {len(texts)} texts to embed ({len(set(texts))} distinct)")
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in ("bare", "warm", "reingest", "cold", "cold_reference")}
    embedded_again = []
    embedder.embed_passages(texts[:64])  # first-call set-up is not throughput
    for run in range(repeat):
        wall, cpu, _ = cpu_timed(embedder.embed_passages, texts)
        runs["bare"].append((wall, cpu))
        with scratch("warm") as folder:
            with Archive.open(folder, create=True, embedder=embedder) as archive:
                wall, cpu, report = cpu_timed(archive.ingest, [CORPUS])
                assert report.ok and report.embedded == passages, report
                runs["warm"].append((wall, cpu))
                wall, cpu, report = cpu_timed(archive.ingest, [CORPUS])
                runs["reingest"].append((wall, cpu))
                embedded_again.append(report.embedded)
            if run == repeat - 1:
                shutil.rmtree(corpus_index(embedder.name), ignore_errors=True)
                shutil.copytree(folder, corpus_index(embedder.name))
        wall, cpu, _ = cpu_timed(run_json, ["benchmarks/probe.py", "encode", str(texts_file)],
                                 {"LANZASEARCH_MODEL": embedder.name})
        runs["cold_reference"].append((wall, cpu))
        with scratch("cold") as folder:
            wall, cpu, _ = cpu_timed(subprocess.run, [sys.executable, "ingest.py", str(CORPUS), "--index", str(folder),
                                                      "--model", embedder.name, "--no-progress"],
                                     cwd=ROOT, check=True, capture_output=True)
            runs["cold"].append((wall, cpu))
        log("ingest run {}: {}".format(run + 1, {k: f"{v[-1][0]:.2f}s wall, {v[-1][1]:.2f}s cpu" for k, v in runs.items()}))

    def paired(ours: str, reference: str, index: int) -> float:
        return median(r[index] / o[index] for o, r in zip(runs[ours], runs[reference]))

    wall = {k: median(w for w, _ in v) for k, v in runs.items()}
    return {
        "passages": passages,
        "texts": len(texts),
        "distinct_texts": len(set(texts)),
        "bare_encode_passages_per_s": passages / wall["bare"],
        "warm_passages_per_s": passages / wall["warm"],
        "warm_ratio": paired("warm", "bare", 0),  # throughput ratio: bare time / ingest time
        "warm_ratio_cpu": paired("warm", "bare", 1),
        "warm_seconds": wall["warm"],
        "bare_encode_seconds": wall["bare"],
        "cold_seconds": wall["cold"],
        "cold_reference_seconds": wall["cold_reference"],
        "cold_ratio": 1 / paired("cold", "cold_reference", 0),  # time ratio: cold ingest / reference process
        "cold_ratio_cpu": 1 / paired("cold", "cold_reference", 1),
        "reingest_seconds": wall["reingest"],
        "reingest_share": 1 / paired("reingest", "warm", 0),
        "reingest_embedded": max(embedded_again),
        "runs": {k: [{"wall": w, "cpu": c} for w, c in v] for k, v in runs.items()},
    }


# -- queries on the corpus ----------------------------------------------------------------


def bench_queries(embedder, repeat: int) -> dict:
    """Latency of Archive.search per mode over the dev queries (query cache emptied), beside bare encode."""
    queries = dev_queries()
    times: dict[str, list[float]] = {"encode": [], "cached hybrid": [], **{m: [] for m in MODES}}
    with Archive.open(corpus_index(embedder.name), embedder=embedder) as archive:
        archive.search(queries[0])  # open the vectors and warm the caches
        for _ in range(repeat):
            for query in queries:
                times["encode"].append(timed(embedder.embed_query, query)[0])
                for mode in MODES:
                    embedder.clear_query_cache()
                    times[mode].append(timed(archive.search, query, k=10, mode=mode)[0])
                archive.search(query, k=10, mode="hybrid")  # the query vector is cached from here on
                times["cached hybrid"].append(timed(archive.search, query, k=10, mode="hybrid")[0])
    encode = median(times["encode"])
    return {
        name: {"p50_ms": ms(median(v)), "p95_ms": ms(p95(v)), "p50_ratio_to_encode": median(v) / encode}
        for name, v in times.items()
    } | {"queries": len(queries), "repeat": repeat}


# -- scale ---------------------------------------------------------------------------------


def recall_at_10(found: list[list[int]], truth: list[list[int]]) -> float:
    return sum(len(set(f[:10]) & set(t)) for f, t in zip(found, truth)) / (10 * len(truth))


def faiss_figures(index: FaissIndex, queries: list, truth: list[list[int]], repeat: int) -> dict:
    """Latency of the FAISS search the retriever makes (top CANDIDATES) and its recall.

    recall@10: share of the exact top 10 in the index's top 10. recall 10@100:
    share of the exact top 10 among the 100 candidates the retriever rescores.
    """
    found = [[i for i, _ in index.search(v, CANDIDATES)] for _, v in queries]
    latency = [timed(index.search, v, CANDIDATES)[0] for _ in range(repeat) for _, v in queries]
    return {"p50_ms": ms(median(latency)), "p95_ms": ms(p95(latency)), "recall_at_10": recall_at_10(found, truth),
            "recall_10_at_100": sum(len(set(f) & set(t)) for f, t in zip(found, truth)) / (10 * len(truth))}


def filtered_faiss_figures(index: FaissIndex, snapshot, ids: np.ndarray, matrix: np.ndarray, queries: list,
                           repeat: int, **filters) -> dict:
    """The same search within a filter (a kind, a section), recall@10 against exact search within it."""
    allowed = snapshot.filtered_ids(normalise_filters(snapshot, **filters))
    rows = matrix[np.searchsorted(ids, allowed)]
    truth = [allowed[np.argsort(-(rows @ v), kind="stable")[:10]].tolist() for _, v in queries]
    found = [[i for i, _ in index.search(v, CANDIDATES, allowed)] for _, v in queries]
    latency = [timed(index.search, v, CANDIDATES, allowed)[0] for _ in range(repeat) for _, v in queries]
    return {"filters": filters, "allowed": len(allowed), "p50_ms": ms(median(latency)), "p95_ms": ms(p95(latency)),
            "recall_at_10": recall_at_10(found, truth)}


def retrieval_figures(archive: Archive, queries: list, repeat: int, **filters) -> dict:
    """Archive.search without the encode: filters, FAISS, FTS5, sentence view, fusion and rows, per mode."""
    out = {}
    for mode in MODES:
        latency = []
        for _ in range(repeat):
            for text, vector in queries:
                start = time.perf_counter()
                with archive.store.snapshot() as snapshot:
                    chosen = normalise_filters(snapshot, **filters)
                    archive._search(snapshot, text, vector, chosen, mode, 10)  # Archive.search after its encode
                latency.append(time.perf_counter() - start)
        out[mode] = {"p50_ms": ms(median(latency)), "p95_ms": ms(p95(latency))}
    return out


def bench_scale(embedder, sizes: list[int], repeat: int, sweep: bool, encode_ms: float) -> dict:
    """Synthetic archives of each size: FAISS kinds, retrieval without encode, updates, disk."""
    with Archive.open(WORK / "corpus-index", embedder=embedder) as corpus:
        source = synthetic.load_source(corpus, FACTSHEET)
    dev = dev_queries()
    queries = synthetic.queries(source, [(q, embedder.encode_query(q)) for q in dev], SCALE_QUERIES)
    results = {}
    for size in sizes:
        folder = WORK / f"synthetic-{size}"
        seconds, _ = timed(synthetic.build, folder, size, source, embedder)
        log(f"scale {size}: archive ready in {seconds:.0f}s")
        out: dict = {}
        with Archive.open(folder, embedder=embedder) as archive:
            with archive.store.snapshot() as snapshot:
                out["open_vectors_seconds"], index = timed(archive.vectors.for_snapshot, snapshot)
                ids, matrix = snapshot.all_embeddings(archive.dimension)
            out["passages"] = len(ids)
            out["documents"] = len(archive.documents())
            out["auto_kind"] = index.kind
            truth = [ids[np.argsort(-(matrix @ v), kind="stable")[:10]].tolist() for _, v in queries]
            kinds = {}
            # HNSW takes most of an hour to build at 1M passages on two cores: measured up to 100k.
            for kind in vectors.KINDS if len(ids) < HNSW_BENCH_LIMIT else [k for k in vectors.KINDS if k != "hnsw"]:
                built = index
                if kind != index.kind:
                    build_seconds, built = timed(FaissIndex.build, ids, matrix, archive.dimension, kind)
                    kinds[kind] = {"build_seconds": build_seconds}
                kinds.setdefault(kind, {}).update(faiss_figures(built, queries, truth, repeat))
                kinds[kind]["p50_ratio_to_encode"] = kinds[kind]["p50_ms"] / encode_ms
                kinds[kind]["parameters"] = built.parameters
                if kind == "hnsw":
                    kinds[kind]["ef_search_sweep"] = ef_sweep(built, queries, truth, repeat)
                    if sweep:
                        kinds[kind]["parameter_sweep"] = hnsw_sweep(ids, matrix, archive.dimension, queries, truth)
                if kind == "ivf":
                    kinds[kind]["probe_sweep"] = probe_sweep(built, queries, truth, repeat)
                log(f"scale {size}: {kind} {kinds[kind]}")
            out["faiss"] = kinds
            if len(ids) >= PQ_FROM:
                out["faiss_pq"] = [pq_figures(ids, matrix, queries, truth, repeat, index.parameters, m)
                                   for m in PQ_BYTES]
                log(f"scale {size}: ivf-pq {out['faiss_pq']}")
            with archive.store.snapshot() as snapshot:
                out["faiss_filtered"] = [filtered_faiss_figures(index, snapshot, ids, matrix, queries, repeat, **f)
                                         for f in ({"kinds": ["recommendation"]}, {"sections": ["V"]})]
            log(f"scale {size}: filtered {index.kind} {out['faiss_filtered']}")
            out["retrieval"] = retrieval_figures(archive, queries, repeat)
            country = next(d.country for d in archive.documents() if d.country and d.country.startswith("Country"))
            out["retrieval_filtered"] = {
                "filters": {"countries": [country], "kinds": ["recommendation"]},
                **retrieval_figures(archive, queries[:30], 1, countries=[country], kinds=["recommendation"]),
            }
            for mode in MODES:
                out["retrieval"][mode]["p50_ratio_to_encode"] = out["retrieval"][mode]["p50_ms"] / encode_ms
            out["lexical"] = lexical_figures(archive, queries, repeat)
            out["lexical_filtered"] = lexical_figures(archive, queries[:30], repeat, countries=[country],
                                                      kinds=["recommendation"])
            log(f"scale {size}: lexical {out['lexical']} filtered {out['lexical_filtered']}")
            log(f"scale {size}: retrieval {out['retrieval']}")
        out["disk_mb"] = folder_mb(folder)  # database, FAISS file and manifest (synthetic archives keep no sources)
        out["disk_mb_per_10k"] = out["disk_mb"] * 10_000 / out["passages"]
        out["faiss_file_mb"] = sum(f.stat().st_size for f in folder.glob("vectors-g*.faiss")) / 2**20
        out["update"] = bench_update(folder, source, embedder)
        out["lexical_build"] = lexical_build(folder)
        out["memory"] = run_json(["benchmarks/probe.py", "memory", str(folder)])
        out["memory"]["beyond_model_mb"] = out["memory"]["archive"]["rss_mb"] - out["memory"]["model"]["rss_mb"]
        out["memory"]["peak_beyond_model_mb"] = out["memory"]["archive"]["peak_mb"] - out["memory"]["model"]["rss_mb"]
        for part in ("private", "mapped_files"):
            out["memory"][f"{part}_beyond_model_mb"] = (out["memory"]["archive"][f"{part}_mb"]
                                                        - out["memory"]["model"][f"{part}_mb"])
        log(f"scale {size}: update {out['update']}, memory {out['memory']}")
        results[str(size)] = out
    return results


def lexical_figures(archive: Archive, queries: list, repeat: int, **filters) -> dict:
    """The lexical side alone: the pruned index (bm25.py) beside FTS5's bm25 over the same rows.

    ``top10_equal`` is the share of queries whose top 10 both engines agree on (the same
    scores, and the same ids but for ties at the cut): FTS5 is exact BM25 here.
    """
    from lanzasearch.lexical import Bm25Search, Fts5Index, same_ranking

    pruned_ms, exact_ms, equal = [], [], []
    with archive.store.snapshot() as snapshot:
        chosen = normalise_filters(snapshot, **filters)
        pruned = Bm25Search(snapshot, archive.lexical.for_snapshot(snapshot), archive.lexical.tokenizer(snapshot))
        exact = Fts5Index(snapshot)
        for round_ in range(repeat):
            for text, _ in queries:
                seconds, a = timed(pruned.search, text, CANDIDATES, chosen)
                pruned_ms.append(seconds)
                seconds, b = timed(exact.search, text, CANDIDATES, chosen)
                exact_ms.append(seconds)
                if round_ == 0:
                    equal.append(same_ranking(a, b, 10))
    return {"filters": filters, "pruned": {"p50_ms": ms(median(pruned_ms)), "p95_ms": ms(p95(pruned_ms))},
            "fts5": {"p50_ms": ms(median(exact_ms)), "p95_ms": ms(p95(exact_ms))},
            "top10_equal": sum(equal) / len(equal), "queries": len(equal)}


def lexical_build(folder: Path) -> dict:
    """Seconds to build the lexical index of an archive from its FTS5 table (a rebuild, as after a lost file)."""
    from lanzasearch.lexical_cache import LexicalCache

    with scratch("lexical-build") as empty, Archive.open(folder, embedder=None) as archive:
        cache = LexicalCache(empty, archive.lexical.weights)
        with archive.store.snapshot() as snapshot:
            seconds, index = timed(cache.for_snapshot, snapshot)
        files = sum(f.stat().st_size for f in empty.glob("lexical-*.bin")) / 2**20
    return {"seconds": seconds, "postings": int(index.base.postings_count), "file_mb": files}


def ef_sweep(index: FaissIndex, queries: list, truth: list[list[int]], repeat: int) -> list[dict]:
    """Recall and latency of the built HNSW index for several efSearch values (efSearch is a search-time knob)."""
    chosen = vectors.HNSW_EF_SEARCH
    rows = []
    try:
        for ef in EF_SWEEP:
            vectors.HNSW_EF_SEARCH = ef
            rows.append({"ef_search": ef, **faiss_figures(index, queries, truth, repeat)})
    finally:
        vectors.HNSW_EF_SEARCH = chosen
    return rows


class PqIndex:
    """IVF-PQ with the archive's lists and probes: what compressing the vectors would cost in recall.

    The archive does not use it (its IVF keeps the vectors, which ``vectors_for`` and exact
    scores need); the bench measures it as the alternative at 1M.
    """

    def __init__(self, ids: np.ndarray, matrix: np.ndarray, lists: int, probes: int, code_bytes: int):
        import faiss

        faiss.omp_set_num_threads(os.cpu_count() or 1)  # builds on every core, as FaissIndex.build (searches set 1)
        dimension = matrix.shape[1]
        inner = faiss.IndexIVFPQ(faiss.IndexFlatIP(dimension), dimension, lists, code_bytes, 8,
                                 faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).permutation(len(ids))[: vectors.IVF_TRAIN_PER_LIST * lists]
        inner.train(np.ascontiguousarray(matrix[np.sort(sample)], dtype=np.float32))
        inner.nprobe = probes
        self.index = faiss.IndexIDMap2(inner)
        self.index.add_with_ids(np.ascontiguousarray(matrix, dtype=np.float32), np.asarray(ids, dtype=np.int64))
        self.megabytes = faiss.serialize_index(self.index).nbytes / 2**20

    def search(self, query: np.ndarray, n: int) -> list[tuple[int, float]]:
        import faiss

        faiss.omp_set_num_threads(1)  # as the archive's searches
        scores, found = self.index.search(np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1), n)
        return [(int(i), float(x)) for i, x in zip(found[0], scores[0]) if i >= 0]


def pq_figures(ids, matrix, queries: list, truth: list[list[int]], repeat: int, parameters: dict,
               code_bytes: int) -> dict:
    """Build time, size, latency and recall of IVF-PQ with ``code_bytes`` per vector (``PqIndex``)."""
    seconds, index = timed(PqIndex, ids, matrix, parameters["lists"], parameters["probes"], code_bytes)
    return {"code_bytes": code_bytes, "build_seconds": seconds, "index_mb": index.megabytes,
            **faiss_figures(index, queries, truth, repeat)}


def probe_sweep(index: FaissIndex, queries: list, truth: list[list[int]], repeat: int) -> list[dict]:
    """Recall and latency of the built IVF index for several shares of lists probed."""
    import faiss

    inner = faiss.downcast_index(index.index.index)
    chosen = inner.nprobe
    rows = []
    try:
        for share in PROBE_SWEEP:
            inner.nprobe = max(1, round(inner.nlist * share))
            rows.append({"probe_share": share, "probes": int(inner.nprobe), **faiss_figures(index, queries, truth, repeat)})
    finally:
        inner.nprobe = chosen
    return rows


def hnsw_sweep(ids, matrix, dimension: int, queries: list, truth: list[list[int]]) -> list[dict]:
    """Build time, recall and latency for M × efConstruction (``--sweep``: several minutes at 100k)."""
    saved = (vectors.HNSW_M, vectors.HNSW_EF_CONSTRUCTION)
    rows = []
    try:
        for m in (16, 32, 48):
            for ef_construction in (80, 200):
                vectors.HNSW_M, vectors.HNSW_EF_CONSTRUCTION = m, ef_construction
                seconds, index = timed(FaissIndex.build, ids, matrix, dimension, "hnsw")
                row = {"M": m, "ef_construction": ef_construction, "build_seconds": seconds,
                       "ef_search": ef_sweep(index, queries, truth, 1)}
                rows.append(row)
                log(f"sweep: {row}")
    finally:
        vectors.HNSW_M, vectors.HNSW_EF_CONSTRUCTION = saved
    return rows


def sync_indexes(archive: Archive) -> None:
    """Bring the archive's vector and lexical indexes (and their files) to the database's generation."""
    with archive.store.snapshot() as snapshot:
        archive.vectors.for_snapshot(snapshot)
        archive.lexical.for_snapshot(snapshot)


def bench_update(folder: Path, source: synthetic.Source, embedder) -> dict:
    """One 120-passage factsheet written into a copy of the archive, and both indexes brought up to date.

    Each sync includes writing the index's file, as after an ingest; the reference is
    a full rebuild of the vector index. Parsing and embedding are not included.
    """
    with scratch("update") as copy:
        shutil.copytree(folder, copy, dirs_exist_ok=True)
        with Archive.open(copy, embedder=embedder) as archive:
            sync_indexes(archive)
            rng = np.random.default_rng(11)
            write_seconds, _ = timed(archive.store.add_version, *synthetic.synthetic_document(source, 1, rng))
            with archive.store.snapshot() as snapshot:
                sync_seconds, index = timed(archive.vectors.for_snapshot, snapshot)
                lexical_seconds, lexical = timed(archive.lexical.for_snapshot, snapshot)
                consistent = index.ids.tolist() == snapshot.chunk_ids().tolist()
                lexical_consistent = lexical.ids.tolist() == snapshot.chunk_ids().tolist()
                ids, matrix = snapshot.all_embeddings(archive.dimension)
            start = time.perf_counter()
            FaissIndex.build(ids, matrix, archive.dimension, index.kind).save(copy / "rebuilt.faiss")
            rebuild_seconds = time.perf_counter() - start
        return {"passages_replaced": len(source.chunks), "write_seconds": write_seconds, "sync_seconds": sync_seconds,
                "lexical_sync_seconds": lexical_seconds, "rebuild_seconds": rebuild_seconds,
                "ids_equal_database": consistent and lexical_consistent}


# -- app -----------------------------------------------------------------------------------


def app_start(index: Path) -> float:
    """Seconds from starting `python search_app.py` until a search answers through gradio_client."""
    from gradio_client import Client

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "search_app.py", "--port", str(port)], cwd=ROOT,
                               env={**os.environ, "LANZASEARCH_INDEX": str(index)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < APP_TIMEOUT:
            if process.poll() is not None:
                raise RuntimeError(f"search_app.py exited with status {process.returncode}")
            try:
                hits = Client(url, verbose=False).predict("Barnahus", api_name="/search")
            except Exception:  # not listening yet, or still starting
                time.sleep(0.1)
                continue
            if hits:
                return time.perf_counter() - start
        raise RuntimeError(f"no search answered within {APP_TIMEOUT}s")
    finally:
        stop(process)


def bench_app(indexes: dict[str, Path], repeat: int) -> dict:
    """App start to first answer per archive, beside a cold process that loads the model and encodes a query."""
    out = {}
    reference = []
    for _ in range(repeat):
        reference.append(run_json(["benchmarks/probe.py", "model"])["model_seconds"])
    for name, index in indexes.items():
        starts = [app_start(index) for _ in range(repeat)]
        out[name] = {"seconds": median(starts), "runs": starts, "ratio_to_model_load": median(starts) / median(reference)}
        log(f"app start on {name}: {starts}")
    out["model_load_reference_seconds"] = median(reference)
    return out


# -- report ---------------------------------------------------------------------------------


def rows(r: dict) -> list[tuple[str, str, str, str, str, str]]:
    """(figure, value, reference, ratio, target, met) for the table."""
    out = []

    def add(figure, value, reference="", ratio="", target="", met=None):
        out.append((figure, value, reference, ratio, target, "" if met is None else ("yes" if met else "MISSED")))

    for name, figures in r["models"].items():
        model_rows(add, SHORT.get(name, name), figures["ingest"], figures["queries"])
    encode = r["models"][DEFAULT_MODEL]["queries"]["encode"]
    scale_rows(add, r, encode)
    return out


def model_rows(add: Callable, model: str, ing: dict, q: dict) -> None:
    """Ingest and query figures of one embedding model."""
    add(f"{model}: cold ingest of corpus/ (process), time", f"{ing['cold_seconds']:.1f} s",
        f"{ing['cold_reference_seconds']:.1f} s process: load + bare encode",
        f"{ing['cold_ratio']:.2f}× (cpu {ing['cold_ratio_cpu']:.2f}×)")
    add(f"{model}: warm ingest throughput", f"{ing['warm_passages_per_s']:.1f} passages/s",
        f"{ing['bare_encode_passages_per_s']:.1f} passages/s bare encode",
        f"{ing['warm_ratio']:.2f}× (cpu {ing['warm_ratio_cpu']:.2f}×)",
        "≥ 0.85×", min(ing["warm_ratio"], ing["warm_ratio_cpu"]) >= 0.85)
    add(f"{model}: unchanged re-ingest", f"{1000 * ing['reingest_seconds']:.0f} ms, {ing['reingest_embedded']} embedded",
        f"{ing['warm_seconds']:.1f} s warm ingest", f"{100 * ing['reingest_share']:.2f} %",
        "≤ 10 %, 0 embedded", ing["reingest_share"] <= 0.10 and ing["reingest_embedded"] == 0)
    encode = q["encode"]
    for mode in ("lexical", "dense", "hybrid", "cached hybrid"):
        target = "≤ 1.3× encode" if mode == "hybrid" else ""
        add(f"{model}: query {mode} p50 / p95 (corpus)", f"{q[mode]['p50_ms']:.1f} / {q[mode]['p95_ms']:.1f} ms",
            f"{encode['p50_ms']:.1f} / {encode['p95_ms']:.1f} ms bare encode", f"{q[mode]['p50_ratio_to_encode']:.2f}×",
            target, q[mode]["p50_ratio_to_encode"] <= 1.3 if mode == "hybrid" else None)


# Targets by archive size: hybrid search without encode p50 / p95 (ms), memory beyond the model (MB).
HYBRID_TARGETS = {100_000: (5, 15), 1_000_000: (20, 60)}
MEMORY_TARGETS = {100_000: 400, 1_000_000: 2500}
RECALL_TARGETS = {100_000: 0.98, 1_000_000: 0.95}


def scale_rows(add: Callable, r: dict, encode: dict) -> None:
    """FAISS, retrieval, lexical, update, memory, disk and app figures (default model)."""
    app = r["app"]
    for size, s in r["scale"].items():
        size = int(size)
        n = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"
        for kind, f in s["faiss"].items():
            auto = kind == s["auto_kind"]
            recall = RECALL_TARGETS.get(size) if auto else None
            add(f"{n} FAISS {kind}{' (auto)' if auto else ''} p50 / p95, recall@10",
                f"{f['p50_ms']:.2f} / {f['p95_ms']:.2f} ms, {f['recall_at_10']:.3f}",
                f"{encode['p50_ms']:.1f} ms bare encode", f"{f['p50_ratio_to_encode']:.3f}×",
                f"recall ≥ {recall}" if recall else "", f["recall_at_10"] >= recall if recall else None)
        auto = s["faiss"][s["auto_kind"]]
        for f in s.get("faiss_pq", []):
            add(f"{n} FAISS IVF-PQ, {f['code_bytes']} bytes a vector (not used) p50 / p95, recall@10, "
                f"10@{CANDIDATES}", f"{f['p50_ms']:.2f} / {f['p95_ms']:.2f} ms, {f['recall_at_10']:.3f}, "
                f"{f['recall_10_at_100']:.3f}", f"{s['faiss_file_mb']:.0f} MB IVF-Flat file",
                f"{f['index_mb']:.0f} MB index", "", None)
        for f in s.get("faiss_filtered", []):
            (facet, [value]), = f["filters"].items()
            add(f"{n} FAISS {s['auto_kind']} within {facet[:-1]} {value} ({f['allowed']:,} ids) p50 / p95, "
                f"recall@10 in the filter", f"{f['p50_ms']:.2f} / {f['p95_ms']:.2f} ms, {f['recall_at_10']:.3f}",
                f"{auto['p50_ms']:.2f} ms unfiltered", f"{f['p50_ms'] / auto['p50_ms']:.2f}×",
                f"recall ≥ {RECALL_TARGETS[size]}" if size in RECALL_TARGETS else "",
                f["recall_at_10"] >= RECALL_TARGETS[size] if size in RECALL_TARGETS else None)
        for mode in MODES:
            f = s["retrieval"][mode]
            target = HYBRID_TARGETS.get(size) if mode == "hybrid" else None
            add(f"{n} search w/o encode, {mode} p50 / p95", f"{f['p50_ms']:.2f} / {f['p95_ms']:.2f} ms",
                f"{encode['p50_ms']:.1f} ms bare encode", f"{f['p50_ratio_to_encode']:.3f}×",
                f"≤ {target[0]} / {target[1]} ms" if target else "",
                (f["p50_ms"] <= target[0] and f["p95_ms"] <= target[1]) if target else None)
        f = s["retrieval_filtered"]["hybrid"]
        filtered = size == 100_000
        add(f"{n} search w/o encode, hybrid, country + kind filter, p50 / p95", f"{f['p50_ms']:.2f} / {f['p95_ms']:.2f} ms",
            "", "", "p50 ≤ 10 ms" if filtered else "", f["p50_ms"] <= 10 if filtered else None)
        for name, label in (("lexical", "lexical side alone"), ("lexical_filtered", "lexical side, country + kind")):
            f = s[name]
            add(f"{n} {label}: pruned p50 / p95, top 10 = FTS5's",
                f"{f['pruned']['p50_ms']:.2f} / {f['pruned']['p95_ms']:.2f} ms, {100 * f['top10_equal']:.0f} %",
                f"FTS5 {f['fts5']['p50_ms']:.1f} / {f['fts5']['p95_ms']:.1f} ms",
                f"{f['pruned']['p50_ms'] / f['fts5']['p50_ms']:.3f}×", "≥ 99 % equal", f["top10_equal"] >= 0.99)
        b = s["lexical_build"]
        add(f"{n} lexical index built from FTS5", f"{b['seconds']:.1f} s", f"{b['postings']:,} postings",
            f"{b['file_mb']:.0f} MB file")
        u = s["update"]
        add(f"{n} write of one 120-passage factsheet, then vectors / lexical up to date",
            f"{u['write_seconds']:.2f} s, then {u['sync_seconds']:.2f} / {u['lexical_sync_seconds']:.2f} s "
            f"(ids equal: {u['ids_equal_database']})",
            f"{u['rebuild_seconds']:.2f} s vector rebuild", f"{u['sync_seconds'] / u['rebuild_seconds']:.2f}×")
        m = s["memory"]
        per100k = 100_000 / s["passages"]
        target = MEMORY_TARGETS.get(size)
        add(f"{n} memory beyond model: private, + mapped index pages = resident (peak)",
            f"{m['private_beyond_model_mb']:.0f} + {m['mapped_files_beyond_model_mb']:.0f} = {m['beyond_model_mb']:.0f} "
            f"({m['peak_beyond_model_mb']:.0f}) MB",
            f"{m['model']['rss_mb']:.0f} MB model process", f"{m['private_beyond_model_mb'] * per100k:.0f} MB private per 100k",
            f"private ≤ {target} MB" if target else "", m["private_beyond_model_mb"] <= target if target else None)
        add(f"{n} index on disk", f"{s['disk_mb']:.0f} MB ({s['faiss_file_mb']:.0f} MB FAISS)", "",
            f"{s['disk_mb_per_10k'] * 10:.0f} MB per 100k")
    for name, a in app.items():
        if name == "model_load_reference_seconds":
            continue
        add(f"app start to first search ({name})", f"{a['seconds']:.1f} s",
            f"{app['model_load_reference_seconds']:.1f} s cold model load", f"{a['ratio_to_model_load']:.2f}×",
            "≤ 10 s", a["seconds"] <= 10)


def table(lines: list[tuple]) -> str:
    header = ("figure", "value", "reference (same run)", "ratio", "target", "met")
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines)]
    fmt = "| " + " | ".join(f"{{:{w}}}" for w in widths) + " |"
    return "\n".join([fmt.format(*header), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *(fmt.format(*line) for line in lines)])


def machine() -> dict:
    import faiss
    import torch

    return {
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "faiss": faiss.__version__,
        "faiss_constants": {name: getattr(vectors, name) for name in (
            "APPROXIMATE_THRESHOLD", "FLAT_BELOW", "IVF_LISTS_PER_SQRT", "IVF_PROBE_SHARE", "IVF_MAX_PROBES", "HNSW_M",
            "HNSW_EF_CONSTRUCTION", "HNSW_EF_SEARCH", "EXACT_FILTER_LIMIT", "TOMBSTONE_SHARE")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 repeats, 10k passages only (a few minutes)")
    parser.add_argument("--repeat", type=int, help="runs per figure (default 3, --quick 2)")
    parser.add_argument("--sizes", type=int, nargs="+", help="synthetic archive sizes (default 10000 100000 1000000)")
    parser.add_argument("--sweep", action="store_true", help="also sweep HNSW M × efConstruction (slow)")
    parser.add_argument("--models", nargs="+", default=[DEFAULT_MODEL, MULTILINGUAL_MODEL],
                        help="embedding models for the ingest and query figures (the default one is always measured)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args(argv)
    repeat = args.repeat or (2 if args.quick else 3)
    sizes = args.sizes or ([10_000] if args.quick else [10_000, 100_000, 1_000_000])
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict = {"machine": machine(), "settings": {"repeat": repeat, "sizes": sizes, "quick": args.quick}}
    results["models"] = {}
    for name in dict.fromkeys([DEFAULT_MODEL, *args.models]):  # the default first: the scale figures use it
        embedder = load_embedder(name)
        results["models"][name] = {"ingest": bench_ingest(embedder, repeat)}
        results["models"][name]["queries"] = bench_queries(embedder, repeat)
        log(f"{name} queries: {results['models'][name]['queries']}")
    embedder = load_embedder(DEFAULT_MODEL)
    encode_ms = results["models"][DEFAULT_MODEL]["queries"]["encode"]["p50_ms"]
    results["scale"] = bench_scale(embedder, sizes, repeat, args.sweep, encode_ms)
    apps = {"corpus": WORK / "corpus-index"}
    if not args.quick:
        apps[f"{max(sizes) // 1000}k"] = WORK / f"synthetic-{max(sizes)}"
    results["app"] = bench_app(apps, repeat)
    results["settings"]["seconds"] = time.perf_counter() - started
    results["machine"]["load_average_at_end"] = os.getloadavg()
    lines = rows(results)
    results["table"] = [dict(zip(("figure", "value", "reference", "ratio", "target", "met"), line)) for line in lines]
    print(table(lines))
    print(f"\n{len(lines)} figures in {results['settings']['seconds'] / 60:.1f} min; "
          f"{sum(1 for line in lines if line[5] == 'MISSED')} targets missed. Written to {args.output}")
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
