"""Interlinkages from a country's own data (Pradhan et al. 2017): which headline series move
together over the years (synergies) and which pull against each other (trade-offs), and the
same summed up goal by goal, per country and for a group of countries.

Source: Pradhan, Costa, Rybski, Lucht and Kropp (2017), "A systematic study of Sustainable
Development Goal (SDG) interactions", *Earth's Future* 5(11), 1169-1179,
doi:10.1002/2017EF000632. Read in its abstract [V]: official SDG indicator data for 227
countries; "a significant positive correlation between a pair of SDG indicators is
classified as a synergy while a significant negative correlation is classified as a
trade-off"; "for a given SDG, positive correlations between indicator pairs were found to
outweigh the negative ones in most countries". From memory, not confirmed in the paper's
text [U] (``../shared/METHODS.md`` §9.3), hence parameters: Spearman's ρ over the years both
indicators have; |ρ| > 0.6 as the cut-off; the minimum number of common years; the
significance test and its level; how a goal pair is classified in a country and how a group
counts countries.

Method, per area:

1. each series oriented so that up is progress (``orient``), by its direction in the
   assessment specification;
2. ρ for every pair of the area's headline series over their common years
   (``correlate.pairwise_spearman``), with the two-sided t test (``correlate.t_test_p``);
3. each pair classified (``classify``): synergy (ρ > threshold, significant), trade-off
   (ρ < -threshold, significant), not classified, or insufficient data (fewer common years
   than ``min_years``, or a series that does not move over them: never "no interaction");
4. pairs counted goal by goal (``goal_pairs``); a group counts its countries, each by the
   class most of its pairs have for that goal pair (``group_goal_pairs``).

A synergy is co-movement, not a cause.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from sdgtrack.assess.correlate import pairwise_spearman, t_test_p

SYNERGY, TRADE_OFF, NOT_CLASSIFIED, INSUFFICIENT = (
    "synergy", "trade_off", "not_classified", "insufficient_data")
CLASSES = (SYNERGY, TRADE_OFF, NOT_CLASSIFIED, INSUFFICIENT)
METHOD_NAME = "Interlinkages: Spearman correlation of indicator pairs (Pradhan et al. 2017)"
METHOD_VERSION = "sdgtrack-links/1"
HONESTY = "A synergy is co-movement, not a cause."


@dataclass(frozen=True)
class LinkParameters:
    """Every choice the method makes, named; [U] where the paper's value is not confirmed."""

    #: Fewest years both series of a pair must have [U: the paper's minimum is not
    #: confirmed; 8, so that a significant ρ needs |ρ| above about 0.7].
    min_years: int = 8
    #: |ρ| above this (and significant) is a synergy or a trade-off [U: 0.6 from memory].
    threshold: float = 0.6
    #: Significance level of the two-sided t test of ρ [U: the paper's test and level].
    alpha: float = 0.05
    #: First year of data used.
    first_year: int = 2000
    #: Cross-country (Kroll et al. 2019): |ρ| above this is a synergy or trade-off [U].
    kroll_threshold: float = 0.5
    #: ...and fewest countries with both goal scores in a year [U].
    min_countries: int = 10

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def check(self) -> None:
        from sdgtrack.errors import UsageError

        if self.min_years < 3:
            raise UsageError(f"min_years is {self.min_years}: a rank correlation needs at "
                             "least 3 common years to be tested; use 3 or more (default 8).")
        for name in ("threshold", "kroll_threshold", "alpha"):
            value = getattr(self, name)
            if not 0 <= value < 1:
                raise UsageError(f"{name} is {value}: give a number from 0 to below 1.")


def orient(value: pd.Series, direction: pd.Series, target: pd.Series) -> pd.Series:
    """Values turned so that up is progress: as they are when higher is better, negated
    when lower is better, and for a parity series minus the distance to parity (its
    target, e.g. 1 for a gender parity index).

    Under-five mortality 40 -> 30 -> 25 (lower is better) becomes -40 -> -30 -> -25, rising;
    a parity index 0.8 -> 0.9 -> 1.1 becomes -0.2 -> -0.1 -> -0.1.

    >>> s = lambda *v: pd.Series(v, dtype="float64")
    >>> orient(s(40, 30, 25), pd.Series(["decrease"] * 3), s(25, 25, 25)).tolist()
    [-40.0, -30.0, -25.0]
    >>> orient(s(0.8, 0.9, 1.1), pd.Series(["parity"] * 3), s(1, 1, 1)).round(2).tolist()
    [-0.2, -0.1, -0.1]
    """
    v = value.to_numpy(float)
    out = np.select([direction.to_numpy() == "decrease", direction.to_numpy() == "parity"],
                    [-v, -np.abs(v - target.to_numpy(float))], v)
    return pd.Series(out, index=value.index)


