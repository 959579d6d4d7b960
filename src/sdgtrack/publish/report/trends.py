"""Charts sized for print: a small trend line per key indicator and the goal snapshot, as
Vega-Lite rendered to SVG (``publish.charts``), in the document's font."""

from __future__ import annotations

import base64
from typing import Any

from sdgtrack.publish.charts import CLASS_STYLE, snapshot_spec, to_svg

#: Fonts of the charts, as in the document's CSS (Debian: fonts-liberation, fonts-noto-cjk).
FONTS = {"en": "Liberation Sans, Noto Sans CJK SC, DejaVu Sans, sans-serif",
         "zh": "Noto Sans CJK SC, Liberation Sans, DejaVu Sans, sans-serif"}
INK, MUTED = "#222222", "#777777"


def font(lang: str) -> str:
    return FONTS.get(lang, FONTS["en"])


def _config(lang: str) -> dict[str, Any]:
    return {"font": font(lang), "view": {"stroke": None},
            "axis": {"labelColor": INK, "titleColor": INK, "domainColor": "#999",
                     "tickColor": "#999", "gridColor": "#e6e6e6"}}


def _y_axis(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Three ticks in a fixed width (so the plots of a page line up); SI prefixes only for
    large numbers: "875m" for 0.875 would read as metres."""
    axis: dict[str, Any] = {"tickCount": 3, "labelFontSize": 8, "minExtent": 26,
                            "maxExtent": 26}
    if max(abs(r["value"]) for r in rows) >= 10_000:
        axis["format"] = "~s"
    return axis


def trend_spec(values: list[dict[str, Any]], target: float | None, klass: str | None,
               lang: str, years: tuple[int, int], width: int = 150,
               height: int = 44) -> dict[str, Any]:
    """A sparkline of one series over ``years`` (the same span for every chart of a
    document, so trends compare at a glance): the line through every year used (gaps
    filled), dots on observed years, and the 2030 target as a dashed line when it is within
    reach of the axis (a target far off the data would flatten the line)."""
    colour = CLASS_STYLE[klass][1] if klass else "#1f78b4"
    rows = [{"year": int(v["year"]), "value": float(v["value"]),
             "observed": bool(v.get("observed", True))} for v in values
            if years[0] <= int(v["year"]) <= years[1]]
    x = {"field": "year", "type": "quantitative", "title": None,
         "scale": {"domain": list(years), "nice": False},
         "axis": {"format": "d", "values": list(range(years[0], years[1] + 1, 5)),
                  "labelFontSize": 8, "grid": False, "labelFlush": True}}
    y = {"field": "value", "type": "quantitative", "title": None,
         "scale": {"zero": False, "nice": True},
         "axis": _y_axis(rows)}
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "line", "color": colour, "strokeWidth": 1.6},
         "encoding": {"x": x, "y": y}},
        {"transform": [{"filter": "datum.observed"}],
         "mark": {"type": "point", "filled": True, "size": 14, "color": colour, "opacity": 1},
         "encoding": {"x": x, "y": y}},
    ]
    lo, hi = min(r["value"] for r in rows), max(r["value"] for r in rows)
    span = max(hi - lo, abs(hi) * 0.1, 1e-9)
    if target is not None and lo - span <= target <= hi + span:
        layers.insert(0, {"data": {"values": [{"value": target}]},
                          "mark": {"type": "rule", "strokeDash": [3, 2], "color": MUTED},
                          "encoding": {"y": {"field": "value", "type": "quantitative"}}})
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "width": width, "height": height, "background": None,
            "config": _config(lang), "data": {"values": rows}, "layer": layers}


def data_uri(svg: str) -> str:
    """An SVG as an ``<img src>``: sized by the document's CSS, in PDF and HTML alike."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def trend_chart(values: list[dict[str, Any]], target: float | None, klass: str | None,
                lang: str, years: tuple[int, int]) -> str:
    """The trend of one series as a data URI; empty with fewer than two years in span."""
    if sum(years[0] <= int(v["year"]) <= years[1] for v in values) < 2:
        return ""
    return data_uri(to_svg(trend_spec(values, target, klass, lang, years)))


def snapshot_chart(report: dict[str, Any], _: Any, lang: str) -> str:
    """The goal snapshot of ``publish.charts`` with the document's words and font, sized
    to the text column of an A4 page."""
    spec = snapshot_spec(report, _)
    spec["title"] = {"text": _("Progress towards the goals"),
                     "subtitle": _("Current Status Index, baseline %(base)s",
                                   base=report["method"]["parameters"]["baseline_year"]),
                     "anchor": "start", "fontSize": 12, "subtitleFontSize": 10}
    spec["width"] = 330
    spec["height"] = {"step": 17}
    # the axis (an index, not a percentage) and the values in a column right of the bars,
    # clear of the dashed line, are those of publish.charts
    spec["config"] = {**_config(lang), "legend": {"labelFontSize": 9, "symbolSize": 80}}
    return data_uri(to_svg(spec))
