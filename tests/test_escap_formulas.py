"""The ESCAP formulas with hand-computed numbers (METHODS.md §7 and our own)."""

import numpy as np
import pandas as pd
import pytest

from sdgtrack.assess import EscapParameters, escap

P = EscapParameters(baseline_year=2000)


def s(*values):
    return pd.Series(values, dtype="float64")


def test_current_status_worked_example():
    # METHODS §1.3: U5MR 80 -> 40, x* 25: 40/55; electricity 40 -> 70, x* 100: 30/60;
    # forest 30 -> 28, x* 32: -2/2
    cs = escap.progress(s(80, 40, 30), s(40, 70, 28), s(25, 100, 32),
                        pd.Series(["decrease", "increase", "increase"]), P)
    assert [0.727, 0.5, -1.0] == cs.round(3).tolist()
    assert 0.076 == round(cs.mean(), 3)  # goal mean (0.727 + 0.5 - 1.0)/3
    assert 0.667 == round(escap.expected_progress(2020, P), 3)  # 20/30


def test_progress_is_capped_and_floored():
    # overshoot: 80 -> 10 with x* 25 is 70/55 = 1.27 -> 1; regression 30 -> 20 with x* 32 is
    # -10/2 = -5 -> -1
    cs = escap.progress(s(80, 30), s(10, 20), s(25, 32),
                        pd.Series(["decrease", "increase"]), P)
    assert [1.0, -1.0] == cs.tolist()


def test_parity_uses_the_distance_to_the_target():
    # gender parity index 0.80 -> 0.95, x* 1: 1 - |1-0.95|/|1-0.80| = 1 - 0.05/0.20 = 0.75
    cs = escap.progress(s(0.80), s(0.95), s(1.0), pd.Series(["parity"]), P)
    assert 0.75 == round(float(cs[0]), 6)


def test_parity_band_reads_small_deviations_as_parity():
    # 0.995 -> 0.988 are both within 0.97-1.03: at parity at baseline and still -> 1, where
    # the bare formula would give 1 - 0.012/0.005 = -1.4 -> -1 from noise
    cs = escap.progress(s(0.995, 0.995), s(0.988, 0.95), s(1.0, 1.0),
                        pd.Series(["parity", "parity"]), P)
    assert [1.0, -1.0] == cs.tolist()  # 0.95 is outside the band: fell away from parity


def test_target_met_at_baseline_scores_cap_or_floor():
    # already at 100 % at baseline: 1 while it stays, the floor if it falls back (no 0/0)
    cs = escap.progress(s(100, 100, 3), s(100, 98, 2), s(100, 100, 3),
                        pd.Series(["increase", "increase", "decrease"]), P)
    assert [1.0, -1.0, 1.0] == cs.tolist()


def test_zero_target_and_zero_baseline_give_numbers_not_nan():
    # extreme poverty 10 -> 4 with x* = 0: 6/10; from 0 -> 0 with x* = 0: met at baseline
    cs = escap.progress(s(10, 0), s(4, 0), s(0, 0), pd.Series(["decrease", "decrease"]), P)
    assert [0.6, 1.0] == cs.tolist()


def test_negative_values_work_in_the_linear_form():
    # GDP growth -2 -> 3 (%), higher is better, x* 7: 5/9
    cs = escap.progress(s(-2), s(3), s(7), pd.Series(["increase"]), P)
    assert 0.556 == round(float(cs[0]), 3)


def test_cagr_worked_example_and_fallback_for_zero():
    # METHODS §1.4: (40/80)^(1/20) - 1 = -3.406 %; 40 (1 - 0.03406)^10 = 28.28
    value, how = escap.cagr_projection(s(80, 0), s(2000, 2010), s(40, 6), s(2020, 2020), 2030)
    assert 28.28 == round(float(value[0]), 2)
    assert 12.0 == float(value[1])  # from 0 to 6 in 10 years: +0.6/yr, 6 + 6 = 12 in 2030
    assert ["cagr", "linear"] == how.tolist()
    # Gap in ESCAP's terms = (28.28 - 25)/(50 - 25) = 0.131 with x_2015 = 50; our index is
    # 1 - Gap: progress from 50 to 28.28 of the 25 needed = 21.72/25 = 0.869
    api = escap.progress(s(50), pd.Series([value[0]]), s(25), pd.Series(["decrease"]), P)
    assert 0.869 == round(float(api[0]), 3)
    assert ["accelerate"] == escap.classify(pd.Series(api), P).tolist()


def test_weighted_regression_by_hand():
    # points (2000, 10), (2001, 12), (2002, 15) with linear weights 1, 2, 3 (t = year - 2000):
    # sw = 6, swt = 0+2+6 = 8, swx = 10+24+45 = 79, swtt = 0+2+12 = 14, swtx = 0+24+90 = 114
    # slope = (6*114 - 8*79)/(6*14 - 64) = (684 - 632)/20 = 2.6; intercept = (79 - 2.6*8)/6 = 9.7
    sums = pd.DataFrame({"sw": [6.0], "swt": [8.0], "swx": [79.0], "swtt": [14.0],
                         "swtx": [114.0]})
    value, slope = escap.regression_projection(sums, 2030)
    assert 2.6 == pytest.approx(float(slope[0]))
    assert 9.7 + 2.6 * 30 == pytest.approx(float(value[0]))  # 87.7


def test_classes_follow_the_cut_points():
    api = pd.Series([1.0, 0.9999, 0.0, -0.01, np.nan])
    assert ["maintain", "accelerate", "accelerate", "reverse", "insufficient_data"] == \
        escap.classify(api, P).tolist()
    unsd = P.with_(on_track=0.95)
    assert ["maintain", "maintain"] == escap.classify(pd.Series([1.0, 0.96]), unsd).tolist()


def test_pace_when_moving_the_wrong_way_has_no_year():
    f = pd.DataFrame({"x0": [10.0], "t0": [2015], "xc": [12.0], "tc": [2019],
                      "target_level": [5.0], "direction": ["decrease"], "slope": [0.5]})
    row = escap.pace(f, EscapParameters()).iloc[0]
    assert np.isnan(row.year_reached) and np.isnan(row.acceleration_needed)
    assert 0.5 == row.rate_observed  # (12 - 10)/4
    assert -5 / 15 == pytest.approx(row.rate_required)  # (5 - 10)/(2030 - 2015)
