"""The SDR method on sdgtrack's own store: score the UN extract (or national data) with an
SDR-style parameter table of the user's own (``assess/data/sdr_style_unsd.csv`` is an
example). The table gives, per indicator, the series and breakdown, goal, direction, optimum,
lower bound, green and red thresholds and trend years; it feeds ``sdr.compute_sdr`` unchanged.

Bounds may be numbers or computed from the data as SDSN describes them (METHODS §2.1):
``top5`` = the mean of the five best performers' latest values, ``p2.5`` = the 2.5th
percentile on the worst side (97.5th for lower-is-better indicators)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sdgtrack import framework
from sdgtrack.assess.periods import annual_observations
from sdgtrack.errors import DataError, UsageError
from sdgtrack.framework.successors import newest_present
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.store.queries import headline_codes

EXAMPLE = Path(__file__).parent / "data" / "sdr_style_unsd.csv"
COLUMNS = ("indicator", "series", "breakdown", "goal", "title", "higher_is_better", "optimum",
           "lower_bound", "green", "red", "trend_years")
TOP_N = 5
PERCENTILE = 0.025


@dataclass(frozen=True)
class SdrInputs:
    """The five tables ``compute_sdr`` reads, built from a store (``trends`` wide, as in
    ``ingest.sdr.SdrDatabase``)."""

    codebook: pd.DataFrame
    values: pd.DataFrame
    countries: pd.DataFrame
    trends: pd.DataFrame
    scores_only: pd.DataFrame


def read_table(path: Path | None = None) -> pd.DataFrame:
    """The parameter table, checked: every problem names the file, row and column."""
    path = path or EXAMPLE
    try:
        t = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such parameter table.") from None
    missing = [c for c in COLUMNS if c not in t.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}; the columns are "
                        f"{', '.join(COLUMNS)} (see {EXAMPLE.name}).")
    for i, row in t.iterrows():
        where = f"{path}, row {int(i) + 2}"
        if row.higher_is_better not in ("yes", "no"):
            raise DataError(f"{where}, column higher_is_better: {row.higher_is_better!r}; "
                            "write yes or no.")
        for col in ("green", "red", "goal"):
            if not re.fullmatch(r"-?\d+(\.\d+)?", row[col]):
                raise DataError(f"{where}, column {col}: {row[col]!r} is not a number.")
        for col, word in (("optimum", "top5"), ("lower_bound", "p2.5")):
            if row[col] != word and not re.fullmatch(r"-?\d+(\.\d+)?", row[col]):
                raise DataError(f"{where}, column {col}: {row[col]!r}; give a number or "
                                f"{word!r}.")
    if t.indicator.duplicated().any():
        dup = t.indicator[t.indicator.duplicated()].iloc[0]
        raise DataError(f"{path}, column indicator: {dup!r} appears twice; names are unique.")
    return t


def regions_of(group: str) -> dict[str, str]:
    """Each member of ``group`` mapped to the first of its subgroups (``escap_sea``...) that
    holds it: the regions whose means fill a missing goal. Members of no subgroup form one
    region named after the group."""
    members = framework.group_members(group)
    out = dict.fromkeys(members, group)
    for sub in framework.group_codes():
        if sub.startswith(group + "_"):
            for m in framework.group_members(sub):
                if out.get(m) == group:
                    out[m] = sub
    return out


def sdr_inputs(obs: Any, table: pd.DataFrame, regions: dict[str, str]) -> SdrInputs:
    """Observations (an Ibis table) of the areas in ``regions`` turned into SDR inputs. A
    table row naming a series code the data lack reads its successor (framework
    ``successors``), as the ESCAP specification does. Periods other than the year give one
    value a year by the default rule (``periods.AnnualRule``), as in the ESCAP assessment."""
    obs, _ = annual_observations(obs)
    present = set(obs.select("series_code").distinct().to_pyarrow()["series_code"].to_pylist())
    table = table.assign(series=[(newest_present(c, present) or (c,))[0] for c in table.series])
    panel = _panel(obs, table, list(regions))
    latest = panel.sort_values("year").groupby(["iso3", "indicator"], as_index=False).last()
    iso = {m: framework.iso3_of(m) for m in regions}
    names = framework.area_names()
    countries = pd.DataFrame({"iso3": [iso[m] for m in regions],
                              "country": [names.get(m, m) for m in regions],
                              "region": list(regions.values())})
    wide = panel.pivot(index=["iso3", "year"], columns="indicator", values="value")
    return SdrInputs(_codebook(table, latest), latest, countries,
                     wide.rename_axis(columns=None).reset_index(),
                     pd.DataFrame(columns=["iso3", "indicator", "score"]))


def _selection(obs: Any, table: pd.DataFrame) -> pd.DataFrame:
    """(indicator, series_code, one code per dimension): the table's breakdown where given,
    else the series' headline; a series without a clear headline must name it."""
    heads = headline_codes(obs.filter(obs.series_code.isin(list(table.series))),
                           strict=True).to_pandas().set_index("series_code")
    rows = []
    for _, r in table.iterrows():
        chosen = dict(kv.strip().split("=", 1) for kv in r.breakdown.split("|") if kv.strip())
        unknown = set(chosen) - set(DIMENSION_NAMES)
        if unknown:
            raise DataError(f"Parameter table, indicator {r.indicator}, column breakdown: "
                            f"unknown dimension(s) {', '.join(sorted(unknown))}.")
        if r.series not in heads.index:
            raise DataError(f"Parameter table, indicator {r.indicator}: no data for series "
                            f"{r.series} in the store.")
        codes = {d: chosen.get(d, heads.at[r.series, d]) for d in DIMENSION_NAMES}
        unclear = [d for d, c in codes.items() if c is None or c != c]
        if unclear:
            raise DataError(f"Parameter table, indicator {r.indicator}, column breakdown: "
                            f"series {r.series} has several {unclear[0]} codes and no total; "
                            f"say which, e.g. {unclear[0]}=<code>.")
        rows.append({"indicator": r.indicator, "series_code": r.series, **codes})
    return pd.DataFrame(rows)


