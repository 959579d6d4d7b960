"""What the pages show, computed once per store version and kept: the assessments of the
standard units, the framework, data availability. A page is then a lookup, not a recomputation;
loading new data changes the version and the next request recomputes."""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
import pyarrow as pa

from sdgtrack import framework, settings
from sdgtrack.assess import (
    Assessment,
    EscapParameters,
    compute,
    group_unit,
    load_spec,
    standard_units,
    unit_report,
)
from sdgtrack.assess.run import records
from sdgtrack.assess.spec import SPEC_VERSION
from sdgtrack.lnob import gaps as lnob_gaps
from sdgtrack.model import is_missing
from sdgtrack.store import Store, queries
from sdgtrack.store import evidence as stakeholder_evidence
from sdgtrack.store.surveys import survey_analyses, surveys_version

#: Groups with their own page besides the ESCAP region and subregions.
EXTRA_GROUPS = ("ldc", "lldc", "sids")
#: Seconds between two checks of the store version.
VERSION_TTL = 1.0
#: How many answers to API queries are kept (most recently used first).
RECENT = 2048
SUBREGIONS = ("escap_enea", "escap_sea", "escap_sswa", "escap_nca", "escap_pacific")


def store_version(store: Store) -> str:
    """Changes whenever a load is added or switched, or the framework or spec changes; after
    the ``|``, whenever a survey analysis is saved or removed or stakeholder evidence is
    approved or withdrawn (shown on the pages, not used by the assessment)."""
    (loads, current) = store.con.execute(
        "SELECT count(*), coalesce(string_agg(CAST(load_id AS VARCHAR), ',' ORDER BY load_id),"
        " '') FROM current_loads").fetchall()[0]
    return (f"{loads}:{current}:{framework.checksum()}:{SPEC_VERSION}|"
            f"{surveys_version(store)}:{stakeholder_evidence.version(store)}")


def _data_part(version: str) -> str:
    """The part of a store version the assessment depends on."""
    return version.split("|", 1)[0]


@dataclass
class Results:
    """Everything computed for one store version."""

    version: str
    assessment: Assessment
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)


