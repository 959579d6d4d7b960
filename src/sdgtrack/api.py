"""The Python API: what the command line does, as typed calls for a notebook or a script.

Every ``sdgtrack`` command is a thin call into this module, so the two never disagree.

>>> import sdgtrack
>>> store = sdgtrack.open_store("review.duckdb")  # doctest: +SKIP
>>> nepal = sdgtrack.assess_progress(store, area="NPL")  # doctest: +SKIP
>>> nepal.snapshot[["goal", "current_status_index", "status"]]  # doctest: +SKIP

Results are frozen dataclasses: their tables are pandas DataFrames, ``to_dict()`` gives what
``--format json`` prints.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the heavy imports wait for the first call (`sdgtrack --help` stays fast)
    import pandas as pd

    from sdgtrack.assess import Assessment, Unit
    from sdgtrack.pipeline import DatasetResult
    from sdgtrack.store import Store


class Projection(enum.StrEnum):
    """How the ESCAP method extrapolates a series to 2030."""

    REGRESSION = "regression"
    CAGR = "cagr"


class Aggregate(enum.StrEnum):
    """How a group's value is formed from its members' (ESCAP: the mean)."""

    MEAN = "mean"
    MEDIAN = "median"


class GapSummary(enum.StrEnum):
    """The LNOB gap tables: the latest gap per series and area, or a summary of them."""

    NONE = "none"
    COUNTRY = "country"
    DIMENSION = "dimension"
    GOAL = "goal"
    TRENDS = "trends"


def open_store(path: Path | str | None = None, *, read_only: bool = False,
               load_bundled: bool = False) -> Store:
    """The store at ``path`` (default: ``$SDGTRACK_DB``, then the per-user data directory).

    With ``load_bundled``, an empty store first gets the bundled UN SDG extract (both
    vintages; the December 2023 one in use), as ``sdgtrack review`` does. Close it when done
    (it is a context manager)."""
    from sdgtrack import pipeline, settings
    from sdgtrack.store import Store

    where = Path(path) if path is not None else settings.default_db_path()
    if load_bundled and not read_only:
        with Store(where) as store:
            pipeline.load_bundled(store)
    return Store(where, read_only=read_only)


def load_bundled(store: Store) -> list[DatasetResult]:
    """Load the bundled UN SDG extract's vintages that the store lacks (none when it has
    them); returns what each load did."""
    from sdgtrack import pipeline

    return pipeline.load_bundled(store)


@dataclass(frozen=True)
class AssessmentResult:
    """The ESCAP assessment of one unit (a country or a group), with every number."""

    unit: Unit
    assessment: Assessment

    def _rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame.unit == self.unit.code].reset_index(drop=True)

    @property
    def snapshot(self) -> pd.DataFrame:
        """Goal × Current Status Index, expected progress and status."""
        return self._rows(self.assessment.snapshot)

    @property
    def dashboard(self) -> pd.DataFrame:
        """Target × Anticipated Progress Index and class."""
        return self._rows(self.assessment.dashboard)

    @property
    def indicators(self) -> pd.DataFrame:
        """Sub-indicator × the values, target and indices behind the goals and targets."""
        return self._rows(self.assessment.subindicators)

    def to_dict(self) -> dict[str, Any]:
        """What ``sdgtrack assess --format json`` prints."""
        from sdgtrack.assess import unit_report

        return unit_report(self.assessment, self.unit.code)


def assess_progress(store: Store, *, group: str | None = None, area: str | None = None,
           members: list[str] | None = None, baseline: int = 2015,
           projection: Projection | str = Projection.REGRESSION,
           aggregate: Aggregate | str = Aggregate.MEAN,
           spec: Path | None = None) -> AssessmentResult:
    """ESCAP progress assessment (an ``AssessmentResult``) of exactly one of: a ``group``
    (``escap``, ``ldc`` …), an ``area`` (M49 or ISO3) or your own ``members`` (M49 or
    ISO3 codes)."""
    from sdgtrack.assess import EscapParameters, assess_units
    from sdgtrack.errors import UsageError

    if sum(x is not None for x in (group, area, members)) != 1:
        raise UsageError("Give exactly one of group, area or members.")
    params = EscapParameters(baseline_year=baseline, projection=str(Projection(projection)),
                             aggregate=str(Aggregate(aggregate)))
    result, unit = assess_units(store, group=group, area=area,
                                members=",".join(members) if members is not None else None,
                                params=params, spec=spec)
    return AssessmentResult(unit, result)


@dataclass(frozen=True)
class GapsResult:
    """LNOB gaps between population groups: one row per series × area × year × comparison
    (``gaps``), and how each gap moved over the years (``trends``)."""

    gaps: pd.DataFrame
    trends: pd.DataFrame

    def summary(self, kind: GapSummary | str = GapSummary.NONE) -> pd.DataFrame:
        """The latest gap per series and area (``none``), or a summary by country,
        dimension, goal, or the trends."""
        from sdgtrack import framework
        from sdgtrack.lnob import gaps as g

        kind = GapSummary(kind)
        if kind is GapSummary.COUNTRY:
            return g.country_summary(self.gaps, self.trends)
        if kind is GapSummary.DIMENSION:
            return g.dimension_summary(self.gaps, self.trends)
        if kind is GapSummary.GOAL:
            links = framework.table("series_indicators").to_pandas()
            links["goal"] = links.indicator.str.split(".").str[0].astype(int)
            return g.goal_summary(self.gaps, self.trends, links[["series_code", "goal"]])
        if kind is GapSummary.TRENDS:
            return self.trends
        return g.latest_gaps(self.gaps)


def lnob_gaps(store: Store, *, areas: list[str] | None = None, group: str | None = None,
              series: list[str] | None = None,
              dimensions: list[str] | None = None) -> GapsResult:
    """Gaps between groups (female/male, rural/urban, poorest/richest …) in the store's
    disaggregations, for the given areas (M49 or ISO3) and the members of ``group``."""
    from sdgtrack import framework
    from sdgtrack.assess import load_spec
    from sdgtrack.errors import UsageError
    from sdgtrack.lnob import gaps as g

    codes = [framework.resolve_area(a) for a in areas or []]
    if group:
        codes += framework.group_members(group)
    obs = store.table("observations_current")
    if codes:
        obs = obs.filter(obs.ref_area.isin(codes))
    if series:
        obs = obs.filter(obs.series_code.isin(series))
    chosen = tuple(c for c in g.COMPARISONS if not dimensions or c.dimension in dimensions)
    if not chosen:
        raise UsageError(f"Unknown dimension(s) {', '.join(dimensions or [])}; the "
                         f"comparisons are over {', '.join(c.dimension for c in g.COMPARISONS)}.")
    table = g.gaps(g.paired_values(obs, chosen), g.directions(load_spec()))
    return GapsResult(table, g.gap_trends(table))


@dataclass(frozen=True)
class SdrResult:
    """SDSN SDG Index: one row per country (index, rank, goal scores, dashboards, trends) and
    one per country × indicator."""

    countries: pd.DataFrame
    indicators: pd.DataFrame


def sdr_scores(store: Store | None = None, *, database: Path | None = None,
               table: Path | None = None, group: str = "escap",
               max_missing: float = 0.22) -> SdrResult:
    """The SDR scores from an SDR database release (``database``: its CSV folder or
    workbook), or from the store's data with an SDR-style parameter ``table`` (default: the
    shipped example) for the members of ``group``."""
    from sdgtrack.assess.sdr import SdrParameters, compute_sdr
    from sdgtrack.errors import UsageError

    inputs: object
    if database is not None:
        from sdgtrack.ingest.sdr import read_sdr

        inputs = read_sdr(database)
    elif store is None:
        raise UsageError("Give a store, or an SDR database release (database=...).")
    else:
        from sdgtrack.assess import sdr_store

        inputs = sdr_store.sdr_inputs(store.table("observations_current"),
                                      sdr_store.read_table(table), sdr_store.regions_of(group))
    countries, per_indicator = compute_sdr(inputs, SdrParameters(max_missing_share=max_missing))
    return SdrResult(countries, per_indicator)


def country_profile(store: Store, area: str, out: Path, *, lang: str = "en",
                    fmt: str | None = None) -> Path:
    """Write the country profile of ``area`` (pdf or html, by ``fmt`` or the suffix)."""
    from sdgtrack.publish.report import write_country_profile

    return write_country_profile(_site(store), area, out, fmt=fmt, lang=lang)


def vnr_annex(store: Store, area: str, out: Path, *, since: int, lang: str = "en",
              fmt: str | None = None) -> Path:
    """Write the VNR statistical annex of ``area`` since the review of ``since`` (xlsx or
    pdf)."""
    from sdgtrack.publish.report import write_vnr_annex

    return write_vnr_annex(_site(store), area, since, out, fmt=fmt, lang=lang)


def regional_report(store: Store, out: Path, *, group: str = "escap", lang: str = "en",
                    fmt: str | None = None) -> Path:
    """Write the regional progress report of ``group`` (pdf or html)."""
    from sdgtrack.publish.report import write_regional_report

    return write_regional_report(_site(store), out, group=group, fmt=fmt, lang=lang)


def _site(store: Store) -> Any:
    from sdgtrack.publish.site.data import SiteData

    return SiteData(store, frozen=True)


class TrendWeights(enum.StrEnum):
    """Weights of the pre-pandemic trend: ESCAP's time weights, or equal (plain OLS)."""

    LINEAR = "linear"
    EQUAL = "equal"


