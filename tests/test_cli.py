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


def test_assess_out_writes_the_tables_it_prints(bundled_store, tmp_path):
    """`assess --out` with the table format once wrote an empty file (the tables went to
    the terminal and "" to the file)."""
    out = tmp_path / "npl.txt"
    args = ["assess", "--area", "NPL", "--db", str(bundled_store.path)]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert 0 == result.exit_code, result.output
    text = out.read_text(encoding="utf-8")
    assert "Nepal: goal snapshot (baseline 2015" in text
    assert "Nepal: target dashboard" in text
    # the same 17 goal rows as the JSON gives: each goal's number opens a row of the table
    report = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    for goal in report["snapshot"]:
        csi = goal["current_status_index"]
        assert f"{csi:.2f}" in text if csi is not None else "—" in text
    assert "goal snapshot" not in result.stdout  # written, not printed as well


def test_areas_lists_the_codes_other_commands_take(bundled_store, tmp_path):
    import shutil

    # a read-only open beside this session's writer is refused in one process: use a copy
    bundled_store.con.execute("CHECKPOINT")
    db = str(shutil.copy(bundled_store.path, tmp_path / "copy.duckdb"))
    result = runner.invoke(app, ["areas", "--group", "escap_sea", "--json", "--db", db])
    assert 0 == result.exit_code, result.output
    rows = {r["iso3"]: r for r in json.loads(result.stdout)["areas"]}
    # South-East Asia: the 11 ESCAP members of framework/data/group_members.csv
    assert 11 == len(rows)
    assert {"m49": "704", "iso3": "VNM", "name": "Viet Nam", "kind": "country"}.items() <= \
        rows["VNM"].items()
    assert rows["VNM"]["observations"] > 1000  # the 2023 extract has data for it
    every = runner.invoke(app, ["areas", "--kind", "region", "--db", db])
    assert "Asia" in every.stdout and "areas; groups: " in every.stdout


def test_a_refusal_names_where_the_full_report_went(tmp_path):
    """More problems than are shown: without --report the message says how to get them all,
    with it, where they are (it once said "write them all with --report" either way)."""
    report = tmp_path / "issues.csv"
    bad = (SPECIMENS / "bad" / "text_in_value.csv").read_text()
    paths = []
    for k in range(12):  # 12 files with the same problem: 12 problems (one per file)
        paths.append(tmp_path / f"bad{k:02}.csv")
        paths[-1].write_text(bad)
    db = str(tmp_path / "s.duckdb")
    without = runner.invoke(app, ["validate", *map(str, paths), "--db", db])
    assert "... and 2 more problems (write every row with --report FILE)" in " ".join(
        without.output.split())
    given = runner.invoke(app, ["validate", *map(str, paths), "--db", db, "--report",
                                str(report)])
    assert "write every row with --report" not in given.output
    assert f"every row is in {report}" in " ".join(given.output.split())
    assert 1 + 12 * 2 == len(report.read_text().splitlines())  # header + 2 rows a file


def test_help_lists_the_choices_and_errors_have_no_traceback(tmp_path):
    help_ = runner.invoke(app, ["assess", "--help"]).output
    assert "regression|cagr" in help_ and "table|csv|json" in help_
    wrong = runner.invoke(app, ["assess", "--area", "NPL", "--format", "xml"])
    assert 2 == wrong.exit_code and "'xml' is not one of" in wrong.output
    unknown = runner.invoke(app, ["assess", "--area", "ATLANTIS", "--db",
                                  str(tmp_path / "s.duckdb")])
    assert 2 == unknown.exit_code
    assert "Unknown area 'ATLANTIS'" in unknown.output and "Traceback" not in unknown.output
