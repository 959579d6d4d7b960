"""Benchmark for issue 13, each figure a ratio measured in the same run:

1. ingest of the world extract (2.1 M rows, 414 areas, gzip; ``--world DIR``, default
   ``../shared/data/unsd-sdg-global-database-world-2023``) against DuckDB's bare
   ``read_csv`` of the same files (target <= 1.5): into an in-memory table (``ratio``), and
   into a table of a database file, which is what an ingest makes (``ratio_to_file``: the
   file is compressed as it is written, which costs about as much as the read); with the
   ingest's peak memory (max RSS of a child process doing only the ingest);
2. superseding the bundled October 2020 vintage with the December 2023 one, against a fresh
   load of the 2023 extract into an empty store (target <= 2).

    python bench/vintages.py [--repeat 3] [--world DIR]

Prints one JSON object; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from timing import best  # bench/timing.py

from sdgtrack import bundled, pipeline
from sdgtrack.store import Store

WORLD = Path(__file__).resolve().parents[2] / "shared" / "data" / \
    "unsd-sdg-global-database-world-2023"


def world(folder: Path, work: Path, repeat: int) -> dict:
    files = sorted(str(f) for f in (folder / "data").glob("*.csv.gz"))

    def baseline(db: str = ":memory:") -> None:
        if db != ":memory:":
            Path(db).unlink(missing_ok=True)
        con = duckdb.connect(db)
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, union_by_name = true, "
                    "all_varchar = true)", [files])
        con.close()  # a file is written out (compressed) by the checkpoint at close

    def baseline_file() -> None:
        baseline(str(work / "bare.duckdb"))

    def ours() -> None:
        db = work / "world.duckdb"
        db.unlink(missing_ok=True)
        with Store(db) as store:
            result = pipeline.ingest_path(folder, store)
            assert result.status == "loaded", [str(i) for i in result.issues[:3]]

    t_base, t_file, t_ours = best(baseline, repeat), best(baseline_file, repeat), best(ours, repeat)
    with Store(work / "world.duckdb", read_only=True) as store:
        rows = store.con.execute("SELECT count(*) FROM observations_current").fetchall()[0][0]
    code = ("import resource, sys; from pathlib import Path; from sdgtrack import pipeline; "
            "from sdgtrack.store import Store; s = Store(Path(sys.argv[2])); "
            "r = pipeline.ingest_path(Path(sys.argv[1]), s); s.close(); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    db = work / "rss.duckdb"
    db.unlink(missing_ok=True)
    rss_kib = int(subprocess.run([sys.executable, "-c", code, str(folder), str(db)],
                                 check=True, capture_output=True, text=True).stdout.split()[-1])
    return {"rows": int(rows), "read_csv_s": round(t_base, 3),
            "read_csv_to_file_s": round(t_file, 3), "ingest_s": round(t_ours, 3),
            "ratio": round(t_ours / t_base, 2), "ratio_to_file": round(t_ours / t_file, 2),
            "peak_rss_mib": round(rss_kib / 1024)}


def supersede(work: Path, repeat: int) -> dict:
    def fresh() -> None:
        db = work / "fresh.duckdb"
        db.unlink(missing_ok=True)
        with Store(db) as store:
            pipeline.ingest_path(bundled.unsd_escap(), store, dataset=bundled.UNSD_DATASET)

    base = work / "v2020.duckdb"
    with Store(base) as store:
        pipeline.ingest_path(bundled.unsd_escap_2020(), store, dataset=bundled.UNSD_DATASET)
    times = []

    def over() -> None:
        db = work / "over.duckdb"
        shutil.copy(base, db)
        with Store(db) as store:
            start = time.perf_counter()
            result = pipeline.ingest_path(bundled.unsd_escap(), store,
                                          dataset=bundled.UNSD_DATASET)
            times.append(time.perf_counter() - start)
            assert result.diff is not None

    t_fresh = best(fresh, repeat)
    best(over, repeat)  # the copy of the 2020 store is not timed
    t_over = min(times)
    return {"fresh_2023_s": round(t_fresh, 3), "supersede_2020_by_2023_s": round(t_over, 3),
            "ratio": round(t_over / t_fresh, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--world", type=Path, default=WORLD)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sdgtrack-bench-vintages-"))
    try:
        out = {"supersede": supersede(work, args.repeat)}
        if args.world.is_dir():
            out["world"] = world(args.world, work, args.repeat)
        print(json.dumps(out, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
