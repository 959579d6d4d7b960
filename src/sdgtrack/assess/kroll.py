"""Cross-country interlinkages (Kroll, Warchold and Pradhan 2019): per year, Spearman's ρ
between two goals' scores across a group's countries, and how each goal pair moves over the
years.

Source: Kroll, Warchold and Pradhan (2019), "Sustainable Development Goals (SDGs): Are we
successful in turning trade-offs into synergies?", *Palgrave Communications* 5, 140: SDG
Index goal scores, 2010-2018, ρ across countries per year [V, ``../shared/METHODS.md``
§9.3]; the ±0.5 cut-off is [U] (``LinkParameters.kroll_threshold``), as is the fewest
countries a year (``min_countries``). sdgtrack scores goals with the ESCAP Current Status
Index of each year (progress since the baseline, not the SDR's level of achievement), so a
pair here says whether the countries that progressed most on one goal progressed most on the
other. A synergy is co-movement, not a cause.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sdgtrack.assess.correlate import pairwise_spearman, t_test_p
from sdgtrack.assess.links import INSUFFICIENT, SYNERGY, TRADE_OFF, LinkParameters, classify

YEAR_COLUMNS = ["unit", "year", "goal_a", "goal_b", "countries", "rho", "p_value", "class"]


def cross_country(scores: pd.DataFrame, membership: pd.DataFrame,
                  params: LinkParameters | None = None) -> pd.DataFrame:
    """Per group, year and goal pair: ρ across the member countries that have both goals'
    scores. ``scores``: (ref_area, year, goal, score); ``membership``: (unit, ref_area).

    Four countries, two goals, in one year: scores (1, 2, 3, 4) and (2, 1, 4, 3) rank
    alike but for two swaps: ρ = 1 - 6 * (1 + 1 + 1 + 1) / (4 * 15) = 0.6; with 4
    countries, below ``min_countries`` (10), insufficient data.

    >>> s = pd.DataFrame({"ref_area": list("ABCD") * 2, "year": 2020,
    ...                   "goal": [1] * 4 + [2] * 4, "score": [1, 2, 3, 4, 2, 1, 4, 3]})
    >>> m = pd.DataFrame({"unit": "G", "ref_area": list("ABCD")})
    >>> r = cross_country(s, m)
    >>> round(float(r.rho[0]), 3), int(r.countries[0]), r["class"][0]
    (0.6, 4, 'insufficient_data')
    """
    p = params or LinkParameters()
    t = scores.merge(membership, on="ref_area")
    parts = []
    for (unit, year), part in t.groupby(["unit", "year"], sort=True):  # per year, not pair
        wide = part.pivot_table(index="ref_area", columns="goal", values="score")
        if wide.shape[1] < 2:
            continue
        rho, n = pairwise_spearman(wide.to_numpy(float))
        a, b = np.triu_indices(wide.shape[1], 1)
        goals = wide.columns.to_numpy()
        parts.append(pd.DataFrame({"unit": unit, "year": int(year), "goal_a": goals[a],
                                   "goal_b": goals[b], "countries": n[a, b],
                                   "rho": rho[a, b]}))
    if not parts:
        return pd.DataFrame(columns=YEAR_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["p_value"] = t_test_p(out.rho.to_numpy(), out.countries.to_numpy())
    kroll = LinkParameters(min_years=p.min_countries, threshold=p.kroll_threshold,
                           alpha=p.alpha)
    out["class"] = classify(out.rho.to_numpy(), out.p_value.to_numpy(),
                            out.countries.to_numpy(), kroll)
    out[["goal_a", "goal_b"]] = out[["goal_a", "goal_b"]].astype(int)
    return out[YEAR_COLUMNS]


def pair_trends(by_year: pd.DataFrame) -> pd.DataFrame:
    """Per group and goal pair: the years in each class, ρ in the first and the last year
    with data, and the change between them.

    >>> y = pd.DataFrame({"unit": "G", "goal_a": 1, "goal_b": 2, "year": [2018, 2019, 2020],
    ...                   "rho": [0.2, np.nan, 0.7], "class": ["not_classified",
    ...                   "insufficient_data", "synergy"]})
    >>> r = pair_trends(y).iloc[0]
    >>> int(r.synergy), int(r.insufficient_data), int(r.first_year), round(float(r.change), 2)
    (1, 1, 2018, 0.5)
    """
    keys = ["unit", "goal_a", "goal_b"]
    counts = pd.crosstab([by_year[k] for k in keys], by_year["class"])
    counts = counts.reindex(columns=[SYNERGY, TRADE_OFF, "not_classified", INSUFFICIENT],
                            fill_value=0).reset_index()
    counts.columns.name = None
    known = by_year[by_year.rho.notna()].sort_values("year")
    first = known.drop_duplicates(keys)[[*keys, "year", "rho"]].rename(
        columns={"year": "first_year", "rho": "rho_first"})
    last = known.drop_duplicates(keys, keep="last")[[*keys, "year", "rho"]].rename(
        columns={"year": "last_year", "rho": "rho_last"})
    out = counts.merge(first, on=keys, how="left").merge(last, on=keys, how="left")
    out["change"] = out.rho_last - out.rho_first
    for col in ("first_year", "last_year"):
        out[col] = out[col].astype("Int64")
    return out.sort_values(keys, ignore_index=True)
