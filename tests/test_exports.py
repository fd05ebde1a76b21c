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


