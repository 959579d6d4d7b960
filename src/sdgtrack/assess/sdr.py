"""The SDSN SDG Index and Dashboards (Sustainable Development Report), as pure functions on
tables. Rules of the 2021 edition as worked back from its database (``../shared/METHODS.md``
§2.1-2.3); the parts marked [U] there are parameters.

All comparisons are made on the unclipped score ``s = 100 (x - LB)/(UB - LB)``, which orients
every indicator so that higher is better: the thresholds become ``gs`` and ``rs`` as scores.

``compute_sdr`` takes and gives tables; in between, each rule works on whole arrays laid out
by ``sdr_grid``: entity x indicator (the codebook's order) for scores, colours and levels,
entity x goal for goal results, entity x year x indicator for the trend panel. Colours are
coded 0 red, 1 orange, 2 yellow, 3 green, 4 grey; arrows 0 ↓, 1 →, 2 ➚, 3 ↑, -1 none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from sdgtrack.assess.sdr_grid import GOALS, Grid, goal_slots, group_mean, rows

COLOURS = ("red", "orange", "yellow", "green")
ARROWS = {3: "↑", 2: "➚", 1: "→", 0: "↓"}
NO_TREND = "•"
RED, ORANGE, YELLOW, GREEN, GREY = range(5)
DASHBOARDS = (*COLOURS, "grey")
#: Indexed by arrow code; code -1 (no arrow) is the last.
SYMBOLS = tuple(ARROWS[i] for i in range(4)) + (NO_TREND,)


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


def grade(s: np.ndarray, gs: np.ndarray, rs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(colour, level) of unclipped scores: green if s >= gs, yellow if s >= mid = (gs + rs)/2,
    orange if s >= rs, else red (no score: red); the level puts s on 0-4 piecewise-linearly
    (100 -> 4, gs -> 3, mid -> 2, rs -> 1, 0 -> 0) for goal colours (METHODS §2.3).

    Stunting, green 7.5 and red 15 as scores 81.25 and 62.5: s = 75 is yellow, level
    2 + (75 - 71.875)/(81.25 - 71.875) = 2.333.

    >>> colour, level = grade(np.array([75.0]), np.array([81.25]), np.array([62.5]))
    >>> int(colour[0]), round(float(level[0]), 3)
    (2, 2.333)
    """
    ms = (gs + rs) / 2
    colour = np.select([s >= gs, s >= ms, s >= rs], [GREEN, YELLOW, ORANGE], RED)
    with np.errstate(divide="ignore", invalid="ignore"):
        level = np.select(
            [s >= 100, s >= gs, s >= ms, s >= rs, s >= 0],
            [4.0, 3 + (s - gs) / (100 - gs), 2 + (s - ms) / (gs - ms), 1 + (s - rs) / (ms - rs),
             s / rs], 0.0)
    return colour, level


def _scored(values: pd.DataFrame, codebook: pd.DataFrame, scores_only: pd.DataFrame
            ) -> pd.DataFrame:
    """The input rows (``sdr_grid.rows``) with their unclipped score ``s``: from the value, or
    the published score when there is no value (2021: ``sdg16_safe``)."""
    t = rows(values, codebook, scores_only)
    k, x = t.k.to_numpy(), t.value.to_numpy()
    # k = -1 (no codebook row) picks the appended NaN bounds
    lb, ub = np.append(codebook.lb.to_numpy(), np.nan), np.append(codebook.ub.to_numpy(), np.nan)
    t["s"] = np.where(np.isnan(x), t.given.to_numpy(), raw_score(x, lb[k], ub[k]))
    return t


