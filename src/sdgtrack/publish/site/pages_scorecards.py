"""People's scorecards on the pages, beside the official assessment and never mixed into
it: on a country's page its approved scorecards, goal by goal with the official status; on
a goal's page every country's score for the goal; on the regional review the scores per
goal across the countries that have them. Marked non-official, as evidence is."""

from __future__ import annotations

import csv
import io
from statistics import mean
from typing import Any

from sdgtrack.publish.export.base import neutralise_column
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.names import area_name
from sdgtrack.store import scorecards as table

SCALE = {1: "no progress", 2: "little progress", 3: "some progress", 4: "good progress",
         5: "on track"}


def _approved(d: SiteData) -> list[dict[str, Any]]:
    def make() -> list[dict[str, Any]]:
        with d.lock:
            return table.approved(d.store)
    return d.cached("scorecards", make)  # type: ignore[no-any-return]


def _official(d: SiteData, area: str) -> dict[int, str]:
    """Goal -> the official assessment's status for ``area`` (none when not assessed)."""
    def make() -> dict[int, str]:
        if area not in {u.code for u in d.results.assessment().units}:
            return {}
        return {int(g["goal"]): g["status"] for g in d.results.report(area)["snapshot"]}
    return d.cached(("official_status", area), make)  # type: ignore[no-any-return]


def _card(d: SiteData, c: dict[str, Any], lang: str) -> dict[str, Any]:
    official = _official(d, c["ref_area"])
    return {"evidence_id": c["evidence_id"], "ref_area": c["ref_area"],
            "area_name": area_name(d, c["ref_area"], lang), "coalition": c["coalition"],
            "constituencies": c["constituencies"], "period_start": c["period_start"],
            "period_end": c["period_end"], "official": False, "label": c["label"],
            "scores": [{**s, "meaning": SCALE[s["score"]],
                        "official_status": official.get(s["goal"])} for s in c["scores"]]}


def area_scorecards(d: SiteData, lang: str, area: str) -> list[dict[str, Any]]:
    return [_card(d, c, lang) for c in _approved(d) if c["ref_area"] == area]


def goal_scorecards(d: SiteData, lang: str, goal: str) -> list[dict[str, Any]]:
    """One row per approved scorecard that scores ``goal``."""
    out = []
    for c in _approved(d):
        card = _card(d, c, lang)
        for s in card["scores"]:
            if s["goal"] == int(goal):
                out.append({k: v for k, v in card.items() if k != "scores"} | s)
    return out


def regional_summary(d: SiteData) -> list[dict[str, Any]]:
    """Per goal: how many countries civil society scored, the mean, lowest and highest score
    (a country's latest scorecard counts, once)."""
    latest: dict[str, dict[str, Any]] = {}
    for c in sorted(_approved(d), key=lambda c: (c["period_end"], c["evidence_id"])):
        latest[c["ref_area"]] = c
    by_goal: dict[int, list[int]] = {}
    for c in latest.values():
        for s in c["scores"]:
            by_goal.setdefault(s["goal"], []).append(s["score"])
    return [{"goal": g, "countries": len(v), "mean": round(mean(v), 2), "lowest": min(v),
             "highest": max(v)} for g, v in sorted(by_goal.items())]


CSV_COLUMNS = ("evidence_id", "ref_area", "period_start", "period_end", "coalition",
               "constituencies", "goal", "score", "meaning", "rationale", "links", "official",
               "label")


def csv_of(cards: list[dict[str, Any]]) -> bytes:
    """Scorecards as CSV, one row per scorecard and goal, every row marked non-official
    (formula-like text behind an apostrophe, as every download)."""
    rows = [[c["evidence_id"], c["ref_area"], c["period_start"], c["period_end"],
             c["coalition"], "; ".join(c["constituencies"]), s["goal"], s["score"],
             SCALE[s["score"]], s["rationale"], " ".join(s["links"]), False, c["label"]]
            for c in cards for s in c["scores"]]
    columns = [neutralise_column([r[k] for r in rows]) for k in range(len(CSV_COLUMNS))]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(zip(*columns))
    return out.getvalue().encode("utf-8")


def csv_bytes(d: SiteData) -> bytes:
    return csv_of(_approved(d))
