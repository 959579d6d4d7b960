"""Benchmark for issue 20: the store on PostgreSQL beside DuckDB, in the same run.

1. Ingest of the December 2023 vintage (the bundled extract, every goal) into an empty
   PostgreSQL database, as a ratio to the same ingest into an empty DuckDB file.
2. The web: ``serve --workers 2`` over PostgreSQL beside ``serve`` (one worker) over DuckDB,
   each store loaded as ``sdgtrack review`` loads the bundled data, driven by wrk (Debian
   package) with 50 connections for ``--seconds`` each: requests per second and p99 of the
   country page and of the JSON observations (``bench/web.py``).

    python bench/postgres.py [--seconds 30] [--url postgresql://...]

Without ``--url`` it starts a throwaway cluster as the tests do (``tests/pg.py``), with
fsync on: a bench that times writes must not skip the disk. Prints one JSON object; nothing
here is a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from timing import SDGTRACK  # bench/timing.py
from web import serve_and_load  # bench/web.py

from sdgtrack import bundled, pipeline
from sdgtrack.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import pg  # noqa: E402 - tests/pg.py, the throwaway cluster


def ingest_seconds(where: str) -> tuple[float, int]:
    """Seconds to ingest the 2023 vintage into an empty store at ``where``; rows loaded."""
    with Store(where) as store:
        start = time.perf_counter()
        result = pipeline.ingest_path(bundled.unsd_escap(), store,
                                      dataset=bundled.UNSD_DATASET)
        return time.perf_counter() - start, result.rows_loaded


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--url", help="an empty PostgreSQL server's URL, without database "
                        "(databases sdgbench_ingest and sdgbench_web are made in it)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sdgtrack-bench-"))
    started = nullcontext(None) if args.url else pg.throwaway(fsync=True)
    try:
        with started as cluster:
            def database(name: str) -> str:
                if cluster is None:
                    subprocess.run(["psql", args.url, "-XAtqc", f"CREATE DATABASE {name}"],
                                   check=True)
                    return args.url.rstrip("/") + "/" + name
                cluster.psql(f"CREATE DATABASE {name}")
                return cluster.url(name)

            t_duck, rows = ingest_seconds(str(work / "ingest.duckdb"))
            t_pg, rows_pg = ingest_seconds(database("sdgbench_ingest"))
            assert rows == rows_pg, (rows, rows_pg)
            duck_db, pg_db = work / "web.duckdb", database("sdgbench_web")
            for db in (duck_db, pg_db):
                subprocess.run([*SDGTRACK, "review", "--no-serve", "--db", str(db)],
                               check=True, stdout=subprocess.DEVNULL)
            web = {"duckdb_1_worker": serve_and_load(duck_db, args.seconds),
                   "postgres_2_workers": serve_and_load(pg_db, args.seconds,
                                                        "--workers", "2", workers=2)}
            ratios = {page: round(web["postgres_2_workers"][page]["requests_per_s"]
                                  / web["duckdb_1_worker"][page]["requests_per_s"], 2)
                      for page in web["duckdb_1_worker"]}
            print(json.dumps({
                "ingest_2023": {"rows": rows, "duckdb_s": round(t_duck, 2),
                                "postgres_s": round(t_pg, 2),
                                "ratio": round(t_pg / t_duck, 2)},
                "web": web, "requests_per_s_postgres_over_duckdb": ratios}, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
