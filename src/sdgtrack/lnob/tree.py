"""Weighted CART trees that find the furthest-behind groups (``../shared/METHODS.md`` §3.2).

Method: a regression tree (Breiman, Friedman, Olshen and Stone 1984, *Classification and
Regression Trees*) on a 0/1 outcome, with survey weights, as ESCAP's LNOB platform grows one
per country, indicator and survey year [V: "CART methodology"]. The split criterion is the
weighted ANOVA one of ``rpart(method = "anova")``: the reduction of the weighted sum of squares
``SSE = Σw·y² − (Σw·y)²/Σw``, which for a 0/1 outcome is the Gini reduction [U: ESCAP's R code
is not public].

A split sends some categories of one circumstance left and the rest right. Ordering the
categories of a node by their weighted rate and trying the k − 1 cuts of that order finds the
best of all 2^(k−1) − 1 partitions for a 0/1 or continuous outcome (Breiman et al. 1984,
§9.4; Fisher 1958), so it is exact, not a heuristic.

The microdata are first summed into cells, one per combination of circumstances (Σw, Σw·y,
Σw·y², n): every split is on circumstances, so a cell never straddles two nodes and the tree
grown over cells is the tree grown over records, at a fraction of the cost.

Nodes are numbered as rpart numbers them: the root is 1 and the children of node k are 2k
(the categories with the lower rates) and 2k + 1 (the higher rates).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from sdgtrack.errors import UsageError
from sdgtrack.model import json_value

OUTCOME, WEIGHT = "outcome", "weight"
#: Gains closer than this (relative to the root SSE) are ties; the first candidate wins.
_TIE = 1e-12


@dataclass(frozen=True)
class TreeParameters:
    """Stopping rules of the tree, all [U]: ESCAP's values are not published (METHODS §3.2
    suggests "5 % of the sample / 50 observations", cp 0.001-0.01, depth 4-5)."""

    #: A terminal node holds at least this share of the weighted population [U].
    min_share: float = 0.05
    #: ...and at least this many records (unweighted), so its rate is reliable [U].
    min_n: int = 50
    #: The root has depth 0; nodes at this depth are not split (at most 30, as in rpart) [U].
    max_depth: int = 4
    #: A split must cut the weighted SSE by at least cp × the root's SSE [U]. Applied while
    #: growing; rpart instead grows on and prunes back, which can keep a weak split that
    #: leads to strong ones.
    cp: float = 0.01

    def __post_init__(self) -> None:
        if not 0 <= self.min_share < 0.5:
            raise UsageError(f"min_share must be in [0, 0.5), got {self.min_share}")
        if self.min_n < 1:
            raise UsageError(f"min_n must be at least 1, got {self.min_n}")
        if not 0 <= self.max_depth <= 30:
            raise UsageError(f"max_depth must be in 0-30, got {self.max_depth}")
        if not 0 <= self.cp < 1:
            raise UsageError(f"cp must be in [0, 1), got {self.cp}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def aggregate_cells(frame: pd.DataFrame, circumstances: Sequence[str], outcome: str = OUTCOME,
                    weight: str = WEIGHT) -> pd.DataFrame:
    """One row per combination of circumstances present: ``n`` records, ``weight`` Σw,
    ``wy`` Σw·y, ``wy2`` Σw·y² and ``rate`` Σw·y / Σw.

    >>> f = pd.DataFrame({"sex": ["f", "f", "m"], "outcome": [1, 0, 1],
    ...                   "weight": [1.0, 3.0, 2.0]})
    >>> aggregate_cells(f, ["sex"])
      sex  weight   wy  wy2  n  rate
    0   f     4.0  1.0  1.0  2  0.25
    1   m     2.0  2.0  2.0  1  1.00
    """
    w = frame[weight].to_numpy(dtype="float64")
    y = frame[outcome].to_numpy(dtype="float64")
    sums = pd.DataFrame({"weight": w, "wy": w * y, "wy2": w * y * y, "n": 1}, index=frame.index)
    keys = [frame[c] for c in circumstances]
    cells = sums.groupby(keys, observed=True, sort=True).sum().reset_index()
    cells["rate"] = _ratio(cells["wy"].to_numpy(), cells["weight"].to_numpy())
    return cells


def _ratio(a: Any, b: Any) -> np.ndarray:
    """a / b, 0 where b is 0 (a group of zero weight has no rate; it never decides a split)."""
    a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
    out: np.ndarray = np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b != 0)
    return out


def _sse(w: Any, wy: Any, wy2: Any) -> np.ndarray:
    out: np.ndarray = np.asarray(wy2, dtype="float64") - _ratio(np.square(wy), w)
    return out


@dataclass(frozen=True)
class _Cells:
    """The cells as arrays: ``codes[i, k]`` is cell i's category of circumstance k."""

    names: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    codes: np.ndarray
    w: np.ndarray
    wy: np.ndarray
    wy2: np.ndarray
    n: np.ndarray

    @classmethod
    def of(cls, cells: pd.DataFrame, circumstances: Sequence[str]) -> _Cells:
        codes, labels = [], []
        for c in circumstances:
            col = cells[c]
            if isinstance(col.dtype, pd.CategoricalDtype):
                codes.append(col.cat.codes.to_numpy())
                labels.append(tuple(str(v) for v in col.cat.categories))
            else:
                code, uniques = pd.factorize(col, sort=True)
                codes.append(code)
                labels.append(tuple(str(v) for v in uniques))
        arrays = {k: cells[k].to_numpy(dtype="float64") for k in ("weight", "wy", "wy2", "n")}
        return cls(tuple(circumstances), tuple(labels), np.column_stack(codes).astype(np.intp),
                   arrays["weight"], arrays["wy"], arrays["wy2"], arrays["n"])


