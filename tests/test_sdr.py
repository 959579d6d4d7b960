"""The SDSN SDG Index and Dashboards: hand-computed rules, and self-consistency on the real
SDR 2021 inputs (read from ../shared/data; their licence forbids copying them here)."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from sdgtrack.assess import sdr
from sdgtrack.cli import app

from conftest import shared


def test_normalisation_and_colours_by_hand():
    # METHODS §2.1: stunting, UB 0, LB 40, green 7.5, red 15; x = 20 -> 100 (20-40)/(0-40) = 50
    cb = pd.DataFrame({"indicator": ["stunt"], "goal": [2], "global_": [True], "oecd": [True],
                       "has_trend": [True], "title": ["s"], "y0": [2015.0], "y1": [2019.0],
                       "ub": [0.0], "lb": [40.0], "green": [7.5], "red": [15.0]})
    values = pd.DataFrame({"iso3": ["A", "B", "C", "D", "E"], "indicator": ["stunt"] * 5,
                           "value": [20.0, 7.5, 10.0, 14.0, 50.0], "year": [2019.0] * 5})
    none = pd.DataFrame(columns=["iso3", "indicator", "score"])
    t = sdr.indicator_table(values, cb, none).set_index("iso3")
    assert 50.0 == t.loc["A", "score"]
    assert 0.0 == t.loc["E", "score"]  # worse than LB: censored to 0
    # gs = 100 (7.5-40)/(-40) = 81.25, rs = 62.5, mid = 71.875: 7.5 green (boundary on the
    # better side), 10 -> 75 yellow, 14 -> 65 orange, 20 -> 50 red
    assert ["red", "green", "yellow", "orange", "red"] == t.colour.tolist()
    # level of 10 (s = 75): 2 + (75 - 71.875)/(81.25 - 71.875) = 2.333
    assert 2.333 == round(t.loc["C", "level"], 3)


def test_trend_worked_example():
    # METHODS §7: s_2015 = 40, s_2023 = 52, green as a score 80 -> achieved 12/8 = 1.5,
    # required (80 - 40)/15 = 2.667, ratio 0.5625 -> moderately improving
    assert "➚" == sdr.arrow(achieved=12 / 8, required=(80 - 40) / 15, green=False)
    assert "↑" == sdr.arrow(achieved=-1, required=1, green=True)  # green: maintaining
    assert "↓" == sdr.arrow(achieved=-0.1, required=1, green=False)


@pytest.fixture(scope="module")
def real():
    from sdgtrack.ingest.sdr import read_sdr

    return sdr.compute_sdr(read_sdr(shared("sdsn-sdr2021-indicators")))


def test_index_is_the_mean_of_goal_scores_and_ranks_follow(real):
    countries, _ = real
    ranked = countries[countries.index_rank.notna()]
    goals = ranked[[f"goal{g}_score" for g in range(1, 18)]]
    complete = goals.notna().all(axis=1)  # countries with all 17 goals scored themselves
    mean = goals[complete].mean(axis=1)
    assert (ranked.index_score[complete] - mean).abs().max() < 1e-9
    assert ranked.sort_values("index_rank").index_score.is_monotonic_decreasing
    assert list(range(1, len(ranked) + 1)) == sorted(ranked.index_rank.astype(int))
    unranked = countries[countries.index_rank.isna()]
    assert (unranked.pct_missing > 0.22).all() and (ranked.pct_missing <= 0.22).all()


# SDR 2021 published SDG Index scores and ranks (the workbook's overview sheet, as mirrored in
# github.com/jacubero/SDG docs/sdr/rankings/sdgindex2021.csv at 48752bab). The whole table
# (165 ranked countries) agrees to 1e-4 with every rank equal; these rows are a sample.
PUBLISHED = {"FIN": (85.90116, 1), "AUT": (82.08009, 6), "JPN": (79.84862, 18),
             "THA": (74.18918, 43), "KAZ": (71.63931, 59), "CHN": (72.06164, 57),
             "NPL": (66.51849, 96), "BGD": (63.45427, 109), "IND": (60.07500, 120),
             "PAK": (57.72326, 129), "CAF": (38.27118, 165)}


def test_reproduces_published_index(real):
    countries, _ = real
    assert 165 == countries.index_rank.notna().sum()
    got = countries.set_index("iso3")
    for iso3, (score, rank) in PUBLISHED.items():
        assert abs(got.index_score[iso3] - score) < 1e-4, iso3
        assert rank == got.index_rank[iso3], iso3
    # Austria and Nepal are landlocked: goal 14 has only the spillover sdg14_biomar, so it
    # counts as missing and takes the regional mean (else AUT would score 84.03)
    assert pd.isna(got.goal14_score["AUT"]) and pd.isna(got.goal14_score["NPL"])


def test_cli_writes_countries_and_indicators(tmp_path):
    folder = shared("sdsn-sdr2021-indicators")
    out, per = tmp_path / "sdr.json", tmp_path / "ind.csv"
    result = CliRunner().invoke(app, ["sdr", "--database", str(folder), "--out", str(out),
                                      "--format", "json", "--indicators", str(per)])
    assert 0 == result.exit_code, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {"iso3", "country", "index_score", "index_rank", "pct_missing", "goal1_score",
            "goal1_dashboard", "goal1_trend"} <= set(rows[0])
    assert {r["goal1_dashboard"] for r in rows} <= {"green", "yellow", "orange", "red", "grey"}
    assert {r["goal1_trend"] for r in rows} <= {"↑", "➚", "→", "↓", "•"}


def test_workbook_gives_the_same_scores_as_the_csv_sheets(real, tmp_path):
    # The workbook's data sheet layout (jacubero/SDG data/data2021.csv): per indicator its
    # title, then "Year: code"; sdg16_safe only as "Normalized Score: code". Rebuilt in
    # tmp_path from the CSV sheets, reading it must give identical results.
    folder = shared("sdsn-sdr2021-indicators")
    long = pd.read_csv(folder / "sdr2021_indicator_values_long.csv")
    wide = long.pivot_table(index="ISO3", columns="IndCode", values=["Value", "Year"],
                            aggfunc="first")
    safe = pd.read_csv(folder / "sdr2021_scores_only_indicators.csv").set_index("ISO3")
    titles = long.drop_duplicates("IndCode").set_index("IndCode").Indicator.str[:80]
    pairs = [frame for code in wide["Value"].columns for frame in (
        wide["Value"][code].rename(titles[code]), wide["Year"][code].rename(f"Year: {code}"))]
    data = pd.concat([*pairs, safe.NormalizedScore.rename("Normalized Score: sdg16_safe")],
                     axis=1)
    countries = pd.read_csv(folder / "sdr2021_countries.csv").set_index("Country Code ISO3")
    data = countries.join(data).rename_axis("Country Code ISO3").copy().reset_index()
    book = tmp_path / "SDR2021Database.xlsx"
    with pd.ExcelWriter(book) as xl:
        pd.read_csv(folder / "sdr2021_codebook.csv").to_excel(
            xl, sheet_name="Codebook", index=False)
        data.to_excel(xl, sheet_name="SDR2021 Data", index=False)
        pd.read_csv(folder / "sdr2021_data_for_trends_2000_2020.csv").to_excel(
            xl, sheet_name="Data for Trends", index=False)
    from sdgtrack.ingest.sdr import read_sdr

    countries_xl, indicators_xl = sdr.compute_sdr(read_sdr(book))
    pd.testing.assert_frame_equal(real[0], countries_xl)
    assert len(real[1]) == len(indicators_xl)


def test_duplicate_rows_are_named():
    # a second value for one country and indicator, or a second trend row for one country
    # and year, would silently replace the first: the error names it instead
    import dataclasses

    from sdgtrack.errors import DataError
    from sdgtrack.ingest.sdr import read_sdr

    db = read_sdr(shared("sdsn-sdr2021-indicators"))
    twice = dataclasses.replace(db, values=pd.concat([db.values, db.values.iloc[[5]]]))
    with pytest.raises(DataError, match="AFG has two values of sdg2_crlyld"):
        sdr.compute_sdr(twice)
    twice = dataclasses.replace(db, trends=pd.concat([db.trends, db.trends.iloc[[7]]]))
    with pytest.raises(DataError, match="AFG has two rows for 2007"):
        sdr.compute_sdr(twice)


# Published SDR 2021 goal trend arrows of three countries (github.com/jacubero/SDG
# data/data2021.csv at ae34ae6d, an export of the workbook's data sheet; "Goal g Trend",
# words mapped to arrows, blank to •).
PUBLISHED_GOAL_TRENDS = {"KWT": "•→➚→→➚↑➚➚•→•→→→→↑", "LAO": "➚➚➚→➚↑➚↑➚•↑•→•↓→→",
                         "LBN": "↑→➚•→➚↑→➚•↓•➚→→→➚"}


def test_goal_without_indicator_arrows_has_none(real):
    countries, _ = real
    got = countries.set_index("iso3")
    # SDR 2021 gives no goal 12 indicator a trend, so no country has a goal 12 arrow
    assert (got.goal12_trend == "•").all()
    agree = 0
    for iso3, published in PUBLISHED_GOAL_TRENDS.items():
        ours = "".join(got.loc[iso3, f"goal{g}_trend"] for g in range(1, 18))
        # where SDSN publishes no arrow (grey goals, goals 10 and 12 here), neither do we
        assert [i for i, a in enumerate(published) if a == "•"] == [
            i for i, a in enumerate(ours) if a == "•"], iso3
        agree += sum(a == b for a, b in zip(ours, published))
    # the class rule itself is [U] (METHODS §2.3): 42 of these 51 arrows agree
    assert 42 == agree
