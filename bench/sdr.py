"""Benchmark: the full SDSN computation (193 countries: scores, goal scores, index and rank,
dashboards, indicator and goal trends) from an SDR database release in CSV, as a ratio to a
bare load of the same files (pandas.read_csv of each sheet) in the same run.

    python bench/sdr.py [--database ../shared/data/sdsn-sdr2021-indicators] [--repeat 3]

Target (issue 4): full computation / bare load <= 3. Prints one JSON object; not a test.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
from timing import best  # bench/timing.py

from sdgtrack.assess.sdr import compute_sdr
from sdgtrack.ingest.sdr import FILES, read_sdr

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "sdsn-sdr2021-indicators"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not (args.database / FILES["codebook"]).is_file():
        raise SystemExit(f"{args.database}: no SDR 2021 CSV release here; give --database.")

    def bare() -> None:
        for name in FILES.values():
            pd.read_csv(args.database / name, encoding="utf-8")

    def full() -> None:
        compute_sdr(read_sdr(args.database))

    load_s, full_s = best(bare, args.repeat), best(full, args.repeat)
    db = read_sdr(args.database)
    # the two parts of full_s, timed apart
    read_s = best(lambda: read_sdr(args.database), args.repeat)
    compute_s = best(lambda: compute_sdr(db), args.repeat)
    countries, indicators = compute_sdr(db)
    print(json.dumps({"bare_load_s": round(load_s, 3), "full_sdr_s": round(full_s, 3),
                      "ratio": round(full_s / load_s, 1), "target_ratio": 3,
                      "read_sdr_s": round(read_s, 3), "compute_sdr_s": round(compute_s, 3),
                      "countries": len(countries),
                      "ranked": int(countries.index_rank.notna().sum()),
                      "indicator_rows": len(indicators)}))


if __name__ == "__main__":
    main()
