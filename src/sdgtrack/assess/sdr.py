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
    #: Countries missing more than this share of the index indicators get no index or rank.
    #: SDR says "more than 20 %"; on the 2021 inputs 0.22 (20 of 92 missing still ranked, 21
    #: not) gives its 165 ranked countries, 0.20 or 0.21 gives 163 [calibrated, METHODS §2.2].
    max_missing_share: float = 0.22
    target_year: int = 2030
    #: Goal trend [U]: the mean of the indicator arrows scored ↓ 0, → 1, ➚ 2, ↑ 3, cut at these.
    goal_trend_cuts: tuple[float, float, float] = (0.75, 1.75, 2.875)
    #: A goal scored only from spillover indicators counts as missing (so it takes the
    #: regional mean in the index): landlocked countries' goal 14 has just the spillover
    #: ``sdg14_biomar``. Reproduces SDR 2021's Austria 82.08, rank 6 [calibrated].
    spillover_only_is_missing: bool = True


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


def missing_share(ind: pd.DataFrame, codebook: pd.DataFrame, countries: pd.DataFrame,
                  p: SdrParameters) -> pd.DataFrame:
    """(iso3, pct_missing, ranked) for the member states: the share of the Global indicators
    without a score, and whether it is within ``p.max_missing_share``."""
    members = countries[~countries.iso3.str.startswith("_")][["iso3"]]
    have = ind[ind.global_ & ind.score.notna()].groupby("iso3").indicator.nunique()
    out = members.assign(pct_missing=1 - members.iso3.map(have).fillna(0)
                         / int(codebook.global_.sum()))
    return out.assign(ranked=out.pct_missing <= p.max_missing_share)


def goal_scores(ind: pd.DataFrame, countries: pd.DataFrame, pool: set[str],
                p: SdrParameters | None = None) -> pd.DataFrame:
    """(iso3, goal, goal_score): mean of the Global indicators' scores.

    Goal 4 only: a country with at least one of its Global indicators has each missing one
    filled with the mean of that indicator over the countries of its SDR region that are in
    ``pool`` (the ranked countries) [V, METHODS §2.3; the pool is calibrated: with all
    countries 5 published indices are off by up to 0.12]. With
    ``p.spillover_only_is_missing``, a goal with only spillover indicators gets no score."""
    p = p or SdrParameters()
    g = ind[ind.global_].merge(countries[["iso3", "region"]], on="iso3")
    if p.spillover_only_is_missing and "spillover" in g:
        own = g[~g.spillover.astype(bool)].groupby(["iso3", "goal"]).size()
        g = g[g.set_index(["iso3", "goal"]).index.isin(own.index)]
    four = g[g.goal == 4]
    have4 = four.iso3.unique()
    region_mean = four[four.iso3.isin(pool)].groupby(["region", "indicator"]).score.mean()
    grid = pd.MultiIndex.from_product([have4, four.indicator.unique()],
                                      names=["iso3", "indicator"]).to_frame(index=False)
    grid = grid.merge(countries[["iso3", "region"]], on="iso3").merge(
        four[["iso3", "indicator", "score"]], on=["iso3", "indicator"], how="left")
    grid = grid.join(region_mean.rename("fill"), on=["region", "indicator"])
    grid["score"] = grid.score.fillna(grid.fill)
    grid["goal"] = 4
    rows = pd.concat([g[g.goal != 4][["iso3", "goal", "score"]],
                      grid[["iso3", "goal", "score"]]])
    return rows.groupby(["iso3", "goal"], as_index=False).score.mean().rename(
        columns={"score": "goal_score"})


def index_and_rank(goals: pd.DataFrame, missing: pd.DataFrame, countries: pd.DataFrame
                   ) -> pd.DataFrame:
    """(iso3, index_score, index_rank, pct_missing) for the countries of ``missing``: the
    mean of the 17 goal scores, a missing goal taking the mean of that goal over the ranked
    countries of the SDR region; no index or rank past the missing-data limit; ranks follow
    the index, no ties.

    Two goals of 80 and 60 and fifteen of 70: index (80 + 60 + 15 x 70)/17 = 70.0.

    >>> goals = pd.DataFrame({"iso3": "A", "goal": range(1, 18),
    ...                       "goal_score": [80.0, 60.0] + [70.0] * 15})
    >>> miss = pd.DataFrame({"iso3": ["A"], "pct_missing": [0.0], "ranked": [True]})
    >>> index_and_rank(goals, miss, pd.DataFrame({"iso3": ["A"], "region": ["R"]}))
      iso3  pct_missing  index_score  index_rank
    0    A          0.0         70.0           1
    """
    members = missing.merge(countries[["iso3", "region"]], on="iso3")
    full = pd.MultiIndex.from_product([members.iso3, range(1, 18)],
                                      names=["iso3", "goal"]).to_frame(index=False)
    full = full.merge(members, on="iso3").merge(goals, on=["iso3", "goal"], how="left")
    regional = full[full.ranked].groupby(["region", "goal"]).goal_score.mean()
    full = full.join(regional.rename("regional"), on=["region", "goal"])
    full["filled"] = full.goal_score.fillna(full.regional)
    out = members.join(full.groupby("iso3").filled.mean().rename("index_score"), on="iso3")
    out.loc[~out.ranked, "index_score"] = np.nan
    order = out[out.ranked].sort_values(["index_score", "iso3"], ascending=[False, True])
    out["index_rank"] = out.iso3.map(dict(zip(order.iso3, range(1, len(order) + 1)))).astype(
        "Int64")
    return out.drop(columns=["region", "ranked"]).reset_index(drop=True)


