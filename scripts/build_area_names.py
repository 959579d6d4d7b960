"""Build src/sdgtrack/framework/data/area_names.csv: the official UN names of the countries
and areas in Chinese and Russian, from the M49 columns of OCHA's Countries & Territories
Taxonomy as shipped in the PyPI package hdx-python-country 4.2.5 (MIT).

    pip download --no-deps hdx-python-country==4.2.5 -d /tmp/hdx  # then unzip the wheel
    python scripts/build_area_names.py \
        "/tmp/hdx/hdx/location/Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"

Only codes of areas.csv are kept; a row without an M49 Chinese or Russian name is left out
(the pages then show the English name)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "src" / "sdgtrack" / "framework" / "data"
SOURCE = "M49 (UNSD) via OCHA C&T Taxonomy, hdx-python-country 4.2.5"


def main(taxonomy: Path) -> None:
    with (DATA / "areas.csv").open(newline="", encoding="utf-8") as f:
        known = {r["m49"] for r in csv.DictReader(f)}
    rows = []
    with taxonomy.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = str(int(r["m49 numerical code"])) if r["m49 numerical code"] else ""
            zh, ru = r["M49 Chinese"].strip(), r["M49 Russian"].strip()
            if code in known and (zh or ru):
                rows.append({"m49": code, "name_zh": zh, "name_ru": ru, "source": SOURCE})
    rows.sort(key=lambda r: int(r["m49"]))
    with (DATA / "area_names.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["m49", "name_zh", "name_ru", "source"],
                                lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} areas named in Chinese or Russian")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
