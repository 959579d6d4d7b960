"""Indicator pairs (``links.indicator_pairs``) summed up goal by goal: per country the share
of its pairs in each class, per group the share of its countries (Pradhan et al. 2017
count countries [V for the counting of countries; U for the rule that classifies a goal pair
in one country, here the class most of its pairs have]).

Shares are of the pairs (or countries) with enough data; those without are counted
beside them (``insufficient_data``), never folded into "not classified".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sdgtrack.assess.links import CLASSES, INSUFFICIENT, NOT_CLASSIFIED, SYNERGY, TRADE_OFF

KNOWN = (SYNERGY, TRADE_OFF, NOT_CLASSIFIED)
GOAL_COLUMNS = ["unit", "goal_a", "goal_b", *CLASSES, "with_data", "share_synergy",
                "share_trade_off", "share_not_classified", "dominant", "counted"]


def _shares(t: pd.DataFrame) -> pd.DataFrame:
    t = t.copy()
    t["with_data"] = t[list(KNOWN)].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        for c in KNOWN:
            t[f"share_{c}"] = np.where(t.with_data > 0, t[c] / t.with_data, np.nan)
    return t


def dominant(counts: pd.DataFrame) -> np.ndarray:
    """The class most of the pairs have; a tie at the top is not classified; no pair with
    enough data is insufficient data.

    >>> t = pd.DataFrame({"synergy": [3, 1, 2, 0], "trade_off": [1, 1, 2, 0],
    ...                   "not_classified": [2, 0, 1, 0]})
    >>> dominant(t).tolist()
    ['synergy', 'not_classified', 'not_classified', 'insufficient_data']
    """
    c = counts[list(KNOWN)].to_numpy(int)
    top = c.max(axis=1)
    single = (c == top[:, None]).sum(axis=1) == 1
    best = np.array(KNOWN, dtype=object)[c.argmax(axis=1)]
    return np.where(top == 0, INSUFFICIENT, np.where(single, best, NOT_CLASSIFIED)).astype(object)


def goal_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per area and goal pair (lower goal first; a goal with itself is "within"): pairs in
    each class, the shares among those with enough data, and the dominant class.

    Three pairs between goals 6 and 7 in one country: two synergies, one with 5 years
    (insufficient): shares 1.0 synergy of the 2 with data, dominant synergy.

    >>> p = pd.DataFrame({"unit": ["X"] * 3, "goal_a": [6] * 3, "goal_b": [7] * 3,
    ...                   "class": ["synergy", "synergy", "insufficient_data"]})
    >>> g = goal_pairs(p)
    >>> from sdgtrack.assess.run import records
    >>> records(g[["synergy", "insufficient_data", "with_data", "share_synergy", "dominant"]])
    [{'synergy': 2, 'insufficient_data': 1, 'with_data': 2, 'share_synergy': 1.0, \
'dominant': 'synergy'}]
    """
    counts = pd.crosstab([pairs.unit, pairs.goal_a, pairs.goal_b], pairs["class"])
    counts = counts.reindex(columns=list(CLASSES), fill_value=0).reset_index()
    counts.columns.name = None
    out = _shares(counts)
    out["dominant"] = dominant(out)
    out["counted"] = "pairs"
    return out[GOAL_COLUMNS]


def group_goal_pairs(country_goals: pd.DataFrame, membership: pd.DataFrame) -> pd.DataFrame:
    """Per group and goal pair: its countries by the dominant class of their pairs.
    ``membership``: (unit, ref_area). A member with no pair of the two goals with enough
    data counts as insufficient data.

    Group G of 3 countries: A dominated by synergy, B by trade-off, C without data:
    1 synergy, 1 trade-off, 1 insufficient; shares 0.5 and 0.5 of the 2 with data.

    >>> cg = pd.DataFrame({"unit": ["A", "B"], "goal_a": [1, 1], "goal_b": [2, 2],
    ...                    "dominant": ["synergy", "trade_off"]})
    >>> m = pd.DataFrame({"unit": ["G"] * 3, "ref_area": ["A", "B", "C"]})
    >>> g = group_goal_pairs(cg, m)
    >>> from sdgtrack.assess.run import records
    >>> records(g[["synergy", "trade_off", "insufficient_data", "share_synergy"]])
    [{'synergy': 1, 'trade_off': 1, 'insufficient_data': 1, 'share_synergy': 0.5}]
    """
    t = country_goals[["unit", "goal_a", "goal_b", "dominant"]].rename(
        columns={"unit": "ref_area"}).merge(membership, on="ref_area")
    counts = pd.crosstab([t.unit, t.goal_a, t.goal_b], t.dominant)
    counts = counts.reindex(columns=list(CLASSES), fill_value=0).reset_index()
    counts.columns.name = None
    size = membership.groupby("unit").ref_area.nunique()
    known = counts[list(KNOWN)].sum(axis=1)
    counts[INSUFFICIENT] = counts.unit.map(size).to_numpy() - known
    out = _shares(counts)
    out["dominant"] = dominant(out)
    out["counted"] = "countries"
    return out[GOAL_COLUMNS]


def goal_summary(goals: pd.DataFrame) -> pd.DataFrame:
    """Per unit and goal, over all its goal pairs (within and with every other goal): the
    counts and shares of each class, and the partner goals it is most in synergy and most in
    trade-off with (highest share; ties to the lower goal).

    >>> g = pd.DataFrame({"unit": ["X"] * 3, "goal_a": [1, 1, 2], "goal_b": [1, 2, 3],
    ...     "synergy": [1, 3, 0], "trade_off": [0, 1, 2], "not_classified": [1, 0, 0],
    ...     "insufficient_data": [0, 0, 1]})
    >>> s = goal_summary(g)
    >>> from sdgtrack.assess.run import records
    >>> records(s[s.goal == 2][["synergy", "trade_off", "with_data", "top_synergy",
    ...                         "top_trade_off"]])
    [{'synergy': 3, 'trade_off': 3, 'with_data': 6, 'top_synergy': 1, 'top_trade_off': 3}]
    """
    a = goals.assign(goal=goals.goal_a, partner=goals.goal_b)
    b = goals[goals.goal_a != goals.goal_b].assign(goal=goals.goal_b, partner=goals.goal_a)
    both = pd.concat([a, b], ignore_index=True)
    both = _shares(both)
    counts = both.groupby(["unit", "goal"], as_index=False)[list(CLASSES)].sum()
    out = _shares(counts)
    for c, col in ((SYNERGY, "top_synergy"), (TRADE_OFF, "top_trade_off")):
        ranked = both[both[c] > 0].sort_values(["unit", "goal", f"share_{c}", "partner"],
                                               ascending=[True, True, False, True])
        top = ranked.drop_duplicates(["unit", "goal"])[["unit", "goal", "partner"]]
        out = out.merge(top.rename(columns={"partner": col}), on=["unit", "goal"], how="left")
        out[col] = out[col].astype("Int64")
    return out.sort_values(["unit", "goal"], ignore_index=True)


def partners(goals: pd.DataFrame, unit: str, goal: int) -> pd.DataFrame:
    """The goal's partner goals for one unit (within-goal first as the goal itself), with
    the shares, most synergy first."""
    g = goals[(goals.unit == unit) & ((goals.goal_a == goal) | (goals.goal_b == goal))]
    g = g.assign(partner=np.where(g.goal_a == goal, g.goal_b, g.goal_a))
    return g.sort_values(["share_synergy", "partner"], ascending=[False, True],
                         ignore_index=True)
