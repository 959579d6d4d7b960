"""sdgtrack: follow-up and review of the 2030 Agenda.

The public API is this module's ``__all__`` (pinned by a test). Names are imported lazily so
that ``import sdgtrack.model`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "DataError",
    "Issue",
    "IssueCode",
    "ReadOptions",
    "SdgtrackError",
    "Store",
    "UsageError",
    "check_path",
    "ingest_paths",
    "read",
]

_WHERE = {
    "DataError": "sdgtrack.errors",
    "Issue": "sdgtrack.errors",
    "IssueCode": "sdgtrack.errors",
    "SdgtrackError": "sdgtrack.errors",
    "UsageError": "sdgtrack.errors",
    "ReadOptions": "sdgtrack.ingest",
    "read": "sdgtrack.ingest",
    "Store": "sdgtrack.store",
    "check_path": "sdgtrack.pipeline",
    "ingest_paths": "sdgtrack.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'sdgtrack' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
