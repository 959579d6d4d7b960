"""The goal page's "Trends of the series assessed": each assessed series of the goal as a
small chart of the region's values over the years, with its 2030 target as a rule."""

from __future__ import annotations

from typing import Any

from sdgtrack.framework.codelists import selection_label
from sdgtrack.publish.charts import cut_header
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext

#: Width and height of each small chart, in pixels.
SMALL = (170, 80)


def _name(d: SiteData, series_code: str, selection: str | None, lang: str) -> str:
    info = d.series_info().get(series_code, {})
    words = info.get("description") or series_code
    extra = selection_label(selection, lang)
    return f"{words} ({extra})" if extra else words


def goal_trends(d: SiteData, unit: str, goal: int, lang: str) -> dict[str, Any] | None:
    """Vega-Lite small multiples: one panel per assessed series of ``goal`` for ``unit``
    (the region's mean of its countries, gaps filled), its target as a dashed rule. None
    when the goal has no assessed series."""
    _ = gettext(lang)
    report = d.results.report(unit)
    w, h = SMALL
    rows = []
    for i in report["indicators"]:
        if not i["assessed"] or i["indicator"].split(".")[0] != str(goal):
            continue
        name = _name(d, i["series_code"], i["selection"], lang)
        rows += [{"series": name, "year": v["year"], "value": v["value"],
                  "target": i["target_level"]} for v in i["values"] if v["value"] is not None]
    if not rows:
        return None
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": rows},
        "facet": {"field": "series", "type": "nominal", "title": None,
                  "header": cut_header({r["series"] for r in rows}, w + 20)},
        "columns": 3,
        "spec": {"width": w, "height": h, "layer": [
            {"mark": {"type": "line", "color": "#1f78b4"},
             "encoding": {"x": {"field": "year", "type": "quantitative", "title": None,
                                "axis": {"format": "d", "tickCount": 4}},
                          "y": {"field": "value", "type": "quantitative", "title": None,
                                "scale": {"zero": False}}}},
            {"transform": [{"filter": "isValid(datum.target)"}],
             "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#555"},
             "encoding": {"y": {"aggregate": "max", "field": "target",
                                "type": "quantitative"}}}]},
        "resolve": {"scale": {"y": "independent"}},
        # the title in the page's language, shown above the chart in HTML: the panels are
        # then one SVG for every language (``charts.drawn``)
        "usermeta": {"title": _("Asia and the Pacific, unweighted mean of the countries"),
                     "subtitle": _("The dashed line is the 2030 target.")},
    }
