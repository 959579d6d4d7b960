"""One current value per observation.

``observations`` keeps every row of every load; its ``in_use`` flag marks the rows that the
``observations_current`` view shows. A row is in use when its load is its dataset's current
load and no other current row has the same *observation key* with a better rank in the
store's precedence of reporting types (national ``N`` before regional ``R`` before global
``G``, by default: the setting ``precedence``). The observation key is the row key without
the reporting type: a national and a global value of Nepal's under-five mortality in 2015
are two values of one observation, of which one is in use and the other is a *conflict*
(``conflicts()``).

Two current rows of the same rank for one key never exist: a load that would create them is
refused before anything is written (``overlaps()`` finds them), unless it is recognised as
a new vintage of the dataset it overlaps (same reader, same source, most of its keys).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb

from sdgtrack.model import KEY_NAMES

#: The observation key: what two sources must share to be two values of one observation.
MATCH_NAMES: tuple[str, ...] = tuple(k for k in KEY_NAMES if k != "reporting_type")
#: The revisions listed with a vintage's diff (the counts are complete).
TOP_REVISIONS = 10


def parse_precedence(text: str) -> tuple[str, ...]:
    """``"N,R,G"`` -> ``('N', 'R', 'G')``: reporting types, the one preferred first.

    >>> parse_precedence(" n, G ")
    ('N', 'G')
    """
    codes = tuple(c.strip().upper() for c in text.split(",") if c.strip())
    if not codes or len(set(codes)) != len(codes):
        raise ValueError(f"precedence {text!r}: give reporting types once each, best first, "
                         "e.g. N,R,G")
    return codes


def rank_sql(precedence: tuple[str, ...], column: str = "reporting_type") -> str:
    """A SQL expression ranking ``column`` by the precedence (0 best; unlisted types last)."""
    whens = " ".join(f"WHEN '{c}' THEN {k}" for k, c in enumerate(precedence)
                     if c.isalnum())
    return f"(CASE {column} {whens} ELSE {len(precedence)} END)"


def _on(a: str, b: str, names: tuple[str, ...] = MATCH_NAMES) -> str:
    return " AND ".join(f"{a}.{k} = {b}.{k}" for k in names)


@dataclass(frozen=True)
class Overlap:
    """Another dataset's rows in use that an incoming load shares observation keys with."""

    dataset: str
    load_id: int
    reader: str | None
    source: str | None
    keys: int  # shared observation keys
    same_rank: int  # of which the two rows have the same precedence rank
    dataset_keys: int  # the other dataset's rows in use

    @property
    def share(self) -> float:
        """The share of the other dataset's observations that the incoming load also has."""
        return self.keys / self.dataset_keys if self.dataset_keys else 0.0

    def refusal(self, path: str) -> str:
        return (f"{path} shares {self.keys:,} observations (series, area, year and "
                f"breakdown) with dataset {self.dataset!r} (load {self.load_id}, "
                f"{self.dataset_keys:,} observations in use), with the same reporting type, "
                f"so it is neither a new vintage of {self.dataset!r} nor another source "
                "beside it. Nothing was stored.")

    def hint(self) -> str:
        return (f"Load it with --dataset {self.dataset} if it is a new vintage that replaces "
                "that dataset, or with --reporting-type N (national) or R (regional) if it "
                "is another source of the same observations, kept beside it with the "
                "precedence deciding which is in use (setting SDGTRACK_PRECEDENCE).")


def tracked(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has ``in_use`` (one written before vintages, opened read-only, has
    not: its current view is its loads' rows, and it has no conflicts to list)."""
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'observations' "
        "AND column_name = 'in_use'").fetchall()[0][0])


def others_in_use(con: duckdb.DuckDBPyConnection, dataset: str) -> bool:
    return bool(con.execute("SELECT EXISTS (SELECT 1 FROM observations WHERE in_use AND "
                            "dataset <> ?)", [dataset]).fetchall()[0][0])


def shadowed_elsewhere(con: duckdb.DuckDBPyConnection, dataset: str) -> bool:
    """Whether a current dataset other than ``dataset`` has rows out of use (shadowed by a
    better-ranked source): a new vintage of ``dataset`` may have to give them back."""
    return bool(con.execute(
        "SELECT EXISTS (SELECT 1 FROM observations o JOIN loads l ON l.load_id = o.load_id "
        "AND l.status = 'current' WHERE NOT o.in_use AND o.dataset <> ?)",
        [dataset]).fetchall()[0][0])


