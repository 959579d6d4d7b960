"""The assessment engine on small made-up observation tables, every number by hand."""

import ibis
import pandas as pd
import pytest

from sdgtrack.assess import EscapParameters, compute, country_unit, custom_group
from sdgtrack.assess.spec import load_spec
from sdgtrack.model import DIMENSION_NAMES

SPEC = """\
series_code,selection,indicator,target,goal,direction,target_rule,target_value,target_factor,\
citation,note
TEST_A,,3.2.1,3.2,3,decrease,value,25,,test,
TEST_B,,7.1.1,7.1,7,increase,value,100,,test,
TEST_C,,8.1.1,8.1,8,increase,value,7,,test,
TEST_D,,6.1.1,6.1,6,increase,value,100,,test,
TEST_E,,5.5.1,5.5,5,increase,value,50,,test,
TEST_E,sex=F,5.5.1,5.5,5,increase,value,50,,test,
TEST_H,,1.2.1,1.2,1,decrease,relative,,0.5,test,
"""

ROWS = [
    # series, area, year, value, sex
    ("TEST_A", "4", 2015, 80.0, "_T"), ("TEST_A", "4", 2019, 40.0, "_T"),
    ("TEST_A", "50", 2015, 60.0, "_T"), ("TEST_A", "50", 2017, 50.0, "_T"),
    ("TEST_A", "50", 2019, 40.0, "_T"),
    ("TEST_A", "64", 2019, 30.0, "_T"),  # a single point: not usable, but in the 2019 mean
    ("TEST_B", "4", 2015, 0.0, "_T"), ("TEST_B", "4", 2019, 20.0, "_T"),  # zero baseline
    ("TEST_C", "50", 2015, -2.0, "_T"), ("TEST_C", "50", 2019, 3.0, "_T"),  # negative values
    ("TEST_D", "64", 2015, 100.0, "_T"), ("TEST_D", "64", 2019, 100.0, "_T"),  # met at base
    ("TEST_E", "4", 2015, 20.0, "F"), ("TEST_E", "4", 2019, 30.0, "F"),  # no total
    ("TEST_E", "4", 2015, 80.0, "M"), ("TEST_E", "4", 2019, 70.0, "M"),
    ("TEST_H", "4", 2016, 40.0, "_T"), ("TEST_H", "4", 2018, 30.0, "_T"),  # baseline 2016
]


@pytest.fixture(scope="module")
def obs():
    frame = pd.DataFrame(ROWS, columns=["series_code", "ref_area", "time_period", "value",
                                        "sex"])
    for dim in DIMENSION_NAMES:
        if dim not in frame:
            frame[dim] = "G" if dim == "reporting_type" else "_T"
    frame["time_period"] = frame.time_period.astype("int32")
    frame["load_id"] = 1
    frame["source_file"] = "made-up.csv"
    frame["source_row"] = range(2, len(frame) + 2)
    return ibis.memtable(frame)


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "spec.csv"
    path.write_text(SPEC)
    return load_spec(base=path)


@pytest.fixture(scope="module")
def result(obs, spec):
    units = [custom_group("g3", "three", ["4", "50", "64"]), country_unit("4"),
             country_unit("50"), country_unit("64")]
    return compute(obs, spec, units, EscapParameters())


def _row(result, unit, series, selection=""):
    s = result.subindicators
    (row,) = s[(s.unit == unit) & (s.series_code == series)
               & (s.selection == selection)].to_dict("records")
    return row


