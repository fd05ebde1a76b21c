"""The lanzasearch command: every subcommand, human and JSON output, exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import CONVENTION, DEV_QUERIES, FIXTURES, ROOT
from lanzasearch.cli import COMMANDS, main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "--index" in out and len(out.splitlines()) > 4


def test_search_prints_citations_and_json(corpus_index, capsys):
    code, out, _ = run(capsys, "search", "Philippines livestreamed abuse", "-k", "3", "--index", str(corpus_index))
    assert code == 0 and out.lstrip().startswith("1. Norway") and "Philippines" in out
    code, out, _ = run(capsys, "search", "Philippines", "-k", "2", "--json", "--index", str(corpus_index))
    hits = json.loads(out)["hits"]
    assert code == 0 and len(hits) == 2 and {"citation", "rec_ids", "page", "text"} <= set(hits[0])


def test_search_with_filters_and_unknown_value(corpus_index, capsys):
    code, out, _ = run(capsys, "search", "training", "--kind", "follow_up", "--section", "X", "--json",
                       "--index", str(corpus_index))
    assert code == 0 and all(h["kind"] == "follow_up" and h["section"] == "X" for h in json.loads(out)["hits"])
    code, _, err = run(capsys, "search", "training", "--country", "Atlantis", "--index", str(corpus_index))
    assert code == 1 and err.count("\n") == 1 and "unknown country 'Atlantis'" in err


def test_recommendations_and_docs(corpus_index, capsys):
    code, out, _ = run(capsys, "recommendations", "--id", "II-6", "--index", str(corpus_index))
    assert code == 0 and "request" in out and "section 311" in out
    code, out, _ = run(capsys, "recommendations", "--json", "--index", str(corpus_index))
    assert code == 0 and len(json.loads(out)) == 72
    code, out, _ = run(capsys, "docs", "--json", "--index", str(corpus_index))
    assert code == 0 and {d["doc_id"] for d in json.loads(out)} == {"convention", "factsheet-norway-r2"}


def test_compare_and_eval(corpus_index, capsys):
    code, out, _ = run(capsys, "compare", "II-6", "--index", str(corpus_index))
    assert code == 0 and out.startswith("== Norway")
    code, out, _ = run(capsys, "eval", str(DEV_QUERIES), "--mode", "hybrid", "--json", "--index", str(corpus_index))
    [summary] = json.loads(out)
    assert code == 0 and summary["mode"] == "hybrid" and summary["queries"] == 30


def test_missing_index_says_how_to_build_it(tmp_path, capsys):
    code, _, err = run(capsys, "search", "x", "--index", str(tmp_path / "none"))
    assert code == 1 and "lanzasearch ingest" in err


def test_ingest_as_a_process_reports_bad_files_in_one_line_and_exits_non_zero(tmp_path):
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "ingest.py"), str(bad), str(CONVENTION), "--index", str(tmp_path / "idx")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "notes.docx" in line]
    assert len(errors) == 1 and "notes.docx:" in errors[0]
    assert "added" in result.stdout and "convention" in result.stdout


def test_output_cut_short_by_its_reader_ends_quietly(corpus_index):
    # `lanzasearch recommendations | head`: the reader is gone before the listing is written.
    process = subprocess.Popen(
        [sys.executable, "-m", "lanzasearch.cli", "recommendations", "--index", str(corpus_index)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "HF_HUB_OFFLINE": "1"}, cwd=ROOT,
    )
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=300) == 0
    assert errors == ""
# -- similar, profile, matrix, changes, remove --version ----------------------------------------


def test_similar_leaves_out_the_source_document(multi_index, capsys):
    index = str(multi_index)
    code, out, _ = run(capsys, "search", "restrictions on mobile phones in schools", "-k", "1", "--country", "Norway",
                       "--kind", "promising_practice", "--json", "--index", index)
    [practice] = json.loads(out)["hits"]
    code, out, _ = run(capsys, "similar", str(practice["chunk_id"]), "-k", "5", "--other-countries", "--json",
                       "--index", index)
    hits = json.loads(out)
    assert code == 0 and len(hits) == 5 and {h["country"] for h in hits} <= {"Testland", "Exampleland"}
    code, out, _ = run(capsys, "similar", str(practice["chunk_id"]), "-k", "3", "--index", index)
    assert code == 0 and out.lstrip().startswith("1. ") and "factsheet-norway" not in out
    code, _, err = run(capsys, "similar", "999999", "--index", index)
    assert code == 1 and err.count("\n") == 1 and "no passage 999999" in err


def test_profile_and_matrix(multi_index, capsys):
    index = str(multi_index)
    code, out, _ = run(capsys, "profile", "Testland", "--index", index)
    assert code == 0 and "6 recommendations: 2 with follow-up content, 1 with an empty box, 3 with no box" in out
    code, out, _ = run(capsys, "profile", "Testland", "--json", "--index", index)
    assert code == 0 and json.loads(out)["status_counts"] == {"follow_up": 2, "empty_box": 1, "no_box": 3}
    code, out, _ = run(capsys, "matrix", "--section", "X", "--json", "--index", index)
    rows = {r["rec_id"]: r for r in json.loads(out)["rows"]}
    assert code == 0 and rows["X-5"]["cells"]["Testland"]["status"] == "empty_box"
    code, out, _ = run(capsys, "matrix", "--status", "empty_box", "--index", index)
    assert code == 0 and out.split()[:5] == ["rec", "strength", "Exampleland", "Norway", "Testland"]
    assert "(2 recommendations;" in out
    code, _, err = run(capsys, "matrix", "--status", "done", "--index", index)
    assert code == 1 and "unknown status 'done'" in err


def test_changes_and_removing_one_version(copy_index, multi_index, tmp_path, capsys):
    index = str(copy_index(multi_index))
    update = tmp_path / "factsheet-testland.md"
    update.write_bytes((FIXTURES / "factsheet-testland-updated.md").read_bytes())
    assert run(capsys, "ingest", str(update), "--no-progress", "--index", index)[0] == 0
    code, out, _ = run(capsys, "changes", "factsheet-testland-r2", "--index", index)
    assert code == 0 and "1 added, 1 changed, 1 removed" in out
    assert [line.split()[0] for line in out.splitlines() if line[:1].isupper() and line.split()[0].isupper()] == [
        "CHANGED", "ADDED", "REMOVED"]
    code, out, _ = run(capsys, "changes", "factsheet-testland-r2", "--json", "--index", index)
    assert [c["rec_ids"] for c in json.loads(out)["changes"]] == [["II-6"], ["X-5"], []]
    code, out, _ = run(capsys, "docs", "--history", "--json", "--index", index)
    assert {d["doc_id"] for d in json.loads(out)} >= {"factsheet-testland-r2", "factsheet-testland-r2@v1"}
    code, out, _ = run(capsys, "remove", "factsheet-testland-r2", "--version", "1", "--index", index)
    assert code == 0 and out.strip() == "removed factsheet-testland-r2 version 1"
    code, out, _ = run(capsys, "docs", "--history", "--json", "--index", index)
    assert "factsheet-testland-r2@v1" not in {d["doc_id"] for d in json.loads(out)}
    code, _, err = run(capsys, "remove", "factsheet-testland-r2", "--version", "1", "--index", index)
    assert code == 1 and "has no version 1" in err
