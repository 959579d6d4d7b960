"""An Open SDG data repository (read by ``ingest.opensdg``): ``data/indicator_<g>-<t>-<i>.csv``
per indicator, with ``Year``, the SDMX-coded columns the indicator uses (``SERIES``,
``UNIT_MEASURE``, ``SEX``, ``REF_AREA`` ...) and ``Value`` last, and
``translations/en/REF_AREA.yml`` naming the sub-national areas.

One repository holds one country. The Open SDG reader's conventions are inverted so the data
reads back as it is stored: a total is an empty cell; national rows have no ``REF_AREA``; a
national series ``KAZ_3_2_1`` is the file's series (no ``SERIES``), ``KAZ_2_2_1:_L_X`` is the
local code ``_L_X`` in file 2-2-1, ``KAZ_17_3_1_2:M_USD`` is series ``KAZ_17_3_1_2`` in unit
``M_USD``; a global series is written under each of its indicators.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack import framework
from sdgtrack.assess.national import indicator_of
from sdgtrack.errors import UsageError
from sdgtrack.ingest.opensdg import load_mapping
from sdgtrack.model import DIMENSIONS, TOTAL
from sdgtrack.publish.export.base import (
    Catalogue,
    ExportResult,
    as_table,
    atomic_folder,
    breakdown_columns,
    duplicate_note,
    number_text,
    text,
    used,
    value_text,
    write_csv,
)

#: National series made by the reader: ``<ISO3>_<goal>_<target>_<indicator>[_<sub>]``.
NATIONAL = re.compile(r"^([A-Z0-9]{3})_(\d+)_([0-9a-z]+)_(\d+(?:_\d+)*)$")
#: Attribute columns, in the order written (before ``Value``); each only where used.
ATTRIBUTES = {"OBS_STATUS": "obs_status", "NATURE": "nature", "COMMENT_OBS": "footnote",
              "SOURCE_DETAIL": "source_detail", "TIME_DETAIL": "time_detail",
              "LOWER_BOUND": "lower_bound", "UPPER_BOUND": "upper_bound"}
#: The reporting type the reader gives a row without REPORTING_TYPE.
READER_REPORTING_TYPE = "N"
_BREAKDOWN_DIMENSIONS = [c for c in DIMENSIONS if c.sdmx and c.name != "reporting_type"]


def _country(table: pa.Table, area: str | None) -> str:
    """The country (M49) of the repository: ``area``, else the one M49 code in the data."""
    if area is not None:
        return framework.resolve_area(area)
    m49: list[str] = sorted(a for a in pc.unique(table["ref_area"]).to_pylist() if a.isdigit())
    if len(m49) != 1:
        found = ", ".join(m49) or "none"
        raise UsageError(f"An Open SDG repository holds one country's data; the rows have the "
                         f"M49 areas {found}. Say which country with --area.")
    return m49[0]


def _rows_of(table: pa.Table, country: str, catalogue: Catalogue) -> tuple[pa.Table, list[str]]:
    """The country's rows and those of its sub-national areas, and a note on the others."""
    areas = pc.unique(table["ref_area"]).to_pylist()
    keep = [a for a in areas if a == country
            or (not a.isdigit() and catalogue.parents.get(a, country) == country)]
    kept = table.filter(pc.is_in(table["ref_area"], pa.array(keep, pa.string())))
    if kept.num_rows == table.num_rows:
        return kept, []
    others = ", ".join(sorted(set(areas) - set(keep)))
    return kept, [f"{table.num_rows - kept.num_rows} rows of other areas ({others}) are not "
                  f"written: the repository is for area {country} only."]


def _placements(series: str, unit: str | None, iso3: str, catalogue: Catalogue
                ) -> list[tuple[str, str]]:
    """Where a series goes: [(indicator, SERIES cell)]."""
    code = series.removesuffix(f":{unit}") if unit else series
    own, _, local = code.partition(":")
    if (m := NATIONAL.match(own)) and m[1] == iso3:
        return [(".".join([m[2], m[3], *m[4].split("_")]), local)]
    # a national SDMX code names its indicator (_L_KG_070301_2A is of 7.3.1)
    indicators = catalogue.indicators.get(code, ()) or tuple(
        i for i in [indicator_of(code)] if i is not None)
    if not indicators:
        raise UsageError(f"Series {series!r} is linked to no indicator, so it has no "
                         "indicator file in an Open SDG repository; leave it out with --series.")
    return [(i, code) for i in indicators]


def _files(table: pa.Table, iso3: str, catalogue: Catalogue
           ) -> dict[str, tuple[list[int], list[str]]]:
    """Indicator -> (rows of ``table``, SERIES cell of each)."""
    out: dict[str, tuple[list[int], list[str]]] = defaultdict(lambda: ([], []))
    cache: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
    pairs = zip(table["series_code"].to_pylist(), table["unit_measure"].to_pylist())
    for k, key in enumerate(pairs):
        if key not in cache:
            cache[key] = _placements(key[0], key[1], iso3, catalogue)
        for indicator, cell in cache[key]:
            out[indicator][0].append(k)
            out[indicator][1].append(cell)
    return dict(out)


