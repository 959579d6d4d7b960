"""The store version the pages are for. Asking it runs one small query (at most once a
second, once for a frozen store) and never computes anything: a page that needs no
assessment (sign-in, a series) is answered without one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sdgtrack import framework
from sdgtrack.assess.spec import SPEC_VERSION
from sdgtrack.store import Store
from sdgtrack.store import evidence as stakeholder_evidence
from sdgtrack.store.surveys import surveys_version

#: Seconds between two checks of the store version.
VERSION_TTL = 1.0


def store_version(store: Store) -> str:
    """Changes whenever a load is added or switched, or the framework or spec changes; after
    the ``|``, whenever a survey analysis is saved or removed or stakeholder evidence is
    approved or withdrawn (shown on the pages, not used by the assessment)."""
    (loads, current) = store.con.execute(
        "SELECT count(*), coalesce(string_agg(CAST(load_id AS VARCHAR), ',' ORDER BY load_id),"
        " '') FROM current_loads").fetchall()[0]
    return (f"{loads}:{current}:{framework.checksum()}:{SPEC_VERSION}|"
            f"{surveys_version(store)}:{stakeholder_evidence.version(store)}")


def data_part(version: str) -> str:
    """The part of a store version the assessment depends on.

    >>> data_part("2:1,2:ab12:2|0:3")
    '2:1,2:ab12:2'
    """
    return version.split("|", 1)[0]


class StoreVersion:
    """The version of one store, shared by every thread that serves it (``lock`` is the
    store's: DuckDB wants one thread at a time). ``on_change`` is called, under the lock,
    when a lookup finds a new version (the cache drops what it kept for the old one)."""

    def __init__(self, store: Store, lock: threading.RLock, *, frozen: bool = False,
                 on_change: Callable[[], None] | None = None) -> None:
        self.store = store
        self.lock = lock
        self.frozen = frozen
        self.on_change = on_change
        self._version: str | None = None
        self._checked = 0.0

    def current(self) -> str:
        """The version, looked up if the last lookup is over ``VERSION_TTL`` old (never
        again for a frozen store: a static-site build's store cannot change under it)."""
        now = time.monotonic()
        with self.lock:
            if self._version is not None and (self.frozen or now - self._checked <= VERSION_TTL):
                return self._version
            self._checked = now
            self.store.refresh()  # a reader moves to a newer snapshot (store/snapshots.py)
            version = store_version(self.store)
            if self._version is not None and version != self._version and self.on_change:
                self.on_change()
            self._version = version
            return version

    def known(self) -> str | None:
        """The version known now, when it needs no lookup: looked up less than
        ``VERSION_TTL`` ago, and no write of our own since (``refresh``). Else None, and the
        caller looks it up with ``current`` in a thread: the server's event loop must never
        wait on the store."""
        version = self._version
        if (self.frozen or version is None or self._checked == 0.0
                or time.monotonic() - self._checked > VERSION_TTL):
            return None
        return version

    def refresh(self) -> None:
        """Look the version up at the next request (after a write of our own, so the writer
        sees the new values on the next page, not a second later)."""
        with self.lock:
            self._checked = 0.0
