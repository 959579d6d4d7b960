"""Interlinkages (issue 16): Spearman's ρ by hand, orientation, the threshold, the goal x goal
counts, and the method on the real slice of the 2023 extract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sdgtrack.assess.correlate import pairwise_spearman, t_test_p
from sdgtrack.assess.links import LinkParameters, classify, indicator_pairs
from sdgtrack.assess.links_goals import goal_pairs, goal_summary, group_goal_pairs

SUBS = pd.DataFrame({  # three series: two in goal 3 (one lower-is-better), one in goal 7
    "sub_id": [0, 1, 2], "series_code": ["SH_DYN_MORT", "SH_X", "EG_ELC_ACCS"],
    "selection": ["", "", ""], "goal": [3, 3, 7],
    "direction": ["decrease", "increase", "increase"], "target_value": [25.0, 1.0, 100.0]})


def _values(unit: str, years: list[int], **series: list[float]) -> pd.DataFrame:
    rows = [(unit, int(sub[1:]), y, v) for sub, vs in series.items()
            for y, v in zip(years, vs, strict=True) if v == v]
    return pd.DataFrame(rows, columns=["unit", "sub_id", "year", "value"])


def test_spearman_with_ties_on_a_five_year_pair():
    # 2015-2019: x = 1, 2, 2, 3, 5 -> ranks 1, 2.5, 2.5, 4, 5 (the two 2s share 2 and 3)
    #            y = 10, 20, 40, 40, 40 -> ranks 1, 2, 4, 4, 4 (the three 40s share 3, 4, 5)
    # both mean 3; deviations x: -2, -0.5, -0.5, 1, 2 and y: -2, -1, 1, 1, 1
    # sum xy = 4 + 0.5 - 0.5 + 1 + 2 = 7; sum x^2 = 4 + .25 + .25 + 1 + 4 = 9.5;
    # sum y^2 = 4 + 1 + 1 + 1 + 1 = 8; rho = 7 / sqrt(9.5 * 8) = 7 / 8.7178 = 0.80296
    v = _values("X", [2015, 2016, 2017, 2018, 2019], s1=[1, 2, 2, 3, 5],
                s2=[10, 20, 40, 40, 40])
    pairs = indicator_pairs(v, SUBS, LinkParameters(min_years=5))
    row = pairs.iloc[0]
    assert (1, 2, 5, 2015, 2019) == (row.sub_a, row.sub_b, row.years, row.first_year,
                                     row.last_year)
    assert 0.80296 == pytest.approx(row.rho, abs=1e-5)
    # t = 0.80296 * sqrt(3 / (1 - 0.64475)) = 2.3334 on 3 degrees of freedom: p = 0.1018
    assert 0.1018 == pytest.approx(row.p_value, abs=1e-4)
    assert "not_classified" == row["class"]  # strong, but not significant on 5 years
    # with the default 8 years, five are not enough: no rho shown, never "no interaction"
    default = indicator_pairs(v, SUBS).iloc[0]
    assert ("insufficient_data", True) == (default["class"], np.isnan(default.rho))


def test_a_lower_is_better_series_is_turned_so_that_up_is_progress():
    years = list(range(2010, 2018))  # 8 years
    mortality = [80, 75, 70, 66, 60, 55, 50, 45]  # falling: progress
    electricity = [50, 55, 60, 62, 70, 75, 80, 90]  # rising: progress
    v = _values("X", years, s0=mortality, s2=electricity)
    row = indicator_pairs(v, SUBS).iloc[0]
    # raw values fall while the other rises (rho = -1); turned, both rise: rho = +1, p = 0
    assert (3, 7, 1.0, 0.0, "synergy") == (row.goal_a, row.goal_b, row.rho, row.p_value,
                                           row["class"])
    assert -1.0 == pairwise_spearman(np.array([mortality, electricity], float).T)[0][0, 1]


def test_classification_at_the_threshold_and_the_minimum_years():
    p = LinkParameters()  # threshold 0.6, alpha 0.05, 8 years
    rho = np.array([0.6, 0.6000001, -0.6, -0.6000001, 0.7, 0.9, 0.9])
    pval = np.array([0.001, 0.001, 0.001, 0.001, 0.06, 0.001, 0.001])
    years = np.array([12, 12, 12, 12, 12, 8, 7])
    assert ["not_classified", "synergy", "not_classified", "trade_off",  # at / past 0.6
            "not_classified",  # past 0.6, p = 0.06: not significant at 0.05
            "synergy", "insufficient_data",  # 8 years is enough, 7 is not
            ] == classify(rho, pval, years, p).tolist()


def test_p_values_match_the_t_table():
    # two-sided 5 % critical t: 2.306 on 8 df, 2.228 on 10, 12.706 on 1; rho = t/sqrt(df+t^2)
    # and t = 2 on 7 df: 0.08562 (the density integrated numerically, 200,000 steps)
    for t, df in ((2.306, 8), (2.228, 10), (12.706, 1), (2.0, 7)):
        rho = t / np.sqrt(df + t * t)
        p = t_test_p(np.array([rho]), np.array([df + 2]))[0]
        assert (0.08562 if df == 7 else 0.05) == pytest.approx(p, abs=2e-5), (t, df)


def test_pairwise_complete_spearman_agrees_with_pandas():
    rng = np.random.default_rng(16)
    y = rng.normal(size=(24, 30)).cumsum(axis=0)
    y[rng.random(y.shape) < 0.3] = np.nan
    y[:, 3] = np.round(y[:, 3])  # ties
    rho, n = pairwise_spearman(y)
    frame = pd.DataFrame(y)
    expected = frame.corr(method="spearman", min_periods=2).to_numpy().copy()
    np.fill_diagonal(expected, 1.0)
    np.testing.assert_allclose(expected, np.where(np.isnan(rho), expected, rho), atol=1e-12)
    assert np.isnan(rho).sum() == np.isnan(expected).sum()
    assert (frame.notna().astype(int).T @ frame.notna().astype(int)).to_numpy().tolist() == (
        n.tolist())


def test_goal_by_goal_counts_pairs_and_a_group_counts_countries():
    pairs = pd.DataFrame({
        "unit": ["A"] * 4 + ["B"] * 3,
        "goal_a": [3, 3, 3, 3, 3, 3, 3], "goal_b": [7, 7, 7, 3, 7, 7, 7],
        "class": ["synergy", "synergy", "trade_off", "not_classified",
                  "trade_off", "trade_off", "insufficient_data"]})
    goals = goal_pairs(pairs)
    a37 = goals[(goals.unit == "A") & (goals.goal_b == 7)].iloc[0]
    # A, goals 3-7: 2 synergies and 1 trade-off of 3 pairs with data
    assert (2, 1, 3, 2 / 3, "synergy") == (a37.synergy, a37.trade_off, a37.with_data,
                                           a37.share_synergy, a37.dominant)
    b37 = goals[(goals.unit == "B") & (goals.goal_b == 7)].iloc[0]
    assert (2, 1, 1.0, "trade_off") == (b37.trade_off, b37.insufficient_data,
                                        b37.share_trade_off, b37.dominant)
    members = pd.DataFrame({"unit": "G", "ref_area": ["A", "B", "C"]})
    g = group_goal_pairs(goals, members)
    g37 = g[g.goal_b == 7].iloc[0]
    # of 3 countries: A synergy, B trade-off, C has no data -> shares 1/2 and 1/2 of 2
    assert (1, 1, 1, 2, 0.5, "not_classified", "countries") == (
        g37.synergy, g37.trade_off, g37.insufficient_data, g37.with_data, g37.share_synergy,
        g37.dominant, g37.counted)
    # within goal 3 only A has a pair (not classified); B and C count as no data
    g33 = g[g.goal_b == 3].iloc[0]
    assert (1, 2) == (g33.not_classified, g33.insufficient_data)
    s = goal_summary(goals)
    a3 = s[(s.unit == "A") & (s.goal == 3)].iloc[0]
    # goal 3 in A: 3-3 (1 not classified) and 3-7 (2 synergies, 1 trade-off): 4 with data
    assert (2, 1, 1, 4, 7, 7) == (a3.synergy, a3.trade_off, a3.not_classified, a3.with_data,
                                  a3.top_synergy, a3.top_trade_off)


def test_bad_parameters_are_refused_with_the_fix():
    from sdgtrack.errors import UsageError

    with pytest.raises(UsageError, match="at least 3 common years"):
        LinkParameters(min_years=2).check()
    with pytest.raises(UsageError, match="threshold is 1.5"):
        LinkParameters(threshold=1.5).check()


def test_pairs_on_real_data_trace_to_the_store(slice_store):
    """Kazakhstan, goals 5 and 7 of the December 2023 extract: a pair's rho is the one
    pandas computes from the store's own rows, read by SQL (electricity access, 7.1.1, the
    2023 code of the 2020 EG_ELC_ACCS, and clean cooking fuels, 7.1.2: 22 common years)."""
    from sdgtrack.assess import country_unit, load_spec
    from sdgtrack.assess.links_run import compute_links

    links = compute_links(slice_store.table("observations_current"), load_spec(),
                          [country_unit("KAZ")])
    pairs = links.pairs
    assert {5, 7} == set(pairs.goal_a) | set(pairs.goal_b)
    assert (pairs.years[pairs["class"] != "insufficient_data"] >= 8).all()
    pair = pairs[(pairs.series_a == "EG_ACS_ELEC") & (pairs.series_b == "EG_EGY_CLEAN")]
    assert 1 == len(pair)
    raw = slice_store.con.execute(
        "select series_code, time_period, value from observations_current where ref_area = "
        "'398' and series_code in ('EG_ACS_ELEC', 'EG_EGY_CLEAN') and value is not null "
        "and urbanisation = '_T'").df()
    wide = raw.pivot_table(index="time_period", columns="series_code", values="value")
    wide = wide[wide.index >= 2000].dropna()
    expected = wide.corr(method="spearman").loc["EG_ACS_ELEC", "EG_EGY_CLEAN"]
    assert (22, len(wide), pytest.approx(expected, abs=1e-12)) == (
        int(pair.years.iloc[0]), len(wide), pair.rho.iloc[0])
    assert 0.6621 == pytest.approx(expected, abs=1e-4)  # a synergy on Kazakhstan's data
    assert "synergy" == pair["class"].iloc[0]
    # the goal table counts exactly these pairs
    g = links.goals[(links.goals.goal_a == 7) & (links.goals.goal_b == 7)].iloc[0]
    within = pairs[(pairs.goal_a == 7) & (pairs.goal_b == 7)]["class"].value_counts()
    assert within.get("synergy", 0) == g.synergy and len(
        pairs[(pairs.goal_a == 7) & (pairs.goal_b == 7)]) == g.with_data + g.insufficient_data


def test_a_link_table_is_read_checked_and_set_against_the_data(tmp_path):
    from sdgtrack.assess.links_table import compare_links, read_link_table
    from sdgtrack.errors import DataError

    good = tmp_path / "links.csv"
    good.write_text("target_a,target_b,score\n3.2,7.1,2\n7.1, 3.2 ,-1\n3.2,3.9,0\n")
    table = read_link_table(good, {"3.2", "7.1", "3.9"})
    subs = pd.DataFrame({"sub_id": [0, 1, 2], "target": ["3.2", "3.2", "7.1"]})
    # between 3.2 and 7.1: two synergies and a pair with too few years
    pairs = pd.DataFrame({"sub_a": [0, 1, 0], "sub_b": [2, 2, 1],
                          "class": ["synergy", "synergy", "insufficient_data"]})
    got = compare_links(table, pairs, subs)
    assert [("synergy", 2, 0, "agrees"), ("synergy", 2, 0, "disagrees"),
            ("insufficient_data", 0, 0, "not enough data")] == list(zip(
                got.data_say, got.synergy, got.not_classified, got.agreement, strict=True))
    bad = tmp_path / "bad.csv"
    bad.write_text("target_a,target_b,score\n3.2,7.1,strong\n3.2,18.1,1\n")
    with pytest.raises(DataError) as refused:
        read_link_table(bad, {"3.2", "7.1"})
    # every problem at once, each naming the row, the column and the fix
    assert [(2, "score"), (3, "target_b")] == [(i.row, i.column) for i in refused.value.issues]
    assert "e.g. 6.1 or 17.a" in refused.value.issues[1].hint
    with pytest.raises(DataError, match="needs target_a,target_b,score"):
        (tmp_path / "cols.csv").write_text("from,to,score\n3.2,7.1,1\n")
        read_link_table(tmp_path / "cols.csv", {"3.2"})


def test_a_country_alone_has_the_pairs_it_has_in_its_group(slice_store):
    from sdgtrack.assess import country_unit, group_unit, load_spec
    from sdgtrack.assess.links_run import compute_links

    obs = slice_store.table("observations_current")
    alone = compute_links(obs, load_spec(), [country_unit("KAZ")]).pairs
    grouped = compute_links(obs, load_spec(), [group_unit("escap_nca")]).pairs
    pd.testing.assert_frame_equal(alone, grouped[grouped.unit == "398"].reset_index(drop=True))
    assert len(alone) > 0
