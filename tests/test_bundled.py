"""The main job on the bundled real data: the whole UN extract loads, once: the October 2020
vintage, then the December 2023 one (the default) superseding it."""

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
    # README of the 2023 extract: 476,035 rows, 644 series, 64 areas, 2000-2023
    assert ("loaded", 476_035, 476_035, 0) == (result.status, result.rows_read,
                                               result.rows_loaded, result.rows_rejected)
    assert (644, 64, (2000, 2023)) == (len(result.series), len(result.areas), result.years)
    # the real extract is clean; the one warning says it supersedes the 2020 vintage
    assert [] == [i for i in result.issues if i.code.value != "new_vintage"]


def test_bundled_published_qualifiers_are_kept(loaded):
    store, _ = loaded
    rows = store.con.execute(
        "SELECT value_qualifier, count(*) FROM observations_current "
        "WHERE value_qualifier IS NOT NULL GROUP BY 1 ORDER BY 1").fetchall()
    # the 2023 extract's Value column (duckdb over the gzip files): 1,048 values begin
    # with '<' (<5 359 times, <100 226, <2.5 200 ...) and 951 are '>95'
    assert [("<", 1048), (">", 951)] == rows
    (no_number,) = store.con.execute(
        "SELECT count(*) FROM observations_current WHERE value IS NULL").fetchall()[0]
    # 4,091 cells are not plain numbers, 1,048 + 951 of them bounded ones: 2,092 'N'
    assert 4091 - 1048 - 951 == no_number


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
    assert "249,552 rows loaded" in text and "476,035 rows loaded" in text
    assert "new vintage (supersedes load 1)" in text
    assert "goal snapshot (baseline 2015, current 2023)" in text
    assert "of 17 goals are behind" in text
    second = runner.invoke(app, ["review", "--no-serve", "--db", db])
    assert "the store holds the 2023-12 vintage of unsd-sdg-global-database-escap (load 2, " \
           "476,035 rows); nothing to load" in " ".join(second.output.split())


@pytest.mark.parametrize("folder, load", [("unsd-sdg-global-database-escap", 1),
                                          ("unsd-sdg-global-database-escap-2023", 2)])
def test_shared_extract_gives_the_same_store_as_the_bundled_one(loaded, tmp_path, folder,
                                                                load):
    from sdgtrack.store import Store

    source = shared(folder)
    cols = "series_code, ref_area, time_period, sex, age, value_raw, value, obs_status"
    with Store(tmp_path / "shared.duckdb") as other:
        result = pipeline.ingest_path(source, other, dataset=bundled.UNSD_DATASET)
        assert {1: 249_552, 2: 476_035}[load] == result.rows_loaded
        again = pipeline.ingest_path(source, other, dataset=bundled.UNSD_DATASET)
        assert "unchanged" == again.status
        a = other.con.execute(f"SELECT bit_xor(hash({cols})) FROM observations").fetchall()[0]
    b = loaded[0].con.execute(f"SELECT bit_xor(hash({cols})) FROM observations "
                              "WHERE load_id = ?", [load]).fetchall()[0]
    assert a == b  # the bundled gzip files hold exactly the shared extract


def test_json_summary_of_a_real_load(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(bundled.unsd_escap()), "--json", "--db",
                                 str(tmp_path / "j.duckdb")])
    summary = json.loads(result.stdout)
    assert (476_035, 644, 64) == (summary["rows_loaded"], summary["series"], summary["areas"])


def test_observation_status_is_an_attribute_not_a_breakdown(loaded):
    store, _ = loaded
    rows = dict(store.con.execute(
        "SELECT obs_status, count(*) FROM observations_current GROUP BY 1").fetchall())
    # dimension_values.csv of the 2023 extract: ObservationStatus A 185,326 rows, E 31,680
    assert (185_326, 31_680) == (rows["A"], rows["E"])
    assert 0 == store.con.execute("SELECT count(*) FROM observations_current WHERE "
                                  "breakdown LIKE '%OBSERVATION%'").fetchall()[0][0]
