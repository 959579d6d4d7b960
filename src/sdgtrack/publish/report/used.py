"""What a document's numbers came from: the loads of the observations it shows or that its
assessments used, so that its footer and Sources page cite those and nothing else."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from sdgtrack.assess.series import SUB
from sdgtrack.publish.site.data import SiteData


def loads_used(d: SiteData, rows: pd.DataFrame | None, members: Iterable[str],
               reports: Iterable[dict[str, Any]] = ()) -> set[int]:
    """Load ids behind a document: its area's rows (``rows``), the assessment's observations
    of every area in ``members`` (a comparison with the subregion and the region uses all
    their members' data), and the observations traced in ``reports`` (a unit the site does
    not assess is assessed on its own, and its report lists them)."""
    used: set[int] = set()
    if rows is not None and len(rows):
        used |= {int(x) for x in rows.load_id.dropna().unique()}
    a = d.results.assessment()
    obs = a.observations
    groups = {u.code for u in a.units if u.kind != "country"}
    if groups:  # a country's own national series are in its own report, not its group's
        shared = set(a.subindicators.loc[a.subindicators.unit.isin(groups), SUB])
        obs = obs[obs[SUB].isin(shared)]
    mine = obs[obs.ref_area.isin(set(members))]
    used |= {int(x) for x in mine.load_id.dropna().unique()}
    for report in reports:
        for i in report["indicators"]:
            used |= {int(o["load_id"]) for o in i.get("observations", [])
                     if o.get("load_id") is not None}
    return used


def series_used(reports: Iterable[dict[str, Any]], rows: pd.DataFrame | None = None
                ) -> list[str]:
    """Series codes the document's assessments used, and those of its area's rows."""
    codes = {i["series_code"] for r in reports for i in r["indicators"] if i["assessed"]}
    if rows is not None and len(rows):
        codes |= set(rows.series_code)
    return sorted(codes)
