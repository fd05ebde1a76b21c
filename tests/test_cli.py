"""The lanzasearch command: every subcommand, human and JSON output, exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import CONVENTION, DEV_QUERIES, ROOT
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
