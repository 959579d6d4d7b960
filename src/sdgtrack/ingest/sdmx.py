"""SDMX for the global SDG data structure (DSD ``IAEG-SDGs:SDG``, dataflows ``DF_SDG_GLH`` and
``DF_SDG_GLC``): SDMX-CSV (read as text) and SDMX-ML 2.1 generic or structure-specific data
(read with sdmx1). A national data structure derived from the global one (Kyrgyzstan's
``KG_NSC:SDG(1.8)``) is read too: it is recognised by the SDG ids of its dimensions (``SERIES``,
``REF_AREA``), as national and global SDMX exchange works. Files for a data structure that
shares neither are refused with ``wrong_structure``, naming the dimensions expected.

In SDMX-ML there are no lines: an issue's ``row`` is the observation's position in the message.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack import framework
from sdgtrack.errors import Issue, IssueCode, UsageError
from sdgtrack.ingest import dsd as structures
from sdgtrack.ingest.base import (
    AREA_COLUMNS,
    SERIES_COLUMNS,
    SERIES_INDICATOR_COLUMNS,
    ReadOptions,
    ReadResult,
    join_breakdown,
    map_codes,
    raw_table,
    recode,
    strings,
    stripped,
)
from sdgtrack.ingest.text import first_line, read_text_table
from sdgtrack.model import DIMENSION_NAMES

SDG_DSD = ("IAEG-SDGs", "SDG")
SDG_DATAFLOWS = ("DF_SDG_GLH", "DF_SDG_GLC")
EXPECTED = "the SDG data structure IAEG-SDGs:SDG (dataflow IAEG-SDGs:DF_SDG_GLH or DF_SDG_GLC)"

#: SDMX concept -> canonical field. CUST_BREAKDOWN and COMPOSITE_BREAKDOWN go to ``breakdown``.
CONCEPTS = {
    "SERIES": "series_code", "REF_AREA": "ref_area", "TIME_PERIOD": "time_period",
    "OBS_VALUE": "value_raw", "UNIT_MEASURE": "unit_measure", "UNIT_MULT": "unit_mult",
    "NATURE": "nature", "OBS_STATUS": "obs_status", "TIME_DETAIL": "time_detail",
    "UPPER_BOUND": "upper_bound", "LOWER_BOUND": "lower_bound",
    "SOURCE_DETAIL": "source_detail", "COMMENT_OBS": "footnote", "BASE_PER": "base_period",
    **{name.upper(): name for name in DIMENSION_NAMES if name != "breakdown"},
    "EDUCATION_LEV": "education_lev",
}
BREAKDOWNS = ("CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN")
#: Concepts that describe the message or the series, not the observation.
IGNORED = {"DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", "GEO_INFO_URL",
           "GEO_INFO_TYPE", "TIME_COVERAGE", "COMMENT_TS", "CUST_BREAKDOWN_LB",
           "DATA_LAST_UPDATE", "DECIMALS"}
#: The dimensions that make a data structure the SDG one or one derived from it.
SDG_DIMENSIONS = ("SERIES", "REF_AREA")
#: The annotation type of a series code that names one of its indicators, in the structure
#: message beside SDMX-ML data (``structure_path``).
INDICATOR_ANNOTATION = "SDG_INDICATOR"
_STRUCTURE_REF = re.compile(r"^(?P<agency>[^:]+):(?P<id>[^(]+)\((?P<version>[^)]*)\)$")


def _area_codes(column: pa.Array) -> pa.Array:
    """REF_AREA as M49: SDMX files from national systems sometimes use ISO codes (TJ)."""

    def resolve(code: str) -> str:
        if code.isdigit():
            return code.lstrip("0") or code
        try:
            return framework.resolve_area(code)
        except UsageError:
            return code

    return recode(column, {c: resolve(c) for c in pc.unique(stripped(column)).to_pylist()
                           if c is not None})


def _columns(values: dict[str, pa.Array], n: int, options: ReadOptions
             ) -> tuple[dict[str, pa.Array], list[str]]:
    """Canonical columns from SDMX concept columns; returns them and unknown concepts."""
    cols: dict[str, pa.Array] = {}
    extra: list[tuple[str, pa.Array]] = []
    unknown = []
    for concept, column in values.items():
        field = CONCEPTS.get(concept)
        if concept in BREAKDOWNS:
            extra.append((concept, column))
        elif field in DIMENSION_NAMES:
            cols[field] = map_codes(field, column)
        elif field is not None:
            cols[field] = stripped(column)
        elif concept not in IGNORED:
            # a national structure's own dimension: kept as its breakdown, never dropped
            unknown.append(concept)
            extra.append((concept, column))
    cols["ref_area"] = _area_codes(cols["ref_area"]) if "ref_area" in cols else cols.get(
        "ref_area")
    for attr in ("unit_measure", "nature", "obs_status", "footnote", "source_detail",
                 "time_detail", "base_period"):
        if attr in cols:
            cols[attr] = pc.if_else(pc.equal(cols[attr], ""), None, cols[attr])
    cols["breakdown"] = join_breakdown(extra, n)
    if options.reporting_type or "reporting_type" not in cols:
        cols["reporting_type"] = pa.repeat(options.reporting_type or "G", n)
    return cols, unknown




def _wrong(name: str, found: str, dimensions: list[str]) -> Issue:
    has = ", ".join(dimensions) if dimensions else "none"
    return Issue(name, None, "DATAFLOW", IssueCode.WRONG_STRUCTURE, found,
                 f"The file follows the data structure {found}, which is neither the SDG one "
                 f"nor derived from it: it lacks the SDG dimensions {' and '.join(SDG_DIMENSIONS)}"
                 f" (its dimensions: {has}).",
                 f"sdgtrack reads {EXPECTED} or a national structure with its dimension ids; "
                 "download the SDG dataflow instead.")


def _derived(dimensions: list[str]) -> bool:
    """A structure derived from the SDG one: it keeps the SDG dimension ids."""
    return all(d in dimensions for d in SDG_DIMENSIONS)


def _unknown_concepts(name: str, unknown: list[str]) -> list[Issue]:
    return [Issue(name, 1, c, IssueCode.UNKNOWN_COLUMN, c,
                  f"{c!r} is not a concept of the SDG data structure; kept as the breakdown "
                  f"{c}.", "Nothing to do if it is a dimension of the country's own structure; "
                  "otherwise check the file was exported from the SDG dataflow.")
            for c in unknown]


class SdmxCsv:
    name = "sdmx-csv"
    headers = {v: k for k, v in CONCEPTS.items()}
    expects = f"SDMX-CSV (a DATAFLOW or STRUCTURE column, TIME_PERIOD, OBS_VALUE) for {EXPECTED}"

    def files(self, path: Path) -> list[Path]:
        return [path]

    def handles(self, path: Path) -> bool:
        if not (path.is_file() and path.name.lower().endswith((".csv", ".csv.gz"))):
            return False
        header = [h.split(":")[0].strip() for h in first_line(path).split(",")]
        return bool(header) and header[0] in ("DATAFLOW", "STRUCTURE") and "OBS_VALUE" in header

    def read(self, path: Path, options: ReadOptions) -> ReadResult:
        name = path.name
        text, issues = read_text_table(path, name)
        if text is None:
            return ReadResult.nothing(issues, [path])
        t = text.table
        # labels=both exports write "SEX: Sex"; the code is before the colon
        t = t.rename_columns([c.split(":")[0].strip() for c in t.column_names])
        structure = self._structure(t)
        if structure is not None and not _derived(t.column_names):
            return ReadResult.nothing(issues + [_wrong(name, structure, t.column_names)],
                                      [path])
        if t.num_rows == 0:
            return ReadResult.nothing(issues + [Issue(
                name, None, None, IssueCode.NO_ROWS, None,
                "The file has a header but no data rows.", "Export the data again with its rows.",
            )], [path])
        missing = [c for c in ("SERIES", "REF_AREA", "TIME_PERIOD", "OBS_VALUE")
                   if c not in t.column_names]
        if missing:
            return ReadResult.nothing(issues + [
                Issue(name, 1, c, IssueCode.MISSING_COLUMN, None,
                      f"The required column {c!r} is missing.",
                      f"Export the full SDG data structure ({', '.join(missing)} absent).")
                for c in missing], [path])
        cols, unknown = _columns({c: t[c] for c in t.column_names}, t.num_rows, options)
        raw = raw_table(cols, t.num_rows, name, text.rows)
        return ReadResult.of(raw, issues + _unknown_concepts(name, unknown), [path])

    @staticmethod
    def _structure(t: pa.Table) -> str | None:
        """The structure named in the file when it is not the SDG one, else None."""
        column = "DATAFLOW" if "DATAFLOW" in t.column_names else "STRUCTURE_ID"
        if column not in t.column_names or t.num_rows == 0:
            return None
        for ref in pc.unique(t[column]).to_pylist():
            m = _STRUCTURE_REF.match(ref or "")
            if m is None or m["agency"] != SDG_DSD[0] or not (
                    m["id"] in SDG_DATAFLOWS or m["id"] == SDG_DSD[1]):
                return ref
        return None


class SdmxMl:
    name = "sdmx-ml"
    headers = {v: k for k, v in CONCEPTS.items()}
    expects = f"SDMX-ML 2.1 data (generic or structure-specific), .xml, for {EXPECTED}"

    def files(self, path: Path) -> list[Path]:
        return [path]

    def handles(self, path: Path) -> bool:
        if not (path.is_file() and path.suffix.lower() == ".xml"):
            return False
        with path.open("rb") as f:
            head = f.read(4096)
        # a structure message (``Structures``) describes data; it holds none
        return (b"sdmx.org/resources/sdmxml" in head and b"Data" in head
                and b"Structures>" not in head)

    def read(self, path: Path, options: ReadOptions) -> ReadResult:
        import sdmx

        name = path.name
        log = logging.getLogger("sdmx")
        level = log.level
        try:
            # structure-specific data without its DSD: sdmx1 infers the structure, and says so
            log.setLevel(logging.ERROR)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                # read from memory: on a parse error sdmx1 leaves a file it opened unclosed
                message = sdmx.read_sdmx(io.BytesIO(path.read_bytes()), format="XML")
        except Exception as exc:  # noqa: BLE001 - any parse failure is the file's problem
            return ReadResult.nothing([Issue(name, None, None, IssueCode.NOT_TABULAR, None,
                                   f"The SDMX-ML message cannot be read: {exc}",
                                   "Check the file is a complete SDMX-ML 2.1 data message.")],
                                      [path])
        finally:
            log.setLevel(level)
        datasets = getattr(message, "data", [])
        for ds in datasets:
            dsd = ds.structured_by
            found = f"{getattr(dsd.maintainer, 'id', dsd.maintainer)}:{dsd.id}({dsd.version})"
            dimensions = [d.id for d in dsd.dimensions.components]
            if (getattr(dsd.maintainer, "id", None), dsd.id) != SDG_DSD and not _derived(
                    dimensions):
                return ReadResult.nothing([_wrong(name, found, dimensions)], [path])
        values, positions = self._observations(datasets)
        n = len(positions)
        if n == 0:
            return ReadResult.nothing([Issue(
                name, None, None, IssueCode.NO_ROWS, None, "The message has no observations.",
                "Export the data again with its observations.")], [path])
        cols, unknown = _columns(values, n, options)
        raw = raw_table(cols, n, name, np.array(positions, dtype=np.int64))
        issues = _unknown_concepts(name, unknown)
        beside = structure_path(path)
        if not beside.is_file():
            return ReadResult.of(raw, issues, [path])
        try:
            structure = structures.read(beside)
        except (OSError, ValueError, SyntaxError) as exc:
            return ReadResult.nothing([Issue(
                beside.name, None, None, IssueCode.NOT_TABULAR, None,
                f"The structure message beside {name} cannot be read: {exc}",
                f"Export the data again (it writes both files), or remove {beside.name} "
                "to load the data with the SDG code lists only.")], [path, beside])
        return described(raw, structure, issues, [path, beside])

    @staticmethod
    def _observations(datasets: list) -> tuple[dict[str, pa.Array], list[int]]:
        """Concept -> column of text, one entry per observation (key, attributes, value)."""
        rows: list[dict[str, str]] = []
        for ds in datasets:
            shared = {k: str(v.value) for k, v in ds.attrib.items()}
            for obs in ds.obs:
                row = dict(shared)
                if obs.series_key is not None:
                    row.update({k: str(v.value) for k, v in obs.series_key.attrib.items()})
                row.update({k: str(v.value) for k, v in obs.key.values.items()})
                row.update({k: str(v.value) for k, v in obs.attached_attribute.items()})
                row["OBS_VALUE"] = "" if obs.value is None else str(obs.value)
                rows.append(row)
        concepts = sorted({k for r in rows for k in r})
        values = {c: pa.array([r.get(c, "") for r in rows], pa.string()) for c in concepts}
        return values, list(range(1, len(rows) + 1))


def structure_path(path: Path) -> Path:
    """The structure message beside SDMX-ML data, describing its codes outside the SDG code
    lists (``publish.export.sdmxml`` writes it): ``kg.xml`` -> ``kg.dsd.xml``.

    >>> structure_path(Path("out/kg.xml")).as_posix()
    'out/kg.dsd.xml'
    """
    return path.with_name(f"{path.stem}.dsd.xml")


def described(raw: pa.Table, structure: structures.Structure, issues: list[Issue],
              files: list[Path]) -> ReadResult:
    """The observations with the areas and series of ``structure`` that they use and the
    framework does not have: each area with its name and parent, each series with its name,
    its one unit and the indicators its annotations name."""
    known = framework.area_names()
    used_areas = set(pc.unique(raw["ref_area"]).to_pylist()) - known.keys()
    names, parents = structure.names.get("REF_AREA", {}), structure.parents.get("REF_AREA", {})
    areas = [(a, names.get(a, a), parents.get(a)) for a in sorted(used_areas)
             if a in structure.ids.get("REF_AREA", set())]
    units: dict[str, set[str]] = {}
    for s, u in zip(raw["series_code"].to_pylist(), raw["unit_measure"].to_pylist(),
                    strict=True):
        units.setdefault(s, set()).add(u or "")
    series_names = structure.names.get("SERIES", {})
    notes = structure.annotations.get("SERIES", {})
    global_series = framework.known_series()  # described by the framework already
    series = [(s, series_names[s], next(iter(units[s])) or None if len(units[s]) == 1
               else None) for s in sorted(units) if s in series_names
              and s not in global_series]
    links = [(s, text) for s, _, _ in series for kind, text in notes.get(s, [])
             if kind == INDICATOR_ANNOTATION and text]
    return ReadResult(raw, strings(series, SERIES_COLUMNS),
                      strings(links, SERIES_INDICATOR_COLUMNS), strings(areas, AREA_COLUMNS),
                      issues, files)
