"""Page contents as plain data: every page is a dict that is both the JSON twin and what the
HTML template renders. Builders take the site data, a language and the page's parameters."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from sdgtrack import framework
from sdgtrack.assess.escap import ProgressClass
from sdgtrack.assess.run import records
from sdgtrack.errors import UsageError
from sdgtrack.publish.site import (
    pages_covid,
    pages_forum,
    pages_meta,
    pages_probability,
    pages_scorecards,
)
from sdgtrack.publish.site.data import SUBREGIONS, SiteData
from sdgtrack.publish.site.i18n import gettext, title
from sdgtrack.publish.site.names import area_name
from sdgtrack.publish.site.pages_links import goal_section as goal_links
from sdgtrack.publish.site.pages_links import method as links_method
from sdgtrack.publish.site.pages_lnob import survey_section
from sdgtrack.publish.site.pages_trends import goal_trends

REGION = "escap"
CLASSES = tuple(c.value for c in ProgressClass)  # the dashboard legend, in this order


class NotFound(UsageError):
    """No such page (an unknown goal, series or area): HTTP 404."""


def series_page(code: str) -> str:
    """A series' page. National series codes can hold ``:`` or spaces, which have no place
    in a file name or an address: such characters are written ``~`` and two hex digits.

    >>> series_page("KAZ_9_1_2:_L_KZ_090102_1 I")
    'series/KAZ_9_1_2~3a_L_KZ_090102_1~20I'
    """
    return "series/" + _safe(code)


def _safe(code: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "_.-")
                   else "".join(f"~{b:02x}" for b in c.encode("utf-8")) for c in code)


def area_page(code: str) -> str:
    """An area's page, written as ``series_page`` writes a series': an area published by
    its name (``Кыргызская Республика``, ``East Midlands``) has a page too.

    >>> area_page("398"), area_page("East Midlands")
    ('area/398', 'area/East~20Midlands')
    """
    return "area/" + _safe(code)


def series_code(page_name: str) -> str:
    """The inverse of ``series_page`` for the part after ``series/``.

    >>> series_code("KAZ_9_1_2~3a_L_KZ_090102_1~20I")
    'KAZ_9_1_2:_L_KZ_090102_1 I'
    """
    return unquote(re.sub(r"~([0-9a-f]{2})", lambda m: f"%{m[1]}", page_name))


def _page(kind: str, path: str, lang: str, heading: str, d: SiteData, **content: Any
          ) -> dict[str, Any]:
    return {"page": kind, "path": path, "lang": lang, "title": heading,
            "store_version": d.versions.current(), **content}


#: What a public page shows of a stakeholder's contribution (not who moderated it).
EVIDENCE_FIELDS = ("evidence_id", "organisation", "code", "ref_area", "time_period", "value",
                   "title", "summary", "source_url", "official", "label")


def stakeholder_evidence(d: SiteData, code: str | None = None, area: str | None = None,
                         goal: str | None = None) -> list[dict[str, Any]]:
    """Approved stakeholder evidence for an indicator, an area, or a goal (the goal, its
    targets and indicators): shown in a section of its own marked non-official, never in a
    series."""
    items = [e for e in d.evidence(code, area) if e["code"] != "scorecard"]  # their own section
    if goal is not None:
        items = [e for e in items if e["code"].split(".")[0] == goal]
    return [{**{k: e[k] for k in EVIDENCE_FIELDS}, "area_name": d.area_name(e["ref_area"])}
            for e in items]


def _goal_titles(d: SiteData, lang: str) -> dict[int, str]:
    return d.cached(("goal_titles", lang), lambda: {  # type: ignore[no-any-return]
        int(r["goal"]): title(r, lang, "short") for r in records(d.goals)})


def _target_titles(d: SiteData, lang: str) -> dict[str, str]:
    return d.cached(("target_titles", lang), lambda: {  # type: ignore[no-any-return]
        r["target"]: title(r, lang) for r in records(d.targets)})


def _series_of(d: SiteData) -> dict[str, list[dict[str, Any]]]:
    """Indicator code -> its series (code, description, unit, indicators, the number of areas
    with data and the latest year), computed once per version."""
    def make() -> dict[str, list[dict[str, Any]]]:
        counts = d.availability().groupby("series_code").agg(
            areas=("ref_area", "nunique"), latest_year=("latest_year", "max")).astype("Int64")
        series = d.series().merge(counts, left_on="series_code", right_index=True, how="left")
        links = series.assign(indicator=series.indicators.fillna("").str.split(", ")).explode(
            "indicator")
        out: dict[str, list[dict[str, Any]]] = {}
        for r in records(links):
            out.setdefault(r.pop("indicator"), []).append(r)
        return out

    return d.cached("series_of", make)  # type: ignore[no-any-return]


def _by_code(d: SiteData, table: str) -> dict[str, dict[str, Any]]:
    """Goal or indicator code -> its framework row, once per version."""
    frame, key = {"goals": (d.goals, "goal"), "indicators": (d.indicators, "indicator")}[table]
    return d.cached(("by_code", table), lambda: {  # type: ignore[no-any-return]
        r[key]: r for r in records(frame)})


def _snapshot(d: SiteData, report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    names = _goal_titles(d, lang)
    return [{**g, "title": names.get(int(g["goal"]), g["title"])} for g in report["snapshot"]]


def _dashboard(d: SiteData, report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Targets grouped by goal, each with its class and index, titles in ``lang``."""
    titles = _target_titles(d, lang)
    names = _goal_titles(d, lang)
    goals: dict[int, dict[str, Any]] = {}
    for t in report["dashboard"]:
        g = goals.setdefault(int(t["goal"]), {"goal": int(t["goal"]),
                                              "title": names.get(int(t["goal"]), ""),
                                              "targets": []})
        g["targets"].append({**t, "title": titles.get(t["target"], t["title"])})
    return list(goals.values())