def test_group_value_is_the_mean_of_gap_filled_country_values(result):
    a = _row(result, "g3", "TEST_A")
    # 2015: mean(80, 60) = 70; 2019: mean(40, 40, 30) = 36.667 (Bhutan's single point counts
    # in the mean; 2016 and 2018 are dropped: no country observed in those years)
    assert (2015, 70.0, 2019) == (a["t0"], a["x0"], a["tc"])
    assert 110 / 3 == pytest.approx(a["xc"])
    assert (2, 3) == (a["usable_countries"], a["members"])  # Bhutan has 1 point: 2/3 > 0.5
    # CS = (70 - 36.667)/(70 - 25) = 33.333/45 = 0.7407
    assert 0.7407 == pytest.approx(a["current_status"], abs=1e-4)
    pts = result.points[(result.points.unit == "g3") & (result.points.sub_id == a["sub_id"])]
    # 2017: Afghanistan interpolated 60 (80 -> 40 over 4 years), Bangladesh observed 50,
    # Bhutan's 2019 value held back up to 3 years: (60 + 50 + 30)/3 = 46.667
    assert [2015, 2017, 2019] == pts.year.tolist()
    assert 140 / 3 == pytest.approx(pts.value.tolist()[1])


def test_time_weighted_regression_on_the_group_series(result):
    a = _row(result, "g3", "TEST_A")
    # points t = 15, 17, 19 (years since 2000), x = 70, 140/3, 110/3, weights 1, 3, 5
    # sw = 9, swt = 161, swx = 70 + 140 + 550/3 = 393.333, swtt = 2897,
    # swtx = 1050 + 2380 + 3483.333 = 6913.333
    # slope = (9 * 6913.333 - 161 * 393.333) / (9 * 2897 - 161^2) = -1106.667 / 152 = -7.2807
    assert -1106.6667 / 152 == pytest.approx(a["slope"], rel=1e-6)
    # projected 2030 far below 25: anticipated progress capped at 1 -> maintain
    assert (1.0, "maintain") == (a["anticipated_progress"], a["class"])


def test_without_holding_values_bhutan_drops_out_of_2017(obs, spec):
    units = [custom_group("g3", "three", ["4", "50", "64"])]
    r = compute(obs, spec, units, EscapParameters(extrapolate_years=0))
    a = _row(r, "g3", "TEST_A")
    pts = r.points[(r.points.unit == "g3") & (r.points.sub_id == a["sub_id"])]
    assert 55.0 == pts.value.tolist()[1]  # (60 + 50)/2
    # x = 70, 55, 110/3: swx = 70 + 165 + 183.333 = 418.333,
    # swtx = 1050 + 2805 + 3483.333 = 7338.333, slope = -1306.667/152 = -8.5965
    assert -1306.6667 / 152 == pytest.approx(a["slope"], rel=1e-6)


def test_zero_baseline_negative_values_and_target_met_at_baseline(result):
    b = _row(result, "4", "TEST_B")
    assert 0.2 == pytest.approx(b["current_status"])  # (20 - 0)/(100 - 0)
    c = _row(result, "50", "TEST_C")
    assert 5 / 9 == pytest.approx(c["current_status"])  # (3 - -2)/(7 - -2)
    d = _row(result, "64", "TEST_D")
    assert (1.0, 1.0, "maintain") == (d["current_status"], d["anticipated_progress"],
                                      d["class"])


def test_single_data_point_is_not_assessed(result):
    a = _row(result, "64", "TEST_A")
    assert not a["assessed"]
    assert "1+" not in a["reason"] and "2+ points" in a["reason"]


def test_series_without_total_needs_a_selection(result):
    headline = _row(result, "4", "TEST_E")
    assert (False, "no observations for this series and breakdown") == (
        headline["assessed"], headline["reason"])
    women = _row(result, "4", "TEST_E", "sex=F")
    assert 0.3333 == pytest.approx(women["current_status"], abs=1e-4)  # (30 - 20)/(50 - 20)


def test_relative_target_and_baseline_after_the_baseline_year(result):
    h = _row(result, "4", "TEST_H")
    # no 2015 value: 2016 is the closest later year (within 3); halve it: x* = 20
    assert (2016, 40.0, 20.0) == (h["t0"], h["x0"], h["target_level"])
    assert 0.5 == pytest.approx(h["current_status"])  # (40 - 30)/(40 - 20)
    # 2030 on the line through (2016, 40), (2018, 30): -5/yr -> far below 20 -> maintain
    assert 2020 == h["year_reached"]  # 30 - 5*2 = 20 in 2020