def overlaps(con: duckdb.DuckDBPyConnection, incoming: str, dataset: str,
             precedence: tuple[str, ...]) -> list[Overlap]:
    """The current datasets (other than ``dataset``) that share observation keys with the
    rows of the relation named ``incoming``."""
    if not others_in_use(con, dataset):
        return []
    keys = ", ".join(MATCH_NAMES)
    rows = con.execute(f"""
        WITH n AS (SELECT {keys}, reporting_type FROM {incoming}),
             o AS (SELECT {keys}, reporting_type, dataset, load_id FROM observations
                   WHERE in_use AND dataset <> ?)
        SELECT o.dataset, o.load_id, count(*),
               count(*) FILTER (WHERE {rank_sql(precedence, 'n.reporting_type')}
                                    = {rank_sql(precedence, 'o.reporting_type')})
        FROM n JOIN o ON {_on('n', 'o')} GROUP BY 1, 2 ORDER BY 3 DESC""",
                       [dataset]).fetchall()
    out = []
    for name, load_id, shared, same in rows:
        reader, source = con.execute("SELECT reader, source FROM loads WHERE load_id = ?",
                                     [load_id]).fetchall()[0]
        total = con.execute("SELECT count(*) FROM observations WHERE in_use AND load_id = ?",
                            [load_id]).fetchall()[0][0]
        out.append(Overlap(name, int(load_id), reader, source, int(shared), int(same),
                           int(total)))
    return out


def resolve(con: duckdb.DuckDBPyConnection, precedence: tuple[str, ...],
            touched: list[int] | None = None) -> None:
    """Set ``in_use`` again: rows of loads that are not current are out; among the current
    rows sharing an observation key with a row of the ``touched`` loads (all rows when None),
    the best-ranked is in use (ties, which loads never create, go to the newest load)."""
    con.execute("UPDATE observations SET in_use = false WHERE in_use AND load_id NOT IN "
                "(SELECT load_id FROM loads WHERE status = 'current')")
    keys = ", ".join(MATCH_NAMES)
    scope = ""
    if touched is not None:
        marks = ", ".join(str(int(t)) for t in touched) or "NULL"
        con.execute(f"CREATE OR REPLACE TEMP TABLE _touched AS SELECT DISTINCT {keys} "
                    f"FROM observations WHERE load_id IN ({marks})")
        scope = f"SEMI JOIN _touched t ON {_on('o', 't')}"
    con.execute(f"""
        UPDATE observations SET in_use = w.keep FROM (
            SELECT load_id, reporting_type, {keys},
                   row_number() OVER (PARTITION BY {keys}
                                      ORDER BY {rank_sql(precedence)}, load_id DESC) = 1 AS keep
            FROM (SELECT o.* FROM observations o
                  SEMI JOIN (SELECT load_id FROM loads WHERE status = 'current') l
                  ON o.load_id = l.load_id {scope}) c) w
        WHERE observations.load_id = w.load_id
          AND observations.reporting_type = w.reporting_type
          AND {_on('observations', 'w')}
          AND observations.in_use IS DISTINCT FROM w.keep""")
    if touched is not None:
        con.execute("DROP TABLE IF EXISTS _touched")


