"""Gaps between population groups from published disaggregations: hand-computed rules and
real values from the bundled UN extract."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from sdgtrack.api import lnob_gaps
from sdgtrack.assess import load_spec
from sdgtrack.cli import app
from sdgtrack.lnob import gaps as g


def _pairs(**columns):
    base = {"series_code": "S", "ref_area": "1", "dimension": "sex", "group": "F",
            "reference": "M", "label": "female / male"}
    return pd.DataFrame({**base, **columns})


def test_gap_ratio_and_who_is_behind_by_hand():
    t = _pairs(series_code=["UP", "DOWN", "UP", "NEW"], time_period=2020,
               value_group=[60.0, 12.0, 99.0, 5.0], value_reference=[80.0, 10.0, 100.0, 4.0])
    out = g.gaps(t, {"UP": "increase", "DOWN": "decrease"})
    # 60 vs 80, to increase: gap -20, ratio 0.75, F behind, by 20
    # 12 vs 10, to decrease: gap 2, ratio 1.2, F behind (more of a bad thing), by 2
    # 99 vs 100: ratio 0.99, within 0.03 of 1: parity, no disadvantage
    # no direction known: no one is called behind
    assert [-20.0, 2.0, -1.0, 1.0] == out.gap.tolist()
    assert [0.75, 1.2, 0.99, 1.25] == out.ratio.round(4).tolist()
    assert ["F", "F", "parity"] == out.furthest_behind.tolist()[:3]
    assert pd.isna(out.furthest_behind.iloc[3])
    assert [20.0, 2.0, 0.0, 0.0] == out.disadvantage.tolist()


def test_trend_statuses_by_hand():
    gap = [-20.0, -10.0, -10.0, -16.0, -10.0, -10.2, -8.0, 6.0]
    t = _pairs(ref_area=["A", "A", "B", "B", "C", "C", "D", "D"],
               time_period=[2010, 2020] * 4, gap=gap, value_group=[70.0 + x for x in gap],
               value_reference=[70.0] * 8, furthest_behind="F")
    out = g.gap_trends(t).set_index("ref_area")
    # A: |gap| 20 -> 10, change -10 beyond 0.05 x 70 = 3.5: narrowing, -1.0 a year
    # B: 10 -> 16: widening, +0.6 a year; C: 10 -> 10.2, within 3.5: stable
    # D: -8 -> +6: the other group is now behind, by 6 >= 3.5: reversed
    assert ["narrowing", "widening", "stable", "reversed"] == out.status[list("ABCD")].tolist()
    assert [-1.0, 0.6] == out.change_per_year[["A", "B"]].round(4).tolist()


@pytest.fixture(scope="module")
def escap_gaps(store_2020):
    """The gaps of the October 2020 vintage, on which the values below were worked out."""

    result = lnob_gaps(store_2020, group="escap")
    return result.gaps, result.trends


def test_india_neet_from_the_store(escap_gaps):
    table, trends = escap_gaps
    row = g.latest_gaps(table).query("ref_area == '356' and series_code == 'SL_TLF_NEET'")
    row = row[row.dimension == "sex"].iloc[0]
    # UN extract, India, youth NEET 2018: female 48.3 %, male 14.3 %: ratio 3.3776, and
    # NEET is to decrease, so young women are furthest behind
    assert (2018, 48.3, 14.3) == (row.time_period, row.value_group, row.value_reference)
    assert 3.3776 == round(row.ratio, 4)
    assert "F" == row.furthest_behind
    t = trends.query("ref_area == '356' and series_code == 'SL_TLF_NEET'").iloc[0]
    # 2000: 56.4 - 9.9 = 46.5; 2018: 34.0; (34.0 - 46.5)/18 = -0.6944 a year: narrowing,
    # though partly because young men's NEET rate rose (9.9 -> 14.3)
    assert (2000, 2018, "narrowing") == (t.first_year, t.last_year, t.status)
    assert -0.6944 == round(t.change_per_year, 4)
    assert (9.9, 14.3) == (t.reference_first, t.reference_last)


def test_afghanistan_rural_water_gap_widened(escap_gaps):
    _, trends = escap_gaps
    t = trends.query("ref_area == '4' and series_code == 'SP_ACS_BSRVH2O'").iloc[0]
    # rural 21.61913 vs urban 49.48745 in 2000 (gap 27.86832); 57.32129 vs 95.90874 in 2017
    # (gap 38.58745): |gap| +10.71913 over 17 years = +0.6305 a year
    assert ("widening", 0.6305) == (t.status, round(t.change_per_year, 4))


def test_regional_summary_golden(escap_gaps):
    table, trends = escap_gaps
    s = g.dimension_summary(table, trends).set_index(["dimension", "series_code"])
    neet = s.loc[("sex", "SL_TLF_NEET")]
    # across 39 ESCAP members with both sexes, young women are behind in 37
    assert (39, 37, 0, 2) == (neet.areas, neet.group_behind, neet.reference_behind,
                              neet.at_parity)
    assert 1.7235 == round(neet.median_ratio, 4)
    # counts, money and parity indices are not compared
    assert not {"SH_DYN_IMRTN", "SE_GPI_PART", "SL_EMP_AEARN"} & set(table.series_code)


def test_directions_come_from_the_spec_then_the_lnob_table():
    d = g.directions(load_spec())
    assert "decrease" == d["SI_POV_DAY1"]  # the ESCAP specification
    assert "decrease" == d["SL_TLF_NEET"]  # lnob/data/directions.csv


def test_cli_gaps_json(bundled_store):
    result = CliRunner().invoke(app, ["lnob", "gaps", "--db", str(bundled_store.path),
                                      "--area", "IND", "--dimension", "sex",
                                      "--format", "json"])
    assert 0 == result.exit_code, result.output
    rows = json.loads(result.output)
    assert {"sex"} == {r["dimension"] for r in rows}
    neet = next(r for r in rows if r["series_code"] == "SL_TLF_NEET")
    # the 2023 vintage, India, youth NEET 2020 (its latest year): female 45.67 %, male 17.65 %
    assert (2020, 45.67, 17.65) == (neet["time_period"], neet["value_group"],
                                    neet["value_reference"])


def test_cli_unknown_dimension_is_a_usage_error(bundled_store):
    result = CliRunner().invoke(app, ["lnob", "gaps", "--db", str(bundled_store.path),
                                      "--dimension", "colour"])
    assert 2 == result.exit_code
    assert "Unknown dimension(s) colour" in result.output


def test_cli_gaps_table_names_areas_and_puts_the_largest_gap_first(bundled_store):
    """``lnob gaps --format table`` for a person: names beside M49 codes, the largest gap
    (|1 - ratio|) first, not codes sorted as text (104, 116, ... 36, 360). The expected
    first row is found in the JSON output of the same command."""
    args = ["lnob", "gaps", "--db", str(bundled_store.path), "--group", "escap",
            "--series", "SL_TLF_NEET", "--dimension", "sex"]
    rows = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).output)
    biggest = max(rows, key=lambda r: abs(1 - r["ratio"]))
    result = CliRunner(env={"COLUMNS": "250"}).invoke(app, [*args, "--format", "table"])
    assert 0 == result.exit_code, result.output
    lines = result.output.splitlines()
    assert "area_name" in lines[1]  # the header
    first = [cell.strip() for cell in lines[3].split("│")[1:3]]
    # Bangladesh 2017: young women 44.55 %, men 9.81 % NEET, ratio 4.54, the largest gap
    assert [biggest["ref_area"], "Bangladesh"] == first
