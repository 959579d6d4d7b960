"""The checks run on every observation table, whatever its format."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack import settings
from sdgtrack.errors import Issue, IssueCode, Severity
from sdgtrack.model import KEY_NAMES
from sdgtrack.model.codes import MISSING_CODES

#: A published number as ``ingest.values`` reads it (validate may not import ingest).
_NUMBER = r"^([<>]=?|≤|≥)?\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$"


@dataclass
class Known:
    """Codes that a file may use: the framework's, the store's, and those the file defines."""

    series: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    indicators: set[str] = field(default_factory=set)
    min_year: int = 1950
    max_year: int = 2100

    @classmethod
    def from_settings(cls, series: set[str], areas: set[str], indicators: set[str]) -> Known:
        return cls(series, areas, indicators,
                   settings.get_int("min_year"), settings.get_int("max_year"))


def _rows(t: pa.Table, mask: pa.ChunkedArray, column: str, code: IssueCode,
          message: str, hint: str, show: str | None = None) -> list[Issue]:
    """One issue per row where ``mask`` is true; ``{value}`` in the message is the cell."""
    hits = t.filter(pc.fill_null(mask, False))
    if hits.num_rows == 0:
        return []
    values = hits[show or column].to_pylist()
    return [
        Issue(f, r, column, code, None if v is None else str(v),
              message.format(value=v), hint)
        for f, r, v in zip(hits["source_file"].to_pylist(), hits["source_row"].to_pylist(),
                           values)
    ]


def _blank(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.equal(pc.fill_null(pc.utf8_trim_whitespace(column), ""), "")


def check(raw: pa.Table, typed: pa.Table, known: Known,
          series_indicators: pa.Table | None = None) -> list[Issue]:
    """Every problem in a reader's table: ``raw`` is the text as read, ``typed`` the same rows
    after ``ingest.normalise``."""
    if raw.num_rows == 0:
        return []
    t = typed.append_column("time_raw", raw["time_period"])
    issues: list[Issue] = []
    for col, what in (("series_code", "series code"), ("ref_area", "area code"),
                      ("time_raw", "year")):
        issues += _rows(t, _blank(t[col]), col.replace("time_raw", "time_period"),
                        IssueCode.MISSING_REQUIRED_VALUE, f"The {what} is empty.",
                        f"Every row needs a {what}; fill it in or delete the row.", show=col)
    bad_year = pc.and_(pc.invert(_blank(t["time_raw"])), pc.is_null(t["time_period"]))
    issues += _rows(t, bad_year, "time_period", IssueCode.INVALID_YEAR,
                    "{value!r} is not a year or a period.",
                    "Give the year as four digits (2015), or a period as 2000/01 (financial "
                    "year), 2000 Q1, 2000-01 (month), 2014-2016 or 2014 to 2016 (a range).",
                    show="time_raw")
    out_of_range = pc.or_(pc.less(t["time_period"], known.min_year),
                          pc.greater(t["time_period"], known.max_year))
    issues += _rows(t, out_of_range, "time_period", IssueCode.YEAR_OUT_OF_RANGE,
                    "{value} is outside the plausible years "
                    f"{known.min_year}-{known.max_year}.",
                    "Correct the year (a typing slip such as 3020 for 2020?).")
    issues += _value_checks(t)
    issues += _code_checks(t, known)
    issues += _bound_checks(t, raw)
    issues += _duplicates(t)
    issues += _unit_conflicts(t)
    if series_indicators is not None and known.indicators:
        issues += _indicator_checks(series_indicators, known)
    return issues


def _value_checks(t: pa.Table) -> list[Issue]:
    blank = _blank(t["value_raw"])
    bad = pc.and_(pc.and_(pc.invert(blank), pc.is_null(t["value"])),
                  pc.invert(pc.is_in(pc.utf8_upper(pc.utf8_trim_whitespace(t["value_raw"])),
                                     pa.array(MISSING_CODES))))
    # a number the regex accepts but a float cannot hold (1e400) is refused by name
    huge = pc.and_(bad, pc.match_substring_regex(pc.utf8_trim_whitespace(t["value_raw"]),
                                                 _NUMBER))
    bad = pc.and_(bad, pc.invert(huge))
    return _rows(
        t, huge, "value_raw", IssueCode.NON_NUMERIC_VALUE,
        "{value!r} is too large to store as a number (beyond about 1.8e308).",
        "Check the value for a typing slip; give it in a larger unit (millions, billions) "
        "if it is right.",
    ) + _rows(
        t, bad, "value_raw", IssueCode.NON_NUMERIC_VALUE, "{value!r} is not a number.",
        "Write the number with a dot for decimals and no thousands separator (1234.5); "
        "leave the cell empty, or write NV, for a missing value.",
    ) + _rows(
        t, blank, "value_raw", IssueCode.MISSING_VALUE, "The value is empty.",
        "The row is kept with no number; delete it if it carries nothing.",
    )


def _code_checks(t: pa.Table, known: Known) -> list[Issue]:
    issues = []
    if known.series:
        unknown = pc.and_(pc.invert(pc.is_in(t["series_code"], pa.array(sorted(known.series)))),
                          pc.invert(_blank(t["series_code"])))
        issues += _rows(t, unknown, "series_code", IssueCode.UNKNOWN_SERIES,
                        "Series {value!r} is not in the SDG framework or the store.",
                        "Check the spelling against `sdgtrack series`, or load a file that "
                        "describes the series (SeriesCode with SeriesDescription and Indicator).")
    if known.areas:
        unknown = pc.and_(pc.invert(pc.is_in(t["ref_area"], pa.array(sorted(known.areas)))),
                          pc.invert(_blank(t["ref_area"])))
        issues += _rows(t, unknown, "ref_area", IssueCode.UNKNOWN_AREA,
                        "Area {value!r} is not a UN M49 code or a known sub-national area.",
                        "Use the M49 numeric code (e.g. 398 for Kazakhstan; `sdgtrack areas` "
                        "lists them) or declare sub-national areas in the repository.")
    return issues


def _bound_checks(t: pa.Table, raw: pa.Table) -> list[Issue]:
    issues = []
    for col in ("lower_bound", "upper_bound"):
        bad = pc.and_(pc.invert(_blank(raw[col])), pc.is_null(t[col]))
        tt = t.append_column(f"{col}_raw", raw[col])
        issues += _rows(tt, bad, col, IssueCode.INVALID_NUMBER, "{value!r} is not a number.",
                        "Write the bound as a plain number or leave it empty.",
                        show=f"{col}_raw")
    return issues


#: How many of a key's rows a duplicate_key message lists (the rest are counted).
ROWS_NAMED = 5


#: The columns the checks across rows read (``duplicates``, ``unit_conflicts``).
CROSS_ROW_COLUMNS = (*KEY_NAMES, "value_raw", "unit_measure", "unit_mult", "source_file",
                     "source_row")
#: Rows of a DuckDB answer turned into issues at a time (a file of repeats has one per row).
BATCH = 10_000


def _connect(t: pa.Table, columns: list[str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"memory_limit": settings.memory_limit()})
    con.register("t", t.select(columns))
    return con


def _duplicates(t: pa.Table) -> list[Issue]:
    con = _connect(t, [*KEY_NAMES, "value_raw", "source_file", "source_row"])
    return list(duplicates(con))


def _unit_conflicts(t: pa.Table) -> list[Issue]:
    con = _connect(t, ["series_code", "unit_measure", "unit_mult", "source_file",
                       "source_row"])
    return list(unit_conflicts(con))


def _batches(result: duckdb.DuckDBPyConnection) -> Iterator[tuple[Any, ...]]:
    while rows := result.fetchmany(BATCH):
        yield from rows


def duplicates(con: duckdb.DuckDBPyConnection) -> Iterator[Issue]:
    """Rows of table or view ``t`` sharing a key. Copies with the same value (Open SDG
    repeats a series under each indicator it serves) are one observation: the later copies
    get a warning and are not stored. Rows with different values conflict: every one of
    them is an error. ``t`` may be a view of files on disk (``submission/parts.py``): the
    issues come a batch at a time.

    Linear in rows: the keys that clash are found by one GROUP BY, and each message names
    at most ``ROWS_NAMED`` rows of its key (a list of every row, repeated on every row,
    made 5,000 copies of one line take 2.5 GiB)."""
    keys = ", ".join(KEY_NAMES)
    # one pass over a hash of the key finds whether there is anything to report
    (clashes,) = con.execute(
        f"SELECT count(*) FROM (SELECT hash({keys}) FROM t GROUP BY 1 HAVING count(*) > 1)"
    ).fetchall()[0]
    if clashes == 0:
        return
    same = " and ".join(f"t.{k} is not distinct from k.{k}" for k in KEY_NAMES)
    found = con.execute(f"""
        with k as (
            select {keys}, count(*) as n,
                   count(distinct trim(coalesce(value_raw, ''))) as values,
                   list(source_file || ' row ' || source_row
                        order by source_file, source_row)[1:{ROWS_NAMED}] as shown
            from t group by all having count(*) > 1
        )
        select t.source_file, t.source_row, t.series_code, t.ref_area, t.time_period,
               t.value_raw, k.values, k.n, k.shown,
               row_number() over w as copy,
               first_value(t.source_file) over w as first_file,
               first_value(t.source_row) over w as first_row
        from t join k on {same}
        window w as (partition by {", ".join(f"t.{k}" for k in KEY_NAMES)},
                     trim(coalesce(t.value_raw, ''))
                     order by t.source_file, t.source_row)
        order by t.source_file, t.source_row
    """)
    yield from (issue for row in _batches(found) if (issue := _duplicate_issue(*row)))


def _duplicate_issue(f: str, r: int, s: str, a: str, y: int, v: str | None, values: int,
                     n: int, shown: list[str], copy: int, ff: str, fr: int) -> Issue | None:
    """The issue of one row of a clashing key (the columns of the query above, in order):
    a conflict when the key's rows differ in value, else a repeat after the first copy."""
    if values > 1:
        rows = ", ".join(shown) + (f" and {n - len(shown):,} more" if n > len(shown) else "")
        return Issue(
            f, r, "value_raw", IssueCode.DUPLICATE_KEY, v,
            f"{s}, area {a}, {y}: the same series, area, year and breakdown has different "
            f"values in {rows}.",
            "Keep the right row and delete the others; if they differ by a breakdown, "
            "add that column.")
    if copy > 1:
        return Issue(
            f, r, "value_raw", IssueCode.DUPLICATE_ROW, v,
            f"Repeats {ff} row {fr} (same key, same value); stored once.",
            "Nothing to do; delete the repeated row to silence this warning.")
    return None


