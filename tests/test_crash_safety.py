"""Crash safety: an ingest killed with SIGKILL at any point leaves an archive that opens, answers and lost nothing.

Each trial copies a small base archive (the fictional Testland factsheet and the
Convention), then runs ``python -m lanzasearch.cli ingest`` on a changed Testland
and a new Exampleland, and kills it: at a crash point (``LANZASEARCH_CRASH_AT``,
see lanzasearch/faults.py) in each phase (parse, embed, write of each chunk row,
commit, rename of each atomic file), or after a random delay once the first
document is committed. A few trials kill ``lanzasearch remove`` the same way, and
``lanzasearch remove --version 1`` of the updated Testland (whose first version
the update kept as history).
After every kill the archive is opened as a user would open it and checked;
the trials run once per module (two at a time) and each test below asserts one
guarantee over all of them. ``LANZASEARCH_CRASH_SEED`` changes the random
choices (one chunk row, the timing kills).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import CONVENTION, FIXTURES, ROOT
from lanzasearch import Archive
from lanzasearch.indexing import DB_NAME, SOURCES_DIR
from lanzasearch.fsutil import TEMP_SUFFIX

pytestmark = pytest.mark.slow

TESTLAND = FIXTURES / "factsheet-testland.md"
EXAMPLELAND = FIXTURES / "factsheet-exampleland.md"
TESTLAND_ID, EXAMPLELAND_ID, CONVENTION_ID = "factsheet-testland-r2", "factsheet-exampleland-r2", "convention"
TESTLAND_V1 = "factsheet-testland-r2@v1"  # the first Testland, kept as history once the update is committed
# The changed Testland rewrites two passages and keeps the rest: its new version shares chunks with the old.
OLD_FOLLOW_UP = "In 2024 the Parliament of Testland amended section 204 of the Criminal Code (fictional)."
NEW_FOLLOW_UP = ("In 2024 the Parliament of Testland amended section 204 of the Criminal Code (fictional). "
                 "CRASHTEST NEW VERSION: Testland also opened a marmot helpline for children in 2025.")
OLD_PRACTICE = "Each guide is supervised by a school nurse"
NEW_PRACTICE = "Each guide is supervised by a school nurse and a CRASHTEST marmot counsellor"
SEED = int(os.environ.get("LANZASEARCH_CRASH_SEED", "20250601"))
TRIAL_TIMEOUT = 240  # seconds for one subprocess on a loaded CI machine
WORKERS = 2


@dataclass
class Trial:
    name: str
    argv: list[str]  # after `python -m lanzasearch.cli`
    crash_at: str | None = None  # LANZASEARCH_CRASH_AT
    delay: float | None = None  # timing trials: kill this fraction of the writing window after the first commit
    kind: str = "ingest"  # "ingest", "remove" or "remove_version"
    # filled in by run_trial
    returncode: int | None = None
    killed: bool = False
    seconds: float = 0.0
    leftovers: list[str] = field(default_factory=list)
    recovery_logs: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)  # doc_id -> "old" | "new" | "absent" | "other"

    def problem(self, guarantee: str, message: str) -> None:
        self.problems.setdefault(guarantee, []).append(message)


# -- what the archive may hold ------------------------------------------------------------


def document_state(db: Path) -> dict[str, tuple[str, list[tuple]]]:
    """doc_id -> (sha256, its chunk rows in order), read straight from SQLite."""
    conn = sqlite3.connect(db)
    try:
        docs = dict(conn.execute("SELECT doc_id, sha256 FROM documents").fetchall())
        state = {}
        for doc_id, sha in docs.items():
            rows = conn.execute(
                "SELECT ordinal, kind, section, context, text, text_hash FROM chunks WHERE doc_id = ? ORDER BY ordinal",
                (doc_id,),
            ).fetchall()
            state[doc_id] = (sha, rows)
        return state
    finally:
        conn.close()


@dataclass
class Expected:
    """The exact old and new versions of each document, from uninterrupted runs."""

    old: dict[str, tuple[str, list[tuple]]]
    new: dict[str, tuple[str, list[tuple]]]


def classify(doc_id: str, got: tuple[str, list[tuple]] | None, expected: Expected) -> str:
    if got is None:
        return "absent"
    for label, versions in (("old", expected.old), ("new", expected.new)):
        if doc_id in versions and got == versions[doc_id]:
            return label
    return "other"


ALLOWED = {
    # ingest of changed Testland (an update: its first version becomes history) + new Exampleland
    "ingest": {CONVENTION_ID: {"old"}, TESTLAND_ID: {"old", "new"}, TESTLAND_V1: {"absent", "new"},
               EXAMPLELAND_ID: {"absent", "new"}},
    # remove of the Convention
    "remove": {CONVENTION_ID: {"old", "absent"}, TESTLAND_ID: {"old"}, TESTLAND_V1: {"absent"},
               EXAMPLELAND_ID: {"absent"}},
    # remove --version 1 of the updated Testland, in the archive the ingest leaves
    "remove_version": {CONVENTION_ID: {"old"}, TESTLAND_ID: {"new"}, TESTLAND_V1: {"new", "absent"},
                       EXAMPLELAND_ID: {"new"}},
}
# After the command runs again to its end.
FINAL = {
    "ingest": {TESTLAND_ID: "new", TESTLAND_V1: "new", EXAMPLELAND_ID: "new", CONVENTION_ID: "old"},
    "remove": {TESTLAND_ID: "old", TESTLAND_V1: "absent", CONVENTION_ID: "absent", EXAMPLELAND_ID: "absent"},
    "remove_version": {TESTLAND_ID: "new", TESTLAND_V1: "absent", CONVENTION_ID: "old", EXAMPLELAND_ID: "new"},
}


# -- the trials --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("crash-sources")
    (root / "old").mkdir()
    (root / "new").mkdir()
    old = root / "old" / TESTLAND.name
    shutil.copyfile(TESTLAND, old)
    text = TESTLAND.read_text(encoding="utf-8")
    assert OLD_FOLLOW_UP in text and OLD_PRACTICE in text
    changed = root / "new" / TESTLAND.name
    changed.write_text(text.replace(OLD_FOLLOW_UP, NEW_FOLLOW_UP).replace(OLD_PRACTICE, NEW_PRACTICE), encoding="utf-8")
    new_example = root / "new" / EXAMPLELAND.name
    shutil.copyfile(EXAMPLELAND, new_example)
    return {"old": old, "changed": changed, "exampleland": new_example, "root": root}


@pytest.fixture(scope="module")
def base_index(sources, embedder) -> Path:
    path = sources["root"] / "base-index"
    with Archive.open(path, create=True, embedder=embedder) as archive:
        assert archive.ingest([sources["old"], CONVENTION]).ok
    return path


@pytest.fixture(scope="module")
def expected(sources, base_index, embedder) -> Expected:
    reference = sources["root"] / "reference-index"
    shutil.copytree(base_index, reference)
    old = document_state(base_index / DB_NAME)
    with Archive.open(reference, embedder=embedder) as archive:
        report = archive.ingest([sources["changed"], sources["exampleland"]])
        assert [f.status for f in report.files] == ["updated", "added"]
    new = document_state(reference / DB_NAME)
    assert old[TESTLAND_ID] != new[TESTLAND_ID] and old[CONVENTION_ID] == new[CONVENTION_ID]
    return Expected(old=old, new=new)


def plan_trials(sources: dict[str, Path], expected: Expected) -> list[Trial]:
    ingest = ["ingest", str(sources["changed"]), str(sources["exampleland"]), "--no-progress"]
    n_testland = len(expected.new[TESTLAND_ID][1])
    n_example = len(expected.new[EXAMPLELAND_ID][1])
    total = n_testland + n_example
    rng = random.Random(SEED)
    trials = [Trial(f"parse:{n}", ingest, f"parse:{n}") for n in (1, 2)]
    trials += [Trial(f"embed:{n}", ingest, f"embed:{n}") for n in (1, 2)]
    # chunk rows: first, middle and last of Testland's new version, then the same in Exampleland's
    rows = sorted({1, n_testland // 2, n_testland, n_testland + 1, total, rng.randint(2, total - 1)})
    trials += [Trial(f"write:{n}", ingest, f"write:{n}") for n in rows]
    trials += [Trial(f"commit:{n}", ingest, f"commit:{n}") for n in (1, 2)]
    # rename 1, 2: the kept source copies; 3: the FAISS file; 4: the sentence-vector file; 5, 6: the
    # lexical index's base and state (this ingest adds more than COMPACT_SHARE and REWRITE_SHARE of the
    # archive, so the lexical delta is folded into a new base and the sentence file written anew);
    # 7: the facet columns' file; 8: the manifest
    trials += [Trial(f"rename:{n}", ingest, f"rename:{n}") for n in (1, 2, 3, 4, 5, 6, 7, 8)]
    # Fractions of the time an uninterrupted run takes on this machine (measured by the first trials).
    trials += [Trial(f"timing:{f:.2f}", ingest, delay=f) for f in sorted(rng.uniform(0.0, 1.0) for _ in range(4))]
    # A removal renames the FAISS file (1), the sentence-vector file (2), the lexical index's base and
    # state (3, 4: what it removes is over COMPACT_SHARE and REWRITE_SHARE of this small archive, so both
    # are written anew), the facet columns' file (5), then the manifest (6).
    removal = ("commit:1", "rename:1", "rename:2", "rename:3", "rename:4", "rename:5")
    remove = ["remove", CONVENTION_ID]
    trials += [Trial(f"remove/{p}", remove, p, kind="remove") for p in removal]
    version = ["remove", TESTLAND_ID, "--version", "1"]
    trials += [Trial(f"remove-v1/{p}", version, p, kind="remove_version") for p in removal]
    return trials


class ThreadLogs(logging.Handler):
    """Collects lanzasearch log records per thread, so parallel trials keep theirs apart."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.records: dict[int, list[str]] = {}
        self._lock = threading.Lock()

    def emit(self, record):
        with self._lock:
            self.records.setdefault(record.thread, []).append(record.getMessage())

    def take(self) -> list[str]:
        with self._lock:
            return self.records.pop(threading.get_ident(), [])


