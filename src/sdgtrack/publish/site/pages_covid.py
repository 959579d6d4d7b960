""""Where COVID-19 set progress back" on the country, group and goal pages: the share of
series in each class (``assess/covid.py``), the median years of progress lost, the worst
setbacks in a table and a chart of observed values against the pre-2020 trend."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sdgtrack.assess.covid import (
    CLASSES,
    KEYS,
    CovidClass,
    CovidParameters,
    fit,
    of_assessment,
    paths,
    summary,
)
from sdgtrack.assess.run import records
from sdgtrack.publish.charts import cut_header
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext
from sdgtrack.publish.site.pages_trends import _name

#: Setbacks shown in the table and the chart (the chart keeps it readable at six panels).
WORST = 6
PARAMETERS = CovidParameters()


def covid_rows(d: SiteData) -> pd.DataFrame:
    """The setback of every unit and series of the site's assessment, once a version."""
    return d.cached("covid", lambda: of_assessment(  # type: ignore[no-any-return]
        d.results.assessment(), PARAMETERS))


def _worst(mine: pd.DataFrame) -> pd.DataFrame:
    """The setbacks, most years lost first; those without years (a trend that made no
    progress) after, by their shortfall in standard errors."""
    s = mine[mine["class"] == CovidClass.SETBACK.value]
    return s.sort_values(["years_lost", "z"], ascending=False, na_position="last").head(WORST)


def _facts(rows: pd.DataFrame) -> dict[str, Any]:
    got = records(summary(rows.assign(_all=0), ["_all"]).drop(columns="_all"))[0]
    return got


def section(d: SiteData, unit: str, lang: str, goal: int | None = None
            ) -> dict[str, Any] | None:
    """The section for ``unit`` (its series of ``goal``, or of every goal): the class
    counts and shares, per goal (without ``goal``), the worst setbacks and their chart;
    None when the unit has no series."""
    rows = covid_rows(d)
    mine = rows[rows.unit == unit]
    if goal is not None:
        mine = mine[mine.goal == goal]
    if mine.empty:
        return None
    worst = _worst(mine)
    out: dict[str, Any] = {
        "facts": _facts(mine), "classes": list(CLASSES), "parameters": PARAMETERS.as_dict(),
        "worst": [{**r, "name": _name(d, r["series_code"], r["selection"], lang)}
                  for r in records(worst[["series_code", "selection", "indicator", "year",
                                          "observed", "projected", "lower", "upper",
                                          "shortfall", "years_lost", "trend_points"]])],
        "chart": chart(d, worst, lang),
    }
    if goal is None:
        out["goals"] = records(summary(mine, ["goal"]))
    return out


def countries(d: SiteData, goal: int | None = None, members: list[str] | None = None
              ) -> list[dict[str, Any]]:
    """Per country (of ``members``, else every assessed one), in ``goal`` or overall: the
    series with a trend, setbacks, their share and the median years lost; most setbacks
    first."""
    rows = covid_rows(d)
    rows = rows[rows.unit_kind == "country"]
    if members is not None:
        rows = rows[rows.unit.isin(members)]
    if goal is not None:
        rows = rows[rows.goal == goal]
    if rows.empty:
        return []
    table = summary(rows, ["unit", "unit_name"]).sort_values(
        ["share_setback", "median_years_lost"], ascending=False, na_position="last")
    return records(table[["unit", "unit_name", "with_trend", "n_setback", "share_setback",
                          "n_no_post_2019_data", "median_years_lost"]])


def chart(d: SiteData, worst: pd.DataFrame, lang: str) -> dict[str, Any] | None:
    """Vega-Lite small multiples, one panel per setback: the observed values (dots, line),
    the 2015-2019 trend carried on to 2023 (dashed) and its prediction interval (band)."""
    if worst.empty:
        return None
    _ = gettext(lang)
    a = d.results.assessment()
    keys = worst[[*KEYS, *(c for c in ("bound_lower", "bound_upper") if c in worst)]]
    pts = a.points.merge(keys, on=KEYS)
    lines = paths(pts, fit(pts, PARAMETERS), keys, PARAMETERS)
    names = {(r.unit, r.sub_id): _name(d, r.series_code, r.selection, lang)
             for r in worst.itertuples()}
    order = [names[(r.unit, r.sub_id)] for r in worst.itertuples()]
    observed, trend = _("Observed"), _("Trend of 2015-2019, carried on")
    values = []
    for r in records(lines):
        name = names[(r["unit"], r[KEYS[1]])]
        values.append({"series": name, "year": r["year"], "what": trend,
                       "value": r["projected"],
                       "lower": r["lower"] if r["year"] > PARAMETERS.fit_end else None,
                       "upper": r["upper"] if r["year"] > PARAMETERS.fit_end else None})
        if r["observed"] is not None:
            values.append({"series": name, "year": r["year"], "what": observed,
                           "value": r["observed"], "lower": None, "upper": None})
    colour = {"field": "what", "type": "nominal", "title": None,
              "scale": {"domain": [observed, trend], "range": ["#222222", "#d7191c"]},
              "legend": {"orient": "bottom", "labelLimit": 400}}
    x = {"field": "year", "type": "quantitative", "title": None,
         "axis": {"format": "d", "tickCount": 5}, "scale": {"domain": [2015, 2023]}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "facet": {"field": "series", "type": "nominal", "title": None, "sort": order,
                  "header": cut_header(set(order), 200)},
        "columns": 3,
        "spec": {"width": 190, "height": 100, "layer": [
            {"transform": [{"filter": "isValid(datum.lower)"}],
             "mark": {"type": "area", "color": "#d7191c", "opacity": 0.15},
             "encoding": {"x": x, "y": {"field": "lower", "type": "quantitative"},
                          "y2": {"field": "upper"}}},
            {"mark": {"type": "line", "point": True},
             "encoding": {"x": x, "y": {"field": "value", "type": "quantitative",
                                        "title": None, "scale": {"zero": False}},
                          "color": colour,
                          "strokeDash": {"field": "what", "type": "nominal", "legend": None,
                                         "scale": {"domain": [observed, trend],
                                                   "range": [[1, 0], [4, 3]]}}}}]},
        "resolve": {"scale": {"y": "independent"}},
        "title": {"text": _("The largest setbacks: observed against the pre-2020 trend"),
                  "subtitle": _("The band is the trend's %(level)s prediction interval.",
                                level=f"{PARAMETERS.level:.0%}"),
                  "fontSize": 12},
    }
