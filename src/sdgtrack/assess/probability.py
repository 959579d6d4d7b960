"""The probability that a series, an indicator and a target reach their 2030 target, from
ESCAP's own trend model, by a seeded bootstrap of its residuals.

Method (``../shared/METHODS.md`` §9.2; anchored on IHME's GBD SDG studies: 1,000 draws, the
probability is the share of draws past the target in 2030 [V for the draws]):

- The trend is ESCAP's time-weighted regression (``escap.regression_projection``; weights
  ``w_i = t_i - first + 1``, every point from the trend start to the latest year). It is
  linear in the values: ``x̂(T) = Σ h_i x_i`` with ``h_i = w_i/Σw + (T - t̄) w_i (t_i - t̄) /
  Σ w (t - t̄)²`` (t̄ the weighted mean year).
- A draw resamples the residuals ``r_i`` (scaled by ``√(n/(n-2))`` for the two fitted
  parameters and centred, so that their plain mean is 0): ``x*_i = x̂_i + e*_i`` refitted
  gives ``x̂*(T) = x̂(T) + Σ h_i e*_i``; one more resampled residual ``e*_0`` is the
  year's own noise. Both are multiplied by the calibrated factor ``spread +
  spread_per_year * h``, ``h`` years past the series' last point (``calibrate``, on the
  back-test): the residuals of a line understate how far its trend drifts, the more so
  the further ahead.
- Why a residual bootstrap, not the years or a Bayesian model: most series have 3-10
  points, and resampling years would often draw one year only (no line); a Bayesian
  linear model needs priors on slopes in hundreds of different units, which nobody can
  justify. The bootstrap needs no prior and its spread can be checked against what
  happened (the back-test).
- Per draw the method's own rules apply: the draw's anticipated progress (``escap.progress``,
  capped at 1) is averaged over sub-indicators to the indicator and over indicators to the
  target; the target is reached in that draw when the mean is at the on-track level (1: all
  of its series reach their targets). The probability is the share of draws.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from sdgtrack.assess import escap
from sdgtrack.assess.params import EscapParameters
from sdgtrack.assess.series import SUB

KEYS = ["unit", SUB]


@dataclass(frozen=True)
class ProbabilityParameters:
    """Judgement calls of the probability (and of its back-test), each a parameter."""

    #: Bootstrap draws (IHME's GBD SDG studies draw 1,000 [V]).
    draws: int = 1000
    #: Seed of the draws: the same data give the same probabilities.
    seed: int = 2030
    #: Fewest points of a series to bootstrap: a line and one residual degree of freedom.
    min_points: int = 3
    #: Calibration of the draws' spread, ``spread + spread_per_year * h`` at ``h`` years
    #: past a series' last point: from the back-test (fit to 2015, predict 2016-2022, 80 %
    #: intervals) on the December 2023 vintage's 58 countries (``calibrate``: 0.663 and
    #: 0.364, covering 79.6 %; each half of the countries calibrated covers 80.1 % and
    #: 79.6 % of the other half's values; the raw bootstrap, 1 and 0, covers 59 %: 78 % one
    #: year past a series' last point but 42 % seven years past, as a line's residuals do
    #: not see its trend drifting) [calibrated here, not published].
    spread: float = 0.66
    spread_per_year: float = 0.36
    #: Series processed at once (memory: block x draws x points floats).
    block: int = 256

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def design(points: pd.DataFrame, years: list[int], p: ProbabilityParameters
           ) -> dict[str, Any]:
    """The padded arrays of every (unit, sub_id) with ``min_points`` points: keys, the
    residuals (scaled), the weights ``h`` of each point in the projection to each of
    ``years`` (series x points x years) and the projections (series x years).

    >>> pts = pd.DataFrame({"unit": "A", SUB: 0, "year": [2015, 2016, 2017],
    ...                     "value": [1.0, 2.0, 4.0]})
    >>> m = design(pts, [2018], ProbabilityParameters())
    >>> m["projected"].round(3).tolist()  # weights 1, 2, 3: slope 1.6, x̂ = 3.9 + 1.6
    [[5.5]]
    >>> m["residuals"].round(3).tolist()  # (0.3, -0.3, 0.1) √(3/1), less their mean 0.058
    [[0.462, -0.577, 0.115]]
    """
    pts = points[points.value.notna()].sort_values([*KEYS, "year"])
    n = pts.groupby(KEYS).year.transform("size")
    pts = pts[n >= p.min_points]
    keys = pts[KEYS].drop_duplicates().reset_index(drop=True)
    if keys.empty:
        return {"keys": keys, "n": np.zeros(0, int), "residuals": np.zeros((0, 0)),
                "h": np.zeros((0, 0, len(years))), "projected": np.zeros((0, len(years))),
                "ahead": np.zeros((0, len(years)))}
    pos = pts.groupby(KEYS).cumcount().to_numpy()
    row = pts.groupby(KEYS, sort=False).ngroup().to_numpy()
    size = int(pos.max()) + 1
    t = np.full((len(keys), size), np.nan)
    x = np.full((len(keys), size), np.nan)
    t[row, pos] = pts.year.to_numpy(float) - 2000
    x[row, pos] = pts.value.to_numpy(float)
    w = np.nan_to_num(t - np.nanmin(t, axis=1, keepdims=True) + 1)  # ESCAP's time weights
    sw = w.sum(axis=1, keepdims=True)
    tbar = np.nansum(w * t, axis=1, keepdims=True) / sw
    dt = np.nan_to_num(t - tbar)
    sxx = (w * dt**2).sum(axis=1, keepdims=True)
    xs = np.nan_to_num(x)
    slope = (w * dt * xs).sum(axis=1, keepdims=True) / sxx
    level = (w * xs).sum(axis=1, keepdims=True) / sw  # the line's value at t̄
    fitted = level + slope * dt
    count = np.isfinite(t).sum(axis=1)
    scale = np.sqrt(count / (count - 2))[:, None]
    resid = np.where(np.isfinite(t), (xs - fitted) * scale, 0.0)
    # centred, so that resampling them uniformly has mean 0 (the weighted fit makes their
    # weighted mean 0, not their plain mean): Davison and Hinkley (1997), *Bootstrap
    # Methods and their Application*, §6.2.3, modified residuals
    resid = np.where(np.isfinite(t), resid - resid.sum(axis=1, keepdims=True) /
                     count[:, None], 0.0)
    horizon = np.asarray(years, float)[None, :] - 2000 - tbar  # series x years
    h = (w / sw)[:, :, None] + (w * dt / sxx)[:, :, None] * horizon[:, None, :]
    projected = level + slope * horizon
    ahead = np.asarray(years, float)[None, :] - 2000 - np.nanmax(t, axis=1, keepdims=True)
    return {"keys": keys, "n": count, "residuals": resid, "h": h, "projected": projected,
            "ahead": ahead}


def spread(ahead: np.ndarray, p: ProbabilityParameters) -> np.ndarray:
    """The calibrated spread factor at ``ahead`` years past a series' last point.

    >>> spread(np.array([1.0, 8.0]), ProbabilityParameters()).round(2).tolist()  # 0.66 + 0.36 h
    [1.02, 3.54]
    """
    return np.asarray(p.spread + p.spread_per_year * np.maximum(ahead, 0.0), float)


#: Counter values each draw of a stream spans: a series' residual picks take positions
#: 0 .. n-1 and its new innovation the last one, whatever the other series' lengths.
STRIDE = 2**20


def uniforms(streams: np.ndarray, draws: int, size: int | np.ndarray, seed: int
             ) -> np.ndarray:
    """Uniform numbers in [0, 1), streams x draws x positions, each series' own: a
    counter-based generator (SplitMix64, Steele, Lea and Flood 2014) on (seed, the series'
    key hash, draw, position), so that a series' draws do not depend on which other series
    or units are computed with it, nor in what order. ``size``: the positions, or their
    number (``0 .. size-1``); each below ``STRIDE``.

    >>> u = uniforms(np.array([1, 2], dtype=np.uint64), 1000, 3, seed=2030)
    >>> u.shape, bool((u >= 0).all() and (u < 1).all()), round(float(u.mean()), 2)
    ((2, 1000, 3), True, 0.5)
    >>> bool((uniforms(np.array([2], dtype=np.uint64), 1000, 3, 2030) == u[1]).all())
    True
    >>> last = uniforms(np.array([2], dtype=np.uint64), 1000, np.array([1, STRIDE - 1]), 2030)
    >>> bool((last[0, :, 0] == u[1, :, 1]).all())
    True
    """
    positions = np.asarray(size) if np.ndim(size) else np.arange(int(size))
    counter = (np.arange(draws, dtype=np.uint64)[:, None] * np.uint64(STRIDE)
               + positions.astype(np.uint64)[None, :])
    z = (streams[:, None, None] * np.uint64(0x9E3779B97F4A7C15)
         + (np.uint64(seed * 0xD1B54A32D192ED03 % 2**64) + counter)[None, :, :])
    shifted = np.empty_like(z)  # in place: a block is 256 x 1,000 x points numbers
    for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB), (31, 1)):
        np.right_shift(z, np.uint64(shift), out=shifted)
        z ^= shifted
        if factor != 1:
            z *= np.uint64(factor)
    z >>= np.uint64(11)
    out = z.astype(np.float64)
    out *= 2.0**-53
    return out


def draws(m: dict[str, Any], p: ProbabilityParameters,
          identity: pd.DataFrame | None = None) -> np.ndarray:
    """Bootstrap draws of each series' value in each projection year: series x draws x
    years. Vectorised over a block of series at a time (no loop per series or draw).
    ``identity`` (a row per row of ``m["keys"]``: unit, series code, selection) keys each
    series' random stream, so that its draws stay the same when the specification gains or
    loses rows (sub_ids are positions); without it, the (unit, sub_id) keys do.

    >>> pts = pd.DataFrame({"unit": "A", SUB: 0, "year": [2015, 2016, 2017],
    ...                     "value": [1.0, 2.0, 4.0]})
    >>> q = ProbabilityParameters(spread=1.0, spread_per_year=0.0)  # the raw bootstrap
    >>> d = draws(design(pts, [2018], q), q)
    >>> d.shape, round(float(d.mean()), 1)
    ((1, 1000, 1), 5.5)
    """
    resid, h, n = m["residuals"], m["h"], m["n"]
    size = resid.shape[1]
    out = np.empty((len(n), p.draws, h.shape[2]))
    named = m["keys"] if identity is None else identity.reset_index(drop=True)
    streams = pd.util.hash_pandas_object(named, index=False).to_numpy(np.uint64)
    for lo in range(0, len(n), p.block):
        hi = min(lo + p.block, len(n))
        # the residuals' positions, then the innovation's at the stream's own last one
        u = uniforms(streams[lo:hi], p.draws, np.r_[np.arange(size), STRIDE - 1], p.seed)
        pick = (u * n[lo:hi, None, None]).astype(np.intp)  # over the series' own residuals
        e = resid[lo:hi][np.arange(hi - lo)[:, None, None], pick]  # block x draws x n+1
        moved = np.einsum("bdn,bnk->bdk", e[:, :, :size], h[lo:hi]) + e[:, :, size:]
        out[lo:hi] = m["projected"][lo:hi, None, :] + spread(m["ahead"][lo:hi], p)[
            :, None, :] * moved
    return out


def reach(subs: pd.DataFrame, points: pd.DataFrame, escap_p: EscapParameters,
          p: ProbabilityParameters | None = None) -> dict[str, pd.DataFrame]:
    """The probability of reaching the target by ``escap_p.target_year``: per sub-indicator
    (``series``), indicator and target, for the assessed rows of ``subs`` (the assessment's
    sub-indicator table) with ``points`` (its points).
    Returns the series' probabilities and each draw's anticipated progress (``api``, rows
    as ``keys``) for ``aggregate``."""
    p = p or ProbabilityParameters()
    a = subs[subs.assessed].reset_index(drop=True)
    m = design(points.merge(a[KEYS], on=KEYS), [escap_p.target_year], p)
    got = m["keys"].merge(a, on=KEYS, how="left")
    x = draws(m, p, _identity(got))[:, :, 0]
    lower = got.lower.to_numpy(float)[:, None] if "lower" in got else np.nan
    upper = got.upper.to_numpy(float)[:, None] if "upper" in got else np.nan
    x = np.clip(x, np.where(np.isnan(lower), -np.inf, lower),
                np.where(np.isnan(upper), np.inf, upper))  # a share stays within 0-100
    api = anticipated(got, x, escap_p)
    on = escap_p.on_track - escap_p.tolerance
    series = got[[*KEYS, "series_code", "selection", "indicator"]].assign(
        probability=(api >= on).mean(axis=1), draws=p.draws)
    return {"series": series, "api": pd.DataFrame(api), "keys": got[KEYS]}


def _identity(rows: pd.DataFrame) -> pd.DataFrame:
    """What a series is, whatever its position: unit, series code and selection."""
    return rows[["unit", "series_code", "selection"]].fillna("").astype(str)


def anticipated(rows: pd.DataFrame, x: np.ndarray, escap_p: EscapParameters) -> np.ndarray:
    """The anticipated progress index of every draw (series x draws), by ``escap.progress``
    on the flattened draws (x0, target and direction repeated)."""
    k = x.shape[1]

    def rep(col: str) -> pd.Series:
        return pd.Series(np.repeat(rows[col].to_numpy(), k))

    flat = escap.progress(rep("x0"), pd.Series(x.ravel()), rep("target_level"),
                          rep("direction"), escap_p)
    return np.asarray(flat, float).reshape(x.shape)


def aggregate(api: pd.DataFrame, keys: pd.DataFrame, links: pd.DataFrame,
              escap_p: EscapParameters) -> dict[str, pd.DataFrame]:
    """Per draw, the method's means: sub-indicators -> indicator -> target; the probability
    is the share of draws whose mean reaches the on-track level. An indicator or target with
    a series that has no draws (fewer than ``min_points`` points: ESCAP assesses a series of
    two) has no probability: over its other series alone, it would not be the probability
    of what its class says (Malaysia's 12.4: "accelerate" from two indicators, a
    probability of 0.63 from one).

    >>> api = pd.DataFrame([[1.0, 1.0, 0.5, 1.0], [1.0, 0.2, 1.0, 1.0]])
    >>> keys = pd.DataFrame({"unit": ["A", "A"], SUB: [0, 1]})
    >>> links = pd.DataFrame({"unit": ["A", "A"], SUB: [0, 1], "indicator": ["1.1.1", "1.1.2"],
    ...                       "target": ["1.1", "1.1"], "goal": [1, 1]})
    >>> out = aggregate(api, keys, links, EscapParameters())
    >>> out["indicators"].probability.tolist(), out["targets"].probability.tolist()
    ([0.75, 0.75], [0.5])
    >>> two = pd.DataFrame({"unit": ["A"], SUB: [2], "indicator": ["1.1.2"], "target": ["1.1"],
    ...                     "goal": [1]})  # a series of two points: no draws
    >>> out = aggregate(api, keys, pd.concat([links, two]), EscapParameters())
    >>> out["indicators"].indicator.tolist(), out["targets"].target.tolist()
    (['1.1.1'], [])
    """
    on = escap_p.on_track - escap_p.tolerance
    frame = pd.concat([keys.reset_index(drop=True), api.reset_index(drop=True)], axis=1)
    cols = list(api.columns)
    ind = links.merge(frame, on=KEYS).groupby(["unit", "goal", "target", "indicator"])[
        cols].mean()
    tgt = ind.groupby(["unit", "goal", "target"])[cols].mean()
    short = links[~pd.MultiIndex.from_frame(links[KEYS]).isin(
        pd.MultiIndex.from_frame(keys[KEYS]))]

    def complete(t: pd.DataFrame) -> pd.DataFrame:
        return t[~t.index.isin(pd.MultiIndex.from_frame(short[list(t.index.names)]))]

    return {level: pd.DataFrame({"probability": (t.to_numpy() >= on).mean(axis=1)},
                                index=t.index).reset_index()
            for level, t in (("indicators", complete(ind)), ("targets", complete(tgt)))}


def backtest(points: pd.DataFrame, series: pd.DataFrame, p: ProbabilityParameters,
             fit_end: int = 2015, years: tuple[int, int] = (2016, 2022),
             level: float = 0.8) -> pd.DataFrame:
    """Honesty check: fit each series on its points up to ``fit_end``, draw its values in
    ``years`` and compare the central ``level`` interval of the draws with what was then
    observed. One row per observed (unit, sub_id, year): the interval, ``inside``,
    ``ahead`` (years past the series' last fitted point) and ``need``, the spread factor
    that would just cover the value (the interval scales with the factor around the
    projection, so coverage at any calibration follows without new draws). ``series``:
    (unit, sub_id, goal). Use countries' points only: a group's values are filled between
    its members' observed years, with values from after ``fit_end``.
    """
    span = list(range(years[0], years[1] + 1))
    pre = points[points.year <= fit_end]
    m = design(pre, span, p)
    named = m["keys"].merge(series.drop_duplicates(KEYS), on=KEYS, how="left")
    d = draws(m, p, _identity(named) if "series_code" in named else None)
    tail = (1 - level) / 2
    lo, hi = np.quantile(d, [tail, 1 - tail], axis=1)  # each series x years
    keys = m["keys"]
    grid = pd.DataFrame({"unit": np.repeat(keys.unit.to_numpy(), len(span)),
                         SUB: np.repeat(keys[SUB].to_numpy(), len(span)),
                         "year": np.tile(span, len(keys)), "ahead": m["ahead"].ravel(),
                         "factor": spread(m["ahead"], p).ravel(),
                         "projected": m["projected"].ravel(), "lower": lo.ravel(),
                         "upper": hi.ravel()})
    seen = points[(points.year >= years[0]) & (points.year <= years[1])
                  & points.value.notna()][[*KEYS, "year", "value"]]
    rows = grid.merge(seen, on=[*KEYS, "year"]).merge(series[[*KEYS, "goal"]], on=KEYS)
    rows["inside"] = (rows.value >= rows.lower) & (rows.value <= rows.upper)
    above = rows.value >= rows.projected
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.where(above, (rows.value - rows.projected) / (rows.upper - rows.projected),
                        (rows.projected - rows.value) / (rows.projected - rows.lower))
    rows["need"] = np.nan_to_num(need, nan=0.0, posinf=np.inf) * rows.factor
    return rows


def coverage(rows: pd.DataFrame, p: ProbabilityParameters, by: str | None = "goal"
             ) -> pd.DataFrame:
    """Share of back-test values inside the interval under ``p``'s calibration, overall or
    ``by`` a column (``goal``, ``ahead``).

    >>> rows = pd.DataFrame({"goal": [1, 1, 2, 2], "ahead": 1.0, "need": [0.5, 1.5, 0.9, 3.0]})
    >>> raw = ProbabilityParameters(spread=1.0, spread_per_year=0.0)
    >>> coverage(rows, raw).coverage.tolist(), coverage(rows, raw.__class__(spread=2.0,
    ...     spread_per_year=0.0), by=None).coverage.tolist()
    ([0.5, 0.5], [0.75])
    """
    inside = rows.assign(covered=rows.need <= spread(rows.ahead.to_numpy(float), p))
    if by is None:
        return pd.DataFrame({"values": [len(inside)], "coverage": [inside.covered.mean()]})
    return inside.groupby(by).agg(values=("covered", "size"),
                                  coverage=("covered", "mean")).reset_index()


def calibrate(rows: pd.DataFrame, level: float = 0.8, longest: int = 7
              ) -> tuple[float, float]:
    """(spread, spread_per_year): per whole number of years ahead (1 to ``longest``), the
    factor that covers ``level`` of the back-test's values, and the straight line through
    them weighted by their counts.

    >>> rows = pd.DataFrame({"ahead": [1.0] * 5 + [2.0] * 5,
    ...                      "need": [0.2, 0.4, 0.6, 0.8, 2, 0.5, 1, 1.5, 2, 5]})
    >>> [round(v, 3) for v in calibrate(rows)]  # 0.8 at 1 year = a + b, 2.0 at 2 = a + 2b
    [-0.4, 1.2]
    """
    r = rows[(rows.ahead >= 1) & (rows.ahead <= longest)]
    ahead = r.ahead.round().astype(int)
    need = r.need.to_numpy(float)
    hs, ks, ns = [], [], []
    for h in sorted(ahead.unique()):
        mine = need[(ahead == h).to_numpy()]
        hs.append(float(h))
        ks.append(float(np.quantile(mine, level, method="inverted_cdf")))
        ns.append(len(mine))
    slope, intercept = np.polyfit(hs, ks, 1, w=np.sqrt(ns))
    return float(intercept), float(slope)


def backtest_units(a: Any, p: ProbabilityParameters | None = None) -> dict[str, Any]:
    """The back-test over the countries of an ``Assessment``: the values, coverage by goal
    and by years ahead (raw bootstrap and calibrated), overall, and the calibration these
    data give (``calibrate``) beside the one in use."""
    p = p or ProbabilityParameters()
    raw = ProbabilityParameters(draws=p.draws, seed=p.seed, min_points=p.min_points,
                                spread=1.0, spread_per_year=0.0)
    countries = [u.code for u in a.units if u.kind == "country"]
    subs = a.subindicators[a.subindicators.unit.isin(countries)
                           & (a.subindicators.countries_with_data > 0)]
    subs = subs.assign(goal=subs.indicator.str.split(".").str[0].astype(int))
    rows = backtest(a.points[a.points.unit.isin(countries)], subs, raw)

    def both(by: str) -> pd.DataFrame:
        return coverage(rows, raw, by).rename(columns={"coverage": "coverage_raw"}).merge(
            coverage(rows, p, by)[[by, "coverage"]], on=by)

    spread0, per_year = calibrate(rows) if len(rows) else (float("nan"), float("nan"))
    # ten years ahead or more in one row: few values (series last observed long before 2015)
    rows["years_ahead"] = rows.ahead.clip(upper=10)
    return {"values": rows, "by_goal": both("goal"),
            "by_ahead": both("years_ahead") if len(rows) else pd.DataFrame(),
            "overall": {"values": len(rows),
                        "coverage_raw": float(coverage(rows, raw, None).coverage.iloc[0]),
                        "coverage": float(coverage(rows, p, None).coverage.iloc[0])},
            "calibration": {"spread": p.spread, "spread_per_year": p.spread_per_year,
                            "calibrated_spread": spread0,
                            "calibrated_spread_per_year": per_year}}


def of_assessment(a: Any, p: ProbabilityParameters | None = None,
                  units: Collection[str] | None = None) -> dict[str, pd.DataFrame]:
    """The probabilities for every unit of an ESCAP ``Assessment`` (``assess.run.compute``),
    or for ``units`` only: ``series`` (sub-indicators), ``indicators`` and ``targets``, each
    target beside its dashboard class and Anticipated Progress Index. A unit's numbers are
    the same either way (each series draws from its own stream, ``uniforms``)."""
    from sdgtrack.assess.run import _by_indicator

    subs, points, dash = a.subindicators, a.points, a.dashboard
    if units is not None:
        subs, points, dash = (t[t.unit.isin(list(units))] for t in (subs, points, dash))
    got = reach(subs, points, a.parameters, p)
    links = _by_indicator(subs)[[*KEYS, "indicator", "target", "goal"]]
    agg = aggregate(got["api"], got["keys"], links, a.parameters)
    dash = dash[["unit", "goal", "target", "anticipated_progress_index", "class"]]
    targets = dash.merge(agg["targets"].drop(columns="goal"), on=["unit", "target"])
    return {"series": got["series"], "indicators": agg["indicators"],
            "targets": targets.reset_index(drop=True)}  # in the dashboard's order
