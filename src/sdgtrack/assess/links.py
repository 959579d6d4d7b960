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


def _area_pairs(wide: pd.DataFrame) -> dict[str, np.ndarray]:
    """Every pair of columns of one area's year x series table."""
    y = wide.to_numpy(float)
    rho, n = pairwise_spearman(y)
    a, b = np.triu_indices(y.shape[1], 1)
    present = ~np.isnan(y)
    common = present[:, a] & present[:, b]  # years x pairs
    years = wide.index.to_numpy()
    first = np.where(common.any(0), years[common.argmax(0)], -1)
    last = np.where(common.any(0), years[len(years) - 1 - common[::-1].argmax(0)], -1)
    subs = wide.columns.to_numpy()
    return {"sub_a": subs[a], "sub_b": subs[b], "years": n[a, b], "first_year": first,
            "last_year": last, "rho": rho[a, b]}


def indicator_pairs(values: pd.DataFrame, subs: pd.DataFrame,
                    params: LinkParameters | None = None) -> pd.DataFrame:
    """Every pair of series each area has, with ρ, its p-value, the common years and the
    class. ``values``: (unit, sub_id, year, value) as observed; ``subs``: (sub_id,
    series_code, selection, goal, direction, target_value). Two selections of one series
    (female and male of the same rate) are not a pair: they are one indicator."""
    p = params or LinkParameters()
    p.check()
    about = subs.set_index("sub_id")
    v = values[values.year >= p.first_year].merge(
        subs[["sub_id", "direction", "target_value"]], on="sub_id")
    v = v.assign(value=orient(v.value, v.direction, v.target_value))
    parts = []
    for unit, part in v.groupby("unit", sort=True):  # one loop per area, none per pair
        wide = part.pivot_table(index="year", columns="sub_id", values="value",
                                aggfunc="mean").sort_index()
        if wide.shape[1] < 2:
            continue
        parts.append(pd.DataFrame({"unit": unit, **_area_pairs(wide)}))
    if not parts:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    for side in ("a", "b"):
        got = about.loc[out[f"sub_{side}"]]
        out[f"series_{side}"] = got.series_code.to_numpy()
        out[f"selection_{side}"] = got.selection.to_numpy()
        out[f"goal_{side}"] = got.goal.astype(int).to_numpy()
    out = out[out.series_a != out.series_b].reset_index(drop=True)
    enough = out.years.to_numpy() >= p.min_years
    out["rho"] = np.where(enough, out.rho, np.nan)  # no ρ is shown for too few years
    out["p_value"] = t_test_p(out.rho.to_numpy(), out.years.to_numpy())
    out["class"] = classify(out.rho.to_numpy(), out.p_value.to_numpy(), out.years.to_numpy(),
                            p)
    for col in ("first_year", "last_year"):
        out[col] = out[col].where(out[col] >= 0).astype("Int64")
    # the lower goal first, so that 6-2 and 2-6 count as one goal pair
    swap = out.goal_a > out.goal_b
    for x, y in [("sub_a", "sub_b"), ("series_a", "series_b"),
                 ("selection_a", "selection_b"), ("goal_a", "goal_b")]:
        out.loc[swap, [x, y]] = out.loc[swap, [y, x]].to_numpy()
    return out[PAIR_COLUMNS].sort_values(["unit", "goal_a", "goal_b", "series_a", "series_b"],
                                         ignore_index=True)
