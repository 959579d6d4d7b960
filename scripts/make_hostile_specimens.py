"""Build the issue-21 specimens of tests/specimens/bad/ from the real goal 3 specimen.

python scripts/make_hostile_specimens.py
Each file is the real specimen (tests/specimens/unsd/sdg_goal03_escap_specimen.csv, or the
sdgtrack template filled with its Kazakhstan 2015 row) damaged in one way; the expected code
of each is in tests/test_bad_specimens.py. Files too large to keep (bombs, 10,000 copies, a
FIFO) are made by tests/hostile.py when a test runs.
"""

import csv
import gzip
import io
import sys
import zipfile
from pathlib import Path

root = Path(__file__).resolve().parents[1]
good = (root / "tests/specimens/unsd/sdg_goal03_escap_specimen.csv").read_text(encoding="utf-8")
out = root / "tests/specimens/bad"
lines = good.splitlines(keepends=True)
header, rows = lines[0], lines[1:]
cols = next(csv.reader([header]))


def edit(line: str, column: str, value: str) -> str:
    cells = next(csv.reader(io.StringIO(line)))
    cells[cols.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


def write(name: str, data: str | bytes) -> None:
    (out / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def with_value(name: str, value: str, column: str = "Value") -> None:
    write(name, header + edit(rows[0], column, value) + "".join(rows[1:5]))


# -- values and cells -----------------------------------------------------------------------
with_value("huge_number.csv", "1e400")  # a float cannot hold it: was stored as +inf
with_value("infinity.csv", "inf")
with_value("nan.csv", "NaN")
with_value("percent_sign.csv", "11.8%")
with_value("thousands_separator.csv", "1,180.5")
with_value("two_numbers.csv", "11.8 12.1")
with_value("empty_series_code.csv", "", "SeriesCode")
with_value("empty_area_code.csv", "", "GeoAreaCode")
with_value("empty_year.csv", "", "TimePeriod")
with_value("year_1800.csv", "1800", "TimePeriod")
with_value("year_with_month.csv", "2015-06", "TimePeriod")
with_value("area_name_not_code.csv", "Kazakhstan", "GeoAreaCode")
write("huge_bound.csv", header.rstrip("\n") + ",UpperBound\n"
      + "".join(r.rstrip("\n") + (",-1e999\n" if k == 0 else ",\n")
                for k, r in enumerate(rows[:5])))
write("text_bound.csv", header.rstrip("\n") + ",LowerBound\n"
      + "".join(r.rstrip("\n") + (",about 10\n" if k == 0 else ",\n")
                for k, r in enumerate(rows[:5])))
write("conflicting_units.csv", header + "".join(rows[:3]) + edit(rows[3], "Units", "NUMBER"))

# -- rows and headers -----------------------------------------------------------------------
write("duplicate_header.csv", header.replace("GeoAreaName", "Value") + "".join(rows[:4]))
write("cr_line_endings.csv", good.replace("\n", "\r"))  # classic Mac: CR only
write("crlf_line_endings.csv", good.replace("\n", "\r\n"))
write("extra_field.csv", header + "".join(rows[:3]) + rows[3].rstrip("\n") + ",x,y\n")
write("missing_fields.csv", header + "".join(rows[:3]) + ",".join(rows[3].split(",")[:6]) + "\n")
write("missing_series_column.csv", header.replace("SeriesCode", "Series") + "".join(rows[:3]))
write("missing_year_column.csv", header.replace("TimePeriod", "Year") + "".join(rows[:3]))
write("missing_area_column.csv", header.replace("GeoAreaCode", "Area") + "".join(rows[:3]))
write("blank_lines_between.csv", header + rows[0] + "\n\n" + "".join(rows[1:4]))
write("whitespace_only.csv", "  \n\t\n   \n")
write("quoted_newline_in_header.csv", '"Series\nCode",' + header.split(",", 1)[1]
      + "".join(rows[:3]))

# -- encodings and file types -------------------------------------------------------------
write("utf16.csv", good.encode("utf-16"))  # Excel's "Unicode Text"
write("utf16_no_bom.csv", good.encode("utf-16-le"))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("sdg_goal03.csv", good)
write("zip_named_csv.csv", buf.getvalue())
write("archive.zip.csv", buf.getvalue()[: len(buf.getvalue()) // 2])
write("ole_named_csv.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
write("xml_named_csv.csv", '<?xml version="1.0"?>\n<message:GenericData/>\n')
write("pdf_named_csv.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\x00\x00")

# -- hostile XML: entity expansion ("billion laughs") and an external entity (XXE) ---------
SDMX = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
laughs = ['<!ENTITY a0 "hahahahahahahahahaha">'] + [
    f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
write("entity_expansion.xml", '<?xml version="1.0"?>\n<!DOCTYPE m [\n' + "\n".join(laughs)
      + f']>\n<message:StructureSpecificData xmlns:message="{SDMX}"><message:Header/>'
      "<message:DataSet>&a9;</message:DataSet></message:StructureSpecificData>\n")
write("external_entity.xml", '<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY x SYSTEM '
      f'"file:///etc/passwd">]>\n<message:StructureSpecificData xmlns:message="{SDMX}">'
      "<message:Header><message:ID>&x;</message:ID></message:Header>"
      "</message:StructureSpecificData>\n")

# -- compressed -----------------------------------------------------------------------------
write("not_gzip.csv.gz", good)  # a plain CSV named .gz
whole = gzip.compress((header + "".join(rows) * 40).encode(), mtime=0)
write("truncated.csv.gz", whole[: len(whole) // 2])  # a download cut short
write("damaged.csv.gz", whole[:40] + bytes(b ^ 0x5A for b in whole[40:80]) + whole[80:])
write("empty.csv.gz", gzip.compress(b"", mtime=0))
write("web_page.csv.gz", gzip.compress(b"<html><body>Not found</body></html>\n", mtime=0))
write("two_members.csv.gz", gzip.compress((header + "".join(rows[:10])).encode(), mtime=0)
      + gzip.compress("".join(rows[10:]).encode(), mtime=0))

# -- workbooks ------------------------------------------------------------------------------
sys.path.insert(0, str(root / "src"))
from sdgtrack.publish.template import write_template  # noqa: E402

template = out / "_template.xlsx"
write_template(template)


def workbook(name: str, data_rows: bytes) -> None:
    """The template with ``data_rows`` (sheet XML) in its Data sheet."""
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(out / name, "w",
                                                           zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", data_rows + b"</sheetData>")
            zout.writestr(info, data)


def row(r: int, value: str = "<v>11.8</v>", series: str = "SH_DYN_MORT") -> bytes:
    return (f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{series}</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>398</t></is></c><c r="C{r}"><v>2015</v></c>'
            f'<c r="D{r}">{value}</c></row>').encode()


workbook("formula_without_value.xlsx", row(2, "<f>C2/171</f>"))  # as a script saves it
workbook("formula_with_value.xlsx", row(2, "<f>C2/171</f><v>11.78362573</v>"))  # as Excel
workbook("rows_beyond_excel.xlsx", row(2) + row(1048577))
workbook("text_value.xlsx", row(2, "<is><t>n/a</t></is>").replace(
    b'r="D2">', b'r="D2" t="inlineStr">'))
workbook("unknown_series.xlsx", row(2, series="SH_DYN_MORTT"))
workbook("headers_only.xlsx", b"")
write("truncated.xlsx", (out / "formula_with_value.xlsx").read_bytes()[:3000])
write("csv_named_xlsx.xlsx", good)
write("password_protected.xlsx",  # an encrypted workbook is an OLE compound file
      b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff"
      + bytes(486))
template.unlink()
print(sorted(p.name for p in out.iterdir()))
