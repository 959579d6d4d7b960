"""The ESCAP formulas, as pure functions on tables of sub-indicators (one row each).

Source: ESCAP, *Asia and the Pacific SDG Progress Report*, Annex "Technical notes -
methodology to measure progress" (2023+ editions; ESCAP 2025 pp. 55-59, as cited by UNECE);
Bidarbakht Nia (2017), ESCAP Statistics Division Working Paper SD/WP/05. The exact forms marked
[U] in ``../shared/METHODS.md`` §1 are implemented through ``EscapParameters``.

Notation: ``x0`` value in the baseline year ``t0``; ``xc`` value in the current (latest) year
``tc``; ``target_level`` the 2030 target x*; ``d`` +1 when higher is better, -1 when
lower is better.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from sdgtrack.assess.params import EscapParameters


class ProgressClass(StrEnum):
    """The class of a sub-indicator, indicator or target on the dashboard (``classify``)."""

    MAINTAIN = "maintain"
    ACCELERATE = "accelerate"
    REVERSE = "reverse"
    INSUFFICIENT = "insufficient_data"


class GoalStatus(StrEnum):
    """The status of a goal on the snapshot: its Current Status Index against the progress
    expected by now (``expected_progress``)."""

    ON_SCHEDULE = "on_schedule"
    BEHIND = "behind_schedule"
    REGRESSED = "regressed"
    INSUFFICIENT = "insufficient_data"


MAINTAIN, ACCELERATE, REVERSE = (ProgressClass.MAINTAIN.value, ProgressClass.ACCELERATE.value,
                                 ProgressClass.REVERSE.value)
INSUFFICIENT = ProgressClass.INSUFFICIENT.value


def _sign(direction: pd.Series) -> np.ndarray:
    return np.where(direction == "decrease", -1.0, 1.0)


def met(value: pd.Series, target: pd.Series, direction: pd.Series,
        p: EscapParameters) -> np.ndarray:
    """Whether a value meets its target; a parity-type value within ``parity_band`` of it.

    >>> s = lambda *v: pd.Series(v, dtype="float64")
    >>> met(s(0.98, 0.95, 24), s(1, 1, 25), pd.Series(["parity", "parity", "decrease"]),
    ...     EscapParameters()).tolist()
    [True, False, True]
    """
    d = _sign(direction)
    reached = d * (value - target) >= -p.tolerance
    band = np.abs(value - target) <= p.parity_band * np.abs(target) + p.tolerance
    return np.asarray(np.where(direction == "parity", band, reached))


def progress(x0: pd.Series, x: pd.Series, target: pd.Series, direction: pd.Series,
             p: EscapParameters) -> np.ndarray:
    """Share of the progress needed from x0 to the target that x represents, capped and
    floored: the Current Status formula, also used for the projected value (anticipated).

    ``CS = d * (x - x0) / |x* - x0|``; for parity ``CS = 1 - |x* - x| / |x* - x0|``; a series
    already at its target at baseline scores ``cap`` while it stays there, ``floor`` if it
    falls back (METHODS §1.5.2, no division by ~0); a parity value within ``parity_band``
    of its target counts as at the target; a target within ``near_target`` of the baseline
    gives ``cap`` when x is as near to it, else NaN (not measurable, never a ±1 swing).

    Worked example (METHODS §1.3, t0 = 2000, tc = 2020): U5MR 80 -> 40 with x* = 25 gives
    40/55 = 0.727; electricity 40 -> 70 with x* = 100 gives 0.5; forest 30 -> 28 with x* = 32
    gives -1.0.

    >>> p = EscapParameters()
    >>> s = lambda *v: pd.Series(v, dtype="float64")
    >>> d = pd.Series(["decrease", "increase", "increase"])
    >>> progress(s(80, 40, 30), s(40, 70, 28), s(25, 100, 32), d, p).round(3).tolist()
    [0.727, 0.5, -1.0]

    A target within ``near_target`` (1 %) of the baseline: bank capital 18.30 -> 18.20
    against 18.39 would be (18.20 - 18.30) / 0.09 = -1.11, floored at -1; it is not
    measured (NaN). At 18.38 it is within 1 % of the target, so it counts as reached.

    >>> progress(s(18.30, 18.30), s(18.20, 18.38), s(18.39, 18.39),
    ...          pd.Series(["increase", "increase"]), p).tolist()
    [nan, 1.0]
    """
    d = _sign(direction)
    gap0 = np.abs(target - x0)
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = d * (x - x0) / gap0
        parity = 1.0 - np.abs(target - x) / gap0
    raw = np.where(direction == "parity", parity, linear)
    at_target = met(x0, target, direction, p) | (gap0 <= p.tolerance)
    still = met(x, target, direction, p)
    raw = np.where(at_target, np.where(still, p.cap, p.floor), raw)
    # a target too near the baseline: reached if x is as near (or past), else unmeasurable
    near = ~at_target & near_baseline(x0, target, p)
    close = still | _within_near(x0, x, target, p)
    raw = np.where(near, np.where(close, p.cap, np.nan), raw)
    return np.clip(raw, p.floor, p.cap)


def _within_near(x0: pd.Series, x: pd.Series, target: pd.Series, p: EscapParameters
                 ) -> np.ndarray:
    """Whether x lies within ``near_target`` of the target, on the scale ``near_baseline``
    uses (the larger of baseline and target)."""
    scale = np.maximum(np.abs(x0), np.abs(target))
    return np.asarray(np.abs(target - x) <= p.near_target * scale)


def near_reached(x0: pd.Series, x: pd.Series, target: pd.Series, p: EscapParameters
                 ) -> np.ndarray:
    """A target too near the baseline that x is as near to: counted as reached
    (``progress`` gives it ``cap``, ``pace`` its latest year)."""
    return np.asarray(near_baseline(x0, target, p) & _within_near(x0, x, target, p))


def near_baseline(x0: pd.Series, target: pd.Series, p: EscapParameters) -> np.ndarray:
    """Whether the target lies within ``near_target`` of the baseline (as a share of the
    larger of the two), too near for progress to be measured against it.

    >>> s = lambda *v: pd.Series(v, dtype="float64")
    >>> near_baseline(s(18.30, 40, 0.5), s(18.39, 100, 0), EscapParameters()).tolist()
    [True, False, False]
    """
    scale = np.maximum(np.abs(x0), np.abs(target))
    return np.asarray(np.abs(target - x0) <= p.near_target * scale)


def expected_progress(current_year: int, p: EscapParameters) -> float:
    """The "YYYY line": the share of the time from baseline to target that has passed.

    >>> expected_progress(2020, EscapParameters(baseline_year=2000))
    0.6666666666666666
    """
    return (current_year - p.baseline_year) / (p.target_year - p.baseline_year)


def regression_projection(sums: pd.DataFrame, year: int) -> tuple[np.ndarray, np.ndarray]:
    """(projected value in ``year``, slope per year) of the weighted least-squares line
    through a series, from the weighted sums ``sw, swt, swx, swtt, swtx`` (t in years since
    2000). Recent years weigh more when the weights grow with time [V that it is so, U weights].

    >>> sums = pd.DataFrame({"sw": [2.0], "swt": [20.0], "swx": [120.0], "swtt": [400.0],
    ...                      "swtx": [800.0]})  # points (0, 80) and (20, 40), equal weights
    >>> [a.round(3).tolist() for a in regression_projection(sums, 2030)]
    [[20.0], [-2.0]]
    """
    sw, swt, swx, swtt, swtx = (sums[c].to_numpy(float) for c in
                                ("sw", "swt", "swx", "swtt", "swtx"))
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = sw * swtt - swt**2
        slope = np.where(np.abs(denominator) > 1e-12, (sw * swtx - swt * swx) / denominator,
                         np.nan)
        intercept = (swx - slope * swt) / sw
    return intercept + slope * (year - 2000), slope


def cagr_projection(x0: pd.Series, t0: pd.Series, xc: pd.Series, tc: pd.Series,
                    year: int) -> tuple[np.ndarray, np.ndarray]:
    """(projected value, method used) by compound annual growth from (t0, x0) to (tc, xc):
    ``x̂ = xc (1 + CAGR)^(T - tc)``, ``CAGR = (xc/x0)^(1/(tc - t0)) - 1`` (2017-2019 editions).
    CAGR is undefined at zero or below: there the straight line through the two points is
    used, and the row says so (METHODS §1.5.1).

    Worked example (METHODS §1.4): U5MR 80 in 2000, 40 in 2020 -> CAGR -3.406 %, 28.28 in 2030.

    >>> s = lambda *v: pd.Series(v, dtype="float64")
    >>> value, how = cagr_projection(s(80, 0), s(2000, 2000), s(40, 5), s(2020, 2020), 2030)
    >>> value.round(2).tolist(), how.tolist()
    ([28.28, 7.5], ['cagr', 'linear'])
    """
    span = (tc - t0).to_numpy(float)
    positive = (x0 > 0) & (xc > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.power(xc / x0, 1.0 / span) - 1.0
        compound = xc * np.power(1.0 + rate, year - tc)
        linear = xc + (xc - x0) / span * (year - tc)
    return (np.where(positive, compound, linear),
            np.where(positive, "cagr", "linear").astype(object))


def classify(api: pd.Series, p: EscapParameters,
             current: pd.Series | None = None) -> np.ndarray:
    """Dashboard class from the anticipated progress index: maintain (on track), accelerate,
    reverse (moving away), insufficient_data (no index). Equivalent to ESCAP's gap classes with
    Gap = 1 - index: Gap <= 0 on track, 0 < Gap <= 1 accelerate, Gap > 1 reverse.

    With ``current`` (a series' Current Status), a series that has lost ground since the
    baseline (current status below 0) is not "maintain progress": there is no progress to
    maintain, even when its trend leads back to the target; it is "accelerate" (a
    judgement call of sdgtrack: the class and the index shown beside it must agree).

    >>> classify(pd.Series([1.0, 0.4, -0.2, None]), EscapParameters()).tolist()
    ['maintain', 'accelerate', 'reverse', 'insufficient_data']
    >>> classify(pd.Series([1.0, 1.0]), EscapParameters(), pd.Series([-1.0, 0.2])).tolist()
    ['accelerate', 'maintain']
    """
    values = api.to_numpy(float)
    lost = (np.zeros(len(values), bool) if current is None
            else current.to_numpy(float) < -p.tolerance)
    return np.select(
        [np.isnan(values), (values >= p.on_track - p.tolerance) & ~lost,
         values >= p.reverse_below - p.tolerance],  # a flat trend (index -1e-17) is not away
        [INSUFFICIENT, MAINTAIN, ACCELERATE], REVERSE).astype(object)


def pace(frame: pd.DataFrame, p: EscapParameters) -> pd.DataFrame:
    """Beyond the published method: the annual change achieved and required, the year the
    target would be reached at the current pace, and the acceleration needed.

    ``rate_required = (x* - x0)/(T - t0)``; ``rate_required_now = (x* - xc)/(T - tc)``;
    ``acceleration = rate_required_now / trend`` when the trend goes the right way;
    ``year_reached = tc + (x* - xc)/trend``, or, with a regression line (``line``: its value
    in the target year T), the year the line reaches x*, ``T + (x* - line)/trend``, so that
    a series projected to meet its target by T is reached by T and one projected to miss it
    after T. Never before the year after tc while the latest value misses the target, and
    None past ``p.pace_horizon`` (2100: a target centuries away is not reached at this pace).

    >>> f = pd.DataFrame({"x0": [80.0], "t0": [2015], "xc": [40.0], "tc": [2020],
    ...     "target_level": [25.0], "direction": ["decrease"], "slope": [-5.0]})
    >>> pace(f, EscapParameters()).round(2).iloc[0].tolist()
    [-8.0, -3.67, -1.5, 0.3, 2023.0]
    """
    d = _sign(frame["direction"])
    rate_observed = (frame["xc"] - frame["x0"]) / (frame["tc"] - frame["t0"])
    target = frame["target_level"]
    rate_required = (target - frame["x0"]) / (p.target_year - frame["t0"])
    rate_now = (target - frame["xc"]) / (p.target_year - frame["tc"])
    slope = frame["slope"].to_numpy(float)
    # reached: met, or (a target too near the baseline) as near to it as it is (``progress``)
    done = met(frame["xc"], target, frame["direction"], p) | near_reached(
        frame["x0"], frame["xc"], target, p)
    right_way = (d * slope > 0) & (frame["direction"] != "parity").to_numpy()
    tc = frame["tc"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        acceleration = np.where(done, 0.0, np.where(right_way, rate_now / slope, np.nan))
        if "line" in frame:
            ahead = p.target_year + (target - frame["line"]).to_numpy(float) / slope
        else:
            ahead = tc + (target - frame["xc"]).to_numpy(float) / slope
        ahead = np.maximum(np.ceil(ahead), tc + 1)
        ahead = np.where(ahead > p.pace_horizon, np.nan, ahead)
        reached = np.where(done, tc, np.where(right_way, ahead, np.nan))
    return pd.DataFrame({"rate_observed": rate_observed, "rate_required": rate_required,
                         "rate_required_now": rate_now, "acceleration_needed": acceleration,
                         "year_reached": reached}, index=frame.index)
