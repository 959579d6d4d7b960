"""SDMX-CSV for the global SDG data structure (read by ``ingest.sdmx.SdmxCsv``).

Version 1.0 (the default) is what data.un.org returns for ``format=csv``: a ``DATAFLOW``
column, then the concepts in the order of the UN's download (``FREQ, REPORTING_TYPE, SERIES,
REF_AREA``, the eleven breakdowns, ``TIME_PERIOD, OBS_VALUE`` and the attributes). Version
2.0 starts with ``STRUCTURE, STRUCTURE_ID, ACTION`` instead and can be read by sdmx1.
Codes are SDMX codes as stored (``_T`` for totals); ``OBS_VALUE`` is the value as published.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyarrow as pa

from sdgtrack.errors import UsageError
from sdgtrack.model import COLUMNS, TOTAL
from sdgtrack.publish.export.base import (
    ExportResult,
    as_table,
    atomic_file,
    breakdown_columns,
    csv_bytes,
    duplicate_note,
    number_text,
    text,
    used,
    value_text,
    write_csv,
)

DATAFLOW = "IAEG-SDGs:DF_SDG_GLH(1.24)"
VERSIONS = ("1.0", "2.0")
#: The concepts of the UN's SDMX-CSV download, in its order.
CONCEPTS = (
    "FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION",
    "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN",
    "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY", "PRODUCT", "TIME_PERIOD",
    "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "UNIT_MEASURE", "BASE_PER", "NATURE", "TIME_DETAIL",
    "COMMENT_OBS", "TIME_COVERAGE", "UPPER_BOUND", "LOWER_BOUND", "SOURCE_DETAIL", "COMMENT_TS",
    "GEO_INFO_URL", "GEO_INFO_TYPE", "CUST_BREAKDOWN_LB", "DATA_LAST_UPDATE",
)
#: Breakdown concepts of the data structure that sdgtrack keeps in ``breakdown``.
BREAKDOWNS = ("CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN")
#: SDMX concept -> canonical column (``model.COLUMNS`` says which concept each one is).
FIELDS = {c.sdmx: c.name for c in COLUMNS if c.sdmx}
_REF = re.compile(r"^IAEG-SDGs:(DF_SDG_GLH|DF_SDG_GLC|SDG)\([0-9.]+\)$")


def _concept(table: pa.Table, concept: str, breakdowns: dict[str, list[str]]) -> list[str]:
    """The cells of one concept column."""
    if concept in BREAKDOWNS:
        return [c or TOTAL for c in breakdowns.get(concept, [""] * table.num_rows)]
    field = FIELDS.get(concept)
    if concept == "FREQ":
        return ["A"] * table.num_rows
    if field is None:
        return [""] * table.num_rows
    if field == "value_raw":
        return value_text(table)
    if field in ("upper_bound", "lower_bound"):
        return [number_text(v) for v in table[field].to_pylist()]
    return text(table[field].to_pylist())


def _header(table: pa.Table, extra: list[str]) -> list[str]:
    """The UN's concepts, MIGRATORY_STATUS after DISABILITY_STATUS when the data uses it
    (it is not a concept of the SDG structure), then other breakdown concepts."""
    concepts = list(CONCEPTS)
    if used(table, "migratory_status"):
        concepts.insert(concepts.index("DISABILITY_STATUS") + 1, "MIGRATORY_STATUS")
    return concepts + extra


def notes(table: pa.Table, extra: list[str]) -> list[str]:
    out = []
    if used(table, "migratory_status"):
        out.append("MIGRATORY_STATUS is not a concept of the SDG data structure; it is written "
                   "as its own column, which sdgtrack reads back but other SDMX tools may not.")
    if extra:
        out.append(f"Breakdown(s) {', '.join(extra)} are not concepts of the SDG data "
                   "structure: written as extra columns (a national structure's own dimensions), "
                   "which sdgtrack reads back as breakdowns and other SDMX tools may not.")
    return out


def write_sdmx_csv(observations: Any, out: Path, *, dataflow: str = DATAFLOW,
                   version: str = "1.0") -> ExportResult:
    """Write the observations to ``out`` as SDMX-CSV ``version`` 1.0 or 2.0 for ``dataflow``
    (an ``IAEG-SDGs`` SDG dataflow or the ``SDG`` structure, e.g. the default
    ``IAEG-SDGs:DF_SDG_GLH(1.24)``)."""
    table = as_table(observations)
    header, columns, said = _cells(table, dataflow, version)
    with atomic_file(out) as tmp:
        written = write_csv(tmp, header, columns, out.name.endswith(".gz"))
    return ExportResult("sdmx-csv", out, table.num_rows, written, 1,
                        tuple(said + duplicate_note(table)))


def sdmx_csv_bytes(observations: Any, *, dataflow: str = DATAFLOW, version: str = "1.0"
                   ) -> bytes:
    """The bytes ``write_sdmx_csv`` writes, in memory: the API's ``observations.sdmx.csv``
    (one writer, so the download and ``sdgtrack export`` agree byte for byte)."""
    header, columns, _ = _cells(as_table(observations), dataflow, version)
    return csv_bytes(header, columns)


def _cells(table: pa.Table, dataflow: str, version: str
           ) -> tuple[list[str], list[list[str]], list[str]]:
    """(header, columns of cells, notes) of the SDMX-CSV of ``table``."""
    if _REF.match(dataflow) is None:
        raise UsageError(f"{dataflow!r} is not an SDG dataflow; give one such as {DATAFLOW} "
                         "(sdgtrack reads only the SDG data structure back).")
    if version not in VERSIONS:
        raise UsageError(f"SDMX-CSV version {version!r}: give one of {', '.join(VERSIONS)}.")
    breakdowns = breakdown_columns(table)
    extra = [c for c in breakdowns if c not in BREAKDOWNS]
    header = _header(table, extra)
    n = table.num_rows
    columns = [breakdowns[c] if c in extra else _concept(table, c, breakdowns) for c in header]
    if version == "1.0":
        header, columns = ["DATAFLOW", *header], [[dataflow] * n, *columns]
    else:
        header = ["STRUCTURE", "STRUCTURE_ID", "ACTION", *header]
        columns = [["dataflow"] * n, [dataflow] * n, ["I"] * n, *columns]
    return header, columns, notes(table, extra)
