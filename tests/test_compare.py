"""ESCAP, the UNSD Progress Chart and the SDSN arrow side by side (assess/compare.py)."""

import json

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from sdgtrack.assess import EscapParameters
from sdgtrack.assess.compare import UNSD_CUTS, endpoint_ratio, side_by_side, verdict
from sdgtrack.cli import app


def _subs(**columns):
    n = len(columns["x0"])
    base = {"unit": ["524"] * n, "indicator": ["3.2.1"] * n, "series_code": ["S"] * n,
            "selection": [""] * n, "assessed": [True] * n, "t0": [2015] * n,
            "tc": [2022] * n, "direction": ["decrease"] * n}
    return pd.DataFrame(base | columns)


def test_the_progress_chart_example_of_its_technical_note():
    # METHODS §4.1: x_2015 = 50, x_2022 = 40, x* = 25. CR_a = 0.8^(1/7) - 1 = -0.031373,
    # CR_r = 0.5^(1/15) - 1 = -0.045158, ratio = 0.69477: "fair progress, acceleration
    # needed" (METHODS rounds it to 0.695)
    s = lambda v: pd.Series([float(v)])  # noqa: E731
    ratio = endpoint_ratio(s(50), s(2015), s(40), s(2022), s(25), "compound",
                           EscapParameters())
    assert 0.6948 == round(float(ratio[0]), 4)
    no = np.zeros(1, bool)
    assert ["acceleration_needed"] == verdict(ratio, no, no, UNSD_CUTS).tolist()


def test_three_rules_on_three_series_and_what_decides_each_difference():
    subs = _subs(
        # 1: 50 -> 40 by 2022, x* 25 (decrease). Linear: (-10/7)/(-25/15) = 0.857; compound
        #    0.695 (above); ESCAP's index 0.9 (a steeper regression): all "acceleration".
        # 2: 50 -> 30: linear (-20/7)/(-25/15) = 1.714, compound (0.6^(1/7)-1)/(-0.045158) =
        #    -0.070376/-0.045158 = 1.558: on track for UNSD and SDSN; ESCAP's index 0.6 (its
        #    regression over every year is flatter), so the trend decides.
        # 3: 50 -> 51: linear (1/7)/(-25/15) = -0.0857; compound (1.02^(1/7)-1)/(-0.04516)
        #    = 0.002833/-0.04516 = -0.0627: SDSN regressing (below 0), UNSD acceleration
        #    (above -0.1): the cut-points decide; ESCAP's index -0.3: regressing.
        x0=[50.0, 50.0, 50.0], xc=[40.0, 30.0, 51.0], target_level=[25.0] * 3,
        anticipated_progress=[0.9, 0.6, -0.3],
        **{"class": ["accelerate", "accelerate", "reverse"]})
    t = side_by_side(subs)
    assert [0.857, 1.714, -0.086] == t.sdsn_ratio.round(3).tolist()
    assert [0.695, 1.558, -0.063] == t.unsd_ratio.round(3).tolist()
    assert [["acceleration_needed"] * 3, ["acceleration_needed", "on_track", "on_track"],
            ["regressing", "acceleration_needed", "regressing"]] == t[
        ["escap", "unsd", "sdsn"]].to_numpy().tolist()
    assert [True, False, False] == t.agree.tolist()
    assert t.escap_vs_unsd[1].startswith("the trend")
    assert t.unsd_vs_sdsn[2].startswith("the cut-points")
    assert pd.isna(t.escap_vs_unsd[0]) and pd.isna(t.escap_vs_sdsn[2])  # they agree


def test_a_series_past_its_target_at_baseline_that_fell_back_is_regressing():
    # CO2 per GDP, lower is better: 0.063 at baseline under the target 0.0858, now 0.11 over
    # it. Growth "required" is upward, so the ratios are positive (5.7): meaningless. Every
    # rule reads it as fallen back.
    subs = _subs(x0=[0.063], xc=[0.11], target_level=[0.0858], anticipated_progress=[-1.0],
                 **{"class": ["reverse"]})
    t = side_by_side(subs)
    assert ["regressing"] * 3 == t[["escap", "unsd", "sdsn"]].iloc[0].tolist()


def test_methods_command_on_nepal(bundled_store):
    result = CliRunner().invoke(app, ["methods", "--area", "NPL", "--format", "json",
                                      "--db", str(bundled_store.path)])
    assert 0 == result.exit_code, result.output
    rows = json.loads(result.stdout)
    assert len(rows) > 60 and {"escap", "unsd", "sdsn", "escap_vs_unsd"} <= set(rows[0])
    agree = [r for r in rows if r["agree"]]
    assert len(agree) > len(rows) / 2  # the rules agree on most series
    # every disagreement is explained, by one of the three components or several together
    for r in rows:
        for pair in ("escap_vs_unsd", "escap_vs_sdsn", "unsd_vs_sdsn"):
            first, second = pair.split("_vs_")
            assert (r[pair] is None) == (r[first] == r[second]), (pair, r)
            assert r[pair] is None or r[pair].split(":")[0] in {
                "the trend", "the growth form", "the cut-points", "several components together"}
    summary = CliRunner().invoke(app, ["methods", "--area", "NPL", "--table", "summary",
                                       "--format", "csv", "--db", str(bundled_store.path)])
    assert 0 == summary.exit_code and summary.stdout.startswith(
        "pair,compared,disagree,decided_by,rows")


def test_the_country_page_and_the_vnr_annex_show_the_three_methods(slice_store):
    """Nepal's page (JSON twin) and VNR annex carry what `sdgtrack methods` says (on the
    slice of goals 5 and 7: the whole extract adds nothing to what is checked here)."""
    from io import BytesIO

    from openpyxl import load_workbook

    from sdgtrack import api
    from sdgtrack.publish.report import vnr_annex
    from sdgtrack.publish.site import router
    from sdgtrack.publish.site.data import SiteData

    d = SiteData(slice_store)
    page = router.build(d, router.parse("en/area/NPL.json"), {})
    section = page["methods"]
    table = api.compare_methods(slice_store, area="NPL").table
    assert len(table) >= 5  # goals 5 and 7: women in parliament, electricity, clean fuels ...
    assert (len(table), int(table.agree.sum())) == (section["compared"], section["agree"])
    assert len(section["disagreements"]) == int((~table.agree).sum())
    first = section["pairs"][0]
    assert first["disagree"] == int(table.escap_vs_unsd.notna().sum())
    assert first["disagree"] == sum(b["series"] for b in first["by"])
    book = load_workbook(BytesIO(vnr_annex(d, "NPL", 2015, "xlsx")))
    sheet = book["Three methods, one series"]
    assert ["Indicator", "Series", "ESCAP", "UNSD Progress Chart", "SDSN", "Decided by"] == [
        c.value for c in next(r for r in sheet.iter_rows() if r[0].value == "Indicator")]
    assert len(table) == sum(1 for r in sheet.iter_rows() if r[1].value in set(
        table.series_code))