@dataclass(frozen=True)
class _Split:
    k: int
    gain: float
    left: np.ndarray
    right: np.ndarray


def _split_on(c: _Cells, idx: np.ndarray, k: int, limits: tuple[float, int]) -> _Split | None:
    """The best split of the node's cells ``idx`` on circumstance k, or None when no cut
    leaves both children at least ``limits`` = (minimum weight, minimum n)."""
    size = len(c.labels[k])
    codes = c.codes[idx, k]
    w, wy, wy2, n = (np.bincount(codes, a[idx], size) for a in (c.w, c.wy, c.wy2, c.n))
    present = np.flatnonzero(n > 0)
    if len(present) < 2:
        return None
    order = present[np.lexsort((present, _ratio(wy, w)[present]))]
    left = [np.cumsum(a[order])[:-1] for a in (w, wy, wy2, n)]
    total = [a.sum() for a in (w, wy, wy2, n)]
    right = [t - lo for t, lo in zip(total, left)]
    ok = ((left[0] >= limits[0]) & (right[0] >= limits[0])
          & (left[3] >= limits[1]) & (right[3] >= limits[1]))
    if not ok.any():
        return None
    gain = _sse(*total[:3]) - _sse(*left[:3]) - _sse(*right[:3])
    j = int(np.flatnonzero(ok)[np.argmax(gain[ok])])
    return _Split(k, float(gain[j]), np.sort(order[: j + 1]), np.sort(order[j + 1:]))


def _best_split(c: _Cells, idx: np.ndarray, limits: tuple[float, int],
                tie: float) -> _Split | None:
    best = None
    for k in range(len(c.names)):
        s = _split_on(c, idx, k, limits)
        if s is not None and (best is None or s.gain > best.gain + tie):
            best = s
    return best


def _describe(conditions: dict[str, list[str]]) -> str:
    parts = [f"{k} = {v[0]}" if len(v) == 1 else f"{k} in {{{', '.join(v)}}}"
             for k, v in conditions.items()]
    return " and ".join(parts) or "all"


class _Grower:
    """Grows the tree depth first, appending one row per node to ``rows``."""

    def __init__(self, c: _Cells, p: TreeParameters) -> None:
        self.c, self.p = c, p
        self.rows: list[dict[str, Any]] = []
        self.total_w = float(c.w.sum())
        self.root_sse = float(_sse(c.w.sum(), c.wy.sum(), c.wy2.sum()))
        # a child at exactly min_share (50 of 1,000) must pass despite rounding
        self.limits = (p.min_share * self.total_w * (1 - _TIE), p.min_n)

    def node(self, node: int, idx: np.ndarray, conditions: dict[str, list[str]],
             branch: str) -> None:
        w, wy = float(self.c.w[idx].sum()), float(self.c.wy[idx].sum())
        depth = int(math.log2(node))
        row = {"node": node, "parent": node // 2 or None, "depth": depth,
               "branch": branch, "condition": _describe(conditions), "conditions": conditions,
               "n": int(self.c.n[idx].sum()), "weight": w, "share": w / self.total_w,
               "rate": wy / w if w else math.nan, "terminal": True, "split": None,
               "improvement": math.nan}
        self.rows.append(row)
        split = self.split(idx, depth)
        if split is None:
            return
        name = self.c.names[split.k]
        row.update(terminal=False, split=name, improvement=split.gain / self.root_sse)
        for child, cats in ((2 * node, split.left), (2 * node + 1, split.right)):
            local = {name: [self.c.labels[split.k][i] for i in cats]}
            self.node(child, idx[np.isin(self.c.codes[idx, split.k], cats)],
                      {**conditions, **local}, _describe(local))

    def split(self, idx: np.ndarray, depth: int) -> _Split | None:
        if depth >= self.p.max_depth or self.root_sse <= 0:
            return None
        best = _best_split(self.c, idx, self.limits, _TIE * self.root_sse)
        # a cut of ~0 (float noise between equal rates) is no split, even with cp = 0
        if best is None or best.gain < max(self.p.cp, _TIE) * self.root_sse:
            return None
        return best


