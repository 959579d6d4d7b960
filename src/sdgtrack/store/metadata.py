"""National metadata kept with each load (``metadata_declared``): the current loads' rows,
each with its dataset and the country whose data the load holds."""

from __future__ import annotations

from typing import Any

import duckdb

from sdgtrack.store.audit import dicts


def current(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every metadata row of a current load, in file order, with ``dataset`` and ``country``
    (the M49 area most of the load's national rows are for). A store written before
    metadata were kept (opened read-only, so not upgraded) has none."""
    have = con.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_name = 'metadata_declared'").fetchall()[0][0]
    if not have:
        return []
    return dicts(con, """
        WITH m AS (SELECT rowid AS seq, * FROM metadata_declared
                   SEMI JOIN current_loads USING (load_id)),
             c AS (SELECT load_id, ref_area, count(*) AS n FROM observations
                   WHERE load_id IN (SELECT DISTINCT load_id FROM m)
                     AND ref_area IN (SELECT m49 FROM fw_areas)
                   GROUP BY ALL),
             top AS (SELECT load_id, arg_max(ref_area, n) AS country FROM c GROUP BY ALL)
        SELECT m.* EXCLUDE (seq), l.dataset, top.country
        FROM m JOIN loads l USING (load_id) LEFT JOIN top USING (load_id)
        ORDER BY m.load_id, m.indicator, m.seq""")
