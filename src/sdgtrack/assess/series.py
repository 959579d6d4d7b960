"""From observations to the series the formulas need, in Ibis (runs on DuckDB or Spark).

For many "units" at once (the region, its subregions, every country, any user group: a
membership table ``unit, ref_area``) and every sub-indicator of the specification:

1. the sub-indicator's observations: the series with its selected breakdown (the headline
   unless the specification says otherwise);
2. each country's values, gaps filled linearly between its observed years [U];
3. the unit's value per year: the unweighted mean (or median) of its countries' values, kept
   for the years in which at least one of them was observed;
4. data rules: countries with at least ``min_points`` points, out of the unit's members;
5. baseline (first year in [t0, t0 + lag]) and current (latest) values, and the weighted
   sums of the trend regression;
6. best-performer targets: the mean of the top countries' baseline values in the reference
   group.
"""

from __future__ import annotations

from typing import Any

import ibis

from sdgtrack.assess.params import EscapParameters
from sdgtrack.model import DIMENSION_NAMES

SUB = "sub_id"


def _years(first: int, last: int) -> Any:
    return ibis.memtable({"year": list(range(first, last + 1))}, schema={"year": "int32"})


def selected(obs: Any, spec: Any, headline_codes: Any) -> Any:
    """Observations of each sub-indicator: (sub_id, ref_area, year, value). The spec's
    dimension columns override the series' headline codes (null = headline)."""
    want = spec.join(headline_codes, "series_code")
    dims = {d: ibis.coalesce(want[f"sel_{d}"], want[d]) for d in DIMENSION_NAMES}
    want = want.select(SUB, "series_code", **dims)
    t = obs.filter(obs.value.notnull()).join(want, ["series_code", *DIMENSION_NAMES])
    return t.select(SUB, "ref_area", year=t.time_period.cast("int32"), value=t.value,
                    load_id=t.load_id, source_file=t.source_file, source_row=t.source_row)


def country_values(points: Any, p: EscapParameters, end_year: int) -> Any:
    """Each (sub_id, ref_area) on every year of its observed span (widened by
    ``p.extrapolate_years`` at both ends, clipped to the window), the gaps filled linearly
    between observations and the ends held at the nearest observed value, so that a group's
    membership does not change from year to year with reporting gaps [U].
    ``observed`` marks real data points."""
    points = points.filter((points.year >= p.trend_start) & (points.year <= end_year)).select(
        SUB, "ref_area", "year", "value")
    if not p.interpolate:
        return points.mutate(observed=ibis.literal(True))
    keys = [SUB, "ref_area"]
    k = p.extrapolate_years
    span = points.group_by(keys).aggregate(lo=points.year.min() - k, hi=points.year.max() + k)
    years = _years(p.trend_start, end_year)
    grid = span.join(years, (years.year >= span.lo) & (years.year <= span.hi)).select(
        *keys, "year")
    g = grid.left_join(points, [*keys, "year"]).select(*keys, "year", "value")
    known = ibis.ifelse(g.value.notnull(), g.year, ibis.null("int32"))
    before = ibis.window(group_by=keys, order_by="year", preceding=None, following=0)
    after = ibis.window(group_by=keys, order_by="year", preceding=0, following=None)
    g = g.mutate(y0=known.max().over(before), y1=known.min().over(after))
    lo = points.select(*keys, y0=points.year, v0=points.value)
    hi = points.select(*keys, y1=points.year, v1=points.value)
    g = g.left_join(lo, [*keys, "y0"]).select(*keys, "year", "value", "y0", "y1", "v0")
    g = g.left_join(hi, [*keys, "y1"]).select(*keys, "year", "value", "y0", "y1", "v0", "v1")
    share = ibis.ifelse(g.y1 == g.y0, 0.0, (g.year - g.y0).cast("float64") / (g.y1 - g.y0))
    filled = ibis.cases((g.y0.isnull(), g.v1), (g.y1.isnull(), g.v0),
                        else_=g.v0 + (g.v1 - g.v0) * share)
    return g.select(*keys, "year", value=filled, observed=g.value.notnull())


