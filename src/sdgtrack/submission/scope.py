"""Which rows of an upload an account may load: those of its areas and of the sub-national
areas inside them. Every other row is an ``area_outside_scope`` issue, listed by row."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack.auth import User
from sdgtrack.errors import Issue, IssueCode
from sdgtrack.store import Store


def declared_parents(areas: pa.Table) -> dict[str, str | None]:
    """The areas a file declares (``ref_area, name, parent``), each with its parent."""
    if not areas.num_rows:
        return {}
    return {str(a): (str(p) if p else None)
            for a, p in zip(areas["ref_area"].to_pylist(), areas["parent"].to_pylist())}


def parents(store: Store, declared: dict[str, str | None] | None = None
            ) -> dict[str, str | None]:
    """Area -> the area it lies in. The store's areas come first: a file may declare new
    sub-national areas, but cannot move a known area into another country."""
    out: dict[str, str | None] = {
        str(a): (str(p) if p else None)
        for a, p in store.con.execute("SELECT ref_area, parent FROM areas_all").fetchall()}
    for area, parent in (declared or {}).items():
        out.setdefault(area, parent)
    return out


def outside_scope(user: User, typed: pa.Table, parents: dict[str, str | None],
                  file_name: str) -> list[Issue]:
    """One issue per row whose area the account may not write."""
    areas = [a for a in pc.unique(typed["ref_area"]).to_pylist()
             if a is not None and not user.covers(a, parents)]
    if not areas:
        return []
    mask = pc.is_in(typed["ref_area"], value_set=pa.array(areas, pa.string()))
    rows = typed.filter(mask).select(["ref_area", "source_row"])
    allowed = ", ".join(user.areas) or "none"
    return [
        Issue(file_name, row, "ref_area", IssueCode.AREA_OUTSIDE_SCOPE, area,
              f"Area {area} is outside the areas of account {user.username!r} ({allowed}).",
              "Remove the row, or ask an administrator to add the area to the account.")
        for area, row in zip(rows["ref_area"].to_pylist(), rows["source_row"].to_pylist())
    ]


def areas_in(typed: pa.Table | None) -> list[str]:
    if typed is None:
        return []
    return sorted(a for a in pc.unique(typed["ref_area"]).to_pylist() if a is not None)
