"""Interlinkages over a store: the headline series of the assessment specification read
through Ibis (DuckDB or Spark), one value per country, series and year, then the pure
methods of ``links`` and ``links_goals`` for countries and groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd

from sdgtrack.assess import series
from sdgtrack.assess.kroll import cross_country, pair_trends
from sdgtrack.assess.links import (
    HONESTY,
    METHOD_NAME,
    METHOD_VERSION,
    LinkParameters,
    indicator_pairs,
)
from sdgtrack.assess.links_goals import goal_pairs, goal_summary, group_goal_pairs
from sdgtrack.assess.params import EscapParameters
from sdgtrack.assess.run import Unit, compute, country_unit
from sdgtrack.assess.spec import SPEC_VERSION, follow_successors
from sdgtrack.errors import UsageError
from sdgtrack.framework.successors import successor_codes
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.store.queries import headline_codes

SUB = series.SUB
SUB_COLUMNS = [SUB, "series_code", "spec_series_code", "selection", "indicator", "target",
               "goal", "direction", "target_value"]


@dataclass
class Links:
    """Interlinkages of some units: every indicator pair of every country involved
    (``pairs``), goal x goal counts per unit (``goals``: pairs for a country, countries for a
    group) and per goal (``summary``)."""

    parameters: LinkParameters
    units: list[Unit]
    pairs: pd.DataFrame
    goals: pd.DataFrame
    summary: pd.DataFrame
    subindicators: pd.DataFrame

    def method(self) -> dict[str, Any]:
        return {"name": METHOD_NAME, "version": METHOD_VERSION, "spec_version": SPEC_VERSION,
                "parameters": self.parameters.as_dict(), "note": HONESTY}


def headline_spec(spec: pd.DataFrame, present: set[str]) -> pd.DataFrame:
    """The specification's series as the data name them (successors followed)."""
    return follow_successors(spec, present, successor_codes())


def annual_values(obs: Any, spec: pd.DataFrame, areas: list[str]) -> pd.DataFrame:
    """(ref_area, sub_id, year, value): each sub-indicator's observed value per country and
    year (the mean when a year has several periods), in Ibis on any backend."""
    cols = [SUB, "series_code", *[f"sel_{d}" for d in DIMENSION_NAMES]]
    spec_t = ibis.memtable(spec[cols], schema={
        SUB: "int64", "series_code": "string", **{f"sel_{d}": "string" for d in DIMENSION_NAMES}})
    # the headline breakdown is the data's as a whole (as the assessment reads it), so that a
    # country's pairs are the same whether it is asked for alone or in a group
    pts = series.selected(obs, spec_t, headline_codes(obs, strict=True))
    pts = pts.filter(pts.ref_area.isin(areas))
    t = pts.group_by(["ref_area", SUB, "year"]).aggregate(value=pts.value.mean())
    out = t.execute()
    out["year"] = out.year.astype(int)
    return out.sort_values(["ref_area", SUB, "year"], ignore_index=True)


def compute_links(obs: Any, spec: pd.DataFrame, units: list[Unit],
                  params: LinkParameters | None = None) -> Links:
    """Interlinkages for every unit: each country's pairs, then the goal tables of the
    countries and of the groups (which count their countries)."""
    p = params or LinkParameters()
    p.check()
    present = set(obs.select("series_code").distinct().to_pyarrow()["series_code"].to_pylist())
    subs = headline_spec(spec, present)
    subs = subs.assign(goal=subs.goal.astype(int))
    countries = sorted({m for u in units for m in u.members})
    values = annual_values(obs, subs, countries).rename(columns={"ref_area": "unit"})
    pairs = indicator_pairs(values, subs[SUB_COLUMNS], p)
    country_goals = goal_pairs(pairs)
    groups = [u for u in units if u.kind == "group"]
    tables = [country_goals[country_goals.unit.isin(
        [u.code for u in units if u.kind == "country"])]]
    if groups:
        membership = pd.DataFrame([(u.code, m) for u in groups for m in u.members],
                                  columns=["unit", "ref_area"]).drop_duplicates()
        tables.append(group_goal_pairs(country_goals, membership))
    goals = pd.concat(tables, ignore_index=True)
    return Links(p, units, pairs, goals, goal_summary(goals), subs[SUB_COLUMNS])


def goal_scores(obs: Any, spec: pd.DataFrame, countries: list[str], years: list[int],
                escap: EscapParameters | None = None) -> pd.DataFrame:
    """(ref_area, year, goal, score): each country's ESCAP Current Status Index per goal as
    it stood with the data up to each year (the assessment run with ``end_year``)."""
    base = escap or EscapParameters()
    units = [country_unit(c) for c in countries]
    parts = []
    for year in years:  # one assessment per year, of every country at once
        a = compute(obs, spec, units, base.with_(end_year=year))
        s = a.snapshot.dropna(subset=["current_status_index"])
        parts.append(pd.DataFrame({"ref_area": s.unit, "year": year, "goal": s.goal,
                                   "score": s.current_status_index}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["ref_area", "year", "goal", "score"])


def kroll_years(obs: Any, escap: EscapParameters | None = None) -> list[int]:
    """The years scored: from two years after the baseline (a Current Status needs a value
    after the baseline) to the latest year with data."""
    base = escap or EscapParameters()
    latest = obs.time_period.max().execute()
    if latest is None or latest != latest:
        return []
    return list(range(base.baseline_year + 2, int(latest) + 1))


def compute_kroll(obs: Any, spec: pd.DataFrame, units: list[Unit],
                  params: LinkParameters | None = None,
                  years: list[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per year, per goal pair over the years) of Kroll's cross-country ρ for the groups
    among ``units``."""
    p = params or LinkParameters()
    p.check()
    groups = [u for u in units if u.kind == "group"]
    if not groups:
        raise UsageError("Cross-country interlinkages (Kroll) compare the countries of a "
                         "group: give --group (escap, escap_sea ...), not a single area.")
    membership = pd.DataFrame([(u.code, m) for u in groups for m in u.members],
                              columns=["unit", "ref_area"]).drop_duplicates()
    scores = goal_scores(obs, spec, sorted(set(membership.ref_area)),
                         kroll_years(obs) if years is None else years)
    by_year = cross_country(scores, membership, p)
    return by_year, pair_trends(by_year)