def classify(rho: np.ndarray, p_value: np.ndarray, years: np.ndarray,
             params: LinkParameters) -> np.ndarray:
    """Class of each pair. A ρ exactly at the threshold is not beyond it; a strong ρ that
    is not significant is not classified; too few common years (or no ρ: a series that does
    not move) is insufficient data.

    >>> p = LinkParameters()
    >>> classify(np.array([0.61, 0.6, -0.7, 0.9, 0.9, np.nan]),
    ...          np.array([0.01, 0.01, 0.01, 0.2, 0.01, np.nan]),
    ...          np.array([8, 8, 8, 8, 7, 9]), p).tolist()
    ['synergy', 'not_classified', 'trade_off', 'not_classified', 'insufficient_data', \
'insufficient_data']
    """
    significant = p_value < params.alpha
    return np.select(
        [(years < params.min_years) | np.isnan(rho),
         (rho > params.threshold) & significant, (rho < -params.threshold) & significant],
        [INSUFFICIENT, SYNERGY, TRADE_OFF], NOT_CLASSIFIED).astype(object)


PAIR_COLUMNS = ["unit", "sub_a", "sub_b", "series_a", "selection_a", "goal_a", "series_b",
                "selection_b", "goal_b", "years", "first_year", "last_year", "rho", "p_value",
                "class"]


def _area_pairs(y: np.ndarray, years: np.ndarray) -> dict[str, np.ndarray]:
    """Every pair of columns of one area's year x series array (column positions)."""
    rho, n = pairwise_spearman(y)
    a, b = np.triu_indices(y.shape[1], 1)
    present = ~np.isnan(y)
    common = present[:, a] & present[:, b]  # years x pairs
    some = common.any(0)
    first = np.where(some, years[common.argmax(0)], -1)
    last = np.where(some, years[len(years) - 1 - common[::-1].argmax(0)], -1)
    return {"a": a, "b": b, "years": n[a, b], "first_year": first, "last_year": last,
            "rho": rho[a, b]}


def _per_area(v: pd.DataFrame, sub_ids: np.ndarray) -> list[dict[str, Any]]:
    """One year x series array per area (the area's own series only), filled by position:
    no pivot per area, no loop per pair."""
    if v.empty:  # an empty store, or no series of the specification
        return []
    v = v.groupby(["unit", "sub_id", "year"], as_index=False, sort=True).value.mean()
    col = np.searchsorted(sub_ids, v.sub_id.to_numpy())
    years = np.arange(v.year.min(), v.year.max() + 1)
    row = v.year.to_numpy() - years[0]
    value = v.value.to_numpy(float)
    units, starts = np.unique(v.unit.to_numpy(), return_index=True)
    bounds = [*starts[1:], len(v)]
    out = []
    for unit, lo, hi in zip(units, starts, bounds, strict=True):
        cols, local = np.unique(col[lo:hi], return_inverse=True)
        if len(cols) < 2:
            continue
        y = np.full((len(years), len(cols)), np.nan)
        y[row[lo:hi], local] = value[lo:hi]
        got = _area_pairs(y, years)
        got["a"], got["b"] = cols[got["a"]], cols[got["b"]]  # back to positions in sub_ids
        out.append({"unit": unit, **got})
    return out


def indicator_pairs(values: pd.DataFrame, subs: pd.DataFrame,
                    params: LinkParameters | None = None) -> pd.DataFrame:
    """Every pair of series each area has, with ρ, its p-value, the common years and the
    class. ``values``: (unit, sub_id, year, value) as observed (several values in a year
    are averaged); ``subs``: (sub_id, series_code, selection, goal, direction,
    target_value). Two selections of one series (female and male of the same rate) are not
    a pair: they are one indicator."""
    p = params or LinkParameters()
    p.check()
    about = subs.sort_values("sub_id")
    sub_ids = about.sub_id.to_numpy()
    v = values[values.year >= p.first_year].merge(
        about[["sub_id", "direction", "target_value"]], on="sub_id")
    v = v.assign(value=orient(v.value, v.direction, v.target_value))
    parts = _per_area(v, sub_ids)
    if not parts:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    got = {k: np.concatenate([x[k] for x in parts]) for k in parts[0] if k != "unit"}
    unit = np.repeat([x["unit"] for x in parts], [len(x["a"]) for x in parts])
    goal = about.goal.astype(int).to_numpy()
    series_id, series = pd.factorize(about.series_code)
    a, b = got["a"], got["b"]
    # the lower goal first, so that 6-2 and 2-6 count as one goal pair
    swap = goal[a] > goal[b]
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    keep = series_id[a] != series_id[b]
    a, b = a[keep], b[keep]
    years = got["years"][keep]
    rho = np.where(years >= p.min_years, got["rho"][keep], np.nan)  # none for too few
    p_value = t_test_p(rho, years)
    selection = about.selection.to_numpy(object)
    out = pd.DataFrame({
        "unit": unit[keep], "sub_a": sub_ids[a], "sub_b": sub_ids[b],
        "series_a": np.asarray(series, object)[series_id[a]], "selection_a": selection[a],
        "goal_a": goal[a], "series_b": np.asarray(series, object)[series_id[b]],
        "selection_b": selection[b], "goal_b": goal[b], "years": years,
        "first_year": pd.array(got["first_year"][keep], dtype="Int64"),
        "last_year": pd.array(got["last_year"][keep], dtype="Int64"),
        "rho": rho, "p_value": p_value, "class": classify(rho, p_value, years, p)})
    for col in ("first_year", "last_year"):  # -1: no common year
        out[col] = out[col].mask(out[col] < 0)
    return out.sort_values(["unit", "goal_a", "goal_b", "series_a", "series_b"],
                           ignore_index=True)
