"""The "who is furthest behind" sections of the country, group and series pages: gaps
between population groups in the published disaggregations (``sdgtrack.lnob.gaps``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sdgtrack.lnob import gaps as g
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext

#: Rows in a page's "largest gaps" table.
TOP = 10
GROUP_NAMES = {"F": "Female", "M": "Male", "R": "Rural", "U": "Urban", "Q1": "Poorest quintile",
               "Q5": "Richest quintile", "PD": "Persons with disability",
               "PWD": "Persons without disability", "MIGPER": "Migrants",
               "NONMIG": "Non-migrants", "Y15T24": "Youth 15-24", "Y_GE25": "Adults 25+"}
STATUS = {"narrowing": "Narrowing", "widening": "Widening", "stable": "Stable",
          "reversed": "Reversed"}


def _num(value: Any) -> float | None:
    return None if value is None or value != value else float(value)


KEYS = ["series_code", "ref_area", "dimension"]


def _latest(d: SiteData) -> pd.DataFrame:
    """Each (series, area, comparison) at its latest year, with its trend: once a version."""
    def make() -> pd.DataFrame:
        table, trends = d.gaps()
        return g.latest_gaps(table).merge(
            trends[[*KEYS, "first_year", "last_year", "change_per_year", "status"]],
            on=KEYS, how="left")

    return d.cached("gaps_latest", make)  # type: ignore[no-any-return]


def _by(d: SiteData, column: str) -> dict[str, pd.DataFrame]:
    """``_latest`` split by series or by area, once a version."""
    return d.cached(("gaps_by", column), lambda: dict(  # type: ignore[no-any-return]
        tuple(_latest(d).groupby(column, sort=False))))


def _rows(t: pd.DataFrame, d: SiteData, lang: str) -> list[dict[str, Any]]:
    """Rows of ``_latest`` as the pages show them, labels in ``lang``."""
    _ = gettext(lang)
    out = []
    for r in t.itertuples(index=False):
        behind = r.furthest_behind
        out.append({
            "series_code": r.series_code, "ref_area": r.ref_area,
            "area_name": d.area_name(r.ref_area), "comparison": _(r.label),
            "year": int(r.time_period), "group": _(GROUP_NAMES.get(r.group, r.group)),
            "reference": _(GROUP_NAMES.get(r.reference, r.reference)),
            "value_group": _num(r.value_group), "value_reference": _num(r.value_reference),
            "ratio": _num(r.ratio),
            "behind": None if behind is None or behind != behind else
            _("Parity") if behind == "parity" else _(GROUP_NAMES.get(behind, behind)),
            "status": _(STATUS[r.status]) if isinstance(r.status, str) else None,
            "since": None if r.first_year != r.first_year else int(r.first_year),
            "change_per_year": _num(r.change_per_year)})
    return out


def area_section(d: SiteData, m49: str, lang: str) -> dict[str, Any]:
    """The country's largest gaps where a group is behind (by |1 - ratio|), and the count of
    gaps narrowing and widening."""
    table, _ = d.gaps()
    mine = _by(d, "ref_area").get(m49, _latest(d).iloc[:0])
    behind = mine[mine.furthest_behind.notna() & mine.furthest_behind.ne("parity")]
    largest = behind.assign(size=(1 - behind.ratio).abs()).sort_values(
        "size", ascending=False).head(TOP)
    widening = mine[mine.status == "widening"].sort_values("change_per_year",
                                                           ascending=False).head(TOP)
    return {"gaps": len(mine), "behind": len(behind),
            "moved": {k: int(v) for k, v in mine.status.value_counts().items()},
            "largest": _rows(largest, d, lang), "widening": _rows(widening, d, lang),
            "chart": gap_chart(table, largest.head(1), lang)}


def series_section(d: SiteData, series: str, areas: list[str], lang: str) -> dict[str, Any]:
    """For the series page's areas: each comparison's latest gap, who is behind, the trend."""
    mine = _by(d, "series_code").get(series, _latest(d).iloc[:0])
    return {"rows": _rows(mine[mine.ref_area.isin(areas)], d, lang)}


def group_section(d: SiteData, members: list[str], lang: str) -> dict[str, Any]:
    """Across a group's members: per comparison and series, in how many the group is
    behind, the median ratio, and how the gaps moved (series with 5 or more members)."""
    _ = gettext(lang)
    table, trends = d.gaps()
    mine = table[table.ref_area.isin(members)]
    if mine.empty:
        return {"rows": []}
    summary = g.dimension_summary(mine, trends[trends.ref_area.isin(members)])
    summary = summary[summary.areas >= 5].assign(
        share=lambda s: s.group_behind / s.areas).sort_values(
        ["share", "areas"], ascending=False).head(2 * TOP)
    return {"rows": [{"series_code": r.series_code, "comparison": _(r.label),
                      "areas": int(r.areas), "group_behind": int(r.group_behind),
                      "reference_behind": int(r.reference_behind),
                      "at_parity": int(r.at_parity), "median_ratio": _num(r.median_ratio),
                      "narrowing": int(r.narrowing), "widening": int(r.widening)}
                     for r in summary.itertuples(index=False)]}


def gap_chart(table: pd.DataFrame, pick: pd.DataFrame, lang: str) -> dict[str, Any] | None:
    """Vega-Lite: both groups of one comparison over the years (the gap is the space
    between the lines), for the largest gap of a country."""
    if pick.empty:
        return None
    _ = gettext(lang)
    r = pick.iloc[0]
    t = table[(table.series_code == r.series_code) & (table.ref_area == r.ref_area)
              & (table.dimension == r.dimension)].sort_values("time_period")
    values = [{"year": int(y), "group": _(GROUP_NAMES.get(code, code)), "value": float(v)}
              for y, a, b in zip(t.time_period, t.value_group, t.value_reference, strict=True)
              for code, v in ((r.group, a), (r.reference, b))]
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 520,
            "height": 220, "title": f"{r.series_code}: {_(r.label)}",
            "data": {"values": values}, "mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "year", "type": "ordinal", "title": None},
                         "y": {"field": "value", "type": "quantitative", "title": None},
                         "color": {"field": "group", "type": "nominal", "title": None,
                                   "legend": {"orient": "bottom"}},
                         "strokeDash": {"field": "group", "type": "nominal"}}}


def survey_section(d: SiteData, lang: str, area: str | None = None,
                   indicator: str | None = None) -> list[dict[str, Any]]:
    """The saved survey analyses (``sdgtrack lnob survey --save``) of an area or of an
    indicator: the rate, D-index and HOI, the furthest-behind and furthest-ahead groups, the
    tree's nodes (drawn on the page) and the Shapley contributions."""
    _ = gettext(lang)
    out = []
    for s in d.surveys():
        if (area is not None and s["ref_area"] != area) or (
                indicator is not None and s["indicator"] != indicator):
            continue
        r = s["result"]
        out.append({
            "analysis_id": s["analysis_id"], "title": s["title"], "survey": s["survey"],
            "year": s["time_period"], "ref_area": s["ref_area"],
            "area_name": d.area_name(s["ref_area"]), "indicator": s["indicator"],
            "series_code": s["series_code"], "file_name": s["file_name"],
            "checksum": s["checksum"], "saved_at": s["saved_at"],
            "outcome": r["outcome"], "barrier": r["barrier"], "rate": r["rate"],
            "access_rate": r["access_rate"], "d_index": r["d_index"], "hoi": r["hoi"],
            "n": r["n"], "furthest_behind": r["furthest_behind"],
            "furthest_ahead": r["furthest_ahead"],
            "tree": [{k: n.get(k) for k in ("node", "parent", "depth", "branch", "condition",
                                            "n", "share", "rate", "terminal")}
                     for n in r["tree"]],
            "shapley": r["shapley"], "parameters": r["parameters"]})
    return out
