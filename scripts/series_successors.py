"""Evidence for framework/data/series_successors.csv: which series of an older vintage of the
UN Global SDG Database became which series of a newer one.

Run from the repository root (needs duckdb, which sdgtrack installs):
    python scripts/series_successors.py ../shared/data/unsd-sdg-global-database-escap \\
        ../shared/data/unsd-sdg-global-database-escap-2023 > successors_evidence.csv

For every series of OLD that NEW lacks, each NEW series that shares one of its SDG indicators
is a candidate. For each (old, new) pair it prints what a curator needs to decide: both
descriptions and units, whether the SDMX codelist CL_SERIES (framework/data/series_codelist.csv)
knows each code, and the values compared where both vintages have the same area, year and
breakdown: how many such keys, and how many agree within 2 % (|a - b| <= 2 % of the larger).
"Total" keys are those whose every breakdown is the total (BOTHSEX, ALLAREA, ALLAGE ..., NOTSPEC
or empty). A breakdown with one value throughout a series (stunting's Age <5Y, maternal
mortality's Sex FEMALE in 2023 only) says nothing about a row and is left out of its key.

A maintenance script: sdgtrack never runs it and the tests do not. The curated map is the CSV;
this script's ``proposal`` column is a first guess to be checked by hand.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import re
import sys
from pathlib import Path

import duckdb

CODELIST = Path(__file__).resolve().parents[1] / "src/sdgtrack/framework/data/series_codelist.csv"
#: Published codes of the total of a breakdown (as in sdgtrack.model.codes, plus empty cells).
TOTALS = ("", "BOTHSEX", "ALLAREA", "ALLAGE", "TOTAL", "ALL", "_T", "T", "NOTSPEC")
#: Bracketed columns that are attributes of an observation, not breakdowns.
NOT_BREAKDOWNS = ("[Observation Status]", "[Freq]", "[Reporting Type]")
TOLERANCE = 0.02
#: Revisions between vintages are usually within this; a change of definition usually is not.
CLOSE = 0.10
NONE = (0, 0, 0, 0, None, 0)
Stats = tuple[int, int, int, int, float | None, int]


def series_list(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "series_list.csv").open(newline="", encoding="utf-8") as f:
        return {r["SeriesCode"]: r for r in csv.DictReader(f)}


def indicators(row: dict[str, str]) -> set[str]:
    return {i.strip() for i in row["Indicator"].split(",") if i.strip()}


def codelist() -> dict[str, str]:
    with CODELIST.open(newline="", encoding="utf-8") as f:
        return {r["series_code"]: r["name"] for r in csv.DictReader(f)}


def _bare(description: str) -> str:
    """A description without its unit in brackets and without case, for comparison."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", description).strip().lower()


