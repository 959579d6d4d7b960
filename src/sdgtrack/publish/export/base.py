"""What every export writer shares: the result it returns, the store's catalogue of names, the
canonical table it starts from, and atomic writes.

A writer never leaves a half-written file: it writes to a hidden temporary file (or folder)
beside the target and renames it into place only when everything has been written.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack import framework
from sdgtrack.errors import UsageError
from sdgtrack.model import COLUMNS, KEY_NAMES, TOTAL

_ARROW_TYPES = {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(),
                "float64": pa.float64()}
#: The canonical observation schema (``model.COLUMNS``), with each column's doc as metadata.
SCHEMA = pa.schema([
    pa.field(c.name, _ARROW_TYPES[c.type],
             metadata={"role": c.role, "sdmx": c.sdmx or "", "doc": c.doc})
    for c in COLUMNS
])


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote. ``rows`` counts observations, ``rows_written`` the data rows in
    the files (an Open SDG repository repeats a series under each of its indicators), and
    ``notes`` says what the format, or sdgtrack's reader of it, cannot carry back."""

    format: str
    path: Path
    rows: int
    rows_written: int
    files: int
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"format": self.format, "path": str(self.path), "rows": self.rows,
                "rows_written": self.rows_written, "files": self.files,
                "notes": list(self.notes)}


@dataclass(frozen=True)
class Catalogue:
    """What a store knows beside the observations: series descriptions, the indicators of
    each series, area names, the country of each sub-national area, and the load records
    (for provenance). ``Catalogue.from_framework()`` gives the framework's names only."""

    series: Mapping[str, str] = field(default_factory=dict)
    indicators: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    areas: Mapping[str, str] = field(default_factory=dict)
    parents: Mapping[str, str] = field(default_factory=dict)
    loads: tuple[Mapping[str, Any], ...] = ()

    @classmethod
    def from_framework(cls) -> Catalogue:
        series = framework.table("series").to_pylist()
        links: dict[str, list[str]] = {}
        for row in framework.table("series_indicators").to_pylist():
            links.setdefault(row["series_code"], []).append(row["indicator"])
        return cls(
            series={r["series_code"]: r["description"] for r in series},
            indicators={s: tuple(sorted(i, key=indicator_order)) for s, i in links.items()},
            areas=framework.area_names(),
        )


def indicator_order(indicator: str) -> tuple[tuple[int, str], ...]:
    """Sort key putting 1.5.1 before 11.5.1 and 4.c.1 after 4.7.1.

    >>> sorted(["11.5.1", "1.5.1", "4.c.1", "4.7.1"], key=indicator_order)
    ['1.5.1', '4.7.1', '4.c.1', '11.5.1']
    """
    return tuple((int(p), "") if p.isdigit() else (10**6, p) for p in indicator.split("."))


def as_table(observations: Any) -> pa.Table:
    """The observations (an Ibis expression or a pyarrow Table) in the canonical schema,
    sorted by key. Columns the input lacks are null (provenance of a derived table)."""
    table = observations.to_pyarrow() if hasattr(observations, "to_pyarrow") else observations
    if not isinstance(table, pa.Table):
        raise UsageError("Export needs an Ibis table expression or a pyarrow Table of "
                         f"observations, not {type(observations).__name__}.")
    missing = [n for n in ("series_code", "ref_area", "time_period") if n not in table.schema.names]
    if missing:
        raise UsageError(f"The table to export lacks the column(s) {', '.join(missing)}; "
                         "give it the store's observations (see current_observations).")
    columns = []
    for f in SCHEMA:
        if f.name in table.schema.names:
            columns.append(table[f.name].cast(f.type))
        elif f.name in KEY_NAMES:
            columns.append(pa.repeat(TOTAL, table.num_rows).cast(f.type))
        else:
            columns.append(pa.nulls(table.num_rows, f.type))
    out = pa.Table.from_arrays(columns, schema=SCHEMA)
    return out.sort_by([(k, "ascending") for k in KEY_NAMES])


def value_text(table: pa.Table) -> list[str]:
    """The value as published (``value_raw``); the number's shortest exact text where a
    derived table has only ``value``; '' where there is neither."""
    raw = table["value_raw"].to_pylist()
    numbers = table["value"].to_pylist()
    return [r if r is not None else number_text(v) for r, v in zip(raw, numbers)]


def number_text(value: float | None) -> str:
    """A float as the shortest text that reads back as the same float; '' for null.

    >>> number_text(0.1), number_text(5.0), number_text(None), number_text(1e-07)
    ('0.1', '5', '', '1e-07')
    """
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


