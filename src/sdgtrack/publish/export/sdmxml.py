"""SDMX-ML 2.1 structure-specific data for the SDG data structure (read by
``ingest.sdmx.SdmxMl``), the form national SDMX systems exchange (Kyrgyzstan's
``data/*.xml`` are written so, by the SDMX Converter).

One ``Series`` per series key (the SDG dimensions, and ``UNIT_MEASURE`` as the national
files have it), its ``Obs`` with ``TIME_PERIOD``, ``OBS_VALUE`` as published and the other
attributes. The cells are the SDMX-CSV writer's (``export.sdmx``), so both formats say the
same; a breakdown outside the SDG structure is written as a series attribute of its own
name (a national structure's extra dimension), which sdgtrack reads back as its breakdown.
A period that is not a year is written in SDMX's form (``2000-Q1``, ``2000-01``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pyarrow as pa

from sdgtrack.model import TOTAL
from sdgtrack.publish.export.base import ExportResult, as_table, atomic_file, duplicate_note
from sdgtrack.publish.export.sdmx import DATAFLOW, _cells

#: Concepts of the observation (everything else of the SDMX-CSV row is of the series).
OBS_LEVEL = ("TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "NATURE", "TIME_DETAIL",
             "COMMENT_OBS", "UPPER_BOUND", "LOWER_BOUND", "SOURCE_DETAIL", "BASE_PER")
#: Concepts of the message, not written on a series.
LEFT_OUT = {"DATAFLOW", "TIME_COVERAGE", "COMMENT_TS", "GEO_INFO_URL", "GEO_INFO_TYPE",
            "CUST_BREAKDOWN_LB", "DATA_LAST_UPDATE"}
NS = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=IAEG-SDGs:SDG(1.8)"
_V21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1"
HEAD = "".join([
    '<?xml version="1.0" encoding="UTF-8"?>\n<message:StructureSpecificData ',
    f'xmlns:ss="{_V21}/data/structurespecific" xmlns:ns1="{NS}:ObsLevelDim:TIME_PERIOD" ',
    f'xmlns:message="{_V21}/message" xmlns:common="{_V21}/common" ',
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n',
    "<message:Header><message:ID>SDGTRACK</message:ID><message:Test>false</message:Test>",
    "<message:Prepared>2000-01-01T00:00:00</message:Prepared>",
    '<message:Sender id="sdgtrack"/>\n',
    f'<message:Structure structureID="SDG" namespace="{NS}:ObsLevelDim:TIME_PERIOD" ',
    'dimensionAtObservation="TIME_PERIOD"><common:Structure>',
    '<Ref agencyID="IAEG-SDGs" id="SDG" version="1.8"/></common:Structure>',
    "</message:Structure></message:Header>\n",
    '<message:DataSet ss:dataScope="DataStructure" xsi:type="ns1:DataSetType" ',
    'ss:structureRef="SDG">\n'])
TAIL = "</message:DataSet>\n</message:StructureSpecificData>\n"


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return " ".join(f"{k}={quoteattr(v)}" for k, v in pairs if v != "")


def sdmx_ml_text(table: pa.Table) -> tuple[str, list[str]]:
    """(the message, notes) for the canonical ``table``."""
    header, columns, notes = _cells(table, DATAFLOW, "1.0")
    cells = dict(zip(header, columns, strict=True))
    n = table.num_rows
    periods = table["period"].to_pylist() if "period" in table.column_names else [TOTAL] * n
    cells["TIME_PERIOD"] = [str(y) if p == TOTAL else p.replace("-FY", "")
                            for y, p in zip(cells["TIME_PERIOD"], periods, strict=True)]
    series_cols = [c for c in header if c not in OBS_LEVEL and c not in LEFT_OUT]
    obs_cols = [c for c in OBS_LEVEL if c in cells]
    groups: dict[tuple[str, ...], list[int]] = {}
    for i in range(n):
        groups.setdefault(tuple(cells[c][i] for c in series_cols), []).append(i)
    parts = [HEAD]
    for key, rows in groups.items():
        parts.append(f"<Series {_attrs(list(zip(series_cols, key, strict=True)))}>\n")
        parts += [f"<Obs {_attrs([(c, cells[c][i]) for c in obs_cols])}/>\n" for i in rows]
        parts.append("</Series>\n")
    parts.append(TAIL)
    if any(p != TOTAL and p.endswith("-FY") for p in periods):
        notes.append("Financial years are written as their first year's SDMX period; their "
                     "published form stays in TIME_DETAIL.")
    return "".join(parts), notes


def write_sdmx_ml(observations: Any, out: Path) -> ExportResult:
    """Write the observations to ``out`` as SDMX-ML 2.1 structure-specific data."""
    table = as_table(observations)
    text, notes = sdmx_ml_text(table)
    with atomic_file(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
        written = tmp.stat().st_size
    return ExportResult("sdmx-ml", out, table.num_rows, written, 1,
                        tuple(notes + duplicate_note(table)))
