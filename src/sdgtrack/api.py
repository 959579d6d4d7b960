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
    from sdgtrack.publish.report.profiles import ProfilesWritten
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


class LinkMethod(enum.StrEnum):
    """Interlinkages: within a country over the years (Pradhan et al. 2017), or across a
    group's countries year by year (Kroll et al. 2019)."""

    PRADHAN = "pradhan"
    KROLL = "kroll"


def open_store(path: Path | str | None = None, *, read_only: bool = False,
               load_bundled: bool = False) -> Store:
    """The store at ``path`` (default: ``$SDGTRACK_DB``, then the per-user data directory).

    With ``load_bundled``, an empty store first gets the bundled UN SDG extract (both
    vintages; the December 2023 one in use), as ``sdgtrack review`` does. Close it when done
    (it is a context manager)."""
    from sdgtrack import pipeline, settings
    from sdgtrack.store import Store

    where = path if path is not None else settings.default_db_path()
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
           baseline_window: int | None = None, best_performer_year: int = 2015,
           projection: Projection | str = Projection.REGRESSION,
           aggregate: Aggregate | str = Aggregate.MEAN,
           spec: Path | None = None, targets: Path | None = None,
           annual_rule: dict[str, str] | None = None) -> AssessmentResult:
    """ESCAP progress assessment (an ``AssessmentResult``) of exactly one of: a ``group``
    (``escap``, ``ldc`` …), an ``area`` (M49 or ISO3) or your own ``members`` (M49 or
    ISO3 codes). ``baseline_window``: years after the baseline in which a series' first
    value is its baseline (None: 5 for a 2000 baseline, 3 for 2015);
    ``best_performer_year``: the year the best performers are ranked in; ``targets``: a
    national targets file (``assess/targets.py``), used in place of the specification's
    targets for its country; ``annual_rule``: how financial years, quarters, months and
    ranges give one value a year (``assess.periods.AnnualRule`` fields)."""
    from sdgtrack.assess import EscapParameters, assess_units
    from sdgtrack.assess.periods import AnnualRule
    from sdgtrack.errors import UsageError

    if sum(x is not None for x in (group, area, members)) != 1:
        raise UsageError("Give exactly one of group, area or members.")
    params = EscapParameters(baseline_year=baseline, baseline_max_lag=baseline_window,
                             best_performer_year=best_performer_year,
                             projection=str(Projection(projection)),
                             aggregate=str(Aggregate(aggregate)))
    if annual_rule:
        try:
            params = params.with_(annual=AnnualRule(**annual_rule))
        except (TypeError, ValueError) as exc:
            raise UsageError(str(exc)) from None
    result, unit = assess_units(store, group=group, area=area,
                                members=",".join(members) if members is not None else None,
                                params=params, spec=spec, targets=targets)
    return AssessmentResult(unit, result)


@dataclass(frozen=True)
class MethodsResult:
    """ESCAP, the UNSD Progress Chart and the SDSN trend arrow on the same series, baseline
    and target (``assess.compare``): one row per series in ``table``, with each rule's ratio
    and verdict and, where two disagree, the component that decides it."""

    unit: Any
    table: pd.DataFrame

    @property
    def disagreements(self) -> pd.DataFrame:
        """The rows where the three verdicts are not all the same."""
        return self.table[~self.table.agree].reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """Per pair of rules: rows compared, rows that disagree, and how many of those each
        component decides."""
        import pandas as pd

        rows = []
        for pair in ("escap_vs_unsd", "escap_vs_sdsn", "unsd_vs_sdsn"):
            why = self.table[pair].dropna()
            rows += [{"pair": pair, "compared": len(self.table), "disagree": len(why),
                      "decided_by": reason.split(":")[0], "rows": int(n)}
                     for reason, n in why.value_counts().items()]
        return pd.DataFrame(rows, columns=["pair", "compared", "disagree", "decided_by", "rows"])


