"""Choropleth maps as Vega-Lite ``geoshape`` specifications, rendered to SVG like every
chart (``charts.to_svg``, with its disk cache).

A map is read without colour: values fall into at most five classes of equal width, named
in the legend by their range ("12.3 – 20.1"); the classes are shades of one hue, light to
dark, so they keep their order in grey; a sub-national map writes each area's value on it
(where the area is large enough to hold it); every map has its table beside it. An area
with no value is hatched and the legend names it "No data": never drawn as zero.
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any

from sdgtrack.framework.geometry import bbox, label_point
from sdgtrack.publish.charts import to_svg

#: ColorBrewer "Blues", five classes (Brewer 2003), the darkest two with white labels.
SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5", "#08306b")
DARK = {SHADES[3], SHADES[4]}
#: The "no data" fill, a colour no class uses, replaced by a hatch in the SVG.
NO_DATA_FILL = "#fefefd"
MAX_CLASSES = 5
#: An area smaller than this share of the map's extent gets no label (the table has it).
LABEL_MIN = 0.06


def classes(values: list[float], fmt: Any = None) -> list[tuple[float, float, str]]:
    """Equal-width classes over the values: (low, high, name), at most ``MAX_CLASSES``.

    >>> [c[2] for c in classes([1.0, 2.0, 3.0, 5.0])]
    ['1 – 2', '2 – 3', '3 – 4', '4 – 5']
    >>> classes([7.0, 7.0])
    [(7.0, 7.0, '7')]
    """
    fmt = fmt or (lambda v: f"{v:g}")
    low, high = min(values), max(values)
    k = min(MAX_CLASSES, len(set(values)))
    if k <= 1 or high == low:
        return [(low, high, fmt(low))]
    k = min(k, 4) if len(values) < 8 else k
    step = (high - low) / k
    edges = [low + i * step for i in range(k)] + [high]
    return [(edges[i], edges[i + 1], f"{fmt(edges[i])} – {fmt(edges[i + 1])}")
            for i in range(k)]


def class_of(value: float, bands: list[tuple[float, float, str]]) -> int:
    """The index of the class holding ``value`` (a value on an edge goes up, the maximum
    into the last class)."""
    for i, (_low, high, _name) in enumerate(bands):
        if value < high or i == len(bands) - 1:
            return i
    return len(bands) - 1  # pragma: no cover


def _shades(k: int) -> list[str]:
    """``k`` of the five shades, spread from light to dark."""
    if k == 1:
        return [SHADES[2]]
    return [SHADES[round(i * (len(SHADES) - 1) / (k - 1))] for i in range(k)]


def choropleth(features: list[dict[str, Any]], values: dict[str, float | None], *,
               title: str, subtitle: str, no_data: str, legend_title: str,
               fmt: Any = None, labels: bool = True, projection: dict[str, Any] | None = None,
               words: tuple[str, str] = ("area", "class"),
               width: int = 520, height: int = 340) -> dict[str, Any]:
    """The spec of a map of ``features`` (each ``{"ref_area", "name", "geometry"}``) by
    ``values`` (area -> value; missing or None is no data). ``fmt`` writes a number."""
    fmt = fmt or (lambda v: f"{v:g}")
    present = [v for v in values.values() if v is not None and math.isfinite(v)]
    bands = classes(present, fmt) if present else []
    shades = _shades(len(bands)) if bands else []
    rows, marks = [], []
    west, south, east, north = bbox([f["geometry"] for f in features])
    extent = max(east - west, north - south) or 1.0
    for f in features:
        value = values.get(f["ref_area"]) if f["ref_area"] else None
        known = value is not None and math.isfinite(value)
        k = class_of(value, bands) if known else -1  # type: ignore[arg-type]
        cls = bands[k][2] if known else no_data
        rows.append({"type": "Feature", "geometry": f["geometry"],
                     "properties": {"area": f["ref_area"] or "", "name": f["name"],
                                    "class": cls}})
        fw, fs, fe, fn = bbox([f["geometry"]])
        if labels and max(fe - fw, fn - fs) >= LABEL_MIN * extent:
            lon, lat = label_point(f["geometry"])
            if not known:
                continue  # hatched, and the legend says what that is
            marks.append({"lon": lon, "lat": lat, "text": fmt(value),
                          "dark": k >= 0 and shades[k] in DARK})
    domain = [b[2] for b in bands] + [no_data]
    layers: list[dict[str, Any]] = [{
        "data": {"values": rows},
        "mark": {"type": "geoshape", "stroke": "#444444", "strokeWidth": 0.6},
        "encoding": {
            "color": {"field": "properties.class", "type": "ordinal", "title": legend_title,
                      "scale": {"domain": domain, "range": [*shades, NO_DATA_FILL]},
                      "legend": {"orient": "right", "symbolStrokeColor": "#444444",
                                 "symbolStrokeWidth": 1, "symbolType": "square",
                                 "symbolSize": 180, "labelLimit": 220, "titleLimit": 220}},
            # also each area's aria-label in the SVG: its name and class, in words
            "tooltip": [{"field": "properties.name", "title": words[0]},
                        {"field": "properties.class", "title": words[1]}]}}]
    if marks:
        layers.append({
            "data": {"values": marks},
            "mark": {"type": "text", "fontSize": 10, "fontWeight": "bold"},
            "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                         "latitude": {"field": "lat", "type": "quantitative"},
                         "text": {"field": "text"},
                         "color": {"condition": {"test": "datum.dark", "value": "#ffffff"},
                                   "value": "#111111"}}})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": wrap(title, width // 7), "subtitle": subtitle, "anchor": "start"},
        "width": width, "height": height,
        "projection": projection or {"type": "mercator"},
        "layer": layers,
    }


def wrap(text: str, limit: int) -> list[str]:
    """A title in lines of at most ``limit`` characters (Vega cuts a long one short).

    >>> wrap("Proportion of the target population with access", 20)
    ['Proportion of the', 'target population', 'with access']
    """
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


_HATCH = ('<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
          'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
          '<line x1="0" y1="0" x2="0" y2="6" stroke="#767676" stroke-width="1.5"/></pattern>')


def map_svg(spec: dict[str, Any]) -> str:
    """The map as SVG, its "no data" fill replaced by a hatch (Vega has no patterns). The
    pattern's id is the spec's own, so two maps on one page do not share one."""
    svg = to_svg(spec)
    pid = "nodata-" + hashlib.sha1(svg.encode()).hexdigest()[:10]
    svg = re.sub(r'fill="' + NO_DATA_FILL + '"', f'fill="url(#{pid})"', svg,
                 flags=re.IGNORECASE)
    defs = f"<defs>{_HATCH.format(id=pid)}</defs>"
    return re.sub(r"(<svg[^>]*>)", lambda m: m[1] + defs, svg, count=1)


def region_projection() -> dict[str, Any]:
    """Asia and the Pacific on one map: Equal Earth turned to 150° E, so that the Pacific
    islands on both sides of the 180th meridian and Russia fit without a cut."""
    return {"type": "equalEarth", "rotate": [-150, 0, 0]}
