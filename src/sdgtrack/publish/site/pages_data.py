"""The series page: one series' values for chosen areas and breakdowns, as a chart and a
table, with units, footnotes, sources, nature codes and downloads."""

from __future__ import annotations

from typing import Any

from sdgtrack.model import DIMENSION_NAMES, TOTAL
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import gettext
from sdgtrack.publish.site.pages import NotFound, _page, records, series_page
from sdgtrack.publish.site.pages_lnob import series_section

#: Aggregates shown by default when a series has them (World, Asia, Oceania, SDG regions).
DEFAULT_AREAS = ("1", "142", "9", "62", "753", "543")
MAX_AREAS = 12
NATURE = {
    "C": "Country data", "CA": "Country adjusted data", "E": "Estimated data",
    "G": "Global monitoring data", "M": "Modelled data", "N": "Non-relevant",
    "NA": "Not available", "NOTSPEC": "Not specified",
}


CODE_LABELS = {TOTAL: "Total", "F": "Female", "M": "Male", "U": "Urban", "R": "Rural"}


def _dimension_options(rows: Any) -> dict[str, list[str]]:
    """The breakdowns a series has: every dimension with more than one code."""
    return {dim: sorted(rows[dim].dropna().unique().tolist()) for dim in DIMENSION_NAMES
            if rows[dim].nunique() > 1}


def _labels(options: dict[str, list[str]], lang: str) -> dict[str, list[dict[str, str]]]:
    _ = gettext(lang)
    return {dim: [{"code": c, "label": _(CODE_LABELS[c]) if c in CODE_LABELS else c}
                  for c in codes] for dim, codes in options.items()}


def _default_selection(rows: Any, options: dict[str, list[str]]) -> dict[str, list[str]]:
    """The headline: the total where a dimension has one, else its most frequent code."""
    chosen = {}
    for dim in options:
        chosen[dim] = [TOTAL] if TOTAL in options[dim] else [rows[dim].mode().iloc[0]]
    return chosen


def _default_areas(rows: Any) -> list[str]:
    have = set(rows.ref_area)
    aggregates = [a for a in DEFAULT_AREAS if a in have]
    if aggregates:
        return aggregates
    counts = rows.groupby("ref_area").time_period.nunique().sort_values(ascending=False)
    return counts.index[:6].tolist()


def series(d: SiteData, lang: str, code: str, areas: list[str] | None = None,
           selection: dict[str, list[str]] | None = None) -> dict[str, Any]:
    _ = gettext(lang)
    meta = d.series()
    found = meta[meta.series_code == code]
    if found.empty:
        raise NotFound(f"There is no series {code!r} in the store; search for it by name.")
    everything = d.series_rows(code)
    options = _dimension_options(everything)
    chosen = {**_default_selection(everything, options),
              **{k: v for k, v in (selection or {}).items() if k in options and v}}
    wanted = [a for a in (areas or []) if a][:MAX_AREAS] or _default_areas(everything)
    rows = everything[everything.ref_area.isin(wanted)]
    for dim, codes in chosen.items():
        rows = rows[rows[dim].isin(codes)]
    names = d.area_names()
    rows = rows.assign(area_name=rows.ref_area.map(lambda a: names.get(a, a)))
    table = rows[["ref_area", "area_name", "time_period", *chosen, "value_raw", "value",
                  "unit_measure", "unit_mult", "nature", "footnote", "source_detail",
                  "dataset", "load_id", "source_file", "source_row"]]
    natures = sorted(rows.nature.dropna().unique().tolist())
    info = records(found)[0]
    return _page(
        "series", series_page(code), lang, f"{code}: {info['description']}", d,
        series=code, description=info["description"], unit=info["unit_measure"],
        indicators=[{"code": i, "page": i in set(d.indicators.indicator)}
                    for i in (info["indicators"] or "").split(", ") if i],
        areas=[{"code": a, "name": names.get(a, a), "selected": a in wanted}
               for a in sorted(set(everything.ref_area), key=lambda a: names.get(a, a))],
        selected_areas=wanted, dimensions=_labels(options, lang), selection=chosen,
        rows=records(table),
        footnotes=sorted(rows.footnote.dropna().unique().tolist()),
        sources=sorted(rows.source_detail.dropna().unique().tolist()),
        natures=[{"code": n, "label": _(NATURE.get(n, n))} for n in natures],
        chart=line_spec(rows, info["unit_measure"]), pivot=pivot(rows, list(chosen)),
        total_rows=len(everything), lnob=series_section(d, code, wanted, lang),
    )


def line_spec(rows: Any, unit: str | None) -> dict[str, Any]:
    """Vega-Lite: one line per area (and breakdown), points marked, unit on the axis."""
    values = [{"year": int(r["time_period"]), "value": r["value"], "area": r["area_name"]}
              for r in records(rows) if r["value"] is not None]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 560, "height": 280,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "year", "type": "quantitative", "title": None,
                  "axis": {"format": "d", "tickMinStep": 1}},
            "y": {"field": "value", "type": "quantitative", "title": unit or None},
            "color": {"field": "area", "type": "nominal", "title": None,
                      "legend": {"orient": "bottom", "columns": 3, "labelLimit": 220}},
            "tooltip": [{"field": "area"}, {"field": "year"}, {"field": "value"}],
        },
    }


def pivot(rows: Any, dims: list[str]) -> dict[str, Any]:
    """The values as a table to read across: one row per area and breakdown, one column per
    year, each cell the value as published."""
    years = sorted({int(y) for y in rows.time_period})
    table: dict[tuple[str, ...], dict[str, Any]] = {}
    for r in records(rows):
        key = (r["ref_area"], *(r[d] for d in dims))
        row = table.setdefault(key, {"ref_area": r["ref_area"], "area_name": r["area_name"],
                                     "breakdown": {d: r[d] for d in dims}, "cells": {}})
        row["cells"][str(int(r["time_period"]))] = r["value_raw"]
    return {"years": years, "rows": list(table.values())}
