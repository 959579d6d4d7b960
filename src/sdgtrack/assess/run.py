"""Run the ESCAP assessment for many units at once: the data-heavy steps in Ibis
(``series.py``), then the formulas (``escap.py``) and the aggregation sub-indicator ->
indicator -> target -> goal on the small table that comes out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import numpy as np
import pandas as pd

from sdgtrack import framework
from sdgtrack.assess import escap, series
from sdgtrack.assess.bounds import bounded, series_bounds
from sdgtrack.assess.national import indicator_of, with_national_series
from sdgtrack.assess.params import METHOD_NAME, METHOD_VERSION, EscapParameters
from sdgtrack.assess.periods import annual_observations
from sdgtrack.assess.spec import DIRECTIONS, OPTIONAL, SPEC_VERSION, follow_successors
from sdgtrack.assess.targets import TARGETS, for_units
from sdgtrack.errors import UsageError
from sdgtrack.framework.successors import successor_codes
from sdgtrack.model import DIMENSION_NAMES, json_value
from sdgtrack.store.queries import headline_codes

SUB = series.SUB


@dataclass(frozen=True)
class Unit:
    """What is assessed: a country (its own single member) or a group of countries."""

    code: str
    name: str
    kind: str  # "country" | "group"
    members: tuple[str, ...]


def country_unit(code: str) -> Unit:
    m49 = framework.resolve_area(code)
    return Unit(m49, framework.area_names().get(m49, m49), "country", (m49,))


def group_unit(code: str) -> Unit:
    names = {r["group"]: r["name"] for r in framework.table("groups").to_pylist()}
    return Unit(code, names.get(code, code), "group", tuple(framework.group_members(code)))


def custom_group(code: str, name: str, members: list[str]) -> Unit:
    """A user-defined group, e.g. the countries of a river basin."""
    if not members:
        raise UsageError(f"The group {code!r} has no members.")
    return Unit(code, name, "group", tuple(framework.resolve_area(m) for m in members))


def standard_units() -> list[Unit]:
    """The ESCAP region, its five subregions and every member country."""
    groups = ["escap", "escap_enea", "escap_sea", "escap_sswa", "escap_nca", "escap_pacific"]
    return [group_unit(g) for g in groups] + [
        country_unit(m) for m in framework.group_members("escap")]


@dataclass
class Assessment:
    """The results for every unit: one table per level, plus what produced them."""

    parameters: EscapParameters
    units: list[Unit]
    subindicators: pd.DataFrame  # one row per unit x sub-indicator, with every number
    snapshot: pd.DataFrame  # unit x goal
    dashboard: pd.DataFrame  # unit x target
    points: pd.DataFrame  # unit x sub-indicator x year: the values the trend used
    observations: pd.DataFrame  # sub-indicator x country x year: each value's load, file, row
    current_year: int
    data: dict[str, Any]

    def method(self) -> dict[str, Any]:
        return {"name": METHOD_NAME, "version": METHOD_VERSION, "spec_version": SPEC_VERSION,
                "parameters": self.parameters.as_dict(), "current_year": self.current_year,
                "annual_rule": self.parameters.annual.describe()}


def _membership(units: list[Unit]) -> pd.DataFrame:
    return pd.DataFrame([(u.code, m) for u in units for m in u.members],
                        columns=["unit", "ref_area"]).drop_duplicates()


def _spec_table(spec: pd.DataFrame) -> Any:
    cols = [SUB, "series_code", "direction", "target_rule",
            *[f"sel_{d}" for d in DIMENSION_NAMES]]
    frame = spec[cols].copy()
    return ibis.memtable(frame, schema={
        SUB: "int64", "series_code": "string", "direction": "string", "target_rule": "string",
        **{f"sel_{d}": "string" for d in DIMENSION_NAMES}})


def _materialise(expr: Any) -> Any:
    return ibis.memtable(expr.to_pyarrow())


def _national_units(obs: Any) -> dict[str, str]:
    """Series code -> its most frequent unit, for the national series in ``obs``."""
    if "unit_measure" not in obs.columns:  # a table made in code
        obs = obs.mutate(unit_measure=ibis.literal("", "string"))
    t = obs.group_by(["series_code", "unit_measure"]).aggregate(n=obs.count()).to_pyarrow()
    best: dict[str, tuple[int, str]] = {}
    for code, unit, n in zip(t["series_code"].to_pylist(), t["unit_measure"].to_pylist(),
                             t["n"].to_pylist()):
        if indicator_of(code) is not None and n > best.get(code, (0, ""))[0]:
            best[code] = (n, unit or "")
    return {code: unit for code, (_, unit) in best.items()}


def _latest_year(obs: Any) -> int:
    """The latest year observed; an empty store (its only load rolled back) has none, and is
    assessed as of the current year: every unit then has insufficient data."""
    latest = obs.time_period.max().execute()
    if latest is None or latest != latest:  # None, or NaN from pandas
        from datetime import date

        return date.today().year
    return int(latest)


def compute(obs: Any, spec: pd.DataFrame, units: list[Unit],
            params: EscapParameters | None = None,
            targets: pd.DataFrame | None = None) -> Assessment:
    """Assess every unit on every sub-indicator of ``spec``. ``obs`` is an Ibis table of
    observations (``observations_current`` of a store, on any backend); ``targets``, a
    country's own targets (``assess.targets.load_targets``), replace the specification's
    for that country."""
    p = params or EscapParameters()
    p.check()
    # the trend needs one value a year; other periods give it by the rule it names
    obs, derived = annual_observations(obs, p.annual)
    end_year = p.end_year or _latest_year(obs)
    # a specification keyed to older series codes follows them to the data's newer ones
    for column in OPTIONAL:  # a table made in code, not read by load_spec
        if column not in spec.columns:
            spec = spec.assign(**{column: ""})
    present = set(obs.select("series_code").distinct().to_pyarrow()["series_code"].to_pylist())
    spec = follow_successors(spec, present, successor_codes())
    # a country's national series count for their global indicator (assess/national.py);
    # never in a group's mean, where one country's own series would stand for the group
    targets = targets if targets is not None else pd.DataFrame(columns=list(TARGETS))
    directions = {r.series_code: r.direction for r in targets.itertuples()
                  if r.series_code and r.direction}
    spec = with_national_series(spec, _national_units(obs), directions)
    spec_t = _spec_table(spec)
    membership = ibis.memtable(_membership(units), schema={"unit": "string",
                                                          "ref_area": "string"})
    reference = ibis.memtable({"ref_area": framework.group_members(p.reference_group)},
                              schema={"ref_area": "string"})
    # Each step is computed once and brought back as a small in-memory table: without it
    # every result below would recompute the whole chain. (Ibis' own cache() leaves
    # finalizers that fail on DuckDB 2.)
    points = _materialise(series.selected(obs, spec_t, headline_codes(obs, strict=True)))
    values = _materialise(series.country_values(points, p, end_year))
    unit_series = _materialise(series.unit_values(values, membership, p))
    ends = _materialise(series.endpoints(unit_series, p))
    frames = {
        "usable": series.usable(points, membership, p, end_year),
        "ends": ends,
        "sums": series.regression_sums(unit_series, ends, p),
        "best": series.best_performer_targets(values, reference, spec_t, p),
        "points": unit_series,
        "observations": points,
    }
    got = {name: expr.execute() for name, expr in frames.items()}
    got["bounds"] = series_bounds(obs)
    subs = _subindicators(got, spec, units, p, targets)
    current_year = p.current_year or int(subs.loc[subs.assessed, "tc"].max()
                                         if subs.assessed.any() else end_year)
    subs_by_ind = _by_indicator(subs)
    snapshot = _snapshot(subs_by_ind, units, current_year, p)
    dashboard = _dashboard(subs_by_ind, units, p)
    pts = got["points"].sort_values(["unit", SUB, "year"]).reset_index(drop=True)
    return Assessment(p, units, subs, snapshot, dashboard, pts, got["observations"],
                      current_year, {"end_year": end_year, "annual_values_derived": derived,
                                     "national_targets": len(targets)})


def _subindicators(got: dict[str, pd.DataFrame], spec: pd.DataFrame, units: list[Unit],
                   p: EscapParameters, targets: pd.DataFrame) -> pd.DataFrame:
    """One row per unit x sub-indicator with data: the data rule, the numbers and results.
    A national series is a row of its country only (``national``)."""
    national = set(spec.loc[spec.national.astype(bool), SUB]) if "national" in spec else set()
    grid = pd.DataFrame([(u.code, len(set(u.members)), sub) for u in units
                         for sub in spec[SUB] if u.kind == "country" or sub not in national],
                        columns=["unit", "members", SUB])
    df = grid.merge(got["usable"], on=["unit", SUB], how="left").merge(
        got["ends"], on=["unit", SUB], how="left").merge(got["sums"], on=["unit", SUB],
                                                         how="left")
    df[["countries_with_data", "usable_countries"]] = df[
        ["countries_with_data", "usable_countries"]].fillna(0).astype(int)
    keep = ["series_code", "selection", "direction", "target_rule", "target_value",
            "target_factor", "indicator", "also_indicators", "stand_in", "citation",
            "spec_series_code", SUB, *[c for c in ("given_reason",) if c in spec]]
    df = df.merge(spec[keep], on=SUB).merge(got["best"], on=SUB, how="left")
    df = df.merge(got["bounds"], on="series_code", how="left")
    df["share"] = df.usable_countries / df.members
    df["target_level"] = np.select(
        [df.target_rule == "value", df.target_rule == "relative",
         df.target_rule == "best_performers"],
        [df.target_value, df.target_factor * df.x0, df.best_target], np.nan)
    # a country's own target replaces the specification's, for that country (targets.py)
    mine = for_units(targets, df, {u.code for u in units if u.kind == "country"})
    df = df.merge(mine.astype({"national_target": float}), on=["unit", SUB], how="left")
    df["target_origin"] = np.where(df.national_target.notna(), "national", "specification")
    df["target_level"] = pd.to_numeric(df.national_target.where(
        df.national_target.notna(), df.target_level), errors="coerce").astype(float)
    df["target_rule"] = df.target_rule.where(df.national_target.isna(), "value")
    df = df.drop(columns="national_target")
    given = df.get("given_reason", pd.Series("", index=df.index)).fillna("")
    no_direction = ~df.direction.isin(DIRECTIONS)
    df["meets_data_rule"] = (df.share > p.min_country_share) & df.t0.notna()
    df["assessed"] = (df.meets_data_rule & df.target_level.notna() & df.xc.notna()
                      & ~no_direction)
    one_country = df.members == 1
    df["reason"] = np.select(
        [df.countries_with_data == 0, no_direction,
         one_country & ~(df.share > p.min_country_share),
         ~(df.share > p.min_country_share), df.t0.isna(),
         df.target_level.isna() & (given != ""), df.target_level.isna()],
        ["no observations for this series and breakdown",
         given.where(given != "", "no direction known"),
         f"one year only: a trend needs {p.min_points} or more years of data",
         f"not more than {p.min_country_share:.0%} of countries have {p.min_points}+ points",
         f"no value in {p.baseline_year}-{p.baseline_year + p.baseline_window}, or none after",
         given, "no target could be set"], "")
    # a target too near the baseline, not reached: not measurable (escap.near_baseline)
    cs = escap.progress(df.x0, df.xc, df.target_level, df.direction, p)
    too_near = df.assessed & np.isnan(cs)
    df.loc[too_near, "assessed"] = False
    df.loc[too_near, "reason"] = (f"the 2030 target is within {p.near_target:.0%} of the "
                                  "baseline value: too near to measure progress against")
    df = _stand_ins_where_needed(df)
    a = df[df.assessed].copy()
    a["current_status"] = cs[df.assessed.to_numpy()]
    if p.projection == "regression":
        a["line"], a["slope"] = escap.regression_projection(a, p.target_year)
        a["projection_used"] = "regression"
    else:
        a["line"], a["projection_used"] = escap.cagr_projection(
            a.x0, a.t0, a.xc, a.tc, p.target_year)
        a["slope"] = (a.xc - a.x0) / (a.tc - a.t0)
    # a share projected past 100 % (or a rate below 0) is shown at its bound, marked
    a["projected"], a["projection_bound"] = bounded(a.line, a.lower, a.upper)
    a["anticipated_progress"] = escap.progress(a.x0, a.projected, a.target_level, a.direction,
                                               p)
    a["class"] = escap.classify(a.anticipated_progress, p, a.current_status)
    a = a.join(escap.pace(a if p.projection == "regression" else a.drop(columns="line"), p))
    a = a.drop(columns="line")
    out = pd.concat([a, df[~df.assessed]]).sort_values(["unit", "series_code", "selection"],
                                                        ignore_index=True)
    for col in ("t0", "tc", "points", "best_countries", "year_reached"):
        out[col] = out[col].round().astype("Int64")
    return out


def _by_indicator(subs: pd.DataFrame) -> pd.DataFrame:
    """Sub-indicators counted under their row's indicator and the specification's
    ``also_indicators`` (disaster deaths, under 11.5.1, also count for 1.5.1 and 13.1.1, so
    in goals 1, 11 and 13, as in ESCAP's reports); under no other. One row per unit x
    sub-indicator x indicator, so that each sub-indicator weighs the same in its
    indicator's mean (until 2026-12-03 a row came once per unit assessing it, and weighed
    by that count).

    >>> subs = pd.DataFrame({"unit": ["A", "A", "B"], SUB: [0, 1, 0],
    ...                      "indicator": ["3.2.1", "3.2.1", "3.2.1"],
    ...                      "also_indicators": [None, None, None], "assessed": True})
    >>> _by_indicator(subs)[["unit", SUB, "indicator", "target"]].values.tolist()
    [['A', 0, '3.2.1', '3.2'], ['A', 1, '3.2.1', '3.2'], ['B', 0, '3.2.1', '3.2']]
    """
    assessed = subs[subs.assessed]
    also = assessed.also_indicators.fillna("").str.split(";")
    links = pd.DataFrame(
        [(sub, code.strip()) for sub, own, more in zip(assessed[SUB], assessed.indicator, also)
         for code in dict.fromkeys([own, *more]) if code.strip()],
        columns=[SUB, "indicator"]).drop_duplicates()  # once each: not once per unit
    a = assessed.drop(columns=["indicator"]).merge(links, on=SUB)
    ind = framework.table("indicators").to_pandas()[["indicator", "target", "goal"]]
    return a.merge(ind.drop_duplicates("indicator"), on="indicator")


def _stand_ins_where_needed(df: pd.DataFrame) -> pd.DataFrame:
    """A ``stand_in`` row is assessed only in a unit where no other row of its indicator is:
    CO2 from fuel combustion stands in for 13.2.2's greenhouse-gas totals in Hong Kong, and
    is not counted beside them in Japan. Elsewhere it is not assessed, and says why."""
    stand_in = df.stand_in.fillna("").eq("yes")
    own = df[~stand_in & df.assessed].groupby(["unit", "indicator"]).size().rename("_own")
    df = df.join(own, on=["unit", "indicator"])
    spare = stand_in & df.assessed & df._own.notna()
    df.loc[spare, "assessed"] = False
    df.loc[spare, "reason"] = ("a stand-in, not needed: the unit's own series of indicator "
                               + df.loc[spare, "indicator"].astype(str) + " are assessed")
    return df.drop(columns="_own")


def _mean_up(a: pd.DataFrame, column: str, level: str) -> pd.DataFrame:
    """Mean over sub-indicators within an indicator, then over indicators within ``level``."""
    ind = a.groupby(["unit", "goal", "target", "indicator"], as_index=False)[column].mean()
    if level == "target":
        return ind.groupby(["unit", "goal", "target"], as_index=False).agg(
            value=(column, "mean"), indicators=("indicator", "nunique"))
    tgt = ind.groupby(["unit", "goal", "target"], as_index=False).agg(
        value=(column, "mean"), indicators=("indicator", "nunique"))
    return tgt.groupby(["unit", "goal"], as_index=False).agg(
        value=("value", "mean"), indicators=("indicators", "sum"), targets=("target", "nunique"))


def _snapshot(a: pd.DataFrame, units: list[Unit], current_year: int,
              p: EscapParameters) -> pd.DataFrame:
    goals = framework.table("goals").to_pandas()[["goal", "short_en"]]
    targets = framework.table("targets").to_pandas()
    total = targets.groupby("goal").target.nunique().rename("targets_total")
    grid = pd.DataFrame([(u.code, g) for u in units for g in goals.goal],
                        columns=["unit", "goal"])
    got = _mean_up(a, "current_status", "goal") if len(a) else pd.DataFrame(
        columns=["unit", "goal", "value", "indicators", "targets"])
    out = grid.merge(got, on=["unit", "goal"], how="left").merge(goals, on="goal")
    out = out.merge(total, left_on="goal", right_index=True)
    out = out.rename(columns={"value": "current_status_index", "short_en": "title",
                              "indicators": "indicators_used", "targets": "targets_assessed"})
    out["indicators_used"] = out.indicators_used.fillna(0).astype(int)
    out["targets_assessed"] = out.targets_assessed.fillna(0).astype(int)
    out["expected_progress"] = escap.expected_progress(current_year, p)
    out["progress_needed"] = 1 - out.current_status_index.clip(lower=0)
    out["evidence_strength"] = out.targets_assessed / out.targets_total
    out["status"] = np.select(
        [out.current_status_index.isna(), out.current_status_index < 0,
         out.current_status_index >= out.expected_progress],
        [escap.GoalStatus.INSUFFICIENT.value, escap.GoalStatus.REGRESSED.value,
         escap.GoalStatus.ON_SCHEDULE.value], escap.GoalStatus.BEHIND.value)
    out["goal"] = out.goal.astype(int)
    return out.sort_values(["unit", "goal"]).reset_index(drop=True)


def _dashboard(a: pd.DataFrame, units: list[Unit], p: EscapParameters) -> pd.DataFrame:
    targets = framework.table("targets").to_pandas()[["target", "goal", "title_en"]]
    grid = pd.DataFrame([(u.code, t) for u in units for t in targets.target],
                        columns=["unit", "target"]).merge(targets, on="target")
    got = _mean_up(a, "anticipated_progress", "target") if len(a) else pd.DataFrame(
        columns=["unit", "goal", "target", "value", "indicators"])
    out = grid.merge(got.drop(columns="goal"), on=["unit", "target"], how="left")
    out = out.rename(columns={"value": "anticipated_progress_index", "title_en": "title",
                              "indicators": "indicators_used"})
    out["indicators_used"] = out.indicators_used.fillna(0).astype(int)
    out["class"] = escap.classify(out.anticipated_progress_index, p)
    order = out.target.str.split(".", expand=True)
    out["goal"] = order[0].astype(int)
    out["_t"] = order[1].map(lambda s: (0, int(s), "") if s.isdigit() else (1, 0, s))
    return out.sort_values(["unit", "goal", "_t"]).drop(columns=["_t"]).reset_index(drop=True)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: NaN and NA -> None, numpy scalars -> Python.

    Column by column (``tolist`` gives Python scalars), not ``to_dict``: the site builds
    thousands of small tables and ``to_dict`` costs ten times more on them."""
    names = [str(c) for c in frame.columns]
    columns = [[json_value(v) for v in frame.iloc[:, k].tolist()] for k in range(len(names))]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


