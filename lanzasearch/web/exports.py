"""Downloads and API answers: CSV and JSON built from the model's dataclasses.

A CSV cell that a spreadsheet would run as a formula is neutralised; list
fields are joined by "; ".
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Iterable, Mapping

from lanzasearch import FileResult, FollowUp, Hit, Matrix, Recommendation

# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

HIT_COLUMNS = (
    "rank", "score", "country", "doc_id", "section", "section_title", "heading", "kind", "strength",
    "rec_ids", "para_refs", "articles", "page", "citation", "text", "notes", "source",
)


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading formula character gets a quote before it."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell(value: object) -> str:
    """A CSV cell; lists joined by "; ", and a leading formula character neutralised for spreadsheets."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return neutralise("" if value is None else str(value))


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _hit_row(hit: Hit) -> list[object]:
    data = hit.to_dict()
    return [data[c] for c in HIT_COLUMNS]


def hits_csv(hits: list[Hit], members: Mapping[int, Hit] | None = None) -> str:
    """One row per hit, and for a text several Parties share one more row per other Party (its own copy)."""
    members = members or {}

    def rows() -> Iterable[list[object]]:
        for hit in hits:
            yield _hit_row(hit)
            for _, chunk_id in hit.also_in:
                if chunk_id in members:
                    member = members[chunk_id]
                    member.rank, member.score = hit.rank, hit.score
                    yield _hit_row(member)

    return _csv(HIT_COLUMNS, rows())


def hits_json(hits: list[Hit], query: str, filters: Mapping[str, object]) -> str:
    """The result list with the question and filters that produced it, so an export is reproducible."""
    return json.dumps({"query": query, "filters": dict(filters), "hits": [h.to_dict() for h in hits]},
                      indent=2, ensure_ascii=False)


def compare_csv(columns: Mapping[str, list[Hit]]) -> str:
    """One row per passage, country first; a country with nothing relevant gets an empty row."""
    rows: list[list[object]] = []
    for country, hits in columns.items():
        rows.extend([country, *_hit_row(h)] for h in hits)
        if not hits:
            rows.append([country] + [""] * len(HIT_COLUMNS))
    return _csv(("compared_country", *HIT_COLUMNS), rows)


def recommendations_csv(recs: list[Recommendation]) -> str:
    """Every recommendation with its strength, section, countries, articles and follow-up texts."""

    def boxes(items: list[FollowUp]) -> str:
        return " | ".join(f"{b.country or b.doc_id} (p. {b.page or '-'}): {' '.join(b.text.split())}" for b in items)

    header = ("rec_id", "kind", "strength", "section", "section_title", "countries", "articles",
              "follow_up_count", "follow_ups", "practices", "text")
    rows = ([r.rec_id, r.kind, r.strength, r.section, r.section_title, r.countries, r.articles,
             len(r.follow_ups), boxes(r.follow_ups), boxes(r.practices), r.text] for r in recs)
    return _csv(header, rows)


def matrix_csv(matrix: Matrix) -> str:
    """One row per recommendation; for each Party its status and the follow-up text it reported."""
    header = ["rec_id", "section", "strength", "kind", "text"]
    for country in matrix.countries:
        header += [country, f"{country} follow-up"]
    rows = ([r.rec_id, r.section, r.strength, r.kind, r.text,
             *(value for c in matrix.countries for value in (r.cells[c].label, r.cells[c].text))] for r in matrix.rows)
    return _csv(header, rows)


def recommendation_dict(rec: Recommendation, articles: Mapping[str, Hit | None]) -> dict:
    """A recommendation for the API: its fields plus the text of the Convention articles it cites."""
    data = asdict(rec)
    data["has_follow_up"] = rec.has_follow_up
    data["article_texts"] = {n: a.text for n, a in articles.items() if a is not None}
    return data


def file_result_dict(result: FileResult) -> dict:
    """A FileResult for the API; "file", not "path", so clients do not take it for a file to download."""
    data = result.to_dict()
    data["file"] = data.pop("path")
    return data
