"""Extend framework/data/areas.csv with every area of the UN SDG database and set each `kind`.

Run from the repository root:
    python scripts/build_framework_areas.py ../shared/data/unsd-sdg-global-database-world-2023
Only used when the package data is refreshed; sdgtrack never reads ../shared at run time.

Rows already in areas.csv keep their code, ISO codes and name; only `kind` is (re)derived.
Codes of the database that areas.csv lacks are added with the database's name and no ISO code.
The rules for `kind` are in framework/data/SOURCES.md ("areas.csv: kinds").
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/sdgtrack/framework/data/areas.csv"

#: M49 "countries or areas" that are not UN member or observer States (54 in the 2020 M49 list,
#: Sark included), and Kosovo (412, not in M49; in the SDG database "in the context of Security
#: Council resolution 1244 (1999)").
TERRITORIES = {
    # Africa
    86, 175, 260, 638, 654, 732,
    # Americas
    60, 74, 92, 136, 238, 239, 254, 304, 312, 474, 500, 531, 533, 534, 535, 630, 652, 660,
    663, 666, 796, 850,
    # Asia
    344, 446,
    # Europe
    234, 248, 292, 680, 744, 831, 832, 833,
    # Oceania
    16, 162, 166, 184, 258, 316, 334, 540, 570, 574, 580, 581, 612, 772, 876,
    # Antarctica; Kosovo
    10, 412,
}
#: Geographic aggregates of the database beyond the M49 and SDG regions already in areas.csv:
#: variants of them drawn by custodian agencies (MDG regions, "excluding" a country).
REGIONS = {127, 135, 223, 420, 485, 518, 738, 746}
#: Groupings of countries that are not geographic regions: development groups, developed /
#: developing, the EU, DAC, agencies' own groupings (ILO, IEA, OECD "other non-OECD ...").
AGGREGATES = {97, 199, 432, 487, 514, 515, 527, 593, 636, 722, 901, 903, 904, 905, 906, 951,
              99041}
#: Everything else is `other`: not a country and not a grouping of countries: former States
#: (530, 736, 890, 891), parts of a country (369, 370, 827-829), 158, donors' and recipients'
#: residual categories (ODA residual 921, 952, 99035-99050; FAO centres 917, 919; EU
#: institutions 918), ocean areas (FAO major fishing areas 99018-99032, large marine
#: ecosystems 99051-99116).


def kind(m49: int, existing: str | None) -> str:
    if existing == "region" or m49 in REGIONS:
        return "region"
    if m49 in TERRITORIES:
        return "territory"
    if m49 in AGGREGATES:
        return "aggregate"
    if existing == "country":
        return "country"
    return "other"


def main(world: Path) -> None:
    with OUT.open(newline="", encoding="utf-8") as f:
        rows = {int(r["m49"]): r for r in csv.DictReader(f)}
    with (world / "geo_areas.csv").open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = int(r["GeoAreaCode"])
            rows.setdefault(code, {"m49": str(code), "iso3": "", "iso2": "",
                                   "name": r["GeoAreaName"].strip(), "kind": ""})
    for code, r in rows.items():
        r["kind"] = kind(code, r["kind"] or None)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["m49", "iso3", "iso2", "name", "kind"])
        w.writeheader()
        w.writerows(rows[c] for c in sorted(rows))
    counts: dict[str, int] = {}
    for r in rows.values():
        counts[r["kind"]] = counts.get(r["kind"], 0) + 1
    print(len(rows), "areas:", ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
