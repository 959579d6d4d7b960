"""Sections shared by the country profile and the regional report, as plain data for the
templates: the goal snapshot of several units side by side, the target dashboard as a matrix
(a row per unit, a cell per target), and the snapshot chart in the reader's language."""

from __future__ import annotations

import re
from typing import Any

from sdgtrack.publish.report.common import code_key
from sdgtrack.publish.report.trends import snapshot_chart
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import title


def short_name(name: str) -> str:
    """A group's name without its parenthesis, for narrow columns.

    >>> short_name("South-East Asia (ESCAP subregion)"), short_name("北亚和中亚（次区域）")
    ('South-East Asia', '北亚和中亚')
    """
    return re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", name)


def goal_titles(d: SiteData, lang: str) -> dict[int, str]:
    return {int(g["goal"]): title(g, lang, "short") for g in d.goals.to_dict("records")}


def snapshot_rows(d: SiteData, report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The unit's snapshot with goal titles in ``lang``."""
    names = goal_titles(d, lang)
    return [{**g, "title": names.get(int(g["goal"]), g["title"])} for g in report["snapshot"]]


def comparison(d: SiteData, reports: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Goal by goal, each unit's Current Status Index and status (first unit first)."""
    names = goal_titles(d, lang)
    by_unit = [{int(g["goal"]): g for g in r["snapshot"]} for r in reports]
    return [{"goal": goal, "title": names[goal],
             "cells": [{"csi": u[goal]["current_status_index"], "status": u[goal]["status"]}
                       for u in by_unit]}
            for goal in sorted(by_unit[0])]


def dashboard(reports: list[dict[str, Any]], names: list[str]) -> dict[str, Any]:
    """The target dashboard of every unit as a matrix: per goal, one row per unit with a
    cell per target (its number after the goal's, and its class)."""
    goals: dict[int, dict[str, Any]] = {}
    for report, name in zip(reports, names):
        rows: dict[int, list[dict[str, Any]]] = {}
        for t in sorted(report["dashboard"], key=lambda t: code_key(t["target"])):
            rows.setdefault(int(t["goal"]), []).append(
                {"target": t["target"], "number": t["target"].split(".", 1)[1],
                 "class": t["class"], "index": t["anticipated_progress_index"]})
        for goal, targets in rows.items():
            goals.setdefault(goal, {"goal": goal, "rows": []})["rows"].append(
                {"name": name, "targets": targets})
    ordered = [goals[g] for g in sorted(goals)]
    columns = max((len(r["targets"]) for g in ordered for r in g["rows"]), default=0)
    return {"goals": ordered, "columns": columns}


def chart(d: SiteData, report: dict[str, Any], _: Any, lang: str) -> str:
    """The snapshot chart (data URI), kept per store version, unit and language."""
    content = {"unit": report["unit"], "method": report["method"],
               "snapshot": snapshot_rows(d, report, lang)}
    return str(d.cached(("report-snapshot", report["unit"]["code"], lang),
                        lambda: snapshot_chart(content, _, lang)))


def loaded_date(prov: dict[str, Any]) -> str:
    """The date of the most recent current load ("data as of")."""
    return max((x["loaded"] for x in prov["datasets"]), default="—")
