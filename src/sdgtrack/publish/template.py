"""Write the Excel data-entry template (read back by ``ingest.excel``)."""

from __future__ import annotations

from pathlib import Path

from sdgtrack import framework
from sdgtrack.model.template import COLUMNS, DATA_SHEET, MARKER_SHEET, TEMPLATE_VERSION


def write_template(path: Path, example_area: str | None = None) -> Path:
    """An .xlsx with the ``Data`` sheet (headers, notes, frozen header row), a ``Help`` sheet
    describing each column, and ``Series`` and ``Areas`` sheets listing the valid codes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    bold = Font(bold=True)
    required = PatternFill("solid", fgColor="FFF2CC")
    for k, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=k, value=col.header)
        cell.font = bold
        if col.required:
            cell.fill = required
        cell.comment = Comment(col.help, "sdgtrack")
        ws.column_dimensions[cell.column_letter].width = max(12, len(col.header) + 2)
    ws.freeze_panes = "A2"
    if example_area:
        ws.append(["SH_STA_STNT", framework.resolve_area(example_area), 2019, "9.9", "PERCENT",
                   None, "C", None, "Y0T4"])

    help_ws = wb.create_sheet("Help")
    help_ws.append(["Column", "Required", "What to enter"])
    for col in COLUMNS:
        help_ws.append([col.header, "yes" if col.required else "", col.help])
    help_ws.append([])
    help_ws.append(["One observation per row. Leave a breakdown cell empty for the total. "
                    "Do not merge cells. Load with: sdgtrack ingest FILE.xlsx"])

    series_ws = wb.create_sheet("Series")
    series_ws.append(["Series code", "Description", "Unit"])
    s = framework.table("series").to_pylist()
    for row in s:
        series_ws.append([row["series_code"], row["description"], row["unit_measure"]])

    areas_ws = wb.create_sheet("Areas")
    areas_ws.append(["M49", "ISO3", "Name"])
    for row in framework.table("areas").to_pylist():
        areas_ws.append([row["m49"], row["iso3"], row["name"]])

    marker = wb.create_sheet(MARKER_SHEET)
    marker.append(["template_version", TEMPLATE_VERSION])
    marker.sheet_state = "hidden"
    wb.save(path)
    return path
