"""The SDSN SDG Index and Dashboards (Sustainable Development Report), as pure functions on
tables. Rules of the 2021 edition as worked back from its database (``../shared/METHODS.md``
§2.1-2.3); the parts marked [U] there are parameters.

All comparisons are made on the unclipped score ``s = 100 (x - LB)/(UB - LB)``, which orients
every indicator so that higher is better: the thresholds become ``gs`` and ``rs`` as scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

COLOURS = ("red", "orange", "yellow", "green")
ARROWS = {3: "↑", 2: "➚", 1: "→", 0: "↓"}
NO_TREND = "•"


@dataclass(frozen=True)
class SdrParameters:
    #: Countries missing more than this share of the index indicators get no index or rank
    #: (SDR 2021: 20 or more of 91 indicators, i.e. more than about 21 %).
    max_missing_share: float = 0.21
    target_year: int = 2030
    #: Goal trend [U]: the mean of the indicator arrows scored ↓ 0, → 1, ➚ 2, ↑ 3, cut at these.
    goal_trend_cuts: tuple[float, float, float] = (0.75, 1.75, 2.875)


def raw_score(x: pd.Series, lb: pd.Series, ub: pd.Series) -> pd.Series:
    """``100 (x - LB)/(UB - LB)``, unclipped.

    >>> float(raw_score(pd.Series([20.0]), pd.Series([40.0]), pd.Series([0.0]))[0])
    50.0
    """
    return 100.0 * (x - lb) / (ub - lb)


def indicator_table(values: pd.DataFrame, codebook: pd.DataFrame,
                    scores_only: pd.DataFrame) -> pd.DataFrame:
    """One row per country x indicator: value, year, score (clamped to 0-100), colour and the
    0-4 level used for goal colours (METHODS §2.3)."""
    t = values.merge(codebook, on="indicator")
    t["s"] = raw_score(t.value, t.lb, t.ub)
    given = scores_only.merge(codebook, on="indicator")
    given = given.assign(value=np.nan, year=np.nan, s=given.score).drop(columns="score")
    t = pd.concat([t, given], ignore_index=True)
    gs = raw_score(t.green, t.lb, t.ub)
    rs = raw_score(t.red, t.lb, t.ub)
    ms = (gs + rs) / 2
    s = t.s
    t["score"] = s.clip(0, 100)
    t["colour"] = np.select([s >= gs, s >= ms, s >= rs], ["green", "yellow", "orange"], "red")
    with np.errstate(divide="ignore", invalid="ignore"):
        t["level"] = np.select(
            [s >= 100, s >= gs, s >= ms, s >= rs, s >= 0],
            [4.0, 3 + (s - gs) / (100 - gs), 2 + (s - ms) / (gs - ms), 1 + (s - rs) / (ms - rs),
             s / rs], 0.0)
    t["gs"] = gs
    return t


def goal_scores(ind: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """(iso3, goal, goal_score): mean of the Global indicators' scores. Goal 4 only: a country
    with at least one of its Global indicators has each missing one filled with the mean of
    that indicator over its SDR region [V, METHODS §2.3]."""
    g = ind[ind.global_].merge(countries[["iso3", "region"]], on="iso3")
    four = g[g.goal == 4]
    have4 = four.iso3.unique()
    region_mean = four.groupby(["region", "indicator"]).score.mean().rename("fill")
    grid = pd.MultiIndex.from_product([have4, four.indicator.unique()],
                                      names=["iso3", "indicator"]).to_frame(index=False)
    grid = grid.merge(countries[["iso3", "region"]], on="iso3").merge(
        four[["iso3", "indicator", "score"]], on=["iso3", "indicator"], how="left")
    grid = grid.join(region_mean, on=["region", "indicator"])
    grid["score"] = grid.score.fillna(grid.fill)
    grid["goal"] = 4
    rows = pd.concat([g[g.goal != 4][["iso3", "goal", "score"]],
                      grid[["iso3", "goal", "score"]]])
    return rows.groupby(["iso3", "goal"], as_index=False).score.mean().rename(
        columns={"score": "goal_score"})


def index_and_rank(goals: pd.DataFrame, ind: pd.DataFrame, codebook: pd.DataFrame,
                   countries: pd.DataFrame, p: SdrParameters) -> pd.DataFrame:
    """(iso3, index_score, index_rank, pct_missing): the mean of the 17 goal scores, a
    missing goal taking the mean of that goal over the country's SDR region; no index or rank
    past the missing-data limit; ranks follow the index, no ties."""
    members = countries[~countries.iso3.str.startswith("_")][["iso3", "region"]]
    total = int(codebook.global_.sum())
    have = ind[ind.global_ & ind.score.notna()].groupby("iso3").indicator.nunique()
    out = members.assign(pct_missing=1 - members.iso3.map(have).fillna(0) / total)
    full = pd.MultiIndex.from_product([members.iso3, range(1, 18)],
                                      names=["iso3", "goal"]).to_frame(index=False)
    full = full.merge(members, on="iso3").merge(goals, on=["iso3", "goal"], how="left")
    regional = full.groupby(["region", "goal"]).goal_score.mean().rename("regional")
    full = full.join(regional, on=["region", "goal"])
    full["filled"] = full.goal_score.fillna(full.regional)
    index = full.groupby("iso3").filled.mean().rename("index_score")
    out = out.join(index, on="iso3")
    ranked = out.pct_missing <= p.max_missing_share
    out.loc[~ranked, "index_score"] = np.nan
    order = out[ranked].sort_values(["index_score", "iso3"], ascending=[False, True])
    out["index_rank"] = out.iso3.map(dict(zip(order.iso3, range(1, len(order) + 1)))).astype(
        "Int64")
    return out.drop(columns="region")


def goal_colours(ind: pd.DataFrame, codebook: pd.DataFrame, countries: pd.DataFrame
                 ) -> pd.DataFrame:
    """(iso3, goal, dashboard): the mean level of the two worst indicators (a lone one
    counts twice): < 1 red, < 2 orange, < 3 yellow, else green; green only if both are green,
    red only if both are red; grey when fewer than half of the goal's indicator set (OECD
    countries: the OECD set; others: the Global set) have data [V, METHODS §2.3]."""
    region = dict(zip(countries.iso3, countries.region))
    t = ind.assign(oecd_country=ind.iso3.map(region).eq("OECD"))
    t = t[np.where(t.oecd_country, t.oecd, t.global_)]
    sets = {False: codebook[codebook.global_].groupby("goal").size(),
            True: codebook[codebook.oecd].groupby("goal").size()}
    rows = []
    for (iso3, goal), part in t.groupby(["iso3", "goal"]):
        n_set = sets[bool(part.oecd_country.iloc[0])].get(goal, 0)
        worst = part.sort_values("level").head(2)
        levels = worst.level.tolist() * (2 if len(worst) == 1 else 1)
        colours = worst.colour.tolist() * (2 if len(worst) == 1 else 1)
        mean = sum(levels) / 2
        colour = COLOURS[min(3, int(mean))] if mean < 3 else "green"
        if colour == "green" and colours != ["green", "green"]:
            colour = "yellow"
        if colour == "red" and colours != ["red", "red"]:
            colour = "orange"
        if len(part) * 2 < n_set:
            colour = "grey"
        rows.append((iso3, goal, colour))
    return pd.DataFrame(rows, columns=["iso3", "goal", "dashboard"])


def indicator_trends(ind: pd.DataFrame, trends: pd.DataFrame, p: SdrParameters
                     ) -> pd.DataFrame:
    """(iso3, indicator, trend) from the trend panel: the annual score change achieved since
    the start year against the change required to reach the green threshold by 2030.

    Worked example (METHODS §7): s_2015 = 40, s_2023 = 52, green = 80 as a score -> achieved
    12/8 = 1.5 a year, required 40/15 = 2.667, ratio 0.5625 -> ➚.

    >>> arrow(achieved=1.5, required=40 / 15, green=False)
    '➚'
    """
    cb = ind.drop_duplicates("indicator").set_index("indicator")
    t = trends.merge(cb[["y0", "y1", "lb", "ub", "gs"]], left_on="indicator",
                     right_index=True)
    out = []
    current = dict(zip(zip(ind.iso3, ind.indicator), ind.colour))
    for (iso3, code), part in t.groupby(["iso3", "indicator"]):
        by_year = dict(zip(part.year, raw_score(part.value, part.lb, part.ub)))
        y0, y1, gs = part.y0.iloc[0], part.y1.iloc[0], part.gs.iloc[0]
        start = next((y for y in (y0, y0 + 1, y0 - 1) if y in by_year), None)
        end = max(by_year)
        if start is None or np.isnan(y1) or end < y1 - 1 or end <= start:
            out.append((iso3, code, NO_TREND))
            continue
        achieved = (by_year[end] - by_year[start]) / (end - start)
        required = (gs - by_year[start]) / (p.target_year - start)
        out.append((iso3, code, arrow(achieved, required,
                                      current.get((iso3, code)) == "green")))
    return pd.DataFrame(out, columns=["iso3", "indicator", "trend"])


def arrow(achieved: float, required: float, green: bool) -> str:
    if green:
        return "↑"
    if required <= 0:
        return "↑" if achieved >= 0 else "↓"
    ratio = achieved / required
    return "↑" if ratio >= 1 else "➚" if ratio >= 0.5 else "→" if achieved >= 0 else "↓"


def goal_trends(ind_trends: pd.DataFrame, ind: pd.DataFrame, colours: pd.DataFrame,
                p: SdrParameters) -> pd.DataFrame:
    """(iso3, goal, trend) [U]: the mean of the goal's indicator arrows (↓ 0, → 1, ➚ 2, ↑ 3)
    cut at ``p.goal_trend_cuts``; "•" when the goal is grey or no indicator has an arrow."""
    points = {v: k for k, v in ARROWS.items()}
    t = ind_trends[ind_trends.trend != NO_TREND].merge(
        ind[["iso3", "indicator", "goal", "global_"]].drop_duplicates(), on=["iso3", "indicator"])
    t = t[t.global_]
    t["points"] = t.trend.map(points)
    mean = t.groupby(["iso3", "goal"]).points.mean()
    low, mid, high = p.goal_trend_cuts
    out = colours[["iso3", "goal", "dashboard"]].copy()
    m = out.set_index(["iso3", "goal"]).index.map(mean.to_dict().get)
    out["mean"] = list(m)
    out["trend"] = [NO_TREND if (c == "grey" or v is None) else
                    "↓" if v < low else "→" if v < mid else "➚" if v < high else "↑"
                    for c, v in zip(out.dashboard, out["mean"])]
    return out[["iso3", "goal", "trend"]]


def compute_sdr(db: object, p: SdrParameters | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(countries table, indicators table) in the layout of ``sdgtrack sdr``: one row per
    country with the index, rank, missing share and, per goal, score, colour and trend; one
    row per country x indicator with value, year, score, colour and trend."""
    p = p or SdrParameters()
    ind = indicator_table(db.values, db.codebook, db.scores_only)  # type: ignore[attr-defined]
    goals = goal_scores(ind, db.countries)  # type: ignore[attr-defined]
    index = index_and_rank(goals, ind, db.codebook, db.countries, p)  # type: ignore[attr-defined]
    colours = goal_colours(ind, db.codebook, db.countries)  # type: ignore[attr-defined]
    ind_trends = indicator_trends(ind, db.trends, p)  # type: ignore[attr-defined]
    trends = goal_trends(ind_trends, ind, colours, p)
    names = dict(zip(db.countries.iso3, db.countries.country))  # type: ignore[attr-defined]
    out = index.assign(country=index.iso3.map(names))
    unranked = set(out.iso3[out.index_rank.isna()])
    per_goal = goals.merge(colours, on=["iso3", "goal"], how="outer").merge(
        trends, on=["iso3", "goal"], how="outer")
    per_goal.loc[per_goal.iso3.isin(unranked), "goal_score"] = np.nan
    for g in range(1, 18):
        part = per_goal[per_goal.goal == g].set_index("iso3")
        out[f"goal{g}_score"] = out.iso3.map(part.goal_score)
        out[f"goal{g}_dashboard"] = out.iso3.map(part.dashboard).fillna("grey")
        out[f"goal{g}_trend"] = out.iso3.map(part.trend).fillna(NO_TREND)
    out = out[["iso3", "country", "index_score", "index_rank", "pct_missing",
               *[c for c in out.columns if c.startswith("goal")]]]
    indicators = ind[ind.iso3.isin(out.iso3)].merge(ind_trends, on=["iso3", "indicator"],
                                                    how="left")
    indicators = indicators.assign(dashboard=indicators.colour,
                                   trend=indicators.trend.fillna(NO_TREND))
    return (out.sort_values(["index_rank", "iso3"], na_position="last", ignore_index=True),
            indicators[["iso3", "indicator", "value", "year", "score", "dashboard", "trend"]])
