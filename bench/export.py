"""The whole bundled extract out and back (the test suite does a slice of it,
``tests/test_export.py::test_the_bundled_slice_round_trips``): CSV and SDMX-CSV, each
checked row for row, each timed as a ratio to DuckDB's own CSV writer of the same rows in
the same run.

    python bench/export.py [--repeat 1]

Prints one JSON object; exits 1 if a round trip loses or changes a row.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb
import pyarrow.compute as pc
from timing import best  # bench/timing.py

from sdgtrack import bundled, ingest, pipeline
from sdgtrack.ingest import ReadOptions
from sdgtrack.model import COLUMNS, PROVENANCE
from sdgtrack.publish.export import export, store_catalogue
from sdgtrack.store import Store

#: Every column but the provenance ones, which a round trip changes (tests/test_export.py).
COMPARED = [c.name for c in COLUMNS if c not in PROVENANCE]


def _rows(table) -> list[tuple]:
    return sorted((tuple(r[k] for k in COMPARED) for r in table.select(COMPARED).to_pylist()),
                  key=repr)


def _reread(path: Path):
    result = ingest.read(path, ReadOptions())
    return ingest.normalise(result.observations), result.issues


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sdgtrack-bench-export-"))
    try:
        with Store(work / "s.duckdb") as store:
            pipeline.ingest_path(bundled.unsd_escap(), store, dataset=bundled.UNSD_DATASET)
            obs = store.table("observations_current").to_pyarrow()
            catalogue = store_catalogue(store)
        plain = obs.filter(pc.equal(obs["breakdown"], "_T"))

        def baseline() -> None:
            con = duckdb.connect()
            con.register("obs", obs)
            con.execute(f"COPY obs TO '{work / 'duck.csv.gz'}' (HEADER, COMPRESSION gzip)")
            con.close()

        t_base = best(baseline, args.repeat)
        t_csv = best(lambda: export(obs, "csv", work / "all.csv.gz", catalogue=catalogue),
                     args.repeat)
        t_sdmx = best(lambda: export(plain, "sdmx-csv", work / "all-sdmx.csv"), args.repeat)
        back, issues = _reread(work / "all.csv.gz")
        back_sdmx, _ = _reread(work / "all-sdmx.csv")
        same = {"csv": not issues and _rows(obs) == _rows(back),
                "sdmx_csv": _rows(plain) == _rows(back_sdmx)}
        print(json.dumps({"rows": obs.num_rows, "rows_without_other_breakdowns": plain.num_rows,
                          "duckdb_copy_s": round(t_base, 3),
                          "csv_ratio": round(t_csv / t_base, 2),
                          "sdmx_csv_ratio": round(t_sdmx / t_base, 2),
                          "round_trips_unchanged": same}, indent=1))
        if not all(same.values()):
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
