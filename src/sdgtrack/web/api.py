"""The HTTP API, ``/api/v1``: framework lists, observations (filtered and paginated, in the
shape of the UN SDG API's ``Series/Data``), bulk downloads (CSV, Parquet, SDMX-CSV),
availability and assessments."""

from __future__ import annotations

import io
import json
from typing import Annotated, Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from pydantic import StringConstraints
from starlette.concurrency import run_in_threadpool

from sdgtrack import framework
from sdgtrack.errors import UsageError
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.publish.export.base import FORMULA_REGEX, NUMBER_REGEX
from sdgtrack.publish.export.sdmx import sdmx_csv_bytes
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.pages import NotFound, records
from sdgtrack.web import answers

MAX_PAGE = 10_000


def _filters(series: list[str] | None, area: list[str] | None, year_from: int | None,
             year_to: int | None, dims: dict[str, list[str]]) -> tuple[str, list[Any]]:
    where, params = ["TRUE"], list[object]()
    if series:
        where.append(f"series_code IN ({', '.join('?' * len(series))})")
        params += series
    if area:
        codes = []
        for a in area:
            try:
                codes.append(framework.resolve_area(a))
            except UsageError:
                codes.append(a)  # a sub-national code
        where.append(f"ref_area IN ({', '.join('?' * len(codes))})")
        params += codes
    if year_from is not None:
        where.append("time_period >= ?")
        params.append(year_from)
    if year_to is not None:
        where.append("time_period <= ?")
        params.append(year_to)
    for dim, codes in dims.items():
        if codes:
            where.append(f"{dim} IN ({', '.join('?' * len(codes))})")
            params += codes
    return " AND ".join(where), params


def _un_shape(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """One observation in the keys of the UN SDG API (``/v1/sdg/Series/Data``)."""
    return {
        "series": row["series_code"], "geoAreaCode": row["ref_area"],
        "geoAreaName": names.get(row["ref_area"], row["ref_area"]),
        "timePeriodStart": row["time_period"], "value": row["value_raw"],
        "valueNumeric": row["value"], "valueQualifier": row["value_qualifier"],
        "time_detail": row["time_detail"], "upperBound": row["upper_bound"],
        "lowerBound": row["lower_bound"], "basePeriod": row["base_period"],
        "source": row["source_detail"], "footnotes": [row["footnote"]] if row["footnote"] else [],
        "attributes": {"Nature": row["nature"], "Units": row["unit_measure"],
                       "UnitMultiplier": row["unit_mult"], "ObservationStatus": row["obs_status"]},
        "dimensions": {d: row[d] for d in DIMENSION_NAMES},
        "provenance": {"dataset": row["dataset"], "load_id": row["load_id"],
                       "file": row["source_file"], "row": row["source_row"]},
    }


def _csv_bytes(table: pa.Table) -> bytes:
    """A table as CSV, formula-like text behind an apostrophe (as ``neutral``)."""
    columns = []
    for name in table.column_names:
        col = table[name]
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            risky = pc.and_(pc.match_substring_regex(col, FORMULA_REGEX),
                            pc.invert(pc.match_substring_regex(col, NUMBER_REGEX)))
            col = pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col)
        columns.append(col)
    out = io.BytesIO()
    pacsv.write_csv(pa.table(columns, names=table.column_names), out,
                    write_options=pacsv.WriteOptions(quoting_style="needed"))
    return out.getvalue()


#: Codes as the store has them, so that an empty value, or a word or number sent where a list
#: of codes goes ('true', '0.0'), is refused rather than ignored: a series code starts with a
#: capital (SH_DYN_MORT), an area is an M49 number or starts with a capital (KAZ, KZAKM), a
#: breakdown code starts with a capital or '_' (F, Y0T4, _T).
SeriesCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z0-9_~.\-]{0,199}$")]
AreaCode = Annotated[str, StringConstraints(
    pattern=r"^([0-9]{1,3}|[A-Z][A-Za-z0-9_.\-]{0,29})$")]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Za-z0-9_~.\-]{0,99}$")]
Series = Annotated[list[SeriesCode] | None,
                   Query(description="Series codes, e.g. SH_DYN_MORT")]
Area = Annotated[list[AreaCode] | None, Query(description="M49 or ISO3 codes")]
Year = Annotated[int | None, Query(ge=1900, le=2100)]
Codes = Annotated[list[Code] | None, Query()]


