"""Country and group pages: snapshot, dashboard, the numbers behind each class, data
availability, and the comparison with the subregion and the region."""

from __future__ import annotations

from typing import Any

from sdgtrack import framework
from sdgtrack.errors import UsageError
from sdgtrack.model import number
from sdgtrack.publish.site import pages_covid, pages_probability
from sdgtrack.publish.site.data import EXTRA_GROUPS, SUBREGIONS, SiteData
from sdgtrack.publish.site.i18n import gettext
from sdgtrack.publish.site.names import area_name
from sdgtrack.publish.site.pages import (
    REGION,
    NotFound,
    _page,
    area_page,
    records,
    stakeholder_evidence,
    unit_content,
)
from sdgtrack.publish.site.pages_links import unit_section as links_section
from sdgtrack.publish.site.pages_lnob import area_section, group_section, survey_section
from sdgtrack.publish.site.pages_methods import unit_section as methods_section
from sdgtrack.publish.site.pages_scorecards import area_scorecards

GROUP_PAGES = (REGION, *SUBREGIONS, *EXTRA_GROUPS)


def _comparison(d: SiteData, units: list[str], lang: str) -> list[dict[str, Any]]:
    """Goal by goal, the Current Status Index of each unit side by side."""
    a = d.results.assessment()
    names = {u.code: u.name for u in a.units}
    snap = a.snapshot[a.snapshot.unit.isin(units)]
    rows = []
    for goal_number, part in snap.groupby("goal", sort=True):
        values = dict(zip(part.unit, part.current_status_index))
        rows.append({"goal": int(goal_number),
                     "values": [{"unit": u, "name": area_name(d, u, lang) if u.isdigit()
                                 else framework.group_name(u, lang) if lang != "en"
                                 else names[u],
                                 "current_status_index": number(values.get(u))} for u in units]})
    return rows


def _availability(d: SiteData, areas: list[str]) -> dict[str, Any]:
    """Series with data, data points, and series by latest year, over ``areas``."""
    if len(areas) == 1:  # a country page: from the table split once by area
        by_area = d.cached("availability_by_area", lambda: {
            a: _available(part) for a, part in d.availability().groupby("ref_area")})
        return by_area.get(areas[0]) or _available(d.availability().iloc[:0])
    avail = d.availability()
    return _available(avail[avail.ref_area.isin(areas)])


def _available(mine: Any) -> dict[str, Any]:
    by_year = mine.groupby("latest_year").series_code.nunique().sort_index()
    return {"series": int(mine.series_code.nunique()),
            "points": int(mine.points.sum()),
            "latest_year": {int(k): int(v) for k, v in by_year.items()}}


def subregion_of(m49: str) -> str | None:
    for g in SUBREGIONS:
        if m49 in framework.group_members(g):
            return g
    return None


def area(d: SiteData, lang: str, code: str) -> dict[str, Any]:
    _ = gettext(lang)
    try:
        m49 = framework.resolve_area(code)
    except UsageError:
        m49 = code
    known = set(d.areas().ref_area)
    units = {u.code for u in d.results.assessment().units}
    if m49 not in known and m49 not in units:
        raise NotFound(f"No data for the area {code!r}; see the availability page.")
    name = area_name(d, m49, lang)
    content: dict[str, Any] = {"area": m49, "name": name,
                               "availability": _availability(d, [m49]),
                               "lnob": area_section(d, m49, lang),
                               "surveys": survey_section(d, lang, area=m49),
                               "evidence": stakeholder_evidence(d, area=m49),
                               "scorecards": area_scorecards(d, lang, m49),
                               # what it is, for the words of a page that is not assessed
                               "area_kind": framework.area_kinds().get(m49, "sub-national")}
    if m49 in units:
        sub = subregion_of(m49)
        content.update(unit_content(d, m49, lang))
        content["subregion"] = sub
        content["comparison"] = _comparison(d, [m49, *([sub] if sub else []), REGION], lang)
        content["links"] = links_section(d, m49, lang)
        content["methods"] = methods_section(d, m49, lang)
        content["covid"] = pages_covid.section(d, m49, lang)
        content["probability"] = pages_probability.section(d, m49)
    return _page("area", area_page(m49), lang, name, d, **content)


def group(d: SiteData, lang: str, code: str) -> dict[str, Any]:
    _ = gettext(lang)
    if code not in GROUP_PAGES:
        raise NotFound(f"No page for the group {code!r}; groups: {', '.join(GROUP_PAGES)}.")
    members = framework.group_members(code)
    content = unit_content(d, code, lang)
    pages = set(d.areas().ref_area)
    content["members"] = [{"code": m, "name": area_name(d, m, lang), "page": m in pages}
                          for m in members]
    content["availability"] = _availability(d, members)
    content["lnob_group"] = group_section(d, members, lang)
    content["comparison"] = _comparison(d, [code] if code == REGION else [code, REGION], lang)
    content["links"] = links_section(d, code, lang)
    content["covid"] = pages_covid.section(d, code, lang)
    content["probability"] = pages_probability.section(d, code)
    content["covid_countries"] = pages_covid.countries(d, members=members)
    content["name"] = framework.group_name(code, lang)
    return _page("group", f"group/{code}", lang, content["name"], d, group=code, **content)


def availability(d: SiteData, lang: str, goal: str | None = None) -> dict[str, Any]:
    """Goal x area counts of series with data, or for one goal series x area with the
    number of data points and the latest year."""
    _ = gettext(lang)
    if goal is not None and goal not in {str(g) for g in range(1, 18)}:
        raise NotFound(f"There is no goal {goal!r}; goals are 1 to 17.")
    content = d.cached(("availability_view", goal), lambda: _availability_view(d, goal))
    if goal is None:
        return _page("availability", "availability", lang, _("Data availability"), d,
                     **content)
    return _page("availability", f"availability/{goal}", lang,
                 _("Data availability, goal %(goal)s", goal=goal), d, goal=int(goal),
                 **content)


def _availability_view(d: SiteData, goal: str | None) -> dict[str, Any]:
    """The availability page in every language."""
    avail = d.availability()
    areas = records(d.areas()[["ref_area", "name", "kind"]])
    links = d.series()[["series_code", "indicators"]].copy()
    links["goal"] = links.indicators.fillna("").str.split(", ").apply(
        lambda xs: sorted({x.split(".")[0] for x in xs if x}, key=int))
    if goal is None:
        per = avail.merge(links.explode("goal"), on="series_code").groupby(
            ["goal", "ref_area"]).series_code.nunique()
        return {"areas": areas, "goals": [str(g) for g in range(1, 18)],
                "cells": {f"{g}|{a}": int(n) for (g, a), n in per.items()}}
    # astype(bool): on an empty store the mask is an empty object Series, which pandas
    # would take as a list of columns
    mine = links[links.goal.apply(lambda gs: goal in gs).astype(bool)]
    cells = {f"{r['series_code']}|{r['ref_area']}": [int(r["points"]), int(r["latest_year"])]
             for r in records(avail[avail.series_code.isin(mine.series_code)])}
    series = records(d.series()[d.series().series_code.isin(mine.series_code)]
                     [["series_code", "description", "indicators"]])
    return {"areas": areas, "series": series, "cells": cells}
