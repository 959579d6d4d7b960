"""The maps of the pages (``publish.maps``), as plain data added to a page's dict: each map
has its spec and the table beside it (area, value, year, class), so the JSON twin holds what
the map shows.

- A series page and an indicator page: for every country whose repository brought a
  boundary file (``store.boundaries``) and that has sub-national values of the series in the
  view's breakdowns, the latest year with any such value, area by area.
- A group page: its members by the Current Status Index of a goal (``?goal=``, goal 1 by
  default), and by the latest value of a series (``?series=``), from the country boundaries
  of ``framework.world``.
"""

from __future__ import annotations

import math
from typing import Any

from sdgtrack import framework
from sdgtrack.framework import world
from sdgtrack.framework.codelists import label
from sdgtrack.publish.maps import choropleth, class_of, classes, region_projection
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext, number
from sdgtrack.publish.site.names import area_name
from sdgtrack.publish.site.pages_data import with_concepts

#: How finely country boundaries are drawn (degrees): a region map of 58 countries in
#: about 90 kB of SVG.
WORLD_DETAIL = 0.2
#: Series of an indicator given a map on its page, at most.
INDICATOR_MAPS = 3


def _boundaries(d: SiteData) -> dict[str, list[dict[str, Any]]]:
    return d.boundaries()


def _table(features: list[dict[str, Any]], values: dict[str, float | None],
           years: dict[str, int], d: SiteData, lang: str, digits: int
           ) -> list[dict[str, Any]]:
    """The map's table: every area drawn, with its value, year and class (in words)."""
    _ = gettext(lang)
    present = [v for v in values.values() if v is not None and math.isfinite(v)]
    def fmt(v: float) -> str:
        return number(v, lang, digits)

    bands = classes(present, fmt) if present else []
    rows = []
    for f in features:
        v = values.get(f["ref_area"]) if f["ref_area"] else None
        known = v is not None and math.isfinite(v)
        rows.append({"ref_area": f["ref_area"],
                     "name": area_name(d, f["ref_area"], lang) if f["ref_area"] else f["name"],
                     "value": v if known else None,
                     "year": years.get(f["ref_area"]) if known else None,
                     "class": bands[class_of(v, bands)][2]  # type: ignore[arg-type]
                     if known else _("No data")})
    return sorted(rows, key=lambda r: (r["value"] is None, -(r["value"] or 0), r["name"]))


def _digits(values: list[float]) -> int:
    spread = (max(values) - min(values)) if values else 0
    return 0 if spread >= 100 else (1 if spread >= 1 else 2)


def _map(features: list[dict[str, Any]], values: dict[str, float | None],
         years: dict[str, int], d: SiteData, lang: str, *, title: str, subtitle: str,
         legend: str, region: bool) -> dict[str, Any]:
    _ = gettext(lang)
    present = [v for v in values.values() if v is not None]
    digits = _digits(present)
    def fmt(v: float) -> str:
        return number(v, lang, digits)

    named = [{**f, "name": area_name(d, f["ref_area"], lang) if f["ref_area"] else f["name"]}
             for f in features if f["geometry"] is not None]
    spec = choropleth(named, values, title=title, subtitle=subtitle, no_data=_("No data"),
                      legend_title=legend, fmt=fmt, labels=not region,
                      projection=region_projection() if region else None,
                      width=560 if region else 460, height=320,
                      words=(_("Area"), _("Class")))
    return {"title": title, "subtitle": subtitle, "spec": spec, "digits": digits,
            "rows": _table(features, values, years, d, lang, digits)}


def _picked(cols: dict[str, list[Any]], selection: dict[str, list[str]]) -> list[int]:
    rows = [k for k, v in enumerate(cols["value"]) if v is not None]
    for dim, codes in selection.items():
        allowed, values = set(codes), cols[dim]
        rows = [k for k in rows if values[k] in allowed]
    return rows


def series_maps(d: SiteData, lang: str, code: str, selection: dict[str, list[str]]
                ) -> list[dict[str, Any]]:
    """A series' sub-national maps, one per country with boundaries and values."""
    _ = gettext(lang)
    bounds = _boundaries(d)
    if not bounds or code not in d.series_info():
        return []
    cols = with_concepts(d.series_columns(code))  # a published concept is a column too
    picked = _picked(cols, {k: v for k, v in selection.items() if k in cols})
    info = d.series_info()[code]
    unit = label("unit_measure", info["unit_measure"], lang) if info["unit_measure"] else ""
    areas = d.areas()
    out = []
    for country, features in sorted(bounds.items()):
        drawn = {f["ref_area"] for f in features if f["ref_area"]}
        # the country's sub-national areas, drawn or not (Kazakhstan's three oblasts of
        # 2022 are in its data, not in its boundary file)
        mine = drawn | set(areas.ref_area[areas.parent == country])
        rows = [k for k in picked if cols["ref_area"][k] in mine]
        if not rows:
            continue
        year = max(int(cols["time_period"][k]) for k in rows)
        values: dict[str, float | None] = {}
        for k in rows:
            if int(cols["time_period"][k]) == year:
                values.setdefault(cols["ref_area"][k], float(cols["value"][k]))
        off = sorted(set(values) - drawn)
        if not set(values) & drawn:
            continue  # nothing to draw in that year
        # areas off the map are in its classes and its table too (the table is complete)
        shown = features + [{"ref_area": a, "name": a, "geometry": None} for a in off]
        m = _map(shown, values, dict.fromkeys(values, year), d, lang,
                 title=f"{info['description'] or code}",
                 subtitle=_("%(country)s by area, %(year)s", country=area_name(d, country, lang),
                            year=year), legend=unit or _("Value"), region=False)
        out.append({**m, "kind": "subnational", "series": code, "country": country,
                    "year": year, "source_file": features[0]["source_file"],
                    "not_on_map": [area_name(d, a, lang) for a in off],
                    "not_on_map_codes": off})
    return out


