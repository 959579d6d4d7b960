"""Shared by the benchmark scripts: the best of several timed runs, and a store holding the
bundled extract."""

from __future__ import annotations

import subprocess
import sys
import time
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
