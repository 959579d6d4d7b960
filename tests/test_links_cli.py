"""``sdgtrack links`` on the real slice (goals 5 and 7 of the 2023 extract): every count
traces to the pairs the JSON lists, and Kroll's cross-country rho is the one pandas gives
on the year's goal scores."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from sdgtrack.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(slice_store, tmp_path_factory):
    return str(shutil.copy(slice_store.path, tmp_path_factory.mktemp("links") / "s.duckdb"))


def test_json_lists_the_pairs_behind_every_count(db):
    result = runner.invoke(app, ["links", "--area", "KAZ", "--goal", "7", "--format", "json",
                                 "--db", db])
    assert 0 == result.exit_code, result.output
    report = json.loads(result.stdout)
    assert ("398", "A synergy is co-movement, not a cause.") == (
        report["unit"]["code"], report["method"]["note"])
    assert 8 == report["method"]["parameters"]["min_years"]
    for g in report["goals"]:  # each goal pair's counts are its listed pairs' classes
        mine = [p["class"] for p in report["pairs"]
                if (p["goal_a"], p["goal_b"]) == (g["goal_a"], g["goal_b"])]
        assert [g[c] for c in ("synergy", "trade_off", "not_classified",
                               "insufficient_data")] == [
            mine.count(c) for c in ("synergy", "trade_off", "not_classified",
                                    "insufficient_data")]
    assert {(5, 7), (7, 7)} == {(g["goal_a"], g["goal_b"]) for g in report["goals"]}


def test_pairs_with_too_few_years_are_not_enough_data_never_no_interaction(db):
    report = json.loads(runner.invoke(app, ["links", "--group", "escap_nca", "--goal", "5",
                                            "--format", "json", "--db", db]).stdout)
    few = [p for p in report["pairs"] if p["years"] < 8]
    # Tajikistan's women in managerial positions (IC_GEN_MGTL) has fewer than 8 years in
    # common with each of 6 series
    assert ({"762"}, {"IC_GEN_MGTL"}, 6) == ({p["unit"] for p in few},
                                             {p["series_a"] for p in few}, len(few))
    assert all(p["rho"] is None and p["class"] == "insufficient_data" for p in few)
    # the group counts its 9 countries on each goal pair, those without data included
    for g in report["goals"]:
        assert ("countries", 9) == (g["counted"], sum(g[c] for c in (
            "synergy", "trade_off", "not_classified", "insufficient_data")))


def test_csv_and_table(db):
    csv = runner.invoke(app, ["links", "--area", "KAZ", "--table", "summary", "--format",
                              "csv", "--db", db]).stdout.split()
    assert csv[0].startswith("unit,goal,synergy,trade_off,not_classified,insufficient_data")
    assert ["398,5", "398,7"] == [line.split(",", 2)[0] + "," + line.split(",", 2)[1]
                                  for line in csv[1:]]
    table = runner.invoke(app, ["links", "--group", "escap_nca", "--db", db])
    assert 0 == table.exit_code and "countries" not in table.stdout  # short headings
    assert "co-movement, not a cause" in table.stderr


def test_wrong_options_are_usage_errors_that_say_the_fix(db):
    none = runner.invoke(app, ["links", "--db", db])
    assert (2, True) == (none.exit_code, "--group escap" in none.stderr)
    kroll = runner.invoke(app, ["links", "--area", "KAZ", "--method", "kroll", "--db", db])
    assert (2, True) == (kroll.exit_code, "give --group" in kroll.stderr)
    goal = runner.invoke(app, ["links", "--area", "KAZ", "--goal", "18", "--db", db])
    assert (2, True) == (goal.exit_code, "goals are 1 to 17" in goal.stderr)


def test_kroll_rho_is_spearman_across_the_countries(slice_store):
    from sdgtrack.assess import EscapParameters, compute, country_unit, group_unit, load_spec
    from sdgtrack.assess.links_run import compute_kroll

    obs = slice_store.table("observations_current")
    region = group_unit("escap")
    by_year, trends = compute_kroll(obs, load_spec(), [region], years=[2020])
    row = by_year[(by_year.goal_a == 5) & (by_year.goal_b == 7)].iloc[0]
    # the same from the assessment with data up to 2020, by pandas
    a = compute(obs, load_spec(), [country_unit(m) for m in region.members],
                EscapParameters(end_year=2020))
    wide = a.snapshot.pivot_table(index="unit", columns="goal",
                                  values="current_status_index")[[5, 7]].dropna()
    assert (len(wide), pytest.approx(wide.corr(method="spearman").loc[5, 7], abs=1e-12)) == (
        row.countries, row.rho)
    assert row.countries >= 10  # enough countries to classify
    pair = trends[(trends.goal_a == 5) & (trends.goal_b == 7)].iloc[0]
    assert (2020, 2020, 0.0) == (pair.first_year, pair.last_year, pair.change)


def test_a_link_table_of_ones_own_is_shown_against_the_data(db, tmp_path):
    table = tmp_path / "sei.csv"
    table.write_text("target_a,target_b,score\n7.1,7.2,2\n7.1,5.a,-1\n")
    report = json.loads(runner.invoke(app, ["links", "--area", "KAZ", "--compare", str(table),
                                            "--format", "json", "--db", db]).stdout)
    first, second = report["compared"]
    # 7.1 (electricity, clean fuels) x 7.2 (renewables' share): Kazakhstan's 2 pairs, one
    # trade-off (EG_ACS_ELEC, rho -0.63) and one not classified: no single class leads
    pairs = [p for p in report["pairs"] if {p["series_a"], p["series_b"]} & {"EG_FEC_RNEW"}
             and {p["series_a"], p["series_b"]} & {"EG_ACS_ELEC", "EG_EGY_CLEAN"}]
    assert ["not_classified", "trade_off"] == sorted(p["class"] for p in pairs)
    assert (1, 1, "not_classified", "no significant co-movement") == (
        first["trade_off"], first["not_classified"], first["data_say"], first["agreement"])
    assert ("not enough data", 0) == (second["agreement"], second["synergy"])
    missing = runner.invoke(app, ["links", "--area", "KAZ", "--table", "compared", "--db", db])
    assert (2, True) == (missing.exit_code, "needs --compare FILE" in missing.stderr)
