"""The "who is furthest behind" sections of the country, group and series pages: gaps
between population groups in the published disaggregations (``sdgtrack.lnob.gaps``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from sdgtrack.framework.codelists import label
from sdgtrack.lnob import gaps as g
from sdgtrack.model import number
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext
from sdgtrack.publish.site.names import area_name

#: Rows in a page's "largest gaps" table.
TOP = 10
GROUP_NAMES = {"F": "Female", "M": "Male", "R": "Rural", "U": "Urban", "Q1": "Poorest quintile",
               "Q5": "Richest quintile", "PD": "Persons with disability",
               "PWD": "Persons without disability", "MIGPER": "Migrants",
               "NONMIG": "Non-migrants", "Y15T24": "Youth 15-24", "Y_GE25": "Adults 25+"}
STATUS = {"narrowing": "Narrowing", "widening": "Widening", "stable": "Stable",
          "reversed": "Reversed"}


KEYS = ["series_code", "ref_area", "dimension"]


def _latest(d: SiteData) -> pd.DataFrame:
    """Each (series, area, comparison) at its latest year, with its trend: once a version."""
    def make() -> pd.DataFrame:
        table, trends = d.results.gaps()
        return g.latest_gaps(table).merge(
            trends[[*KEYS, "first_year", "last_year", "change_per_year", "status"]],
            on=KEYS, how="left")

    return d.cached("gaps_latest", make)  # type: ignore[no-any-return]


def _by(d: SiteData, column: str) -> dict[str, list[dict[str, Any]]]:
    """``_latest`` as ``_raw`` rows, split by series or by area, once a version."""
    def make() -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for r in d.cached("gaps_latest_rows", lambda: _raw(_latest(d))):
            out.setdefault(r[column], []).append(r)
        return out

    return d.cached(("gaps_by", column), make)  # type: ignore[no-any-return]


def _raw(t: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``_latest`` as plain values (codes, not labels)."""
    return [{"series_code": r.series_code, "ref_area": r.ref_area, "dimension": r.dimension,
             "label": r.label,
             "year": int(r.time_period), "group": r.group, "reference": r.reference,
             "value_group": number(r.value_group), "value_reference": number(r.value_reference),
             "ratio": number(r.ratio),
             "behind": None if r.furthest_behind != r.furthest_behind else r.furthest_behind,
             "status": r.status if isinstance(r.status, str) else None,
             "since": None if r.first_year != r.first_year else int(r.first_year),
             "change_per_year": number(r.change_per_year)}
            for r in t.itertuples(index=False)]


def _group_name(dimension: str, code: str, lang: str) -> str:
    """A group in words: the LNOB names (``Youth 15-24``), else the code list's label."""
    _ = gettext(lang)
    return _(GROUP_NAMES[code]) if code in GROUP_NAMES else label(dimension, code, lang)


def _labelled(rows: list[dict[str, Any]], d: SiteData, lang: str) -> list[dict[str, Any]]:
    """``_raw`` rows as the pages show them, labels in ``lang``."""
    _ = gettext(lang)
    return [{"series_code": r["series_code"], "ref_area": r["ref_area"],
             "area_name": area_name(d, r["ref_area"], lang), "comparison": _(r["label"]),
             "year": r["year"], "group": _group_name(r["dimension"], r["group"], lang),
             "reference": _group_name(r["dimension"], r["reference"], lang),
             "value_group": r["value_group"], "value_reference": r["value_reference"],
             "ratio": r["ratio"],
             "behind": None if r["behind"] is None else _("Parity") if r["behind"] == "parity"
             else _group_name(r["dimension"], r["behind"], lang),
             "status": _(STATUS[r["status"]]) if r["status"] else None,
             "since": r["since"], "change_per_year": r["change_per_year"]}
            for r in rows]


def area_section(d: SiteData, m49: str, lang: str) -> dict[str, Any]:
    """The country's largest gaps where a group is behind (by |1 - ratio|), and the count of
    gaps narrowing and widening."""
    raw = d.cached(("area_gaps", m49), lambda: _area_gaps(d, m49))
    return {**{k: raw[k] for k in ("gaps", "behind", "moved")},
            "largest": _labelled(raw["largest"], d, lang),
            "widening": _labelled(raw["widening"], d, lang),
            "chart": _gap_spec(raw["chart"], lang, d)}


