"""Shared by the benchmark scripts: the best of several timed runs, and a store holding the
bundled extract."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

SDGTRACK = [sys.executable, "-m", "sdgtrack"]


def bundled_store(work: Path, db: Path | None = None) -> Path:
    """``db`` when given, else a new store in ``work`` loaded as `sdgtrack review` loads the
    bundled extract."""
    if db is not None:
        return db
    db = work / "bundled.duckdb"
    subprocess.run([*SDGTRACK, "review", "--no-serve", "--db", str(db)], check=True,
                   stdout=subprocess.DEVNULL)
    return db


def best(fn: Callable[[], object], repeat: int) -> float:
    """The shortest wall-clock time of ``repeat`` runs of ``fn`` (the least disturbed one)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def warm(base: str, paths: list[str], log: Path, count: int = 1) -> None:
    """Ask each path until each of the server's ``count`` workers has answered it once (its
    standard error, ``log``, names the worker of each request id): the first answer of a
    page is computed, a bench measures the ones after."""
    for path in paths:
        answered: set[int] = set()
        for _ in range(100):
            with urllib.request.urlopen(base + path, timeout=300) as answer:
                answer.read()
                rid = answer.headers["x-request-id"]
            time.sleep(0.05)  # the log line is written once the answer is sent
            lines = [json.loads(t) for t in log.read_text().splitlines() if t.startswith("{")]
            answered |= {line["pid"] for line in lines if line.get("request_id") == rid}
            if len(answered) >= count:
                break
