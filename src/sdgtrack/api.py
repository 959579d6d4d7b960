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
