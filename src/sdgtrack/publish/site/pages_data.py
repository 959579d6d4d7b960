"""The series page: one series' values for chosen areas and breakdowns, as a chart and a
table, with units, footnotes, sources, nature codes and downloads."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sdgtrack.framework.codelists import label
from sdgtrack.model import DIMENSION_NAMES, TOTAL
from sdgtrack.publish.site import pages_meta
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext
from sdgtrack.publish.site.names import area_name
from sdgtrack.publish.site.pages import NotFound, _page, series_page
from sdgtrack.publish.site.pages_lnob import series_section

#: Aggregates shown by default when a series has them (World, Asia, Oceania, SDG regions).
DEFAULT_AREAS = ("1", "142", "9", "62", "753", "543")
MAX_AREAS = 12
NATURE = {
    "C": "Country data", "CA": "Country adjusted data", "E": "Estimated data",
    "G": "Global monitoring data", "M": "Modelled data", "N": "Non-relevant",
    "NA": "Not available", "NOTSPEC": "Not specified",
}


#: The columns of the page's table of values, after the area, its name, the year and the
#: chosen breakdowns.
TABLE = ("value_raw", "value", "unit_measure", "unit_mult", "nature", "obs_status", "footnote",
         "source_detail", "dataset", "load_id", "source_file", "source_row")


def with_concepts(cols: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """``cols`` with each concept of the packed ``breakdown`` (``ETHNICITY=Asian;SEX=F``)
    as a column of its own, named by the concept, ``_T`` where a row has none of it: each
    breakdown is then its own filter, table column and chart line, never run together.
    The store keeps them packed (``model.observation``); a copy, the cached columns stay.

    >>> c = with_concepts({"breakdown": ["ETHNICITY=Asian;LOCAL_AUTHORITY=Leeds", "_T"]})
    >>> c["ETHNICITY"], c["LOCAL_AUTHORITY"]
    (['Asian', '_T'], ['Leeds', '_T'])
    """
    packed = cols.get("breakdown") or []
    pairs = [dict(p.split("=", 1) for p in (b or TOTAL).split(";") if "=" in p) for b in packed]
    concepts = sorted({c for r in pairs for c in r})
    if not concepts:
        return cols
    return {**cols, **{c: [r.get(c, TOTAL) for r in pairs] for c in concepts}}


def dimensions_of(cols: dict[str, list[Any]]) -> list[str]:
    """The series' dimensions: the model's, with ``breakdown`` as its concepts once they
    are columns of their own (``with_concepts``)."""
    extra = [c for c in cols if c.isupper() or not c.isascii()]
    base = [d for d in DIMENSION_NAMES if d in cols and not (extra and d == "breakdown")]
    return base + [c for c in extra if c not in base]


def _dimension_options(cols: dict[str, list[Any]]) -> dict[str, list[str]]:
    """The breakdowns a series has: every dimension with more than one code."""
    options = {}
    for dim in dimensions_of(cols):
        codes = set(cols[dim])
        codes.discard(None)
        if len(codes) > 1:
            options[dim] = sorted(codes)
    return options


def _labels(options: dict[str, list[str]], lang: str, label: Any = label
            ) -> dict[str, list[dict[str, str]]]:
    """Each breakdown's codes with their labels in ``lang`` (``SiteData.code_label``: the
    code lists', else the national repository's)."""
    return {dim: [{"code": c, "label": label(dim, c, lang)} for c in codes]
            for dim, codes in options.items()}


def _default_selection(cols: dict[str, list[Any]], options: dict[str, list[str]]
                       ) -> dict[str, list[str]]:
    """The headline: the total where a dimension has one, else its most frequent code (the
    first in order among equally frequent ones)."""
    chosen = {}
    for dim, codes in options.items():
        if TOTAL in codes:
            chosen[dim] = [TOTAL]
        else:
            counts = Counter(v for v in cols[dim] if v is not None)
            top = max(counts.values())
            chosen[dim] = [min(c for c, n in counts.items() if n == top)]
    return chosen


def _default_areas(cols: dict[str, list[Any]]) -> list[str]:
    """The world and regional aggregates the series has; else the six areas with the most
    years (ties in code order)."""
    have = set(cols["ref_area"])
    aggregates = [a for a in DEFAULT_AREAS if a in have]
    if aggregates:
        return aggregates
    years: dict[str, set[Any]] = {}
    for area, year in zip(cols["ref_area"], cols["time_period"], strict=True):
        years.setdefault(area, set()).add(year)
    return sorted(years, key=lambda a: (-len(years[a]), a))[:6]


def series(d: SiteData, lang: str, code: str, areas: list[str] | None = None,
           selection: dict[str, list[str]] | None = None) -> dict[str, Any]:
    _ = gettext(lang)
    info = d.series_info().get(code)
    if info is None:
        raise NotFound(f"There is no series {code!r} in the store; search for it by name.")
    if areas or selection:  # a visitor's choice: not kept (the server keeps the page)
        view = _view(d, code, areas, selection)
    else:  # the default view, the same in every language
        view = d.cached(("series_view", code), lambda: _view(d, code, None, None))
    view = localised(d, view, lang)
    return _page(
        "series", series_page(code), lang, info["description"] or code, d,
        series=code, description=info["description"], unit=info["unit_measure"],
        unit_label=d.code_label("unit_measure", info["unit_measure"], lang),
        indicators=view["indicators"], areas=view["areas"],
        selected_areas=view["selected_areas"],
        dimensions=_labels(view["options"], lang, d.code_label),
        selection=view["selection"], rows=view["rows"], footnotes=view["footnotes"],
        sources=view["sources"],
        natures=[{"code": n, "label": _(NATURE.get(n, n))} for n in view["natures"]],
        statuses=[{"code": s, "label": d.code_label("obs_status", s, lang)}
                  for s in view["statuses"]],
        chart=line_spec(view["rows"], list(view["selection"]), lang, d.code_label),
        pivot=view["pivot"], total_rows=view["total_rows"],
        lnob=series_section(d, code, view["selected_areas"], lang),
        conflicts=d.conflicts().get(code), precedence=d.precedence(),
        national_metadata=pages_meta.for_series(d, lang, code),
    )


def _view(d: SiteData, code: str, areas: list[str] | None,
          selection: dict[str, list[str]] | None) -> dict[str, Any]:
    """What a series page shows in every language: the rows of the chosen areas and
    breakdowns, the chart, the table to read across, and the choices."""
    cols = with_concepts(d.series_columns(code))
    info = d.series_info()[code]
    options = _dimension_options(cols)
    chosen = {**_default_selection(cols, options),
              **{k: v for k, v in (selection or {}).items() if k in options and v}}
    wanted = [a for a in (areas or []) if a][:MAX_AREAS] or _default_areas(cols)
    names = d.area_names()
    keep = set(wanted)
    picked = [k for k, a in enumerate(cols["ref_area"]) if a in keep]
    for dim, codes in chosen.items():
        allowed, values = set(codes), cols[dim]
        picked = [k for k in picked if values[k] in allowed]
    fields, area = ["time_period", *chosen, *TABLE], cols["ref_area"]
    rows = [{"ref_area": area[k], "area_name": names.get(area[k], area[k]),
             **{f: cols[f][k] for f in fields}} for k in picked]
    pages = d.cached("indicator_pages", lambda: set(d.indicators.indicator))
    return {
        "indicators": [{"code": i, "page": i in pages}
                       for i in (info["indicators"] or "").split(", ") if i],
        "areas": [{"code": a, "name": names.get(a, a), "selected": a in keep}
                  for a in sorted(set(cols["ref_area"]), key=lambda a: names.get(a, a))],
        "selected_areas": wanted, "options": options, "selection": chosen, "rows": rows,
        "footnotes": _distinct(rows, "footnote"), "sources": _distinct(rows, "source_detail"),
        "natures": _distinct(rows, "nature"),
        "statuses": _distinct(rows, "obs_status"),
        "pivot": pivot(rows, list(chosen)),
        "total_rows": len(cols["ref_area"]),
    }


def localised(d: SiteData, view: dict[str, Any], lang: str) -> dict[str, Any]:
    """The view with areas named in ``lang`` (the UN's Chinese and Russian names of the
    countries, and of the regions and groups: the aggregates of the default view too, so its
    chart is one SVG per language): a copy, the cached view stays as it is."""
    if lang == "en":
        return view
    def named(r: dict[str, Any]) -> dict[str, Any]:
        return {**r, "area_name": area_name(d, r["ref_area"], lang)}
    return {**view, "rows": [named(r) for r in view["rows"]],
            "areas": [{**a, "name": area_name(d, a["code"], lang)} for a in view["areas"]],
            "pivot": {**view["pivot"], "rows": [named(r) for r in view["pivot"]["rows"]]}}


def _distinct(rows: list[dict[str, Any]], field: str) -> list[Any]:
    return sorted({r[field] for r in rows if r[field] is not None})


def line_name(row: dict[str, Any], dims: list[str], varies: set[str], lang: str,
              label: Any = label) -> str:
    """A line's name in words: the area, and each breakdown that differs between the lines
    (``Nepal, Female``)."""
    return ", ".join([row["area_name"], *(label(dim, row[dim], lang) for dim in dims
                                          if dim in varies)])


def line_spec(rows: list[dict[str, Any]], dims: list[str], lang: str = "en",
              label: Any = label) -> dict[str, Any]:
    """Vega-Lite: one line per area and breakdown chosen (a line never joins the values of
    two groups), each named in words, points marked."""
    varies = {dim for dim in dims if len({r[dim] for r in rows}) > 1}
    values = [{"year": int(r["time_period"]), "value": r["value"],
               "line": line_name(r, dims, varies, lang, label)}
              for r in rows if r["value"] is not None]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 560, "height": 280,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "year", "type": "quantitative", "title": None,
                  "axis": {"format": "d", "tickMinStep": 1}},
            # the unit is in the caption (HTML, in the page's language): the default view's
            # chart, lines named by area, is then the same SVG in every language (one render)
            "y": {"field": "value", "type": "quantitative", "title": None},
            "color": {"field": "line", "type": "nominal", "title": None,
                      "legend": {"orient": "bottom", "columns": 2, "labelLimit": 320}},
            "detail": {"field": "line", "type": "nominal"},
            "tooltip": [{"field": "line", "title": " "}, {"field": "year"},
                        {"field": "value"}],
        },
    }


def pivot(rows: list[dict[str, Any]], dims: list[str]) -> dict[str, Any]:
    """The values as a table to read across: one row per area and breakdown, one column per
    year, each cell the value as published."""
    years = sorted({int(r["time_period"]) for r in rows})
    table: dict[tuple[str, ...], dict[str, Any]] = {}
    for r in rows:
        key = (r["ref_area"], *(r[d] for d in dims))
        row = table.setdefault(key, {"ref_area": r["ref_area"], "area_name": r["area_name"],
                                     "breakdown": {d: r[d] for d in dims}, "cells": {}})
        row["cells"][str(int(r["time_period"]))] = r["value_raw"]
    return {"years": years, "rows": list(table.values())}
