"""What the pages list about the store itself, as SQL over its views: the headline facts,
the loads, the series with their descriptions, the areas with a page. Each function takes
the store's connection; the caller holds the store's lock."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd


def facts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row: observations, series, areas, first and latest year."""
    return con.execute(
        "SELECT count(*) AS observations, count(DISTINCT series_code) AS series, "
        "count(DISTINCT ref_area) AS areas, min(time_period) AS first_year, "
        "max(time_period) AS latest_year FROM observations_current").df()


def loads(con: duckdb.DuckDBPyConnection, *, current: bool = False) -> pd.DataFrame:
    """The loads behind the pages (``current``), or every load with its checksum."""
    if current:
        return con.execute("SELECT dataset, load_id, vintage, rows_loaded, loaded_at, path, "
                           "diff FROM current_loads ORDER BY load_id").df()
    return con.execute(
        "SELECT load_id, dataset, vintage, status, path, reader, checksum, rows_loaded, "
        "loaded_at, sdgtrack_version, diff FROM loads ORDER BY load_id").df()


def series(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The series with current data: code, description, unit, the indicators they serve."""
    return con.execute(
        "SELECT s.series_code, s.description, s.unit_measure, "
        "string_agg(DISTINCT i.indicator, ', ' ORDER BY i.indicator) AS indicators "
        "FROM series_all s LEFT JOIN series_indicators_all i USING (series_code) "
        "WHERE s.series_code IN (SELECT DISTINCT series_code FROM observations_current) "
        "GROUP BY ALL ORDER BY 1").df()


def areas(con: duckdb.DuckDBPyConnection, also: Iterable[str] = ()) -> pd.DataFrame:
    """The areas with current data, and those in ``also`` (areas with a saved survey)."""
    return con.execute(
        "SELECT ref_area, name, iso3, kind, parent FROM areas_all "
        "WHERE ref_area IN (SELECT DISTINCT ref_area FROM observations_current) "
        "OR list_contains(?, ref_area) ORDER BY name", [sorted(set(also))]).df()
