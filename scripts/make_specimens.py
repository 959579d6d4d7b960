"""Cut the small real specimens in tests/specimens/unsd/ out of the UN extract, line for line.

python scripts/make_specimens.py ../shared/data/unsd-sdg-global-database-escap
Each specimen keeps the header and the selected lines of one goal file byte for byte.
"""

import csv
import io
import sys
from pathlib import Path

src = Path(sys.argv[1]) / "data"
out = Path(__file__).resolve().parents[1] / "tests/specimens/unsd"
out.mkdir(parents=True, exist_ok=True)

SELECT = {
    # goal 2: undernourishment with published qualifiers (<2.5) and N codes, stunting by sex
    "sdg_goal02_escap_2000_2020.csv": lambda r: (
        (r["SeriesCode"] == "SN_ITK_DEFC" and r["GeoAreaCode"] in ("31", "398")
         and "2005" <= r["TimePeriod"] <= "2012")
        or (r["SeriesCode"] == "SN_ITK_DEFCN" and r["GeoAreaCode"] in ("31", "398")
            and "2010" <= r["TimePeriod"] <= "2012")
        or (r["SeriesCode"] == "SH_STA_STNT" and r["GeoAreaCode"] == "398")
    ),
    # goal 3: under-five mortality by sex, Kazakhstan and Nepal, 2015-2019
    "sdg_goal03_escap_2000_2020.csv": lambda r: (
        r["SeriesCode"] == "SH_DYN_MORT" and r["GeoAreaCode"] in ("398", "524")
        and "2015" <= r["TimePeriod"] <= "2019"
    ),
}

for name, keep in SELECT.items():
    lines = (src / name).read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0]
    cols = next(csv.reader([header]))
    chosen = [ln for ln in lines[1:] if keep(dict(zip(cols, next(csv.reader(io.StringIO(ln))))))]
    (out / name.replace("_2000_2020", "_specimen")).write_text(header + "".join(chosen),
                                                                encoding="utf-8")
    print(name, len(chosen), "rows")
