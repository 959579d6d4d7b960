"""Student's t distribution for the prediction intervals of a fitted trend (numpy has none,
and scipy is not a dependency): the exact CDF for whole degrees of freedom and its
quantile by bisection.

Source: Abramowitz and Stegun (1964), *Handbook of Mathematical Functions*, 26.7.3 and
26.7.4: with ``θ = atan(t / √ν)``, ``A(t|ν) = P(|T| < t)`` is a finite sum of powers of
``cos θ``.
"""

from __future__ import annotations

import math


def t_cdf(t: float, dof: int) -> float:
    """P(T <= t) for T ~ Student's t with ``dof`` (a whole number >= 1) degrees of freedom.

    ν = 1 is the Cauchy distribution, 0.5 + atan(t)/π; ν = 2 has 1/2 + t / (2√(2 + t²)).

    >>> round(t_cdf(1.0, 1), 6), round(t_cdf(2.0, 2), 6)  # 0.5 + 1/4; 0.5 + 2/(2√6)
    (0.75, 0.908248)
    """
    if dof < 1:
        raise ValueError("t_cdf needs at least one degree of freedom")
    theta = math.atan(abs(t) / math.sqrt(dof))
    c2 = math.cos(theta) ** 2
    if dof % 2:  # A&S 26.7.3
        term, total = math.cos(theta), 0.0
        for k in range(1, (dof - 1) // 2 + 1):
            total += term
            term *= c2 * (2 * k) / (2 * k + 1)
        a = 2 / math.pi * (theta + math.sin(theta) * total)
    else:  # A&S 26.7.4
        term, total = 1.0, 0.0
        for k in range(1, dof // 2 + 1):
            total += term
            term *= c2 * (2 * k - 1) / (2 * k)
        a = math.sin(theta) * total
    return 0.5 + math.copysign(a / 2, t)


def t_quantile(p: float, dof: int) -> float:
    """The t with ``P(T <= t) = p`` (0 < p < 1), by bisection on ``t_cdf``.

    Two-sided 95 % with 3 degrees of freedom: 3.182 (A&S Table 26.10); with 1: 12.706.

    >>> round(t_quantile(0.975, 3), 3), round(t_quantile(0.975, 1), 3)
    (3.182, 12.706)
    >>> round(t_quantile(0.1, 8), 3)
    -1.397
    """
    if not 0 < p < 1:
        raise ValueError("t_quantile needs 0 < p < 1")
    if p < 0.5:
        return -t_quantile(1 - p, dof)
    lo, hi = 0.0, 1e7
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if t_cdf(mid, dof) < p else (lo, mid)
    return (lo + hi) / 2
