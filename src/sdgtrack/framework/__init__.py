"""The SDG framework as versioned package data: goals, targets, indicators, series and the
series <-> indicator map, what became of series codes in later vintages (``successors``), the
areas of the UN SDG database (M49 countries and areas, regions and other groupings, each with a
``kind``) and the groupings (the five regional commissions, ESCAP's subregions, SDG regions,
LDC/LLDC/SIDS). Where each table comes from is in ``data/SOURCES.md``.

Tables are returned as pyarrow Tables of strings; they are small and read once per process.
"""

from __future__ import annotations

import csv
import hashlib
from functools import cache
from importlib import resources
from pathlib import Path

import pyarrow as pa

from sdgtrack.errors import UsageError

#: Bump when a table's content changes; stores refresh their copy of the framework on open.
FRAMEWORK_VERSION = "2023.12.1"

TABLES = (
    "goals", "targets", "indicators", "series", "series_indicators", "series_codelist",
    "series_successors", "areas", "groups", "group_members",
)
#: Kinds of area in ``areas.csv``: UN member or observer States; other M49 countries or areas
#: (and Kosovo); geographic regions; other groupings of countries; the rest (former States,
#: parts of countries, ocean areas, donors' residual categories). Only the first two are
#: places a country list or a group of countries may hold.
AREA_KINDS = ("country", "territory", "region", "aggregate", "other")
NATIONAL_KINDS = ("country", "territory")


def data_dir() -> Path:
    return Path(str(resources.files("sdgtrack.framework") / "data"))


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with (data_dir() / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def table(name: str) -> pa.Table:
    """One framework table as a pyarrow Table of strings."""
    if name not in TABLES:
        raise UsageError(f"No framework table {name!r}; the tables are {', '.join(TABLES)}.")
    rows = _rows(name)
    with (data_dir() / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    return pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in header})


@cache
def checksum() -> str:
    """A digest of every framework file, so a store knows when its copy is stale."""
    h = hashlib.sha256(FRAMEWORK_VERSION.encode())
    for name in TABLES:
        h.update((data_dir() / f"{name}.csv").read_bytes())
    return h.hexdigest()[:16]


@cache
def _area_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for r in _rows("areas"):
        index[r["m49"]] = r["m49"]
        index[r["m49"].zfill(3)] = r["m49"]
        if r["iso3"]:
            index[r["iso3"].upper()] = r["m49"]
        if r.get("iso2") and r["kind"] in NATIONAL_KINDS:
            index[r["iso2"].upper()] = r["m49"]
    return index


def resolve_area(code: str) -> str:
    """The M49 code (no zero padding) for an M49 code, padded or not, or an ISO3 or ISO2 code.

    >>> resolve_area("KAZ"), resolve_area("004"), resolve_area("4"), resolve_area("TJ")
    ('398', '4', '4', '762')
    """
    found = _area_index().get(code.strip().upper())
    if found is None:
        raise UsageError(
            f"Unknown area {code!r}: give a UN M49 code (e.g. 398) or an ISO3 code (e.g. KAZ);"
            " `sdgtrack areas` lists them."
        )
    return found


def area_names(lang: str = "en") -> dict[str, str]:
    """M49 code -> name: the UN SDG database's English name, or for ``lang`` ``zh`` or ``ru``
    the official UN name in that language from the M49 list (``area_names.csv``; an area
    without one keeps its English name).

    >>> area_names("zh")["524"], area_names("ru")["524"], area_names()["524"]
    ('尼泊尔', 'Непал', 'Nepal')
    """
    names = {r["m49"]: r["name"] for r in _rows("areas")}
    if lang in ("zh", "ru"):
        names |= {r["m49"]: r[f"name_{lang}"] for r in _rows("area_names") if r[f"name_{lang}"]}
        names |= {r["code"]: r[f"name_{lang}"] for r in _rows("region_names")
                  if r["code"] in names and r[f"name_{lang}"]}
    return names


def group_name(group: str, lang: str = "en") -> str:
    """A group's name (``groups.csv``), or for ``zh`` and ``ru`` its UN or ESCAP name in
    that language (``region_names.csv``, by the group's id or its M49 code), else English.

    >>> group_name("escap_sea", "zh"), group_name("ldc", "ru"), group_name("m49_35", "zh")
    ('东南亚', 'Наименее развитые страны', '东南亚')
    >>> group_name("escap_sea")
    'South-East Asia (ESCAP subregion)'
    """
    row = next((r for r in _rows("groups") if r["group"] == group), None)
    if row is None:
        return group
    if lang in ("zh", "ru"):
        names = {r["code"]: r[f"name_{lang}"] for r in _rows("region_names")}
        found = names.get(group) or names.get(row.get("m49") or "")
        if found:
            return found
    return row["name"]


def area_kinds() -> dict[str, str]:
    """M49 code -> kind (one of ``AREA_KINDS``).

    >>> k = area_kinds(); k["356"], k["344"], k["142"], k["199"], k["99072"]
    ('country', 'territory', 'region', 'aggregate', 'other')
    """
    return {r["m49"]: r["kind"] for r in _rows("areas")}


def group_codes() -> list[str]:
    return [r["group"] for r in _rows("groups")]


def group_members(group: str) -> list[str]:
    """M49 codes of the members of a group (``escap``, ``escap_sea``, ``ldc`` ...)."""
    if group not in group_codes():
        raise UsageError(
            f"Unknown group {group!r}; the groups are {', '.join(group_codes())}."
        )
    return [r["m49"] for r in _rows("group_members") if r["group"] == group]


def known_series() -> set[str]:
    """Series of the UN extract and of the SDMX codelist CL_SERIES (v1.14)."""
    return {r["series_code"] for r in _rows("series")} | {
        r["series_code"] for r in _rows("series_codelist")}


def known_indicators() -> set[str]:
    return {r["indicator"] for r in _rows("indicators")}


def iso2_index() -> dict[str, str]:
    """M49 -> ISO2 for countries that have one."""
    return {r["m49"]: r["iso2"] for r in _rows("areas") if r.get("iso2")}


def iso3_of(m49: str) -> str:
    """The ISO3 code of an M49 area, or the M49 code itself when it has none."""
    for r in _rows("areas"):
        if r["m49"] == m49:
            return r["iso3"] or m49
    return m49