def unit_content(d: SiteData, unit: str, lang: str) -> dict[str, Any]:
    """Snapshot, dashboard, summary and the numbers behind each class, for one unit (once
    per store version and language: every goal and indicator page shows the region's).
    Shared between pages: read it, do not change it."""
    return d.cached(("unit_content", unit, lang),  # type: ignore[no-any-return]
                    lambda: _unit_content(d, unit, lang))


def _unit_content(d: SiteData, unit: str, lang: str) -> dict[str, Any]:
    report = d.results.report(unit)
    return {
        "unit": report["unit"], "method": report["method"], "summary": report["summary"],
        "snapshot": _snapshot(d, report, lang), "dashboard": _dashboard(d, report, lang),
        "indicators": [{k: v for k, v in i.items() if k not in ("values", "observations")}
                       for i in report["indicators"] if i["assessed"]],
    }


def home(d: SiteData, lang: str) -> dict[str, Any]:
    _ = gettext(lang)
    facts, loads = d.facts(), d.loads(current=True)
    region = unit_content(d, REGION, lang)
    snap = region["snapshot"]
    counts = region["summary"]["targets_by_class"]
    names = dict(zip(d.groups.group, d.groups.name))
    groups = [{"code": g, "name": _(names[g]) if lang == "en" else framework.group_name(g, lang)}
              for g in (*SUBREGIONS, "ldc", "lldc", "sids")]
    return _page("home", "index", lang, _("Asia and the Pacific: progress on the SDGs"), d,
                 region=region, data=records(facts)[0], datasets=_with_changes(loads),
                 groups=groups, forums=pages_forum.forum_links(d, lang),
                 scorecard_summary=pages_scorecards.regional_summary(d),
                 behind=sum(g["status"] != "on_schedule" for g in snap),
                 achieved=sum((g["current_status_index"] or 0) >= 1 for g in snap),
                 assessed_targets=sum(v for k, v in counts.items() if k != "insufficient_data"))


def goal(d: SiteData, lang: str, number: str) -> dict[str, Any]:
    _ = gettext(lang)
    g = _by_code(d, "goals").get(number)
    if g is None:
        raise NotFound(f"There is no goal {number!r}; goals are 1 to 17.")
    region = unit_content(d, REGION, lang)
    shared = next(x for x in region["dashboard"] if x["goal"] == int(number))["targets"]
    inds = [i for i in _by_code(d, "indicators").values() if i["goal"] == number]
    series_of = _series_of(d)
    targets = [{**t, "indicators": [
        {"indicator": i["indicator"], "title": title(i, lang),
         "series": [{"series_code": s["series_code"], "description": s["description"]}
                    for s in series_of.get(i["indicator"], [])]}
        for i in inds if i["target"] == t["target"]]} for t in shared]
    return _page("goal", f"goal/{number}", lang,
                 _("Goal %(goal)s: %(title)s", goal=number, title=title(g, lang)), d,
                 goal=int(number), short=title(g, lang, "short"),
                 region=next(x for x in region["snapshot"] if x["goal"] == int(number)),
                 targets=targets, subregions=[{**u, "name": _(u["name"])}
                                              for u in _goal_by_units(d, number, SUBREGIONS)],
                 countries=[{**u, "name": area_name(d, u["unit"], lang)}
                            for u in _goal_by_units(d, number, None)],
                 assessed=[i for i in region["indicators"]
                           if i["indicator"].split(".")[0] == number],
                 trends=goal_trends(d, REGION, int(number), lang),
                 links=goal_links(d, int(number), lang),
                 covid=pages_covid.section(d, REGION, lang, int(number)),
                 covid_countries=pages_covid.countries(d, int(number)),
                 probability=pages_probability.section(d, REGION, int(number)),
                 evidence=stakeholder_evidence(d, goal=number),
                 forum=pages_forum.goal_section(d, lang, number),
                 scorecards=pages_scorecards.goal_scorecards(d, lang, number))


