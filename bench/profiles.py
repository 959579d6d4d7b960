"""One country profile against every member's at once, in the same run (issue 18: the 58
ESCAP members' profiles in <= 15x the time of one).

One: ``sdgtrack report country NPL --out NPL.pdf`` in a new process. All:
``sdgtrack report country --group escap --out FOLDER`` in a new process (one read of the
store and one assessment for all, ``--processes`` forked workers). Each starts with an empty
chart cache, as a first run would.

    python bench/profiles.py [--db FILE] [--group escap] [--area NPL] [--format pdf]
                             [--processes 2]

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


def timed(args: list[str], charts: Path) -> float:
    start = time.perf_counter()
    subprocess.run([*SDGTRACK, *args], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "SDGTRACK_CHART_CACHE": str(charts)})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--group", default="escap")
    parser.add_argument("--area", default="NPL")
    parser.add_argument("--format", default="pdf")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sdgtrack-bench-profiles-"))
    try:
        db = bundled_store(work, args.db)
        one = timed(["report", "country", args.area, "--out",
                     str(work / f"one.{args.format}"), "--db", str(db)], work / "charts-one")
        group = timed(["report", "country", "--group", args.group, "--out", str(work / "all"),
                       "--format", args.format, "--db", str(db), "--processes",
                       str(args.processes)], work / "charts-all")
        written = len(list((work / "all").glob(f"*.{args.format}")))
        print(json.dumps({"format": args.format, "processes": args.processes,
                          "one_s": round(one, 1), "group": args.group,
                          "profiles_written": written, "group_s": round(group, 1),
                          "group_over_one": round(group / one, 2),
                          "target": "group_over_one <= 15"}, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
