"""The main job on the bundled real data: the whole UN extract loads, once."""

import json

import pytest
from typer.testing import CliRunner

from sdgtrack import bundled, pipeline
from sdgtrack.cli import app
from sdgtrack.store import queries

from conftest import shared


@pytest.fixture(scope="module")
def loaded(bundled_store):
    return bundled_store, bundled_store.bundled_result


def test_bundled_extract_loads_whole(loaded):
    store, result = loaded
    # README of the extract: 249,552 rows, 471 series, 64 areas, 2000-2020
    assert ("loaded", 249_552, 249_552, 0) == (result.status, result.rows_read,
                                               result.rows_loaded, result.rows_rejected)
    assert (471, 64, (2000, 2020)) == (len(result.series), len(result.areas), result.years)
    assert [] == [i for i in result.issues]  # the real extract is clean


def test_bundled_published_qualifiers_are_kept(loaded):
    store, _ = loaded
    rows = store.con.execute(
        "SELECT value_qualifier, count(*) FROM observations_current "
        "WHERE value_qualifier IS NOT NULL GROUP BY 1 ORDER BY 1").fetchall()
    # dimension_values.csv of the extract: 372 values published as '<x', 231 as '>x'
    assert [("<", 372), (">", 231)] == rows
    (no_number,) = store.con.execute(
        "SELECT count(*) FROM observations_current WHERE value IS NULL").fetchall()[0]
    assert 1162 - 603 == no_number  # 1,162 non-numeric cells, 603 of them bounded numbers


def test_goal_coverage_counts(loaded):
    store, _ = loaded
    goals = queries.goal_coverage(store.table("observations_current"),
                                  store.table("series_indicators_all")).execute()
    assert list(range(1, 18)) == sorted(goals.goal)  # goal 13 from the multi-goal series
    assert 64 == goals.set_index("goal").loc[3, "areas"]


def test_review_command_is_idempotent(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "review.duckdb")
    first = runner.invoke(app, ["review", "--no-serve", "--db", db])
    assert 0 == first.exit_code, first.output
    text = " ".join(first.output.split())
    assert "249,552 rows loaded" in text
    assert "goal snapshot" in text and "of 17 goals are behind" in text
    second = runner.invoke(app, ["review", "--no-serve", "--db", db])
    assert "input unchanged since load 1, which holds 249,552 rows" in " ".join(
        second.output.split())


def test_shared_extract_gives_the_same_store_as_the_bundled_one(loaded, tmp_path):
    from sdgtrack.store import Store

    source = shared("unsd-sdg-global-database-escap")
    with Store(tmp_path / "shared.duckdb") as other:
        result = pipeline.ingest_path(source, other, dataset=bundled.UNSD_DATASET)
        assert 249_552 == result.rows_loaded
        again = pipeline.ingest_path(source, other, dataset=bundled.UNSD_DATASET)
        assert "unchanged" == again.status
        cols = "series_code, ref_area, time_period, sex, age, value_raw, value"
        a = other.con.execute(f"SELECT bit_xor(hash({cols})) FROM observations").fetchall()[0]
    b = loaded[0].con.execute(f"SELECT bit_xor(hash({cols})) FROM observations").fetchall()[0]
    assert a == b  # the bundled gzip files hold exactly the shared extract


def test_json_summary_of_a_real_load(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(bundled.unsd_escap()), "--json", "--db",
                                 str(tmp_path / "j.duckdb")])
    summary = json.loads(result.stdout)
    assert (249_552, 471, 64) == (summary["rows_loaded"], summary["series"], summary["areas"])
