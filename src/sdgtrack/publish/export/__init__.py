"""Open exports: the store's observations in the formats others read, each written so that
sdgtrack's own reader of the format reads the same observations back.

``export(observations, fmt, out)`` writes one format; ``current_observations(store, ...)``
selects what to write and ``store_catalogue(store)`` gives the names and provenance the formats
carry. Formats: ``csv`` (the UN SDG API layout), ``sdmx-csv``, ``sdmx-ml``,
``parquet``, ``xlsx`` (the
data-entry template) and ``open-sdg`` (a folder). Every write is atomic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sdgtrack.errors import UsageError
from sdgtrack.publish.export.base import Catalogue, ExportResult
from sdgtrack.publish.export.excel import write_xlsx
from sdgtrack.publish.export.opensdg import write_open_sdg
from sdgtrack.publish.export.parquet import write_parquet
from sdgtrack.publish.export.sdmx import DATAFLOW, write_sdmx_csv
from sdgtrack.publish.export.sdmxml import write_sdmx_ml
from sdgtrack.publish.export.select import current_observations, store_catalogue
from sdgtrack.publish.export.uncsv import write_un_csv

#: Format name -> what it writes.
FORMATS: dict[str, str] = {
    "csv": "CSV in the UN SDG API layout (Goal ... FootNote, [Sex], [Age] ..., UN codes)",
    "sdmx-csv": "SDMX-CSV 1.0 (or 2.0) for the SDG dataflow IAEG-SDGs:DF_SDG_GLH",
    "sdmx-ml": "SDMX-ML 2.1 structure-specific data for the SDG data structure (.xml), and "
               "beside it a structure message (.dsd.xml) for codes outside the SDG code lists",
    "parquet": "Parquet with the canonical observation columns and their types",
    "xlsx": "the sdgtrack Excel data-entry template, with README and Provenance sheets",
    "open-sdg": "an Open SDG data repository folder (data/indicator_<g>-<t>-<i>.csv)",
}


def export(observations: Any, fmt: str, out: Path, *, catalogue: Catalogue | None = None,
           area: str | None = None, dataflow: str = DATAFLOW, sdmx_version: str = "1.0"
           ) -> ExportResult:
    """Write ``observations`` (an Ibis expression or pyarrow Table in the canonical layout)
    to ``out`` in format ``fmt``. ``catalogue`` gives names and provenance (the framework's
    names when None); ``area`` picks the country of an Open SDG repository; ``dataflow`` and
    ``sdmx_version`` apply to SDMX-CSV."""
    out = Path(out)
    if fmt == "csv":
        return write_un_csv(observations, out, catalogue=catalogue)
    if fmt == "sdmx-csv":
        return write_sdmx_csv(observations, out, dataflow=dataflow, version=sdmx_version)
    if fmt == "sdmx-ml":
        return write_sdmx_ml(observations, out, catalogue=catalogue)
    if fmt == "parquet":
        return write_parquet(observations, out)
    if fmt == "xlsx":
        return write_xlsx(observations, out, catalogue=catalogue)
    if fmt == "open-sdg":
        return write_open_sdg(observations, out, area=area, catalogue=catalogue)
    formats = "\n".join(f"  - {name}: {what}" for name, what in FORMATS.items())
    raise UsageError(f"Unknown export format {fmt!r}. The formats are:\n{formats}")


__all__ = [
    "DATAFLOW",
    "FORMATS",
    "Catalogue",
    "ExportResult",
    "current_observations",
    "export",
    "store_catalogue",
    "write_open_sdg",
    "write_parquet",
    "write_sdmx_csv",
    "write_un_csv",
    "write_xlsx",
]
