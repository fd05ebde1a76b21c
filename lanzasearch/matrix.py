"""The recommendation × Party matrix: recommendation ids down the side, the Parties across.

Each cell says what the Party's factsheet shows for the recommendation (a key of
``recommendations.STATUSES``): a follow-up reported (with its text), a box left
empty, no box, a generic recommendation to all Parties, or not addressed to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import UnknownFilterError
from .model import FollowUp, Recommendation
from .recommendations import STATUSES, follow_up_status


@dataclass
class MatrixCell:
    """What one Party's factsheet shows for one recommendation."""

    status: str  # a key of STATUSES
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATUSES[self.status]

    @property
    def text(self) -> str:
        """The follow-up text the Party reported, boxes separated by a blank line."""
        return "\n\n".join(box.text for box in self.follow_ups)


@dataclass
class MatrixRow:
    """One recommendation id and its cell for every Party of the matrix."""

    rec_id: str
    section: str | None
    section_title: str | None
    strength: str | None
    kind: str
    text: str
    cells: dict[str, MatrixCell]


@dataclass
class Matrix:
    countries: list[str]
    rows: list[MatrixRow]

    def to_dict(self) -> dict:
        return {
            "countries": self.countries,
            "statuses": STATUSES,
            "rows": [
                {"rec_id": r.rec_id, "section": r.section, "section_title": r.section_title, "strength": r.strength,
                 "kind": r.kind, "text": r.text,
                 "cells": {c: {"status": cell.status, "label": cell.label, "text": cell.text,
                               "pages": [b.page for b in cell.follow_ups]} for c, cell in r.cells.items()}}
                for r in self.rows
            ],
        }


def check_statuses(statuses) -> list[str]:
    """The status keys asked for (a key or its label); an unknown one raises, naming the valid ones."""
    by_name = {key: key for key in STATUSES} | {label: key for key, label in STATUSES.items()}
    out = []
    for status in statuses or ():
        key = by_name.get(str(status).strip().lower().replace(" ", "_")) or by_name.get(str(status).strip().lower())
        if key is None:
            raise UnknownFilterError(f"unknown status {status!r}: choose from {', '.join(STATUSES)}")
        out.append(key)
    return out


def build_matrix(recs: list[Recommendation], countries: list[str], empty_box_ids: dict[str, set[str]],
                 statuses: list[str] = ()) -> Matrix:
    """Rows for ``recs`` (already filtered by section and strength), one cell per country.

    ``empty_box_ids`` maps a country to the ids of its empty follow-up boxes. With ``statuses``,
    only rows where some Party's cell has one of them are kept.
    """
    rows = []
    for rec in recs:
        cells = {
            country: MatrixCell(follow_up_status(rec, country, empty_box_ids.get(country, set())),
                                [box for box in rec.follow_ups if box.country == country])
            for country in countries
        }
        if statuses and not any(cell.status in statuses for cell in cells.values()):
            continue
        rows.append(MatrixRow(rec.rec_id, rec.section, rec.section_title, rec.strength, rec.kind, rec.text, cells))
    return Matrix(list(countries), rows)
