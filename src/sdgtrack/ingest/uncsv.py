"""The UN Global SDG Indicators Database / SDG API CSV layout.

Columns: ``Goal, Target, Indicator, SeriesCode, SeriesDescription, GeoAreaCode, GeoAreaName,
TimePeriod, Value, Time_Detail, TimeCoverage, UpperBound, LowerBound, BasePeriod, Source,
GeoInfoUrl, FootNote`` and bracketed dimension/attribute columns (``[Sex]``, ``[Age]``,
``[Nature]``, ``[Units]`` ...), present only where a series has them. Only ``SeriesCode``,
``GeoAreaCode``, ``TimePeriod`` and ``Value`` are required (``../shared/METHODS.md`` §5.1).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack.errors import Issue, IssueCode
from sdgtrack.ingest.base import (
    AREA_COLUMNS,
    SERIES_COLUMNS,
    SERIES_INDICATOR_COLUMNS,
    ReadOptions,
    ReadResult,
    empty,
    join_breakdown,
    map_codes,
    raw_table,
    stripped,
)
from sdgtrack.ingest.text import first_line, read_text_table
from sdgtrack.model.codes import concept_name

REQUIRED = ("SeriesCode", "GeoAreaCode", "TimePeriod", "Value")
SIGNATURE = ("SeriesCode", "GeoAreaCode")
SUFFIXES = (".csv", ".csv.gz", ".txt")
#: Files of a folder read at once (each holds its expanded bytes while it is parsed).
READ_THREADS = 2

#: Plain columns -> canonical attribute.
ATTRIBUTE_COLUMNS = {
    "Nature": "nature", "[Nature]": "nature",
    "Units": "unit_measure", "[Units]": "unit_measure",
    "[Unit multiplier]": "unit_mult", "UnitMultiplier": "unit_mult",
    "[Observation Status]": "obs_status", "ObservationStatus": "obs_status",
    "Time_Detail": "time_detail", "UpperBound": "upper_bound", "LowerBound": "lower_bound",
    "BasePeriod": "base_period", "Source": "source_detail", "FootNote": "footnote",
}
#: Bracketed columns -> canonical dimension; any other bracketed column goes to ``breakdown``.
DIMENSION_COLUMNS = {
    "SEX": "sex", "AGE": "age", "LOCATION": "urbanisation", "QUANTILE": "income_wealth_quantile",
    "EDUCATION_LEVEL": "education_lev", "DISABILITY_STATUS": "disability_status",
    "MIGRATORY_STATUS": "migratory_status", "TYPE_OF_OCCUPATION": "occupation",
    "ACTIVITY": "activity", "TYPE_OF_PRODUCT": "product", "REPORTING_TYPE": "reporting_type",
}
#: Columns kept by the API that sdgtrack does not store (names and links it derives itself).
IGNORED = {"Goal", "Target", "Indicator", "SeriesDescription", "GeoAreaName", "TimeCoverage",
           "GeoInfoUrl"}


def _suffix_ok(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES)


class UnSdgCsv:
    name = "un-sdg-csv"
    headers = {"series_code": "SeriesCode", "ref_area": "GeoAreaCode",
               "time_period": "TimePeriod", "value_raw": "Value",
               **{v: k for k, v in ATTRIBUTE_COLUMNS.items() if not k.startswith("[")}}
    expects = ("UN SDG Global Database / SDG API CSV: a .csv (or .csv.gz) file with columns "
               "SeriesCode, GeoAreaCode, TimePeriod, Value, or a folder of such files")

    def files(self, path: Path) -> list[Path]:
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and _suffix_ok(p))
            return [p for p in candidates if self._signature(p)]
        return [path]

    @staticmethod
    def _signature(path: Path) -> bool:
        header = first_line(path)
        return all(col in header for col in SIGNATURE)

    def handles(self, path: Path) -> bool:
        if path.is_dir():
            return bool(self.files(path))
        return _suffix_ok(path) and self._signature(path)

    def read(self, path: Path, options: ReadOptions) -> ReadResult:
        base = path if path.is_dir() else path.parent
        tables, series, links, issues = [], [], [], []
        files = self.files(path)
        names = [str(f.relative_to(base)) if path.is_dir() else f.name for f in files]
        # two files at a time: pyarrow's compute functions run on one core each and let go
        # of the GIL, so a folder of files is read on both cores of a small machine
        with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
            pending = [pool.submit(self._read_file, f, n, options)
                       for f, n in zip(files, names)]
            for k, (name, future) in enumerate(zip(names, pending)):
                options.tick(name, k, len(files))
                got = future.result()
                issues += got[3]
                if got[0] is not None:
                    tables.append(got[0])
                    series.append(got[1])
                    links.append(got[2])
        return ReadResult(
            observations=pa.concat_tables(tables) if tables else empty(()),
            series=pa.concat_tables(series) if series else empty(SERIES_COLUMNS),
            series_indicators=(pa.concat_tables(links) if links
                               else empty(SERIES_INDICATOR_COLUMNS)),
            areas=empty(AREA_COLUMNS),
            issues=issues,
            files=files,
        )

    def _read_file(self, file: Path, name: str, options: ReadOptions):
        text, issues = read_text_table(file, name)
        if text is None:
            return None, None, None, issues
        t = text.table
        missing = [c for c in REQUIRED if c not in t.column_names]
        for col in missing:
            issues.append(Issue(
                name, 1, col, IssueCode.MISSING_COLUMN, None,
                f"The required column {col!r} is missing.",
                f"Add a {col!r} column; the SDG API layout needs {', '.join(REQUIRED)}.",
            ))
        if missing:
            return None, None, None, issues
        if t.num_rows == 0:
            issues.append(Issue(name, None, None, IssueCode.NO_ROWS, None,
                                "The file has a header but no data rows.",
                                "Export the data again with its rows."))
            return None, None, None, issues
        n = t.num_rows
        cols: dict[str, pa.Array] = {
            "series_code": stripped(t["SeriesCode"]),
            "ref_area": _m49(t["GeoAreaCode"]),
            "time_period": t["TimePeriod"],
            "value_raw": t["Value"],
        }
        extra = _map_columns(t, cols, name, issues)
        cols["breakdown"] = join_breakdown(extra, n)
        if options.reporting_type or "reporting_type" not in cols:
            # the file's [Reporting Type] (G global, N national) unless the user says otherwise
            cols["reporting_type"] = pa.repeat(options.reporting_type or "G", n)
        raw = raw_table(cols, n, name, text.rows)
        return raw, _series(t), _links(t), issues


def _map_columns(t: pa.Table, cols: dict[str, pa.Array], name: str,
                 issues: list[Issue]) -> list[tuple[str, pa.Array]]:
    """Fill ``cols`` with the attribute and dimension columns; return the other breakdowns."""
    extra: list[tuple[str, pa.Array]] = []
    for col in t.column_names:
        if col in ATTRIBUTE_COLUMNS:
            cols[ATTRIBUTE_COLUMNS[col]] = _null_if_empty(t[col])
        elif col.startswith("[") and col not in IGNORED:
            concept = concept_name(col)
            dim = DIMENSION_COLUMNS.get(concept)
            if dim:
                cols[dim] = map_codes(dim, t[col])
            else:
                extra.append((concept, t[col]))
        elif col not in IGNORED and col not in REQUIRED and not col.startswith("_empty_"):
            issues.append(Issue(
                name, 1, col, IssueCode.UNKNOWN_COLUMN, None,
                f"The column {col!r} is not part of the SDG API layout and was not stored.",
                "Rename it to a bracketed dimension such as '[Sex]' if it is a breakdown.",
            ))
    return extra


def _m49(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """GeoAreaCode as M49 without zero padding: '004' and '4' are both Afghanistan."""
    codes = stripped(column)
    trimmed = pc.utf8_ltrim(codes, "0")
    numeric = pc.match_substring_regex(codes, r"^\d+$")
    return pc.if_else(pc.and_(numeric, pc.not_equal(trimmed, "")), trimmed, codes)


def _null_if_empty(column: pa.ChunkedArray) -> pa.ChunkedArray:
    column = stripped(column)
    return pc.if_else(pc.equal(column, ""), None, column)


def _series(t: pa.Table) -> pa.Table:
    if "SeriesDescription" not in t.column_names:
        return empty(SERIES_COLUMNS)
    units = t["Units"] if "Units" in t.column_names else pa.repeat("", t.num_rows)
    s = pa.table({"series_code": stripped(t["SeriesCode"]),
                  "description": stripped(t["SeriesDescription"]),
                  "unit_measure": stripped(units)})
    return s.group_by(list(SERIES_COLUMNS)).aggregate([])


def _links(t: pa.Table) -> pa.Table:
    if "Indicator" not in t.column_names:
        return empty(SERIES_INDICATOR_COLUMNS)
    pairs = pa.table({"series_code": stripped(t["SeriesCode"]),
                      "indicator": stripped(t["Indicator"])}).group_by(
        ["series_code", "indicator"]).aggregate([])
    rows = [(s, i.strip()) for s, lst in zip(pairs["series_code"].to_pylist(),
                                             pairs["indicator"].to_pylist())
            for i in (lst or "").split(",") if i.strip()]
    return pa.table({"series_code": pa.array([r[0] for r in rows], pa.string()),
                     "indicator": pa.array([r[1] for r in rows], pa.string())})