def _panel(obs: Any, table: pd.DataFrame, areas: list[str]) -> pd.DataFrame:
    import ibis

    want = _selection(obs, table)
    t = obs.filter(obs.series_code.isin(list(table.series)) & obs.ref_area.isin(areas)
                   & obs.value.notnull())
    t = t.join(ibis.memtable(want), ["series_code", *DIMENSION_NAMES])
    df = t.select("indicator", "ref_area", year=t.time_period, value=t.value).to_pandas()
    df["iso3"] = df.ref_area.map(framework.iso3_of)
    return df.groupby(["iso3", "indicator", "year"], as_index=False).value.mean()


def _codebook(table: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, r in table.iterrows():
        higher = r.higher_is_better == "yes"
        x = latest.value[latest.indicator == r.indicator]
        ub = best_performers(x, higher) if r.optimum == "top5" else float(r.optimum)
        lb = worst_percentile(x, higher) if r.lower_bound == "p2.5" else float(r.lower_bound)
        years = re.fullmatch(r"(\d{4})-(\d{4})", r.trend_years.strip())
        rows.append({"indicator": r.indicator, "goal": int(r.goal), "global_": True,
                     "oecd": False, "spillover": False, "has_trend": bool(years),
                     "title": r.title, "y0": float(years[1]) if years else np.nan,
                     "y1": float(years[2]) if years else np.nan, "ub": ub, "lb": lb,
                     "green": float(r.green), "red": float(r.red)})
    return pd.DataFrame(rows)


def best_performers(x: pd.Series, higher_is_better: bool, n: int = TOP_N) -> float:
    """The mean of the ``n`` best values (SDR's optimum when no target applies).

    >>> best_performers(pd.Series([1.0, 2, 3, 4, 5, 6, 7]), True)  # (3+4+5+6+7)/5
    5.0
    """
    ordered = x.sort_values(ascending=not higher_is_better)
    return float(ordered.head(n).mean())


def worst_percentile(x: pd.Series, higher_is_better: bool, q: float = PERCENTILE) -> float:
    """The lower bound: the 2.5th percentile on the worst side (linear interpolation).

    >>> worst_percentile(pd.Series(range(0, 41)), True)  # 0.025 x 40 = 1.0
    1.0
    """
    return float(x.quantile(q if higher_is_better else 1 - q))