def _columns(t: pa.Table, series: list[str], country: str) -> dict[str, list[str]]:
    """The columns of one indicator file, each only where the file's rows use it."""
    cols: dict[str, list[str]] = {"Year": text(t["time_period"].to_pylist())}
    if any(series):
        cols["SERIES"] = series
    cols["UNIT_MEASURE"] = text(t["unit_measure"].to_pylist())
    if pc.any(pc.not_equal(t["unit_mult"], 0)).as_py():
        cols["UNIT_MULT"] = text(t["unit_mult"].to_pylist())
    if set(t["reporting_type"].to_pylist()) != {READER_REPORTING_TYPE}:
        cols["REPORTING_TYPE"] = text(t["reporting_type"].to_pylist())
    for dim in _BREAKDOWN_DIMENSIONS:
        if used(t, dim.name):
            cols[str(dim.sdmx)] = ["" if c == TOTAL else c for c in t[dim.name].to_pylist()]
    cols.update(breakdown_columns(t))
    if pc.any(pc.not_equal(t["ref_area"], country)).as_py():
        cols["REF_AREA"] = ["" if a == country else a for a in t["ref_area"].to_pylist()]
    for header, field in ATTRIBUTES.items():
        if used(t, field):
            values = t[field].to_pylist()
            cols[header] = ([number_text(v) for v in values] if field.endswith("_bound")
                            else text(values))
    cols["Value"] = value_text(t)
    return cols


def _check_breakdowns(table: pa.Table) -> None:
    """A breakdown named like a column the reader maps (``Region`` is REF_AREA) would be
    read back as that column, so it cannot be written."""
    mapped = load_mapping(None)["columns"]
    clash = [c for c in breakdown_columns(table) if c.lower() in mapped]
    if clash:
        raise UsageError(f"Breakdown(s) {', '.join(clash)} would be read back as another "
                         "column of an Open SDG file; export these series in another format.")


def _code_notes(table: pa.Table) -> list[str]:
    """Stored codes that the reader's code mapping would turn into other codes."""
    codes = load_mapping(None)["codes"]
    out = []
    for field, mapping in codes.items():
        for code in pc.unique(table[field]).to_pylist():
            mapped = mapping.get(str(code).lower()) if code is not None else None
            if mapped is not None and mapped != code:
                out.append(f"{field} {code!r} reads back as {mapped!r}: the Open SDG mapping "
                           f"(ingest/data/opensdg_mapping.yml) reads {code.lower()!r} as it.")
    return out


def _notes(table: pa.Table, subnational: dict[str, str], country: str) -> list[str]:
    out = _code_notes(table)
    if used(table, "base_period"):
        out.append("Open SDG files have no base period column: base_period is not written.")
    if not subnational:
        out.append(f"The repository has no sub-national areas to tell its country: "
                   f"re-import it with --area {framework.iso3_of(country)}.")
    unknown = sorted({s for s in pc.unique(table["series_code"]).to_pylist()
                      if ":" not in s and not NATIONAL.match(s)} - framework.known_series())
    if unknown:
        out.append(f"Series {', '.join(unknown)} are not in the framework's series list: the "
                   "Open SDG reader reads them back as local series of their indicator.")
    return out


def _translations(folder: Path, subnational: dict[str, str]) -> int:
    import yaml

    if not subnational:
        return 0
    target = folder / "translations" / "en"
    target.mkdir(parents=True)
    body = yaml.safe_dump(dict(sorted(subnational.items())), allow_unicode=True)
    (target / "REF_AREA.yml").write_text(body, encoding="utf-8")
    return 1


def write_open_sdg(observations: Any, out: Path, *, area: str | None = None,
                   catalogue: Catalogue | None = None) -> ExportResult:
    """Write one country's observations (``area``, or the one country in the data, with its
    sub-national areas) to the new folder ``out`` as an Open SDG data repository."""
    catalogue = catalogue or Catalogue.from_framework()
    table = as_table(observations)
    country = _country(table, area)
    table, dropped = _rows_of(table, country, catalogue)
    _check_breakdowns(table)
    files = _files(table, framework.iso3_of(country), catalogue)
    subnational = {a: catalogue.areas.get(a, a) for a in pc.unique(table["ref_area"]).to_pylist()
                   if a != country}
    written = 0
    with atomic_folder(out) as tmp:
        (tmp / "data").mkdir()
        for indicator, (rows, series) in sorted(files.items()):
            t = table.take(pa.array(rows, pa.int64()))
            cols = _columns(t, series, country)
            name = f"indicator_{indicator.replace('.', '-')}.csv"
            written += write_csv(tmp / "data" / name, list(cols), list(cols.values()))
        n_files = len(files) + _translations(tmp, subnational)
    notes = dropped + _notes(table, subnational, country) + duplicate_note(table)
    return ExportResult("open-sdg", out, table.num_rows, written, n_files, tuple(notes))
