"""Benchmark: national repositories (issue 14). For Kazakhstan's and Kyrgyzstan's Open SDG
repositories, side by side with the bare parse of the same files in the same run:

- ``validate`` (wall clock and peak memory, in a child process) / the parse's;
- a cold ``build-site`` (en + ru, empty chart cache) / the parse;
- a rebuild (the charts found in the cache) / the parse;
- ``ingest`` / the parse, for reference.

The parse is DuckDB's ``read_csv`` of every ``data/*.csv`` (all as text) and, for the
SDMX-ML files DuckDB cannot read, ElementTree's ``iterparse`` of every ``Obs`` into one
Arrow table handed to DuckDB: no mapping, no checks, nothing stored. Peak memory is each
child process's maximum resident set (``wait4``), Python and its imports included on both
sides.

    python bench/national.py [--repeat 1] [--data ../shared/data] [--keep DIR]

Targets: cold build <= 5x the parse, rebuild <= 3x, validate's peak memory <= 2x the
parse's. Prints one JSON object; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SDGTRACK = [sys.executable, "-m", "sdgtrack"]
REPOSITORIES = ("open-sdg-kazakhstan", "open-sdg-kyrgyzstan")

PARSE = r"""
import sys, xml.etree.ElementTree as ET
from pathlib import Path
import duckdb, pyarrow as pa
data = Path(sys.argv[1]) / "data"
con = duckdb.connect()
for f in sorted(data.glob("*.csv")):
    if f.stat().st_size:
        con.execute("SELECT * FROM read_csv(?, all_varchar = true)", [str(f)]).fetchall()
rows = []
for f in sorted(data.glob("*.xml")):
    series = {}
    for _, el in ET.iterparse(f, events=("start",)):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "Series":
            series = dict(el.attrib)
        elif tag == "Obs":
            rows.append({**series, **el.attrib})
if rows:
    keys = sorted({k for r in rows for k in r})
    table = pa.table({k: [r.get(k) for r in rows] for k in keys})
    con.execute("CREATE TABLE obs AS SELECT * FROM table")
"""


def child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(seconds, peak resident MiB, exit code) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def best(args: list[str], repeat: int, env: dict[str, str] | None = None
         ) -> tuple[float, float, int]:
    runs = [child(args, env) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2]


def one(repo: Path, work: Path, repeat: int) -> dict:
    name = repo.name.removeprefix("open-sdg-")
    db, charts, site = work / f"{name}.duckdb", work / f"{name}-charts", work / f"{name}-site"
    parse_s, parse_mib, _ = best([sys.executable, "-c", PARSE, str(repo)], repeat)
    validate_s, validate_mib, validate_rc = best([*SDGTRACK, "validate", str(repo)], repeat)
    ingest_s, _, ingest_rc = child([*SDGTRACK, "ingest", str(repo), "--skip-invalid",
                                    "--db", str(db)])
    build = [*SDGTRACK, "build-site", str(site), "--db", str(db), "--languages", "en,ru"]
    env = {"SDGTRACK_CHART_CACHE": str(charts)}
    cold_s, _, cold_rc = child(build, env)
    build[4] = str(work / f"{name}-rebuilt")  # a new folder, the charts in the cache
    rebuild_s, _, rebuild_rc = best(build, repeat, env)
    return {
        "parse_s": round(parse_s, 2), "parse_peak_mib": round(parse_mib),
        "validate_s": round(validate_s, 2), "validate_peak_mib": round(validate_mib),
        "validate_exit": validate_rc, "ingest_s": round(ingest_s, 2), "ingest_exit": ingest_rc,
        "build_cold_s": round(cold_s, 2), "build_cold_exit": cold_rc,
        "rebuild_s": round(rebuild_s, 2), "rebuild_exit": rebuild_rc,
        "ratio_validate": round(validate_s / parse_s, 1),
        "ratio_validate_memory": round(validate_mib / parse_mib, 2),
        "ratio_ingest": round(ingest_s / parse_s, 1),
        "ratio_cold": round(cold_s / parse_s, 1), "ratio_rebuild": round(rebuild_s / parse_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="Keep the stores and sites in this folder.")
    parser.add_argument("--data", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="sdgtrack-bench-national-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = {name: one(args.data / name, work, args.repeat) for name in REPOSITORIES
                  if (args.data / name).is_dir()}
        result["cpus"] = os.cpu_count()
        result["load_average"] = os.getloadavg()
        print(json.dumps(result, indent=1))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
