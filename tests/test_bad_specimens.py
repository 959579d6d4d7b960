"""Every malformed specimen gets its expected issue code, and a refused file leaves the store
exactly as it was (same fingerprint of every table before and after)."""

import os
from pathlib import Path

import hostile
import pytest
from typer.testing import CliRunner

from sdgtrack import pipeline
from sdgtrack.cli import app
from sdgtrack.errors import IssueCode

from accounts import data_file, rows
from conftest import SPECIMENS

BAD = SPECIMENS / "bad"
GOOD = SPECIMENS / "unsd" / "sdg_goal03_escap_specimen.csv"
MiB = 1024 * 1024

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
    # issue 21 (scripts/make_hostile_specimens.py): values and cells
    "huge_number.csv": IssueCode.NON_NUMERIC_VALUE,  # 1e400 was stored as +inf
    "infinity.csv": IssueCode.NON_NUMERIC_VALUE,
    "percent_sign.csv": IssueCode.NON_NUMERIC_VALUE,
    "thousands_separator.csv": IssueCode.NON_NUMERIC_VALUE,
    "two_numbers.csv": IssueCode.NON_NUMERIC_VALUE,
    "empty_series_code.csv": IssueCode.MISSING_REQUIRED_VALUE,
    "empty_area_code.csv": IssueCode.MISSING_REQUIRED_VALUE,
    "empty_year.csv": IssueCode.MISSING_REQUIRED_VALUE,
    "year_1800.csv": IssueCode.YEAR_OUT_OF_RANGE,
    "area_name_not_code.csv": IssueCode.UNKNOWN_AREA,
    "huge_bound.csv": IssueCode.INVALID_NUMBER,
    "text_bound.csv": IssueCode.INVALID_NUMBER,
    "conflicting_units.csv": IssueCode.UNIT_CONFLICT,
    # rows and headers
    "duplicate_header.csv": IssueCode.DUPLICATE_COLUMN,  # was a KeyError traceback
    "extra_field.csv": IssueCode.MALFORMED_ROW,
    "missing_fields.csv": IssueCode.MALFORMED_ROW,
    "missing_series_column.csv": IssueCode.UNKNOWN_FORMAT,  # the signature column
    "missing_area_column.csv": IssueCode.UNKNOWN_FORMAT,
    "missing_year_column.csv": IssueCode.MISSING_COLUMN,
    "whitespace_only.csv": IssueCode.EMPTY_FILE,
    "quoted_newline_in_header.csv": IssueCode.UNKNOWN_FORMAT,
    # encodings and file types
    "zip_named_csv.csv": IssueCode.ARCHIVE,
    "archive.zip.csv": IssueCode.ARCHIVE,
    "ole_named_csv.csv": IssueCode.NOT_TABULAR,
    "xml_named_csv.csv": IssueCode.NOT_TABULAR,
    "pdf_named_csv.csv": IssueCode.NOT_TABULAR,
    "entity_expansion.xml": IssueCode.NOT_TABULAR,  # lxml refuses to expand it
    "external_entity.xml": IssueCode.NOT_TABULAR,  # never resolved: /etc/passwd not read
    # compressed
    "not_gzip.csv.gz": IssueCode.CORRUPT_FILE,  # was BadGzipFile
    "truncated.csv.gz": IssueCode.CORRUPT_FILE,  # was "Aborted."
    "damaged.csv.gz": IssueCode.CORRUPT_FILE,
    "empty.csv.gz": IssueCode.EMPTY_FILE,
    "web_page.csv.gz": IssueCode.NOT_TABULAR,
    # workbooks
    "formula_without_value.xlsx": IssueCode.FORMULA_WITHOUT_VALUE,  # was stored as empty
    "rows_beyond_excel.xlsx": IssueCode.TOO_LARGE,  # was a 500
    "text_value.xlsx": IssueCode.NON_NUMERIC_VALUE,
    "unknown_series.xlsx": IssueCode.UNKNOWN_SERIES,
    "headers_only.xlsx": IssueCode.NO_ROWS,
    "truncated.xlsx": IssueCode.CORRUPT_FILE,
    "csv_named_xlsx.xlsx": IssueCode.CORRUPT_FILE,
    "password_protected.xlsx": IssueCode.PASSWORD_PROTECTED,
}

