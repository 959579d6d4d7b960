"""The one cache behind the pages: what was made for a store version is kept for that
version and dropped when the version changes (``clear``). Three ways to keep a value:

- ``kept``: once per version, without bound (the assessment's page contexts, charts, the
  bytes of a page without a query: their number is bounded by the site's addresses);
- ``recent``: the most recent ``RECENT`` of them, at most ``SDGTRACK_ANSWERS_MAX_BYTES``
  (answers to queries, whose keys have no bound);
- ``last``: only the last two keys (a site build's series columns: it asks for each series
  a few times in a row, then never again).

A key is looked up in all three by ``peek``."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from sdgtrack import settings

#: How many answers to queries are kept (most recently used first).
RECENT = 2048

T = TypeVar("T")


class Cache:
    """Values by (store version, key); ``lock`` is shared with the store's readers."""

    def __init__(self, lock: threading.RLock) -> None:
        self.lock = lock
        self._kept: dict[Any, Any] = {}
        self._recent: OrderedDict[Any, Any] = OrderedDict()
        self._recent_bytes = 0
        self._last: dict[Any, Any] = {}

    def clear(self) -> None:
        """Drop everything: it was made for another store version."""
        with self.lock:
            self._kept = {}
            self._recent.clear()
            self._recent_bytes = 0
            self._last = {}

    def has(self, version: str, key: Any) -> bool:
        """Whether ``kept`` holds a value made for ``version`` under ``key``."""
        with self.lock:
            return (version, key) in self._kept

    def kept(self, version: str, key: Any, make: Callable[[], T]) -> T:
        """``make()``, made once for ``version`` (under the lock: one thread makes it)."""
        with self.lock:
            if (version, key) not in self._kept:
                self._kept[(version, key)] = make()
            return self._kept[(version, key)]  # type: ignore[no-any-return]

    def recent(self, version: str, key: Any, make: Callable[[], T]) -> T:
        """``make()``, kept among the most recent answers. 200 answers of 10,000 rows each
        grew the server by 1.4 GiB when only their number was bounded, so their bytes are
        bounded too; an answer over an eighth of the budget is not kept (one answer may not
        push out every other)."""
        with self.lock:
            hit = self._recent.get((version, key))
            if hit is not None:
                self._recent.move_to_end((version, key))
                return hit  # type: ignore[no-any-return]
        value = make()  # outside the lock: a slow query must not hold up kept pages
        size = _size(value)
        budget = settings.get_int("answers_max_bytes")
        if size > budget // 8:
            return value
        with self.lock:
            if (version, key) not in self._recent:
                self._recent[(version, key)] = value
                self._recent_bytes += size
            while len(self._recent) > RECENT or self._recent_bytes > budget:
                _, dropped = self._recent.popitem(last=False)
                self._recent_bytes -= _size(dropped)
        return value

    def last(self, version: str, key: Any, make: Callable[[], T]) -> T:
        """``make()``, kept only while the same key is asked for again: a site build makes a
        page in each language in turn, then its CSV; keeping every series as Python values
        would hold the whole table in memory several times over."""
        with self.lock:
            if (version, key) not in self._last:
                value = make()
                if len(self._last) >= 2:  # a series' columns and its CSV
                    self._last = {}
                self._last[(version, key)] = value
            return self._last[(version, key)]  # type: ignore[no-any-return]

    def peek(self, version: str, key: Any) -> Any:
        """What was kept for ``key`` and ``version``, in any of the three ways, or None."""
        for kept in (self._kept, self._recent, self._last):
            hit = kept.get((version, key))
            if hit is not None:
                return hit
        return None


def _size(value: Any) -> int:
    """Bytes held by a kept answer: its body (bytes), or a (body, media type) pair."""
    if isinstance(value, bytes | bytearray | str):
        return len(value)
    if isinstance(value, tuple):
        return sum(_size(v) for v in value)
    return sys.getsizeof(value)
