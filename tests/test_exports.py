"""Downloads of the research interface (web/exports.py): CSV and JSON from plain data."""

from __future__ import annotations

import csv
import io
import json

from lanzasearch.web import exports
from sample_results import make_hit, make_recs


def test_hits_csv_has_one_row_per_hit_and_neutralises_formulas():
    rows = list(csv.DictReader(io.StringIO(exports.hits_csv([make_hit(), make_hit(rank=2, text="=HYPERLINK(1)")]))))
    assert [r["rank"] for r in rows] == ["1", "2"]
    assert rows[0]["rec_ids"] == "II-6" and rows[0]["para_refs"] == "43; 78" and rows[0]["page"] == "4"
    assert rows[0]["citation"] == "Norway, II. Legal frameworks, Rec. II-6, paras. 43, 78, p. 4"
    assert rows[1]["text"] == "'=HYPERLINK(1)"


def test_hits_json_records_query_and_filters():
    data = json.loads(exports.hits_json([make_hit()], "penal code", {"countries": ["Norway"]}))
    assert data["query"] == "penal code" and data["filters"] == {"countries": ["Norway"]}
    assert data["hits"][0]["citation"].startswith("Norway") and data["hits"][0]["rec_ids"] == ["II-6"]


def test_compare_csv_keeps_empty_countries():
    rows = list(csv.DictReader(io.StringIO(exports.compare_csv({"Norway": [make_hit()], "Testland": []}))))
    assert [(r["compared_country"], r["rank"]) for r in rows] == [("Norway", "1"), ("Testland", "")]


def test_recommendations_csv():
    rows = list(csv.DictReader(io.StringIO(exports.recommendations_csv(make_recs()))))
    assert rows[0]["rec_id"] == "II-6" and rows[0]["follow_up_count"] == "1"
    assert rows[0]["follow_ups"] == "Norway (p. 3): Norway amended section 311."
    assert rows[1]["practices"].startswith("Testland (p. -): Peer Guides")




# -- the recommendation × Party matrix -----------------------------------------------------------


def _matrix():
    from lanzasearch import FollowUp
    from lanzasearch.matrix import Matrix, MatrixCell, MatrixRow

    reported = MatrixCell("follow_up", [FollowUp("Norway", "factsheet-norway-r2", "=Norway amended section 311.", 3)])
    rows = [
        MatrixRow("II-6", "II", "Legal frameworks", "request", "recommendation", "ensure that a child is not prosecuted",
                  {"Norway": reported, "Testland": MatrixCell("empty_box")}),
        MatrixRow("X-5", "X", "Higher education", "require", "recommendation", "train nurses",
                  {"Norway": MatrixCell("no_box"), "Testland": MatrixCell("not_addressed")}),
    ]
    return Matrix(["Norway", "Testland"], rows)


def test_matrix_csv_has_a_status_and_a_text_column_per_party():
    rows = list(csv.DictReader(io.StringIO(exports.matrix_csv(_matrix()))))
    assert [r["rec_id"] for r in rows] == ["II-6", "X-5"]
    assert rows[0]["Norway"] == "follow-up reported" and rows[0]["Norway follow-up"] == "'=Norway amended section 311."
    assert rows[0]["Testland"] == "box left empty" and rows[1]["Testland"] == "not addressed to this Party"


def test_matrix_workbook_has_a_sheet_per_section_with_readable_columns(tmp_path):
    import openpyxl

    from lanzasearch.web.spreadsheets import matrix_xlsx

    workbook = openpyxl.load_workbook(matrix_xlsx(_matrix(), tmp_path / "matrix.xlsx"))
    assert workbook.sheetnames == ["II Legal frameworks", "X Higher education curriculum a"]  # Excel's 31 characters
    sheet = workbook["II Legal frameworks"]
    assert [c.value for c in sheet[1]] == ["Recommendation", "Strength", "Text", "Norway", "Testland"]
    rec_id, strength, _, norway, testland = (c.value for c in sheet[2])
    assert (rec_id, strength, testland) == ("II-6", "request", "box left empty")
    assert norway == "follow-up reported\n\n=Norway amended section 311."
    assert sheet.cell(2, 4).data_type == "s"  # text, never a formula
    assert sheet.column_dimensions["D"].width >= 40 and sheet.cell(2, 4).alignment.wrap_text
    assert sheet.freeze_panes == "B2"
