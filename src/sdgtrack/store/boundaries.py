"""Sub-national boundaries kept with the load that brought them (``ingest.boundaries``): the
maps draw those of current loads only, so a rolled-back or superseded repository's map goes
with its data."""

from __future__ import annotations

import json
from typing import Any

import duckdb

DDL = """CREATE TABLE IF NOT EXISTS boundaries (
    ref_area VARCHAR, parent VARCHAR, name VARCHAR, geometry VARCHAR, source_file VARCHAR,
    load_id BIGINT)"""


def save(con: duckdb.DuckDBPyConnection, load_id: int, rows: list[dict[str, Any]]) -> None:
    con.execute(DDL)
    con.executemany(
        "INSERT INTO boundaries VALUES (?, ?, ?, ?, ?, ?)",
        [[r["ref_area"], r["parent"], r["name"], r["geometry"], r["source_file"], load_id]
         for r in rows])


def current(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """Country (M49) -> its features of the latest current load that has any (``ref_area``
    None where a feature matched no area), GeoJSON parsed."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables "
                         "WHERE table_name = 'boundaries'").fetchall()[0][0]
    if not exists:
        return {}
    rows = con.execute(
        "SELECT b.parent, b.ref_area, b.name, b.geometry, b.source_file, b.load_id "
        "FROM boundaries b JOIN loads l USING (load_id) WHERE l.status = 'current' "
        "AND b.parent IS NOT NULL ORDER BY b.load_id, b.name").fetchall()
    latest = {parent: load for parent, *_rest, load in rows}
    out: dict[str, list[dict[str, Any]]] = {}
    for parent, area, name, geometry, source, load in rows:
        if latest[parent] == load:
            out.setdefault(parent, []).append(
                {"ref_area": area, "name": name, "geometry": json.loads(geometry),
                 "source_file": source})
    return out
