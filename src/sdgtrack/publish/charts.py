"""Charts as Vega-Lite specifications, rendered to SVG on the server (vl-convert), so pages
and reports work without JavaScript and print well. Class colours always come with a symbol,
so the dashboard reads without colour too."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sdgtrack import settings
from sdgtrack.errors import MissingExtraError

CLASS_STYLE = {  # class: (label, colour, symbol)
    "maintain": ("Maintain progress to achieve target", "#3a9a44", "●"),
    "accelerate": ("Accelerate progress to achieve target", "#f2a900", "▲"),
    "reverse": ("Reverse trend to achieve target", "#d7191c", "▼"),
    "insufficient_data": ("Insufficient data", "#c8c8c8", "·"),
}
PROGRESS, REGRESSED, NEEDED = "#1f78b4", "#d7191c", "#dcdcdc"
LEGEND = {"orient": "bottom", "columns": 2, "labelLimit": 320}


def to_svg(spec: dict[str, Any]) -> str:
    """The SVG of a Vega-Lite spec. Rendering costs ~20 ms whatever the chart, so results
    are kept on disk (``settings.chart_cache_dir``) under a hash of the spec and the
    renderer's version: a rebuilt site renders only the charts whose data changed."""
    try:
        import vl_convert
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingExtraError("vl-convert-python", "charts") from exc
    spec = drawn(spec)
    folder = settings.chart_cache_dir()
    if folder is None:
        return str(vl_convert.vegalite_to_svg(spec))
    text = json.dumps(spec, sort_keys=True, default=str, ensure_ascii=False)
    key = hashlib.sha256(f"{_renderer_version()}\n{text}".encode()).hexdigest()
    path = folder / key[:2] / f"{key}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    svg = str(vl_convert.vegalite_to_svg(spec))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(path)  # atomic: a parallel builder never reads half a file
    except OSError:
        pass  # a read-only cache only costs speed
    return svg


def drawn(spec: dict[str, Any]) -> dict[str, Any]:
    """The part of a spec that is drawn: without ``usermeta``, which Vega-Lite passes on
    and never draws (a page keeps its chart's title there in its language, shown as HTML,
    so one SVG serves every language).

    >>> drawn({"mark": "point", "usermeta": {"title": "Titre"}})
    {'mark': 'point'}
    """
    return {k: v for k, v in spec.items() if k != "usermeta"}


def cut_header(names: set[str], width: float, size: float = 10) -> dict[str, Any]:
    """A facet header whose panel names are cut to about ``width`` pixels by character
    count (Vega's ``truncate``), not by ``labelLimit``, which vl-convert meets by measuring
    the text at each try (about half of drawing a chart of many panels). The budget is an
    estimate: a CJK character one em wide, any other 0.48 em. The panels stay grouped by
    their whole names, so two names that begin alike are never one panel.

    >>> cut_header({"Energy intensity level of primary energy"}, 190)["labelExpr"]
    'truncate(datum.value, 39)'
    >>> cut_header({"可再生能源在最终能源消费总量中的份额"}, 100)["labelExpr"]
    'truncate(datum.value, 10)'
    """
    wide = any("\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"
               for name in names for ch in name)
    chars = int(width / size / (1.0 if wide else 0.48))
    return {"labelExpr": f"truncate(datum.value, {chars})", "labelLimit": 0,
            "labelFontSize": size}


@functools.cache
def _renderer_version() -> str:
    from importlib.metadata import version

    return f"vl-convert-python {version('vl-convert-python')}"


def _english(text: str, **values: Any) -> str:
    return text % values if values else text


