"""The audit trail: events (who did what, when) and the history of a series and area across
loads, with the values each load replaced. Reads and one insert; the writes that make the
history (loads, rollbacks) are in ``store.py``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Protocol

import duckdb

from sdgtrack.errors import UsageError
from sdgtrack.model import KEY_NAMES
from sdgtrack.store.backend import next_id


class Store(Protocol):  # what these reads need of a store (store.py imports this module)
    con: duckdb.DuckDBPyConnection


def now() -> datetime:
    """The time of a record: UTC, stored without a zone (every table's times are UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
          ) -> list[dict[str, Any]]:
    """The rows of a query as dicts keyed by column name."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

#: At most this many changed values are listed with a history (the counts are complete).
MAX_CHANGES = 500


def record_event(con: duckdb.DuckDBPyConnection, actor: str | None, action: str, target: str,
                 detail: dict[str, Any] | None = None) -> None:
    """One line of the audit trail, written in the caller's transaction when it has one."""
    con.execute("INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?)",
                [next_id(con, "event_ids"), now(), actor, action, target,
                 json.dumps(detail or {}, default=str)])


def events(store: Store, limit: int = 200) -> list[dict[str, Any]]:
    return _dicts(store, "SELECT * FROM audit_events ORDER BY event_id DESC LIMIT ?", [limit])


def _where(series: str | None, area: str | None, alias: str = "") -> tuple[str, list[Any]]:
    where, params = ["TRUE"], []
    for column, value in (("series_code", series), ("ref_area", area)):
        if value is not None:
            where.append(f"{alias}{column} = ?")
            params.append(value)
    return " AND ".join(where), params


def history(store: Store, series: str | None = None, area: str | None = None,
            limit: int = 200) -> list[dict[str, Any]]:
    """Every load that holds, changed or removed rows of ``series`` in ``area`` (either may be
    None: all), newest first: who, when, which file, and rows of the series and area it has,
    added (not in the load it replaced), changed and removed."""
    if series is None and area is None:
        raise UsageError("Give a series, an area or both: the history of everything at once "
                         "is the list of loads.")
    rows_where, p1 = _where(series, area)
    new_where, p2 = _where(series, area, "n.")
    same_key = " AND ".join(f"o.{k} = n.{k}" for k in KEY_NAMES)
    return _dicts(store, f"""
        WITH held AS (SELECT load_id, count(*) AS rows FROM observations
                      WHERE {rows_where} GROUP BY load_id),
             added AS (SELECT n.load_id, count(*) AS added FROM observations n
                       JOIN loads l USING (load_id)
                       WHERE {new_where} AND NOT EXISTS (SELECT 1 FROM observations o
                             WHERE o.load_id = l.replaces AND {same_key})
                       GROUP BY n.load_id),
             changes AS (SELECT load_id,
                                count(*) FILTER (WHERE change = 'changed') AS changed,
                                count(*) FILTER (WHERE change = 'removed') AS removed
                         FROM load_changes WHERE {rows_where} GROUP BY load_id)
        SELECT l.load_id, l.dataset, l.status, l.loaded_at, l.submitted_by, l.file_name,
               l.checksum, l.size_bytes, l.reader, l.replaces, l.rolled_back_at,
               l.rolled_back_by, coalesce(h.rows, 0) AS rows, coalesce(a.added, 0) AS added,
               coalesce(c.changed, 0) AS changed, coalesce(c.removed, 0) AS removed
        FROM loads l LEFT JOIN held h USING (load_id) LEFT JOIN added a USING (load_id)
             LEFT JOIN changes c USING (load_id)
        WHERE h.load_id IS NOT NULL OR c.load_id IS NOT NULL
        ORDER BY l.load_id DESC LIMIT ?""", [*p1, *p2, *p1, limit])


def changes(store: Store, load_ids: list[int], series: str | None = None,
            area: str | None = None) -> list[dict[str, Any]]:
    """The previous (and new) value of each row the loads changed or removed."""
    if not load_ids:
        return []
    where, params = _where(series, area)
    marks = ", ".join("?" * len(load_ids))
    return _dicts(store, f"""
        SELECT * FROM load_changes WHERE load_id IN ({marks}) AND {where}
        ORDER BY load_id DESC, series_code, ref_area, time_period LIMIT ?""",
                  [*load_ids, *params, MAX_CHANGES])


def _dicts(store: Store, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return dicts(store.con, sql, params)
