"""`make load`: researchers search while staff change the archive underneath them.

For ``--duration`` seconds (default 60):

- ``--api-threads`` threads search through the Python API (one shared ``Archive``);
- ``--http-clients`` gradio_client clients search the running app over HTTP
  (``python search_app.py`` in its own process, serving the same index);
- a writer process changes the archive in a loop: it ingests a changed
  Testland factsheet (a new sentence each round), removes the Exampleland
  factsheet and ingests it again, logging the chunk ids of every document
  version it commits.

Afterwards every result is checked: no request failed, and no result list
holds passages of two versions of one document (chunk ids are never reused,
so each id belongs to exactly one version). Prints p50 / p95 / max latency per
client kind, the writer's steps, and how many searches completed inside each
ingest (readers must not wait for an ingest to finish). Exit status 1 when a
check fails.

The base archive (corpus/ plus the fictional Testland and Exampleland
factsheets) is built once into benchmarks/work/load-base and copied per run.
tests/test_concurrency.py runs the same code for a few seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
TESTLAND = FIXTURES / "factsheet-testland.md"
EXAMPLELAND = FIXTURES / "factsheet-exampleland.md"
TESTLAND_ID, EXAMPLELAND_ID = "factsheet-testland-r2", "factsheet-exampleland-r2"
ANCHOR = "The Ministry of Justice of Testland issued guidance to prosecutors on the amended section in September 2024."
START_TIMEOUT = 180  # seconds for the app or the writer to load the model on a busy machine
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

# Questions that reach the documents being changed as well as the ones left alone.
QUERIES = [
    "guidance to prosecutors on the amended section",
    "Peer Guides programme in schools",
    "age of criminal responsibility and self-generated images",
    "training for judges and prosecutors",
    "helpline for children",
    "Barnahus",
    "Exampleland awareness campaign",
    "jurisdiction over offences committed abroad",
    "follow-up actions reported by the Government",
    "sexual extortion of children online",
    "LOAD ROUND report to the Committee",
    "health sector professionals identify abuse",
]


# -- the writer process ------------------------------------------------------------------------


def testland_round(number: int) -> str:
    """Testland's factsheet with a sentence that only this round has."""
    text = TESTLAND.read_text(encoding="utf-8")
    assert ANCHOR in text
    return text.replace(ANCHOR, f"{ANCHOR} In LOAD ROUND {number} Testland reported {number} new helpline staff.")


def writer(index: Path, log: Path, go: Path, stop: Path) -> int:
    """Change the archive in a loop until ``stop`` exists; log every committed version's chunk ids."""
    from lanzasearch import Archive

    folder = Path(tempfile.mkdtemp(prefix="lanzasearch-load-writer-"))
    changed = folder / TESTLAND.name
    archive = Archive.open(index)
    archive.embedder  # load the model before the clock starts
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.05)

    def record(step: str, doc_id: str, started: float) -> None:
        with archive.store.snapshot() as snapshot:
            ids, sha = snapshot.chunk_ids(doc_id).tolist(), snapshot.document_sha(doc_id)
        entry = {"step": step, "doc_id": doc_id, "sha256": sha, "chunk_ids": ids,
                 "started": started, "ended": time.time()}
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")

    number = 0
    with archive:
        while not stop.exists():
            number += 1
            changed.write_text(testland_round(number), encoding="utf-8")
            started = time.time()
            report = archive.ingest([changed])
            assert [f.status for f in report.files] == ["updated"], report.files
            record("ingest changed Testland", TESTLAND_ID, started)
            if stop.exists():
                break
            started = time.time()
            archive.remove(EXAMPLELAND_ID)
            record("remove Exampleland", EXAMPLELAND_ID, started)
            started = time.time()
            report = archive.ingest([EXAMPLELAND])
            assert [f.status for f in report.files] == ["added"], report.files
            record("re-add Exampleland", EXAMPLELAND_ID, started)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


# -- processes ------------------------------------------------------------------------------------