#: Files a careful tool copes with: (warning expected or None, rows that load)
COPED = {
    "bom.csv": (None, 30),
    "semicolon.csv": (IssueCode.DELIMITER_DETECTED, 30),
    "windows_1252.csv": (IssueCode.ENCODING_DETECTED, 2),
    # UTF-16 was called "binary", then refused by name; now read as UTF-16 (issue 18)
    "utf16.csv": (IssueCode.ENCODING_DETECTED, 30),
    # 2015-06 is June 2015 (SDMX TIME_PERIOD): since issue 14 a monthly observation, period
    # 2015-06 of 2015, no longer an invalid year
    "year_with_month.csv": (None, 5),
    "utf16_no_bom.csv": (IssueCode.ENCODING_DETECTED, 30),
    "repeated_row.csv": (IssueCode.DUPLICATE_ROW, 4),  # 5 lines, one an exact repeat
    "cr_line_endings.csv": (None, 30),  # classic Mac line endings: was a _csv.Error
    "crlf_line_endings.csv": (None, 30),
    "blank_lines_between.csv": (None, 4),
    "nan.csv": (None, 5),  # NaN is a published missing-value code: the row, without a number
    "two_members.csv.gz": (None, 30),  # gzip files concatenated: every member is read
    "formula_with_value.xlsx": (None, 1),  # the value Excel computed is read
}


def _fifo(folder: Path) -> Path:
    path = folder / "x.csv"
    os.mkfifo(path)
    return path


def _device(folder: Path) -> Path:
    path = folder / "zero.csv"
    path.symlink_to("/dev/zero")
    return path


def _big_cell(folder: Path) -> Path:
    path = folder / "big_cell.csv"
    lines = GOOD.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + "".join(lines[1:20]) + lines[20].rstrip("\n") + "x" * (17 * MiB)
                    + "\n" + "".join(lines[21:]), encoding="utf-8")
    return path


def _small_limits(monkeypatch) -> None:
    monkeypatch.setenv("SDGTRACK_EXPAND_MAX_BYTES", str(2 * MiB))
    monkeypatch.setenv("SDGTRACK_WORKBOOK_MAX_BYTES", str(1 * MiB))


#: Hostile files made when the test runs (too large to keep, or not files a repository
#: holds): name -> (maker, expected code). Bombs are made at a size over limits lowered
#: for the test; tests/test_hostile_server.py sends the full-size ones to a real server.
MADE = {
    "fifo": (_fifo, IssueCode.SPECIAL_FILE),  # hung forever, holding the store's lock
    "device": (_device, IssueCode.SPECIAL_FILE),
    "big_cell": (_big_cell, IssueCode.TOO_LARGE),  # a 17 MiB field
    "gzip_bomb": (lambda f: hostile.gzip_bomb(f, 64 * MiB), IssueCode.TOO_LARGE),
    "gzip_over_size": (lambda f: hostile.gzip_bomb(f, 3 * MiB), IssueCode.TOO_LARGE),
    "xlsx_bomb": (lambda f: hostile.xlsx_bomb(f, 2 * MiB), IssueCode.TOO_LARGE),
    "conflicting_copies": (lambda f: data_file(f, "c.csv", rows("398")[:1] * 3000 + [
        rows("398")[0].replace(",11.8,", ",11.9,")]), IssueCode.DUPLICATE_KEY),
}


def test_every_bad_specimen_is_listed():
    assert sorted(p.name for p in BAD.iterdir() if p.suffix != ".md") == sorted(
        [*REFUSED, *COPED])


def test_the_corpus_has_sixty_kinds():
    assert 60 <= len(REFUSED) + len(COPED) + len(MADE)


@pytest.mark.parametrize("name", sorted(MADE))
def test_made_specimen_has_its_code_and_changes_nothing(loaded, tmp_path, monkeypatch, name):
    _small_limits(monkeypatch)
    make, code = MADE[name]
    path = make(tmp_path)
    before = loaded.fingerprint()
    result = pipeline.ingest_path(path, loaded)
    assert "rejected" == result.status
    assert code in {i.code for i in result.issues}
    assert all(i.file and i.message and i.hint for i in result.issues)
    assert before == loaded.fingerprint()


@pytest.mark.parametrize("name", sorted([*REFUSED, *MADE]))
def test_cli_refuses_every_specimen_with_exit_1_and_no_traceback(tmp_path, monkeypatch, name):
    _small_limits(monkeypatch)
    path = MADE[name][0](tmp_path) if name in MADE else BAD / name
    code = MADE[name][1] if name in MADE else REFUSED[name]
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(tmp_path / "s.duckdb")])
    assert 1 == result.exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert code.value in result.output


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


def test_an_external_entity_is_never_read(loaded):
    issues = pipeline.ingest_path(BAD / "external_entity.xml", loaded).issues
    assert "root:" not in " ".join(f"{i.message} {i.value}" for i in issues)


def test_windows_1252_text_is_decoded_not_mangled(loaded):
    pipeline.ingest_path(BAD / "windows_1252.csv", loaded)
    (description,) = loaded.con.execute(
        "SELECT description FROM series_declared WHERE series_code = 'SG_LGL_LNDFEMOD'"
    ).fetchall()[0]
    assert "women\u2019s equal rights" in description  # 0x92 in Windows-1252 is U+2019
