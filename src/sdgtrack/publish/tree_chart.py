"""The furthest-behind tree (``lnob.tree``) drawn as SVG: one box per node with the branch that
leads to it, its size and its rate, the furthest-behind and furthest-ahead groups marked by
symbol and words as well as colour. Written directly (Vega-Lite has no tree layout), so the
diagram needs no script and prints as it shows.

Layout: leaves side by side in the order of the tree (the lower-rate child first, as rpart
numbers them), each parent centred over its children, one row per depth."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 150, 86, 14, 30, 8
LINE_CHARS = 26  # a branch label wraps at this width (about 6.5 px a character at 11 px)
BEHIND, AHEAD, INK, MUTED, EDGE = "#c0392b", "#1e7b34", "#222222", "#666666", "#9a9a9a"
Words = Callable[[str], str]


def _leaf_order(nodes: dict[int, dict[str, Any]]) -> list[int]:
    """Leaves in drawing order: depth first, child 2k before 2k + 1."""
    order: list[int] = []
    stack = [min(nodes)]
    while stack:
        k = stack.pop()
        kids = [c for c in (2 * k + 1, 2 * k) if c in nodes]
        if kids:
            stack.extend(kids)
        else:
            order.append(k)
    return order


def layout(tree: Sequence[dict[str, Any]]) -> dict[int, tuple[float, float]]:
    """Top-left corner of each node's box.

    >>> rows = [{"node": 1, "depth": 0}, {"node": 2, "depth": 1}, {"node": 3, "depth": 1}]
    >>> layout(rows)
    {2: (0, 116), 3: (164, 116), 1: (82.0, 0)}
    """
    nodes = {int(r["node"]): r for r in tree}
    x: dict[int, float] = {}
    for i, leaf in enumerate(_leaf_order(nodes)):
        x[leaf] = i * (BOX_W + GAP_X)
    for k in sorted(nodes, key=lambda k: -int(nodes[k]["depth"])):
        kids = [c for c in (2 * k, 2 * k + 1) if c in nodes]
        if kids:
            x[k] = sum(x[c] for c in kids) / len(kids)
    return {k: (x[k], int(nodes[k]["depth"]) * (BOX_H + GAP_Y)) for k in x}


def _text(x: float, y: float, content: str, size: int = 11, weight: str = "normal",
          colour: str = INK, anchor: str = "start") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" '
            f'fill="{colour}" text-anchor="{anchor}">{escape(content)}</text>')


def _box(r: dict[str, Any], at: tuple[float, float], mark: str | None, words: Words,
         percent: Callable[[float], str]) -> list[str]:
    x, y = at
    colour = {"behind": BEHIND, "ahead": AHEAD}.get(mark or "", EDGE)
    width = 2.5 if mark else 1
    out = [f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="4" '
           f'fill="#ffffff" stroke="{colour}" stroke-width="{width}"/>']
    rate = float(r["rate"])
    # the rate as a bar along the bottom edge: the eye compares groups at a glance
    out.append(f'<rect x="{x + 1:.1f}" y="{y + BOX_H - 7:.1f}" width="{(BOX_W - 2) * rate:.1f}" '
               f'height="6" fill="{colour if mark else "#7f8c99"}"/>')
    branch = words("All") if r.get("branch") in (None, "all") else str(r["branch"])
    lines = textwrap.wrap(branch, LINE_CHARS)[:2] or [""]
    if len(textwrap.wrap(branch, LINE_CHARS)) > 2:
        lines[-1] = lines[-1][: LINE_CHARS - 1] + "…"
    for i, line in enumerate(lines):
        out.append(_text(x + PAD, y + 15 + 13 * i, line, weight="bold"))
    share = percent(float(r["share"]))
    out.append(_text(x + PAD, y + 45, f"{words('rate')} {percent(rate)}", size=11))
    out.append(_text(x + PAD, y + 59, f"n {int(r['n']):,} · {share}", size=10,
                     colour=MUTED))
    if mark:
        label = words("▼ furthest behind") if mark == "behind" else words("▲ furthest ahead")
        out.append(_text(x + PAD, y + 73, label, size=10, weight="bold", colour=colour))
    return out


def tree_svg(tree: Sequence[dict[str, Any]], behind: int | None = None,
             ahead: int | None = None, title: str = "", words: Words | None = None,
             percent: Callable[[float], str] | None = None) -> str:
    """The tree as a standalone SVG document. ``behind`` and ``ahead`` are the node numbers
    of the furthest-behind and furthest-ahead groups; ``words`` translates the few labels;
    ``percent`` formats a share (default: one decimal, "41.4 %")."""
    words = words or (lambda s: s)
    percent = percent or (lambda v: f"{100 * v:.1f} %")
    at = layout(tree)
    nodes = {int(r["node"]): r for r in tree}
    width = max(x for x, _ in at.values()) + BOX_W + 2
    height = max(y for _, y in at.values()) + BOX_H + 2
    parts = []
    for k, r in nodes.items():
        parent = r.get("parent")
        if parent is not None and int(parent) in at:
            px, py = at[int(parent)]
            x, y = at[k]
            parts.append(f'<path d="M{px + BOX_W / 2:.1f},{py + BOX_H:.1f} '
                         f'V{y - GAP_Y / 2:.1f} H{x + BOX_W / 2:.1f} V{y:.1f}" fill="none" '
                         f'stroke="{EDGE}" stroke-width="1"/>')
    for k, r in nodes.items():
        mark = "behind" if k == behind else "ahead" if k == ahead else None
        parts.extend(_box(r, at[k], mark, words, percent))
    leaves = [r for r in tree if r.get("terminal")]
    desc = "; ".join(f"{r['condition']}: {words('rate')} {percent(float(r['rate']))}, "
                     f"n {int(r['n'])}" for r in leaves)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="-1 -1 {width:.0f} {height:.0f}" '
            f'font-family="Liberation Sans, Noto Sans CJK SC, DejaVu Sans, sans-serif">'
            f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
            + "".join(parts) + "</svg>")


def analysis_svg(analysis: dict[str, Any], title: str, words: Words | None = None,
                 percent: Callable[[float], str] | None = None) -> str:
    """``tree_svg`` of a survey analysis (``lnob.survey.analyse_survey`` or a saved one):
    its tree with its furthest-behind and furthest-ahead groups marked."""
    return tree_svg(analysis["tree"], analysis["furthest_behind"].get("node"),
                    analysis["furthest_ahead"].get("node"), title=title, words=words,
                    percent=percent)
