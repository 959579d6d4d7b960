"""Forums' records added with ``sdgtrack records add`` (the bundled ones are package data,
``sdgtrack.records``). A forum is kept whole: adding a forum again replaces its records in
one transaction, so a refused or interrupted add leaves the store as it was."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import duckdb

from sdgtrack.store.audit import now, record_event

if TYPE_CHECKING:
    from sdgtrack.store.store import Store

DDL = [
    """CREATE TABLE IF NOT EXISTS forums (
        forum VARCHAR PRIMARY KEY, meta VARCHAR NOT NULL, file_name VARCHAR,
        checksum VARCHAR, added_at TIMESTAMP NOT NULL, added_by VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS forum_records (
        forum VARCHAR NOT NULL, position INTEGER NOT NULL, record VARCHAR NOT NULL)""",
]


def replace(store: Store, meta: dict[str, Any], records: list[dict[str, Any]],
            file_name: str, checksum: str, actor: str | None) -> bool:
    """Keep ``records`` as the forum ``meta["id"]``'s; False when the same file (by checksum)
    is already its records (nothing written)."""
    forum = meta["id"]
    with store.transaction():
        for ddl in DDL:
            store.con.execute(ddl)
        same = store.con.execute("SELECT checksum FROM forums WHERE forum = ?",
                                 [forum]).fetchall()
        if same and same[0][0] == checksum:
            return False
        store.con.execute("DELETE FROM forum_records WHERE forum = ?", [forum])
        store.con.execute("DELETE FROM forums WHERE forum = ?", [forum])
        store.con.execute("INSERT INTO forums VALUES (?, ?, ?, ?, ?, ?)", [
            forum, json.dumps(meta, ensure_ascii=False), file_name, checksum, now(), actor])
        store.con.executemany("INSERT INTO forum_records VALUES (?, ?, ?)", [
            [forum, k, json.dumps(r, ensure_ascii=False)] for k, r in enumerate(records)])
        record_event(store.con, actor, "records_added", forum,
                     {"file": file_name, "records": len(records), "checksum": checksum})
    return True


def stored(store: Store) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Every added forum (meta, records in file order), by forum id."""
    try:
        metas = store.con.execute("SELECT forum, meta FROM forums ORDER BY forum").fetchall()
        rows = store.con.execute(
            "SELECT forum, record FROM forum_records ORDER BY forum, position").fetchall()
    except duckdb.CatalogException:  # a store from before records existed
        return []
    by_forum: dict[str, list[dict[str, Any]]] = {}
    for forum, record in rows:
        by_forum.setdefault(forum, []).append(json.loads(record))
    return [(json.loads(meta), by_forum.get(forum, [])) for forum, meta in metas]


def version(store: Store) -> str:
    try:
        row = store.con.execute("SELECT count(*), coalesce(string_agg(checksum, ',' "
                                "ORDER BY forum), '') FROM forums").fetchall()[0]
    except duckdb.CatalogException:
        return "r0"
    return f"r{row[0]}-{row[1]}"
