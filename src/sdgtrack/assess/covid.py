"""The COVID-19 setback, per series and unit: the pre-pandemic trend projected through the
pandemic years, with a prediction interval, against what was observed.

Method (``../shared/METHODS.md`` §9.1; our design [U], anchored on the SDSN SDR's pandemic
counterfactual, the pre-2020 trend extended and compared with what was observed [V, concept]):

- Fit ``x_t = a + b t`` on 2015-2019 by weighted least squares with the ESCAP time weights
  (``w_t = t - first + 1``, as ``assess/series.regression_sums``; the projection itself is
  ``escap.regression_projection``), or with equal weights (plain OLS).
- Prediction interval at year ``t*``, with the weights scaled to average 1
  (``w~ = w n / Σw``, so that equal weights give the textbook OLS interval)::

      s² = Σ w~ r² / (n - 2);   se(t*) = s √(1 + 1/n + (t* - t̄)² / Σ w~ (t - t̄)²)
      x̂(t*) ± t_{n-2, (1 + level)/2} · se(t*)

  (a new observation of average weight; t̄ the weighted mean year).
- Class at the compared year (the latest observed in 2020-2023, or the worst): *setback*
  when the observed value lies outside the interval the wrong way for the series'
  direction (and departs from the projection by more than ``materiality`` of it, 0 by
  default), *ahead* outside it the right way, *within trend* inside it; *no post-2019
  data* when nothing was observed after 2019 (never "no effect"); *insufficient trend
  data* when 2015-2019 has fewer than ``min_points`` values. A group's year counts as
  observed when at least ``min_observed_share`` of its countries were.
- Size: ``shortfall = d (x̂ - x)`` in the indicator's unit (``d`` +1 when higher is better,
  -1 when lower is; parity: the distance to the target), and
  ``years lost = shortfall / (d b)``, the years of pre-pandemic progress it equals;
  undefined (None) when the pre-2020 trend made no progress (``d b <= 0``), or none
  distinguishable from zero (``d b <= pace_se · se(b)``, ``se(b) = s / √Σ w~ (t - t̄)²``).
- The projection and its interval stay within the series' natural bounds
  (``assess/bounds.py``): a 0-1 score's trend stops at 1.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from sdgtrack.assess import escap
from sdgtrack.assess.series import SUB
from sdgtrack.assess.student import t_quantile

KEYS = ["unit", SUB]


class CovidClass(StrEnum):
    """What became of a series' pre-pandemic trend (``setback``)."""

    SETBACK = "setback"
    AHEAD = "ahead"
    WITHIN = "within_trend"
    NO_POST = "no_post_2019_data"
    NO_TREND = "insufficient_trend_data"


CLASSES = tuple(c.value for c in CovidClass)