def load(con: duckdb.DuckDBPyConnection, name: str, folder: Path, codes: set[str]) -> None:
    """Table ``name``: series, area, year, breakdown, value (one per key) of ``codes``."""
    files = sorted(str(p) for p in (folder / "data").glob("*.csv*"))
    con.execute(f"CREATE OR REPLACE TEMP TABLE raw_{name} AS SELECT * FROM read_csv("
                "?, all_varchar = true, union_by_name = true, header = true)", [files])
    columns = [r[0] for r in con.execute(f"DESCRIBE raw_{name}").fetchall()]
    dims = [c for c in columns if c.startswith("[") and c not in NOT_BREAKDOWNS]
    totals = ", ".join(f"'{t}'" for t in TOTALS)
    codes_sql = ", ".join(f"'{c}'" for c in sorted(codes))
    counts = ", ".join(f"count(DISTINCT coalesce(\"{d}\", '')) AS n{i}"
                       for i, d in enumerate(dims))
    lists = ", ".join(f"list(SeriesCode) FILTER (n{i} <= 1)" for i in range(len(dims)))
    constant = con.execute(f"SELECT {lists} FROM (SELECT SeriesCode, {counts} FROM raw_{name} "
                           f"WHERE SeriesCode IN ({codes_sql}) GROUP BY 1)").fetchone() or ()

    def part(d: str, same: list[str] | None) -> str:
        skip = ", ".join(f"'{c}'" for c in same or []) or "''"
        return (f"CASE WHEN coalesce(\"{d}\", '') NOT IN ({totals}) AND SeriesCode NOT IN "
                f"({skip}) THEN '{d}=' || \"{d}\" END")

    parts = ", ".join(part(d, same) for d, same in zip(dims, constant))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {name} AS
        SELECT SeriesCode AS series, GeoAreaCode AS area, TimePeriod AS year,
               concat_ws('|', {parts}) AS breakdown,
               min(TRY_CAST(Value AS DOUBLE)) AS value
        FROM raw_{name} WHERE SeriesCode IN ({codes_sql})
        GROUP BY ALL""")
    con.execute(f"DROP TABLE raw_{name}")


def compare(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]]
            ) -> dict[tuple[str, str], Stats]:
    """(old, new) -> (total keys, total keys agreeing, keys, keys agreeing, median relative
    difference over the keys, keys within 10 %)."""
    con.execute("CREATE OR REPLACE TEMP TABLE pairs (old VARCHAR, new VARCHAR)")
    con.executemany("INSERT INTO pairs VALUES (?, ?)", pairs)
    rows = con.execute(f"""
        WITH j AS (
            SELECT p.old, p.new, o.breakdown = '' AS total,
                   abs(o.value - n.value) <= {TOLERANCE} * greatest(abs(o.value), abs(n.value))
                       AS agree,
                   CASE WHEN o.value = n.value THEN 0
                        ELSE abs(o.value - n.value) / greatest(abs(o.value), abs(n.value)) END
                       AS rel
            FROM pairs p
            JOIN old o ON o.series = p.old
            JOIN new n ON n.series = p.new AND n.area = o.area AND n.year = o.year
                      AND n.breakdown = o.breakdown
            WHERE o.value IS NOT NULL AND n.value IS NOT NULL)
        SELECT old, new, count(*) FILTER (total), count(*) FILTER (total AND agree),
               count(*), count(*) FILTER (agree), median(rel), count(*) FILTER (rel <= {CLOSE})
        FROM j GROUP BY old, new""").fetchall()
    return {(r[0], r[1]): (r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows}


def words(same: str, stats: Stats) -> str:
    tk, ta, k, a, med, close = stats
    if k == 0:
        return f"{same}; no shared area-year-breakdown with values"
    median = (f"; median difference {100 * (med or 0):.1f} %, {close:,} of {k:,} within "
              f"{100 * CLOSE:.0f} %")
    if tk:
        text = f"{same}; {ta:,} of {tk:,} shared area-years (total breakdown) within 2 %"
        return text + (f" ({a:,} of {k:,} with every breakdown)" if k != tk else "") + median
    return (f"{same}; no total rows; {a:,} of {k:,} shared area-year-breakdowns within 2 %"
            + median)


def propose(same_desc: bool, same_units: bool, stats: Stats) -> str:
    _, _, k, _, _, close = stats
    agree = k > 0 and close >= 2 / 3 * k
    if same_desc and same_units and agree:
        return "renamed, comparable"
    if agree:
        return "renamed?, comparable"
    if same_desc and same_units:
        return "renamed?, values differ or missing"
    return "replaced? / unrelated"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="folder of the older vintage")
    parser.add_argument("new", type=Path, help="folder of the newer vintage")
    args = parser.parse_args(argv)
    old, new, cl = series_list(args.old), series_list(args.new), codelist()
    gone = sorted(set(old) - set(new))
    pairs = [(o, n) for o in gone for n in sorted(new)
             if indicators(old[o]) & indicators(new[n])]
    con = duckdb.connect()
    load(con, "old", args.old, set(gone))
    load(con, "new", args.new, {n for _, n in pairs})
    stats = compare(con, pairs)
    out = csv.writer(sys.stdout)
    out.writerow(["old_code", "new_code", "indicator", "new_in_old_vintage", "similarity",
                  "same_description", "same_units", "old_in_cl_series", "new_in_cl_series",
                  "total_keys", "total_agree", "keys", "agree", "median_difference", "proposal",
                  "evidence",
                  "old_description", "new_description", "old_units", "new_units"])
    for o in gone:
        cands = [n for oo, n in pairs if oo == o]
        if not cands:
            out.writerow([o, "", old[o]["Indicator"], "", "", "", "", o in cl, "",
                          "", "", "", "", "", "discontinued?", "no series of the same indicator",
                          old[o]["SeriesDescription"], "", old[o]["units"], ""])
        for n in cands:
            s = stats.get((o, n), NONE)
            a, b = _bare(old[o]["SeriesDescription"]), _bare(new[n]["SeriesDescription"])
            same_desc = a == b
            same_units = old[o]["units"] == new[n]["units"]
            same = ("same description" if same_desc else "different description") + (
                "" if same_units else f", units {old[o]['units']} -> {new[n]['units']}")
            out.writerow([
                o, n, ", ".join(sorted(indicators(old[o]) & indicators(new[n]))), n in old,
                f"{difflib.SequenceMatcher(None, a, b).ratio():.2f}", same_desc, same_units,
                o in cl, n in cl, *s[:4], "" if s[4] is None else f"{s[4]:.4f}",
                propose(same_desc, same_units, s), words(same, s),
                old[o]["SeriesDescription"], new[n]["SeriesDescription"], old[o]["units"],
                new[n]["units"]])


if __name__ == "__main__":
    main()