def test_goal_and_target_levels(result):
    snap = result.snapshot.set_index(["unit", "goal"])
    assert 0.2 == pytest.approx(snap.loc[("4", 7), "current_status_index"])
    assert "insufficient_data" == snap.loc[("4", 2), "status"]
    dash = result.dashboard.set_index(["unit", "target"])
    assert "maintain" == dash.loc[("64", "6.1"), "class"]
    assert "insufficient_data" == dash.loc[("64", "6.2"), "class"]
    assert 169 * 4 == len(result.dashboard)  # every target, for every unit


def test_median_instead_of_mean(obs, spec):
    units = [custom_group("g3", "three", ["4", "50", "64"])]
    r = compute(obs, spec, units, EscapParameters(aggregate="median"))
    a = _row(r, "g3", "TEST_A")
    assert 40.0 == a["xc"]  # median(40, 40, 30)


STAND_IN_SPEC = """\
series_code,selection,indicator,target,goal,direction,target_rule,target_value,target_factor,\
citation,note,also_indicators,stand_in
GHG,,13.2.2,13.2,13,decrease,relative,,0.57,test,,,
CO2,,13.2.2,13.2,13,decrease,relative,,0.52,test,,,yes
"""


def test_a_stand_in_counts_only_where_its_indicator_has_no_other_series(tmp_path):
    """Greenhouse gases for area 4, only CO2 for area 50: CO2 stands in for 13.2.2 in 50
    and is set aside in 4, with the reason; a group counts it only if its own GHG fails."""
    rows = [("GHG", "4", 2015, 100.0), ("GHG", "4", 2019, 90.0),
            ("CO2", "4", 2015, 80.0), ("CO2", "4", 2019, 70.0),
            ("CO2", "50", 2015, 10.0), ("CO2", "50", 2019, 12.0)]
    frame = pd.DataFrame(rows, columns=["series_code", "ref_area", "time_period", "value"])
    for dim in DIMENSION_NAMES:
        frame[dim] = "G" if dim == "reporting_type" else "_T"
    frame["time_period"] = frame.time_period.astype("int32")
    frame["load_id"], frame["source_file"], frame["unit_measure"] = 1, "made-up.csv", "MT"
    frame["source_row"] = range(2, len(frame) + 2)
    (tmp_path / "spec.csv").write_text(STAND_IN_SPEC)
    got = compute(ibis.memtable(frame), load_spec(base=tmp_path / "spec.csv"),
                  [country_unit("4"), country_unit("50")], EscapParameters())
    own, spare = _row(got, "4", "GHG"), _row(got, "4", "CO2")
    assert own["assessed"] and not spare["assessed"]
    assert "a stand-in, not needed" in spare["reason"] and "13.2.2" in spare["reason"]
    # GHG of area 4: target 0.57 * 100 = 57; CS = (100 - 90) / (100 - 57) = 10 / 43 = 0.2326
    assert 57.0 == pytest.approx(own["target_level"])
    assert 10 / 43 == pytest.approx(own["current_status"])
    used = _row(got, "50", "CO2")
    # CO2 of area 50: target 0.52 * 10 = 5.2; CS = -(12 - 10) / (10 - 5.2) = -0.4167
    assert used["assessed"] and 5.2 == pytest.approx(used["target_level"])
    assert -2 / 4.8 == pytest.approx(used["current_status"])
    snap = got.snapshot.set_index(["unit", "goal"])
    assert 1 == snap.loc[("4", 13), "indicators_used"] == snap.loc[("50", 13), "indicators_used"]
    assert 10 / 43 == pytest.approx(snap.loc[("4", 13), "current_status_index"])
