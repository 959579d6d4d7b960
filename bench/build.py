"""A cold site build against a warm rebuild, in the same run (issue 18: cold <= 1.5x warm).

Cold: an empty chart cache, every chart rendered by vl-convert. Warm: the same build again
into a new folder, the charts found in the cache (as after a data update that changes no
chart). Both are ``sdgtrack build-site`` in a new process, on the bundled store (or
``--db``), so the ratio includes what a user waits for. The warm figure is the best of
``--repeat`` runs; the cold one cannot be repeated without emptying the cache, so it is
run ``--repeat`` times too, each with a new cache, and the best is taken.

    python bench/build.py [--db FILE] [--languages en,zh,ru] [--processes 2] [--repeat 1]

Prints one JSON object; nothing here is a test. On a shared machine only the ratio means
anything.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from timing import SDGTRACK, bundled_store  # bench/timing.py


def build(db: Path, out: Path, charts: Path, languages: str, processes: int) -> float:
    start = time.perf_counter()
    subprocess.run([*SDGTRACK, "build-site", str(out), "--db", str(db), "--languages",
                    languages, "--processes", str(processes)], check=True,
                   stdout=subprocess.DEVNULL,
                   env={**os.environ, "SDGTRACK_CHART_CACHE": str(charts)})
    seconds = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--languages", default="en,zh,ru")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sdgtrack-bench-build-"))
    try:
        db = bundled_store(work, args.db)
        colds, warms = [], []
        for k in range(args.repeat):  # cold and warm in turn: the load is alike for both
            charts = work / f"charts-{k}"
            colds.append(build(db, work / "site", charts, args.languages, args.processes))
            warms.append(build(db, work / "site", charts, args.languages, args.processes))
        charts_made = sum(1 for _ in (work / "charts-0").rglob("*.svg"))
        cold, warm = min(colds), min(warms)
        print(json.dumps({"languages": args.languages, "processes": args.processes,
                          "charts_rendered_cold": charts_made, "cold_s": round(cold, 1),
                          "warm_s": round(warm, 1), "cold_over_warm": round(cold / warm, 2),
                          "target": "cold_over_warm <= 1.5"}, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
