"""The recommendation × Party matrix as an .xlsx workbook (openpyxl): one sheet per section.

Rows are recommendations, columns the Parties; a cell holds the status and,
for a follow-up, the text the Party reported. Columns are wide enough to read,
text wraps, the header row and the recommendation column stay in view, and
cells are tinted like the app's matrix.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from lanzasearch import SECTIONS, Matrix

from .exports import neutralise

FILLS = {"follow_up": "FDE9D9", "empty_box": "FFF4EA", "no_box": "F1F5F9", "generic": "FFFFFF", "not_addressed": "E5E7EB"}
WIDTHS = {"rec_id": 10, "strength": 10, "recommendation": 60, "party": 45}
MAX_CELL = 32_000  # characters: Excel's limit for a cell is 32,767


def matrix_xlsx(matrix: Matrix, path: str | Path) -> Path:
    """Write the matrix to ``path``, one sheet per section in report order; returns the path."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sections: dict[str, list] = {}
    for row in matrix.rows:
        sections.setdefault(row.section or "-", []).append(row)
    for section, rows in sections.items():
        title = f"{section} {SECTIONS.get(section, '')}".strip()[:31]  # Excel's limit on sheet names
        sheet = workbook.create_sheet(title)
        sheet.append(["Recommendation", "Strength", "Text", *matrix.countries])
        for row in rows:
            cells = []
            for country in matrix.countries:
                cell = row.cells[country]
                cells.append(neutralise(f"{cell.label}\n\n{cell.text}"[:MAX_CELL] if cell.text else cell.label))
            sheet.append([row.rec_id, row.strength or "", neutralise(row.text[:MAX_CELL]), *cells])
            for column, country in enumerate(matrix.countries, start=4):
                sheet.cell(sheet.max_row, column).fill = PatternFill("solid", fgColor=FILLS[row.cells[country].status])
        for column, width in enumerate([WIDTHS["rec_id"], WIDTHS["strength"], WIDTHS["recommendation"]]
                                       + [WIDTHS["party"]] * len(matrix.countries), start=1):
            sheet.column_dimensions[sheet.cell(1, column).column_letter].width = width
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
    if not sections:
        workbook.create_sheet("No recommendations").append(["No recommendation matches the filters."])
    workbook.save(path)
    return Path(path)