def subprocess_env(crash_at: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANZASEARCH_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1")
    if crash_at:
        env["LANZASEARCH_CRASH_AT"] = crash_at
    return env


def generation(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0
    finally:
        conn.close()


def run_trial(trial: Trial, index: Path, log: Path, window: float = 2.0) -> None:
    """Run the command; let it die at its crash point, or kill it ``delay × window`` s after its first commit."""
    command = [sys.executable, "-m", "lanzasearch.cli", "-v", *trial.argv, "--index", str(index)]
    started = time.monotonic()
    first = generation(index / DB_NAME)
    with open(log, "wb") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, env=subprocess_env(trial.crash_at),
                                   stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            if trial.delay is not None:
                # The first commit (changed Testland) is the landmark; the kill lands somewhere in
                # keeping its source, parsing, embedding and writing Exampleland, or the renames.
                while process.poll() is None and generation(index / DB_NAME) == first:
                    time.sleep(0.02)
                kill_at = time.monotonic() + trial.delay * window
                while process.poll() is None and time.monotonic() < kill_at:
                    time.sleep(0.005)
                if process.poll() is None:
                    process.send_signal(signal.SIGKILL)
            trial.returncode = process.wait(timeout=TRIAL_TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    trial.seconds = time.monotonic() - started
    trial.killed = trial.returncode == -signal.SIGKILL


def check_after_kill(trial: Trial, index: Path, expected: Expected, embedder, logs: ThreadLogs, rerun: list) -> None:
    """Open the archive as a user would, and record any broken guarantee."""
    trial.leftovers = sorted(p.name for p in index.rglob(f".*{TEMP_SUFFIX}"))
    logs.take()
    try:
        archive = Archive.open(index, embedder=embedder)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
        trial.problem("opens", f"Archive.open raised {type(exc).__name__}: {exc}")
        return
    with archive:
        trial.recovery_logs = [m for m in logs.take() if m.startswith("recovery")]
        try:
            answered = archive.search("helpline for children", k=5)
            lexical = archive.search("Criminal Code section 204", k=3, mode="lexical")
            if not answered or not lexical:
                trial.problem("answers", "search returned nothing")
        except Exception as exc:  # noqa: BLE001
            trial.problem("answers", f"search raised {type(exc).__name__}: {exc}")

        state = document_state(index / DB_NAME)
        for doc_id, allowed in ALLOWED[trial.kind].items():
            version = classify(doc_id, state.get(doc_id), expected)
            trial.versions[doc_id] = version
            if version not in allowed:
                trial.problem("old_or_new", f"{doc_id} is {version}, allowed: {sorted(allowed)}")
        unknown = set(state) - set(ALLOWED[trial.kind])
        if unknown:
            trial.problem("old_or_new", f"unexpected documents {sorted(unknown)}")
        if trial.kind == "ingest" and (trial.versions[TESTLAND_ID] == "new") != (trial.versions[TESTLAND_V1] == "new"):
            trial.problem("old_or_new", f"Testland is {trial.versions[TESTLAND_ID]} but its first version, kept as "
                                        f"history, is {trial.versions[TESTLAND_V1]}")
        conn = sqlite3.connect(index / DB_NAME)
        try:
            chunk_ids = {r[0] for r in conn.execute("SELECT chunk_id FROM chunks")}
            fts_ids = {r[0] for r in conn.execute("SELECT rowid FROM chunks_fts")}
            orphan_recs = conn.execute(
                "SELECT COUNT(*) FROM chunk_recs WHERE chunk_id NOT IN (SELECT chunk_id FROM chunks)").fetchone()[0]
            orphan_chunks = conn.execute(
                "SELECT COUNT(*) FROM chunks WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone()[0]
        finally:
            conn.close()
        if fts_ids != chunk_ids or orphan_recs or orphan_chunks:
            trial.problem("old_or_new", f"FTS rows {len(fts_ids)} vs chunks {len(chunk_ids)}, "
                                        f"orphan rec rows {orphan_recs}, orphan chunks {orphan_chunks}")

        checks = archive.check().checks
        if not checks["vectors"].ok:
            trial.problem("faiss_ids", checks["vectors"].detail)
        for name in ("postings", "ranking"):
            if not checks[name].ok:
                trial.problem("lexical", checks[name].detail)
        for name in ("sentences", "facets"):
            if not checks[name].ok:
                trial.problem(name, checks[name].detail)
        # A second process opening the archive now reads the files left on disk: the same ids, the same ranking.
        with Archive.open(index, embedder=embedder) as again:
            checks = again.check().checks
            if not checks["vectors"].ok:
                trial.problem("faiss_ids", "a fresh open reads other FAISS ids than SQLite's chunk ids")
            if not (checks["postings"].ok and checks["ranking"].ok):
                trial.problem("lexical", "a fresh open reads a lexical index out of step with the database")
            if not checks["sentences"].ok:
                trial.problem("sentences", "a fresh open reads sentence vectors other than the database's")
            if not checks["facets"].ok:
                trial.problem("facets", "a fresh open reads facet columns other than the database's")

        if trial.leftovers and len(trial.recovery_logs) < len(trial.leftovers):
            trial.problem("logged", f"left {trial.leftovers}, logged {trial.recovery_logs}")
        if list(index.rglob(f".*{TEMP_SUFFIX}")):
            trial.problem("logged", "temporary files are still there after open")

        docs = {d.doc_id: d.sha256 for d in archive.documents(include_history=True)}
        for doc_id, sha in docs.items():
            kept = archive.source_path(doc_id)
            if kept is not None and hashlib.sha256(kept.read_bytes()).hexdigest() != sha:
                trial.problem("sources", f"{SOURCES_DIR}/{kept.name} is another version than the stored {doc_id}")

        # Running the same command again finishes the job.
        try:
            if trial.kind == "ingest":
                report = archive.ingest(rerun)
                if not report.ok:
                    trial.problem("rerun", f"re-ingest failed: {[(f.path, f.reason) for f in report.failed]}")
            elif trial.kind == "remove" and CONVENTION_ID in docs:
                archive.remove(CONVENTION_ID)
            elif trial.kind == "remove_version" and TESTLAND_V1 in state:
                archive.remove(TESTLAND_ID, version=1)
        except Exception as exc:  # noqa: BLE001
            trial.problem("rerun", f"re-running raised {type(exc).__name__}: {exc}")
            return
        final = document_state(index / DB_NAME)
        for doc_id, version in FINAL[trial.kind].items():
            if classify(doc_id, final.get(doc_id), expected) != version:
                trial.problem("rerun", f"after re-running, {doc_id} is not {version}")
        if not archive.check().checks["vectors"].ok:
            trial.problem("rerun", "after re-running, FAISS ids differ from SQLite chunk ids")


@pytest.fixture(scope="module")
def trials(sources, base_index, expected, embedder, tmp_path_factory) -> list[Trial]:
    plan = plan_trials(sources, expected)
    root = tmp_path_factory.mktemp("crash-trials")
    logs = ThreadLogs()
    logger = logging.getLogger("lanzasearch")
    logger.addHandler(logs)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    rerun = [sources["changed"], sources["exampleland"]]

    by_name = {t.name: t for t in plan}

    def window() -> float:
        """From the first commit to the last rename, as the crash-point trials measured it."""
        first, last = by_name["commit:1"].seconds, by_name["rename:6"].seconds
        return max(0.5, (last - first) * 1.2) if first and last > first else 3.0

    def one(numbered: tuple[int, Trial]) -> Trial:
        number, trial = numbered
        index = root / f"trial-{number:02d}"
        # Removing a version needs one kept as history: the archive an uninterrupted ingest leaves.
        shutil.copytree(sources["root"] / "reference-index" if trial.kind == "remove_version" else base_index, index)
        run_trial(trial, index, root / f"trial-{number:02d}.log", window())
        check_after_kill(trial, index, expected, embedder, logs, rerun)
        return trial

    started = time.monotonic()
    try:
        numbered = list(enumerate(plan))
        with ThreadPoolExecutor(WORKERS) as pool:
            # Crash points first: their timings place the timing trials' kills.
            done = list(pool.map(one, [(n, t) for n, t in numbered if t.delay is None]))
            done += list(pool.map(one, [(n, t) for n, t in numbered if t.delay is not None]))
    finally:
        logger.removeHandler(logs)
        logger.setLevel(old_level)
    print(f"\n{len(done)} crash trials in {time.monotonic() - started:.0f}s (seed {SEED}):")
    for t in done:
        versions = ", ".join(f"{d.split('-')[1] if '-' in d else d}={v}" for d, v in sorted(t.versions.items()))
        print(f"  {t.name:14} rc={t.returncode} {t.seconds:5.1f}s  {versions}  leftovers={len(t.leftovers)}"
              + (f"  PROBLEMS {json.dumps(t.problems)}" if t.problems else ""))
    return done


def failures(trials: list[Trial], guarantee: str) -> list[str]:
    return [f"{t.name}: {m}" for t in trials for m in t.problems.get(guarantee, [])]


# -- the guarantees ----------------------------------------------------------------------


def test_crash_trials_reach_every_phase_and_are_really_killed(trials):
    assert sum(t.killed for t in trials) >= 20
    pointed = [t for t in trials if t.crash_at]
    assert all(t.killed for t in pointed), [(t.name, t.returncode) for t in pointed if not t.killed]
    assert {t.crash_at.split(":")[0] for t in pointed} == {"parse", "embed", "write", "commit", "rename"}
    # Kills land before, inside and after the replacement of Testland, and before and after Exampleland.
    ingests = [t for t in trials if t.kind == "ingest" and t.killed]
    assert {t.versions.get(TESTLAND_ID) for t in ingests} >= {"old", "new"}
    assert {t.versions.get(EXAMPLELAND_ID) for t in ingests} >= {"absent", "new"}


def test_crash_archive_opens_without_repair_and_answers(trials):
    assert not failures(trials, "opens") + failures(trials, "answers")


def test_crash_every_document_is_its_old_or_its_new_version_never_both_never_half(trials):
    assert not failures(trials, "old_or_new")


def test_crash_faiss_ids_equal_sqlite_chunk_ids(trials):
    assert not failures(trials, "faiss_ids")


def test_crash_the_pruned_lexical_index_holds_sqlites_chunk_ids_and_ranks_as_fts5(trials):
    assert not failures(trials, "lexical")


def test_crash_the_sentence_vector_file_holds_the_rows_sqlite_holds(trials):
    assert not failures(trials, "sentences")


def test_crash_the_facet_columns_filters_read_are_the_databases(trials):
    assert not failures(trials, "facets")


def test_crash_recovery_happens_on_open_and_is_logged(trials):
    assert any(t.leftovers for t in trials), "no trial left a temporary file: the rename point was not reached"
    assert not failures(trials, "logged")


def test_crash_rerunning_the_command_completes_it(trials):
    assert not failures(trials, "rerun")


def test_crash_kept_source_files_match_their_stored_document(trials):
    """The copy in sources/ (page links, staff rebuild) is the version the database holds, never a stale one."""
    assert not failures(trials, "sources")


def test_crash_recovery_is_logged_by_the_cli(sources, base_index, tmp_path):
    """A user who opens a crashed archive with the CLI sees the recovery in -v output."""
    index = tmp_path / "index"
    shutil.copytree(base_index, index)
    trial = Trial("remove/rename:1", ["remove", CONVENTION_ID], "rename:1", kind="remove")
    run_trial(trial, index, tmp_path / "remove.log")
    assert trial.killed
    leftovers = [p.name for p in index.rglob(f".*{TEMP_SUFFIX}")]
    assert leftovers
    result = subprocess.run([sys.executable, "-m", "lanzasearch.cli", "-v", "docs", "--index", str(index)],
                            cwd=ROOT, env=subprocess_env(None), capture_output=True, text=True, timeout=TRIAL_TIMEOUT)
    assert result.returncode == 0
    recovery = [line for line in result.stderr.splitlines() if "recovery" in line]
    assert len(recovery) == len(leftovers) and all(any(n in line for line in recovery) for n in leftovers)
    assert not list(index.rglob(f".*{TEMP_SUFFIX}"))


def test_opening_an_archive_keeps_the_temporary_files_of_a_live_writer(base_index, tmp_path, embedder):
    """Recovery on open must not delete a temporary file another live process is still writing.

    Staff run the CLI while the app serves the archive, and both write atomic
    files in the same folder: the app writes the FAISS cache from its search
    path after every generation change, outside any ingest.
    """
    from lanzasearch.fsutil import atomic_path

    index = tmp_path / "index"
    shutil.copytree(base_index, index)
    target = index / "vectors-g999.faiss"
    with atomic_path(target) as tmp:  # the app in the middle of writing its FAISS cache …
        Path(tmp).write_bytes(b"half of a FAISS index")
        Archive.open(index, embedder=embedder).close()  # … while the CLI opens the archive
        assert Path(tmp).exists(), "Archive.open deleted the temporary file of a writer that is still running"
    assert target.read_bytes() == b"half of a FAISS index"



def test_each_cache_sees_its_own_files_and_never_a_writers_temporary_one(tmp_path):
    """The caches find their files by generation: a temporary file being written, another cache's
    files (lexical-base-g… beside lexical-g…) and names that merely look alike are not theirs."""
    from lanzasearch.fsutil import atomic_path, generation_files

    for name in ("lexical-g12.bin", "lexical-g3.bin", "lexical-base-g3.bin", "lexical-gx.bin", "lexical-g².bin",
                 "vectors-g7.faiss", "lexical-g5.bin.bak"):
        (tmp_path / name).write_bytes(b"")
    with atomic_path(tmp_path / "lexical-g20.bin") as tmp:
        assert Path(tmp).exists()
        found = generation_files(tmp_path, "lexical-g{generation}.bin")
    assert found == [(3, tmp_path / "lexical-g3.bin"), (12, tmp_path / "lexical-g12.bin")]
    assert generation_files(tmp_path, "lexical-base-g{generation}.bin") == [(3, tmp_path / "lexical-base-g3.bin")]
