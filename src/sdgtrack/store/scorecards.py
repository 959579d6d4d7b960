"""People's scorecards (a coalition's 1-5 score per goal for a country and period), a kind
of stakeholder evidence: each scorecard is one ``evidence`` row (code ``scorecard``), so it
is moderated, shown and withdrawn as evidence is; its scores are kept here. Never part of
``observations``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import duckdb

from sdgtrack.store import evidence

if TYPE_CHECKING:
    from sdgtrack.store.store import Store

CODE = "scorecard"  # the evidence row's code
DDL = [
    """CREATE TABLE IF NOT EXISTS scorecards (
        evidence_id BIGINT PRIMARY KEY, coalition VARCHAR NOT NULL,
        constituencies VARCHAR NOT NULL, period_start INTEGER NOT NULL,
        period_end INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS scorecard_scores (
        evidence_id BIGINT NOT NULL, goal INTEGER NOT NULL, score INTEGER NOT NULL,
        rationale VARCHAR NOT NULL, links VARCHAR NOT NULL)""",
]


def insert(store: Store, evidence_id: int, coalition: str, constituencies: list[str],
           period: tuple[int, int], scores: list[dict[str, Any]]) -> None:
    """The scorecard's own rows, in the caller's transaction (with its evidence row)."""
    for ddl in DDL:
        store.con.execute(ddl)
    store.con.execute("INSERT INTO scorecards VALUES (?, ?, ?, ?, ?)", [
        evidence_id, coalition, json.dumps(constituencies, ensure_ascii=False), *period])
    store.con.executemany("INSERT INTO scorecard_scores VALUES (?, ?, ?, ?, ?)", [
        [evidence_id, s["goal"], s["score"], s["rationale"],
         json.dumps(s["links"], ensure_ascii=False)] for s in scores])


def with_scores(store: Store, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence rows of scorecards, each with its coalition, constituencies, period and
    scores (by goal)."""
    ids = [e["evidence_id"] for e in items if e["code"] == CODE]
    if not ids:
        return []
    try:
        cards = {r[0]: r for r in store.con.execute(
            "SELECT * FROM scorecards WHERE list_contains(?, evidence_id)", [ids]).fetchall()}
        scores = store.con.execute(
            "SELECT evidence_id, goal, score, rationale, links FROM scorecard_scores "
            "WHERE list_contains(?, evidence_id) ORDER BY evidence_id, goal", [ids]).fetchall()
    except duckdb.CatalogException:
        return []
    by_card: dict[int, list[dict[str, Any]]] = {}
    for eid, goal, score, rationale, links in scores:
        by_card.setdefault(eid, []).append({"goal": goal, "score": score,
                                            "rationale": rationale, "links": json.loads(links)})
    out = []
    for e in items:
        card = cards.get(e["evidence_id"])
        if card is not None:
            out.append({**e, "coalition": card[1], "constituencies": json.loads(card[2]),
                        "period_start": card[3], "period_end": card[4],
                        "scores": by_card.get(e["evidence_id"], [])})
    return out


def approved(store: Store, area: str | None = None) -> list[dict[str, Any]]:
    """Approved scorecards (what the pages show), newest first."""
    return with_scores(store, evidence.query(store, CODE, area, evidence.APPROVED))
