"""One value a year from observations of other periods, by a rule the method names.

The store keeps each observation under its own period (``ingest/periods.py``): a financial
year ``2000-FY``, a quarter ``2000-Q1``, a month, a range ``2014/2016``. A method that works
on annual series (the ESCAP trend, the SDR index) calls ``annual`` with its rule and says
which rule it used; calendar-year observations (``period`` ``_T``) pass through unchanged.

Rules (``AnnualRule``):

- ``financial_year``: ``"start"`` (2000/01 counts for 2000, as stored) or ``"end"`` (2001);
- ``within_year``: ``"mean"`` of the quarters or months of a year, or its ``"latest"``;
- ``range``: ``"end"`` (2014-2016 counts for 2016, as stored) or ``"mid"`` (2015; the
  UN SDG database dates a three-year average by its middle year).

A year that has a calendar-year value keeps it: a derived value never replaces a published
one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import ibis
import pyarrow as pa

from sdgtrack.model import KEY_NAMES, TOTAL


@dataclass(frozen=True)
class AnnualRule:
    financial_year: str = "start"  # or "end"
    within_year: str = "mean"  # or "latest"
    range: str = "end"  # or "mid"

    def __post_init__(self) -> None:
        for name, value, allowed in (("financial_year", self.financial_year, ("start", "end")),
                                     ("within_year", self.within_year, ("mean", "latest")),
                                     ("range", self.range, ("end", "mid"))):
            if value not in allowed:
                raise ValueError(f"AnnualRule.{name} is one of {allowed}, not {value!r}")

    def describe(self) -> str:
        return (f"financial years count for their {self.financial_year} year; quarters and "
                f"months give their {self.within_year} value; ranges count for their "
                f"{'last' if self.range == 'end' else 'middle'} year")


def annual(obs: pa.Table, rule: AnnualRule = AnnualRule(), keep: tuple[str, ...] = ()
           ) -> pa.Table:
    """``obs`` with one row a year per series, area and breakdown: columns ``KEY_NAMES``
    (``period`` is ``_T``), ``value``, ``derived_from`` (the periods a derived value
    came from, null for a published annual value) and the columns ``keep`` (unit,
    provenance), taken from the latest period's row.

    >>> t = pa.table({"series_code": ["S"] * 4, "ref_area": ["4"] * 4,
    ...               "time_period": [2000] * 4, "value": [1.0, 2.0, 3.0, 6.0],
    ...               "period": ["2000-Q1", "2000-Q2", "2000-Q3", "2000-Q4"]})
    >>> latest = AnnualRule(within_year="latest")
    >>> annual(t)["value"].to_pylist(), annual(t, latest)["value"].to_pylist()  # 12 / 4
    ([3.0], [6.0])
    """
    con = duckdb.connect()
    con.register("obs", obs)
    dims = [k for k in KEY_NAMES if k not in ("time_period", "period") and k in obs.column_names]
    group = ", ".join(dims)
    fy_shift = 1 if rule.financial_year == "end" else 0
    # a range a/b is stored under b; its middle year is (a + b) // 2
    range_year = ("time_period" if rule.range == "end" else
                  "(CAST(split_part(replace(period, '-FY', ''), '/', 1) AS INTEGER) + "
                  "time_period) // 2")
    value = "avg(value)" if rule.within_year == "mean" else "arg_max(value, period)"
    kept = "".join(f", arg_max({c}, period) AS {c}" for c in keep)
    rows = con.sql(f"""
        WITH dated AS (
            SELECT {group}, value, period{"".join(f", {c}" for c in keep)},
                   CASE WHEN period = '{TOTAL}' THEN time_period
                        WHEN period LIKE '%/%' THEN {range_year}
                        WHEN period LIKE '%-FY' THEN time_period + {fy_shift}
                        ELSE time_period END AS year,
                   period = '{TOTAL}' AS published
            FROM obs
        ), best AS (
            SELECT *, bool_or(published) OVER (PARTITION BY {group}, year) AS has_published
            FROM dated
        )
        SELECT {group}, year AS time_period, '{TOTAL}' AS period,
               {value} AS value{kept},
               CASE WHEN bool_or(published) THEN NULL
                    ELSE string_agg(period, ',' ORDER BY period) END AS derived_from
        FROM best WHERE published OR NOT has_published
        GROUP BY {group}, year ORDER BY {group}, year""").to_arrow_table()
    con.close()
    return rows


#: What the assessment reads of each observation besides its key and value.
_KEPT = ("unit_measure", "load_id", "source_file", "source_row")


def annual_observations(obs: Any, rule: AnnualRule = AnnualRule()) -> tuple[Any, int]:
    """``obs`` (an Ibis table) with one value a year (``annual`` under ``rule``) for the
    series published by financial year, quarter, month or range, and how many yearly values
    were derived. A store with calendar years only is returned as it is."""
    if "period" not in obs.columns:  # a table made in code
        return obs, 0
    other = obs.filter(obs.period != TOTAL).select("series_code").distinct()
    if other.count().execute() == 0:
        return obs, 0
    kept = [c for c in _KEPT if c in obs.columns]
    cols = [*[k for k in KEY_NAMES if k in obs.columns], "value", *kept]
    part = obs.semi_join(other, "series_code").filter(obs.value.notnull()).select(*cols)
    years = annual(part.to_pyarrow(), rule, tuple(kept))
    derived = sum(v is not None for v in years["derived_from"].to_pylist())
    years = years.select(cols).cast(part.schema().to_pyarrow())
    rest = obs.anti_join(other, "series_code").select(*cols)
    return rest.union(ibis.memtable(years)), derived
