"""Build framework/data/series.csv and series_indicators.csv from the UN extract's series list.

Run from the repository root:
    python scripts/build_framework_series.py ../shared/data/unsd-sdg-global-database-escap
Only used when the package data is refreshed; sdgtrack never reads ../shared at run time.
"""

import csv
import sys
from pathlib import Path

src = Path(sys.argv[1]) / "series_list.csv"
out = Path(__file__).resolve().parents[1] / "src/sdgtrack/framework/data"

with src.open(newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))

series, links = [], set()
for r in rows:
    series.append({"series_code": r["SeriesCode"], "description": r["SeriesDescription"],
                   "unit_measure": r["units"]})
    for ind in r["Indicator"].split(","):
        ind = ind.strip()
        goal, target = ind.split(".")[0], ".".join(ind.split(".")[:2])
        links.add((r["SeriesCode"], ind, target, goal))


def key(code: str) -> list:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split(".")]


with (out / "series.csv").open("w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, ["series_code", "description", "unit_measure"])
    w.writeheader()
    w.writerows(sorted(series, key=lambda s: s["series_code"]))
with (out / "series_indicators.csv").open("w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["series_code", "indicator", "target", "goal"])
    w.writerows(sorted(links, key=lambda x: (key(x[1]), x[0])))
print(len(series), "series,", len(links), "series-indicator links")
