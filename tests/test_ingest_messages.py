"""Ingest messages that say what to do (issue 18, the ingest items): a refused load names
--skip-invalid, a refusal over unknown areas without --area suggests it, UTF-16 text is read
as UTF-16 (Cyrillic too), and a workbook's other sheets are read or named, never ignored."""

import csv
import shutil

from openpyxl import load_workbook
from typer.testing import CliRunner

from sdgtrack import ingest, pipeline
from sdgtrack.cli import app
from sdgtrack.errors import IssueCode
from sdgtrack.ingest import ReadOptions
from sdgtrack.publish.template import write_template

from conftest import SPECIMENS

runner = CliRunner()
KG = SPECIMENS / "open-sdg-kyrgyzstan"


def test_a_refused_load_says_how_to_store_its_valid_rows(tmp_path):
    db = str(tmp_path / "s.duckdb")
    result = runner.invoke(app, ["ingest", str(SPECIMENS / "open-sdg-kazakhstan"), "--db", db])
    assert 1 == result.exit_code
    text = " ".join(result.output.split())
    # 4,850 rows read: 4,751 would be stored (as `--skip-invalid` then stores), 40 have an
    # error of their own, 59 are repeats stored once (tests/test_opensdg.py)
    assert ("To store the 4,751 rows without errors and leave out the 40 with one, run "
            "again with --skip-invalid") in text


def test_unknown_sub_national_areas_suggest_area_and_area_declares_them(store, tmp_path):
    path = tmp_path / "1.1.1.xml"
    shutil.copyfile(KG / "data" / "1.1.1.xml", path)  # REF_AREA KG and KG02 ... KG21
    refused = pipeline.ingest_path(path, store)
    assert "rejected" == refused.status
    (step,) = [s for s in refused.next_steps if "--area" in s]
    assert step.startswith("Areas KG02, KG03, KG04, KG05, KG06 and 4 more are not UN M49")
    loaded = pipeline.ingest_path(path, store, ReadOptions(area="KGZ"))
    # 175 observations: 18 national (KG, M49 417), 157 of 9 oblasts and cities
    assert ("loaded", 175) == (loaded.status, loaded.rows_loaded)
    assert {"417", "KG02", "KG03", "KG04", "KG05", "KG06", "KG07", "KG08", "KG11",
            "KG21"} == loaded.areas


def test_cyrillic_utf16_without_a_bom_is_read_not_called_binary(tmp_path):
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    text = (KG / "data" / "1-5-4.csv").read_text(encoding="utf-8")
    (repo / "data" / "1-5-4.csv").write_bytes(text.encode("utf-16-le"))
    result = ingest.read(repo, ReadOptions(area="KGZ"))
    typed = ingest.normalise(result.observations)
    assert 15 == typed.num_rows  # 3 series x 5 years, as in the UTF-8 file
    assert [("encoding_detected", "UTF-16")] == [
        (i.code.value, i.value) for i in result.issues if i.code.value.startswith("encoding")]
    assert "binary" not in " ".join(i.message for i in result.issues)


def test_a_second_sheet_of_observations_is_read_and_another_is_named(tmp_path):
    path = tmp_path / "two_sheets.xlsx"
    write_template(path)
    wb = load_workbook(path)
    headers = [c.value for c in wb["Data"][1]]
    row = {"Series code": "SH_DYN_MORT", "Area code": "398", "Year": 2019, "Value": 10.4}
    wb["Data"].append([row.get(h) for h in headers])
    second = wb.create_sheet("2020")
    second.append(headers)
    second.append([{**row, "Year": 2020, "Value": 9.9}.get(h) for h in headers])
    wb.create_sheet("Notes").append(["Figures from the 2020 vital statistics bulletin"])
    wb.save(path)
    result = ingest.read(path)
    typed = ingest.normalise(result.observations)
    assert [(2019, 10.4), (2020, 9.9)] == sorted(zip(typed["time_period"].to_pylist(),
                                                     typed["value"].to_pylist()))
    (note,) = [i for i in result.issues if i.code is IssueCode.FILE_NOT_READ]
    assert "Notes" == note.value


def test_a_problem_met_on_many_rows_is_told_once_and_reported_in_full(tmp_path):
    with (SPECIMENS / "unsd" / "sdg_goal03_escap_specimen.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    k = rows[0].index("Value")
    path = tmp_path / "sdg_goal03_na.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([rows[0]] + [r[:k] + ["n/a"] + r[k + 1:] for r in rows[1:]])
    report = tmp_path / "report.csv"
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "s.duckdb"),
                                 "--report", str(report)])
    assert 1 == result.exit_code
    told = [ln for ln in result.output.splitlines() if "is not a number" in ln]
    # 30 data lines (2-31), every one 'n/a': one line, the count and the first five rows
    assert 1 == len(told)
    assert "sdg_goal03_na.csv, 30 rows (2, 3, 4, 5, 6 and 25 more), column 'Value'" in told[0]
    rows = [ln for ln in report.read_text(encoding="utf-8").splitlines()
            if "non_numeric_value" in ln]
    assert 30 == len(rows)  # --report keeps every row
