"""Survey analyses kept in the store, so the pages can show who is furthest behind in a
country's household survey (``sdgtrack lnob survey ... --save``). The microdata stay where
they are (survey licences seldom allow redistribution): only the analysis is kept, as the JSON
that ``lnob.survey.analyse_survey`` returns, with the file's name and checksum for tracing.

One analysis per (area, title): saving under a title already used for the area replaces it,
in one transaction."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import duckdb

from sdgtrack.errors import UsageError
from sdgtrack.store.store import Store

MAX_TITLE = 200
COLUMNS = ("analysis_id", "ref_area", "title", "survey", "time_period", "series_code",
           "indicator", "file_name", "checksum", "saved_at")


def save_survey_analysis(store: Store, ref_area: str, title: str, result: dict[str, Any],
                         survey: str = "", time_period: int | None = None,
                         series_code: str | None = None, indicator: str | None = None,
                         file_name: str = "", checksum: str = "") -> int:
    """Keep ``result`` for ``ref_area`` under ``title``; returns its id."""
    title = title.strip()
    if not title or len(title) > MAX_TITLE or any(ord(c) < 32 for c in title):
        raise UsageError(f"The title (--save TITLE) must be one line of at most {MAX_TITLE} "
                         "characters, such as 'Stunting, DHS 2013'.")
    if indicator is not None and indicator not in store.known_indicators():
        raise UsageError(f"{indicator!r} is not an SDG indicator code (write it as 2.2.1).")
    text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    with store.transaction():
        store.con.execute("DELETE FROM survey_analyses WHERE ref_area = ? AND title = ?",
                          [ref_area, title])
        new_id = store.next_id("survey_analysis_ids")
        store.con.execute(
            f"INSERT INTO survey_analyses ({', '.join(COLUMNS)}, result) "
            f"VALUES ({', '.join('?' * (len(COLUMNS) + 1))})",
            [new_id, ref_area, title, survey, time_period, series_code, indicator, file_name,
             checksum, datetime.now(UTC).replace(tzinfo=None), text])
    return new_id


def survey_analyses(store: Store, ref_area: str | None = None) -> list[dict[str, Any]]:
    """The saved analyses (each with its ``result`` parsed), newest first."""
    where, params = ("WHERE ref_area = ?", [ref_area]) if ref_area is not None else ("", [])
    try:
        cur = store.con.execute(f"SELECT {', '.join(COLUMNS)}, result FROM survey_analyses "
                                f"{where} ORDER BY analysis_id DESC", params)
    except duckdb.CatalogException:  # a store from before survey analyses, opened read-only
        return []
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    for r in rows:
        r["result"] = json.loads(r["result"])
    return rows


def surveys_version(store: Store) -> str:
    """Changes whenever an analysis is saved or removed (part of the pages' store version)."""
    try:
        n, last = store.con.execute(
            "SELECT count(*), coalesce(max(analysis_id), 0) FROM survey_analyses").fetchall()[0]
    except duckdb.CatalogException:
        return "0:0"
    return f"{n}:{last}"


def remove_survey_analysis(store: Store, analysis_id: int) -> None:
    with store.transaction():
        found = store.con.execute("SELECT count(*) FROM survey_analyses WHERE analysis_id = ?",
                                  [analysis_id]).fetchall()[0][0]
        if not found:
            raise UsageError(f"There is no saved survey analysis {analysis_id}; "
                             "`sdgtrack lnob surveys` lists them.")
        store.con.execute("DELETE FROM survey_analyses WHERE analysis_id = ?", [analysis_id])