def _goal_by_units(d: SiteData, number: str, units: tuple[str, ...] | None
                   ) -> list[dict[str, Any]]:
    """The goal's Current Status Index per unit: subregions, or every country (best first),
    so a reader sees who leads and who lags. Once a version: the same in every language."""
    return d.cached(("goal_by_units", number, units),  # type: ignore[no-any-return]
                    lambda: _goal_units(d, number, units))


def _goal_units(d: SiteData, number: str, units: tuple[str, ...] | None
                ) -> list[dict[str, Any]]:
    a = d.results.assessment()
    snap = a.snapshot[a.snapshot.goal == int(number)]
    kinds = {u.code: u for u in a.units}
    if units is None:  # countries with an assessment (every such country has a page)
        snap = snap[snap.unit.map(lambda c: kinds[c].kind == "country")
                    & snap.current_status_index.notna()]
    else:
        snap = snap[snap.unit.isin(units)]
    snap = snap.sort_values("current_status_index", ascending=False, na_position="last")
    return [{"unit": r["unit"], "name": kinds[r["unit"]].name,
             "kind": kinds[r["unit"]].kind,
             "current_status_index": r["current_status_index"], "status": r["status"],
             "indicators_used": r["indicators_used"]} for r in records(snap)]


def indicator(d: SiteData, lang: str, code: str) -> dict[str, Any]:
    _ = gettext(lang)
    row = _by_code(d, "indicators").get(code)
    if row is None:
        raise NotFound(f"There is no indicator {code!r} (write it as 3.2.1).")
    region = unit_content(d, REGION, lang)
    return _page("indicator", f"indicator/{code}", lang,
                 _("Indicator %(code)s", code=code), d, indicator=code,
                 target=row["target"], goal=int(row["goal"]), text=title(row, lang),
                 series=_series_of(d).get(code, []),
                 assessed=[i for i in region["indicators"] if i["indicator"] == code],
                 surveys=survey_section(d, lang, indicator=code),
                 evidence=stakeholder_evidence(d, code=code),
                 national_metadata=pages_meta.for_indicator(d, lang, code))


def methodology(d: SiteData, lang: str) -> dict[str, Any]:
    from sdgtrack.assess.spec import load_spec

    _ = gettext(lang)
    a = d.results.assessment()
    spec = load_spec()
    rules = spec.target_rule.value_counts().to_dict()
    loads = d.loads()
    return _page("methodology", "methodology", lang, _("Methodology"), d,
                 method=a.method(), rules={k: int(v) for k, v in rules.items()},
                 assessed_series=len(spec), loads=_with_changes(loads),
                 links_method=links_method(),
                 backtest=pages_probability.backtest(d))


def _with_changes(loads: Any) -> list[dict[str, Any]]:
    """Loads as rows, each with what its vintage changed (``changes``, None for a first
    load) in place of the stored JSON."""
    out = []
    for r in records(loads):
        diff = r.pop("diff", None)
        out.append({**r, "changes": json.loads(diff) if diff else None})
    return out


def search(d: SiteData, lang: str, q: str) -> dict[str, Any]:
    """The hub's search (``publish.search``): results grouped by kind, exact codes and names
    first, with snippets. (The static site runs the same query in the browser over the
    prebuilt index: static/search.js.)"""
    from sdgtrack.publish import search as hub

    _ = gettext(lang)
    found = hub.search(d, lang, q)
    return _page("search", "search", lang, _("Search"), d, q=q, results=found["results"],
                 groups=found["groups"], total=found["total"])
