"""Natural bounds of a series' values, so that a projection never leaves them: a share in
per cent stays within 0..100, a count or a rate stays at or above 0. What a series is comes
from its unit and its own data: a PERCENT series with a negative value (a growth rate) is
not a share, and gets no bound. An index or score has the range its SDG metadata declare
(``data/series_ranges.csv``, with the source of each): the DRR strategies score stays
within 0..1, whatever its unit code (``INDEX``) says."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

#: Units whose values cannot be below 0 (counts, amounts of things, rates per population).
NON_NEGATIVE = {"PERCENT", "NUMBER", "TONNES", "TONNES_M", "KMSQ", "HA_TH", "KG", "NUM_TH",
                "NUM_M", "W_PER_CAPITA", "T_PER_HA", "TEU", "MT_CO2E", "KG_PER_CON_USD",
                "MJ_PER_GDP_CON_PPP_USD"}
#: Units of a share, bounded above by 100 (when every value of the series is within 0..100):
#: per cent, and the 2023 vintage's shares of a population (children under 5, women 20-24).
SHARES = {"PERCENT", "PER_POP_U5", "PER_MARW_20T24Y"}
NON_NEGATIVE |= SHARES | {"BOOL"}


@cache
def declared_ranges() -> pd.DataFrame:
    """``series_code, lower, upper, source``: the ranges the SDG metadata declare for
    indices and scores (``data/series_ranges.csv``)."""
    path = resources.files("sdgtrack.assess") / "data" / "series_ranges.csv"
    with path.open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype={"series_code": str, "lower": float, "upper": float,
                                     "source": str})


def series_bounds(obs: Any) -> pd.DataFrame:
    """``series_code, lower, upper`` for every series of ``obs`` (an Ibis table) with a
    natural bound; NaN where there is none on that side. A table without units (a test's
    hand-made observations) gives none."""
    if "unit_measure" not in obs.columns:
        return pd.DataFrame({"series_code": pd.Series(dtype=str),
                             "lower": pd.Series(dtype=float), "upper": pd.Series(dtype=float)})
    t = obs.filter(obs.value.notnull())
    got = t.group_by(["series_code", "unit_measure"]).aggregate(
        lo=t.value.min(), hi=t.value.max()).execute()
    return with_declared(bounds_of(got), set(got.series_code))


def with_declared(found: pd.DataFrame, present: set[str]) -> pd.DataFrame:
    """``found`` with each declared range (``declared_ranges``) of the ``present`` series
    in place of the one found from units: an index within 0..1 gets both sides.

    >>> found = pd.DataFrame({"series_code": ["A"], "lower": [0.0], "upper": [float("nan")]})
    >>> with_declared(found, {"A", "SG_DSR_LGRGSR"}).values.tolist()
    [['A', 0.0, nan], ['SG_DSR_LGRGSR', 0.0, 1.0]]
    """
    declared = declared_ranges()
    declared = declared[declared.series_code.isin(present)][["series_code", "lower", "upper"]]
    kept = found[~found.series_code.isin(declared.series_code)]
    return pd.concat([kept, declared], ignore_index=True)


def bounds_of(got: pd.DataFrame) -> pd.DataFrame:
    """From per-series, per-unit minima and maxima; a series published in two units gets
    no bound.

    >>> got = pd.DataFrame({"series_code": ["A", "B", "C"], "unit_measure": ["PERCENT"] * 3,
    ...                     "lo": [0.0, -3.1, 2.0], "hi": [99.0, 12.0, 340.0]})
    >>> bounds_of(got).values.tolist()
    [['A', 0.0, 100.0], ['C', 0.0, nan]]
    """
    one_unit = got.groupby("series_code").unit_measure.transform("nunique") == 1
    got = got[one_unit]
    unit = got.unit_measure.astype(str)
    ok_low = (got.lo >= 0) & (unit.isin(NON_NEGATIVE) | unit.str.startswith("PER_"))
    ok_high = ok_low & unit.isin(SHARES) & (got.hi <= 100)
    out = pd.DataFrame({"series_code": got.series_code,
                        "lower": np.where(ok_low, 0.0, np.nan),
                        "upper": np.where(ok_high, 100.0, np.nan)})
    return out[ok_low].reset_index(drop=True)


def bounded(value: pd.Series, lower: pd.Series, upper: pd.Series
            ) -> tuple[np.ndarray, np.ndarray]:
    """(value within its bounds, which bound was applied: "upper", "lower" or None).

    >>> s = lambda *v: pd.Series(v, dtype="float64")
    >>> v, which = bounded(s(149.59, -7.4, 50.0), s(0, 0, 0), s(100, None, 100))
    >>> v.tolist(), which.tolist()
    ([100.0, 0.0, 50.0], ['upper', 'lower', None])
    """
    x = value.to_numpy(float)
    lo, hi = lower.to_numpy(float), upper.to_numpy(float)
    above, below = ~np.isnan(hi) & (x > hi), ~np.isnan(lo) & (x < lo)
    out = np.where(above, hi, np.where(below, lo, x))
    which = np.full(x.shape, None, dtype=object)  # which bound held the value, if any
    which[above], which[below] = "upper", "lower"
    return out, which