def compare_methods(store: Store, *, group: str | None = None, area: str | None = None,
                    members: list[str] | None = None, baseline: int = 2015) -> MethodsResult:
    """The three rules side by side for exactly one of a ``group``, an ``area`` or your own
    ``members`` (``assess.compare.side_by_side`` on the ESCAP assessment's series)."""
    from sdgtrack.assess.compare import side_by_side

    assessed = assess_progress(store, group=group, area=area, members=members,
                               baseline=baseline)
    table = side_by_side(assessed.assessment.subindicators, assessed.assessment.parameters)
    return MethodsResult(assessed.unit, table[table.unit == assessed.unit.code]
                         .reset_index(drop=True))


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


def country_profiles(store: Store, group: str, folder: Path, *, lang: str = "en",
                     fmt: str = "pdf", processes: int = 2) -> ProfilesWritten:
    """Write the country profile of every member of ``group`` into ``folder`` (``NPL.pdf``
    ...): the same files as ``country_profile`` for each, over one read of the store and one
    assessment, shared out between ``processes`` processes. Members without data are
    listed in ``skipped``."""
    from sdgtrack.publish.report.profiles import write_country_profiles

    return write_country_profiles(_site(store), group, folder, fmt=fmt, lang=lang,
                                  processes=processes)


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


@dataclass(frozen=True)
class LinksResult:
    """Interlinkages of one unit. Pradhan: ``pairs`` every indicator pair of its countries
    (ρ, common years, class), ``goals`` goal x goal counts (pairs for a country, countries
    for a group), ``summary`` per goal. Kroll: ``pairs`` goal pairs per year across the
    countries, ``goals`` each goal pair over the years, ``summary`` per goal."""

    unit: Unit
    method: LinkMethod
    pairs: pd.DataFrame
    goals: pd.DataFrame
    summary: pd.DataFrame
    about: dict[str, Any]
    #: With a link table of your own: each link beside what the data say (else None).
    compared: pd.DataFrame | None = None

    def to_dict(self) -> dict[str, Any]:
        """What ``sdgtrack links --format json`` prints: every pair behind every count."""
        from sdgtrack.assess.run import records

        out = {"unit": {"code": self.unit.code, "name": self.unit.name,
                        "kind": self.unit.kind, "members": list(self.unit.members)},
               "method": self.about, "summary": records(self.summary),
               "goals": records(self.goals), "pairs": records(self.pairs)}
        if self.compared is not None:
            out["compared"] = records(self.compared)
        return out