def _area_gaps(d: SiteData, m49: str) -> dict[str, Any]:
    """``area_section`` in every language: codes, not labels."""
    mine = _by(d, "ref_area").get(m49, [])
    behind = [r for r in mine if r["behind"] not in (None, "parity")]
    largest = sorted(behind, key=lambda r: _last_if_none(
        None if r["ratio"] is None else -abs(1 - r["ratio"])))[:TOP]
    widening = sorted([r for r in mine if r["status"] == "widening"],
                      key=lambda r: _last_if_none(None if r["change_per_year"] is None
                                                  else -r["change_per_year"]))[:TOP]
    table, _ = d.results.gaps()
    return {"gaps": len(mine), "behind": len(behind),
            "moved": dict(Counter(r["status"] for r in mine if r["status"]).most_common()),
            "largest": largest, "widening": widening,
            "chart": _gap_points(table, largest[0]) if largest else None}


def _last_if_none(value: float | None) -> tuple[bool, float]:
    """A sort key: ascending, missing values last."""
    return (value is None, value or 0.0)


def series_section(d: SiteData, series: str, areas: list[str], lang: str) -> dict[str, Any]:
    """For the series page's areas: each comparison's latest gap, who is behind, the trend."""
    wanted = set(areas)
    return {"rows": _labelled([r for r in _by(d, "series_code").get(series, [])
                               if r["ref_area"] in wanted], d, lang)}


def group_section(d: SiteData, members: list[str], lang: str) -> dict[str, Any]:
    """Across a group's members: per comparison and series, in how many the group is
    behind, the median ratio, and how the gaps moved (series with 5 or more members)."""
    _ = gettext(lang)
    rows = d.cached(("group_gaps", tuple(members)), lambda: _group_gaps(d, members))
    return {"rows": [{**r, "comparison": _(r["comparison"])} for r in rows]}


def _group_gaps(d: SiteData, members: list[str]) -> list[dict[str, Any]]:
    """``group_section`` rows in every language (the comparison not yet translated)."""
    table, trends = d.results.gaps()
    mine = table[table.ref_area.isin(members)]
    if mine.empty:
        return []
    summary = g.dimension_summary(mine, trends[trends.ref_area.isin(members)])
    summary = summary[summary.areas >= 5].assign(
        share=lambda s: s.group_behind / s.areas).sort_values(
        ["share", "areas"], ascending=False).head(2 * TOP)
    return [{"series_code": r.series_code, "comparison": r.label,
             "areas": int(r.areas), "group_behind": int(r.group_behind),
             "reference_behind": int(r.reference_behind),
             "at_parity": int(r.at_parity), "median_ratio": number(r.median_ratio),
             "narrowing": int(r.narrowing), "widening": int(r.widening)}
            for r in summary.itertuples(index=False)]


def _gap_points(table: pd.DataFrame, pick: dict[str, Any]) -> dict[str, Any]:
    """For the largest gap of a country (a ``_raw`` row), both groups of its comparison over
    the years, with group codes (``_gap_spec`` draws them, labelled)."""
    t = table[(table.series_code == pick["series_code"]) & (table.ref_area == pick["ref_area"])
              & (table.dimension == pick["dimension"])].sort_values("time_period")
    return {"series_code": pick["series_code"], "label": pick["label"],
            "dimension": pick["dimension"],
            "values": [(int(y), code, float(v)) for y, a, b in zip(
                t.time_period, t.value_group, t.value_reference, strict=True)
                for code, v in ((pick["group"], a), (pick["reference"], b))]}


def _gap_spec(points: dict[str, Any] | None, lang: str, d: SiteData | None = None
              ) -> dict[str, Any] | None:
    """Vega-Lite: both groups over the years (the gap is the space between the lines),
    titled with the series' description (its code is in the table below the chart)."""
    if points is None:
        return None
    _ = gettext(lang)
    info = d.series_info().get(points["series_code"], {}) if d is not None else {}
    name = info.get("description") or points["series_code"]
    dim = points.get("dimension", "")
    values = [{"year": y, "group": _group_name(dim, code, lang), "value": v}
              for y, code, v in points["values"]]
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 520,
            "height": 220, "title": {"text": f"{name}: {_(points['label'])}", "limit": 520},
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
            "area_name": area_name(d, s["ref_area"], lang), "indicator": s["indicator"],
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
