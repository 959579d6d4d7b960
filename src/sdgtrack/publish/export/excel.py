"""Excel: the data-entry template's ``Data`` sheet (``model.template``, read back by
``ingest.excel``), a ``README`` sheet saying where the rows come from, and a ``Provenance``
sheet giving each row's dataset, load and source line.

Values are written as numbers where the reader turns the number back into the same text
and Excel keeps all its digits (``11.8``, ``4``), and as text otherwise (``<2.5``, ``06``,
``1.50``, ``15.626779999999995``), so nothing published is lost. A total is an empty cell,
as in the template.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from sdgtrack.errors import DataError
from sdgtrack.model import DIMENSION_NAMES, TOTAL
from sdgtrack.model.template import COLUMNS, DATA_SHEET, MARKER_SHEET, TEMPLATE_VERSION
from sdgtrack.publish.export.base import (
    Catalogue,
    ExportResult,
    as_table,
    atomic_file,
    duplicate_note,
    sdgtrack_version,
    used,
    value_text,
)

#: Fields the template has no column for: written after its columns when the data uses
#: them, so a reader sees them, but ``ingest.excel`` does not read them back.
EXTRA_COLUMNS: dict[str, str] = {
    "reporting_type": "Reporting type", "occupation": "Occupation", "activity": "Activity",
    "product": "Product", "breakdown": "Other breakdowns", "obs_status": "Observation status",
    "base_period": "Base period",
}
#: The reporting type ``ingest.excel`` gives rows when not told otherwise.
READER_REPORTING_TYPE = "N"
PROVENANCE = ("dataset", "load_id", "source_file", "source_row")


def value_cell(raw: str) -> str | int | float:
    """A number where ``ingest.excel`` reads it back as the same text and Excel keeps every
    digit (15 significant digits), else the text.

    >>> value_cell("11.8"), value_cell("4"), value_cell("<2.5"), value_cell("06")
    (11.8, 4, '<2.5', '06')
    >>> value_cell("15.626779999999995")  # 17 digits: more than Excel keeps
    '15.626779999999995'
    """
    try:
        number = float(raw)
    except ValueError:
        return raw
    if not math.isfinite(number) or float(f"{number:.15g}") != number:
        return raw
    if number.is_integer():
        return int(number) if str(int(number)) == raw else raw
    return number if repr(number) == raw else raw


def _extra_fields(table: pa.Table) -> list[str]:
    covered = {c.field for c in COLUMNS}
    out = []
    for field in EXTRA_COLUMNS:
        if field in covered:
            continue
        if field == "reporting_type":
            if set(table[field].to_pylist()) - {READER_REPORTING_TYPE}:
                out.append(field)
        elif used(table, field):
            out.append(field)
    return out


def _cells(table: pa.Table, field: str) -> list[Any]:
    if field == "value_raw":
        return [value_cell(v) for v in value_text(table)]
    values: list[Any] = table[field].to_pylist()
    if field in DIMENSION_NAMES and field != "reporting_type":
        return [None if v == TOTAL else v for v in values]
    return values


def _data_rows(table: pa.Table, fields: list[str]) -> list[list[Any]]:
    columns = [_cells(table, f) for f in fields]
    return [list(r) for r in zip(*columns)] if columns else []


def _append(ws: Any, row: list[Any], line: int) -> None:
    from openpyxl.utils.exceptions import IllegalCharacterError

    try:
        ws.append([_text_cell(ws, v) for v in row])
    except IllegalCharacterError as exc:
        raise DataError(
            f"Row {line} of the export (series {row[0]}, area {row[1]}, year {row[2]}) holds "
            f"text Excel cannot store ({exc}); nothing was written. Export it as csv or "
            "parquet, or remove the control character from the source.") from exc


def _text_cell(ws: Any, value: Any) -> Any:
    """Text starting with '=' as a text cell: openpyxl would write it as a live formula (a
    footnote =HYPERLINK("http://evil.example","x") would be a link in the workbook)."""
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _readme(wb: Any, table: pa.Table, notes: list[str], catalogue: Catalogue) -> None:
    ws = wb.create_sheet("README")
    ws.append(["sdgtrack export"])
    ws.append(["Written by", f"sdgtrack {sdgtrack_version()}",
               datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")])
    ws.append(["Observations", table.num_rows])
    ws.append(["Re-import", f"sdgtrack ingest FILE.xlsx (reads the {DATA_SHEET!r} sheet)"])
    for note in notes:
        ws.append(["Note", note])
    ws.append([])
    ws.append(["Provenance: the loads the rows come from (the Provenance sheet gives each row's "
               "source line)"])
    ws.append(["Dataset", "Load", "Rows", "Path", "Reader", "Checksum (SHA-256)", "Loaded at"])
    loads = {int(r["load_id"]): r for r in catalogue.loads}
    counts = Counter(zip(table["dataset"].to_pylist(), table["load_id"].to_pylist()))
    for (dataset, load_id), n in sorted(counts.items(), key=lambda kv: str(kv[0])):
        load = loads.get(load_id, {}) if load_id is not None else {}
        loaded_at = load.get("loaded_at")
        ws.append([dataset, load_id, n, load.get("path"), load.get("reader"),
                   load.get("checksum"), str(loaded_at) if loaded_at else None])


def _provenance(wb: Any, table: pa.Table) -> None:
    ws = wb.create_sheet("Provenance")
    ws.append([f"{DATA_SHEET} row", "Dataset", "Load", "Source file", "Source row"])
    columns = [table[c].to_pylist() for c in PROVENANCE]
    for line, row in enumerate(zip(*columns), start=2):
        ws.append([line, *row])


def _extra_note(extra: list[str]) -> list[str]:
    if not extra:
        return []
    names = ", ".join(EXTRA_COLUMNS[f] for f in extra)
    return [f"The template has no column for {names}: they are written after its columns, "
            "and sdgtrack's Excel reader does not read them back (it reads the reporting "
            f"type as {READER_REPORTING_TYPE} unless given --reporting-type)."]


def write_xlsx(observations: Any, out: Path, *, catalogue: Catalogue | None = None
               ) -> ExportResult:
    """Write the observations to ``out`` as an sdgtrack data-entry workbook."""
    from openpyxl import Workbook

    table = as_table(observations)
    extra = _extra_fields(table)
    fields = [c.field for c in COLUMNS] + extra
    notes = _extra_note(extra) + duplicate_note(table)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    ws.freeze_panes = "A2"
    ws.append([c.header for c in COLUMNS] + [EXTRA_COLUMNS[f] for f in extra])
    for line, row in enumerate(_data_rows(table, fields), start=2):
        _append(ws, row, line)
    _readme(wb, table, notes, catalogue or Catalogue())
    _provenance(wb, table)
    marker = wb.create_sheet(MARKER_SHEET)
    marker.append(["template_version", TEMPLATE_VERSION])
    marker.sheet_state = "hidden"
    with atomic_file(out) as tmp:
        wb.save(tmp)
    return ExportResult("xlsx", out, table.num_rows, table.num_rows, 1, tuple(notes))
