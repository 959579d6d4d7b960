"""The Excel data-entry template (``sdgtrack template`` writes one) for ministries that do
not use CSV: a ``Data`` sheet with one observation per row (``model.template``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sdgtrack import framework
from sdgtrack.errors import Issue, IssueCode, UsageError
from sdgtrack.ingest.base import (
    ReadOptions,
    ReadResult,
    map_codes,
    raw_table,
)
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.model.template import COLUMNS, DATA_SHEET, REQUIRED_HEADERS

SUFFIXES = (".xlsx", ".xlsm")
_BY_HEADER = {c.header.lower(): c for c in COLUMNS}


def _cell_text(value: Any) -> str:
    """A cell as published text: 12.0 -> '12', 0.1 -> '0.1', None -> ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _header_row(ws: Any) -> list[str]:
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    return [_cell_text(v) for v in first]


class ExcelTemplate:
    name = "excel-template"
    headers = {c.field: c.header for c in COLUMNS}
    expects = ("sdgtrack Excel template: an .xlsx workbook with a 'Data' sheet whose first row "
               "has the headers " + ", ".join(REQUIRED_HEADERS) + " (sdgtrack template writes one)")

    def files(self, path: Path) -> list[Path]:
        return [path]

    def handles(self, path: Path) -> bool:
        if not (path.is_file() and path.suffix.lower() in SUFFIXES):
            return False
        try:
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook is "not mine"
            return False
        try:
            ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
            headers = {h.lower() for h in _header_row(ws)}
            return {"series code", "area code"} <= headers
        finally:
            wb.close()

    def read(self, path: Path, options: ReadOptions) -> ReadResult:
        from openpyxl import load_workbook

        wb = load_workbook(path, data_only=True)
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        name = path.name
        issues = _merged(ws, name)
        headers = _header_row(ws)
        missing = [h for h in REQUIRED_HEADERS if h.lower() not in {x.lower() for x in headers}]
        for h in missing:
            issues.append(Issue(name, 1, h, IssueCode.MISSING_COLUMN, None,
                                f"The {ws.title!r} sheet has no {h!r} column.",
                                "Start from a fresh template (sdgtrack template FILE.xlsx)."))
        if missing or issues:
            return ReadResult.nothing(issues, [path])
        rows = [r for r in ws.iter_rows(min_row=2, values_only=True)
                if any(v not in (None, "") for v in r)]
        lines = [i for i, r in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2)
                 if any(v not in (None, "") for v in r)]
        if not rows:
            issues.append(Issue(name, None, None, IssueCode.NO_ROWS, None,
                                f"The {ws.title!r} sheet has headers but no rows.",
                                "Fill in one row per observation below the headers."))
            return ReadResult.nothing(issues, [path])
        cols: dict[str, pa.Array] = {}
        for k, h in enumerate(headers):
            column = _BY_HEADER.get(h.lower())
            if column is None:
                if h:
                    issues.append(Issue(name, 1, h, IssueCode.UNKNOWN_COLUMN, h,
                                        f"{h!r} is not a template column; it was not read.",
                                        "Use the template's columns only."))
                continue
            values = pa.array([_cell_text(r[k] if k < len(r) else None) for r in rows],
                              pa.string())
            if column.field in DIMENSION_NAMES:
                values = map_codes(column.field, values)
            elif column.field == "ref_area":
                values = _areas(values)
            cols[column.field] = values
        n = len(rows)
        cols.setdefault("reporting_type", pa.repeat(options.reporting_type or "N", n))
        raw = raw_table(cols, n, name, np.array(lines, dtype=np.int64))
        return ReadResult.of(raw, issues, [path])


def _areas(values: pa.Array) -> pa.Array:
    """ISO3 codes to M49; anything else is left for validation to judge."""
    out = []
    for v in values.to_pylist():
        try:
            out.append(framework.resolve_area(v) if v else v)
        except UsageError:
            out.append(v)
    return pa.array(out, pa.string())


def _merged(ws: Any, name: str) -> list[Issue]:
    return [
        Issue(name, rng.min_row, f"{ws.title}!{rng.coord}", IssueCode.MERGED_CELLS, rng.coord,
              f"Cells {rng.coord} on sheet {ws.title!r} are merged; a merged cell hides "
              "values from every row but the first.",
              "Unmerge the cells (Home > Merge & Center > Unmerge) and fill each row.")
        for rng in ws.merged_cells.ranges
    ]