@dataclass(frozen=True)
class CovidParameters:
    """Judgement calls of the setback analysis, each a parameter ([U]: our design)."""

    #: The pre-pandemic window the trend is fitted on [U; METHODS §9.1].
    fit_start: int = 2015
    fit_end: int = 2019
    #: Last pandemic-era year compared with the projection (the 2023 vintage ends there).
    post_end: int = 2023
    #: "linear": ESCAP's time weights (EscapParameters.regression_weights); "equal": OLS.
    #: Below about 12 points OLS is the safer choice (METHODS §9.1, simulation study [V,
    #: summary]); ESCAP's weights are the default so that the trend is ESCAP's.
    weights: str = "linear"
    #: Coverage of the prediction interval [U].
    level: float = 0.95
    #: Fewest 2015-2019 values to fit a trend: a line and one degree of freedom [U].
    min_points: int = 3
    #: Which post-2019 year decides the class: "latest" (where the series stands now) or
    #: "worst" (its largest departure, measured in standard errors) [U].
    compare: str = "latest"
    #: A group's post-2019 value is compared only in a year when at least this share of its
    #: countries were observed: the assessment holds a country's last value for three years,
    #: which would pull a group's "observed" 2020-2022 back to 2019 [U].
    min_observed_share: float = 0.5
    #: A trend slower than this (in units a year) makes no progress: years lost undefined.
    flat: float = 1e-9
    #: ...and so does one whose pace is within this many standard errors of its slope of
    #: zero: 0.02 a year ± 0.03 would turn a 4-point shortfall into 200 "years" [U].
    pace_se: float = 1.0
    #: A departure from the trend smaller than this share of the projected value is within
    #: trend, whatever the interval. Off by default: modelled series (stunting, from the
    #: UNICEF-WHO-World Bank model) lie on their line, so their intervals are very narrow and
    #: 26.7 against 26.2 is a setback; but a share near 100 has little room left, and 2 %
    #: would call Indonesia's electricity (99.2 against 99.7, more than the 0.3 points it
    #: still needed) within trend [U].
    materiality: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def check(self) -> None:
        from sdgtrack.errors import UsageError

        if self.weights not in ("linear", "equal"):
            raise UsageError(f"weights must be 'linear' or 'equal', not {self.weights!r}")
        if self.compare not in ("latest", "worst"):
            raise UsageError(f"compare must be 'latest' or 'worst', not {self.compare!r}")
        if not 0 < self.level < 1:
            raise UsageError("level must lie between 0 and 1 (0.95 for 95 %)")
        if self.min_points < 3 or not self.fit_start < self.fit_end < self.post_end:
            raise UsageError("Need min_points >= 3 and fit_start < fit_end < post_end.")


def fit(points: pd.DataFrame, p: CovidParameters) -> pd.DataFrame:
    """The pre-pandemic line of every (unit, sub_id) with ``min_points`` values in the
    window: n, intercept (at 2000), slope, weighted mean year ``tbar`` (years since 2000),
    ``sxx`` and the residual variance ``s2`` (formulas in the module docstring).

    >>> pts = pd.DataFrame({"unit": "A", SUB: 0, "year": range(2015, 2020),
    ...                     "value": [10.0, 12, 13, 15, 16]})
    >>> f = fit(pts, CovidParameters(weights="equal")).iloc[0]
    >>> [round(float(f[c]), 3) for c in ("n", "slope", "se_slope", "tbar", "sxx", "s2")]
    [5.0, 1.5, 0.1, 17.0, 10.0, 0.1]
    """
    pre = points[(points.year >= p.fit_start) & (points.year <= p.fit_end)
                 & points.value.notna()][[*KEYS, "year", "value"]]
    g = pre.groupby(KEYS)
    t = (pre.year - 2000).astype(float)
    w = ((pre.year - g.year.transform("min") + 1).astype(float) if p.weights == "linear"
         else pd.Series(1.0, index=pre.index))
    x = pre.value.astype(float)
    parts = pd.DataFrame({"unit": pre.unit, SUB: pre[SUB], "sw": w, "swt": w * t,
                          "swx": w * x, "swtt": w * t * t, "swtx": w * t * x, "n": 1.0})
    sums = parts.groupby(KEYS, as_index=False).sum()
    sums = sums[sums.n >= p.min_points].reset_index(drop=True)
    sums["intercept"], sums["slope"] = escap.regression_projection(sums, 2000)
    sums["tbar"] = sums.swt / sums.sw
    each = pre.assign(t=t, w=w, x=x).merge(sums, on=KEYS)
    wn = each.w * each.n / each.sw  # weights scaled to average 1
    resid = each.x - (each.intercept + each.slope * each.t)
    spread = pd.DataFrame({"unit": each.unit, SUB: each[SUB], "r2": wn * resid**2,
                           "sxx": wn * (each.t - each.tbar) ** 2}).groupby(
        KEYS, as_index=False).sum()
    out = sums.merge(spread, on=KEYS)
    out["s2"] = out.r2 / (out.n - 2)
    out["se_slope"] = np.sqrt(out.s2 / out.sxx)
    return out[[*KEYS, "n", "intercept", "slope", "se_slope", "tbar", "sxx", "s2"]]


