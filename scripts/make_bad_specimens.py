"""Build the malformed specimens in tests/specimens/bad/ from the real specimens.

python scripts/make_bad_specimens.py ../shared/data/unsd-sdg-global-database-escap
Each bad file is a real specimen damaged in one way, the way files arrive damaged in practice.
tests/specimens/bad/README.md lists what each one is and what sdgtrack must say about it.
"""

import csv
import io
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
good = (root / "tests/specimens/unsd/sdg_goal03_escap_specimen.csv").read_text(encoding="utf-8")
out = root / "tests/specimens/bad"
out.mkdir(parents=True, exist_ok=True)
lines = good.splitlines(keepends=True)
header, rows = lines[0], lines[1:]


def edit(line: str, column: str, value: str) -> str:
    cols = next(csv.reader([header]))
    cells = next(csv.reader(io.StringIO(line)))
    cells[cols.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


def write(name: str, text: str | bytes) -> None:
    path = out / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")


write("truncated.csv", header + "".join(rows[:9]) + rows[9][: rows[9].rindex(",E,")])
write("semicolon.csv", "".join(
    ";".join(f'"{c}"' if ";" in c else c for c in next(csv.reader([ln]))) + "\n" for ln in lines))
write("bom.csv", "\ufeff" + good)
write("missing_value_column.csv", "".join(
    ",".join(c for i, c in enumerate(next(csv.reader([ln]))) if i != 8) + "\n"
    for ln in [header]) + "".join(
    (lambda cells: ",".join(f'"{c}"' if "," in c else c for i, c in enumerate(cells) if i != 8)
     + "\n")(next(csv.reader([ln]))) for ln in rows[:5]))
write("text_in_value.csv", header + edit(rows[0], "Value", "n/a") + edit(rows[1], "Value", "12,5")
      + "".join(rows[2:6]))
write("duplicated_rows.csv", header + "".join(rows[:4]) + edit(rows[0], "Value", "99.9"))
write("repeated_row.csv", header + "".join(rows[:4]) + rows[1])
write("unknown_m49.csv", header + "".join(rows[:3]) + edit(rows[3], "GeoAreaCode", "999"))
write("year_3020.csv", header + "".join(rows[:3]) + edit(rows[3], "TimePeriod", "3020"))
write("bad_year.csv", header + "".join(rows[:3]) + edit(rows[3], "TimePeriod", "20l5"))
write("empty.csv", "\n\n")
write("zero_bytes.csv", b"")
write("header_only.csv", header)
write("page_saved_as.csv",
      "<!DOCTYPE html>\n<html><head><title>SDG Indicators Database</title></head>\n"
      "<body><p>Your download will begin shortly.</p></body></html>\n")
write("unrelated_columns.csv", "country,indicator,2015,2016\nNepal,U5MR,35.8,34.4\n")
write("binary.csv", bytes(range(256)) * 4)

# a series code that is in no framework and described nowhere: drop the description column
cols = next(csv.reader([header]))
keep = [i for i, c in enumerate(cols) if c not in ("SeriesDescription", "Indicator")]
bad_series = [",".join(cols[i] for i in keep) + "\n"]
for ln in rows[:3]:
    cells = next(csv.reader(io.StringIO(ln)))
    cells[cols.index("SeriesCode")] = "SH_DYN_MORTT"
    bad_series.append(",".join(cells[i] for i in keep) + "\n")
write("unknown_series.csv", "".join(bad_series))

# unit conflict: one row of the series in another unit
write("unit_conflict.csv", header + "".join(rows[:5]) + edit(rows[5], "Units", "PERCENT"))

# Windows-1252: a real goal 5 line whose description has a typographic apostrophe
g5 = (Path(sys.argv[1]) / "data/sdg_goal05_escap_2000_2020.csv").read_text(encoding="utf-8")
g5_lines = g5.splitlines(keepends=True)
picked = [ln for ln in g5_lines if "\u2019" in ln][:6]
write("windows_1252.csv", (g5_lines[0] + "".join(picked)).encode("cp1252"))

# Excel template with merged cells
sys.path.insert(0, str(root / "src"))
from openpyxl import load_workbook  # noqa: E402

from sdgtrack.publish.template import write_template  # noqa: E402

write_template(out / "merged_cells.xlsx")
wb = load_workbook(out / "merged_cells.xlsx")
ws = wb["Data"]
for r, (area, year, value) in enumerate([("398", 2018, 10.1), ("", 2019, 9.9)], start=2):
    ws.cell(r, 1, "SH_DYN_MORT")
    ws.cell(r, 2, area)
    ws.cell(r, 3, year)
    ws.cell(r, 4, value)
ws.merge_cells("B2:B3")
wb.save(out / "merged_cells.xlsx")

# a workbook that is not the template
from openpyxl import Workbook  # noqa: E402

wb = Workbook()
wb.active.append(["Country", "2015", "2016"])
wb.active.append(["Nepal", 35.8, 34.4])
wb.save(out / "not_a_template.xlsx")
print(sorted(p.name for p in out.iterdir()))
