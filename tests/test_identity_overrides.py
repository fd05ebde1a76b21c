"""Staff set a document's Party and round at ingest, and correct a wrongly detected one.

``lanzasearch ingest --country C --round R`` and ``Archive.ingest(country=,
round=)`` apply to every file of the call. Re-ingesting a file stored under a
wrong Party with ``--country`` moves it: the wrong document is removed in the
same transaction, and the report names it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT
from lanzasearch import Archive, IdentityError
from lanzasearch.cli import build_parser, main

TESTLAND = FIXTURES / "factsheet-testland.md"


@pytest.fixture
def mistitled(tmp_path):
    """Testland's factsheet whose title page names the wrong Party (Norway)."""
    path = tmp_path / "factsheet-mistitled.md"
    path.write_text(TESTLAND.read_text(encoding="utf-8").replace("FACTSHEET – TESTLAND", "FACTSHEET – NORWAY"),
                    encoding="utf-8")
    return path


def test_help_says_an_override_applies_to_every_file():
    help_text = " ".join(build_parser()._subparsers._group_actions[0].choices["ingest"].format_help().split())
    assert "--country COUNTRY the Party of every file of this call" in help_text
    assert "--round ROUND the monitoring round of every file of this call" in help_text


def test_a_wrongly_detected_party_is_corrected_by_re_ingesting_with_country(tmp_path, mistitled, capsys):
    index = str(tmp_path / "index")
    assert main(["ingest", str(mistitled), "--index", index]) == 0
    assert "(factsheet-norway-r2," in capsys.readouterr().out

    assert main(["ingest", str(mistitled), "--index", index, "--country", "Testland", "--json"]) == 0
    [result] = json.loads(capsys.readouterr().out)["files"]
    assert (result["status"], result["doc_id"]) == ("added", "factsheet-testland-r2")
    assert [r["message"] for r in result["replaced"]] == [
        "replaced factsheet-norway-r2 with factsheet-testland-r2 (was factsheet-mistitled.md, now factsheet-mistitled.md)"]

    with Archive.open(index) as archive:
        [doc] = archive.documents()
        assert (doc.doc_id, doc.country, doc.overrides) == ("factsheet-testland-r2", "Testland", {"country": "Testland"})
        assert archive.check().ok
        # The identity staff set is kept: the same bytes again are unchanged, and a rebuild applies it again.
        assert archive.ingest([mistitled]).unchanged
        assert archive.ingest([], rebuild=True).ok
        assert [d.doc_id for d in archive.documents()] == ["factsheet-testland-r2"]


def test_the_api_sets_party_and_round_for_every_file_of_the_call(tmp_path, embedder):
    exampleland = FIXTURES / "factsheet-exampleland.md"
    with Archive.open(tmp_path / "index", create=True, embedder=embedder) as archive:
        report = archive.ingest([TESTLAND], country="Türkiye", round="3rd")
        [result] = report.files
        assert result.doc_id == "factsheet-turkiye-r3"
        assert not any("not a Party" in w for w in result.report.warnings)
        with pytest.raises(IdentityError, match="round"):
            archive.ingest([exampleland], round="soon")
        assert [d.doc_id for d in archive.documents()] == ["factsheet-turkiye-r3"]  # nothing changed


def test_a_bad_override_is_one_line_and_changes_nothing(tmp_path):
    index = tmp_path / "index"
    done = subprocess.run([sys.executable, "-m", "lanzasearch.cli", "ingest", str(TESTLAND), "--index", str(index),
                           "--round", "soon"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("lanzasearch: error:") and len(done.stderr.strip().splitlines()) == 1
    assert not (index / "archive.sqlite3").exists()
