"""One CSV file of an Open SDG repository: its columns matched to fields (through the
mapping table, then the names of the repository's DSD), its labels to codes, its
placeholder rows to an indicator status, its series named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack import framework
from sdgtrack.errors import Issue, IssueCode
from sdgtrack.ingest import dsd
from sdgtrack.ingest.base import (
    ReadOptions,
    join_breakdown,
    map_codes,
    raw_table,
    recode,
    stripped,
)
from sdgtrack.ingest.labels import code_map, first_row_with, is_code, unmatched, unmatched_issue
from sdgtrack.ingest.sdmx import CONCEPTS
from sdgtrack.ingest.text import TextTable, read_text_table
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.model.codes import concept_name

REQUIRED = ("time_period", "value_raw")
_TEXT_FIELDS = ("series_code", "ref_area", "time_period", "value_raw", "unit_measure",
                "unit_mult", "obs_status", "nature", "footnote", "source_detail",
                "time_detail", "lower_bound", "upper_bound")


@dataclass(frozen=True)
class Repository:
    """What every file of one repository is read with."""

    mapping: dict[str, Any]
    structure: dsd.Structure
    country: str
    options: ReadOptions
    #: series code -> title, for series a file names in words (filled as files are read)
    titles: dict[str, str] = field(default_factory=dict)


def read_file(file: Path, name: str, indicator: str, repo: Repository, issues: list[Issue]
              ) -> pa.Table | None:
    """The raw rows of one indicator CSV (``indicator`` as ``3.2.1``), or None."""
    text, found = read_text_table(file, name)
    if text is not None:
        text = _without_placeholders(text, name, found)
    if text is None or text.table.num_rows == 0:
        # An indicator with no data yet is normal in a national repository
        if not any(i.code is IssueCode.INDICATOR_WITHOUT_DATA for i in found):
            found.append(Issue(name, None, None, IssueCode.INDICATOR_WITHOUT_DATA, None,
                               "The indicator file has no data rows; nothing was loaded "
                               "from it.", "Nothing to do until the indicator has data."))
        issues += found
        return None
    issues += found
    t = text.table
    n = t.num_rows
    fields, breakdowns = _assign_columns(t, repo, name, issues)
    if not _has_required(fields, name, issues):
        return None
    cols = _coded(t, fields, repo, name, text.rows.tolist(), issues)
    cols["ref_area"] = _ref_area(cols, t, fields, repo.country)
    default_series = f"{framework.iso3_of(repo.country)}_{indicator.replace('.', '_')}"
    cols["series_code"] = split_by_unit(_series_codes(cols.get("series_code"), default_series,
                                                       n, repo.titles), cols.get("unit_measure"))
    for attr in ("unit_measure", "obs_status", "nature", "footnote", "source_detail",
                 "time_detail"):
        if attr in cols:
            cols[attr] = pc.if_else(pc.equal(cols[attr], ""), None, cols[attr])
    cols["breakdown"] = join_breakdown(breakdowns, n)
    if "reporting_type" not in cols:
        cols["reporting_type"] = pa.repeat(repo.options.reporting_type or "N", n)
    return raw_table(cols, n, name, text.rows)


def _coded(t: pa.Table, fields: dict[str, str], repo: Repository, name: str,
           rows: list[int], issues: list[Issue]) -> dict[str, pa.Array]:
    """The columns that fill a field, labels replaced by codes; each column's labels that
    match no code listed once."""
    cols: dict[str, pa.Array] = {}
    for col, target in fields.items():
        if target not in DIMENSION_NAMES and target not in _TEXT_FIELDS:
            continue
        concept = _CONCEPT_OF.get(target, "")
        found = code_map(t[col], repo.mapping["codes"].get(target),
                         repo.structure.codes.get(concept))
        cols[target] = (map_codes(target, t[col], found) if target in DIMENSION_NAMES
                        else recode(t[col], found))
        if target in _LABELLED:
            _list_unmatched(t[col], found, repo.structure.ids.get(concept), name, col, rows,
                            issues)
    for col in t.column_names:
        if col not in fields and not col.startswith("_empty_"):  # kept as a breakdown
            _list_unmatched(t[col], {}, None, name, col, rows, issues)
    return cols


#: canonical field -> SDMX concept (``sex`` -> ``SEX``), for the DSD's code names
_CONCEPT_OF = {field: concept for concept, field in CONCEPTS.items()}
#: Fields whose cells are codes: a label in words that matches none is listed.
_LABELLED = (*(d for d in DIMENSION_NAMES if d != "breakdown"), "ref_area", "obs_status",
             "nature", "unit_measure")


def _list_unmatched(column: pa.ChunkedArray, found: dict[str, str], codes: set[str] | None,
                    name: str, header: str, rows: list[int], issues: list[Issue]) -> None:
    left = unmatched(column, found, codes)
    if left:
        first = first_row_with(column, left, rows)
        issues.append(unmatched_issue(name, header, left, first))


#: A Year cell with no digit in it, beside an empty Value: Open SDG's stand-in row
#: ("There is no data for this indicator yet", "This is a non-statistical indicator").
_NO_DIGIT = r"^[^0-9]+$"


def _without_placeholders(text: TextTable, name: str, issues: list[Issue]) -> TextTable:
    """``text`` without its placeholder rows; each distinct text is one
    ``indicator_without_data`` note (the indicator's status), never an error."""
    t = text.table
    year = next((c for c in t.column_names if c.lower() in ("year", "time_period")), None)
    value = next((c for c in t.column_names if c.lower() in ("value", "obs_value")), None)
    if year is None or value is None or t.num_rows == 0:
        return text
    cell = stripped(t[year])
    mask = pc.and_(pc.match_substring_regex(cell, _NO_DIGIT),
                   pc.equal(stripped(t[value]), ""))
    if not pc.any(mask).as_py():
        return text
    hits = t.filter(mask)
    lines = text.rows[pc.indices_nonzero(mask).to_numpy()]
    for said in sorted(set(stripped(hits[year]).to_pylist())):
        issues.append(Issue(name, int(lines[0]), year, IssueCode.INDICATOR_WITHOUT_DATA, said,
                            f"The file says {said!r}: the indicator is recorded as without "
                            "data, and the row is not an observation.",
                            "Nothing to do until the indicator has data."))
    keep = pc.invert(mask)
    return TextTable(t.filter(keep), text.rows[pc.indices_nonzero(keep).to_numpy()])


def _assign_columns(t: pa.Table, repo: Repository, name: str, issues: list[Issue]
                    ) -> tuple[dict[str, str], list[tuple[str, pa.Array]]]:
    """Which field each column fills; unmapped columns become named breakdowns."""
    fields: dict[str, str] = {}
    breakdowns: list[tuple[str, pa.Array]] = []
    for col in t.column_names:
        target = _field_for(col, repo, name, t, issues)
        if target is None:
            continue
        if target.startswith("breakdown:"):
            breakdowns.append((target.split(":", 1)[1], t[col]))
        elif target == "ref_area" and "ref_area" in fields.values():
            # REF_AREA and the older GeoCode side by side, or the starter's Region (names)
            # and GeoCode (codes): the codes are the area, the other fills its gaps
            first = next(c for c, f in fields.items() if f == "ref_area")
            if col.lower() in _AREA_CODE_HEADERS and first.lower() not in _AREA_CODE_HEADERS:
                fields[first], fields[col] = "ref_area_alt", "ref_area"
            else:
                fields[col] = "ref_area_alt"
        else:
            fields[col] = target
    return fields, breakdowns


#: Headers whose cells are area codes (the others, such as Region, may hold names).
_AREA_CODE_HEADERS = ("ref_area", "geocode")


def _has_required(fields: dict[str, str], name: str, issues: list[Issue]) -> bool:
    missing = [f for f in REQUIRED if f not in fields.values()]
    for f in missing:
        header = "Year" if f == "time_period" else "Value"
        issues.append(Issue(name, 1, header, IssueCode.MISSING_COLUMN, None,
                            f"The required column {header!r} is missing.",
                            f"Add a {header!r} column (Open SDG files need Year and Value)."))
    return not missing


def _field_for(col: str, repo: Repository, name: str, t: pa.Table,
               issues: list[Issue]) -> str | None:
    """The field a column fills: by the mapping table, else by the DSD's concept names,
    else a breakdown of its own named after the header."""
    mapping = repo.mapping
    if col.startswith("_empty_"):
        filled = pc.sum(pc.invert(pc.equal(stripped(t[col]), ""))).as_py() or 0
        issues.append(Issue(
            name, 1, f"column {col.removeprefix('_empty_')}", IssueCode.EMPTY_HEADER, None,
            f"A column has no header{'' if filled == 0 else f' and {filled} values'}; "
            "it was ignored.",
            "Delete the empty column (often left by a spreadsheet) or give it a header."))
        return None
    target = mapping["columns"].get(col.lower())
    if target is None and (concept_id := repo.structure.concepts.get(dsd.fold(col))):
        target = CONCEPTS.get(concept_id)
    if col.lower() in mapping["renamed"]:
        issues.append(Issue(name, 1, col, IssueCode.RENAMED_COLUMN, col,
                            f"{col!r} is an older Open SDG column name; read as "
                            f"{mapping['renamed'][col.lower()]!r}.",
                            f"Rename the column to {mapping['renamed'][col.lower()]!r}."))
    if target is None:
        concept = concept_name(col)
        if concept not in ("COMPOSITE_BREAKDOWN", "CUST_BREAKDOWN"):
            issues.append(Issue(name, 1, col, IssueCode.UNKNOWN_COLUMN, col,
                                f"{col!r} is not a known column; kept as breakdown {concept}.",
                                "Add it to a --mapping file if it is a standard dimension."))
        return f"breakdown:{concept}"
    return str(target)


def _ref_area(cols: dict[str, pa.Array], t: pa.Table, fields: dict[str, str],
              country: str) -> pa.Array:
    n = t.num_rows
    area = cols.get("ref_area")
    alt = next((stripped(t[c]) for c, f in fields.items() if f == "ref_area_alt"), None)
    if area is None:
        return pa.repeat(country, n)
    if alt is not None:
        area = pc.if_else(pc.equal(area, ""), alt, area)
    # the country's own code (KG, KGZ, 417) is the national figure, as an empty cell is
    own = pa.array(["", country, framework.iso3_of(country),
                    framework.iso2_index().get(country, "")])
    return pc.if_else(pc.is_in(area, own), country, area)


def _series_codes(series: pa.Array | None, default: str, n: int,
                  titles: dict[str, str]) -> pa.Array:
    """A global SDG series code stays as it is; an empty one is the indicator's national
    series ``<ISO3>_<g>_<t>_<i>``; a local code (``_L_KZ_DD_MSD``) is only unique within its
    indicator file, so it becomes ``<national series>:<local code>``. A series named in
    words ("Процент завершения начального образования") becomes ``<national series>:L<k>``
    (k: its place among the file's names, sorted), and the name its title in ``titles``: a
    200-letter name would make a page's file name too long for any file system."""
    if series is None:
        return pa.repeat(default, n)
    words = sorted(v for v in pc.unique(series).to_pylist() if v and not is_code(v))
    if words:
        short = {w: f"L{k}" for k, w in enumerate(words, start=1)}
        titles.update({f"{default}:{c}": w for w, c in short.items()})
        series = recode(series, short)
    known = pa.array(sorted(framework.known_series()))
    local = pc.binary_join_element_wise(default, series, ":")
    named = pc.if_else(pc.is_in(series, known), series, local)
    return pc.if_else(pc.equal(series, ""), default, named)


def split_by_unit(series: pa.Array, units: pa.Array | None) -> pa.Array:
    """Open SDG treats the unit as a disaggregation (one indicator shown in % and in
    tonnes); sdgtrack gives each unit its own series, ``<series>:<UNIT>``, wherever a
    series of the file comes in more than one unit."""
    if units is None:
        return series
    pairs = pa.table({"s": series, "u": pc.fill_null(units, "")}).group_by(["s", "u"]).aggregate([])
    counts = pairs.group_by("s").aggregate([("u", "count")])
    multi = counts.filter(pc.greater(counts["u_count"], 1))["s"]
    if len(multi) == 0:
        return series
    split = pc.and_(pc.is_in(series, multi), pc.not_equal(pc.fill_null(units, ""), ""))
    return pc.if_else(split, pc.binary_join_element_wise(series, units, ":"), series)