def register(app: FastAPI, site: SiteData) -> None:  # noqa: C901 - one place for the routes
    dim_help = ", ".join(DIMENSION_NAMES)

    @app.get("/api/v1/goals", tags=["framework"])
    def goals(lang: str = "en") -> list[dict[str, Any]]:
        return records(site.goals)

    @app.get("/api/v1/targets", tags=["framework"])
    def targets(goal: str | None = None) -> list[dict[str, Any]]:
        t = site.targets
        return records(t[t.goal == goal] if goal else t)

    @app.get("/api/v1/indicators", tags=["framework"])
    def indicators(goal: str | None = None) -> list[dict[str, Any]]:
        t = site.indicators
        return records(t[t.goal == goal] if goal else t)

    @app.get("/api/v1/series", tags=["framework"])
    def series_list() -> list[dict[str, Any]]:
        return records(site.series())

    @app.get("/api/v1/areas", tags=["framework"])
    def areas() -> list[dict[str, Any]]:
        return records(site.areas())

    @app.get("/api/v1/observations", tags=["data"],
             description=f"Filter by series, area, years and dimensions ({dim_help}); "
                         "paginated like the UN SDG API.")
    async def observations(request: Request, series: Series = None, area: Area = None,
                           year_from: Year = None, year_to: Year = None, sex: Codes = None,
                           age: Codes = None, urbanisation: Codes = None,
                           income_wealth_quantile: Codes = None,
                           page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                           page_size: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
                           ) -> Response:
        dims = {"sex": sex, "age": age, "urbanisation": urbanisation,
                "income_wealth_quantile": income_wealth_quantile}
        args = (series, area, year_from, year_to, {k: v for k, v in dims.items() if v},
                page, page_size)
        now = await answers.version(site)
        body = await run_in_threadpool(_page, *args)  # kept by answers.keep, by query
        return answers.keep(site, request, Response(body, media_type="application/json"), now)

    def _page(series: list[str] | None, area: list[str] | None, year_from: int | None,
              year_to: int | None, dims: dict[str, list[str]], page: int, page_size: int
              ) -> bytes:
        where, params = _filters(series, area, year_from, year_to, dims)
        total = int(site.sql(f"SELECT count(*) AS n FROM observations_current WHERE {where}",
                             params).n.iloc[0])
        rows = site.sql(f"SELECT * FROM observations_current WHERE {where} ORDER BY "
                        "series_code, ref_area, time_period, sex, age, urbanisation, "
                        "income_wealth_quantile, breakdown LIMIT ? OFFSET ?",
                        [*params, page_size, (page - 1) * page_size])
        names = site.area_names()
        return json.dumps({"size": page_size, "totalElements": total,
                           "totalPages": max(1, -(-total // page_size)), "pageNumber": page,
                           "data": [_un_shape(r, names) for r in records(rows)]},
                          default=str, allow_nan=False).encode("utf-8")

    @app.get("/api/v1/observations.{fmt}", tags=["data"],
             description="Bulk download: fmt is csv, parquet or sdmx.csv.")
    def download(fmt: Literal["csv", "parquet", "sdmx.csv"], series: Series = None,
                 area: Area = None, year_from: Year = None, year_to: Year = None) -> Response:
        where, params = _filters(series, area, year_from, year_to, {})
        query = (f"SELECT * FROM observations_current WHERE {where} "
                 "ORDER BY series_code, ref_area, time_period")
        if fmt == "csv":  # Arrow's writer, not pandas': the whole store in ~1 s, not ~8 s
            body = site.cache.recent(site.versions.current(), ("csv", query, repr(params)),
                                     lambda: _csv_bytes(site.arrow(query, params)))
            return Response(body, media_type="text/csv; charset=utf-8")
        if fmt == "parquet":
            buf = io.BytesIO()
            site.sql(query, params).to_parquet(buf, index=False)
            return Response(buf.getvalue(), media_type="application/vnd.apache.parquet")
        # the writer of `sdgtrack export --format sdmx-csv`, byte for byte
        return Response(sdmx_csv_bytes(site.arrow(query, params)),
                        media_type="text/csv; charset=utf-8")

    @app.get("/api/v1/availability", tags=["data"])
    def availability(series: Series = None, area: Area = None) -> list[dict[str, Any]]:
        a = site.availability()
        if series:
            a = a[a.series_code.isin(series)]
        if area:
            a = a[a.ref_area.isin(area)]
        return records(a.sort_values(["series_code", "ref_area"]))

    @app.get("/api/v1/search", tags=["search"],
             description="The hub's search: goals, targets, indicators, series, areas, the "
                         "forums' records, approved evidence and the methodology. Codes and "
                         "whole names first, then by kind; each result with its page, the "
                         "parts of its title and snippet to mark, and its score.")
    async def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=200)],
                     lang: Literal["en", "zh", "ru"] = "en",
                     limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Response:
        # answered once, then from its bytes (before routing, as observations are)
        now = await answers.version(site)
        body = await run_in_threadpool(_search_bytes, q, lang, limit)  # kept by answers.keep
        return answers.keep(site, request, Response(body, media_type="application/json"), now)

    def _search_bytes(q: str, lang: str, limit: int) -> bytes:
        from sdgtrack.publish import search as hub

        return json.dumps(hub.search(site, lang, q, limit), ensure_ascii=False,
                          allow_nan=False).encode("utf-8")

    @app.get("/api/v1/assessment/{unit}", tags=["assessment"],
             description="ESCAP snapshot, dashboard and the numbers behind them for a group "
                         "(escap, escap_sea, ldc ...) or a country (M49 or ISO3).")
    def assessment(unit: str) -> dict[str, Any]:
        codes = {u.code for u in site.results.assessment().units}
        if unit not in codes:
            try:
                unit = framework.resolve_area(unit)
            except UsageError:
                pass
        if unit not in codes:
            raise NotFound(f"{unit!r} is not assessed; use a group code (escap, escap_sea, "
                           "ldc, lldc, sids ...) or an ESCAP member's M49 or ISO3 code.")
        return site.results.report(unit)
