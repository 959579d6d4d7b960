"""What every reader shares: its options, its result and the canonical raw table.

A reader turns one file (or one folder) into a ``ReadResult``: the observations in the
canonical layout with every cell still as published text, the series and sub-national
areas the file itself defines, and the issues met while reading. Typing the values
(``values.normalise``) and checking them (``sdgtrack.validate``) are shared steps after it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack.errors import Issue
from sdgtrack.model import ATTRIBUTES, DIMENSION_NAMES, TOTAL
from sdgtrack.model.codes import normalise_code

#: Columns of a reader's raw observation table, in order. All strings but ``source_row``.
RAW_COLUMNS: tuple[str, ...] = (
    ("series_code", "ref_area", "time_period")
    + DIMENSION_NAMES
    + tuple(c.name for c in ATTRIBUTES if c.name not in ("value", "value_qualifier"))
    + ("source_file", "source_row")
)

SERIES_COLUMNS = ("series_code", "description", "unit_measure")
SERIES_INDICATOR_COLUMNS = ("series_code", "indicator")
AREA_COLUMNS = ("ref_area", "name", "parent")
#: A repository's own words for its codes (translations/<lang>/SEX.yml, its DSD's names):
#: ``dimension`` is the observation column (``sex``, ``unit_measure``, ``ref_area``,
#: ``series``; ``breakdown`` with ``CONCEPT=CODE`` codes for any other concept).
LABEL_COLUMNS = ("dimension", "code", "lang", "label")


@dataclass(frozen=True)
class ReadOptions:
    """Options a user may give to ``sdgtrack ingest``; readers use the ones that apply."""

    area: str | None = None  # the country of a national (Open SDG) repository
    mapping: Path | None = None  # a column/code mapping file for Open SDG repositories
    reporting_type: str | None = None  # override G/N/R
    areas: Path | None = None  # a CSV (ref_area, name, parent) of areas the data may use
    #: called with (file name, files done, files in all) as a reader works through a folder
    progress: Callable[[str, int, int], None] | None = field(default=None, compare=False)

    def tick(self, name: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(name, done, total)


@dataclass
class ReadResult:
    observations: pa.Table
    series: pa.Table
    series_indicators: pa.Table
    areas: pa.Table
    issues: list[Issue] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    #: national metadata (``opensdg_meta.METADATA_COLUMNS``), stored with the load
    metadata: pa.Table | None = None
    labels: pa.Table = field(default_factory=lambda: empty(LABEL_COLUMNS))

    @classmethod
    def of(cls, observations: pa.Table, issues: list[Issue], files: list[Path]) -> ReadResult:
        """Observations only: the file declares no series, links or areas of its own."""
        return cls(observations, empty(SERIES_COLUMNS), empty(SERIES_INDICATOR_COLUMNS),
                   empty(AREA_COLUMNS), issues, files)

    @classmethod
    def nothing(cls, issues: list[Issue], files: list[Path]) -> ReadResult:
        """No rows could be read: only the issues that say why."""
        return cls.of(empty(()), issues, files)


class Reader(Protocol):
    name: str
    expects: str
    #: The header a file of this format gives each canonical column (``value_raw`` ->
    #: ``Value``), so that a problem names the column the user sees in the file.
    headers: dict[str, str]

    def handles(self, path: Path) -> bool: ...

    def files(self, path: Path) -> list[Path]: ...

    def read(self, path: Path, options: ReadOptions) -> ReadResult: ...


def empty(columns: tuple[str, ...]) -> pa.Table:
    return pa.table({c: pa.array([], pa.string()) for c in columns})


def strings(values: Sequence[Sequence[str | None]], columns: tuple[str, ...]) -> pa.Table:
    """Rows of text (one tuple per row) as a table of string ``columns``."""
    return pa.table({c: pa.array([v[i] for v in values], pa.string())
                     for i, c in enumerate(columns)})


def constant(value: str | None, n: int) -> pa.Array:
    return pa.array([value] * n, pa.string()) if value is None else pa.repeat(value, n)


def stripped(column: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
    return pc.utf8_trim_whitespace(column.cast(pa.string()))


def _by_distinct(column: pa.Array | pa.ChunkedArray, fn: Callable[[str | None], str | None]
                 ) -> pa.Array:
    """Apply ``fn`` once per distinct value of a text column (codes repeat a lot)."""
    column = stripped(column)
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(column)
    mapped = pa.array([fn(v) for v in encoded.dictionary.to_pylist()], pa.string())
    if not len(mapped):
        return pa.array([fn(None)] * len(column), pa.string())
    out = pc.take(mapped, encoded.indices)
    return out.fill_null(fn(None)) if fn(None) is not None else out


def recode(column: pa.Array | pa.ChunkedArray, mapping: dict[str, str] | None) -> pa.Array:
    """Published values replaced through ``mapping``; others kept (trimmed)."""
    table = mapping or {}
    return _by_distinct(column, lambda v: table.get(v, v) if v is not None else None)


def map_codes(dimension: str, column: pa.Array | pa.ChunkedArray,
              mapping: dict[str, str] | None = None) -> pa.Array:
    """Canonical codes of a dimension column (an empty cell is the total), through an
    optional source-specific mapping and then ``normalise_code``."""
    table = mapping or {}
    return _by_distinct(column, lambda v: normalise_code(dimension, table.get(v, v)
                                                         if v is not None else None))


#: Codes of a breakdown concept that mean "no breakdown" (see ``join_breakdown``).
BREAKDOWN_TOTALS = ("", TOTAL, "ALL")


def join_breakdown(pairs: list[tuple[str, pa.Array]], n: int) -> pa.Array:
    """Other dimensions as ``CONCEPT=CODE;...`` sorted by concept, ``_T`` when none.
    Total codes are left out, so a breakdown absent from one row reads as the total: ``_T``,
    the SDG API's ``ALL``, and ``NOTSPEC`` for the frequency (the 2023 database writes
    ``[Freq]=NOTSPEC`` or ``[Type Of Renewable Technology]=ALL`` where the 2020 one left the
    cell empty; elsewhere ``NOTSPEC`` is a group of its own: beach litter of an unspecified
    counterpart is not the total)."""
    if not pairs:
        return constant(TOTAL, n)
    parts = []
    for concept, codes in sorted(pairs, key=lambda p: p[0]):
        codes = stripped(codes)
        totals = BREAKDOWN_TOTALS + (("NOTSPEC",) if concept == "FREQ" else ())
        keep = pc.invert(pc.is_in(codes, pa.array(totals)))
        parts.append(pc.if_else(keep, pc.binary_join_element_wise(concept, codes, "="), None))
    # null_handling="skip" loses rows on chunked input (pyarrow 26), so join with
    # empty strings and squeeze the separators instead
    joined = pc.binary_join_element_wise(*parts, ";", null_handling="replace",
                                         null_replacement="")
    joined = pc.utf8_trim(pc.replace_substring_regex(joined, ";{2,}", ";"), ";")
    return pc.if_else(pc.equal(joined, ""), TOTAL, joined)


def raw_table(columns: dict[str, pa.Array], n: int, source_file: str,
              rows: np.ndarray) -> pa.Table:
    """Assemble a reader's raw observation table; dimensions absent from the source are
    totals, attributes absent are null."""
    out = {}
    for name in RAW_COLUMNS:
        if name == "source_file":
            out[name] = pa.repeat(source_file, n)
        elif name == "source_row":
            out[name] = pa.array(rows, pa.int64())
        elif name in columns:
            out[name] = columns[name]
        elif name in DIMENSION_NAMES:
            out[name] = constant(TOTAL, n)
        else:
            out[name] = constant(None, n)
    return pa.table(out)


def in_file_terms(issues: list[Issue], headers: dict[str, str]) -> list[Issue]:
    """``issues`` with canonical column names replaced by the file's own headers.

    >>> from sdgtrack.errors import IssueCode
    >>> i = Issue("a.csv", 2, "value_raw", IssueCode.NON_NUMERIC_VALUE, "n/a", "m", "h")
    >>> in_file_terms([i], {"value_raw": "Value"})[0].column
    'Value'
    """
    return [replace(i, column=headers[i.column]) if i.column in headers else i for i in issues]