def child_env(index: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANZASEARCH_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
               LANZASEARCH_INDEX=str(index), PYTHONUNBUFFERED="1")
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(index: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "search_app.py", "--port", str(port)], cwd=ROOT,
                               env=child_env(index), stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}/"


def wait_for_app(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the app did not answer on {url} within {START_TIMEOUT}s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- readers ---------------------------------------------------------------------------------------


@dataclass
class Sample:
    client: str  # "api" | "http"
    started: float  # time.time()
    seconds: float
    error: str | None = None
    hits: list[tuple[str, int]] = field(default_factory=list)  # (doc_id, chunk_id)


def api_reader(archive, name: str, until: float, samples: list[Sample], seed: int) -> None:
    rng = random.Random(seed)
    while time.time() < until:
        query = rng.choice(QUERIES)
        started, clock = time.time(), time.perf_counter()
        try:
            hits = archive.search(query, k=10, mode=rng.choice(["hybrid", "hybrid", "dense", "lexical"]))
            samples.append(Sample(name, started, time.perf_counter() - clock, hits=[(h.doc_id, h.chunk_id) for h in hits]))
        except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
            samples.append(Sample(name, started, time.perf_counter() - clock, error=f"{type(exc).__name__}: {exc}"))


def http_reader(url: str, name: str, until: float, samples: list[Sample], seed: int) -> None:
    from gradio_client import Client

    rng = random.Random(seed)
    client = Client(url, verbose=False)
    while time.time() < until:
        query = rng.choice(QUERIES)
        started, clock = time.time(), time.perf_counter()
        try:
            hits = client.predict(query=query, k=10, api_name="/search")
            samples.append(Sample(name, started, time.perf_counter() - clock,
                                  hits=[(h["doc_id"], int(h["chunk_id"])) for h in hits]))
        except Exception as exc:  # noqa: BLE001
            samples.append(Sample(name, started, time.perf_counter() - clock, error=f"{type(exc).__name__}: {exc}"))


# -- checks ----------------------------------------------------------------------------------------


def initial_versions(db: Path) -> list[dict]:
    conn = sqlite3.connect(db)
    try:
        entries = []
        for (doc_id,) in conn.execute("SELECT doc_id FROM documents").fetchall():
            ids = [r[0] for r in conn.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]
            entries.append({"step": "initial", "doc_id": doc_id, "chunk_ids": ids})
        return entries
    finally:
        conn.close()


def version_of_chunks(versions: list[dict]) -> dict[int, tuple[str, int]]:
    """chunk id -> (doc id, version number); each id belongs to one version, as ids are never reused."""
    owner: dict[int, tuple[str, int]] = {}
    for number, entry in enumerate(versions):
        for chunk_id in entry["chunk_ids"]:
            if chunk_id in owner:
                raise AssertionError(f"chunk id {chunk_id} appears in two versions: ids were reused")
            owner[chunk_id] = (entry["doc_id"], number)
    return owner


def mixed_results(samples: list[Sample], versions: list[dict]) -> list[str]:
    """Results holding passages of two versions of one document, or passages of no known version."""
    owner = version_of_chunks(versions)
    problems = []
    for sample in samples:
        seen: dict[str, set[int]] = {}
        for doc_id, chunk_id in sample.hits:
            known = owner.get(chunk_id)
            if known is None or known[0] != doc_id:
                problems.append(f"{sample.client}: chunk {chunk_id} of {doc_id} belongs to no committed version")
                continue
            seen.setdefault(doc_id, set()).add(known[1])
        for doc_id, numbers in seen.items():
            if len(numbers) > 1:
                problems.append(f"{sample.client}: one result mixes versions {sorted(numbers)} of {doc_id}")
    return problems


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


@dataclass
class LoadResult:
    duration: float
    samples: list[Sample]
    steps: list[dict]
    mixed: list[str]
    writer_returncode: int | None
    app_returncode: int | None
    clients: dict[str, int] = field(default_factory=lambda: {"api": 1, "http": 1})

    def of(self, kind: str) -> list[Sample]:
        return [s for s in self.samples if s.client.startswith(kind)]

    @property
    def errors(self) -> list[str]:
        return [f"{s.client}: {s.error}" for s in self.samples if s.error]

    def reads_inside(self, step: dict, kind: str) -> int:
        """Searches of this kind that started after the step began and finished before it ended."""
        return sum(1 for s in self.of(kind) if not s.error and s.started >= step["started"]
                   and s.started + s.seconds <= step["ended"])

    @property
    def ingests(self) -> list[dict]:
        return [s for s in self.steps if s["step"] != "remove Exampleland"]

    def table(self) -> str:
        lines = [f"load for {self.duration:.0f} s",
                 f"{'client':8} {'requests':>8} {'failed':>6} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"]
        for kind in ("api", "http"):
            samples = self.of(kind)
            ok = [s.seconds * 1000 for s in samples if not s.error]
            lines.append(f"{kind:8} {len(samples):8d} {len(samples) - len(ok):6d} {len(samples) / self.duration:6.1f} "
                         f"{percentile(ok, 0.5):8.1f} {percentile(ok, 0.95):8.1f} {max(ok, default=float('nan')):8.1f}")
        lines.append("")
        lines.append(f"{'writer step':26} {'count':>5} {'p50 s':>7} {'max s':>7} {'api reads inside':>17} {'http reads inside':>18}")
        for name in ("ingest changed Testland", "remove Exampleland", "re-add Exampleland"):
            steps = [s for s in self.steps if s["step"] == name]
            took = [s["ended"] - s["started"] for s in steps]
            inside_api = [self.reads_inside(s, "api") for s in steps]
            inside_http = [self.reads_inside(s, "http") for s in steps]
            lines.append(f"{name:26} {len(steps):5d} {percentile(took, 0.5):7.2f} {max(took, default=float('nan')):7.2f} "
                         f"{'min %d, median %d' % (min(inside_api, default=0), statistics.median(inside_api or [0])):>17} "
                         f"{'min %d, median %d' % (min(inside_http, default=0), statistics.median(inside_http or [0])):>18}")
        checked = sum(1 for s in self.samples if not s.error)
        lines.append("")
        lines.append(f"results checked for mixed document versions: {checked}, mixed: {len(self.mixed)}")
        lines.append(f"failed requests: {len(self.errors)}; writer exit {self.writer_returncode}; "
                     f"app {'running until stopped' if self.app_returncode is None else f'exited {self.app_returncode}'}")
        for problem in (self.errors + self.mixed)[:10]:
            lines.append(f"  {problem}")
        return "\n".join(lines)

    def failures(self, long_ingest: float = 1.0) -> list[str]:
        """What breaks the guarantees; empty when the run is clean."""
        found = list(self.errors) + list(self.mixed)
        if self.writer_returncode != 0:
            found.append(f"the writer exited with {self.writer_returncode}")
        if self.app_returncode is not None:
            found.append(f"the app exited with {self.app_returncode}")
        if not self.ingests:
            found.append("the writer committed nothing")
        for kind, count in self.clients.items():
            if count and not self.of(kind):
                found.append(f"no {kind} searches ran")
        # Readers are never blocked for the length of an ingest: every ingest that lasts a
        # while has searches that started after it began and finished before it ended.
        for step in self.ingests:
            if self.clients["api"] and step["ended"] - step["started"] >= long_ingest and not self.reads_inside(step, "api"):
                found.append(f"no API search completed during a {step['ended'] - step['started']:.1f} s {step['step']}")
        return found


def run_load(index: Path, duration: float, api_threads: int = 3, http_clients: int = 3, embedder=None,
             work: Path | None = None, echo=print) -> LoadResult:
    """Start the app and the writer on ``index``, search for ``duration`` seconds, stop, and check."""
    from lanzasearch import Archive

    work = Path(work or tempfile.mkdtemp(prefix="lanzasearch-load-"))
    work.mkdir(parents=True, exist_ok=True)
    log, go, stop_file = work / "versions.jsonl", work / "go", work / "stop"
    for path in (log, go, stop_file):
        path.unlink(missing_ok=True)
    echo(f"starting the app and the writer on {index} …")
    app, url = start_app(index, work / "app.log")
    writer_process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--writer", "--index", str(index), "--work", str(work)],
        cwd=ROOT, env=child_env(index), stdout=subprocess.PIPE, stderr=open(work / "writer.log", "wb"), text=True,
    )
    try:
        archive = Archive.open(index, embedder=embedder)
        archive.search("warm up", k=1)
        wait_for_app(app, url, work / "app.log")
        ready = writer_process.stdout.readline().strip()
        if ready != "ready":
            raise RuntimeError(f"the writer did not start:\n{(work / 'writer.log').read_text(errors='replace')}")
        versions = initial_versions(index / "archive.sqlite3")
        samples: list[Sample] = []
        echo(f"searching for {duration:.0f} s: {api_threads} API threads, {http_clients} HTTP clients, "
             "one writer process")
        begun = time.time()
        until = begun + duration
        go.touch()
        threads = [threading.Thread(target=api_reader, args=(archive, f"api-{i}", until, samples, i))
                   for i in range(api_threads)]
        threads += [threading.Thread(target=http_reader, args=(url, f"http-{i}", until, samples, 100 + i))
                    for i in range(http_clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.time() - begun
        stop_file.touch()
        writer_returncode = writer_process.wait(timeout=START_TIMEOUT)
        app_returncode = app.poll()
        archive.close()
    finally:
        stop_file.touch()
        stop(writer_process)
        stop(app)
    steps = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    mixed = mixed_results(samples, versions + steps)
    return LoadResult(elapsed, samples, steps, mixed, writer_returncode, app_returncode,
                      {"api": api_threads, "http": http_clients})


# -- the base archive --------------------------------------------------------------------------------


def base_archive(folder: Path = WORK / "load-base") -> Path:
    """corpus/ plus the fictional Testland and Exampleland, built once and reused."""
    from lanzasearch import Archive

    if (folder / "archive.sqlite3").exists():
        with Archive.open(folder) as archive:
            if {d.doc_id for d in archive.documents()} >= {TESTLAND_ID, EXAMPLELAND_ID, "factsheet-norway-r2"}:
                return folder
        shutil.rmtree(folder)
    print(f"building the base archive in {folder} (once) …", flush=True)
    with Archive.open(folder, create=True) as archive:
        report = archive.ingest([CORPUS, TESTLAND, EXAMPLELAND])
        if not report.ok:
            raise SystemExit(f"cannot build the base archive: {[(f.path, f.reason) for f in report.failed]}")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--api-threads", type=int, default=3, help="threads searching through the Python API")
    parser.add_argument("--http-clients", type=int, default=3, help="gradio_client clients searching over HTTP")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.writer:
        return writer(args.index, args.work / "versions.jsonl", args.work / "go", args.work / "stop")

    base = base_archive()
    work = WORK / "load-run"
    shutil.rmtree(work, ignore_errors=True)
    index = work / "index"
    shutil.copytree(base, index)
    result = run_load(index, args.duration, args.api_threads, args.http_clients, work=work)
    print()
    print(result.table())
    if args.json:
        print(json.dumps({
            kind: {"requests": len(result.of(kind)),
                   "p50_ms": percentile([s.seconds * 1000 for s in result.of(kind) if not s.error], 0.5),
                   "p95_ms": percentile([s.seconds * 1000 for s in result.of(kind) if not s.error], 0.95)}
            for kind in ("api", "http")
        }, indent=2))
    failures = result.failures()
    print("\nOK: zero failed requests, no mixed versions, readers kept answering during every ingest" if not failures
          else "\nFAILED:\n  " + "\n  ".join(failures[:20]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
