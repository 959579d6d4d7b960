"""The Excel data-entry template: written by sdgtrack, filled by a ministry, read back."""

from openpyxl import load_workbook
from typer.testing import CliRunner

from sdgtrack import ingest, pipeline
from sdgtrack.cli import app
from sdgtrack.model.template import COLUMNS


def test_template_round_trip(tmp_path, store):
    path = tmp_path / "entry.xlsx"
    result = CliRunner().invoke(app, ["template", str(path)])
    assert 0 == result.exit_code
    wb = load_workbook(path)
    ws = wb["Data"]
    assert [c.header for c in COLUMNS] == [c.value for c in ws[1]]
    # a ministry fills three rows: Nepal's under-five mortality (UN extract values), by sex,
    # with the area as ISO3 in one row and a bounded value in another
    ws.append(["SH_DYN_MORT", "NPL", 2019, 30.8, "PER_1000_LIVE_BIRTHS", None, "C", None, "Y0T4"])
    ws.append(["SH_DYN_MORT", "524", 2019, 28.9, "PER_1000_LIVE_BIRTHS", None, "C", "F", "Y0T4"])
    ws.append(["SH_DYN_MORT", "524", 2019, "<33", "PER_1000_LIVE_BIRTHS", None, "C", "M", "Y0T4"])
    wb.save(path)
    assert "excel-template" == ingest.find_reader(path).name
    loaded = pipeline.ingest_path(path, store)
    assert ("loaded", 3) == (loaded.status, loaded.rows_loaded)
    rows = store.con.execute(
        "SELECT ref_area, sex, age, value_raw, value, value_qualifier, source_row, "
        "reporting_type FROM observations_current ORDER BY source_row").fetchall()
    assert [
        ("524", "_T", "Y0T4", "30.8", 30.8, None, 2, "N"),
        ("524", "F", "Y0T4", "28.9", 28.9, None, 3, "N"),
        ("524", "M", "Y0T4", "<33", 33.0, "<", 4, "N"),
    ] == rows


def test_template_lists_series_and_areas(tmp_path):
    from sdgtrack.publish.template import write_template

    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    assert ["Data", "Help", "Series", "Areas", "sdgtrack"] == wb.sheetnames
    assert 471 + 1 == wb["Series"].max_row  # header + 471 framework series
    assert "hidden" == wb["sdgtrack"].sheet_state


def test_problems_name_the_template_s_own_headers(tmp_path, store):
    """A ministry reads "column 'Value'", as headed in its sheet, not an internal name."""
    path = tmp_path / "entry.xlsx"
    CliRunner().invoke(app, ["template", str(path)])
    wb = load_workbook(path)
    wb["Data"].append(["SH_DYN_MORT", "NPL", 1019, "n/a"])
    wb.save(path)
    issues = pipeline.ingest_path(path, store).issues
    assert {(2, "Value", "non_numeric_value"), (2, "Year", "year_out_of_range")} == {
        (i.row, i.column, i.code.value) for i in issues}
