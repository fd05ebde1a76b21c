"""The ingest report: what the parser understood of each file, and a warning when a file was not understood.

Staff drop in files the archive has never seen. Each document's report counts
its sections, recommendation ids, follow-ups, practices, footnotes and pages,
and warns in plain words when a factsheet looks wrong. The same report is in
the parsed document, the API's results, the CLI's text and JSON, and
``lanzasearch docs``.
"""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, NORWAY_PDF
from lanzasearch import Archive
from lanzasearch.cli import main
from lanzasearch.parsing import parse_file

NORWAY_FILES = [NORWAY_PDF, FIXTURES / "factsheet-norway-word.pdf", FIXTURES / "factsheet-norway-word.docx"]
NORWAY_FIGURES = "11 sections · 72 recommendations · 11 follow-ups · 8 practices · 109 footnotes resolved, 0 unresolved"

# A factsheet with everything a report warns about: a section missing (III), a footnote call
# without its footnote (2), a footnote nobody calls (9), no recommendation id, an empty box.
ODD_FACTSHEET = """COUNCIL OF EUROPE

## FACTSHEET – NORWAY

Lanzarote Committee Implementation Report, 2nd monitoring round.

## I. Introduction

This factsheet presents the Committee's recommendations to Norway.

## II. Legal frameworks

- The Committee requests Norway to ensure that a child is not prosecuted for possessing own images.<sup>1</sup>

- The Committee invites Norway to train judges on online abuse.<sup>2</sup>

## IV. Awareness raising

The Committee observes that Norway runs campaigns in schools.

#### Follow-up actions:

---

<sup>1</sup> Para. 71.

<sup>9</sup> Para. 99.
"""


@pytest.fixture(scope="module")
def norway_reports():
    return [parse_file(path).report for path in NORWAY_FILES]


def test_the_three_norway_files_are_understood_alike(norway_reports):
    assert [r.summary for r in norway_reports] == [
        f"{NORWAY_FIGURES} · 22 pages", f"{NORWAY_FIGURES} · 23 pages", f"{NORWAY_FIGURES} · no pages"]
    for report in norway_reports:
        assert (report.warnings, report.missing_sections, report.empty_boxes, report.footnotes_uncalled) == ([], [], 0, 0)


def test_a_factsheet_that_looks_wrong_says_what_and_where(tmp_path):
    path = tmp_path / "odd.md"
    path.write_text(ODD_FACTSHEET, encoding="utf-8")
    report = parse_file(path).report
    assert (report.sections, report.recommendations, report.follow_ups, report.empty_boxes) == (3, 0, 0, 1)
    assert (report.footnotes_resolved, report.footnotes_unresolved, report.footnotes_uncalled) == (1, 1, 1)
    assert report.missing_sections == ["III"] and report.pages is None
    text = "\n".join(report.warnings)
    assert "no section III between I and IV" in text and "may skip a section" in text
    assert "no recommendation ids" in text
    assert "footnote calls without a footnote: 2" in text
    assert "footnotes never called: 9" in text
    assert "1 box with a title but no content (follow-up action in IV)" in text


def test_an_unknown_party_and_empty_boxes_are_reported(tmp_path):
    report = parse_file(FIXTURES / "factsheet-testland.md").report
    assert report.summary.startswith("5 sections · 6 recommendations · 2 follow-ups · 1 practice")
    assert "'Testland' is not a Party" in report.warnings[0]
    assert report.missing_sections == ["IV", "V", "VI", "VII", "IX"] and report.empty_boxes == 3


def test_ingesting_the_three_norway_files_in_turn_reports_each_and_each_replacement(tmp_path, capsys):
    index = str(tmp_path / "index")
    outputs = []
    for path in NORWAY_FILES:
        assert main(["ingest", str(path), "--index", index, "--no-progress"]) == 0
        outputs.append(capsys.readouterr().out)
    first, second, third = outputs
    assert f"   {NORWAY_FIGURES} · 22 pages\n" in first and "replaced" not in first and "warning" not in first
    assert f"   {NORWAY_FIGURES} · 23 pages\n" in second
    assert "replaced factsheet-norway-r2 (was factsheet-norway.pdf, now factsheet-norway-word.pdf)" in second
    assert f"   {NORWAY_FIGURES} · no pages\n" in third
    assert "replaced factsheet-norway-r2 (was factsheet-norway-word.pdf, now factsheet-norway-word.docx)" in third

    # The same bytes again: unchanged, with the report stored at ingest.
    assert main(["ingest", str(NORWAY_FILES[2]), "--index", index, "--json"]) == 0
    [result] = json.loads(capsys.readouterr().out)["files"]
    assert result["status"] == "unchanged" and result["replaced"] == []
    assert (result["report"]["sections"], result["report"]["recommendations"], result["report"]["pages"]) == (11, 72, None)

    assert main(["docs", "--index", index]) == 0
    docs = capsys.readouterr().out
    assert "no pages" in docs and " text " not in docs and f"   {NORWAY_FIGURES} · no pages" in docs
    assert main(["docs", "--index", index, "--json"]) == 0
    [doc] = json.loads(capsys.readouterr().out)
    assert (doc["source"], doc["language"], doc["report"]["follow_ups"]) == ("factsheet-norway-word.docx", "en", 11)


def test_the_json_report_names_the_replaced_file(tmp_path, embedder):
    with Archive.open(tmp_path / "index", create=True, embedder=embedder) as archive:
        archive.ingest([FIXTURES / "factsheet-norway.md"])
        [result] = archive.ingest([NORWAY_FILES[2]]).files
        assert result.status == "updated" and result.report.recommendations == 72
        [replacement] = result.replaced
        assert (replacement.doc_id, replacement.was, replacement.now) == (
            "factsheet-norway-r2", "factsheet-norway.md", "factsheet-norway-word.docx")
        assert result.to_dict()["replaced"][0]["message"] == (
            "replaced factsheet-norway-r2 (was factsheet-norway.md, now factsheet-norway-word.docx)")
        [doc] = archive.documents()
        assert doc.report == result.report
