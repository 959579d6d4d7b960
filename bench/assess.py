"""Benchmark: the full ESCAP assessment (the region, its 5 subregions and every member
country, every assessable series) on the bundled real extract, as a ratio to one DuckDB
aggregate pass over the same observations in the same run; then on a 10x dataset (every
observation replicated over 9 generated copies of each country, the groups 10x larger).

    python bench/assess.py [--repeat 3]

Targets (issue 3): assessment / aggregate pass <= 10, well under a second; 10x near-linear.
Prints one JSON object; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from timing import best  # bench/timing.py

from sdgtrack import bundled, pipeline
from sdgtrack.assess import Unit, compute, load_spec, standard_units
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.store import Store

AGGREGATE = ("SELECT series_code, ref_area, " + ", ".join(DIMENSION_NAMES)
             + ", count(*), min(time_period), max(time_period), avg(value) "
             "FROM {table} GROUP BY ALL")


def scaled_units(units: list[Unit], scale: int) -> list[Unit]:
    out = []
    for u in units:
        members = tuple(m if k == 0 else f"{m}-G{k}" for k in range(scale) for m in u.members)
        if u.kind == "country":
            out += [Unit(m, m, "country", (m,)) for m in members]
        else:
            out.append(Unit(u.code, u.name, u.kind, members))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sdgtrack-bench-"))
    store = Store(folder / "bench.duckdb")
    pipeline.ingest_path(bundled.unsd_escap(), store, dataset=bundled.UNSD_DATASET)
    spec = load_spec()
    units = standard_units()
    obs = store.table("observations_current")
    con = store.con

    def aggregate(table: str) -> None:
        con.execute(AGGREGATE.format(table=table)).fetchall()

    one = {"aggregate_s": best(lambda: aggregate("observations_current"), args.repeat),
           "assess_s": best(lambda: compute(obs, spec, units), args.repeat)}
    con.execute(f"""CREATE TABLE big AS SELECT * REPLACE (
        CASE WHEN k = 0 THEN ref_area ELSE ref_area || '-G' || k END AS ref_area)
        FROM observations_current, range({args.scale}) AS r(k)""")
    big_units = scaled_units(units, args.scale)
    big = {"aggregate_s": best(lambda: aggregate("big"), max(1, args.repeat - 1)),
           "assess_s": best(lambda: compute(store.table("big"), spec, big_units),
                            max(1, args.repeat - 1))}
    rows = con.execute("SELECT count(*) FROM big").fetchall()[0][0]
    for r in (one, big):
        r["ratio"] = round(r["assess_s"] / r["aggregate_s"], 1)
        r["aggregate_s"], r["assess_s"] = round(r["aggregate_s"], 3), round(r["assess_s"], 3)
    print(json.dumps({
        "units": len(units), "sub_indicators": len(spec), "x1": one,
        f"x{args.scale}": {**big, "rows": rows, "units": len(big_units)},
        "growth_assess": round(big["assess_s"] / one["assess_s"], 2),
    }, indent=1))
    store.close()


if __name__ == "__main__":
    main()
