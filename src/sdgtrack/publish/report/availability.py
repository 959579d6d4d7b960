"""Data availability and gaps, goal by goal: how many of the global indicators have data
(through the series linked to them), how many series and data points, the latest year, and
which goals are thin."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sdgtrack.assess import load_spec
from sdgtrack.model import DIMENSION_NAMES, TOTAL
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import title

#: A goal is "thin" when fewer than this share of its global indicators have any data.
THIN_SHARE = 1 / 3


def headline_of(rows: pd.DataFrame, spec: pd.DataFrame) -> pd.DataFrame:
    """Per series, the rows of one breakdown that the area publishes: the one the assessment
    specifies where there is one, else the most totals (``_T``), then global before national
    data, then the most years. Unlike choosing the total dimension by dimension, the
    combination chosen always exists (a series by skill and level with no overall total
    keeps one of its own lines)."""
    dims = list(DIMENSION_NAMES)
    combos = rows.groupby(["series_code", *dims], as_index=False).size()
    combos["specified"] = 1
    for _i, s in spec.iterrows():
        match = combos.series_code == s.series_code
        for d in dims:
            if s[f"sel_{d}"] is not None:
                match &= combos[d] == s[f"sel_{d}"]
        combos.loc[match, "specified"] = 0
    combos["totals"] = sum((combos[d] == TOTAL).astype(int) for d in dims
                           if d != "reporting_type")
    combos["rank"] = combos.reporting_type.map({"G": 0, "N": 1, "R": 2}).fillna(3)
    best = combos.sort_values(
        ["series_code", "specified", "totals", "rank", "size", *dims],
        ascending=[True, True, False, True, False, *[True] * len(dims)]).drop_duplicates(
        "series_code")
    return rows.merge(best[["series_code", *dims]], on=["series_code", *dims])


def area_rows(d: SiteData, m49: str, read: pd.DataFrame | None = None) -> pd.DataFrame:
    """The headline rows of one area that carry a number (``headline_of`` its own rows, so
    a series the area reports only by sex still counts). ``read``: the area's rows, read
    already (with the other members', for a whole group's profiles)."""
    def make() -> pd.DataFrame:
        rows = read if read is not None else d.sql(
            "SELECT * FROM observations_current WHERE ref_area = ? AND value IS NOT NULL",
            [m49])
        spec = load_spec()
        return headline_of(rows, spec[spec.series_code.isin(set(rows.series_code))])

    return d.cached(("report-area-rows", m49), make)


def links(d: SiteData) -> pd.DataFrame:
    """Series -> framework indicator, with target and goal (the store's links, so series
    declared by a national dataset count too)."""
    def make() -> pd.DataFrame:
        pairs = d.sql("SELECT DISTINCT series_code, indicator FROM series_indicators_all")
        ind = d.indicators[["indicator", "target", "goal"]]
        return pairs.merge(ind, on="indicator")

    return d.cached("report-links", make)


def per_series(rows: pd.DataFrame) -> pd.DataFrame:
    """``series_code, ref_area, points, latest_year`` from observation rows."""
    return rows.groupby(["series_code", "ref_area"], as_index=False).agg(
        points=("time_period", "nunique"), latest_year=("time_period", "max"))


def by_goal(d: SiteData, counts: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """One row per goal from per-series counts (``per_series``, or the site's
    availability for a group's members)."""
    linked = links(d).merge(counts, on="series_code")
    total = d.indicators.groupby("goal").indicator.nunique()
    rows = []
    for g in d.goals.to_dict("records"):
        mine = linked[linked.goal == g["goal"]]
        have = int(mine.indicator.nunique())
        rows.append({
            "goal": int(g["goal"]), "title": title(g, lang, "short"),
            "indicators_total": int(total.get(g["goal"], 0)), "indicators_with_data": have,
            "series": int(mine.series_code.nunique()),
            "points": int(mine.drop_duplicates(["series_code", "ref_area"]).points.sum()),
            "latest_year": int(mine.latest_year.max()) if len(mine) else None,
            "areas": int(mine.ref_area.nunique()),
            "thin": have < THIN_SHARE * int(total.get(g["goal"], 0)),
        })
    return rows


def overview(d: SiteData, counts: pd.DataFrame) -> dict[str, Any]:
    """Totals over every goal: indicators with data (each counted once), series, points."""
    linked = links(d).merge(counts, on="series_code")
    return {"indicators_total": int(d.indicators.indicator.nunique()),
            "indicators_with_data": int(linked.indicator.nunique()),
            "series": int(counts.series_code.nunique()),
            "points": int(counts.points.sum()),
            "latest_year": int(counts.latest_year.max()) if len(counts) else None}
