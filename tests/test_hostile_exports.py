"""Issue 21, finding 7 (exports): a footnote written as a formula is published as text.
In the xlsx export it is a text cell (openpyxl wrote it as a live formula); in every CSV (the
UN CSV and SDMX-CSV exports, the API's bulk CSV, a series page's download) it is behind an
apostrophe (OWASP CSV injection); negative numbers are left as they are."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from sdgtrack import pipeline
from sdgtrack.publish.export import current_observations, export
from sdgtrack.store import Store
from sdgtrack.web.app import create_app

from accounts import header, rows

EVIL = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def poisoned(store, tmp_path):
    """Kazakhstan's rows of the goal 3 specimen with a FootNote column: the first row's
    footnote is a formula, the second's starts with '@', the third's is '-5' (a number)."""
    notes = [EVIL, "@SUM(1,2)", "-5"]
    lines = [header().rstrip("\n") + ",FootNote\n"]
    for k, line in enumerate(rows("398")):
        note = notes[k] if k < len(notes) else "plain"
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([note])
        lines.append(line.rstrip("\n") + "," + buf.getvalue())
    path = tmp_path / "kz.csv"
    path.write_text("".join(lines), encoding="utf-8")
    assert "loaded" == pipeline.ingest_path(path, store, dataset="kz").status
    return store


def _footnotes(text: str, column: str) -> list[str]:
    return [r[column] for r in csv.DictReader(io.StringIO(text))]


def test_xlsx_export_writes_a_formula_footnote_as_text(poisoned, tmp_path):
    out = tmp_path / "kz.xlsx"
    export(current_observations(poisoned), "xlsx", out)
    ws = load_workbook(out)["Data"]
    headers = [c.value for c in ws[1]]
    cells = [r[headers.index("Footnote")] for r in ws.iter_rows(min_row=2)]
    (cell,) = [c for c in cells if c.value == EVIL]
    assert "s" == cell.data_type  # text, not "f" (a formula Excel would run)
    # read back into another store (Ibis, which wrote the export, turns off DuckDB's
    # replacement scans on the connection it was given, and write_load relies on them)
    with Store(tmp_path / "again.duckdb") as other:
        assert "loaded" == pipeline.ingest_path(out, other, dataset="again").status
        (note,) = other.con.execute(
            "SELECT DISTINCT footnote FROM observations WHERE footnote LIKE '=%'").fetchone()
    assert EVIL == note  # the same text, read as text


def test_csv_exports_put_formula_text_behind_an_apostrophe(poisoned, tmp_path):
    out = tmp_path / "kz.csv"
    export(current_observations(poisoned), "csv", out)
    notes = _footnotes(out.read_text(encoding="utf-8"), "FootNote")
    assert {"'" + EVIL, "'@SUM(1,2)", "-5"} <= set(notes)
    assert EVIL not in notes


def test_public_csv_downloads_put_formula_text_behind_an_apostrophe(poisoned):
    client = TestClient(create_app(poisoned))
    bulk = client.get("/api/v1/observations.csv")
    assert 200 == bulk.status_code
    notes = _footnotes(bulk.text, "footnote")
    assert {"'" + EVIL, "'@SUM(1,2)", "-5"} <= set(notes) and EVIL not in notes
    sdmx = client.get("/api/v1/observations.sdmx.csv").text
    assert "'" + EVIL in _footnotes(sdmx, "COMMENT_OBS")
    series = client.get("/en/series/SH_DYN_MORT.csv")
    assert 200 == series.status_code
    assert "'" + EVIL in _footnotes(series.text, "footnote")
    values = _footnotes(bulk.text, "value_raw")
    assert "11.8" in values  # numbers untouched
