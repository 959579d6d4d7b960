"""The Excel data-entry template (``sdgtrack template`` writes one) for ministries that do
not use CSV: a ``Data`` sheet with one observation per row (``model.template``)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sdgtrack import framework
from sdgtrack.errors import DataError, Issue, IssueCode, UsageError
from sdgtrack.ingest import limits
from sdgtrack.ingest.base import (
    ReadOptions,
    ReadResult,
    map_codes,
    raw_table,
)
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.model.template import COLUMNS, DATA_SHEET, MARKER_SHEET, REQUIRED_HEADERS

SUFFIXES = (".xlsx", ".xlsm")
EXCEL_MAX_ROWS = 1_048_576
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


#: Sheets the template and the export write beside the data sheet (publish/template.py,
#: publish/export/excel.py), never observations.
TEMPLATE_SHEETS = ("Help", "Series", "Areas", "README", "Provenance", MARKER_SHEET)


def _is_data_sheet(ws: Any) -> bool:
    headers = {h.lower() for h in _header_row(ws)}
    return {h.lower() for h in REQUIRED_HEADERS} <= headers


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

        try:
            return self._read(load_workbook(path, data_only=True), path, options)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises any kind on a damaged part
            return ReadResult.nothing([_unreadable(path.name, exc)], [path])

    def _read(self, wb: Any, path: Path, options: ReadOptions) -> ReadResult:
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        results = [self._read_sheet(ws, path.name, path, options)]
        notes = []
        for other in wb.worksheets:
            if other is ws or other.title in TEMPLATE_SHEETS:
                continue
            if _is_data_sheet(other):  # a second sheet of observations is read too
                results.append(self._read_sheet(other, f"{path.name} [{other.title}]", path,
                                                options))
            elif other.max_row and any(v is not None for row in other.iter_rows(
                    values_only=True) for v in row):
                notes.append(Issue(path.name, None, None, IssueCode.FILE_NOT_READ, other.title,
                                   f"Sheet {other.title!r} has no template headers "
                                   f"({', '.join(REQUIRED_HEADERS)}); it was not read.",
                                   f"Move its observations to the {ws.title!r} sheet, or give "
                                   "the sheet the template's headers."))
        if len(results) == 1:
            results[0].issues += notes
            return results[0]
        tables = [r.observations for r in results if r.observations.num_rows]
        return ReadResult.of(pa.concat_tables(tables) if tables else results[0].observations,
                             [i for r in results for i in r.issues] + notes, [path])

    def _read_sheet(self, ws: Any, name: str, path: Path, options: ReadOptions) -> ReadResult:
        issues = _merged(ws, name)
        headers = _header_row(ws)
        missing = [h for h in REQUIRED_HEADERS if h.lower() not in {x.lower() for x in headers}]
        for h in missing:
            issues.append(Issue(name, 1, h, IssueCode.MISSING_COLUMN, None,
                                f"The {ws.title!r} sheet has no {h!r} column.",
                                "Start from a fresh template (sdgtrack template FILE.xlsx)."))
        if missing or issues:
            return ReadResult.nothing(issues, [path])
        lines, rows = _filled_rows(ws, len(headers))
        issues += _formulas(path, ws, headers, lines, name)
        if issues:
            return ReadResult.nothing(issues, [path])
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


def sniff(path: Path) -> Issue | None:
    """Why a file named .xlsx cannot be read as a workbook at all, or None: encrypted (an
    encrypted workbook is an OLE file, not a zip), not a zip, or expanding past the limits
    (``limits.check_zip``). Checked before any reader opens it."""
    if not (path.is_file() and path.suffix.lower() in SUFFIXES):
        return None
    with path.open("rb") as f:
        magic = f.read(4)
    if magic == b"\xd0\xcf\x11\xe0":
        return Issue(path.name, None, None, IssueCode.PASSWORD_PROTECTED, None,
                     "The workbook is password-protected (encrypted), or saved in the Excel "
                     "97-2003 format; it cannot be read.",
                     "Remove the password (File > Info > Protect Workbook > Encrypt with "
                     "Password: clear it) and save it as .xlsx.")
    try:
        limits.check_zip(path)
    except DataError as exc:
        return exc.issues[0]
    except (zipfile.BadZipFile, OSError, EOFError):
        return Issue(path.name, None, None, IssueCode.CORRUPT_FILE, None,
                     "The file ends in .xlsx but is not a readable workbook (damaged or cut "
                     "short).", "Open it in Excel or LibreOffice and save it again as .xlsx.")
    return None


def _unreadable(name: str, exc: Exception) -> Issue:
    if "Row numbers must be between" in str(exc) or "column index" in str(exc).lower():
        return Issue(name, None, None, IssueCode.TOO_LARGE, None,
                     "The workbook has rows beyond Excel's 1,048,576 (or columns beyond "
                     "16,384); it was not written by a spreadsheet.",
                     "Split the data into workbooks of at most 1,048,575 rows, or use CSV.")
    return Issue(name, None, None, IssueCode.CORRUPT_FILE, None,
                 f"The workbook cannot be read ({type(exc).__name__}: {str(exc)[:160]}).",
                 "Open it in Excel or LibreOffice and save it again as .xlsx.")


def _filled_rows(ws: Any, width: int) -> tuple[list[int], list[tuple[Any, ...]]]:
    """(sheet row number, values) of each row below the header with a value in it. Only the
    rows the file holds are visited: ``iter_rows`` would make every cell up to the last
    row, 19 million of them for one cell at row 1,048,576."""
    if ws.max_row > EXCEL_MAX_ROWS:
        raise ValueError(f"Row numbers must be between 1 and {EXCEL_MAX_ROWS}")
    held = sorted({r for r, _ in ws._cells if r >= 2})  # openpyxl's cells, by (row, column)
    lines, rows = [], []
    for r in held:
        values = tuple(ws.cell(r, c).value for c in range(1, width + 1))
        if any(v not in (None, "") for v in values):
            lines.append(r)
            rows.append(values)
    return lines, rows


def _formulas(path: Path, ws: Any, headers: list[str], lines: list[int], name: str
              ) -> list[Issue]:
    """Cells holding a formula whose value was never computed (a workbook last saved by a
    program that does not calculate, such as a script): read as values they would be empty,
    so they are refused by cell. Formulas with a computed value are read as that value.
    ``ws`` is the sheet as values."""
    from openpyxl import load_workbook

    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        written = formulas[ws.title]
        written.reset_dimensions()  # read every row, not those the file claims to have
        found = []
        wanted = set(lines)
        for cells in written.iter_rows(min_row=2):
            for cell in cells:
                f = getattr(cell, "value", None)
                if (isinstance(f, str) and f.startswith("=") and cell.row in wanted
                        and ws.cell(cell.row, cell.column).value is None):
                    found.append(_formula_issue(name, cell.row, headers, cell.column - 1, f))
        return found
    finally:
        formulas.close()


def _formula_issue(name: str, line: int, headers: list[str], k: int, formula: str) -> Issue:
    header = headers[k] if k < len(headers) and headers[k] else f"column {k + 1}"
    return Issue(
        name, line, header, IssueCode.FORMULA_WITHOUT_VALUE, formula[:80],
        f"The cell holds the formula {formula[:80]!r} but no computed value (the workbook "
        "was last saved by a program that does not calculate).",
        "Open the workbook in Excel or LibreOffice and save it (that computes every "
        "formula), or type the value in place of the formula.")


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


