"""Sign-in rate limiting: after ``attempts`` failures within ``window`` seconds for one key
(an account name, or a client address), further tries are refused until the oldest failure
ages out. ``StoredLimiter`` keeps the failures in the store (``signin_failures``), so the
limit holds across server workers and restarts; ``SignInLimiter`` keeps them in memory (one
process; a restart forgets)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sdgtrack.errors import TooManyAttempts

#: Keys remembered at most; beyond it the least recently failed are forgotten, so a flood of
#: made-up names cannot grow the server's memory without bound.
MAX_KEYS = 10_000


def _refusal(wait: int) -> TooManyAttempts:
    return TooManyAttempts(f"Too many failed sign-ins; try again in {wait} seconds, or ask an "
                           "administrator to reset the password.", retry_after=wait)


class SignInLimiter:
    def __init__(self, attempts: int = 5, window: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.attempts, self.window, self.clock = attempts, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def check(self, *keys: str) -> None:
        """Raise ``TooManyAttempts`` when any key has used up its attempts."""
        now = self.clock()
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                if len(failures) >= self.attempts:
                    raise _refusal(math.ceil(failures[0] + self.window - now))

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                failures.append(now)
                self._failures.pop(key, None)
                self._failures[key] = failures  # most recently failed last
            while len(self._failures) > MAX_KEYS:
                self._failures.pop(next(iter(self._failures)))

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class StoredLimiter:
    """The same limit, kept in the store's ``signin_failures`` table. ``connect()`` gives a
    context manager yielding a store (``.con``); ``failed`` and ``succeeded`` write through
    it, so it must be a writer. Failures older than the window are deleted as new ones come,
    so the table holds at most one window's failures."""

    def __init__(self, connect: Callable[[], AbstractContextManager[Any]], attempts: int = 5,
                 window: float = 900.0, clock: Callable[[], float] = time.time) -> None:
        self.connect, self.attempts, self.window, self.clock = connect, attempts, window, clock

    def check(self, *keys: str) -> None:
        """Raise ``TooManyAttempts`` when any key has used up its attempts."""
        now = self.clock()
        with self.connect() as store:
            rows = store.con.execute(
                "SELECT count(*), min(failed_at) FROM signin_failures WHERE key = ANY(?) "
                "AND failed_at > ? GROUP BY key", [list(keys), now - self.window]).fetchall()
        for count, first in rows:
            if count >= self.attempts:
                raise _refusal(math.ceil(first + self.window - now))

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self.connect() as store:
            store.con.execute("DELETE FROM signin_failures WHERE failed_at <= ?",
                              [now - self.window])
            store.con.executemany("INSERT INTO signin_failures VALUES (?, ?)",
                                  [[key, now] for key in keys])

    def succeeded(self, key: str) -> None:
        with self.connect() as store:
            store.con.execute("DELETE FROM signin_failures WHERE key = ?", [key])