def project(fits: pd.DataFrame, years: list[int], p: CovidParameters) -> pd.DataFrame:
    """Each fitted line at each of ``years``: projected value, standard error of a new
    observation, and the prediction interval (lower, upper) at ``p.level``.

    Worked example (OLS on 10, 12, 13, 15, 16 in 2015-2019): x̂(2021) = 13.2 + 1.5 * 4 =
    19.2; se = √0.1 √(1 + 1/5 + 4²/10) = 0.529; t(3 df, 0.975) = 3.182, so 19.2 ± 1.684.

    >>> pts = pd.DataFrame({"unit": "A", SUB: 0, "year": range(2015, 2020),
    ...                     "value": [10.0, 12, 13, 15, 16]})
    >>> q = CovidParameters(weights="equal")
    >>> r = project(fit(pts, q), [2021], q).iloc[0]
    >>> [round(float(r[c]), 3) for c in ("projected", "se", "lower", "upper")]
    [19.2, 0.529, 17.516, 20.884]
    """
    grid = fits.merge(pd.DataFrame({"year": years}), how="cross")
    t = (grid.year - 2000).astype(float)
    grid["projected"] = grid.intercept + grid.slope * t
    grid["se"] = np.sqrt(grid.s2 * (1 + 1 / grid.n + (t - grid.tbar) ** 2 / grid.sxx))
    quantile = {k: t_quantile((1 + p.level) / 2, int(k) - 2) for k in grid.n.unique()}
    half = grid.n.map(quantile) * grid.se
    grid["lower"], grid["upper"] = grid.projected - half, grid.projected + half
    return grid[[*KEYS, "year", "projected", "se", "lower", "upper"]]


def within_bounds(line: pd.DataFrame, bounds: pd.DataFrame) -> pd.DataFrame:
    """``line`` (a ``project`` table) with the projection and its interval kept within the
    series' natural bounds (``bound_lower``, ``bound_upper`` of ``bounds``, by unit and
    sub_id; ``assess/bounds.py``): a 0-1 score's trend stops at 1, a share's at 100.

    >>> line = pd.DataFrame({"unit": "A", SUB: 0, "year": [2022], "projected": [1.2],
    ...                      "se": [0.1], "lower": [1.0], "upper": [1.4]})
    >>> b = pd.DataFrame({"unit": ["A"], SUB: [0], "bound_lower": [0.0], "bound_upper": [1.0]})
    >>> within_bounds(line, b)[["projected", "lower", "upper"]].values.tolist()
    [[1.0, 1.0, 1.0]]
    """
    if "bound_lower" not in bounds or line.empty:
        return line
    b = line[KEYS].merge(bounds[[*KEYS, "bound_lower", "bound_upper"]], on=KEYS, how="left")
    lo = b.bound_lower.fillna(-np.inf).to_numpy(float)
    hi = b.bound_upper.fillna(np.inf).to_numpy(float)
    out = line.copy()
    for col in ("projected", "lower", "upper"):
        out[col] = np.clip(out[col].to_numpy(float), lo, hi)
    return out


def _badness(x: pd.Series, direction: pd.Series, target: pd.Series) -> pd.Series:
    """Larger is worse: -x when higher is better, x when lower is, the distance to the
    target for parity."""
    return pd.Series(np.select([direction == "decrease", direction == "parity"],
                               [x, (x - target).abs()], -x), index=x.index)


