"""An Open SDG national data repository: ``data/*.csv`` (``indicator_<g>-<t>-<i>.csv`` or
``<g>-<t>-<i>.csv``; tidy: ``Year``, disaggregation columns, ``Value``) and SDMX-ML files
``data/*.xml``, with ``translations/<lang>/*.yml`` code lists, a DSD and ``meta/``.

Nothing here is specific to one country. Headers and codes are matched through a mapping
(``data/opensdg_mapping.yml``, extended by the user's ``--mapping`` file), so a repository with
human-readable headers ("Sex", "Urban or rural") loads without code changes; headers and
labels in words also match the names of the DSD the repository ships (``ingest.dsd``:
"Территория", "Баткенская область"). A label that matches nothing is kept as published and
listed once per column. In Open SDG an
empty disaggregation cell means the total: it becomes ``_T``. Rows without ``REF_AREA`` are the
national figures (the country's M49 code); rows with one are sub-national.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from sdgtrack.errors import DataError, Issue, IssueCode
from sdgtrack.ingest import code_labels, dsd, opensdg_meta
from sdgtrack.ingest.base import (
    AREA_COLUMNS,
    SERIES_COLUMNS,
    SERIES_INDICATOR_COLUMNS,
    ReadOptions,
    ReadResult,
    empty,
    recode,
    strings,
)
from sdgtrack.ingest.country import infer as infer_country
from sdgtrack.ingest.labels import is_code
from sdgtrack.ingest.opensdg_csv import Repository, read_file, split_by_unit
from sdgtrack.ingest.sdmx import SdmxMl

FILE = re.compile(r"^(?:indicator_)?(\d+)-([0-9a-z]+)-(\d+(?:-\d+)*)\.csv$", re.IGNORECASE)
#: SDMX-ML files of a repository are named by indicator: ``1.1.1.xml``, ``3.4.1.a.xml``.
XML_FILE = re.compile(r"^(\d+)\.([0-9a-z]+)\.(\d+(?:\.[0-9a-z]+)*)\.xml$", re.IGNORECASE)
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
    """``indicator_3-2-1.csv``, ``3-2-1.csv`` or ``3.2.1.xml`` -> ``3.2.1``."""
    if m := FILE.match(path.name):
        return ".".join([m[1], m[2], *m[3].split("-")])
    if m := XML_FILE.match(path.name):
        return f"{m[1]}.{m[2]}.{m[3]}"
    return None


def _first_headers() -> dict[str, str]:
    """The first header the default mapping lists for each column (Year, Value, SERIES...)."""
    out: dict[str, str] = {}
    for header, target in _default_mapping()["columns"].items():
        out.setdefault(target, header)
    return out


class OpenSdgRepository:
    name = "open-sdg"
    headers = _first_headers()
    expects = ("Open SDG data repository: a folder with data/*.csv files (columns Year, "
               "Value and disaggregations; indicator_<g>-<t>-<i>.csv or <g>-<t>-<i>.csv) "
               "and/or SDMX-ML data/<g>.<t>.<i>.xml, or one such CSV file")

    def files(self, path: Path) -> list[Path]:
        if path.is_file():
            return [path]
        inside = (path / "data").is_dir()
        data = path / "data" if inside else path
        # inside a repository's data/ folder every CSV is an indicator file, whatever its name
        csvs = [p for p in data.iterdir() if p.is_file() and (
            FILE.match(p.name) or (inside and p.suffix.lower() == ".csv"))]
        xmls = [p for p in data.iterdir() if p.is_file() and p.suffix.lower() == ".xml"
                and (inside or XML_FILE.match(p.name)) and _SDMX_ML.handles(p)]
        return sorted(csvs + xmls)

    def metadata_files(self, path: Path) -> list[Path]:
        """The national metadata ``read`` reads beside the data (in the load's checksum)."""
        return opensdg_meta.metadata_files(path) if path.is_dir() else []

    def handles(self, path: Path) -> bool:
        if path.is_file():
            return FILE.match(path.name) is not None
        return path.is_dir() and bool(self.files(path))

    def read(self, path: Path, options: ReadOptions) -> ReadResult:
        root = path.parent.parent if path.is_file() else path
        labels = _translations(root)
        structure = dsd.load(root)
        files = self.files(path)
        issues: list[Issue] = []
        country = infer_country(options.area, labels.get("REF_AREA", {}), files, root)
        repo = Repository(load_mapping(options.mapping), structure, country, options)
        tables, series, links = [], [], []
        for k, file in enumerate(files):
            name = f"data/{file.name}" if path.is_dir() else file.name
            options.tick(name, k, len(files))
            if file.suffix.lower() == ".xml":
                got = _read_sdmx(file, name, repo, issues)
            else:
                got = read_file(file, name, indicator_id(file) or file.stem, repo, issues)
            if got is not None:
                tables.append(got)
                ind = indicator_id(file) or ""
                codes = set(pc.unique(got["series_code"]).to_pylist())
                title = labels.get("global_indicators", {}).get(
                    f"{ind.replace('.', '-')}-title", f"National indicator {ind}")
                series += [(c, repo.titles.get(c) or repo.titles.get(c.rsplit(":", 1)[0])
                            or _series_title(c, title, labels, structure), _unit(got, c))
                           for c in codes]
                links += [(c, _global_parent(ind)) for c in codes]
        issues += _not_read(root, path)
        return ReadResult(
            observations=_units_filled(pa.concat_tables(tables)) if tables else empty(()),
            series=strings(sorted(set(series)), SERIES_COLUMNS),
            series_indicators=strings(sorted(set(links)), SERIES_INDICATOR_COLUMNS),
            areas=_areas(labels.get("REF_AREA", {}), country, tables, issues, structure),
            issues=issues,
            files=files,
            metadata=opensdg_meta.read(root, issues) if path.is_dir() else None,
            labels=code_labels.of(root, structure),
        )


_SDMX_ML = SdmxMl()


def _read_sdmx(file: Path, name: str, repo: Repository, issues: list[Issue]
               ) -> pa.Table | None:
    """An SDMX-ML file of the repository, its rows and issues named ``data/<file>``; the
    country's own code (``KG``) is its M49 code, as for the CSV files."""
    got = _SDMX_ML.read(file, repo.options)
    issues += [replace(i, file=name) for i in got.issues]
    t = got.observations
    if t.num_rows == 0:
        return None
    t = t.set_column(t.column_names.index("source_file"), "source_file",
                     pa.repeat(name, t.num_rows))
    # as for the CSV files: a series a file gives in two units is two series
    t = t.set_column(t.column_names.index("series_code"), "series_code",
                     split_by_unit(t["series_code"].combine_chunks(),
                                    t["unit_measure"].combine_chunks()))
    if repo.options.reporting_type is None and b"REPORTING_TYPE" not in _concepts(file):
        t = t.set_column(t.column_names.index("reporting_type"), "reporting_type",
                         pa.repeat("N", t.num_rows))
    return t


def _concepts(file: Path) -> bytes:
    with file.open("rb") as f:
        return f.read(65536)


def _units_filled(t: pa.Table) -> pa.Table:
    """A row without a unit takes its series' unit when the repository states one and only
    one for it (a CSV leaves out what the SDMX-ML of the same series says)."""
    stated = t.filter(pc.is_valid(t["unit_measure"])).group_by("series_code").aggregate(
        [("unit_measure", "distinct")])
    single = {s: u[0] for s, u in zip(stated["series_code"].to_pylist(),
                                      stated["unit_measure_distinct"].to_pylist())
              if len(u) == 1}
    if not single:
        return t
    fill = recode(t["series_code"], single)
    known = pc.is_in(t["series_code"], pa.array(sorted(single)))
    units = pc.if_else(pc.and_(pc.is_null(t["unit_measure"]), known), fill, t["unit_measure"])
    return t.set_column(t.column_names.index("unit_measure"), "unit_measure", units)


def _not_read(root: Path, path: Path) -> list[Issue]:
    """Data files of the repository that no part of it reads (a workbook in data/): said
    once each, so that no row is left out silently."""
    data = root / "data"
    if not path.is_dir() or not data.is_dir():
        return []
    return [Issue(f"data/{p.name}", None, None, IssueCode.FILE_NOT_READ, p.name,
                  "This file of the repository's data/ folder is not an indicator CSV or "
                  "SDMX-ML file; it was not read.",
                  "Save its data as data/<g>-<t>-<i>.csv (Year, disaggregations, Value) to "
                  "load it.")
            for p in sorted(data.iterdir())
            if p.is_file() and p.suffix.lower() in (".xlsx", ".xls", ".json", ".ods")]


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


def _global_parent(indicator: str) -> str:
    """National sub-indicators (16.3.3.1) link to their global indicator (16.3.3)."""
    return ".".join(indicator.split(".")[:3])


def _series_title(code: str, indicator_title: str, labels: dict[str, dict[str, str]],
                  structure: dsd.Structure) -> str:
    """The SERIES label of the (local) code, else its name in the DSD, else the
    indicator's title."""
    local = code.split(":")[1] if ":" in code else code
    named = labels.get("SERIES", {}).get(local) or structure.names.get("SERIES", {}).get(local)
    return named or indicator_title


def _unit(t: pa.Table, code: str) -> str:
    rows = t.filter(pc.equal(t["series_code"], code))
    units = [u for u in pc.unique(rows["unit_measure"]).to_pylist() if u]
    return ";".join(sorted(units))


def _areas(labels: dict[str, str], country: str, tables: list[pa.Table],
           issues: list[Issue], structure: dsd.Structure) -> pa.Table:
    """Sub-national areas: the repository is the authority on its own codes, so every code
    its data uses is declared, named from ``translations/en/REF_AREA.yml`` or the DSD where
    it can be. A label in words that matched no code was listed with its column already."""
    used: dict[str, tuple[str, int]] = {}
    for t in tables:
        sub = t.filter(pc.not_equal(t["ref_area"], country))
        for code, file, row in zip(sub["ref_area"].to_pylist(), sub["source_file"].to_pylist(),
                                   sub["source_row"].to_pylist()):
            used.setdefault(code, (file, row))
    named = {**{c: v for c, v in structure.names.get("REF_AREA", {}).items() if c in used},
             **labels}
    for code, (file, row) in sorted(used.items()):
        if code not in named and is_code(code):
            issues.append(Issue(file, row, "REF_AREA", IssueCode.UNMAPPED_CODE, code,
                                f"Sub-national area {code!r} has no name in "
                                "translations/en/REF_AREA.yml; it is stored under its code.",
                                "Add the code and its name to the REF_AREA translations."))
    names = {**{c: c for c in used}, **{c: v for c, v in named.items() if c != "REF_AREA"}}
    rows = [(code, label, country) for code, label in sorted(names.items())]
    return strings(rows, AREA_COLUMNS) if rows else empty(AREA_COLUMNS)
