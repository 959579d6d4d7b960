"""The SDR inputs as dense arrays, for ``sdr``: one row per entity of the countries table
(countries and aggregates such as ``_OECD``, in its order), one column per indicator of the
codebook (in its order), and the trend panel as entity x year x indicator.

Labels are factorised once and every rule then works on whole arrays: on these small tables
(205 entities x 120 indicators) pandas' per-operation overhead cost ten times the arithmetic
(issue 4, ``bench/sdr.py``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sdgtrack.errors import DataError

GOALS = np.arange(1, 18)


def positions(labels: pd.Series | pd.Index, axis: pd.Index) -> np.ndarray:
    """The position of each label on ``axis``, -1 when absent. Factorised first: looking up
    thousands of repeated Arrow strings one by one costs more than the whole computation.

    >>> positions(pd.Series(["b", "x", "b", None]), pd.Index(["a", "b"])).tolist()
    [1, -1, 1, -1]
    """
    codes, uniques = pd.factorize(labels)
    # a trailing -1 is what code -1 (a missing label) picks
    return np.asarray(np.append(axis.get_indexer(uniques), -1)[codes])


def rows(values: pd.DataFrame, codebook: pd.DataFrame, scores_only: pd.DataFrame
         ) -> pd.DataFrame:
    """(iso3, indicator, value, year, given, k): the value rows, then the score-only rows
    (``given``: the published score), in input order; ``k`` is the indicator's position in
    the codebook, -1 for a value row without a value or an indicator the codebook lacks
    (2021: ``sdg17_sprofits``)."""
    axis = pd.Index(codebook.indicator)
    k = positions(values.indicator, axis)
    k[values.value.isna().to_numpy()] = -1
    n, m = len(values), len(scores_only)

    def cat(a: pd.Series, b: pd.Series) -> pd.Series:
        return pd.concat([a, b], ignore_index=True)

    # one constructor: concatenating whole frames costs several times more
    return pd.DataFrame({
        "iso3": cat(values.iso3, scores_only.iso3),
        "indicator": cat(values.indicator, scores_only.indicator),
        "value": np.concatenate([values.value.to_numpy(dtype=float), np.full(m, np.nan)]),
        "year": np.concatenate([values.year.to_numpy(dtype=float), np.full(m, np.nan)]),
        "given": np.concatenate([np.full(n, np.nan), scores_only.score.to_numpy(dtype=float)]),
        "k": np.concatenate([k, positions(scores_only.indicator, axis)])})


@dataclass(frozen=True)
class Grid:
    """The inputs on the entity x indicator grid."""

    iso3: np.ndarray  # entity labels
    member: np.ndarray  # a country, not an aggregate ("_OECD", "_LIC", ...)
    region: np.ndarray  # SDR region code of each entity, -1 without one
    oecd: np.ndarray  # in the SDR region "OECD"
    codebook: pd.DataFrame  # one row per indicator column
    e: np.ndarray  # entity of each row of ``cells``, -1 outside the grid
    k: np.ndarray  # indicator of each row of ``cells``, -1 outside the grid
    present: np.ndarray  # entity x indicator: has a row
    years: np.ndarray  # of the trend panel, ascending
    panel: np.ndarray  # entity x year x panel column: trend values; NaN: none
    panel_k: np.ndarray  # the indicator of each panel column

    @classmethod
    def of(cls, cells: pd.DataFrame, codebook: pd.DataFrame, countries: pd.DataFrame,
           trends: pd.DataFrame) -> Grid:
        """``cells`` are ``rows(...)``; ``trends`` is wide: iso3, year, one column per
        indicator."""
        axis = pd.Index(countries.iso3)
        if not axis.is_unique:
            raise DataError(f"Countries table: iso3 {axis[axis.duplicated()][0]!r} appears "
                            "twice; each country has one row.")
        region, _ = pd.factorize(countries.region)
        e, k = positions(cells.iso3, axis), cells.k.to_numpy().copy()
        outside = (e < 0) | (k < 0)
        e[outside], k[outside] = -1, -1
        present = np.zeros((len(axis), len(codebook)), dtype=bool)
        present[e[~outside], k[~outside]] = True
        if present.sum() < (~outside).sum():
            twice = cells[~outside][["iso3", "indicator"]].duplicated()
            iso3, code = cells[~outside][["iso3", "indicator"]][twice].iloc[0]
            raise DataError(f"Indicator values: {iso3} has two values of {code}; keep one "
                            "row per country and indicator.")
        years, panel, panel_k = _panel(trends, axis, pd.Index(codebook.indicator))
        return cls(axis.to_numpy(), ~countries.iso3.str.startswith("_").to_numpy(dtype=bool),
                   region, countries.region.eq("OECD").to_numpy(dtype=bool),
                   codebook.reset_index(drop=True), e, k, present, years, panel, panel_k)

    def spread(self, column: np.ndarray) -> np.ndarray:
        """A column of ``cells`` as an entity x indicator matrix; NaN where no row."""
        out = np.full(self.present.shape, np.nan)
        inside = self.e >= 0
        out[self.e[inside], self.k[inside]] = column[inside]
        return out

    def column(self, name: str) -> np.ndarray:
        """A codebook column, one value per indicator."""
        return np.asarray(self.codebook[name].to_numpy())

    def goal_sets(self) -> np.ndarray:
        """indicator x goal 0/1: the goal of each indicator, for sums per goal."""
        return np.asarray(self.column("goal")[:, None] == GOALS, dtype=np.int64)


def _panel(trends: pd.DataFrame, axis: pd.Index, indicators: pd.Index
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(years, entity x year x column values, the indicator of each column) for the trend
    columns that are codebook indicators."""
    codes = [c for c in trends.columns if c not in ("iso3", "year")]
    k = indicators.get_indexer(pd.Index(codes))
    e = positions(trends.iso3, axis)
    years, y = np.unique(trends.year.to_numpy(dtype=float), return_inverse=True)
    block = trends[[c for c, i in zip(codes, k) if i >= 0]].to_numpy(dtype=float)
    panel = np.full((len(axis) * len(years), block.shape[1]), np.nan)
    known = e >= 0
    at = e[known] * len(years) + y[known]
    if len(np.unique(at)) < len(at):
        twice = trends[known][["iso3", "year"]].duplicated()
        iso3, year = trends[known][["iso3", "year"]][twice].iloc[0]
        raise DataError(f"Trend panel: {iso3} has two rows for {year:g}; keep one row per "
                        "country and year.")
    panel[at] = block if known.all() else block[known]
    return years, panel.reshape(len(axis), len(years), -1), k[k >= 0]


def goal_slots(goal: np.ndarray) -> np.ndarray:
    """goal x slot: the indicator columns of each goal, padded with -1 (at least 2 slots).

    >>> goal_slots(np.array([1, 2, 1])).tolist()[:3]
    [[0, 2], [1, -1], [-1, -1]]
    """
    cols = [np.flatnonzero(goal == g) for g in GOALS]
    out = np.full((len(GOALS), max(2, *map(len, cols))), -1)
    for i, c in enumerate(cols):
        out[i, :len(c)] = c
    return out


def group_mean(x: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """The mean of the rows of ``x`` in each group 0..n-1 (NaN skipped; NaN for none), plus a
    last row of NaN that group -1 (no group) picks. Pandas' grouped mean: its compensated sum
    is the one the published SDR 2021 figures were first reproduced with.

    >>> group_mean(np.array([[1.0], [np.nan], [3.0]]), np.array([0, 0, 0]), 2).tolist()
    [[2.0], [nan], [nan]]
    """
    means = pd.DataFrame(x).groupby(groups).mean().reindex(range(n)).to_numpy()
    return np.vstack([means, np.full((1, x.shape[1]), np.nan)])
