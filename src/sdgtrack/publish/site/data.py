"""The page data: what the pages show about the store, read once per store version. The
store version (``version.StoreVersion``), the computed results (``results.Results``) and the
one cache (``cache.Cache``) are separate objects that ``SiteData`` holds; a page is a lookup,
not a recomputation, and loading new data changes the version, so the next request reads
and computes again."""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

import pandas as pd
import pyarrow as pa

from sdgtrack import framework
from sdgtrack.assess import EscapParameters
from sdgtrack.assess.run import records
from sdgtrack.framework import codelists
from sdgtrack.model import is_missing
from sdgtrack.publish.site.cache import Cache
from sdgtrack.publish.site.results import EXTRA_GROUPS, Results
from sdgtrack.publish.site.version import StoreVersion
from sdgtrack.store import Store, queries, summaries
from sdgtrack.store import evidence as stakeholder_evidence
from sdgtrack.store import metadata as stored_metadata
from sdgtrack.store.surveys import survey_analyses

__all__ = ["EXTRA_GROUPS", "SUBREGIONS", "SiteData"]

SUBREGIONS = ("escap_enea", "escap_sea", "escap_sswa", "escap_nca", "escap_pacific")


class SiteData:
    """The store behind the pages (thread-safe: the web server answers from several
    threads, DuckDB wants one at a time, so every read holds ``lock``).

    - ``versions``: the store version; asking it never computes anything;
    - ``results``: the assessment, the unit reports, the LNOB gaps;
    - ``cache``: the one cache, by store version (page contexts, page bytes, answers);
    - the methods below: the page data, each read once per version.

    ``frozen``: a read-only store that cannot change under us (a static-site build, a
    document): the version is looked up once, not before every page. ``whole``: every page
    will be asked for (a site build), so what is computed per unit is computed for all at
    once; a document or a server computes one unit's when it asks for one."""

    def __init__(self, store: Store, params: EscapParameters | None = None,
                 frozen: bool = False) -> None:
        self.store = store
        self.frozen = frozen
        self.whole = False
        self.lock = threading.RLock()
        self.cache = Cache(self.lock)
        self.versions = StoreVersion(store, self.lock, frozen=frozen,
                                     on_change=self.cache.clear)
        self.results = Results(store, self.lock, self.versions, self.cache, params)

    def cached(self, key: Any, make: Any) -> Any:
        """A value made once for the current store version (``Cache.kept``)."""
        return self.cache.kept(self.versions.current(), key, make)

    def _read(self, key: str, query: Any) -> Any:
        """``query(con)`` on the store under the lock, once per version."""
        def make() -> Any:
            with self.lock:
                return query(self.store.con)
        return self.cached(key, make)

    def boundaries(self) -> dict[str, list[dict[str, Any]]]:
        """Country -> its sub-national boundaries, for the maps (``store.boundaries``)."""
        from sdgtrack.store import boundaries

        return self._read("boundaries", boundaries.current)  # type: ignore[no-any-return]

    def evidence(self, code: str | None = None, area: str | None = None
                 ) -> list[dict[str, Any]]:
        """Approved stakeholder evidence (non-official) for a code and/or an area (read once
        per store version: a site build asks on every country, goal and indicator page)."""
        every: list[dict[str, Any]] = self._read(
            "evidence", lambda _: stakeholder_evidence.approved(self.store))
        return [e for e in every if code in (None, e["code"]) and area in (None, e["ref_area"])]

    def sql(self, query: str, params: list[Any] | None = None) -> pd.DataFrame:
        with self.lock:
            return self.store.con.execute(query, params or []).df()

    def facts(self) -> pd.DataFrame:
        """One row: observations, series, areas, first and latest year."""
        return self._read("facts", summaries.facts)  # type: ignore[no-any-return]

    def loads(self, current: bool = False) -> pd.DataFrame:
        """The loads behind the pages (``current``), or every load with its checksum."""
        return self._read(  # type: ignore[no-any-return]
            "current_loads" if current else "loads",
            lambda con: summaries.loads(con, current=current))

    def conflicts(self) -> dict[str, dict[str, Any]]:
        """Per series: how many of its observations have another source's value beside the
        one in use, and which datasets give the values in use and the others."""
        return self._read(  # type: ignore[no-any-return]
            "conflicts", lambda _: self.store.conflicts_by_series())

    def national_metadata(self) -> list[dict[str, Any]]:
        """The current loads' national metadata rows (``store.metadata``), once a version."""
        return self._read(  # type: ignore[no-any-return]
            "national_metadata", lambda con: stored_metadata.current(con))

    def precedence(self) -> list[str]:
        return self._read("precedence", lambda _: list(self.store.precedence()))  # type: ignore[no-any-return]

    def warm(self, assessment: bool = True) -> None:
        """Read from the store everything the pages show: a site build does this, and its
        worker processes then never touch the store. Without ``assessment``, only what the
        series pages show (they do not show the assessment)."""
        self.versions.current()
        self.empty()
        self.series_info()
        self.area_names()
        self.national_labels()
        self.surveys()
        self.evidence()
        self.results.gaps()
        self.conflicts()
        self.precedence()
        self.boundaries()
        self.areas()
        self.national_metadata()
        if self.frozen:
            self.cached("arrow_by_series", self._arrow_by_series)
        if assessment:
            self.results.assessment()
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
        return bool(self._read("empty", lambda _: self.store.current_load_count() == 0))

    def series(self) -> pd.DataFrame:
        return self._read("series", summaries.series)  # type: ignore[no-any-return]

    def areas(self) -> pd.DataFrame:
        """The areas with a page: those with data, and those with a saved survey analysis."""
        also = {s["ref_area"] for s in self.surveys()}
        return self._read("areas", lambda con: summaries.areas(con, also))  # type: ignore[no-any-return]

    def surveys(self) -> list[dict[str, Any]]:
        """The saved survey analyses (``sdgtrack lnob survey --save``), newest first."""
        return self._read("surveys", lambda _: survey_analyses(self.store))  # type: ignore[no-any-return]

    def area_names(self) -> dict[str, str]:
        """Area code -> name: the store's (sub-national areas included) over the framework's."""
        return self.cached("area_names", lambda: {
            **framework.area_names(), **dict(zip(self.areas().ref_area, self.areas().name))})

    def area_name(self, code: str) -> str:
        return str(self.area_names().get(code, code))

    def national_labels(self) -> dict[tuple[str, str], dict[str, str]]:
        """(dimension, code) -> language -> label: a national repository's own words for
        its codes (``ingest.code_labels``), from the current loads."""
        def make() -> dict[tuple[str, str], dict[str, str]]:
            out: dict[tuple[str, str], dict[str, str]] = {}
            with self.lock:
                try:
                    rows = self.store.con.execute(
                        "SELECT dimension, code, lang, label FROM codes_declared SEMI JOIN "
                        "current_loads USING (load_id) ORDER BY load_id").fetchall()
                except Exception:  # noqa: BLE001 - a store made before the table: none
                    rows = []
            for dim, code, lang, text in rows:
                out.setdefault((dim, code), {})[lang] = text
            return out
        return self.cached("national_labels", make)  # type: ignore[no-any-return]

    def code_label(self, dimension: str, code: str | None, lang: str = "en") -> str:
        """A code in words in ``lang``: the SDG code lists' label, else the national
        repository's (its language's, else its English), else as the code lists read it."""
        if code and not codelists.listed(dimension, code):
            words = self.national_labels().get((dimension, code))
            if words:
                return words.get(lang) or words.get("en") or next(iter(words.values()))
        return codelists.label(dimension, code, lang)

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
        return self.cache.last(self.versions.current(), ("columns", series),
                               lambda: _columns(self._series_arrow(series)))

    def _series_arrow(self, series: str) -> pa.Table:
        if not self.frozen:
            return self.cached(("arrow", series), lambda: self._arrow(  # type: ignore[no-any-return]
                "SELECT * FROM observations_current WHERE series_code = ? "
                "ORDER BY ref_area, time_period", [series]))
        every, where = self.cached("arrow_by_series", self._arrow_by_series)
        offset, length = where.get(series, (0, 0))
        return every.slice(offset, length)

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


def _columns(table: pa.Table) -> dict[str, list[Any]]:
    """Arrow columns as Python lists; a NaN (only possible in a float column) becomes None."""
    out = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        values = column.to_pylist()
        if pa.types.is_floating(column.type):
            values = [None if is_missing(v) else v for v in values]
        out[name] = values
    return out