SUB_FIELDS = [
    "series_code", "spec_series_code", "selection", "indicator", "also_indicators",
    "stand_in", "direction", "target_rule", "citation", "target_origin", "target_source",
    "countries_with_data", "usable_countries", "members", "share", "meets_data_rule",
    "assessed", "reason", "t0", "x0", "tc", "xc", "points", "target_level", "best_countries",
    "current_status", "projection_used", "projected", "projection_bound", "lower", "upper",
    "slope", "anticipated_progress", "class",
    "rate_observed", "rate_required", "rate_required_now", "acceleration_needed",
    "year_reached"]


def unit_report(a: Assessment, unit: str) -> dict[str, Any]:
    """Everything about one unit: the goal snapshot, the target dashboard and, for every
    sub-indicator, the numbers behind its class and the values its trend used."""
    try:
        u = next(x for x in a.units if x.code == unit)
    except StopIteration:
        raise UsageError(f"{unit!r} was not assessed.") from None
    snap = a.snapshot[a.snapshot.unit == unit].drop(columns="unit")
    dash = a.dashboard[a.dashboard.unit == unit].drop(columns="unit")
    subs = a.subindicators[a.subindicators.unit == unit]
    pts = a.points[a.points.unit == unit]
    obs = a.observations[a.observations.ref_area.isin(u.members)]
    values: dict[int, list[dict[str, Any]]] = {}
    for r in records(pts[[SUB, "year", "value", "countries", "observed"]]):
        values.setdefault(r.pop(SUB), []).append(r)
    used: dict[int, list[dict[str, Any]]] = {}
    for r in records(obs.sort_values(["ref_area", "year"])[
            [SUB, "ref_area", "year", "value", "load_id", "source_file", "source_row"]]):
        used.setdefault(r.pop(SUB), []).append(r)
    details = []
    for row in records(subs[[*SUB_FIELDS, SUB]]):
        sub = row.pop(SUB)
        row["values"] = values.get(sub, [])
        if u.kind == "country":  # each value traced to its load, file and line
            row["observations"] = [{k: v for k, v in r.items() if k != "ref_area"}
                                   for r in used.get(sub, [])]
        else:  # each country's points, traced the same way on the country's own report
            row["countries"] = sorted({r["ref_area"] for r in used.get(sub, [])})
        details.append(row)
    return {
        "unit": {"code": u.code, "name": u.name, "kind": u.kind, "members": list(u.members)},
        "method": a.method(),
        "data": a.data,
        "snapshot": records(snap),
        "dashboard": records(dash),
        "indicators": details,
        "summary": summary(a, unit),
    }


def summary(a: Assessment, unit: str) -> dict[str, Any]:
    """Headline facts: targets per class, goals on schedule, behind, regressed."""
    dash = a.dashboard[a.dashboard.unit == unit]
    snap = a.snapshot[a.snapshot.unit == unit]
    return {
        "targets_by_class": {k: int(v) for k, v in dash["class"].value_counts().items()},
        "goals_by_status": {k: int(v) for k, v in snap["status"].value_counts().items()},
        "goals_on_track": int((snap.status == "on_schedule").sum()),
    }