class CovidSummary(enum.StrEnum):
    """The COVID-19 setback tables: every series, or shares of series in each class."""

    NONE = "none"
    UNIT = "unit"
    GOAL = "goal"


@dataclass(frozen=True)
class CovidResult:
    """The COVID-19 setback (``assess.covid``): one row per unit × sub-indicator with data
    (``series``: trend, compared year, observed and projected values, interval, shortfall,
    years lost, class), and the parameters that produced it."""

    series: pd.DataFrame
    parameters: dict[str, Any]

    def summary(self, by: CovidSummary | str = CovidSummary.UNIT) -> pd.DataFrame:
        """Per unit (``unit``) or unit × goal (``goal``): series in each class, their
        shares and the median years lost; ``none``: the series rows."""
        from sdgtrack.assess.covid import summary

        by = CovidSummary(by)
        if by is CovidSummary.NONE:
            return self.series
        keys = ["unit", "unit_name", "unit_kind"] + (["goal"] if by is CovidSummary.GOAL
                                                      else [])
        return summary(self.series, keys)

    def to_dict(self) -> dict[str, Any]:
        """What ``sdgtrack covid --format json`` prints."""
        from sdgtrack.assess.run import records

        return {"method": {"name": "COVID-19 setback against the pre-2020 trend",
                           "parameters": self.parameters},
                "summary": records(self.summary(CovidSummary.UNIT)),
                "goals": records(self.summary(CovidSummary.GOAL)),
                "series": records(self.series)}