def unit_values(values: Any, membership: Any, p: EscapParameters) -> Any:
    """(unit, sub_id, year, value, countries, observed): the group value per year."""
    t = values.join(membership, "ref_area")
    agg = t.value.mean() if p.aggregate == "mean" else t.value.median()
    out = t.group_by(["unit", SUB, "year"]).aggregate(
        value=agg, countries=t.ref_area.nunique(), observed=t.observed.cast("int64").sum())
    return out.filter(out.observed > 0)


def usable(points: Any, membership: Any, p: EscapParameters, end_year: int) -> Any:
    """Per (unit, sub_id) with data: member countries with any data point in the window and
    those with at least ``min_points`` of them."""
    pts = points.filter((points.year >= p.trend_start) & (points.year <= end_year))
    per = pts.group_by([SUB, "ref_area"]).aggregate(points=pts.year.nunique())
    t = per.join(membership, "ref_area")
    return t.group_by(["unit", SUB]).aggregate(
        countries_with_data=t.ref_area.nunique(),
        usable_countries=t.ref_area.nunique(where=t.points >= p.min_points))


def endpoints(series: Any, p: EscapParameters, keys: tuple[str, ...] = ("unit", SUB)) -> Any:
    """Baseline (first year in [t0, t0 + lag]) and current (latest) year and value per key,
    and the number of points from the trend start to the current year."""
    keys_ = list(keys)
    in_base = (series.year >= p.baseline_year) & (series.year <= p.baseline_year
                                                  + p.baseline_window)
    years = series.group_by(keys_).aggregate(
        t0=series.year.min(where=in_base), tc=series.year.max(), points=series.year.nunique())
    base = series.select(*keys_, t0=series.year, x0=series.value)
    cur = series.select(*keys_, tc=series.year, xc=series.value)
    out = years.filter(years.t0.notnull() & (years.tc > years.t0))
    return out.join(base, [*keys_, "t0"]).join(cur, [*keys_, "tc"])


def regression_sums(series: Any, ends: Any, p: EscapParameters) -> Any:
    """Weighted sums for the least-squares trend, t in years since 2000, over the points from
    the trend start to each series' current year; weights grow linearly from its first point."""
    s = series.join(ends.select("unit", SUB, "tc"), ["unit", SUB])
    s = s.filter(s.year <= s.tc)
    first = s.group_by(["unit", SUB]).aggregate(first=s.year.min())
    s = s.join(first, ["unit", SUB])
    t = (s.year - 2000).cast("float64")
    w = (s.year - s.first + 1).cast("float64") if p.regression_weights == "linear" else (
        ibis.literal(1.0))
    s = s.mutate(w=w, t=t)
    return s.group_by(["unit", SUB]).aggregate(
        sw=s.w.sum(), swt=(s.w * s.t).sum(), swx=(s.w * s.value).sum(),
        swtt=(s.w * s.t * s.t).sum(), swtx=(s.w * s.t * s.value).sum())


def best_performer_targets(values: Any, reference: Any, spec: Any, p: EscapParameters) -> Any:
    """(sub_id, best_target): mean of the ``best_performers`` best values in
    ``best_performer_year`` among the reference group's countries, best by each
    sub-indicator's direction."""
    v = values.join(reference, "ref_area")
    # ranked in one year whatever the baseline (``best_performer_year``), in its window
    ranked_in = p.with_(baseline_year=p.best_performer_year,
                        baseline_max_lag=EscapParameters(
                            baseline_year=p.best_performer_year).baseline_window)
    base = endpoints(v, ranked_in, keys=("ref_area", SUB))
    rules = spec.filter(spec.target_rule == "best_performers").select(SUB, "direction")
    b = base.join(rules, SUB)
    score = ibis.ifelse(b.direction == "decrease", -b.x0, b.x0)
    # ties broken by area code, so every backend picks the same countries
    b = b.mutate(rank=ibis.row_number().over(group_by=SUB,
                                             order_by=[ibis.desc(score), b.ref_area]))
    b = b.filter(b["rank"] < p.best_performers)
    return b.group_by(SUB).aggregate(best_target=b.x0.mean(), best_countries=b.ref_area.count())