def links(store: Store, *, area: str | None = None, group: str | None = None,
          method: LinkMethod | str = LinkMethod.PRADHAN, goal: int | None = None,
          min_years: int = 8, threshold: float = 0.6, alpha: float = 0.05,
          compare: Path | None = None) -> LinksResult:
    """Interlinkages (synergies and trade-offs) of exactly one of an ``area`` (M49 or ISO3)
    or a ``group`` (``escap`` ...); ``goal`` keeps the pairs that involve that goal;
    ``compare``, a CSV of links of your own (``target_a,target_b,score``: the SEI or IGES
    form), is shown against the data's pairs (Pradhan; a group's members pooled). A
    synergy is co-movement, not a cause."""
    from sdgtrack.assess import country_unit, group_unit, load_spec
    from sdgtrack.assess.links import LinkParameters
    from sdgtrack.assess.links_goals import goal_summary
    from sdgtrack.assess.links_run import compute_kroll, compute_links
    from sdgtrack.errors import UsageError

    if (area is None) == (group is None):
        raise UsageError("Give exactly one of an area (--area KAZ) or a group (--group escap).")
    if goal is not None and not 1 <= goal <= 17:
        raise UsageError(f"There is no goal {goal}; goals are 1 to 17.")
    kind = LinkMethod(method)
    unit = country_unit(area) if area is not None else group_unit(str(group))
    params = LinkParameters(min_years=min_years, threshold=threshold, alpha=alpha)
    obs = store.table("observations_current")
    from sdgtrack.assess.links import HONESTY, METHOD_VERSION

    about: dict[str, Any] = {"method": kind.value, "version": METHOD_VERSION,
                             "parameters": params.as_dict(), "note": HONESTY}
    compared = None
    if kind is LinkMethod.KROLL:
        if compare is not None:
            raise UsageError("A link table is compared with the pairs of series (--method "
                             "pradhan), not with goal scores; leave out --compare.")
        pairs, goals = compute_kroll(obs, load_spec(), [unit], params)
        summary = goal_summary(goals)
    else:
        found = compute_links(obs, load_spec(), [unit], params)
        pairs, goals, summary = found.pairs, found.goals, found.summary
        about["name"] = found.method()["name"]
        if compare is not None:
            from sdgtrack import framework
            from sdgtrack.assess.links_table import compare_links, read_link_table

            targets = set(framework.table("targets").to_pandas().target)
            table = read_link_table(compare, targets)
            mine = pairs[pairs.unit.isin(unit.members)]
            compared = compare_links(table, mine, found.subindicators)
    if unit.kind == "country":
        pairs = pairs[pairs.unit == unit.code]
    goals, summary = goals[goals.unit == unit.code], summary[summary.unit == unit.code]
    if goal is not None:
        pairs = pairs[(pairs.goal_a == goal) | (pairs.goal_b == goal)]
        goals = goals[(goals.goal_a == goal) | (goals.goal_b == goal)]
        summary = summary[summary.goal == goal]
    return LinksResult(unit, kind, pairs.reset_index(drop=True), goals.reset_index(drop=True),
                       summary.reset_index(drop=True), about, compared)


@dataclass(frozen=True)
class RecordsAdded:
    """What ``add_records`` did: the forum, how many records, and whether anything changed
    (adding the same file again changes nothing)."""

    forum: str
    records: int
    changed: bool
    kinds: dict[str, int]


def add_records(store: Store, path: Path, *, actor: str | None = None) -> RecordsAdded:
    """Add a forum's records from ``path`` (YAML or CSV in the schema of
    ``sdgtrack/records/SCHEMA.md``); a forum already in the store is replaced whole. A file
    with any problem is refused (``DataError``, one ``Issue`` per problem) and nothing is
    written."""
    import hashlib
    from collections import Counter

    from sdgtrack import records
    from sdgtrack.store import forums

    forum, rows = records.read(Path(path))
    checksum = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    changed = forums.replace(store, forum.as_dict(), [r.as_dict() for r in rows],
                             Path(path).name, checksum, actor)
    return RecordsAdded(forum.id, len(rows), changed, dict(Counter(r.kind for r in rows)))


def forum_records(store: Store | None = None, *, goal: int | None = None,
                  kind: str | None = None) -> pd.DataFrame:
    """The forums' records (bundled, and those added to ``store``), one row per record:
    forum, id, kind, paragraph number, goals, indicators, texts; filtered by ``goal`` and
    ``kind``."""
    import pandas as pd

    from sdgtrack.records.stored import every_record

    rows = [r.as_dict() | {"number": r.number} for r in every_record(store)
            if (goal is None or goal in r.goals) and (kind is None or r.kind == kind)]
    return pd.DataFrame(rows)


def search(store: Store, query: str, *, lang: str = "en", limit: int = 20) -> dict[str, Any]:
    """The hub's search over the store and the forums' records (what ``sdgtrack search``
    and ``/api/v1/search`` answer): ``results`` best first, ``groups`` by kind, ``total``."""
    from sdgtrack.errors import UsageError
    from sdgtrack.publish import search as hub

    if lang not in ("en", "zh", "ru"):
        raise UsageError(f"Unknown language {lang!r}: use en, zh or ru.")
    return hub.search(_site(store), lang, query, limit)
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