#: First characters that make a spreadsheet run a cell as a formula (OWASP, CSV injection).
FORMULA_START = frozenset("=+-@\t\r")
NUMBER_REGEX = r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$"
FORMULA_REGEX = r"^[=+\-@\t\r]"
_NUMBER = re.compile(NUMBER_REGEX)


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, behind an apostrophe (which Excel and
    LibreOffice show as text and do not run); numbers, negative ones included, unchanged.

    >>> print(neutralise('=HYPERLINK("http://evil.example","x")'), neutralise("-5.2"))
    '=HYPERLINK("http://evil.example","x") -5.2
    >>> neutralise("@SUM(A1)"), neutralise("<5"), neutralise(None)
    ("'@SUM(A1)", '<5', None)
    """
    if isinstance(value, str) and value[:1] in FORMULA_START and not _NUMBER.match(value):
        return "'" + value
    return value


def neutralise_column(values: list[Any]) -> list[Any]:
    return [neutralise(v) if isinstance(v, str) and v[:1] in FORMULA_START else v
            for v in values]


def text(values: list[Any]) -> list[str]:
    """Cells as text, '' for null."""
    return ["" if v is None else str(v) for v in values]


def breakdown_pairs(breakdown: str | None) -> dict[str, str]:
    """``CONCEPT=CODE;CONCEPT=CODE`` as a dict; ``_T`` (no other breakdown) is empty.

    >>> breakdown_pairs("CAUSE_OF_DEATH=ROAD;CUST_BREAKDOWN=X"), breakdown_pairs("_T")
    ({'CAUSE_OF_DEATH': 'ROAD', 'CUST_BREAKDOWN': 'X'}, {})
    """
    if not breakdown or breakdown == TOTAL:
        return {}
    return dict(p.split("=", 1) for p in breakdown.split(";") if "=" in p)


def breakdown_columns(table: pa.Table) -> dict[str, list[str]]:
    """One list of codes per breakdown concept ('' where a row has the total)."""
    distinct = {b: breakdown_pairs(b) for b in pc.unique(table["breakdown"]).to_pylist()}
    concepts = sorted({c for pairs in distinct.values() for c in pairs})
    rows = [distinct[b] for b in table["breakdown"].to_pylist()]
    return {c: [r.get(c, "") for r in rows] for c in concepts}


def duplicate_note(table: pa.Table) -> list[str]:
    """A note when rows share a key (the same observation from two datasets): a reader of
    the file will report them as duplicates or conflicts."""
    counts = table.group_by(list(KEY_NAMES)).aggregate([([], "count_all")])
    shared = pc.sum(pc.greater(counts["count_all"], 1)).as_py() or 0
    if not shared:
        return []
    return [f"{shared} observation key(s) occur in more than one row (loaded from more than "
            "one dataset); every row is written, and a re-import will report them as "
            "duplicates. Filter by dataset or series to export one version."]


def used(table: pa.Table, column: str) -> bool:
    """Whether a column carries anything: a non-total code, a non-null attribute."""
    values = table[column]
    if column in KEY_NAMES:
        return bool(pc.any(pc.not_equal(values, TOTAL)).as_py())
    return bool(values.null_count < len(values))


def _temporary_sibling(out: Path) -> Path:
    """A hidden name beside ``out`` (same folder, so the final rename is atomic); nothing
    is created, so the file or folder gets the user's usual permissions."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return out.parent / f".{out.name}.{uuid.uuid4().hex[:12]}.tmp"


@contextmanager
def atomic_file(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out``; renamed to ``out`` when the block ends without an
    error, removed when it raises (the file at ``out``, if any, is left as it was)."""
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give the name of the file to write.")
    tmp = _temporary_sibling(out)
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def atomic_folder(out: Path) -> Iterator[Path]:
    """A temporary folder beside ``out``, renamed to ``out`` when the block ends without an
    error, removed when it raises. ``out`` must not exist or be an empty folder: an export
    never writes into (or replaces) a folder that holds other files."""
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        raise UsageError(f"{out} already exists and is not an empty folder; give a new "
                         "folder (sdgtrack never writes into an existing repository).")
    tmp = _temporary_sibling(out)
    tmp.mkdir()
    try:
        yield tmp
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_csv(path: Path, header: list[str], columns: list[list[str]],
              compress: bool = False) -> int:
    """Write a UTF-8 CSV (gzip-compressed when asked, with no timestamp so the bytes depend
    only on the data); returns the number of data rows."""
    import gzip
    import io

    with path.open("wb") as raw:
        binary: Any = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if compress \
            else raw
        with io.TextIOWrapper(binary, encoding="utf-8", newline="") as f:
            rows = _write_rows(f, header, columns)
        if compress:
            binary.close()
    return rows


def csv_bytes(header: list[str], columns: list[list[str]]) -> bytes:
    """The same CSV as ``write_csv``, in memory (an HTTP answer)."""
    import io

    text = io.StringIO(newline="")
    _write_rows(text, header, columns)
    return text.getvalue().encode("utf-8")


def _write_rows(f: Any, header: list[str], columns: list[list[str]]) -> int:
    import csv

    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(header)
    # a footnote =HYPERLINK(...) is text here, never a formula in a spreadsheet
    safe = [neutralise_column(c) for c in columns]
    rows = list(zip(*safe)) if safe else []
    writer.writerows(rows)
    return len(rows)


def sdgtrack_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sdgtrack")
    except PackageNotFoundError:
        return "0+unknown"
