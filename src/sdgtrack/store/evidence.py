"""Stakeholder evidence (people's scorecards, surveys, studies by civil society or academia),
kept in its own table: it is shown beside the official figures, marked as non-official, and
never enters ``observations``. A contribution is public only once an administrator approves
it. The rules (who may submit or moderate what) are in ``sdgtrack.submission.evidence``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    from sdgtrack.store.store import Store

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
#: Shown with every contribution, on pages and in the API.
LABEL = "Non-official: contributed by a stakeholder, not part of the official statistics."

_SELECT = """SELECT e.evidence_id, u.username AS submitted_by, e.organisation, e.code,
    e.ref_area, e.time_period, e.value, e.title, e.summary, e.source_url, e.status,
    e.submitted_at, e.moderated_by, e.moderated_at, e.note
    FROM evidence e JOIN users u USING (user_id)"""


def query(store: Store, code: str | None = None, area: str | None = None,
          status: str | None = None, user_id: int | None = None,
          also_user_id: int | None = None, evidence_id: int | None = None,
          limit: int = 500) -> list[dict[str, Any]]:
    """Contributions, newest first. ``status`` and ``user_id`` filter; ``also_user_id`` adds
    that account's own contributions whatever their status."""
    where, params = ["TRUE"], []
    for column, value in (("e.code", code), ("e.ref_area", area), ("e.user_id", user_id),
                          ("e.evidence_id", evidence_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if status is not None:
        where.append("(e.status = ? OR e.user_id = ?)" if also_user_id is not None
                     else "e.status = ?")
        params += [status, also_user_id] if also_user_id is not None else [status]
    try:
        cur = store.con.execute(f"{_SELECT} WHERE {' AND '.join(where)} "
                                "ORDER BY e.evidence_id DESC LIMIT ?", [*params, limit])
    except duckdb.CatalogException:  # a store from before evidence existed
        return []
    names = [d[0] for d in cur.description]
    return [{**dict(zip(names, r)), "official": False, "label": LABEL} for r in cur.fetchall()]


def approved(store: Store, code: str | None = None, area: str | None = None
             ) -> list[dict[str, Any]]:
    """What a page may show: approved contributions for a goal, target or indicator code
    and/or an area."""
    return query(store, code, area, APPROVED)


def version(store: Store) -> str:
    """Changes when a contribution is approved or withdrawn: pages cached per store version
    should add it to their key."""
    try:
        row = store.con.execute(
            "SELECT count(*) FILTER (WHERE status = ?), "
            "coalesce(epoch_us(max(moderated_at)), 0) FROM evidence", [APPROVED]).fetchall()[0]
    except duckdb.CatalogException:
        return "e0"
    return f"e{row[0]}-{row[1]}"  # no ':' (it separates the parts of a store version)
