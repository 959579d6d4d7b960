"""Sign-in rate limiting: after ``attempts`` failures within ``window`` seconds for one key
(an account name, or a client address), further tries are refused until the oldest failure
ages out. Kept in memory: one server process, and a restart forgets (acceptable: the limit
slows guessing, argon2 makes each guess dear)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from sdgtrack.errors import TooManyAttempts

#: Keys remembered at most; beyond it the least recently failed are forgotten, so a flood of
#: made-up names cannot grow the server's memory without bound.
MAX_KEYS = 10_000


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
                    wait = math.ceil(failures[0] + self.window - now)
                    raise TooManyAttempts(
                        f"Too many failed sign-ins; try again in {wait} seconds, or ask an "
                        "administrator to reset the password.", retry_after=wait)

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