def covid_setback(store: Store, *, group: str | None = None, area: str | None = None,
                  series: str | None = None, weights: TrendWeights | str = TrendWeights.LINEAR,
                  level: float = 0.95, compare: str = "latest") -> CovidResult:
    """How far COVID-19 set each series back: the 2015-2019 trend projected through
    2020-2023 against what was observed, for a ``group``, an ``area``, or (neither) the
    region, its five subregions and every member country; ``series`` keeps one series."""
    from sdgtrack.assess import compute, country_unit, group_unit, load_spec, standard_units
    from sdgtrack.assess.covid import CovidParameters, of_assessment
    from sdgtrack.errors import UsageError

    if group is not None and area is not None:
        raise UsageError("Give a group or an area, not both.")
    units = ([group_unit(group)] if group else [country_unit(area)] if area
             else standard_units())
    p = CovidParameters(weights=str(TrendWeights(weights)), level=level, compare=compare)
    rows = of_assessment(compute(store.table("observations_current"), load_spec(), units), p)
    if series is not None:
        rows = rows[rows.series_code == series].reset_index(drop=True)
        if rows.empty:
            raise UsageError(f"{series!r} is not a series of the assessment specification "
                             "with data for these units (see `sdgtrack series`).")
    return CovidResult(rows, p.as_dict())


