"""Benchmark: interlinkages (issue 16), every pair of headline series for every country, as a
ratio to one DuckDB aggregate pass over the same observations in the same run; on the
bundled December 2023 extract (the 58 ESCAP members, with the region and subregions) and on
the world extract of ../shared/data (every country and territory, 200+); then how the pair
step grows with the number of series (the pairs grow with its square).

    python bench/links.py [--repeat 3] [--no-world]

The pair step is vectorised (masked ranks, one tensor product per country, no Python loop
per pair). Prints one JSON object; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from timing import best  # bench/timing.py

from sdgtrack import bundled, framework, pipeline
from sdgtrack.assess import Unit, country_unit, load_spec, standard_units
from sdgtrack.assess.links import indicator_pairs
from sdgtrack.assess.links_run import SUB_COLUMNS, annual_values, compute_links, headline_spec
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.store import Store

AGGREGATE = ("SELECT series_code, ref_area, " + ", ".join(DIMENSION_NAMES)
             + ", count(*), min(time_period), max(time_period), avg(value) "
             "FROM observations_current GROUP BY ALL")
WORLD = Path(__file__).resolve().parents[2] / "shared" / "data" / (
    "unsd-sdg-global-database-world-2023")


def world_units(store: Store) -> list[Unit]:
    """Every country and territory the world extract has data for."""
    kinds = framework.table("areas").to_pandas().set_index("m49").kind
    present = store.con.execute(
        "SELECT DISTINCT ref_area FROM observations_current").fetchall()
    codes = sorted(a for (a,) in present if kinds.get(a) in ("country", "territory"))
    return [country_unit(a) for a in codes]


def measure(store: Store, units: list[Unit], repeat: int) -> dict[str, Any]:
    obs = store.table("observations_current")
    spec = load_spec()
    found: list[Any] = []
    aggregate = best(lambda: store.con.execute(AGGREGATE).fetchall(), repeat)
    whole = best(lambda: found.append(compute_links(obs, spec, units)), repeat)
    links = found[-1]
    rows = store.con.execute("SELECT count(*) FROM observations_current").fetchall()
    return {"observations": rows[0][0],
            "countries": int(links.pairs.unit.nunique()),
            "series_in_spec": len(links.subindicators), "pairs": len(links.pairs),
            "pairs_with_data": int((links.pairs["class"] != "insufficient_data").sum()),
            "aggregate_pass_s": round(aggregate, 3), "links_s": round(whole, 3),
            "ratio": round(whole / aggregate, 1)}


def growth(store: Store, units: list[Unit], repeat: int) -> dict[str, Any]:
    """The pair step alone on k series drawn at random from those with data, k doubling;
    the exponent e of time ~ k^e fitted over all sizes (2 would be the pair count's)."""
    obs = store.table("observations_current")
    present = {r[0] for r in store.con.execute(
        "SELECT DISTINCT series_code FROM observations_current").fetchall()}
    subs = headline_spec(load_spec(), present)
    subs = subs.assign(goal=subs.goal.astype(int))
    values = annual_values(obs, subs, sorted({m for u in units for m in u.members}))
    values = values.rename(columns={"ref_area": "unit"})
    have = sorted(values.sub_id.unique())
    rng = np.random.default_rng(16)
    out = []
    for k in (12, 25, 50, 100):
        if k > len(have):
            continue
        pick = set(rng.choice(have, size=k, replace=False).tolist())
        part = values[values.sub_id.isin(pick)]
        pairs = len(indicator_pairs(part, subs[SUB_COLUMNS]))
        seconds = best(lambda part=part: indicator_pairs(part, subs[SUB_COLUMNS]), repeat)
        out.append({"series": k, "pairs": pairs, "pairs_s": round(seconds, 3),
                    "us_per_pair": round(1e6 * seconds / max(pairs, 1), 2)})
    x = np.log([r["series"] for r in out])
    y = np.log([max(r["pairs_s"], 1e-6) for r in out])
    slope = float(np.polyfit(x, y, 1)[0]) if len(out) > 1 else math.nan
    return {"sizes": out, "time_exponent": round(slope, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-world", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sdgtrack-bench-links-"))
    result: dict[str, Any] = {}
    with Store(folder / "escap.duckdb") as store:
        pipeline.ingest_path(bundled.unsd_escap(), store, dataset=bundled.UNSD_DATASET)
        units = standard_units()
        result["escap_2023"] = measure(store, units, args.repeat)
        result["escap_growth"] = growth(store, units, args.repeat)
    if not args.no_world and WORLD.is_dir():
        with Store(folder / "world.duckdb") as store:
            pipeline.ingest_path(WORLD, store, dataset="unsd-world")
            units = world_units(store)
            result["world_2023"] = measure(store, units, max(1, args.repeat - 2))
            result["world_growth"] = growth(store, units, max(1, args.repeat - 1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
