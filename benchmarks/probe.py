"""Measurements that need a fresh process, run by benchmarks/run.py; prints one JSON line.

    probe.py model                 import, load the model, encode one query (the cold reference)
    probe.py encode FILE.json      the same, then encode the texts listed in FILE.json
    probe.py memory INDEX          load the model, then open the archive in INDEX and answer a search, then the dev questions

The model is the default one, or LANZASEARCH_MODEL's. Memory is read from /proc/self/status: VmRSS now, VmHWM the peak so far,
RssAnon (private) and RssFile (pages of mapped files) of the resident memory.
"""

from __future__ import annotations

import json
import os
import sys
import time

START = time.perf_counter()
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
QUERY = "How are children heard in criminal proceedings?"
DEV_QUERIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "dev-queries.jsonl")


def memory_mb() -> dict[str, float]:
    """Resident and peak resident memory of this process, in MB, and the resident part that is private
    (anonymous) or pages of mapped files (the index files: page cache the kernel shares and can drop)."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                fields[key] = int(value.split()[0]) / 1024
    return {"rss_mb": fields["VmRSS"], "peak_mb": fields["VmHWM"], "private_mb": fields["RssAnon"],
            "mapped_files_mb": fields["RssFile"]}


def main(argv: list[str]) -> dict:
    from lanzasearch.embedding import load_embedder

    embedder = load_embedder(os.environ.get("LANZASEARCH_MODEL"))
    embedder.encode_query(QUERY)
    out = {"model_seconds": time.perf_counter() - START, "model": memory_mb()}
    if argv[0] == "encode":
        with open(argv[1], encoding="utf-8") as handle:
            texts = json.load(handle)
        embedder.embed_passages(texts)  # the model's own call, as ingest makes it
        out["seconds"] = time.perf_counter() - START
    elif argv[0] == "memory":
        from lanzasearch import Archive

        started = time.perf_counter()
        archive = Archive.open(argv[1], embedder=embedder)
        hits = archive.search(QUERY, k=10)
        out["open_and_search_seconds"] = time.perf_counter() - started
        out["hits"] = len(hits)
        # Then the dev questions, so the pages of the indexes that searches read are counted too.
        with open(DEV_QUERIES, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    archive.search(json.loads(line)["query"], k=10)
        out["archive"] = memory_mb()
    elif argv[0] != "model":
        raise SystemExit(__doc__)
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
