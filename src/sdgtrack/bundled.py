"""Real data shipped inside the package, so the first README command works offline: two
vintages of the UN SDG Global Database extract for Asia and the Pacific, loaded as one
dataset (the newer supersedes the older, so the review can say what was revised)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sdgtrack.store import Store

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


def load(store: Store, on_load: Any = None) -> list[Any]:
    """Load the bundled vintages that the store lacks, oldest first, as the vintages of
    ``UNSD_DATASET``; a store whose dataset holds a vintage of the user's own (neither
    bundled one) is left as it is. Returns the pipeline's result for each load made."""
    from sdgtrack import pipeline

    checksums = [pipeline.input_checksum(data_dir() / folder) for folder, _ in VINTAGES]
    current = store.current_load(UNSD_DATASET)
    if current is not None and current["checksum"] not in checksums:
        return []
    have = checksums.index(current["checksum"]) if current is not None else -1
    results = []
    for k, (folder, vintage) in enumerate(VINTAGES):
        if k <= have:
            continue
        if on_load is not None:
            on_load(folder, vintage)
        results.append(pipeline.ingest_path(data_dir() / folder, store,
                                            dataset=UNSD_DATASET, vintage=vintage))
    return results
