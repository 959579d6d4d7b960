"""The query surface everything above the store uses. Each function takes and returns Ibis
table expressions, so it runs on whichever backend holds the tables (DuckDB by default,
Spark for users who outgrow one machine)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import ibis

from sdgtrack.model import DIMENSION_NAMES, TOTAL

#: The code preferred as a series' headline in each dimension, best first.
HEADLINE_PREFERENCE: dict[str, tuple[str, ...]] = {"reporting_type": ("G", "N", "R")}


def _listify(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def observations(obs: Any, series: str | Iterable[str] | None = None,
                 areas: str | Iterable[str] | None = None,
                 years: tuple[int | None, int | None] | None = None,
                 dimensions: Mapping[str, str | Iterable[str]] | None = None) -> Any:
    """Observations filtered by series, areas (M49 codes), an inclusive year range and
    dimension codes, e.g. ``dimensions={"sex": ["F", "M"]}``."""
    t = obs
    if (s := _listify(series)) is not None:
        t = t.filter(t.series_code.isin(s))
    if (a := _listify(areas)) is not None:
        t = t.filter(t.ref_area.isin(a))
    if years is not None:
        start, end = years
        if start is not None:
            t = t.filter(t.time_period >= start)
        if end is not None:
            t = t.filter(t.time_period <= end)
    for dim, codes in (dimensions or {}).items():
        if dim not in DIMENSION_NAMES:
            raise ValueError(f"Unknown dimension {dim!r}; dimensions are {DIMENSION_NAMES}")
        t = t.filter(t[dim].isin(_listify(codes)))
    return t


def headline_codes(obs: Any, strict: bool = False) -> Any:
    """One row per series giving its headline code in every dimension: the total ``_T`` where
    the series has one, else its only code (a series published only for ages 15+ has
    headline age ``Y_GE15``). A dimension with several codes and no total has no headline:
    null when ``strict`` (an assessment must then say which breakdown it means), else the
    most frequent code (good enough to show a default chart)."""
    out = None
    for dim in DIMENSION_NAMES:
        prefs = HEADLINE_PREFERENCE.get(dim, (TOTAL,))
        counts = obs.group_by(["series_code", dim]).aggregate(n=obs.count())
        rank = ibis.cases(*((counts[dim] == code, k) for k, code in enumerate(prefs)),
                          else_=len(prefs))
        w = ibis.window(group_by="series_code", order_by=[rank, ibis.desc(counts.n), counts[dim]])
        codes = counts.mutate(_r=ibis.row_number().over(w), _rank=rank,
                              _k=counts.count().over(ibis.window(group_by="series_code")))
        best = codes.filter(codes._r == 0)
        if strict:
            clear = (best._rank < len(prefs)) | (best._k == 1)
            best = best.mutate(**{dim: ibis.ifelse(clear, best[dim], ibis.null("string"))})
        best = best.select("series_code", dim)
        out = best if out is None else out.join(best, "series_code")
    return out


def headline(obs: Any) -> Any:
    """The headline (total) rows of each series."""
    codes = headline_codes(obs)
    return obs.semi_join(codes, list(("series_code",) + DIMENSION_NAMES))


def latest(obs: Any) -> Any:
    """For each series, area and breakdown, the most recent row that has a number."""
    t = obs.filter(obs.value.notnull())
    keys = ["series_code", "ref_area", *DIMENSION_NAMES]
    w = ibis.window(group_by=keys, order_by=ibis.desc(t.time_period))
    return t.mutate(_r=ibis.row_number().over(w)).filter(lambda x: x._r == 0).drop("_r")


def availability(obs: Any, by: Iterable[str] = ("series_code", "ref_area")) -> Any:
    """Data points (distinct years with a number), first and latest year, per group, in
    the groups' order (a group-by's own order changes from run to run, and so would every
    page and download made from it)."""
    t = obs.filter(obs.value.notnull())
    return t.group_by(list(by)).aggregate(
        points=t.time_period.nunique(),
        first_year=t.time_period.min(),
        latest_year=t.time_period.max(),
    ).order_by(list(by))


def goal_coverage(obs: Any, series_indicators: Any) -> Any:
    """Per goal: series, indicators, areas and observations with a number, latest year.
    A series linked to several goals counts in each of them, once."""
    links = series_indicators.mutate(goal=series_indicators.indicator.split(".")[0].cast("int32"))
    t = obs.filter(obs.value.notnull())
    per_goal = t.join(links.select("series_code", "goal").distinct(), "series_code")
    counts = per_goal.group_by("goal").aggregate(
        series=per_goal.series_code.nunique(),
        areas=per_goal.ref_area.nunique(),
        observations=per_goal.count(),
        latest_year=per_goal.time_period.max(),
    )
    with_data = links.semi_join(t.select("series_code").distinct(), "series_code")
    indicators = with_data.group_by("goal").aggregate(indicators=with_data.indicator.nunique())
    return counts.join(indicators, "goal")


def series_profile(obs: Any, areas: Any) -> Any:
    """Per series: rows, areas, years, whether it has a national headline (a country-level
    row whose every breakdown is the total), sub-national rows, and which breakdowns it uses."""
    sub = areas.filter(areas.kind == "subnational").select("ref_area")
    t = obs.mutate(
        subnational=obs.ref_area.isin(sub.ref_area),
        all_total=ibis.and_(*(obs[d] == TOTAL for d in DIMENSION_NAMES if d != "reporting_type")),
    )
    used = {f"by_{d}": (t[d] != TOTAL).any() for d in DIMENSION_NAMES
            if d != "reporting_type"}
    return t.group_by("series_code").aggregate(
        rows=t.count(),
        areas=t.ref_area.nunique(),
        first_year=t.time_period.min(),
        latest_year=t.time_period.max(),
        headline=(t.all_total & ~t.subnational).any(),
        subnational=t.subnational.any(),
        **used,
    )
