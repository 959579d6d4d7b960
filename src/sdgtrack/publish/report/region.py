"""The regional progress report: the snapshot and target dashboard of the ESCAP region or any
framework group (a subregion next to the region), each goal's highlights (the targets with
most progress and those regressing), and data availability across the members."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sdgtrack.publish.report import availability as avail
from sdgtrack.publish.report import sections
from sdgtrack.publish.report.common import (
    REGION,
    check_format,
    group_of,
    provenance,
    report_of,
    site,
)
from sdgtrack.publish.report.covid import covid_context, probability_context
from sdgtrack.publish.report.links import kroll_section, links_section
from sdgtrack.publish.report.messages import translator
from sdgtrack.publish.report.render import document
from sdgtrack.publish.report.used import loads_used, series_used
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import title
from sdgtrack.publish.site.names import area_name
from sdgtrack.store import Store

#: Targets listed per goal as "most progress".
HIGHLIGHTS = 3


def highlights(d: SiteData, report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Per goal: the ``HIGHLIGHTS`` targets with the highest Anticipated Progress Index, and
    every target whose class is "reverse" (lowest first)."""
    titles = {t["target"]: title(t, lang) for t in d.targets.to_dict("records")}
    dash = pd.DataFrame(report["dashboard"])
    dash["title"] = dash.target.map(titles).fillna(dash.title)
    out = []
    for g in sections.snapshot_rows(d, report, lang):
        mine = dash[(dash.goal == g["goal"]) & dash.anticipated_progress_index.notna()]
        best = mine[mine["class"] != "reverse"].sort_values(
            "anticipated_progress_index", ascending=False).head(HIGHLIGHTS)
        worst = mine[mine["class"] == "reverse"].sort_values("anticipated_progress_index")
        out.append({**g, "best": best.to_dict("records"), "regressing": worst.to_dict("records"),
                    "assessed": len(mine)})
    return out


def members(d: SiteData, codes: list[str], counts: pd.DataFrame, lang: str = "en"
            ) -> list[dict[str, Any]]:
    """Each member, named in the document's language (the UN's Chinese and Russian names),
    with the series and indicators it has data for and its latest year."""
    linked = avail.links(d).merge(counts, on="series_code")
    out = []
    names = {m: area_name(d, m, lang) for m in codes}
    # Russian in its alphabet; Chinese in the English order (code points are no order)
    order = names if lang != "zh" else {m: d.area_name(m) for m in codes}
    for m in sorted(codes, key=lambda c: order[c]):
        mine = counts[counts.ref_area == m]
        out.append({"code": m, "name": names[m], "series": int(mine.series_code.nunique()),
                    "indicators": int(linked[linked.ref_area == m].indicator.nunique()),
                    "latest_year": int(mine.latest_year.max()) if len(mine) else None})
    return out


def region_context(d: SiteData, group: str, lang: str) -> dict[str, Any]:
    """Everything the regional report shows, as plain data."""
    _ = translator(lang)
    unit = group_of(group)
    report = report_of(d, unit)
    codes = [group] + ([REGION] if group != REGION else [])
    reports = [report] + [report_of(d, group_of(c)) for c in codes[1:]]
    names = [sections.short_name(_(group_of(c).name)) for c in codes]
    counts = d.availability()
    counts = counts[counts.ref_area.isin(unit.members)]
    areas = {m for c in codes for m in group_of(c).members}
    prov = provenance(d, report["method"], loads_used(d, None, areas, reports))
    prov["series"] = series_used(reports)
    return {
        "group": {"code": group, "name": _(unit.name), "members": len(unit.members)},
        "report": report, "summary": report["summary"], "prov": prov,
        "data_as_of": sections.loaded_date(prov),
        "chart": sections.chart(d, report, _, lang),
        "units": [{"code": c, "name": n} for c, n in zip(codes, names)],
        "comparison": sections.comparison(d, reports, lang),
        "dashboard": sections.dashboard(reports, names),
        "highlights": highlights(d, report, lang),
        "availability": avail.by_goal(d, counts, lang),
        "data_overview": avail.overview(d, counts),
        "members": members(d, list(unit.members), counts, lang),
        "links": links_section(d, group, lang),
        "kroll": kroll_section(d, group),
        "covid": covid_context(d, group, lang),
        "probability": probability_context(d, group),
    }


def regional_report(store: Store | SiteData, group: str = REGION, lang: str = "en",
                    fmt: str = "pdf") -> bytes:
    """The progress report of a framework group (``escap``, ``escap_sea``, ``ldc`` ...) as
    PDF or self-contained HTML."""
    check_format("region", fmt)
    d = site(store)
    context = region_context(d, group, lang)
    return document("region.html", fmt, lang, context["group"]["name"],
                    "Regional SDG progress report", **context)