def goal_colours(ind: pd.DataFrame, codebook: pd.DataFrame, countries: pd.DataFrame
                 ) -> pd.DataFrame:
    """(iso3, goal, dashboard): the mean level of the two worst indicators (a lone one
    counts twice): < 1 red, < 2 orange, < 3 yellow, else green; green only if both are green,
    red only if both are red; grey when fewer than half of the goal's indicator set (OECD
    countries: the OECD set; others: the Global set) have data [V, METHODS §2.3]."""
    region = dict(zip(countries.iso3, countries.region))
    t = ind.assign(oecd_country=ind.iso3.map(region).eq("OECD"))
    t = t[np.where(t.oecd_country, t.oecd, t.global_)].sort_values(["iso3", "goal", "level"])
    keys = ["iso3", "goal"]
    groups = t.groupby(keys)
    n = groups.size().rename("n")
    worst = t[groups.cumcount() < 2]
    both = worst.groupby(keys).agg(level=("level", "mean"), greens=("colour", "sum"))
    first = worst.groupby(keys).first()
    both["all_green"] = worst.colour.eq("green").groupby([worst.iso3, worst.goal]).all()
    both["all_red"] = worst.colour.eq("red").groupby([worst.iso3, worst.goal]).all()
    both["oecd_country"] = first.oecd_country
    both = both.join(n).reset_index()
    sizes = {False: codebook[codebook.global_].groupby("goal").size(),
             True: codebook[codebook.oecd].groupby("goal").size()}
    n_set = np.where(both.oecd_country, both.goal.map(sizes[True]),
                     both.goal.map(sizes[False]))
    mean = both.level  # a lone indicator counted twice has the same mean
    colour = np.select([mean < 1, mean < 2, mean < 3], ["red", "orange", "yellow"], "green")
    colour = np.where((colour == "green") & ~both.all_green, "yellow", colour)
    colour = np.where((colour == "red") & ~both.all_red, "orange", colour)
    colour = np.where(both.n * 2 < np.nan_to_num(n_set), "grey", colour)
    return pd.DataFrame({"iso3": both.iso3, "goal": both.goal, "dashboard": colour})


def indicator_trends(ind: pd.DataFrame, trends: pd.DataFrame, p: SdrParameters
                     ) -> pd.DataFrame:
    """(iso3, indicator, trend) from the trend panel: the annual score change achieved since
    the start year (y0 if observed, else y0 + 1, else y0 - 1) to the latest year against the
    change required to reach the green threshold by 2030; "•" without a start value, when
    the latest year is before y1 - 1, or when it is not after the start.

    Worked example (METHODS §7): s_2015 = 40, s_2023 = 52, green = 80 as a score -> achieved
    12/8 = 1.5 a year, required 40/15 = 2.667, ratio 0.5625 -> ➚.

    >>> arrow(achieved=1.5, required=40 / 15, green=False)
    '➚'
    """
    cb = ind.drop_duplicates("indicator").set_index("indicator")
    t = trends.merge(cb[["y0", "y1", "lb", "ub", "gs"]], left_on="indicator",
                     right_index=True)
    t = t.assign(s=raw_score(t.value, t.lb, t.ub))
    keys = ["iso3", "indicator"]
    by = t.groupby(keys)
    g = by[["y0", "y1", "gs"]].first()
    g["end"] = by.year.max()
    g["s_end"] = t.loc[by.year.idxmax(), keys + ["s"]].set_index(keys).s
    for name, shift in (("a", 0), ("b", 1), ("c", -1)):
        at = t[t.year == t.y0 + shift].set_index(keys)
        g[f"s_{name}"], g[f"y_{name}"] = at.s, at.year
    g["start"] = g.y_a.fillna(g.y_b).fillna(g.y_c)
    g["s_start"] = g.s_a.fillna(g.s_b).fillna(g.s_c)
    green = g.join(ind.set_index(keys).colour).colour.eq("green")
    achieved = (g.s_end - g.s_start) / (g.end - g.start)
    required = (g.gs - g.s_start) / (p.target_year - g.start)
    trend = arrows(achieved.to_numpy(), required.to_numpy(), green.to_numpy())
    none = g.start.isna() | g.y1.isna() | (g.end < g.y1 - 1) | (g.end <= g.start)
    return pd.DataFrame({"trend": np.where(none, NO_TREND, trend)},
                        index=g.index).reset_index()


def arrows(achieved: np.ndarray, required: np.ndarray, green: np.ndarray) -> np.ndarray:
    """``arrow`` over arrays."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = achieved / required
    by_ratio = np.select([ratio >= 1, ratio >= 0.5, achieved >= 0], ["↑", "➚", "→"], "↓")
    by_sign = np.where(achieved >= 0, "↑", "↓")
    return np.where(green, "↑", np.where(required <= 0, by_sign, by_ratio))


def arrow(achieved: float, required: float, green: bool) -> str:
    """The arrow of one indicator: ↑ when green (maintaining) or achieved/required >= 1,
    ➚ >= 0.5, → still improving, ↓ worsening; with nothing required, the sign decides."""
    return str(arrows(np.array([achieved]), np.array([required]), np.array([green]))[0])


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
    missing = missing_share(ind, db.codebook, db.countries, p)  # type: ignore[attr-defined]
    goals = goal_scores(ind, db.countries, set(missing.iso3[missing.ranked]),  # type: ignore[attr-defined]
                        p)
    index = index_and_rank(goals, missing, db.countries)  # type: ignore[attr-defined]
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