def unit_conflicts(con: duckdb.DuckDBPyConnection) -> Iterator[Issue]:
    """Rows of table or view ``t`` whose series is in another unit than most of its rows.
    A row that states no unit does not conflict (a CSV of the repository may leave out what
    its SDMX-ML states)."""
    found = con.execute("""
        with u as (
            select series_code, coalesce(unit_measure, '') as unit, unit_mult,
                   count(*) as n, min(source_file) as f, min(source_row) as r
            from t group by all
        ), ranked as (
            select *, row_number() over (partition by series_code
                                         order by unit = '', n desc, unit) as k,
                   count(*) over (partition by series_code) as units
            from u
        ), main as (select series_code, unit, unit_mult from ranked where k = 1)
        select t.source_file, t.source_row, t.series_code, coalesce(t.unit_measure, ''),
               main.unit, main.unit_mult
        from t join main using (series_code)
        where (coalesce(t.unit_measure, '') not in (main.unit, ''))
              or t.unit_mult <> main.unit_mult
        order by 1, 2
    """)
    for f, r, s, unit, main, mult in _batches(found):
        yield Issue(f, r, "unit_measure", IssueCode.UNIT_CONFLICT, unit,
                    f"Series {s} is in {main!r} (x10^{mult}) in most rows but {unit!r} here.",
                    "Convert the value to the series' unit, or give it a separate series "
                    "code.")


def _indicator_checks(links: pa.Table, known: Known) -> list[Issue]:
    bad = sorted({(s, i) for s, i in zip(links["series_code"].to_pylist(),
                                         links["indicator"].to_pylist())
                  if i not in known.indicators})
    return [Issue("", None, "Indicator", IssueCode.UNKNOWN_INDICATOR, i,
                  f"Series {s} is linked to indicator {i}, which is not in the framework.",
                  "The link is kept; check the indicator code (goal.target.indicator).")
            for s, i in bad]


def rows_to_store(typed: pa.Table, issues: list[Issue], skip_invalid: bool) -> pa.Table:
    """The rows to store: repeated copies of a row are dropped, and so, with
    ``skip_invalid``, are rows that have an error of their own."""
    bad = {f"{i.file}\x00{i.row}" for i in issues
           if i.row is not None and (i.code is IssueCode.DUPLICATE_ROW
                                     or (skip_invalid and i.severity is Severity.ERROR))}
    if not bad:
        return typed
    keys = pc.binary_join_element_wise(typed["source_file"],
                                       typed["source_row"].cast(pa.string()), "\x00")
    return typed.filter(pc.invert(pc.is_in(keys, pa.array(sorted(bad)))))
