"""Inequality of opportunity from survey microdata (``../shared/METHODS.md`` §3.1): pure
functions of the records that :mod:`sdgtrack.lnob.microdata` reads.

- ``weighted_rate``: p = Σw·y / Σw;
- ``group_rates``: p_i, β_i and n_i per group;
- ``d_index``: D = Σβ_i·|p_i − p̄| / (2·p̄) (Paes de Barros et al. 2009, *Measuring Inequality
  of Opportunities in Latin America and the Caribbean*, World Bank, ch. 2);
- ``hoi``: HOI = p̄·(1 − D), the Human Opportunity Index (same source);
- ``shapley_d``: each circumstance's Shapley share of D (Shorrocks 2013, *J. Econ. Inequality*
  11:99-126; applied to D by Hoyos and Narayan 2011, World Bank) [U: ESCAP's own form].

``analyse_survey`` puts them together with the tree of :mod:`sdgtrack.lnob.tree`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from sdgtrack.errors import UsageError
from sdgtrack.lnob.microdata import SurveySpec, prepare_survey, read_survey
from sdgtrack.lnob.tree import (
    OUTCOME,
    WEIGHT,
    TreeParameters,
    aggregate_cells,
    furthest_ahead,
    furthest_behind,
    grow_tree,
    tree_records,
)
from sdgtrack.model import json_value


def weighted_rate(outcome: Sequence[float] | pd.Series, weight: Sequence[float] | pd.Series |
                  None = None) -> float:
    """p = Σ w·y / Σ w, the weighted share of records with the outcome (weights 1 if None).

    >>> weighted_rate([1, 0, 1, 0], [2, 1, 1, 4])  # (2 + 1) / 8
    0.375
    """
    y = np.asarray(outcome, dtype="float64")
    w = np.ones_like(y) if weight is None else np.asarray(weight, dtype="float64")
    if w.sum() <= 0:
        raise UsageError("weighted_rate needs a positive total weight")
    return float((w * y).sum() / w.sum())


def group_rates(frame: pd.DataFrame, by: str | Sequence[str], outcome: str = OUTCOME,
                weight: str = WEIGHT, count: str | None = None) -> pd.DataFrame:
    """Per group of ``by``: ``n`` records (the sum of ``count`` when the rows are cells),
    ``weight`` Σw, ``share`` β = Σw / total Σw and ``rate`` p = Σw·y / Σw.

    >>> f = pd.DataFrame({"area": list("uurrr"), "outcome": [1, 1, 1, 0, 0],
    ...                   "weight": [1, 1, 2, 1, 1]})
    >>> group_rates(f, "area").round(3)  # r: 2/4 and 4/6, u: 2/2 and 2/6
      area  n  weight  share  rate
    0    r  3     4.0  0.667   0.5
    1    u  2     2.0  0.333   1.0
    """
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise UsageError("group_rates needs at least one column to group by")
    w = frame[weight].astype("float64")
    n = frame[count] if count else 1
    sums = pd.DataFrame({"n": n, "weight": w, "wy": w * frame[outcome]}, index=frame.index)
    g = sums.groupby([frame[c] for c in keys], observed=True, sort=True).sum()
    g["n"] = g["n"].astype("int64")
    g["share"] = g["weight"] / g["weight"].sum()
    g["rate"] = g["wy"] / g["weight"]
    return g.drop(columns="wy").reset_index()


def _mean_and_d(shares: Sequence[float] | pd.Series,
                rates: Sequence[float] | pd.Series) -> tuple[float, float]:
    b = np.asarray(shares, dtype="float64")
    p = np.asarray(rates, dtype="float64")
    if b.shape != p.shape or b.size == 0 or b.sum() <= 0:
        raise UsageError("shares and rates must be equally long, non-empty, with a positive sum")
    b = b / b.sum()
    mean = float((b * p).sum())
    d = float((b * np.abs(p - mean)).sum() / (2 * mean)) if mean > 0 else math.nan
    return mean, d


def d_index(shares: Sequence[float] | pd.Series, rates: Sequence[float] | pd.Series) -> float:
    """Dissimilarity index D = Σ β_i·|p_i − p̄| / (2·p̄), with p̄ = Σ β_i·p_i: the share of the
    opportunity that would have to move between groups to equalise access (0 = none). The
    shares are rescaled to sum to 1; D is NaN when p̄ = 0. Paes de Barros et al. (2009);
    ESCAP LNOB (METHODS §3.1, worked example):

    >>> round(d_index([0.5, 0.3, 0.2], [0.9, 0.6, 0.3]), 3)  # 0.210 / (2 * 0.69)
    0.152
    """
    return _mean_and_d(shares, rates)[1]


def hoi(shares: Sequence[float] | pd.Series, rates: Sequence[float] | pd.Series) -> float:
    """Human Opportunity Index HOI = p̄·(1 − D) (Paes de Barros et al. 2009).

    >>> round(hoi([0.5, 0.3, 0.2], [0.9, 0.6, 0.3]), 3)  # 0.69 * (1 - 0.152) = 0.69 - 0.105
    0.585
    """
    mean, d = _mean_and_d(shares, rates)
    return 0.0 if mean == 0 else mean * (1 - d)


def _d_of_subsets(frame: pd.DataFrame, circumstances: Sequence[str], outcome: str,
                  weight: str) -> dict[tuple[int, ...], float]:
    """D over the cross-cells of every subset of the circumstances (D of none = 0)."""
    codes = [pd.factorize(frame[c], sort=True)[0].astype("int64") for c in circumstances]
    w = frame[weight].to_numpy(dtype="float64")
    wy = w * frame[outcome].to_numpy(dtype="float64")
    d: dict[tuple[int, ...], float] = {(): 0.0}
    for r in range(1, len(codes) + 1):
        for subset in combinations(range(len(codes)), r):
            key = np.zeros(len(w), dtype="int64")
            for k in subset:
                key = key * (codes[k].max() + 1) + codes[k]
            group = pd.factorize(key)[0]
            gw, gwy = np.bincount(group, w), np.bincount(group, wy)
            d[subset] = d_index(gw, np.divide(gwy, gw, out=np.zeros(len(gw)), where=gw > 0))
    return d


def shapley_d(frame: pd.DataFrame, circumstances: Sequence[str], outcome: str = OUTCOME,
              weight: str = WEIGHT) -> pd.DataFrame:
    """Each circumstance's Shapley contribution to D and its ``share`` of D.

    D(S) is the D-index over the cross-cells of the circumstances in S; the contribution of c
    is the average of its marginal gains D(S ∪ {c}) − D(S) over all orders of entry,
    φ_c = Σ_{S ∌ c} |S|!·(K − |S| − 1)!/K! · (D(S ∪ {c}) − D(S)), and the φ_c sum to D over
    all K circumstances (Shorrocks 2013). ``frame`` may be records or cells (``outcome`` the
    cell rate, ``weight`` its Σw). Two circumstances, four equal cells with rates 0.2, 0.4
    (a1) and 0.6, 1.0 (a2): D(a) = D(a, b) = 0.25/1.1, D(b) = 0.15/1.1, so φ_a = (0.25 + 0.10)
    / 2.2 = 0.1591 and φ_b = (0.15 + 0) / 2.2 = 0.0682:

    >>> f = pd.DataFrame({"a": ["a1", "a1", "a2", "a2"], "b": ["b1", "b2", "b1", "b2"],
    ...                   "outcome": [0.2, 0.4, 0.6, 1.0], "weight": 1.0})
    >>> shapley_d(f, ["a", "b"]).round(4).to_dict("list")
    {'circumstance': ['a', 'b'], 'contribution': [0.1591, 0.0682], 'share': [0.7, 0.3]}
    """
    K = len(circumstances)
    if not 0 < K <= 12:
        raise UsageError(f"shapley_d needs 1 to 12 circumstances (2^K subsets), got {K}")
    d = _d_of_subsets(frame, circumstances, outcome, weight)
    phi = []
    for c in range(K):
        others = [k for k in range(K) if k != c]
        phi.append(sum(math.factorial(r) * math.factorial(K - r - 1) / math.factorial(K)
                       * (d[tuple(sorted((*s, c)))] - d[s])
                       for r in range(K) for s in combinations(others, r)))
    total = d[tuple(range(K))]
    shares = [p / total if total > 0 else math.nan for p in phi]
    return pd.DataFrame({"circumstance": list(circumstances), "contribution": phi,
                         "share": shares})


# ---- the analysis ----------------------------------------------------------------------------

METHOD = {
    "d_index": "D = Σβ|p−p̄|/(2p̄) over the terminal nodes of the tree (ESCAP LNOB; Paes de "
               "Barros et al. 2009, World Bank), METHODS §3.1",
    "hoi": "HOI = p̄(1−D) (Paes de Barros et al. 2009)",
    "barrier": "for a barrier, D and HOI are of the non-barrier complement 1 − y, marked * "
               "(ESCAP LNOB FAQ)",
    "tree": "weighted CART, ANOVA split as rpart(method='anova') (Breiman et al. 1984); "
            "stopping rules [U], METHODS §3.2",
    "shapley": "Shapley decomposition of D over the cross-cells of the circumstances "
               "(Shorrocks 2013) [U]; sums to d_index_cells",
}


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: json_value(v) for k, v in r.items()} for r in table.to_dict("records")]


def analyse_survey(frame: pd.DataFrame, spec: SurveySpec,
                   params: TreeParameters | None = None) -> dict[str, Any]:
    """The LNOB analysis of one outcome, JSON-ready: ``rate`` (of the outcome as declared),
    ``access_rate`` (its non-barrier form), ``d_index`` and ``hoi`` over the tree's terminal
    nodes and ``d_index_cells`` over all cross-cells (both of the non-barrier form),
    ``furthest_behind`` / ``furthest_ahead``, the ``tree`` nodes, the ``shapley`` shares of
    ``d_index_cells``, ``n``, ``dropped_rows``, the ``parameters`` and the ``method``.

    ``frame`` is what :func:`read_survey` or :func:`prepare_survey` returns.
    """
    params = params or TreeParameters()
    circ = list(spec.circumstances)
    absent = [c for c in (*circ, OUTCOME, WEIGHT) if c not in frame.columns]
    if absent:
        raise UsageError(f"analyse_survey takes the table read_survey returns; it has no "
                         f"column {', '.join(map(repr, absent))}.")
    cells = aggregate_cells(frame, circ)
    tree = grow_tree(cells, circ, params)
    cells["access"] = 1 - cells["rate"] if spec.barrier else cells["rate"]
    leaves = tree[tree["terminal"]]
    access = 1 - leaves["rate"] if spec.barrier else leaves["rate"]
    rate = float(cells["wy"].sum() / cells["weight"].sum())
    return {
        "outcome": spec.label, "barrier": spec.barrier, "rate": rate,
        "access_rate": 1 - rate if spec.barrier else rate,
        "d_index": json_value(d_index(leaves["share"], access)),
        "d_index_cells": json_value(d_index(cells["weight"], cells["access"])),
        "d_index_of": f"1 - ({spec.label}) *" if spec.barrier else spec.label,
        "hoi": hoi(leaves["share"], access),
        "furthest_behind": furthest_behind(tree, spec.barrier),
        "furthest_ahead": furthest_ahead(tree, spec.barrier),
        "tree": tree_records(tree),
        "shapley": _records(shapley_d(cells, circ, outcome="access")),
        "n": int(cells["n"].sum()), "cells": len(cells),
        "dropped_rows": int(frame.attrs.get("dropped_rows", 0)),
        "dropped_by_column": dict(frame.attrs.get("dropped_by_column", {})),
        "parameters": params.as_dict(), "method": METHOD,
    }


# the reading functions stay importable from here, where the measures are
__all__ = ["SurveySpec", "analyse_survey", "d_index", "group_rates", "hoi", "prepare_survey",
           "read_survey", "shapley_d", "weighted_rate"]
