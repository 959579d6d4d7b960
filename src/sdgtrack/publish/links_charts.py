"""Interlinkage charts as Vega-Lite specifications (rendered to SVG on the server, like the
others): the goal x goal heat map and the network of goals. Classes are told by symbol and
line style as well as colour: synergy "+" and a solid line, trade-off "−" and a dashed one,
not classified "○", not enough data "·" on white.

Both take rows of a goal x goal table (``assess.links_goals.goal_pairs`` or
``group_goal_pairs``, as records): ``goal_a``, ``goal_b``, the counts, ``share_*`` and
``dominant``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
#: class: (label, colour, symbol); colours from ColorBrewer's PiYG ends, 3:1 on white
LINK_STYLE = {
    "synergy": ("Synergy", "#2c7a2c", "+"),
    "trade_off": ("Trade-off", "#b2182b", "−"),
    "not_classified": ("No significant interaction", "#b8b8b8", "○"),
    "insufficient_data": ("Not enough data", "#ffffff", "·"),
}
Words = Callable[..., str]


def _english(text: str, **values: Any) -> str:
    return text % values if values else text


def _legend_scale(_: Words) -> dict[str, Any]:
    return {"domain": [_(v[0]) for v in LINK_STYLE.values()],
            "range": [v[1] for v in LINK_STYLE.values()]}


def heatmap_spec(rows: list[dict[str, Any]], title: str, _: Words = _english,
                 subtitle: str = "Goal by goal: the class most pairs have") -> dict[str, Any]:
    """Goal x goal: each cell the class most pairs (or countries) have, with its symbol, and
    the share of synergies and trade-offs on hover; both halves drawn, so a row reads across.
    """
    by_pair = {(r["goal_a"], r["goal_b"]): r for r in rows}
    goals = sorted({r["goal_a"] for r in rows} | {r["goal_b"] for r in rows})
    cells = []
    for a in goals:  # every cell of the goals shown: a pair with no row has no data
        for b in goals:
            r = by_pair.get((min(a, b), max(a, b)), {"dominant": "insufficient_data"})
            label, _colour, symbol = LINK_STYLE[r["dominant"]]
            cells.append({"row": a, "column": b, "class": _(label), "symbol": symbol,
                          "synergy": _share(r.get("share_synergy")),
                          "trade_off": _share(r.get("share_trade_off"))})
    axis = {"labelAngle": 0, "title": None}
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "subtitle": subtitle},
        "data": {"values": cells},
        "width": {"step": 24}, "height": {"step": 24},
        "encoding": {
            "x": {"field": "column", "type": "ordinal", "sort": goals,
                  "axis": {**axis, "orient": "top"}},
            "y": {"field": "row", "type": "ordinal", "sort": goals, "axis": axis}},
        "layer": [
            {"mark": {"type": "rect", "stroke": "#767676", "strokeWidth": 0.5},
             "encoding": {"color": {"field": "class", "type": "nominal", "title": None,
                                    "scale": _legend_scale(_),
                                    "legend": {"orient": "bottom", "columns": 1,
                                               "symbolStrokeColor": "#767676",
                                               "labelLimit": 260}},
                          "tooltip": [{"field": "row", "title": _("goal")},
                                      {"field": "column", "title": _("with goal")},
                                      {"field": "class"},
                                      {"field": "synergy", "title": _("Synergies")},
                                      {"field": "trade_off", "title": _("Trade-offs")}]}},
            {"mark": {"type": "text", "fontSize": 12, "fontWeight": "bold"},
             "encoding": {"text": {"field": "symbol"},
                          "color": {"condition": {"test": "datum.symbol == '+' || "
                                                          "datum.symbol == '−'",
                                                  "value": "#ffffff"},
                                    "value": "#222222"}}},
        ],
    }


def _share(value: Any) -> str:
    return "" if value is None else f"{100 * value:.0f}%"


def node_positions(goals: list[int], radius: float = 150.0) -> dict[int, tuple[float, float]]:
    """Goals on a circle, the first at the top, clockwise (y up, as the chart's scale).

    >>> {g: (round(x), round(y)) for g, (x, y) in node_positions([1, 2, 3, 4], 100).items()}
    {1: (0, 100), 2: (100, 0), 3: (0, -100), 4: (-100, 0)}
    """
    n = len(goals)
    return {g: (radius * math.sin(2 * math.pi * k / n), radius * math.cos(2 * math.pi * k / n))
            for k, g in enumerate(goals)}


def network_edges(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The edges drawn: goal pairs (between two goals) where synergies or trade-offs are
    the most frequent class, the line as thick as that share.

    >>> network_edges([{"goal_a": 1, "goal_b": 2, "dominant": "synergy",
    ...                 "share_synergy": 0.5, "share_trade_off": 0.1},
    ...                {"goal_a": 1, "goal_b": 1, "dominant": "synergy",
    ...                 "share_synergy": 0.9, "share_trade_off": 0.0},
    ...                {"goal_a": 2, "goal_b": 3, "dominant": "not_classified",
    ...                 "share_synergy": 0.2, "share_trade_off": 0.2}])
    [{'goal_a': 1, 'goal_b': 2, 'class': 'synergy', 'share': 0.5}]
    """
    out = []
    for r in rows:
        if r["goal_a"] == r["goal_b"] or r["dominant"] not in ("synergy", "trade_off"):
            continue
        out.append({"goal_a": r["goal_a"], "goal_b": r["goal_b"], "class": r["dominant"],
                    "share": r[f"share_{r['dominant']}"]})
    return out


def network_spec(rows: list[dict[str, Any]], title: str, _: Words = _english
                 ) -> dict[str, Any]:
    """Goals as nodes on a circle, an edge where synergies (solid) or trade-offs (dashed)
    are the most frequent class of the goal pair, as thick as their share."""
    goals = sorted({r["goal_a"] for r in rows} | {r["goal_b"] for r in rows})
    at = node_positions(goals)
    edges = []
    for e in network_edges(rows):
        (x, y), (x2, y2) = at[e["goal_a"]], at[e["goal_b"]]
        label = LINK_STYLE[e["class"]][0]
        edges.append({"x": x, "y": y, "x2": x2, "y2": y2, "class": _(label),
                      "dash": e["class"], "share": e["share"],
                      "pair": f"{e['goal_a']}–{e['goal_b']}", "shown": _share(e["share"])})
    nodes = [{"x": x, "y": y, "goal": str(g)} for g, (x, y) in at.items()]
    extent = {"domain": [-175, 175]}
    hidden = {"axis": None, "scale": extent}
    return {
        "$schema": SCHEMA,
        "title": {"text": title,
                  "subtitle": _("Goal pairs mostly in synergy (solid) or trade-off (dashed)")},
        "width": 340, "height": 340,
        "layer": [
            {"data": {"values": edges},
             "mark": {"type": "rule", "opacity": 0.8},
             "encoding": {
                 "x": {"field": "x", "type": "quantitative", **hidden},
                 "y": {"field": "y", "type": "quantitative", **hidden},
                 "x2": {"field": "x2"}, "y2": {"field": "y2"},
                 "color": {"field": "class", "type": "nominal", "title": None,
                           "scale": {"domain": [_(LINK_STYLE[c][0])
                                                for c in ("synergy", "trade_off")],
                                     "range": [LINK_STYLE[c][1]
                                               for c in ("synergy", "trade_off")]},
                           "legend": {"orient": "bottom", "labelLimit": 260}},
                 "strokeDash": {"field": "dash", "type": "nominal", "legend": None,
                                "scale": {"domain": ["synergy", "trade_off"],
                                          "range": [[1, 0], [6, 4]]}},
                 "strokeWidth": {"field": "share", "type": "quantitative", "legend": None,
                                 "scale": {"domain": [0, 1], "range": [0.5, 6]}},
                 "tooltip": [{"field": "pair", "title": _("goals")}, {"field": "class"},
                             {"field": "shown", "title": _("share")}]}},
            {"data": {"values": nodes},
             "mark": {"type": "circle", "size": 520, "color": "#ffffff", "stroke": "#333333",
                      "strokeWidth": 1.2, "opacity": 1},
             "encoding": {"x": {"field": "x", "type": "quantitative", **hidden},
                          "y": {"field": "y", "type": "quantitative", **hidden}}},
            {"data": {"values": nodes},
             "mark": {"type": "text", "fontSize": 12, "fontWeight": "bold", "color": "#111"},
             "encoding": {"x": {"field": "x", "type": "quantitative", **hidden},
                          "y": {"field": "y", "type": "quantitative", **hidden},
                          "text": {"field": "goal"}}},
        ],
        "config": {"view": {"stroke": None}},
    }

