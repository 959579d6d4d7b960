"""The COVID-19 setback (assess/covid.py): hand-computed trends, intervals, classes and
years lost; the command on a slice of the real data."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from sdgtrack.assess.covid import CovidParameters, fit, project, setback, summary
from sdgtrack.assess.series import SUB
from sdgtrack.assess.student import t_quantile

OLS = CovidParameters(weights="equal")


def points(values: dict[int, float], unit: str = "A", sub: int = 0) -> pd.DataFrame:
    return pd.DataFrame({"unit": unit, SUB: sub, "year": list(values),
                         "value": list(values.values())})


def info(direction: str = "increase", target: float = 100.0, sub: int = 0) -> pd.DataFrame:
    return pd.DataFrame({"unit": ["A"], SUB: [sub], "series_code": ["X"], "selection": [""],
                         "indicator": ["3.2.1"], "direction": [direction],
                         "target_level": [target]})


def test_escap_weighted_trend_and_its_prediction_interval():
    # 1, 2, 4 in 2017-2019, ESCAP weights 1, 2, 3 (t - first + 1); t in years since 2000.
    # Σw = 6, t̄ = (17 + 36 + 57)/6 = 18.333, x̄w = (1 + 4 + 12)/6 = 2.8333;
    # Σw(t-t̄)² = 1.7778 + 0.2222 + 1.3333 = 3.3333, Σw(t-t̄)(x-x̄) = 2.4444 + 0.5556 +
    # 2.3333 = 5.3333, slope 1.6; fitted 0.7, 2.3, 3.9, residuals 0.3, -0.3, 0.1.
    # Weights scaled to average 1: 0.5, 1, 1.5; s² = (0.045 + 0.09 + 0.015)/(3 - 2) = 0.15;
    # Σw~(t-t̄)² = 3.3333/2 = 1.6667. In 2020: 3.9 + 1.6 = 5.5;
    # se = √(0.15 (1 + 1/3 + 1.6667²/1.6667)) = √0.45 = 0.6708; t(1 df, 0.975) = 12.706:
    # 5.5 ± 8.5236
    f = fit(points({2017: 1.0, 2018: 2.0, 2019: 4.0}), CovidParameters())
    assert 1.6 == pytest.approx(f.slope.iloc[0])  # the ESCAP-weighted slope
    assert 0.15 == pytest.approx(f.s2.iloc[0])
    r = project(f, [2020], CovidParameters()).iloc[0]
    assert 5.5 == pytest.approx(r.projected)
    assert 0.67082 == pytest.approx(r.se, abs=1e-5)
    assert (-3.0236, 14.0236) == pytest.approx((r.lower, r.upper), abs=1e-3)


def test_equal_weights_give_the_textbook_ols_interval():
    # 10, 12, 13, 15, 16 in 2015-2019: slope 15/10 = 1.5, x̄ 13.2, SSR 0.30, s² = 0.1;
    # 2021: 19.2 ± 3.1824 √0.1 √(1 + 1/5 + 16/10) = 19.2 ± 1.684
    f = fit(points({2015: 10.0, 2016: 12.0, 2017: 13.0, 2018: 15.0, 2019: 16.0}), OLS)
    r = project(f, [2021], OLS).iloc[0]
    assert (17.516, 20.884) == pytest.approx((r.lower, r.upper), abs=1e-3)
    assert 3.182446 == pytest.approx(t_quantile(0.975, 3), abs=1e-6)


DOWN = {2015: 20.0, 2016: 18.5, 2017: 16.0, 2018: 14.5, 2019: 12.0}


@pytest.mark.parametrize(("observed", "expected", "shortfall", "years"), [
    # lower is better; slope -2.0 (Σ(t-t̄)(x-x̄) = -20 over 10), s² = 0.30/3 = 0.1;
    # 2020: 16.2 - 6 = 10.2, se = √(0.1 (1.2 + 9/10)) = 0.45826, ± 3.1824 se = ± 1.4584:
    # interval 8.7416-11.6584
    (12.5, "setback", 2.3, 1.15),  # above it, the wrong way: 2.3 units, 2.3/2 = 1.15 years
    (8.0, "ahead", -2.2, -1.1),  # below it: 2.2 ahead of the trend, 1.1 years gained
    (11.0, "within_trend", 0.8, 0.4),
])
def test_classes_and_years_lost_of_a_falling_series(observed, expected, shortfall, years):
    r = setback(points({**DOWN, 2020: observed}), info("decrease", 5.0), OLS).iloc[0]
    assert expected == r["class"]
    assert shortfall == pytest.approx(r.shortfall)
    assert years == pytest.approx(r.years_lost)
    assert (8.7416, 11.6584) == pytest.approx((r.lower, r.upper), abs=1e-4)


def test_the_latest_year_decides_unless_asked_for_the_worst():
    # 12.5 in 2020 is a setback (above); 2022's projection is 16.2 - 10 = 6.2 and 6.2 was
    # observed: back on trend by then
    pts = points({**DOWN, 2020: 12.5, 2022: 6.2})
    latest = setback(pts, info("decrease"), OLS).iloc[0]
    worst = setback(pts, info("decrease"), CovidParameters(weights="equal",
                                                           compare="worst")).iloc[0]
    assert ("within_trend", 2022, 2) == (latest["class"], latest.year, latest.post_years)
    assert ("setback", 2020) == (worst["class"], worst.year)


def test_no_post_2019_data_and_too_short_a_trend_are_classes_of_their_own():
    pre_only = points(DOWN)
    short = points({2018: 3.0, 2019: 4.0, 2021: 1.0}, sub=1)
    rows = setback(pd.concat([pre_only, short]),
                   pd.concat([info("decrease"), info(sub=1)]), OLS)
    assert ["no_post_2019_data", "insufficient_trend_data"] == rows["class"].tolist()
    assert rows.years_lost.isna().all()  # neither is "no effect": nothing was measured


def test_years_lost_are_undefined_when_the_trend_made_no_progress():
    # 5, 5.3, 4.8, 5.2, 4.9: slope -0.3/10 = -0.03, the wrong way for "higher is better";
    # 2.0 in 2021 is far below the interval: a setback, but not in years of progress
    flat = {2015: 5.0, 2016: 5.3, 2017: 4.8, 2018: 5.2, 2019: 4.9, 2021: 2.0}
    r = setback(points(flat), info(), OLS).iloc[0]
    assert "setback" == r["class"]
    assert -0.03 == pytest.approx(r.pace)
    assert pd.isna(r.years_lost)


def test_parity_is_judged_by_the_distance_to_parity():
    # 0.80, 0.82, ... 0.88 towards a parity target of 1: slope 0.02, s² = 0 would make any
    # value "outside"; so small noise: 0.80, 0.825, 0.84, 0.855, 0.88 (slope 0.019,
    # fitted 0.802 ... 0.878); 2020: 0.897. 0.70 observed is further from 1: setback
    pts = points({2015: 0.80, 2016: 0.825, 2017: 0.84, 2018: 0.855, 2019: 0.88, 2020: 0.70})
    r = setback(pts, info("parity", 1.0), OLS).iloc[0]
    assert 0.019 == pytest.approx(r.slope)
    assert 0.897 == pytest.approx(r.projected)
    assert ("setback", 0.197) == (r["class"], pytest.approx(r.shortfall))


def test_summary_shares_are_of_the_series_with_a_trend():
    rows = pd.DataFrame({"unit": ["A"] * 5 + ["B"],
                         "class": ["setback", "setback", "ahead", "no_post_2019_data",
                                   "insufficient_trend_data", "within_trend"],
                         "years_lost": [1.0, 3.0, -1.0, None, None, 0.1]})
    s = summary(rows, ["unit"]).set_index("unit")
    # A: 5 series, 4 with a trend; 2 of 4 setbacks, median of 1 and 3 years = 2
    assert (5, 4, 0.5, 0.25, 0.25, 2.0) == tuple(s.loc["A", [
        "series", "with_trend", "share_setback", "share_ahead", "share_no_post_2019_data",
        "median_years_lost"]])
    assert pd.isna(s.loc["B", "median_years_lost"])  # no setback, no median


def test_the_command_on_the_real_slice(slice_store):
    from sdgtrack.cli import app

    slice_store.con.execute("CHECKPOINT")
    runner = CliRunner()
    res = runner.invoke(app, ["covid", "--group", "escap", "--format", "json",
                              "--db", str(slice_store.path)])
    assert 0 == res.exit_code, res.output
    doc = json.loads(res.output)
    region = doc["summary"][0]
    assert "escap" == region["unit"]
    rows = {(r["series_code"], r["selection"]): r for r in doc["series"]}
    assert sum(region[f"n_{c}"] for c in ("setback", "ahead", "within_trend",
               "no_post_2019_data", "insufficient_trend_data")) == region["series"]
    elec = rows[("EG_ACS_ELEC", "")]
    assert GOLDEN_ELEC == (elec["class"], elec["year"], round(elec["projected"], 3))
    csv = runner.invoke(app, ["covid", "--group", "escap", "--summary", "goal", "--format",
                              "csv", "--db", str(slice_store.path)])
    assert csv.output.startswith("unit,unit_name,unit_kind,goal,series,")


#: the region's access to electricity (mean of its countries, %): on its 2015-2019 trend in 2021
GOLDEN_ELEC = ("within_trend", 2021, 95.928)


def test_a_group_year_counts_when_half_its_countries_were_observed():
    # the assessment's group points carry how many countries were in the mean and how many
    # of them were observed that year: 2021 (1 of 4 observed, the rest held at their
    # last values) is not compared; 2020 (2 of 4) is
    pts = points({**DOWN, 2020: 12.5, 2021: 9.0}).assign(countries=4, observed=4)
    pts.loc[pts.year == 2020, "observed"] = 2
    pts.loc[pts.year == 2021, "observed"] = 1
    r = setback(pts, info("decrease"), OLS).iloc[0]
    assert (2020, "setback", 1) == (r.year, r["class"], r.post_years)


def test_a_trend_stops_at_the_series_natural_bound():
    """A 0-1 score at 0.3, 0.5, 0.7, 0.9, 1.0 in 2015-2019 (OLS: mean 0.68 in 2017, slope
    1.80 / 10 = 0.18) would be projected at 0.68 + 0.18 x 5 = 1.58 in 2022; its trend and
    interval stop at 1, so an observed 1.0 is within trend and 0.5 a setback of 1 - 0.5 =
    0.5, 0.5 / 0.18 = 2.78 years of progress."""
    pts = points({2015: 0.3, 2016: 0.5, 2017: 0.7, 2018: 0.9, 2019: 1.0, 2022: 1.0})
    bounded = info(target=1.0).assign(lower=0.0, upper=1.0)
    q = CovidParameters(weights="equal")
    r = setback(pts, bounded, q).iloc[0]
    assert 1.0 == r.projected == r.upper and "within_trend" == r["class"]
    low = points({2015: 0.3, 2016: 0.5, 2017: 0.7, 2018: 0.9, 2019: 1.0, 2022: 0.5})
    r = setback(low, bounded, q).iloc[0]
    assert "setback" == r["class"] and 0.5 == pytest.approx(r.shortfall)
    assert 0.5 / 0.18 == pytest.approx(r.years_lost)
    free = setback(low, info(target=1.0), q).iloc[0]  # unbounded, the line runs on
    assert 1.58 == pytest.approx(free.projected)
