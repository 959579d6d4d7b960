"""An Open SDG national data repository: ``data/indicator_<g>-<t>-<i>.csv`` (tidy: ``Year``,
disaggregation columns, ``Value``), with ``translations/<lang>/*.yml`` code lists and ``meta/``.

Nothing here is specific to one country. Headers and codes are matched through a mapping
(``data/opensdg_mapping.yml``, extended by the user's ``--mapping`` file), so a repository with
human-readable headers ("Sex", "Urban or rural") loads without code changes. In Open SDG an
empty disaggregation cell means the total: it becomes ``_T``. Rows without ``REF_AREA`` are the
national figures (the country's M49 code); rows with one are sub-national.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from sdgtrack import framework
from sdgtrack.errors import DataError, Issue, IssueCode
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
    recode,
    strings,
    stripped,
)
from sdgtrack.ingest.text import read_text_table
from sdgtrack.model import DIMENSION_NAMES
from sdgtrack.model.codes import concept_name

FILE = re.compile(r"^indicator_(\d+)-([0-9a-z]+)-(\d+(?:-\d+)*)\.csv$", re.IGNORECASE)
REQUIRED = ("time_period", "value_raw")
_TEXT_FIELDS = ("series_code", "ref_area", "time_period", "value_raw", "unit_measure",
                "unit_mult", "obs_status", "nature", "footnote", "source_detail",
                "time_detail", "lower_bound", "upper_bound")


@cache
def _default_mapping() -> dict[str, Any]:
    return yaml.safe_load((Path(__file__).parent / "data" / "opensdg_mapping.yml").read_text(
        encoding="utf-8"))


def load_mapping(user: Path | None) -> dict[str, Any]:
    """The default mapping with the user's file applied on top (case-insensitive keys)."""
    base = _default_mapping()
    extra: dict[str, Any] = {}
    if user is not None:
        try:
            extra = yaml.safe_load(user.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise DataError(f"{user}: cannot read the mapping file ({exc}). It must be YAML "
                            "with 'columns:' and 'codes:' sections.") from exc
    columns = {k.lower(): v for k, v in {**base["columns"], **extra.get("columns", {})}.items()}
    renamed = {k.lower(): v for k, v in {**base["renamed"], **extra.get("renamed", {})}.items()}
    codes: dict[str, dict[str, str]] = {}
    for source in (base.get("codes", {}), extra.get("codes", {})):
        for field_name, table in source.items():
            codes.setdefault(field_name, {}).update(
                {str(k).lower(): str(v) for k, v in table.items()})
    return {"columns": columns, "renamed": renamed, "codes": codes}


def indicator_id(path: Path) -> str | None:
    """``indicator_3-2-1.csv`` -> ``3.2.1``."""
    m = FILE.match(path.name)
    return ".".join([m[1], m[2], *m[3].split("-")]) if m else None


def _first_headers() -> dict[str, str]:
    """The first header the default mapping lists for each column (Year, Value, SERIES...)."""
    out: dict[str, str] = {}
    for header, target in _default_mapping()["columns"].items():
        out.setdefault(target, header)
    return out


class OpenSdgRepository:
    name = "open-sdg"
    headers = _first_headers()
    expects = ("Open SDG data repository: a folder with data/indicator_<g>-<t>-<i>.csv files "
               "(columns Year, Value and disaggregations), or one such file")

    def files(self, path: Path) -> list[Path]:
        if path.is_file():
            return [path]
        data = path / "data" if (path / "data").is_dir() else path
        return sorted(p for p in data.iterdir() if FILE.match(p.name))

    def handles(self, path: Path) -> bool:
        if path.is_file():
            return FILE.match(path.name) is not None
        return path.is_dir() and bool(self.files(path))

    def read(self, path: Path, options: ReadOptions) -> ReadResult:
        root = path.parent.parent if path.is_file() else path
        mapping = load_mapping(options.mapping)
        labels = _translations(root)
        files = self.files(path)
        issues: list[Issue] = []
        country = _country(options, labels.get("REF_AREA", {}), root, issues)
        tables, series, links = [], [], []
        for k, file in enumerate(files):
            name = f"data/{file.name}" if path.is_dir() else file.name
            options.tick(name, k, len(files))
            got = _read_file(file, name, mapping, country, options, issues)
            if got is not None:
                tables.append(got)
                ind = indicator_id(file) or ""
                codes = set(pc.unique(got["series_code"]).to_pylist())
                title = labels.get("global_indicators", {}).get(
                    f"{ind.replace('.', '-')}-title", f"National indicator {ind}")
                series += [(c, _series_title(c, title, labels), _unit(got, c)) for c in codes]
                links += [(c, _global_parent(ind)) for c in codes]
        return ReadResult(
            observations=pa.concat_tables(tables) if tables else empty(()),
            series=strings(sorted(set(series)), SERIES_COLUMNS),
            series_indicators=strings(sorted(set(links)), SERIES_INDICATOR_COLUMNS),
            areas=_areas(labels.get("REF_AREA", {}), country, tables, issues),
            issues=issues,
            files=files,
        )


def _translations(root: Path) -> dict[str, dict[str, str]]:
    """English code lists, ``translations/en/<NAME>.yml`` -> {NAME: {code: label}}."""
    folder = root / "translations" / "en"
    out: dict[str, dict[str, str]] = {}
    if folder.is_dir():
        for f in folder.glob("*.yml"):
            try:
                content = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError:
                continue
            if isinstance(content, dict):
                out[f.stem] = {str(k): str(v) for k, v in content.items()}
    return out


def _country(options: ReadOptions, subnational: dict[str, str], root: Path,
             issues: list[Issue]) -> str:
    """The country's M49 code: --area, else the ISO2 prefix its sub-national codes share."""
    if options.area:
        return framework.resolve_area(options.area)
    prefixes = {c[:2].upper() for c in subnational if c != "REF_AREA" and len(c) > 2}
    if len(prefixes) == 1:
        iso2 = prefixes.pop()
        for m49, row in framework.iso2_index().items():
            if row == iso2:
                return m49
    raise DataError(
        f"{root}: cannot tell which country this Open SDG repository is for.",
        [Issue(str(root), None, "REF_AREA", IssueCode.UNKNOWN_AREA, None,
               "The repository does not say which country it is for.",
               "Give the country with --area (M49 or ISO3 code, e.g. --area KAZ).")])


def _read_file(file: Path, name: str, mapping: dict[str, Any], country: str,
               options: ReadOptions, issues: list[Issue]) -> pa.Table | None:
    text, found = read_text_table(file, name)
    if text is None or text.table.num_rows == 0:
        # An indicator with no data yet is normal in a national repository
        issues.append(Issue(name, None, None, IssueCode.INDICATOR_WITHOUT_DATA, None,
                            "The indicator file has no data rows; nothing was loaded from it.",
                            "Nothing to do until the indicator has data."))
        return None
    issues += found
    t = text.table
    n = t.num_rows
    fields, breakdowns = _assign_columns(t, mapping, name, issues)
    if not _has_required(fields, name, issues):
        return None
    cols: dict[str, pa.Array] = {}
    for col, target in fields.items():
        codes = mapping["codes"].get(target)
        if target in DIMENSION_NAMES:
            cols[target] = map_codes(target, t[col], _case_map(t[col], codes))
        elif target in _TEXT_FIELDS:
            cols[target] = recode(t[col], _case_map(t[col], codes))
    cols["ref_area"] = _ref_area(cols, t, fields, country)
    indicator = indicator_id(file) or file.stem
    default_series = f"{framework.iso3_of(country)}_{indicator.replace('.', '_')}"
    cols["series_code"] = _split_by_unit(_series_codes(cols.get("series_code"), default_series,
                                                       n), cols.get("unit_measure"))
    for attr in ("unit_measure", "obs_status", "nature", "footnote"):
        if attr in cols:
            cols[attr] = pc.if_else(pc.equal(cols[attr], ""), None, cols[attr])
    cols["breakdown"] = join_breakdown(breakdowns, n)
    if "reporting_type" not in cols:
        cols["reporting_type"] = pa.repeat(options.reporting_type or "N", n)
    return raw_table(cols, n, name, text.rows)


def _assign_columns(t: pa.Table, mapping: dict[str, Any], name: str, issues: list[Issue]
                    ) -> tuple[dict[str, str], list[tuple[str, pa.Array]]]:
    """Which field each column fills; unmapped columns become named breakdowns."""
    fields: dict[str, str] = {}
    breakdowns: list[tuple[str, pa.Array]] = []
    for col in t.column_names:
        target = _field_for(col, mapping, name, t, issues)
        if target is None:
            continue
        if target.startswith("breakdown:"):
            breakdowns.append((target.split(":", 1)[1], t[col]))
        elif target in fields.values() and target == "ref_area":
            fields[col] = "ref_area_alt"  # REF_AREA and the older GeoCode side by side
        else:
            fields[col] = target
    return fields, breakdowns


def _has_required(fields: dict[str, str], name: str, issues: list[Issue]) -> bool:
    missing = [f for f in REQUIRED if f not in fields.values()]
    for f in missing:
        header = "Year" if f == "time_period" else "Value"
        issues.append(Issue(name, 1, header, IssueCode.MISSING_COLUMN, None,
                            f"The required column {header!r} is missing.",
                            f"Add a {header!r} column (Open SDG files need Year and Value)."))
    return not missing


def _field_for(col: str, mapping: dict[str, Any], name: str, t: pa.Table,
               issues: list[Issue]) -> str | None:
    if col.startswith("_empty_"):
        filled = pc.sum(pc.invert(pc.equal(stripped(t[col]), ""))).as_py() or 0
        issues.append(Issue(
            name, 1, f"column {col.removeprefix('_empty_')}", IssueCode.EMPTY_HEADER, None,
            f"A column has no header{'' if filled == 0 else f' and {filled} values'}; "
            "it was ignored.",
            "Delete the empty column (often left by a spreadsheet) or give it a header."))
        return None
    target = mapping["columns"].get(col.lower())
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


def _case_map(column: pa.Array, codes: dict[str, str] | None) -> dict[str, str] | None:
    """Exact published value -> code, for the values of this column (matching ignores case)."""
    if not codes:
        return None
    values = pc.unique(stripped(column)).to_pylist()
    return {v: codes[v.lower()] for v in values if v is not None and v.lower() in codes}


def _ref_area(cols: dict[str, pa.Array], t: pa.Table, fields: dict[str, str],
              country: str) -> pa.Array:
    n = t.num_rows
    area = cols.get("ref_area")
    alt = next((stripped(t[c]) for c, f in fields.items() if f == "ref_area_alt"), None)
    if area is None:
        return pa.repeat(country, n)
    if alt is not None:
        area = pc.if_else(pc.equal(area, ""), alt, area)
    return pc.if_else(pc.equal(area, ""), country, area)


def _series_codes(series: pa.Array | None, default: str, n: int) -> pa.Array:
    """A global SDG series code stays as it is; an empty one is the indicator's national
    series ``<ISO3>_<g>_<t>_<i>``; a local code (``_L_KZ_DD_MSD``) is only unique within its
    indicator file, so it becomes ``<national series>:<local code>``."""
    if series is None:
        return pa.repeat(default, n)
    known = pa.array(sorted(framework.known_series()))
    local = pc.binary_join_element_wise(default, series, ":")
    named = pc.if_else(pc.is_in(series, known), series, local)
    return pc.if_else(pc.equal(series, ""), default, named)


def _split_by_unit(series: pa.Array, units: pa.Array | None) -> pa.Array:
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


def _global_parent(indicator: str) -> str:
    """National sub-indicators (16.3.3.1) link to their global indicator (16.3.3)."""
    return ".".join(indicator.split(".")[:3])


def _series_title(code: str, indicator_title: str, labels: dict[str, dict[str, str]]) -> str:
    """The SERIES label of the (local) code, else the indicator's title."""
    local = code.split(":")[1] if ":" in code else code
    return labels.get("SERIES", {}).get(local, indicator_title)


def _unit(t: pa.Table, code: str) -> str:
    rows = t.filter(pc.equal(t["series_code"], code))
    units = [u for u in pc.unique(rows["unit_measure"]).to_pylist() if u]
    return ";".join(sorted(units))


def _areas(labels: dict[str, str], country: str, tables: list[pa.Table],
           issues: list[Issue]) -> pa.Table:
    """Sub-national areas: the repository is the authority on its own codes, so every code
    its data uses is declared, named from ``translations/en/REF_AREA.yml`` where it can be."""
    used: dict[str, tuple[str, int]] = {}
    for t in tables:
        sub = t.filter(pc.not_equal(t["ref_area"], country))
        for code, file, row in zip(sub["ref_area"].to_pylist(), sub["source_file"].to_pylist(),
                                   sub["source_row"].to_pylist()):
            used.setdefault(code, (file, row))
    for code, (file, row) in sorted(used.items()):
        if code not in labels:
            issues.append(Issue(file, row, "REF_AREA", IssueCode.UNMAPPED_CODE, code,
                                f"Sub-national area {code!r} has no name in "
                                "translations/en/REF_AREA.yml; it is stored under its code.",
                                "Add the code and its name to the REF_AREA translations."))
    names = {**{c: c for c in used}, **{c: v for c, v in labels.items() if c != "REF_AREA"}}
    rows = [(code, label, country) for code, label in sorted(names.items())]
    return strings(rows, AREA_COLUMNS) if rows else empty(AREA_COLUMNS)
