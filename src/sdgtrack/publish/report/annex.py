"""The statistical annex of a Voluntary National Review: every global indicator, one row per
series the country has data for (a "no data" row when it has none), with the latest value,
the value at the previous review and the ESCAP anticipated-progress class. Excel (one sheet
per goal, a Summary and an About sheet) or PDF (landscape A4)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sdgtrack import framework
from sdgtrack.assess import country_unit
from sdgtrack.errors import UsageError
from sdgtrack.framework.codelists import label
from sdgtrack.model import DIMENSION_NAMES, TOTAL
from sdgtrack.publish.report import availability as avail
from sdgtrack.publish.report.annex_cells import nature_text
from sdgtrack.publish.report.common import (
    CLASSES,
    check_format,
    code_key,
    provenance,
    records,
    report_of,
    site,
    site_assesses,
)
from sdgtrack.publish.report.messages import translator
from sdgtrack.publish.report.used import loads_used, series_used
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import title
from sdgtrack.publish.site.names import area_name
from sdgtrack.publish.site.pages_methods import rows as methods_rows
from sdgtrack.publish.site.pages_probability import series_probabilities
from sdgtrack.store import Store


def _breakdown(row: pd.Series, lang: str = "en") -> str:
    """The breakdown a headline row stands for, when it is not the total, in words (age
    ``Y_GE15`` reads '15 years and older')."""
    return "; ".join(label(d, row[d], lang) for d in DIMENSION_NAMES
                     if d != "reporting_type" and row[d] not in (TOTAL, None))


def _unit(row: pd.Series, lang: str = "en") -> str:
    mult = row.unit_mult
    scale = f" ×10^{int(mult)}" if mult is not None and mult == mult and int(mult) else ""
    return f"{label('unit_measure', row.unit_measure, lang)}{scale}"


def series_values(rows: pd.DataFrame, since: int, lang: str = "en") -> pd.DataFrame:
    """Per series: the latest value and year, and the value of the year ``since`` or the
    closest year before it (rows of the latest load win when two datasets overlap)."""
    rows = rows.sort_values(["series_code", "time_period", "load_id"])
    rows = rows.drop_duplicates(["series_code", "time_period"], keep="last")
    latest = rows.groupby("series_code").tail(1).set_index("series_code")
    before = rows[rows.time_period <= since].groupby("series_code").tail(1).set_index(
        "series_code")
    out = pd.DataFrame({
        "latest_value": latest.value, "latest_year": latest.time_period.astype(int),
        "unit": latest.apply(_unit, axis=1, lang=lang),
        "breakdown": latest.apply(_breakdown, axis=1, lang=lang),
        "source": latest.source_detail.fillna(latest.dataset), "nature": latest.nature,
        "source_detail": latest.source_detail, "load_id": latest.load_id,
    })
    out["since_value"] = before.value
    out["since_year"] = before.time_period.astype("Int64")
    same = out.since_year.isna() | (out.since_year == out.latest_year)
    # rounded: 9.3 - 10.5 is -1.2 to a reader, not -1.199999999999999
    out["change"] = (out.latest_value - out.since_value).where(~same).round(10)
    return out.reset_index()


def _classes(report: dict[str, Any], chance: dict[tuple[str, str], float]
             ) -> dict[str, str]:
    """Series -> its class code and the probability of reaching its target
    (``class|selection|probability``); a series assessed on several breakdowns lists each,
    joined by ``;``. Not assessed but specified: insufficient data."""
    found: dict[str, list[str]] = {}
    for i in report["indicators"]:
        klass = i["class"] if i["assessed"] and i["class"] else "insufficient_data"
        p = chance.get((i["series_code"], i["selection"] or "")) if i["assessed"] else None
        found.setdefault(i["series_code"], []).append(
            f"{klass}|{i['selection'] or ''}|{'' if p is None else p}".rstrip("|"))
    return {s: ";".join(sorted(set(v))) for s, v in found.items()}


def annex_rows(d: SiteData, m49: str, since: int, lang: str) -> pd.DataFrame:
    """Every framework indicator x each series linked to it with data for ``m49``; an
    indicator without any gets one row with no series."""
    values = series_values(avail.area_rows(d, m49), since, lang)
    series = d.series().set_index("series_code").description
    values["description"] = values.series_code.map(series).fillna(values.series_code)
    values["class"] = values.series_code.map(_classes(report_of(d, country_unit(m49)),
                                                      series_probabilities(d, m49)))
    pairs = avail.links(d)[["series_code", "indicator"]].merge(values, on="series_code")
    ind = d.indicators.copy()
    ind["indicator_title"] = [title(r, lang) for r in ind.to_dict("records")]
    out = ind[["goal", "target", "indicator", "indicator_title"]].merge(
        pairs, on="indicator", how="left")
    out["_k"] = out.indicator.map(code_key)
    out = out.sort_values(["_k", "series_code"], na_position="first").drop(columns="_k")
    return out.reset_index(drop=True)


def summary(rows: pd.DataFrame, d: SiteData, lang: str) -> list[dict[str, Any]]:
    """Per goal: indicators, indicators with data, series rows, and rows per class."""
    goals = {g["goal"]: title(g, lang, "short") for g in d.goals.to_dict("records")}
    out = []
    for goal, part in rows.groupby("goal", sort=False):
        first = part["class"].fillna("").str.split(";").str[0].str.split("|").str[0]
        out.append({"goal": int(goal), "title": goals[goal],
                    "indicators": int(part.indicator.nunique()),
                    "with_data": int(part[part.series_code.notna()].indicator.nunique()),
                    "rows": int(part.series_code.notna().sum()),
                    **{c: int((first == c).sum()) for c in CLASSES}})
    return sorted(out, key=lambda r: r["goal"])


def annex_context(d: SiteData, area: str, since: int, lang: str) -> dict[str, Any]:
    m49 = framework.resolve_area(area)
    if avail.area_rows(d, m49).empty:
        raise UsageError(f"The store has no data for {area!r} ({d.area_name(m49)}); load "
                         "data for it first, or see `sdgtrack areas` for the areas it has.")
    rows = annex_rows(d, m49, since, lang)
    report = report_of(d, country_unit(m49))
    return {"area": {"m49": m49, "name": area_name(d, m49, lang),
                     "iso3": framework.iso3_of(m49)},
            "since": since, "rows": rows, "summary": summary(rows, d, lang),
            "methods": methods_rows(d, m49, lang) if site_assesses(d, m49) else [],
            "prov": {**provenance(d, report["method"], loads_used(
                d, avail.area_rows(d, m49), {m49}, [report])),
                "series": series_used([report], avail.area_rows(d, m49))}}


def _pdf(context: dict[str, Any], lang: str) -> bytes:
    from sdgtrack.publish.report.render import document

    _ = translator(lang)
    rows = context["rows"]
    goals = []
    for s in context["summary"]:
        part = records(rows[rows.goal == str(s["goal"])])
        for r in part:
            for key in ("latest_year", "since_year", "load_id"):
                r[key] = None if pd.isna(r[key]) else int(r[key])
            r["nature_text"] = nature_text(r["nature"], _)
            r["unit_text"] = str(r["unit"] or "")
            # a published source where the data has one, else the load it came from, listed
            # under "Sources" (one dataset name repeated on every line says nothing)
            r["source_note"] = r["source_detail"] if isinstance(r["source_detail"], str) \
                else (f"[{r['load_id']}]" if r["load_id"] is not None else "")
        goals.append({**s, "lines": part})
    return document("annex.html", "pdf", lang, context["area"]["name"],
                    "Statistical annex to the Voluntary National Review", goals=goals,
                    **{k: v for k, v in context.items() if k != "rows"})


def vnr_annex(store: Store | SiteData, area: str, since: int, fmt: str = "xlsx",
              lang: str = "en") -> bytes:
    """The VNR statistical annex of ``area`` (M49 or ISO3), comparing the latest values with
    those of the previous review year ``since``, as an Excel workbook or a PDF."""
    check_format("vnr", fmt)
    d = site(store)
    context = annex_context(d, area, since, lang)
    if fmt == "pdf":
        return _pdf(context, lang)
    from sdgtrack.publish.report.annex_xlsx import workbook

    return workbook(context, lang)