def snapshot_spec(report: dict[str, Any], _: Any = _english) -> dict[str, Any]:
    """Goal snapshot: progress made since the baseline (blue; red when regressed), progress
    still needed by 2030 (grey), and the expected-progress line for the current year.
    ``_`` translates the labels (the pages pass their language's)."""
    method = report["method"]
    base, current = method["parameters"]["baseline_year"], method["current_year"]
    rows = []
    for g in report["snapshot"]:
        csi = g["current_status_index"]
        label = f"{g['goal']}. {g['title']}"
        if csi is None:
            rows.append({"goal": label, "part": _("Insufficient data"), "start": 0, "end": 0,
                         "note": _("insufficient data")})
            continue
        made = max(csi, 0.0)
        note = f"{csi + 0.0:.2f}".replace("-0.00", "0.00")  # -0.001 is no regression to show
        rows.append({"goal": label, "part": _("Progress made since %(base)s", base=base),
                     "start": 0, "end": made, "note": note})
        if csi < 0:
            rows.append({"goal": label, "part": _("Regressed since %(base)s", base=base),
                         "start": csi, "end": 0, "note": ""})
        rows.append({"goal": label, "part": _("Progress needed to achieve target in 2030"),
                     "start": made, "end": 1, "note": ""})
    order = [f"{g['goal']}. {g['title']}" for g in report["snapshot"]]
    expected = report["snapshot"][0]["expected_progress"] if report["snapshot"] else 0
    parts = [_("Regressed since %(base)s", base=base), _("Progress made since %(base)s", base=base),
             _("Progress needed to achieve target in 2030"), _("Insufficient data")]
    y = {"field": "goal", "type": "nominal", "sort": order, "title": None,
         "axis": {"labelLimit": 260}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": f"{report['unit']['name']}: progress towards the goals",
                  "subtitle": f"Current Status Index, baseline {base}, latest data {current}"},
        "width": 420, "height": {"step": 20},
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "bar", "height": 14},
             "encoding": {
                 "y": y,
                 # an index from -1 to 1, read as one: not a percentage
                 "x": {"field": "start", "type": "quantitative", "title": None,
                       "scale": {"domain": [-1, 1]},
                       "axis": {"format": ".1f", "values": [-1, -0.5, 0, 0.5, 1]}},
                 "x2": {"field": "end"},
                 "color": {"field": "part", "type": "nominal", "title": None,
                           "scale": {"domain": parts,
                                     "range": [REGRESSED, PROGRESS, NEEDED, "#ffffff"]},
                           # outlined swatches: the white one ("insufficient data") shows
                           "legend": {**LEGEND, "symbolStrokeColor": "#767676",
                                      "symbolStrokeWidth": 1}}}},
            # the values in a column right of the bars, where no rule crosses them
            {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 10},
             "transform": [{"filter": "datum.note != ''"}],
             "encoding": {"y": y, "x": {"datum": 1, "type": "quantitative"},
                          "text": {"field": "note"}}},
            {"data": {"values": [{"x": expected, "label": _("%(year)s line", year=current)}]},
             "layer": [
                 {"mark": {"type": "rule", "strokeDash": [4, 3], "color": "#333"},
                  "encoding": {"x": {"field": "x", "type": "quantitative"}}},
                 {"mark": {"type": "text", "dy": -6, "fontSize": 10, "baseline": "bottom"},
                  "encoding": {"x": {"field": "x", "type": "quantitative"},
                               "y": {"value": 0}, "text": {"field": "label"}}}]},
        ],
    }


def dashboard_spec(report: dict[str, Any]) -> dict[str, Any]:
    """Target dashboard: one cell per target, coloured and marked by its class."""
    rows = []
    for t in report["dashboard"]:
        goal, number = t["target"].split(".", 1)
        label, colour, symbol = CLASS_STYLE[t["class"]]
        api = t["anticipated_progress_index"]
        rows.append({"goal": int(goal), "target": t["target"], "number": number,
                     "class": label, "symbol": symbol,
                     "api": "" if api is None else f"{api:.2f}"})
    numbers = sorted({r["number"] for r in rows},
                     key=lambda s: (0, int(s), "") if s.isdigit() else (1, 0, s))
    labels = [v[0] for v in CLASS_STYLE.values()]
    x = {"field": "number", "type": "ordinal", "sort": numbers, "title": "target",
         "axis": {"orient": "top", "labelAngle": 0}}
    y = {"field": "goal", "type": "ordinal", "title": "goal"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": f"{report['unit']['name']}: will the targets be met by 2030?",
                  "subtitle": "Anticipated Progress Index by target"},
        "data": {"values": rows},
        "width": {"step": 26}, "height": {"step": 22},
        "encoding": {"x": x, "y": y},
        "layer": [
            {"mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
             "encoding": {"color": {"field": "class", "type": "nominal", "title": None,
                                    "scale": {"domain": labels,
                                              "range": [v[1] for v in CLASS_STYLE.values()]},
                                    "legend": LEGEND},
                          "tooltip": [{"field": "target"}, {"field": "class"},
                                      {"field": "api", "title": "index"}]}},
            {"mark": {"type": "text", "fontSize": 11, "color": "#111"},
             "encoding": {"text": {"field": "symbol"}}},
        ],
    }


def to_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(spec, scale=scale))


def write_assessment_charts(report: dict[str, Any], folder: Path) -> list[Path]:
    """``<unit>-snapshot`` and ``<unit>-dashboard`` as SVG (pages, print) and PNG (slides)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in (("snapshot", snapshot_spec(report)), ("dashboard", dashboard_spec(report))):
        svg = folder / f"{report['unit']['code']}-{name}.svg"
        svg.write_text(to_svg(spec), encoding="utf-8")
        png = svg.with_suffix(".png")
        png.write_bytes(to_png(spec))
        written += [svg, png]
    return written