def _thresholds(codebook: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(gs, rs): the green and red thresholds as scores, one per indicator."""
    lb, ub = codebook.lb.to_numpy(), codebook.ub.to_numpy()
    return (raw_score(codebook.green.to_numpy(), lb, ub),
            raw_score(codebook.red.to_numpy(), lb, ub))


def indicator_table(values: pd.DataFrame, codebook: pd.DataFrame,
                    scores_only: pd.DataFrame) -> pd.DataFrame:
    """One row per country x indicator: value, year, score (clamped to 0-100), colour and the
    0-4 level used for goal colours (METHODS §2.3)."""
    t = _scored(values, codebook, scores_only)
    t = t[t.k >= 0]
    gs, rs = _thresholds(codebook)
    k = t.k.to_numpy()
    colour, level = grade(t.s.to_numpy(), gs[k], rs[k])
    return t.assign(score=t.s.clip(0, 100), colour=_labels(COLOURS, colour), level=level).drop(
        columns=["given", "k", "s"])


def missing_share(score: np.ndarray, grid: Grid, p: SdrParameters
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(pct_missing, ranked) per entity: the share of the Global indicators without a score,
    and whether it is within ``p.max_missing_share`` (never for aggregates)."""
    glob = grid.column("global_").astype(bool)
    have = np.count_nonzero(~np.isnan(score[:, glob]), axis=1)
    pct = 1 - have / int(glob.sum())
    return pct, grid.member & (pct <= p.max_missing_share)


def goal_scores(score: np.ndarray, grid: Grid, pool: np.ndarray,
                p: SdrParameters | None = None) -> np.ndarray:
    """Entity x goal: mean of the Global indicators' scores.

    Goal 4 only: a country with at least one of its Global indicators has each missing one
    filled with the mean of that indicator over the countries of its SDR region that are in
    ``pool`` (the ranked countries) [V, METHODS §2.3; the pool is calibrated: with all
    countries 5 published indices are off by up to 0.12]. With
    ``p.spillover_only_is_missing``, a goal with only spillover indicators gets no score."""
    p = p or SdrParameters()
    goal, sets = grid.column("goal"), grid.goal_sets()
    use = grid.present & grid.column("global_").astype(bool)
    if p.spillover_only_is_missing and "spillover" in grid.codebook:
        own = (use & ~grid.column("spillover").astype(bool)).astype(np.int64) @ sets > 0
        use &= own[:, goal - 1]
    x = np.where(use, score, np.nan)
    four = use & (goal == 4)
    have4, cols4 = four.any(axis=1), four.any(axis=0)
    fill = group_mean(x[pool][:, cols4], grid.region[pool], grid.region.max() + 1)
    x4 = x[np.ix_(have4, cols4)]
    x[np.ix_(have4, cols4)] = np.where(np.isnan(x4), fill[grid.region[have4]], x4)
    return group_mean(x.T, goal - 1, len(GOALS))[:-1].T


def index_and_rank(goals: np.ndarray, ranked: np.ndarray, region: np.ndarray,
                   iso3: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index_score, index_rank) per country (rows of ``goals``, country x goal): the mean of
    the 17 goal scores, a missing goal taking the mean of that goal over the ranked countries
    of the SDR region (``region`` codes); no index or rank (NaN) past the missing-data limit;
    ranks follow the index, no ties (then by iso3).

    Two goals of 80 and 60 and fifteen of 70: index (80 + 60 + 15 x 70)/17 = 70.0.

    >>> goals = np.array([[80.0, 60.0] + [70.0] * 15])
    >>> index, rank = index_and_rank(goals, np.array([True]), np.array([0]), np.array(["A"]))
    >>> float(index[0]), float(rank[0])
    (70.0, 1.0)
    """
    regional = group_mean(goals[ranked], region[ranked], region.max() + 1)
    filled = np.where(np.isnan(goals), regional[region], goals)
    index = group_mean(filled.T, np.zeros(len(filled.T), dtype=int), 1)[0]
    index[~ranked] = np.nan
    rank = np.full(len(index), np.nan)
    who = np.flatnonzero(ranked)
    rank[who[np.lexsort((iso3[who], -index[who]))]] = np.arange(1, len(who) + 1)
    return index, rank


def goal_colours(colour: np.ndarray, level: np.ndarray, grid: Grid) -> np.ndarray:
    """Entity x goal dashboard: the mean level of the two worst indicators (a lone one
    counts twice): < 1 red, < 2 orange, < 3 yellow, else green; green only if both are green,
    red only if both are red; grey when fewer than half of the goal's indicator set (OECD
    countries: the OECD set; others: the Global set) have data [V, METHODS §2.3]."""
    in_set = np.where(grid.oecd[:, None], grid.column("oecd").astype(bool),
                      grid.column("global_").astype(bool))
    slots = goal_slots(grid.column("goal"))
    cell = (grid.present & in_set)[:, slots] & (slots >= 0)
    levels = np.where(cell, level[:, slots], np.inf)
    order = np.argsort(levels, axis=2, kind="stable")[:, :, :2]
    worst = np.take_along_axis(levels, order, axis=2)
    colours = np.take_along_axis(colour[:, slots], order, axis=2)
    n = cell.sum(axis=2)
    lone = n == 1
    worst[lone, 1], colours[lone, 1] = worst[lone, 0], colours[lone, 0]
    mean = worst.mean(axis=2)
    out = np.select([mean < 1, mean < 2, mean < 3], [RED, ORANGE, YELLOW], GREEN)
    out[(out == GREEN) & ~(colours == GREEN).all(axis=2)] = YELLOW
    out[(out == RED) & ~(colours == RED).all(axis=2)] = ORANGE
    n_set = in_set.astype(np.int64) @ grid.goal_sets()
    return np.where((n == 0) | (n * 2 < n_set), GREY, out)


def indicator_trends(grid: Grid, green: np.ndarray, p: SdrParameters) -> np.ndarray:
    """Entity x indicator arrow code from the trend panel: the annual score change achieved
    since the start year (y0 if observed, else y0 + 1, else y0 - 1) to the latest year against
    the change required to reach the green threshold by 2030; none (-1, "•") without a start
    value, when the latest year is before y1 - 1, or when it is not after the start.

    Worked example (METHODS §7): s_2015 = 40, s_2023 = 52, green = 80 as a score -> achieved
    12/8 = 1.5 a year, required 40/15 = 2.667, ratio 0.5625 -> ➚.

    >>> arrow(achieved=1.5, required=40 / 15, green=False)
    '➚'
    """
    out = np.full(green.shape, -1)
    years, panel, k = grid.years, grid.panel, grid.panel_k
    if not len(years):
        return out
    lb, ub, y0, y1 = (grid.column(c)[k] for c in ("lb", "ub", "y0", "y1"))
    has = ~np.isnan(panel)
    latest = np.full(green[:, k].shape, -1)
    for y in range(len(years)):  # a loop over the years beats argmax across them
        latest[has[:, y]] = y
    end = np.where(latest >= 0, years[latest], np.nan)
    s_end = raw_score(np.take_along_axis(panel, latest[:, None], axis=1)[:, 0], lb, ub)
    start, s_start = np.full(end.shape, np.nan), np.full(end.shape, np.nan)
    for shift in (0, 1, -1):
        at = np.searchsorted(years, y0 + shift).clip(0, len(years) - 1)
        seen = has[:, at, np.arange(len(k))] & (years[at] == y0 + shift)
        start = np.where(np.isnan(start) & seen, y0 + shift, start)
        s_at = raw_score(np.where(seen, panel[:, at, np.arange(len(k))], np.nan), lb, ub)
        s_start = np.where(np.isnan(s_start), s_at, s_start)
    gs = _thresholds(grid.codebook)[0][k]
    with np.errstate(divide="ignore", invalid="ignore"):
        achieved = (s_end - s_start) / (end - start)
        required = (gs - s_start) / (p.target_year - start)
    none = np.isnan(start) | np.isnan(y1) | (end < y1 - 1) | (end <= start)
    out[:, k] = np.where(none, -1, arrow_codes(achieved, required, green[:, k]))
    return out


def arrow_codes(achieved: np.ndarray, required: np.ndarray, green: np.ndarray) -> np.ndarray:
    """``arrow`` over arrays, as codes (``ARROWS``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = achieved / required
    by_ratio = np.select([ratio >= 1, ratio >= 0.5, achieved >= 0], [3, 2, 1], 0)
    by_sign = np.where(achieved >= 0, 3, 0)
    return np.where(green, 3, np.where(required <= 0, by_sign, by_ratio))


def arrows(achieved: np.ndarray, required: np.ndarray, green: np.ndarray) -> np.ndarray:
    """``arrow`` over arrays."""
    return np.asarray(np.array(SYMBOLS)[arrow_codes(achieved, required, green)])


def arrow(achieved: float, required: float, green: bool) -> str:
    """The arrow of one indicator: ↑ when green (maintaining) or achieved/required >= 1,
    ➚ >= 0.5, → still improving, ↓ worsening; with nothing required, the sign decides."""
    return str(arrows(np.array([achieved]), np.array([required]), np.array([green]))[0])


def goal_trends(trends: np.ndarray, dashboards: np.ndarray, grid: Grid, p: SdrParameters
                ) -> np.ndarray:
    """Entity x goal arrow code [U]: the mean of the goal's Global indicator arrows (↓ 0,
    → 1, ➚ 2, ↑ 3) cut at ``p.goal_trend_cuts``; none when the goal is grey or none of its
    indicators has an arrow (METHODS §2.3; SDR 2021 publishes no goal 12 arrow at all, and
    none for goal 10 where its indicators have none)."""
    use = grid.present & (trends >= 0) & grid.column("global_").astype(bool)
    sets = grid.goal_sets()
    n = use.astype(np.int64) @ sets
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(use, trends, 0) @ sets / n
    low, mid, high = p.goal_trend_cuts
    out = np.select([mean < low, mean < mid, mean < high], [0, 1, 2], 3)
    return np.where((dashboards == GREY) | (n == 0), -1, out)


def compute_sdr(db: object, p: SdrParameters | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(countries table, indicators table) in the layout of ``sdgtrack sdr``: one row per
    country with the index, rank, missing share and, per goal, score, colour and trend; one
    row per country x indicator with value, year, score, colour and trend.

    ``db`` has the tables codebook, values, countries, scores_only and trends (wide: iso3,
    year, one column per indicator), as ``ingest.sdr.SdrDatabase``."""
    p = p or SdrParameters()
    cb = db.codebook  # type: ignore[attr-defined]
    cells = _scored(db.values, cb, db.scores_only)  # type: ignore[attr-defined]
    grid = Grid.of(cells, cb, db.countries, db.trends)  # type: ignore[attr-defined]
    s = grid.spread(cells.s.to_numpy())
    score = s.clip(0, 100)
    colour, level = grade(s, *_thresholds(grid.codebook))
    pct, ranked = missing_share(score, grid, p)
    goals = goal_scores(score, grid, ranked, p)
    dashboards = goal_colours(colour, level, grid)
    trends = indicator_trends(grid, colour == GREEN, p)
    goal_arrows = goal_trends(trends, dashboards, grid, p)
    m = grid.member
    index, rank = index_and_rank(goals[m], ranked[m], grid.region[m], grid.iso3[m])
    goals[~ranked] = np.nan
    # best rank first, then the unranked by iso3
    o = np.lexsort((grid.iso3[m], np.nan_to_num(rank, nan=np.inf)))
    at = np.flatnonzero(m)[o]
    columns = {"iso3": db.countries.iso3.array.take(at),  # type: ignore[attr-defined]
               "country": db.countries.country.array.take(at),  # type: ignore[attr-defined]
               "index_score": index[o], "index_rank": pd.array(rank[o], dtype="Int64"),
               "pct_missing": pct[at]}
    colours = _labels(DASHBOARDS, dashboards[at].T)
    symbols = _labels(SYMBOLS, goal_arrows[at].T)
    for g in range(len(GOALS)):
        columns[f"goal{g + 1}_score"] = goals[at, g]
        columns[f"goal{g + 1}_dashboard"] = colours[g]
        columns[f"goal{g + 1}_trend"] = symbols[g]
    shown = (grid.e >= 0) & m[grid.e]
    e, k = grid.e[shown], grid.k[shown]
    indicators = cells[["iso3", "indicator", "value", "year"]][shown].reset_index(drop=True)
    indicators = indicators.assign(score=score[e, k], dashboard=_labels(DASHBOARDS, colour[e, k]),
                                   trend=_labels(SYMBOLS, trends[e, k]))
    return pd.DataFrame(columns), indicators


def _labels(names: Sequence[str], at: np.ndarray) -> Any:
    """``names[at]`` as a pandas string array (code -1 is the last name), or a list of them,
    one per row of a 2-D ``at``. Taken in Arrow, and all at once: converting Python strings
    costs more than the rest of an SDR table."""
    flat = pd.array(pa.array(names).take(np.mod(at.ravel(), len(names))), dtype="str")
    if at.ndim == 1:
        return flat
    n = at.shape[1]
    return [flat[i * n:(i + 1) * n] for i in range(at.shape[0])]