class ProbabilityLevel(enum.StrEnum):
    """Which rows of the probability: sub-indicators, indicators or targets."""

    SERIES = "series"
    INDICATOR = "indicator"
    TARGET = "target"


@dataclass(frozen=True)
class ProbabilityResult:
    """The probability that each series, indicator and target reaches its 2030 target
    (``assess.probability``), each target beside its ESCAP class."""

    series: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    parameters: dict[str, Any]

    def table(self, level: ProbabilityLevel | str = ProbabilityLevel.TARGET) -> pd.DataFrame:
        """The rows of one level."""
        return {"series": self.series, "indicator": self.indicators,
                "target": self.targets}[str(ProbabilityLevel(level))]

    def to_dict(self) -> dict[str, Any]:
        """What ``sdgtrack probability --format json`` prints."""
        from sdgtrack.assess.run import records

        return {"method": {"name": "Probability of reaching the 2030 target (bootstrap)",
                           "parameters": self.parameters},
                "targets": records(self.targets), "indicators": records(self.indicators),
                "series": records(self.series)}


def target_probability(store: Store, *, group: str | None = None, area: str | None = None,
                       draws: int = 1000, seed: int = 2030) -> ProbabilityResult:
    """The probability of reaching each target by 2030, by a seeded bootstrap of the ESCAP
    trend, for a ``group``, an ``area``, or (neither) the region, its five subregions and
    every member country."""
    from sdgtrack.assess import compute, country_unit, group_unit, load_spec, standard_units
    from sdgtrack.assess.probability import ProbabilityParameters, of_assessment
    from sdgtrack.errors import UsageError

    if group is not None and area is not None:
        raise UsageError("Give a group or an area, not both.")
    units = ([group_unit(group)] if group else [country_unit(area)] if area
             else standard_units())
    p = ProbabilityParameters(draws=draws, seed=seed)
    got = of_assessment(compute(store.table("observations_current"), load_spec(), units), p)
    return ProbabilityResult(got["series"], got["indicators"], got["targets"], p.as_dict())


@dataclass(frozen=True)
class BacktestResult:
    """How well the probability's intervals held: fitted to 2015, its 80 % intervals for
    2016-2022 against what the countries then observed (``values``), the coverage by goal
    and by years ahead, raw and calibrated, and the calibration the back-test gives."""

    values: pd.DataFrame
    by_goal: pd.DataFrame
    by_ahead: pd.DataFrame
    overall: dict[str, float]
    calibration: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        from sdgtrack.assess.run import records
        from sdgtrack.model import json_value

        return {"overall": {k: json_value(v) for k, v in self.overall.items()},
                "calibration": {k: json_value(v) for k, v in self.calibration.items()},
                "by_goal": records(self.by_goal), "by_ahead": records(self.by_ahead)}


def probability_backtest(store: Store) -> BacktestResult:
    """The back-test of ``target_probability`` on the store's member countries."""
    from sdgtrack.assess import compute, load_spec, standard_units
    from sdgtrack.assess.probability import backtest_units

    units = [u for u in standard_units() if u.kind == "country"]
    got = backtest_units(compute(store.table("observations_current"), load_spec(), units))
    return BacktestResult(**got)
