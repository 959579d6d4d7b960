"""The forums' own records as data: the sessions of a forum's report, each roundtable's goal
and priority actions paragraph by paragraph (with the report's paragraph numbers), the
Voluntary National Review panel's lessons and the side events, each linked to the goals it
concerns. The 8th Asia-Pacific Forum (2021) is bundled (``data/apfsd8.yaml``); later forums'
reports come in the same schema (``SCHEMA.md``) as YAML or CSV, through ``read``.

Text is kept in the language the report was published in, as published; other languages are
marked as translations (``Forum.translations``: language -> who translated)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from sdgtrack.records.read import read, read_text
from sdgtrack.records.schema import KINDS, Forum, Record

__all__ = ["KINDS", "Forum", "Record", "bundled", "read", "read_text"]


def data_dir() -> Path:
    return Path(str(resources.files("sdgtrack.records") / "data"))


@cache
def bundled() -> tuple[tuple[Forum, tuple[Record, ...]], ...]:
    """The forums whose records ship with the package, oldest first."""
    return tuple(read(p) for p in sorted(data_dir().glob("*.yaml")))