def conflicts(con: duckdb.DuckDBPyConnection, series: str | None = None,
              area: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Each current row not in use because another source's row of the same observation is:
    the key, the value in use with its dataset and reporting type, and the other one."""
    if not tracked(con):
        return []
    where, params = ["NOT o.in_use"], []
    for column, value in (("series_code", series), ("ref_area", area)):
        if value is not None:
            where.append(f"o.{column} = ?")
            params.append(value)
    keys = ", ".join(f"u.{k}" for k in MATCH_NAMES)
    cur = con.execute(f"""
        SELECT {keys}, u.value_raw AS value_in_use, u.dataset AS dataset_in_use,
               u.reporting_type AS reporting_type_in_use, lu.source AS source_in_use,
               o.value_raw AS other_value, o.dataset AS other_dataset,
               o.reporting_type AS other_reporting_type, lo.source AS other_source,
               u.value_raw IS DISTINCT FROM o.value_raw AS differs
        FROM observations o
        JOIN loads lo ON lo.load_id = o.load_id AND lo.status = 'current'
        JOIN observations u ON u.in_use AND {_on('u', 'o')}
        JOIN loads lu ON lu.load_id = u.load_id
        WHERE {' AND '.join(where)}
        ORDER BY u.series_code, u.ref_area, u.time_period
        {'LIMIT ' + str(int(limit)) if limit else ''}""", params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def conflicts_by_series(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Per series: how many of its observations have another source's value beside the one
    in use, and which datasets (with their reporting types) give the values in use and the
    others."""
    if not tracked(con):
        return {}
    rows = con.execute(f"""
        SELECT o.series_code, count(*),
               list(DISTINCT u.dataset || ' (' || u.reporting_type || ')'),
               list(DISTINCT o.dataset || ' (' || o.reporting_type || ')')
        FROM observations o
        JOIN loads l ON l.load_id = o.load_id AND l.status = 'current'
        JOIN observations u ON u.in_use AND {_on('u', 'o')}
        WHERE NOT o.in_use GROUP BY 1""").fetchall()
    return {code: {"count": int(n), "in_use": sorted(used), "others": sorted(other)}
            for code, n, used, other in rows}


def conflict_count(con: duckdb.DuckDBPyConnection) -> int:
    if not tracked(con):
        return 0
    return int(con.execute(
        "SELECT count(*) FROM observations o JOIN loads l ON l.load_id = o.load_id "
        "AND l.status = 'current' WHERE NOT o.in_use").fetchall()[0][0])


def vintage_diff(con: duckdb.DuckDBPyConnection, old: int, new: int,
                 renames: dict[str, str]) -> dict[str, Any]:
    """What a new vintage changed against the load it supersedes: observations added,
    removed, revised (same key, another value; the largest relative revisions listed) and
    unchanged, and series renamed (``renames`` maps an old code to its comparable successor),
    added and discontinued. Rows of a renamed series are compared under the new code."""
    def codes(load: int) -> set[str]:
        return {r[0] for r in con.execute(
            "SELECT DISTINCT series_code FROM observations WHERE load_id = ?",
            [load]).fetchall()}

    before, after = codes(old), codes(new)
    renamed = sorted((o, renames[o]) for o in before - after
                     if renames.get(o) in after and renames[o] not in before)
    renamed_new = {n for _, n in renamed}
    con.execute("CREATE OR REPLACE TEMP TABLE _renames (old VARCHAR, new VARCHAR)")
    if renamed:
        con.executemany("INSERT INTO _renames VALUES (?, ?)", [list(r) for r in renamed])
    keys = ", ".join(KEY_NAMES)
    other = ", ".join(k for k in KEY_NAMES if k != "series_code")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _vdiff AS
        WITH a AS (SELECT coalesce(r.new, o.series_code) AS series_code, {other},
                          value_raw, value
                   FROM observations o LEFT JOIN _renames r ON r.old = o.series_code
                   WHERE load_id = ?),
             b AS (SELECT {keys}, value_raw, value FROM observations WHERE load_id = ?)
        SELECT {', '.join(f'coalesce(a.{k}, b.{k}) AS {k}' for k in KEY_NAMES)},
               a.value_raw AS before_raw, b.value_raw AS after_raw,
               a.value AS before, b.value AS after,
               CASE WHEN a.series_code IS NULL THEN 'added'
                    WHEN b.series_code IS NULL THEN 'removed'
                    WHEN a.value IS DISTINCT FROM b.value
                         OR (a.value IS NULL AND a.value_raw IS DISTINCT FROM b.value_raw)
                         THEN 'revised'
                    ELSE 'unchanged' END AS change
        FROM a FULL JOIN b USING ({keys})""", [old, new])
    counts = dict(con.execute("SELECT change, count(*) FROM _vdiff GROUP BY 1").fetchall())
    top = con.execute(f"""
        SELECT series_code, ref_area, time_period, before_raw, after_raw,
               abs(after - before) / greatest(abs(before), 1e-9) AS relative
        FROM _vdiff WHERE change = 'revised' AND after IS NOT NULL AND before <> 0
          AND {' AND '.join(f"{d} = '_T'" for d in KEY_NAMES[3:] if d != 'reporting_type')}
        ORDER BY relative DESC, series_code, ref_area, time_period LIMIT ?""",
                      [TOP_REVISIONS]).fetchall()
    carried = int(con.execute("SELECT count(*) FROM _vdiff WHERE change IN "
                              "('revised', 'unchanged') AND series_code IN "
                              "(SELECT new FROM _renames)").fetchall()[0][0])
    con.execute("DROP TABLE IF EXISTS _vdiff")
    con.execute("DROP TABLE IF EXISTS _renames")
    return {
        "superseded_load": old,
        "observations": {k: int(counts.get(k, 0))
                         for k in ("added", "removed", "revised", "unchanged")},
        "largest_revisions": [
            {"series_code": s, "ref_area": a, "time_period": int(t), "before": b,
             "after": f, "relative_change": round(float(r), 6)}
            for s, a, t, b, f, r in top],
        "series": {
            "renamed": [{"old": o, "new": n} for o, n in renamed],
            "added": sorted(after - before - renamed_new),
            "discontinued": sorted(before - after - {o for o, _ in renamed}),
            "kept": len(before & after),
        },
        "observations_carried_over_by_rename": carried,
    }


def diff_summary(diff: dict[str, Any]) -> str:
    """One line for a person: what a vintage changed."""
    o, s = diff["observations"], diff["series"]
    return (f"{o['revised']:,} values revised, {o['added']:,} observations added, "
            f"{o['removed']:,} removed, {o['unchanged']:,} unchanged; series: "
            f"{len(s['renamed'])} renamed, {len(s['added'])} added, "
            f"{len(s['discontinued'])} discontinued")


def as_json(diff: dict[str, Any] | None) -> str | None:
    return None if diff is None else json.dumps(diff, default=str)