def indicator_maps(d: SiteData, lang: str, series: list[dict[str, Any]]
                   ) -> list[dict[str, Any]]:
    """The first ``INDICATOR_MAPS`` series of an indicator that have a sub-national map,
    each in its default breakdowns (the totals)."""
    if not _boundaries(d):
        return []
    out: list[dict[str, Any]] = []
    for s in series:
        if len(out) >= INDICATOR_MAPS:
            break
        cols = d.series_columns(s["series_code"])
        totals = {dim: ["_T"] for dim in _dims(cols) if "_T" in set(cols[dim])}
        out += series_maps(d, lang, s["series_code"], totals)[:INDICATOR_MAPS - len(out)]
    return out


def area_maps(d: SiteData, lang: str, m49: str, limit: int = 2) -> list[dict[str, Any]]:
    """A country's page and profile: up to ``limit`` maps, of the series with values for
    the most of its areas (then the latest year, then the code)."""
    features = _boundaries(d).get(m49)
    if not features:
        return []
    areas = {f["ref_area"] for f in features if f["ref_area"]}
    avail = d.availability()
    mine = avail[avail.ref_area.isin(areas)].groupby("series_code").agg(
        areas=("ref_area", "nunique"), latest=("latest_year", "max")).reset_index()
    ranked = mine.sort_values(["areas", "latest", "series_code"],
                              ascending=[False, False, True])
    maps = indicator_maps(d, lang, [{"series_code": c} for c in ranked.series_code[:6]])
    return [m for m in maps if m["country"] == m49][:limit]


def _dims(cols: dict[str, list[Any]]) -> list[str]:
    from sdgtrack.model import DIMENSION_NAMES

    return [dim for dim in DIMENSION_NAMES if dim in cols and len(set(cols[dim])) > 1]


def _members(code: str) -> list[dict[str, Any]]:
    shapes = world.countries(WORLD_DETAIL)
    return [{"ref_area": m, "name": shapes[m]["name"], "geometry": shapes[m]["geometry"]}
            for m in framework.group_members(code) if m in shapes]


def group_maps(d: SiteData, lang: str, group: str, query: dict[str, list[str]]
               ) -> dict[str, Any]:
    """The group page's maps: the snapshot of one goal by member, and a series by member."""
    _ = gettext(lang)
    goal = (query.get("goal") or ["1"])[0]
    goal = goal if goal in {str(g) for g in range(1, 18)} else "1"
    features = _members(group)
    missing = [m for m in framework.group_members(group)
               if m not in {f["ref_area"] for f in features}]
    snap = d.results.assessment().snapshot
    mine = snap[(snap.goal == int(goal)) & snap.unit.isin(framework.group_members(group))]
    values = {u: (None if v is None or v != v else float(v))
              for u, v in zip(mine.unit, mine.current_status_index)}
    year = d.results.assessment().method()["current_year"]
    snapshot = _map(features, values, dict.fromkeys(values, year), d, lang,
                    title=_("Goal %(goal)s: Current Status Index by country", goal=goal),
                    subtitle=_("Progress made since the baseline (1 = target reached)"),
                    legend=_("Current Status Index"), region=True)
    out = {"goal": int(goal), "goals": list(range(1, 18)), "snapshot": snapshot,
           "not_on_map": [area_name(d, m, lang) for m in missing], "series": None,
           "series_code": None}
    code = (query.get("series") or [""])[0]
    if code and code in d.series_info():
        out["series_code"] = code
        out["series"] = _series_by_country(d, lang, code, features, group)
    return out


def _series_by_country(d: SiteData, lang: str, code: str, features: list[dict[str, Any]],
                       group: str) -> dict[str, Any]:
    """The latest value of each member (its own latest year, in the table), in the totals."""
    _ = gettext(lang)
    cols = d.series_columns(code)
    totals = {dim: ["_T"] for dim in _dims(cols) if "_T" in set(cols[dim])}
    members = set(framework.group_members(group))
    values: dict[str, float | None] = {}
    years: dict[str, int] = {}
    for k in _picked(cols, totals):
        area, year = cols["ref_area"][k], int(cols["time_period"][k])
        if area in members and year >= years.get(area, -1):
            years[area], values[area] = year, float(cols["value"][k])
    info = d.series_info()[code]
    unit = label("unit_measure", info["unit_measure"], lang) if info["unit_measure"] else ""
    first, last = (min(years.values()), max(years.values())) if years else ("", "")
    span = str(last) if first == last else f"{first}–{last}"
    return _map(features, values, years, d, lang, title=info["description"] or code,
                subtitle=_("Latest value of each country (%(years)s)", years=span),
                legend=unit or _("Value"), region=True)