class SiteData:
    """The store behind the pages, with results cached per store version (thread-safe:
    the web server answers from several threads, DuckDB wants one at a time)."""

    def __init__(self, store: Store, params: EscapParameters | None = None,
                 frozen: bool = False) -> None:
        self.store = store
        #: A read-only store that cannot change under us (a static-site build): the version
        #: is looked up once, not before every page.
        self.frozen = frozen
        self.params = params or EscapParameters()
        self.lock = threading.RLock()
        self._results: Results | None = None
        self._version: str | None = None  # the store version last looked up
        self._cache: dict[Any, Any] = {}
        self._checked = 0.0
        self._frozen_version: str | None = None
        self._recent: OrderedDict[Any, Any] = OrderedDict()
        self._recent_bytes = 0
        self._last: dict[Any, Any] = {}  # see last()

    # -- versioned results -------------------------------------------------------------

    def results(self) -> Results:
        if self.frozen and self._results is not None:
            return self._results
        with self.lock:
            version = self.version()
            if self._results is None or self._results.version != version:
                if (self._results is not None
                        and _data_part(self._results.version) == _data_part(version)):
                    assessment = self._results.assessment  # only surveys or evidence changed
                else:
                    units = standard_units() + [group_unit(g) for g in EXTRA_GROUPS]
                    assessment = compute(self.store.table("observations_current"),
                                         load_spec(), units, self.params)
                self._results = Results(version, assessment)
            return self._results

    def refresh(self) -> None:
        """Look the store version up at the next request (after a write of our own, so the
        writer sees the new values on the next page, not a second later)."""
        with self.lock:
            self._checked = 0.0

    def evidence(self, code: str | None = None, area: str | None = None
                 ) -> list[dict[str, Any]]:
        """Approved stakeholder evidence (non-official) for a code and/or an area (read once
        per store version: a site build asks on every country, goal and indicator page)."""
        def make() -> list[dict[str, Any]]:
            with self.lock:
                return stakeholder_evidence.approved(self.store)

        every: list[dict[str, Any]] = self.cached("evidence", make)
        return [e for e in every if code in (None, e["code"]) and area in (None, e["ref_area"])]

    def version(self) -> str:
        """The store version, looked up at most once a second (every page asks for it); once
        for a frozen store. It never computes anything: a page that needs no assessment
        (sign-in, a series) is answered without one."""
        if self.frozen:
            with self.lock:
                if self._frozen_version is None:
                    self._frozen_version = store_version(self.store)
                return self._frozen_version
        now = time.monotonic()
        with self.lock:
            if self._version is None or now - self._checked > VERSION_TTL:
                self._checked = now
                version = store_version(self.store)
                if self._version is not None and version != self._version:
                    self._cache = {}  # what was kept is for the old version
                    self._recent.clear()
                    self._recent_bytes = 0
                self._version = version
            return self._version

    def report(self, unit: str) -> dict[str, Any]:
        r = self.results()
        with self.lock:
            if unit not in r.reports:
                r.reports[unit] = unit_report(r.assessment, unit)
            return r.reports[unit]

    def cached(self, key: Any, make: Any) -> Any:
        """A value computed once per store version (charts, availability, page contexts)."""
        version = self.version()
        with self.lock:
            if (version, key) not in self._cache:
                self._cache[(version, key)] = make()
            return self._cache[(version, key)]

    def peek(self, key: Any, version: str | None = None) -> Any:
        """A value already computed for ``version`` (by default the current), or None."""
        return self._cache.get((version or self.version(), key))

    def remember(self, key: Any, make: Any, version: str | None = None) -> Any:
        """Like ``cached``, but for keys without bound (API queries): only the most recent
        ``RECENT`` of them, and at most ``SDGTRACK_ANSWERS_MAX_BYTES`` of bytes, are kept
        (200 answers of 10,000 rows each grew the server by 1.4 GiB when only their number
        was bounded); an answer over an eighth of that is not kept. ``version``: the store
        version ``make`` is for (by default the current one)."""
        version = version or self.version()
        with self.lock:
            hit = self._recent.get((version, key))
            if hit is not None:
                self._recent.move_to_end((version, key))
                return hit
        value = make()
        size = _size(value)
        budget = settings.get_int("answers_max_bytes")
        if size > budget // 8:  # one answer may not push out every other
            return value
        with self.lock:
            if (version, key) not in self._recent:
                self._recent[(version, key)] = value
                self._recent_bytes += size
            while len(self._recent) > RECENT or self._recent_bytes > budget:
                _, dropped = self._recent.popitem(last=False)
                self._recent_bytes -= _size(dropped)
        return value

    def peek_recent(self, key: Any, version: str | None = None) -> Any:
        """What ``remember`` kept for ``key`` (for ``version``, by default the current)."""
        return self._recent.get((version or self.version(), key))

    def version_now(self) -> str | None:
        """The version known now, when it needs no lookup: looked up less than
        ``VERSION_TTL`` ago, and no write of our own since (``refresh``). Else None, and the
        caller looks it up with ``version`` in a thread: the server's event loop must never
        wait on the store."""
        version = self._version
        if (self.frozen or version is None or self._checked == 0.0
                or time.monotonic() - self._checked > VERSION_TTL):
            return None
        return version

    def gaps(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(gaps by year, gap trends) between population groups, every area (lnob.gaps);
        directions from the assessment specification, then the LNOB table."""
        def make() -> tuple[pd.DataFrame, pd.DataFrame]:
            directions = lnob_gaps.directions(load_spec())
            with self.lock:
                pairs = lnob_gaps.paired_values(self.store.table("observations_current"))
            table = lnob_gaps.gaps(pairs, directions)
            return table, lnob_gaps.gap_trends(table)

        return self.cached("gaps", make)  # type: ignore[no-any-return]

    def sql(self, query: str, params: list[Any] | None = None) -> pd.DataFrame:
        with self.lock:
            return self.store.con.execute(query, params or []).df()

    def facts(self) -> pd.DataFrame:
        """One row: observations, series, areas, first and latest year."""
        return self.cached("facts", lambda: self.sql(
            "SELECT count(*) AS observations, count(DISTINCT series_code) AS series, "
            "count(DISTINCT ref_area) AS areas, min(time_period) AS first_year, "
            "max(time_period) AS latest_year FROM observations_current"))

    def loads(self, current: bool = False) -> pd.DataFrame:
        """The loads behind the pages (``current``), or every load with its checksum."""
        if current:
            return self.cached("current_loads", lambda: self.sql(
                "SELECT dataset, load_id, vintage, rows_loaded, loaded_at, path, diff "
                "FROM current_loads ORDER BY load_id"))
        return self.cached("loads", lambda: self.sql(
            "SELECT load_id, dataset, vintage, status, path, reader, checksum, rows_loaded, "
            "loaded_at, sdgtrack_version, diff FROM loads ORDER BY load_id"))

    def conflicts(self) -> dict[str, dict[str, Any]]:
        """Per series: how many of its observations have another source's value beside the
        one in use, and which datasets give the values in use and the others."""
        def make() -> dict[str, dict[str, Any]]:
            with self.lock:
                return self.store.conflicts_by_series()
        return self.cached("conflicts", make)  # type: ignore[no-any-return]

    def precedence(self) -> list[str]:
        return self.cached("precedence", lambda: list(self.store.precedence()))  # type: ignore[no-any-return]

    def warm(self, assessment: bool = True) -> None:
        """Read from the store everything the pages show: a site build does this, and its
        worker processes then never touch the store. Without ``assessment``, only what the
        series pages show (they do not show the assessment)."""
        self.version()
        self.empty()
        self.series_info()
        self.area_names()
        self.surveys()
        self.evidence()
        self.gaps()
        self.conflicts()
        self.precedence()
        if self.frozen:
            self.cached("arrow_by_series", self._arrow_by_series)
        if assessment:
            self.results()
            self.availability()
            self.facts()
            self.loads()
            self.loads(current=True)

    # -- the framework and the data -------------------------------------------------------

    @cached_property
    def goals(self) -> pd.DataFrame:
        return framework.table("goals").to_pandas()

    @cached_property
    def targets(self) -> pd.DataFrame:
        return framework.table("targets").to_pandas()

    @cached_property
    def indicators(self) -> pd.DataFrame:
        return framework.table("indicators").to_pandas().drop_duplicates("indicator")

    @cached_property
    def groups(self) -> pd.DataFrame:
        return framework.table("groups").to_pandas()

    def empty(self) -> bool:
        """True when no load is current: the store is served as empty, not as an error."""
        return bool(self.cached("empty", lambda: self.store.current_load_count() == 0))

    def series(self) -> pd.DataFrame:
        return self.cached("series", lambda: self.sql(
            "SELECT s.series_code, s.description, s.unit_measure, "
            "string_agg(DISTINCT i.indicator, ', ' ORDER BY i.indicator) AS indicators "
            "FROM series_all s LEFT JOIN series_indicators_all i USING (series_code) "
            "WHERE s.series_code IN (SELECT DISTINCT series_code FROM observations_current) "
            "GROUP BY ALL ORDER BY 1"))

    def areas(self) -> pd.DataFrame:
        """The areas with a page: those with data, and those with a saved survey analysis."""
        return self.cached("areas", lambda: self.sql(
            "SELECT ref_area, name, iso3, kind, parent FROM areas_all "
            "WHERE ref_area IN (SELECT DISTINCT ref_area FROM observations_current) "
            "OR list_contains(?, ref_area) ORDER BY name",
            [sorted({s["ref_area"] for s in self.surveys()})]))

    def surveys(self) -> list[dict[str, Any]]:
        """The saved survey analyses (``sdgtrack lnob survey --save``), newest first."""
        def make() -> list[dict[str, Any]]:
            with self.lock:
                return survey_analyses(self.store)

        return self.cached("surveys", make)  # type: ignore[no-any-return]

    def area_names(self) -> dict[str, str]:
        """Area code -> name: the store's (sub-national areas included) over the framework's."""
        return self.cached("area_names", lambda: {
            **framework.area_names(), **dict(zip(self.areas().ref_area, self.areas().name))})

    def area_name(self, code: str) -> str:
        return str(self.area_names().get(code, code))

    def availability(self) -> pd.DataFrame:
        """Per series and area, over the headline rows: data points and the latest year."""
        def make() -> pd.DataFrame:
            with self.lock:
                obs = self.store.table("observations_current")
                return queries.availability(queries.headline(obs)).execute()
        return self.cached("availability", make)

    def series_info(self) -> dict[str, dict[str, Any]]:
        """Series code -> its description, unit and indicators (``series``), once a version."""
        return self.cached("series_info", lambda: {  # type: ignore[no-any-return]
            r["series_code"]: r for r in records(self.series())})

    def series_columns(self, series: str) -> dict[str, list[Any]]:
        """Every current row of one series, by area and year, column by column as Python
        values (None where missing). The pages filter these lists: a series page is then
        plain Python, not a dozen pandas operations. What is kept is the Arrow table (as
        compact as the store's); a frozen store (a site build, which shows every series) is
        read in one query and each series is a slice of it."""
        return self.last(("columns", series), lambda: _columns(self._series_arrow(series)))

    def _series_arrow(self, series: str) -> pa.Table:
        if not self.frozen:
            return self.cached(("arrow", series), lambda: self._arrow(  # type: ignore[no-any-return]
                "SELECT * FROM observations_current WHERE series_code = ? "
                "ORDER BY ref_area, time_period", [series]))
        every, where = self.cached("arrow_by_series", self._arrow_by_series)
        offset, length = where.get(series, (0, 0))
        return every.slice(offset, length)

    def last(self, key: Any, make: Any) -> Any:
        """A value kept only while the same key is asked for again: a site build makes a
        page in each language in turn, then its CSV, and keeping every series as Python
        values would hold the whole table in memory several times over."""
        key = (self.version(), key)
        with self.lock:
            if key not in self._last:
                value = make()
                if len(self._last) >= 2:  # a series' columns and its CSV
                    self._last = {}
                self._last[key] = value
            return self._last[key]

    def arrow(self, query: str, params: list[Any] | None = None) -> pa.Table:
        """A query's answer as an Arrow table (for a bulk download)."""
        return self._arrow(query, params)

    def _arrow(self, query: str, params: list[Any] | None = None) -> pa.Table:
        with self.lock:
            return self.store.con.sql(query, params=params or []).to_arrow_table()

    def _arrow_by_series(self) -> tuple[pa.Table, dict[str, tuple[int, int]]]:
        every = self._arrow("SELECT * FROM observations_current "
                            "ORDER BY series_code, ref_area, time_period")
        codes = every.column("series_code").to_pylist()
        where: dict[str, tuple[int, int]] = {}
        for k, code in enumerate(codes):
            start, _ = where.get(code, (k, 0))
            where[code] = (start, k - start + 1)
        return every, where


def _size(value: Any) -> int:
    """Bytes held by a kept answer: its body (bytes), or a (body, media type) pair."""
    if isinstance(value, bytes | bytearray | str):
        return len(value)
    if isinstance(value, tuple):
        return sum(_size(v) for v in value)
    return sys.getsizeof(value)


def _columns(table: pa.Table) -> dict[str, list[Any]]:
    """Arrow columns as Python lists; a NaN (only possible in a float column) becomes None."""
    out = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        values = column.to_pylist()
        if pa.types.is_floating(column.type):
            values = [None if is_missing(v) else v for v in values]
        out[name] = values
    return out
