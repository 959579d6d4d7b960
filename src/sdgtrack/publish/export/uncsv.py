"""The UN Global SDG Indicators Database / SDG API CSV layout (read by ``ingest.uncsv``).

Columns as in the SDG API download (``METHODS.md`` §5.1): ``Goal, Target, Indicator,
SeriesCode, SeriesDescription, GeoAreaCode, GeoAreaName, TimePeriod, Value, Time_Detail,
TimeCoverage, UpperBound, LowerBound, BasePeriod, Source, GeoInfoUrl, FootNote``, then a
bracketed column per breakdown the data uses (``[Age]``, ``[Sex]`` ..., and one per other
breakdown concept), then ``[Observation Status]``, ``[Unit multiplier]`` where used, and
``[Nature]``, ``[Units]``, ``[Reporting Type]``. Codes are the UN's (``BOTHSEX``, ``<5Y``).
A breakdown cell is filled for the series that use that breakdown and left empty otherwise,
as in the UN download; empty reads back as the total.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack.model import TOTAL
from sdgtrack.publish.export.base import (
    Catalogue,
    ExportResult,
    as_table,
    atomic_file,
    breakdown_columns,
    duplicate_note,
    number_text,
    text,
    used,
    value_text,
    write_csv,
)
from sdgtrack.publish.export.codes import un_code

#: Canonical dimension -> the SDG API's bracketed column, in the API's order.
DIMENSION_LABELS: dict[str, str] = {
    "age": "[Age]", "sex": "[Sex]", "urbanisation": "[Location]",
    "income_wealth_quantile": "[Quantile]", "education_lev": "[Education level]",
    "disability_status": "[Disability status]", "migratory_status": "[Migratory status]",
    "occupation": "[Type of occupation]", "activity": "[Activity]",
    "product": "[Type of product]",
}
#: Plain attribute columns, after ``Value``; ``TimeCoverage`` and ``GeoInfoUrl`` are not
#: stored by sdgtrack and stay empty.
ATTRIBUTE_LABELS: dict[str, str | None] = {
    "Time_Detail": "time_detail", "TimeCoverage": None, "UpperBound": "upper_bound",
    "LowerBound": "lower_bound", "BasePeriod": "base_period", "Source": "source_detail",
    "GeoInfoUrl": None, "FootNote": "footnote",
}
_FLOATS = ("upper_bound", "lower_bound")


def concept_label(concept: str) -> str:
    """A breakdown concept as a bracketed column that ``concept_name`` reads back as it.

    >>> concept_label("NAME_OF_NON_COMMUNICABLE_DISEASE")
    '[Name Of Non Communicable Disease]'
    """
    return "[" + concept.replace("_", " ").title() + "]"


def _goals(catalogue: Catalogue, series: list[str]) -> dict[str, tuple[str, str, str]]:
    """Series -> (Goal, Target, Indicator) cells, joined by ', ' for a multi-goal series."""
    out = {}
    for code in series:
        indicators = list(catalogue.indicators.get(code, ()))
        goals = list(dict.fromkeys(i.split(".")[0] for i in indicators))
        targets = list(dict.fromkeys(".".join(i.split(".")[:2]) for i in indicators))
        out[code] = (", ".join(goals), ", ".join(targets), ", ".join(indicators))
    return out


def _dimension(table: pa.Table, dim: str) -> list[str]:
    """UN codes of one dimension; empty for the series that do not use it."""
    codes = table[dim].to_pylist()
    users = set(pc.unique(table.filter(pc.not_equal(table[dim], TOTAL))["series_code"])
                .to_pylist())
    mapped = {c: un_code(dim, c) for c in set(codes)}
    return [mapped[c] if s in users else ""
            for s, c in zip(table["series_code"].to_pylist(), codes)]


def _columns(table: pa.Table, catalogue: Catalogue) -> dict[str, list[str]]:
    series = table["series_code"].to_pylist()
    areas = table["ref_area"].to_pylist()
    goals = _goals(catalogue, sorted(set(series)))
    cols: dict[str, list[str]] = {
        "Goal": [goals[s][0] for s in series],
        "Target": [goals[s][1] for s in series],
        "Indicator": [goals[s][2] for s in series],
        "SeriesCode": series,
        "SeriesDescription": [catalogue.series.get(s, "") for s in series],
        "GeoAreaCode": areas,
        "GeoAreaName": [catalogue.areas.get(a, "") for a in areas],
        "TimePeriod": text(table["time_period"].to_pylist()),
        "Value": value_text(table),
    }
    for label, field in ATTRIBUTE_LABELS.items():
        values = table[field].to_pylist() if field else [None] * table.num_rows
        cols[label] = [number_text(v) for v in values] if field in _FLOATS else text(values)
    for dim, label in DIMENSION_LABELS.items():
        if used(table, dim):
            cols[label] = _dimension(table, dim)
    for concept, codes in breakdown_columns(table).items():
        cols[concept_label(concept)] = codes
    if used(table, "obs_status"):
        cols["[Observation Status]"] = text(table["obs_status"].to_pylist())
    if pc.any(pc.not_equal(table["unit_mult"], 0)).as_py():
        cols["[Unit multiplier]"] = text(table["unit_mult"].to_pylist())
    cols["[Nature]"] = text(table["nature"].to_pylist())
    cols["[Units]"] = text(table["unit_measure"].to_pylist())
    cols["[Reporting Type]"] = text(table["reporting_type"].to_pylist())
    return cols


def notes(table: pa.Table) -> list[str]:
    """Nothing the UN CSV layout or its reader loses (the reporting type is read back)."""
    return []


def write_un_csv(observations: Any, out: Path, *, catalogue: Catalogue | None = None
                 ) -> ExportResult:
    """Write the observations to ``out`` in the SDG API CSV layout (gzip-compressed when the
    name ends in ``.gz``). Goal, target, indicator, series and area names come from the
    catalogue (the framework's when none is given)."""
    table = as_table(observations)
    cols = _columns(table, catalogue or Catalogue.from_framework())
    with atomic_file(out) as tmp:
        n = write_csv(tmp, list(cols), list(cols.values()), out.name.endswith(".gz"))
    return ExportResult("csv", out, table.num_rows, n, 1,
                        tuple(notes(table) + duplicate_note(table)))
