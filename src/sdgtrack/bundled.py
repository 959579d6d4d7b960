"""Real data shipped inside the package, so the first README command works offline."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

UNSD_DATASET = "unsd-sdg-global-database-escap"


def data_dir() -> Path:
    return Path(str(resources.files("sdgtrack") / "data"))


def unsd_escap() -> Path:
    """The UN SDG Global Database extract for the ESCAP region (Oct 2020), gzip CSVs."""
    return data_dir() / UNSD_DATASET
