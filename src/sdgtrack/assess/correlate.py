"""Spearman's rank correlation of every pair of columns of a table with gaps, at once, and
its significance. Pure numpy: no Python loop over pairs (the pair count grows with the
square of the series count).

Each pair is ranked on the rows both columns have ("pairwise complete", as
``pandas.DataFrame.corr(method="spearman")`` does), ties taking their average rank; ρ is
Pearson's correlation of those ranks (Spearman 1904; with ties, the form every statistics
package uses). The ranks depend on the pair (a year one series lacks is left out of the
other's ranking), so they are computed through a mask: for column ``i`` ranked on the rows
column ``j`` has,

    rank_ij(t) = 1 + sum_s [y_i(s) < y_i(t)] m_j(s) + 1/2 sum_{s != t} [y_i(s) = y_i(t)] m_j(s)

with ``m_j(s)`` 1 where column j has row s. The sums over s for every (i, j, t) are one
tensor product of a comparison array (columns x rows x rows) with the mask.
"""

from __future__ import annotations

import math

import numpy as np


def pairwise_spearman(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ρ, n) for every pair of columns of ``values`` (rows x columns, NaN = missing): ρ on
    the rows both columns have, NaN where fewer than 2 rows are common or one column does
    not vary over them; n the number of common rows.

    Five years of two series, with a tie in each (the hand-computed case of the tests):
    ranks (1, 2.5, 2.5, 4, 5) and (1, 2, 4, 4, 4) give ρ = 7 / sqrt(9.5 * 8) = 0.803.

    >>> y = np.array([[1, 10], [2, 20], [2, 40], [3, 40], [5, 40.0]])
    >>> rho, n = pairwise_spearman(y)
    >>> round(float(rho[0, 1]), 3), int(n[0, 1])
    (0.803, 5)

    A year one column lacks drops out of the other's ranking too:

    >>> y = np.array([[1, np.nan], [3, 1], [2, 2], [4, 3.0]])
    >>> rho, n = pairwise_spearman(y)
    >>> round(float(rho[0, 1]), 3), int(n[0, 1])
    (0.5, 3)
    """
    y = np.asarray(values, dtype=float)
    present = ~np.isnan(y)
    m = present.astype(float)  # rows x columns
    col = y.T  # columns x rows
    # comparison[i, t, s]: 1 where y_i(s) < y_i(t), 1/2 where equal and s != t (NaN compares
    # false, so a missing s adds nothing)
    less = col[:, None, :] < col[:, :, None]
    equal = col[:, None, :] == col[:, :, None]
    rows = y.shape[0]
    equal &= ~np.eye(rows, dtype=bool)[None, :, :]
    comparison = less + 0.5 * equal
    # rank of i's row t among j's rows: one batched matrix product, (i, t, s) @ (s, j)
    ranks = 1.0 + np.matmul(comparison, m).transpose(0, 2, 1)
    common = present.T[:, None, :] & present.T[None, :, :]  # i x j x t
    n = common.sum(axis=2)
    mean = (n + 1) / 2.0  # the mean of average ranks 1..n, ties or not
    with np.errstate(invalid="ignore", divide="ignore"):
        x = np.where(common, ranks - mean[:, :, None], 0.0)
        other = x.transpose(1, 0, 2)  # j's ranks on the same rows
        cov = (x * other).sum(axis=2)
        var = (x * x).sum(axis=2)
        rho = cov / np.sqrt(var * var.T)
    rho = np.where((n >= 2) & (var > 0) & (var.T > 0), np.clip(rho, -1.0, 1.0), np.nan)
    return rho, n


def t_test_p(rho: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Two-sided p-value of ρ against no correlation, by the t approximation
    ``t = ρ sqrt((n - 2) / (1 - ρ²))`` with n - 2 degrees of freedom (what
    ``scipy.stats.spearmanr`` reports). Student's t distribution for whole degrees of
    freedom in closed form (Abramowitz and Stegun 1964, 26.7.3-4), so no SciPy is needed.
    NaN where ρ is NaN or n < 3.

    t = 2 with 10 degrees of freedom: ρ = 2/sqrt(14) with n = 12 gives p = 0.0734 (tables).

    >>> float(t_test_p(np.array([2 / math.sqrt(14)]), np.array([12]))[0]).__round__(4)
    0.0734
    >>> t_test_p(np.array([1.0, 0.0, np.nan]), np.array([5, 5, 5])).tolist()
    [0.0, 1.0, nan]
    """
    r = np.asarray(rho, dtype=float)
    df = np.asarray(n, dtype=float) - 2
    ok = ~np.isnan(r) & (df >= 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.abs(r) * np.sqrt(np.where(ok, df, 1.0) / np.maximum(1.0 - r * r, 0.0))
    theta = np.arctan(t / np.sqrt(np.where(ok, df, 1.0)))
    c2, s = np.cos(theta) ** 2, np.sin(theta)
    v = np.where(ok, df, 1.0).astype(int)
    odd = v % 2 == 1
    # the finite series of A(t | v) = P(|T| < t), one term at a time for all pairs
    total = np.ones_like(theta)
    term = np.ones_like(theta)
    for k in range(1, int(v.max(initial=1)) // 2 + 1):
        # odd v: coefficients 2/3, 2*4/(3*5) ... up to cos^(v-3); even: 1/2, 1*3/(2*4) ... cos^(v-2)
        factor = np.where(odd, (2 * k) / (2 * k + 1), (2 * k - 1) / (2 * k)) * c2
        term = term * factor
        last = np.where(odd, (v - 3) // 2, (v - 2) // 2)
        total = total + np.where(k <= last, term, 0.0)
    a_odd = np.where(v == 1, 2 * theta / math.pi,
                     2 / math.pi * (theta + s * np.cos(theta) * total))
    a_even = s * total
    p = 1.0 - np.where(odd, a_odd, a_even)
    return np.where(ok, np.clip(p, 0.0, 1.0), np.nan)
