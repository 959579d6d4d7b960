"""Real data shipped inside the package, so the first README command works offline: two
vintages of the UN SDG Global Database extract for Asia and the Pacific, loaded as one
dataset (the newer supersedes the older, so the review can say what was revised;
``pipeline.load_bundled`` loads them)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: The dataset both bundled vintages are loads of.
UNSD_DATASET = "unsd-sdg-global-database-escap"
#: (folder, vintage), oldest first; the last is the default data.
VINTAGES = (("unsd-sdg-global-database-escap", "2020-10"),
            ("unsd-sdg-global-database-escap-2023", "2023-12"))


def data_dir() -> Path:
    return Path(str(resources.files("sdgtrack") / "data"))


def unsd_escap() -> Path:
    """The default data: the UN SDG Global Database extract for the ESCAP region, December
    2023 vintage (gzip CSVs, 2000-2023)."""
    return data_dir() / VINTAGES[-1][0]


def unsd_escap_2020() -> Path:
    """The earlier vintage: the same extract as of October 2020 (2000-2020)."""
    return data_dir() / VINTAGES[0][0]