def compare(points: pd.DataFrame, fits: pd.DataFrame, info: pd.DataFrame,
            p: CovidParameters) -> pd.DataFrame:
    """Every observed post-2019 (unit, sub_id, year) against its projection: the interval,
    the shortfall (in the unit; > 0 behind the trend), ``z`` (shortfall / se), the pace of
    the trend (progress a year, > 0 towards the target) and the year's class.
    ``info``: (unit, sub_id, direction, target_level)."""
    post = points[(points.year > p.fit_end) & (points.year <= p.post_end)
                  & points.value.notna()]
    if "observed" in post and "countries" in post:  # the assessment's points
        post = post[post.observed >= p.min_observed_share * post.countries]
    post = post[[*KEYS, "year", "value"]]
    years = sorted(post.year.unique().tolist())
    line = within_bounds(project(fits, years, p), info)
    rows = post.merge(line, on=[*KEYS, "year"]).merge(
        fits[[*KEYS, "slope", "se_slope"]], on=KEYS).merge(info, on=KEYS, how="left")
    target = rows.target_level.where(rows.target_level.notna(), 1.0)  # parity's is 1
    bad_obs = _badness(rows.value, rows.direction, target)
    bad_proj = _badness(rows.projected, rows.direction, target)
    rows["shortfall"] = bad_obs - bad_proj
    with np.errstate(divide="ignore", invalid="ignore"):
        rows["z"] = rows.shortfall / rows.se
    sign = np.select([rows.direction == "decrease", rows.direction == "parity"],
                     [-1.0, np.sign(target - rows.projected)], 1.0)
    rows["pace"] = sign * rows.slope
    material = (rows.value - rows.projected).abs() > p.materiality * rows.projected.abs()
    outside = ((rows.value < rows.lower) | (rows.value > rows.upper)) & material
    rows["class"] = np.select([outside & (rows.shortfall > 0), outside & (rows.shortfall < 0)],
                              [CovidClass.SETBACK.value, CovidClass.AHEAD.value],
                              CovidClass.WITHIN.value)
    return rows


def _with_bounds(series: pd.DataFrame) -> pd.DataFrame:
    """The assessment's sub-indicators name their series' natural bounds ``lower`` and
    ``upper``; here they are ``bound_lower`` and ``bound_upper`` (NaN: none), as the
    interval takes the plain names."""
    out = series.copy()
    for side in ("lower", "upper"):
        out[f"bound_{side}"] = out[side] if side in out else np.nan
    return out


def setback(points: pd.DataFrame, series: pd.DataFrame,
            p: CovidParameters | None = None) -> pd.DataFrame:
    """One row per (unit, sub_id) of ``series`` (the assessment's sub-indicator table:
    unit, sub_id, series_code, selection, indicator, direction, target_level): the trend,
    the compared year, observed and projected values, interval, shortfall, years lost
    and class. ``points``: (unit, sub_id, year, value), the assessment's points.

    Worked example: 10, 12, 13, 15, 16 in 2015-2019 (OLS, slope 1.5), 16 observed in 2021,
    higher is better: the interval is 17.516-20.884, so a setback of 19.2 - 16 = 3.2 units,
    3.2 / 1.5 = 2.13 years of pre-pandemic progress lost.

    >>> pts = pd.DataFrame({"unit": "A", SUB: 0, "year": [*range(2015, 2020), 2021],
    ...                     "value": [10.0, 12, 13, 15, 16, 16]})
    >>> info = pd.DataFrame({"unit": ["A"], SUB: [0], "series_code": ["X"], "selection": [""],
    ...     "indicator": ["4.1.1"], "direction": ["increase"], "target_level": [100.0]})
    >>> r = setback(pts, info, CovidParameters(weights="equal")).iloc[0]
    >>> r["class"], int(r.year), round(float(r.shortfall), 2), round(float(r.years_lost), 2)
    ('setback', 2021, 3.2, 2.13)
    """
    p = p or CovidParameters()
    p.check()
    fits = fit(points, p)
    series = _with_bounds(series)
    info = series[[*KEYS, "direction", "target_level", "bound_lower", "bound_upper"]]
    years = compare(points, fits, info, p)
    if p.compare == "latest":
        chosen = years.sort_values([*KEYS, "year"]).groupby(KEYS).tail(1)
    else:
        chosen = years.sort_values([*KEYS, "z", "year"]).groupby(KEYS).tail(1)
    post = years.groupby(KEYS).agg(post_years=("year", "nunique"),
                                   worst_z=("z", "max")).reset_index()
    cols = ["year", "value", "projected", "lower", "upper", "shortfall", "z", "pace",
            "se_slope", "class"]
    keep = [*KEYS, "series_code", "selection", "indicator", "direction", "target_level",
            "bound_lower", "bound_upper"]
    out = series[keep].merge(fits[[*KEYS, "n", "slope"]], on=KEYS, how="left").merge(
        chosen[[*KEYS, *cols]], on=KEYS, how="left").merge(post, on=KEYS, how="left")
    out = out.rename(columns={"n": "trend_points", "value": "observed"})
    out["goal"] = out.indicator.str.split(".").str[0].astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        progressing = (out.pace > p.flat) & (out.pace > p.pace_se * out.se_slope)
        out["years_lost"] = np.where(progressing, out.shortfall / out.pace, np.nan)
    out["class"] = np.select([out.trend_points.isna(), out.year.isna()],
                             [CovidClass.NO_TREND.value, CovidClass.NO_POST.value],
                             out["class"].fillna(""))
    out["post_years"] = out.post_years.fillna(0).astype(int)
    for col in ("trend_points", "year"):
        out[col] = out[col].round().astype("Int64")
    return out.sort_values([*KEYS]).reset_index(drop=True)


