"""The country profile: the goal snapshot and target dashboard next to the country's ESCAP
subregion and the region, key indicators per goal with their trends, and data availability
and gaps. A4, a footer with sources and method on every page."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sdgtrack import framework
from sdgtrack.assess import country_unit
from sdgtrack.errors import UsageError
from sdgtrack.publish.report import availability as avail
from sdgtrack.publish.report import sections
from sdgtrack.publish.report.common import (
    REGION,
    check_format,
    code_key,
    group_of,
    provenance,
    report_of,
    site,
)
from sdgtrack.publish.report.covid import probability_context
from sdgtrack.publish.report.links import links_section
from sdgtrack.publish.report.messages import translator
from sdgtrack.publish.report.render import document
from sdgtrack.publish.report.trends import data_uri, trend_chart
from sdgtrack.publish.report.used import loads_used, series_used
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import title
from sdgtrack.publish.site.names import area_name
from sdgtrack.publish.site.pages_probability import series_probabilities
from sdgtrack.publish.site.pages_units import subregion_of
from sdgtrack.store import Store

#: Key indicators shown per goal: the assessed series with the longest records.
KEY_PER_GOAL = 3
#: Gaps listed under "Who is furthest behind?", largest first.
FURTHEST_BEHIND_ROWS = 8


def _assessed_items(d: SiteData, report: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """Assessed series by goal, longest record first. A series counts under every indicator
    it serves (as in the assessment: a disaster-loss series of 1.5.1 also shows under 13)."""
    served = avail.links(d).groupby("series_code").indicator.apply(set).to_dict()
    items: dict[int, list[dict[str, Any]]] = {}
    ranked = sorted((i for i in report["indicators"] if i["assessed"]),
                    key=lambda i: (-(i["points"] or 0), i["series_code"], i["selection"]))
    for i in ranked:
        # a stand-in counts for the one indicator it stands in for
        indicators = {i["indicator"]} | (set() if i.get("stand_in") == "yes" else
                                         served.get(i["series_code"], set()))
        by_goal: dict[int, str] = {}
        for code in sorted(indicators, key=code_key):
            by_goal.setdefault(int(code.split(".")[0]), code)
        for goal, code in by_goal.items():
            items.setdefault(goal, []).append(
                {"series_code": i["series_code"], "selection": i["selection"],
                 "indicator": code, "x0": i["x0"], "t0": i["t0"], "xc": i["xc"],
                 "tc": i["tc"], "target": i["target_level"], "class": i["class"],
                 "stand_in": i.get("stand_in") == "yes", "values": i["values"]})
    return items


def _unassessed_items(d: SiteData, rows: pd.DataFrame, goal: int,
                      base: int) -> list[dict[str, Any]]:
    """For a goal with no assessed series: the area's series with the most years, with
    the value of the baseline year (or the closest earlier, else the first) and the latest."""
    linked = avail.links(d)
    codes = linked[linked.goal == str(goal)].drop_duplicates("series_code")
    mine = rows[rows.series_code.isin(codes.series_code)]
    counts = mine.groupby("series_code").time_period.nunique()
    items = []
    for code in sorted(counts.index, key=lambda c: (-counts[c], c))[:KEY_PER_GOAL]:
        s = mine[mine.series_code == code].sort_values("time_period")
        before = s[s.time_period <= base]
        first, last = (before.iloc[-1] if len(before) else s.iloc[0]), s.iloc[-1]
        items.append({"series_code": code, "selection": "",
                      "indicator": codes[codes.series_code == code].indicator.iloc[0],
                      "x0": float(first.value), "t0": int(first.time_period),
                      "xc": float(last.value), "tc": int(last.time_period), "target": None,
                      "class": None,
                      "values": [{"year": int(y), "value": float(v)}
                                 for y, v in zip(s.time_period, s.value)]})
    return items


def key_indicators(d: SiteData, report: dict[str, Any], rows: pd.DataFrame,
                   lang: str) -> list[dict[str, Any]]:
    """Per goal, up to ``KEY_PER_GOAL`` series: description, baseline, latest, target,
    class and a trend chart; goals with no assessed series show the series with most data."""
    assessed = _assessed_items(d, report)
    series = d.series().set_index("series_code")
    indicators = {r["indicator"]: r for r in d.indicators.to_dict("records")}
    snap = {int(g["goal"]): g for g in sections.snapshot_rows(d, report, lang)}
    p = report["method"]["parameters"]
    base = p["baseline_year"]
    years = (p["trend_start"], max(report["method"]["current_year"], int(rows.time_period.max())))
    chance = series_probabilities(d, report["unit"]["code"])
    goals = []
    for goal in sorted(snap):
        items = assessed.get(goal, [])[:KEY_PER_GOAL] or _unassessed_items(d, rows, goal, base)
        for i in items:
            i["description"] = (series.description.get(i["series_code"]) or i["series_code"])
            i["indicator_title"] = title(indicators.get(i["indicator"], {}), lang)
            i["chart"] = trend_chart(i["values"], i["target"], i["class"], lang, years)
            i["probability"] = chance.get((i["series_code"], i["selection"] or ""))
        goals.append({**snap[goal], "items": items})
    return goals


def furthest_behind(d: SiteData, m49: str, lang: str) -> dict[str, Any] | None:
    """The country's largest gaps between population groups, as on its web page
    (``publish.site.pages_lnob``, from ``lnob.gaps``); None when its data has no breakdown
    to compare, so the section is left out rather than printed empty."""
    from sdgtrack.publish.site.pages_lnob import area_section

    section = area_section(d, m49, lang)
    if not section["largest"]:
        return None
    series = d.series().set_index("series_code").description
    rows = [{**r, "description": series.get(r["series_code"]) or r["series_code"]}
            for r in section["largest"][:FURTHEST_BEHIND_ROWS]]
    return {**section, "largest": rows}


def _units(m49: str, name: str) -> list[tuple[str, str]]:
    """The country, its ESCAP subregion and the region (when it is an ESCAP member)."""
    if m49 not in framework.group_members(REGION):
        return [(m49, name)]
    sub = subregion_of(m49)
    return [(m49, name), *([(sub, group_of(sub).name)] if sub else []),
            (REGION, group_of(REGION).name)]


def profile_context(d: SiteData, area: str, lang: str) -> dict[str, Any]:
    """Everything the country profile shows, as plain data."""
    _ = translator(lang)
    m49 = framework.resolve_area(area)
    rows = avail.area_rows(d, m49)
    if rows.empty:
        raise UsageError(f"The store has no data for {area!r} ({d.area_name(m49)}); load "
                         "data for it first, or see `sdgtrack areas` for the areas it has.")
    unit = country_unit(m49)
    report = report_of(d, unit)
    units = _units(m49, area_name(d, m49, lang))
    reports = [report] + [report_of(d, group_of(code)) for code, _n in units[1:]]
    names = [units[0][1]] + [sections.short_name(_(n)) for _c, n in units[1:]]
    counts = avail.per_series(rows)
    members = {m49} | {m for code, _n in units[1:] for m in group_of(code).members}
    prov = provenance(d, report["method"], loads_used(d, rows, members, reports))
    prov["series"] = series_used(reports, rows)
    return {
        "area": {"m49": m49, "name": units[0][1], "iso3": framework.iso3_of(m49),
                 "subregion": _(units[1][1]) if len(units) > 2 else None},
        "report": report, "summary": report["summary"], "prov": prov,
        "data_as_of": sections.loaded_date(prov),
        "chart": sections.chart(d, report, _, lang),
        "units": [{"code": c, "name": n} for (c, _n), n in zip(units, names)],
        "comparison": sections.comparison(d, reports, lang),
        "dashboard": sections.dashboard(reports, names),
        "key": key_indicators(d, report, rows, lang), "key_per_goal": KEY_PER_GOAL,
        "availability": avail.by_goal(d, counts, lang),
        "data_overview": avail.overview(d, counts),
        "snapshot": {int(g["goal"]): g for g in report["snapshot"]},
        "furthest_behind": furthest_behind(d, m49, lang),
        "surveys": surveys(d, m49, lang),
        "links": links_section(d, m49, lang),
        "probability": probability_context(d, m49),
    }


def surveys(d: SiteData, m49: str, lang: str) -> list[dict[str, Any]]:
    """The survey analyses saved for the area (``lnob survey --save``), as on its web page,
    each with its tree drawn for print."""
    from sdgtrack.publish.site.i18n import percent
    from sdgtrack.publish.site.pages_lnob import survey_section
    from sdgtrack.publish.tree_chart import analysis_svg

    _ = translator(lang)
    return [{**s, "tree_chart": data_uri(analysis_svg(
        s, s["title"], words=_, percent=lambda v: percent(v, lang, 1)))}
        for s in survey_section(d, lang, area=m49)]


def country_profile(store: Store | SiteData, area: str, lang: str = "en",
                    fmt: str = "pdf") -> bytes:
    """The country profile of ``area`` (M49 or ISO3 code) as PDF or self-contained HTML."""
    check_format("country", fmt)
    d = site(store)
    context = profile_context(d, area, lang)
    return document("country.html", fmt, lang, context["area"]["name"],
                    "SDG progress profile", **context)
