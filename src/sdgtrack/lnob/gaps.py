"""Gaps between population groups from published disaggregations (the UN SDG database and
national Open SDG data carry them): for each series, area and year with both groups of a
comparison (female/male, rural/urban, poorest/richest quintile...), the gap, the ratio, which
group is furthest behind given the indicator's desired direction, and whether the gap is
narrowing or widening.

    gap   = value(group) - value(reference)          e.g. female - male
    ratio = value(group) / value(reference)          e.g. the gender parity index
    behind: with "increase" desired, the lower value; with "decrease", the higher one;
            "parity" when the ratio is within ``parity_band`` of 1 (UNESCO reads a parity
            index in 0.97-1.03 as parity).

The change of a gap compares its size (|gap|) at the first and the latest year with both
groups: "narrowing" or "widening" when it moved by more than ``stable_share`` of the
reference group's mean level, else "stable"; "reversed" when the other group fell behind by
more than that. A gap can narrow because the better-off group got worse: the first and last
values of both groups are kept beside the status so that a reader can tell.
Both thresholds are parameters, not published rules [U].
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import ibis
import numpy as np
import pandas as pd

from sdgtrack import framework
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.store.queries import headline_codes


@dataclass(frozen=True)
class Comparison:
    dimension: str
    group: str
    reference: str
    label: str


#: The comparisons made by default: the group expected to be behind first. Education levels
#: are left out: in the UN database ``education_lev`` mostly says which school level a
#: measure is about (completion of primary vs lower secondary), not a population group.
COMPARISONS = (
    Comparison("sex", "F", "M", "female / male"),
    Comparison("urbanisation", "R", "U", "rural / urban"),
    Comparison("income_wealth_quantile", "Q1", "Q5", "poorest / richest quintile"),
    Comparison("disability_status", "PD", "PWD", "with / without disability"),
    Comparison("migratory_status", "MIGPER", "NONMIG", "migrants / non-migrants"),
    Comparison("age", "Y15T24", "Y_GE25", "youth 15-24 / adults 25+"),
)


#: Units of counts and money: their gaps follow the groups' sizes, not their conditions.
SCALE_UNITS = ("NUMBER", "NUM_", "CUR_", "CU_", "CON_USD", "USD", "TONNES", "HA_")


def parity_series() -> list[str]:
    """Series that are themselves parity indices (SE_GPI_*, SE_AGP_* ...): already gaps."""
    series = framework.table("series").to_pandas()
    return list(series.series_code[series.description.str.contains("parity index",
                                                                   case=False)])


def default_directions() -> dict[str, str]:
    """Desired directions for disaggregated series that the ESCAP specification does not
    assess (``lnob/data/directions.csv``, each with its reason)."""
    path = resources.files("sdgtrack.lnob") / "data" / "directions.csv"
    frame = pd.read_csv(str(path), dtype=str)
    return dict(zip(frame.series_code, frame.direction, strict=True))


def directions(spec: pd.DataFrame) -> dict[str, str]:
    """The desired direction of each series: the assessment specification's (``spec``, as
    ``assess.load_spec`` gives it), then ``default_directions`` for the series it lacks."""
    return {**default_directions(), **dict(zip(spec.series_code, spec.direction, strict=True))}


@dataclass(frozen=True)
class GapParameters:
    #: A ratio within this distance of 1 is parity (UNESCO's 0.97-1.03 for parity indices).
    parity_band: float = 0.03
    #: A change of |gap| smaller than this share of the reference group's mean level is
    #: "stable" [U].
    stable_share: float = 0.05


def paired_values(obs: Any, comparisons: tuple[Comparison, ...] = COMPARISONS) -> pd.DataFrame:
    """(series_code, ref_area, time_period, dimension, group, reference, label,
    value_group, value_reference): both groups of a comparison in the same series, area and
    year, every other dimension at the series' headline code. Counts and money amounts
    (``SCALE_UNITS``) and series that are parity indices are left out."""
    obs = obs.filter(~obs.series_code.isin(parity_series()))
    heads = headline_codes(obs).to_pandas()
    # one query for every comparison's rows (each query costs a compilation)
    t = obs.filter(obs.value.notnull() & ibis.or_(*(
        obs[c.dimension].isin([c.group, c.reference]) for c in comparisons)))
    for prefix in SCALE_UNITS:
        t = t.filter(~t.unit_measure.startswith(prefix))
    candidates = t.select("series_code", "ref_area", "time_period", *DIMENSION_NAMES,
                          "value").to_pandas()
    frames = []
    for c in comparisons:
        rows = candidates[candidates[c.dimension].isin([c.group, c.reference])]
        if rows.empty:
            continue
        others = [d for d in DIMENSION_NAMES if d != c.dimension]
        rows = rows.merge(heads[["series_code", *others]], on=["series_code", *others])
        wide = rows.pivot_table(index=["series_code", "ref_area", "time_period"],
                                columns=c.dimension, values="value", aggfunc="first")
        if c.group not in wide or c.reference not in wide:
            continue
        pair = wide[[c.group, c.reference]].dropna().reset_index()
        frames.append(pair.rename(columns={c.group: "value_group",
                                           c.reference: "value_reference"}).assign(
            dimension=c.dimension, group=c.group, reference=c.reference, label=c.label))
    cols = ["series_code", "ref_area", "time_period", "dimension", "group", "reference",
            "label", "value_group", "value_reference"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


def gaps(pairs: pd.DataFrame, directions: dict[str, str],
         p: GapParameters | None = None) -> pd.DataFrame:
    """Adds gap, ratio, direction and the group furthest behind to ``paired_values`` rows.

    Female 60 %, male 80 % of an indicator to increase: gap -20, ratio 0.75, female behind.

    >>> row = pd.DataFrame({"series_code": ["S"], "value_group": [60.0],
    ...                     "value_reference": [80.0], "group": ["F"], "reference": ["M"]})
    >>> out = gaps(row, {"S": "increase"}).iloc[0]
    >>> float(out.gap), float(out.ratio), out.furthest_behind
    (-20.0, 0.75, 'F')
    """
    p = p or GapParameters()
    out = pairs.copy()
    out["gap"] = out.value_group - out.value_reference
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = out.value_group / out.value_reference.where(out.value_reference != 0)
    out["ratio"] = ratio
    out["direction"] = out.series_code.map(directions).fillna("unknown")
    parity = (out.ratio - 1).abs() <= p.parity_band
    group_behind = np.where(out.direction == "increase", out.gap < 0, out.gap > 0)
    out["furthest_behind"] = np.select(
        [out.direction.eq("unknown") | ~out.direction.isin(["increase", "decrease"]),
         parity | out.gap.eq(0), group_behind],
        [None, "parity", out.group], out.reference)
    # the disadvantage: how far the group behind is behind, in the indicator's units
    out["disadvantage"] = out.gap.abs().where(out.furthest_behind.notna()
                                              & out.furthest_behind.ne("parity"), 0.0)
    return out


def gap_trends(table: pd.DataFrame, p: GapParameters | None = None) -> pd.DataFrame:
    """One row per (series, area, comparison): the gap at the first and the latest year with
    both groups, its change per year, and narrowing / widening / stable / reversed.

    A rural-urban gap of -20 points in 2010 and -10 in 2020, urban mean 70: |gap| fell by
    10 > 0.05 x 70 = 3.5, so narrowing, at -1.0 point a year.

    >>> t = pd.DataFrame({"series_code": "S", "ref_area": "1", "dimension": "urbanisation",
    ...     "group": "R", "reference": "U", "label": "rural / urban",
    ...     "time_period": [2010, 2020], "gap": [-20.0, -10.0],
    ...     "value_group": [50.0, 60.0], "value_reference": [70.0, 70.0],
    ...     "furthest_behind": ["R", "R"]})
    >>> out = gap_trends(t).iloc[0]
    >>> float(out.change), float(out.change_per_year), out.status
    (-10.0, -1.0, 'narrowing')
    """
    p = p or GapParameters()
    keys = ["series_code", "ref_area", "dimension", "group", "reference", "label"]
    t = table.sort_values("time_period", kind="stable")
    by = t.groupby(keys, sort=False)
    first, last = by.first(), by.last()
    out = pd.DataFrame({
        "first_year": first.time_period, "last_year": last.time_period,
        "years": by.size(), "gap_first": first.gap, "gap_last": last.gap,
        "group_first": first.value_group, "group_last": last.value_group,
        "reference_first": first.value_reference, "reference_last": last.value_reference,
        "behind_first": first.furthest_behind, "behind_last": last.furthest_behind,
    })
    out = out[out.years > 1]
    span = (out.last_year - out.first_year).astype(float)
    out["change"] = out.gap_last.abs() - out.gap_first.abs()
    out["change_per_year"] = out.change / span
    tolerance = p.stable_share * by.value_reference.apply(lambda v: v.abs().mean())
    tolerance = tolerance.reindex(out.index)
    # the other group now behind, by more than the tolerance
    reversed_ = ((np.sign(out.gap_first) * np.sign(out.gap_last) < 0)
                 & (out.gap_last.abs() >= tolerance))
    stable = out.change.abs() < tolerance
    out["status"] = np.select([reversed_, stable, out.change < 0],
                              ["reversed", "stable", "narrowing"], "widening")
    return out.reset_index()


def latest_gaps(table: pd.DataFrame) -> pd.DataFrame:
    """The most recent year of each (series, area, comparison)."""
    keys = ["series_code", "ref_area", "dimension"]
    return table.sort_values("time_period").groupby(keys, as_index=False).last()


def _size(latest: pd.DataFrame) -> pd.Series:
    """How unequal, comparable across units: |1 - ratio| (0 = parity)."""
    return (1 - latest.ratio).abs()


def country_summary(table: pd.DataFrame, trends: pd.DataFrame, top: int = 5
                    ) -> pd.DataFrame:
    """Per area: its ``top`` largest current gaps (by |1 - ratio|) and fastest-widening
    gaps (by change of |gap| per year relative to the reference level)."""
    latest = latest_gaps(table).assign(size=_size)
    largest = (latest.dropna(subset=["size"]).sort_values("size", ascending=False)
               .groupby("ref_area").head(top).assign(kind="largest"))
    widening = trends[trends.status.isin(["widening", "reversed"])]
    widening = (widening.sort_values("change_per_year", ascending=False)
                .groupby("ref_area").head(top).assign(kind="fastest_widening"))
    cols = ["ref_area", "kind", "series_code", "dimension", "label", "time_period", "gap",
            "ratio", "furthest_behind", "first_year", "last_year", "change_per_year",
            "status"]
    out = pd.concat([largest, widening], ignore_index=True)
    return out.reindex(columns=cols).sort_values(["ref_area", "kind"], ignore_index=True)


def dimension_summary(table: pd.DataFrame, trends: pd.DataFrame) -> pd.DataFrame:
    """Per comparison and series across the areas: how many areas, the median ratio, in how
    many the group / the reference is behind or at parity, and how the gaps moved."""
    latest = latest_gaps(table)
    keys = ["dimension", "label", "series_code"]
    out = latest.groupby(keys).agg(
        areas=("ref_area", "nunique"), median_ratio=("ratio", "median"),
        group=("group", "first"), reference=("reference", "first"))
    fb = latest.furthest_behind
    behind = latest.assign(group_behind=fb == latest.group,
                           reference_behind=fb == latest.reference,
                           at_parity=fb == "parity").groupby(keys)[
        ["group_behind", "reference_behind", "at_parity"]].sum().astype(int)
    moved = trends.groupby(keys).status.value_counts().unstack(fill_value=0)
    out = out.join(behind).join(moved).fillna(0)
    for col in ("narrowing", "widening", "stable", "reversed"):
        if col not in out:
            out[col] = 0
    return out.reset_index().sort_values(["dimension", "median_ratio"], ignore_index=True)


def goal_summary(table: pd.DataFrame, trends: pd.DataFrame,
                 series_goals: pd.DataFrame) -> pd.DataFrame:
    """Per goal and comparison: series and areas with a gap, and how many gaps narrowed,
    widened, stayed or reversed. ``series_goals``: (series_code, goal)."""
    sg = series_goals.drop_duplicates()
    latest = latest_gaps(table).merge(sg, on="series_code")
    moved = trends.merge(sg, on="series_code")
    keys = ["goal", "label"]
    out = latest.groupby(keys).agg(series=("series_code", "nunique"),
                                   areas=("ref_area", "nunique"), gaps=("gap", "size"))
    counts = moved.groupby(keys).status.value_counts().unstack(fill_value=0)
    return out.join(counts).fillna(0).reset_index()


__all__ = ["COMPARISONS", "Comparison", "GapParameters", "country_summary",
           "default_directions", "dimension_summary", "gap_trends", "gaps", "goal_summary",
           "latest_gaps", "paired_values", "parity_series"]