def summary(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per ``by`` (e.g. unit, or unit and goal): the series, the number and share in each
    class (shares of the series with a pre-2020 trend: those without one cannot be
    classed), and the median years lost over the setbacks with a defined number.

    >>> rows = pd.DataFrame({"unit": "A", "class": ["setback", "setback", "within_trend",
    ...     "no_post_2019_data", "insufficient_trend_data"], "years_lost": [2.0, 4.0, 0.5,
    ...     None, None]})
    >>> s = summary(rows, ["unit"]).iloc[0]
    >>> int(s.series), int(s.with_trend), float(s.share_setback), float(s.median_years_lost)
    (5, 4, 0.5, 3.0)
    """
    counts = pd.crosstab([rows[c] for c in by], rows["class"]).reindex(
        columns=list(CLASSES), fill_value=0)
    out = counts.rename(columns=lambda c: f"n_{c}")
    out.insert(0, "series", counts.sum(axis=1))
    out.insert(1, "with_trend", out.series - out[f"n_{CovidClass.NO_TREND.value}"])
    for c in CLASSES[:4]:
        out[f"share_{c}"] = (out[f"n_{c}"] / out.with_trend).where(out.with_trend > 0)
    lost = rows[rows["class"] == CovidClass.SETBACK.value].groupby(by).years_lost.median()
    out["median_years_lost"] = lost.reindex(out.index)
    return out.reset_index()


def paths(points: pd.DataFrame, fits: pd.DataFrame, keys: pd.DataFrame,
          p: CovidParameters) -> pd.DataFrame:
    """For charts: the observed values and the projected line with its interval, every year
    of fit_start..post_end, for the (unit, sub_id) pairs in ``keys`` (kept within their
    ``bound_lower`` and ``bound_upper`` where ``keys`` has them)."""
    want = fits.merge(keys[KEYS], on=KEYS)
    line = within_bounds(project(want, list(range(p.fit_start, p.post_end + 1)), p), keys)
    seen = points[(points.year >= p.fit_start) & (points.year <= p.post_end)][
        [*KEYS, "year", "value"]]
    return line.merge(seen, on=[*KEYS, "year"], how="left").rename(
        columns={"value": "observed"})


def of_assessment(a: Any, p: CovidParameters | None = None) -> pd.DataFrame:
    """``setback`` for every unit and sub-indicator with data in an ESCAP ``Assessment``
    (``assess.run.compute``): its points (a group's values are the mean of its countries',
    as in the assessment) and its directions and target levels; with the unit's name and
    kind."""
    subs = a.subindicators[a.subindicators.countries_with_data > 0]
    rows = setback(a.points, subs, p)
    units = pd.DataFrame([(u.code, u.name, u.kind) for u in a.units],
                         columns=["unit", "unit_name", "unit_kind"])
    return units.merge(rows, on="unit")
