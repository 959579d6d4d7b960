"""The records a store serves: the bundled forums, then those added to the store (a forum
added with the id of a bundled one replaces it: a corrected edition)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdgtrack.records.schema import Forum, Record

if TYPE_CHECKING:
    from sdgtrack.store import Store


def forums(store: Store | None) -> list[tuple[Forum, tuple[Record, ...]]]:
    from sdgtrack.records import bundled
    from sdgtrack.store import forums as stored

    out = {f.id: (f, rs) for f, rs in bundled()}
    for meta, rows in stored.stored(store) if store is not None else []:
        forum = Forum(**meta)
        out[forum.id] = (forum, tuple(
            Record(**{**r, "goals": tuple(r["goals"]), "indicators": tuple(r["indicators"])})
            for r in rows))
    return list(out.values())


def every_record(store: Store | None) -> list[Record]:
    return [r for _, rs in forums(store) for r in rs]
