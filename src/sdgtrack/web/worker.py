"""One ``sdgtrack serve --workers N`` worker process. uvicorn starts each worker from an
import string, so the parent hands the store and the mode over in the environment; each
worker opens its own store (a PostgreSQL connection, or a DuckDB reader of the snapshots).
Cached pages stay right on every worker because each one polls the store's version
(``publish/site/version.py``), whichever worker or command wrote."""

from __future__ import annotations

import os

from fastapi import FastAPI

#: set by ``sdgtrack serve`` for its workers
STORE, MODE, ADDRESS = "SDGTRACK_SERVE_STORE", "SDGTRACK_SERVE_MODE", "SDGTRACK_SERVE_URL"


def handover(location: str, *, writable: bool, url: str) -> None:
    """Put what a worker needs in the environment its processes inherit."""
    os.environ.update({STORE: location, MODE: "writable" if writable else "read-only",
                       ADDRESS: url})


def app() -> FastAPI:
    """The app of one worker (uvicorn's ``factory=True`` calls this in each process)."""
    from sdgtrack import logs
    from sdgtrack.store import Store
    from sdgtrack.web.app import create_app

    logs.configure()
    location = os.environ[STORE]
    if os.environ[MODE] == "writable":
        return create_app(Store(location, server=os.environ[ADDRESS]))
    return create_app(Store(location, read_only=True))
