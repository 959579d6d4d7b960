import json

from typer.testing import CliRunner

from sdgtrack.cli import app

from conftest import SPECIMENS

runner = CliRunner()


def test_ingest_json_summary_has_the_documented_keys(tmp_path):
    db = str(tmp_path / "s.duckdb")
    result = runner.invoke(app, ["ingest", str(SPECIMENS / "unsd"), "--db", db, "--json"])
    assert 0 == result.exit_code, result.output
    summary = json.loads(result.stdout)
    keys = {"rows_read", "rows_loaded", "rows_rejected", "series", "areas", "issues"}
    assert keys <= set(summary)
    # goal 2 cut: 22 rows, goal 3 cut: 30 rows; series SN_ITK_DEFC, SN_ITK_DEFCN, SH_DYN_MORT;
    # areas 31, 398, 524
    assert (52, 52, 0, 3, 3) == (summary["rows_read"], summary["rows_loaded"],
                                 summary["rows_rejected"], summary["series"], summary["areas"])


def test_validate_writes_every_issue_and_exits_1(tmp_path):
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["validate", str(SPECIMENS / "bad" / "text_in_value.csv"),
                                 "--report", str(report), "--db", str(tmp_path / "none.duckdb")])
    assert 1 == result.exit_code
    rows = json.loads(report.read_text())
    assert ["non_numeric_value", "non_numeric_value"] == [r["code"] for r in rows]
    assert {"file", "row", "column", "code", "value", "message", "hint"} <= set(rows[0])
    csv_report = tmp_path / "report.csv"
    runner.invoke(app, ["validate", str(SPECIMENS / "bad" / "text_in_value.csv"),
                        "--report", str(csv_report), "--db", str(tmp_path / "none.duckdb")])
    assert csv_report.read_text().startswith("file,row,column,code,severity,value,message,hint")


def test_validate_clean_file_exits_0(tmp_path):
    result = runner.invoke(app, ["validate", str(SPECIMENS / "unsd"),
                                 "--db", str(tmp_path / "none.duckdb")])
    assert 0 == result.exit_code, result.output


def test_db_defaults_to_the_environment_variable(tmp_path, monkeypatch):
    db = tmp_path / "from-env.duckdb"
    monkeypatch.setenv("SDGTRACK_DB", str(db))
    result = runner.invoke(app, ["ingest", str(SPECIMENS / "unsd"), "--json"])
    assert 0 == result.exit_code
    assert db.exists()
    listing = runner.invoke(app, ["datasets", "--json"])
    assert ["unsd"] == [ld["dataset"] for ld in json.loads(listing.stdout)]


def test_unknown_path_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.csv"), "--db",
                                 str(tmp_path / "s.duckdb")])
    assert 1 == result.exit_code
    assert "file_not_found" in result.output
