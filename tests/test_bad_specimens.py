"""Every malformed specimen gets its expected issue code, and a refused file leaves the store
exactly as it was (same fingerprint of every table before and after)."""

import pytest
from typer.testing import CliRunner

from sdgtrack import pipeline
from sdgtrack.cli import app
from sdgtrack.errors import IssueCode

from conftest import SPECIMENS

BAD = SPECIMENS / "bad"
GOOD = SPECIMENS / "unsd" / "sdg_goal03_escap_specimen.csv"

REFUSED = {
    "truncated.csv": IssueCode.MALFORMED_ROW,
    "missing_value_column.csv": IssueCode.MISSING_COLUMN,
    "text_in_value.csv": IssueCode.NON_NUMERIC_VALUE,
    "duplicated_rows.csv": IssueCode.DUPLICATE_KEY,
    "unknown_m49.csv": IssueCode.UNKNOWN_AREA,
    "unknown_series.csv": IssueCode.UNKNOWN_SERIES,
    "year_3020.csv": IssueCode.YEAR_OUT_OF_RANGE,
    "bad_year.csv": IssueCode.INVALID_YEAR,
    "unit_conflict.csv": IssueCode.UNIT_CONFLICT,
    "empty.csv": IssueCode.EMPTY_FILE,
    "zero_bytes.csv": IssueCode.EMPTY_FILE,
    "header_only.csv": IssueCode.NO_ROWS,
    "page_saved_as.csv": IssueCode.NOT_TABULAR,
    "binary.csv": IssueCode.NOT_TABULAR,
    "unrelated_columns.csv": IssueCode.UNKNOWN_FORMAT,
    "merged_cells.xlsx": IssueCode.MERGED_CELLS,
    "not_a_template.xlsx": IssueCode.UNKNOWN_FORMAT,
}

#: Files a careful tool copes with: (warning expected or None, rows that load)
COPED = {
    "bom.csv": (None, 30),
    "semicolon.csv": (IssueCode.DELIMITER_DETECTED, 30),
    "windows_1252.csv": (IssueCode.ENCODING_DETECTED, 2),
    "repeated_row.csv": (IssueCode.DUPLICATE_ROW, 4),  # 5 lines, one an exact repeat
}


def test_every_bad_specimen_is_listed():
    assert sorted(p.name for p in BAD.iterdir() if p.suffix != ".md") == sorted(
        [*REFUSED, *COPED])


@pytest.fixture
def loaded(store):
    result = pipeline.ingest_path(GOOD, store, dataset="good")
    assert "loaded" == result.status
    return store


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_specimen_has_its_code_and_changes_nothing(loaded, name):
    before = loaded.fingerprint()
    result = pipeline.ingest_path(BAD / name, loaded)
    assert "rejected" == result.status
    assert REFUSED[name] in {i.code for i in result.issues}
    assert before == loaded.fingerprint()  # not one row, load record or declaration written


@pytest.mark.parametrize("name", sorted(COPED))
def test_coped_specimen_loads(store, name):
    # into an empty store: beside the good file it would be that file's new vintage
    warning, rows = COPED[name]
    result = pipeline.ingest_path(BAD / name, store)
    assert "loaded" == result.status
    assert rows == result.rows_loaded
    codes = {i.code for i in result.issues}
    assert (set() if warning is None else {warning}) == codes


def test_every_refusal_names_file_and_gives_a_fix(loaded):
    for name in REFUSED:
        for issue in pipeline.ingest_path(BAD / name, loaded).issues:
            assert issue.file, name
            assert issue.message and issue.hint, name


def test_row_level_issues_name_the_line_and_column(loaded):
    issues = pipeline.ingest_path(BAD / "text_in_value.csv", loaded).issues
    assert [(2, "Value", "n/a"), (3, "Value", "12,5")] == [
        (i.row, i.column, i.value) for i in issues]
    (truncated,) = pipeline.ingest_path(BAD / "truncated.csv", loaded).issues
    assert 11 == truncated.row  # header + 9 good rows, then the cut-off line 11


def test_skip_invalid_loads_the_good_rows_and_reports_the_rest(store):
    result = pipeline.ingest_path(BAD / "text_in_value.csv", store, skip_invalid=True)
    assert ("loaded", 4, 2) == (result.status, result.rows_loaded, result.rows_rejected)


def test_cli_refusal_exits_1_without_traceback(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(BAD / "year_3020.csv"), "--db",
                                 str(tmp_path / "s.duckdb")])
    assert 1 == result.exit_code
    assert "Traceback" not in result.output
    assert "year_out_of_range" in result.output
    assert "year_3020.csv, row 5, column 'TimePeriod'" in " ".join(result.output.split())


def test_windows_1252_text_is_decoded_not_mangled(loaded):
    pipeline.ingest_path(BAD / "windows_1252.csv", loaded)
    (description,) = loaded.con.execute(
        "SELECT description FROM series_declared WHERE series_code = 'SG_LGL_LNDFEMOD'"
    ).fetchall()[0]
    assert "women\u2019s equal rights" in description  # 0x92 in Windows-1252 is U+2019