TREE_COLUMNS = ("node", "parent", "depth", "branch", "condition", "conditions", "n", "weight",
                "share", "rate", "terminal", "split", "improvement")


def grow_tree(cells: pd.DataFrame, circumstances: Sequence[str],
              params: TreeParameters | None = None) -> pd.DataFrame:
    """The tree as a table, one row per node in depth-first order: ``node`` (root 1,
    children 2k and 2k + 1), ``parent``, ``depth``, ``branch`` (the split that made it),
    ``condition`` (every condition from the root, readable), ``conditions`` (the same as
    ``{circumstance: [categories]}``), ``n`` records, ``weight`` Σw, ``share`` of the
    weighted population, ``rate`` of the outcome, ``terminal``, ``split`` (the circumstance
    it is split on) and ``improvement`` (SSE cut / root SSE, the quantity compared with cp).

    ``cells`` is the table of :func:`aggregate_cells` (or microdata with ``n`` = 1,
    ``wy`` = w·y, ``wy2`` = w·y²).

    >>> f = pd.DataFrame({"area": list("uuuurrrr"), "outcome": [1, 1, 1, 0, 0, 0, 0, 1],
    ...                   "weight": 1.0})
    >>> t = grow_tree(aggregate_cells(f, ["area"]), ["area"], TreeParameters(min_n=1))
    >>> t[["node", "parent", "condition", "share", "rate", "terminal"]]
       node  parent condition  share  rate  terminal
    0     1    <NA>       all    1.0  0.50     False
    1     2       1  area = r    0.5  0.25      True
    2     3       1  area = u    0.5  0.75      True
    """
    if not circumstances:
        raise UsageError("grow_tree needs at least one circumstance")
    grower = _Grower(_Cells.of(cells, circumstances), params or TreeParameters())
    grower.node(1, np.arange(len(grower.c.w)), {}, "all")
    tree = pd.DataFrame(grower.rows, columns=list(TREE_COLUMNS))
    tree["parent"] = tree["parent"].astype("Int64")  # the root has none
    return tree


def tree_records(tree: pd.DataFrame) -> list[dict[str, Any]]:
    """The tree table as a list of JSON-ready node dicts."""
    return [{k: json_value(v) for k, v in row.items()} for row in tree.to_dict("records")]


def tree_to_dict(tree: pd.DataFrame) -> dict[str, Any]:
    """The tree as one nested dict (for JSON): each node with its ``children`` list."""
    nodes = {r["node"]: {**r, "children": []} for r in tree_records(tree)}
    for r in nodes.values():
        if r["parent"] is not None:
            nodes[r["parent"]]["children"].append(r)
    return nodes[1]


def _extreme(tree: pd.DataFrame, barrier: bool, behind: bool) -> dict[str, Any]:
    leaves = tree[tree["terminal"]]
    access = 1 - leaves["rate"] if barrier else leaves["rate"]
    pick = access.idxmin() if behind else access.idxmax()
    row = {k: json_value(leaves.at[pick, k])
           for k in ("node", "condition", "conditions", "share", "n", "rate")}
    return {**row, "access_rate": json_value(access[pick])}


def furthest_behind(tree: pd.DataFrame, barrier: bool = False) -> dict[str, Any]:
    """The terminal node with the lowest access rate: for a barrier outcome (stunting), the
    highest prevalence of the barrier. ``rate`` is the outcome as declared (the stunting
    prevalence), ``access_rate`` its non-barrier form (1 − rate for a barrier).

    >>> t = pd.DataFrame({"node": [2, 3], "condition": ["a", "b"], "conditions": [{}, {}],
    ...                   "share": [0.4, 0.6], "n": [60, 90], "rate": [0.5, 0.2],
    ...                   "terminal": True})
    >>> furthest_behind(t, barrier=True)["condition"], furthest_behind(t)["condition"]
    ('a', 'b')
    """
    return _extreme(tree, barrier, behind=True)


def furthest_ahead(tree: pd.DataFrame, barrier: bool = False) -> dict[str, Any]:
    """The terminal node with the highest access rate (the lowest barrier prevalence);
    ``rate`` and ``access_rate`` as in :func:`furthest_behind`."""
    return _extreme(tree, barrier, behind=False)
