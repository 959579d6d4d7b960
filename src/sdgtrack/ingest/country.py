"""Which country a national repository is for, from what the repository itself says.

In order: ``--area``; the ISO2 prefix its sub-national codes share (translations
``REF_AREA.yml``, the ``REF_AREA`` of its SDMX-ML files, ``KG05`` -> ``KG``); the
``country`` its config files name (``country: KGZ``, or Open SDG's ``country: {name:
Kyrgyzstan}``); the country code in its GeoJSON boundary files (``ISO``, ``ISO_A3``,
``GID_0`` ...). When none says, the error asks for ``--area``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from sdgtrack import framework
from sdgtrack.errors import DataError, Issue, IssueCode, UsageError
from sdgtrack.ingest.boundaries import MAX_BYTES

#: GeoJSON properties that hold a country's ISO code in common boundary sets (GADM,
#: Natural Earth, geoBoundaries).
GEOJSON_COUNTRY = ("ISO", "ISO3", "ISO_A3", "ADM0_A3", "GID_0", "shapeGroup", "iso3")
_REF_AREA = re.compile(rb'REF_AREA="([A-Za-z0-9_]+)"')
#: how much of each SDMX-ML file is searched for its REF_AREA codes
_HEAD = 1 << 16


def _country_of(code: str) -> str | None:
    try:
        m49 = framework.resolve_area(code)
    except UsageError:
        return None
    return m49 if framework.area_kinds().get(m49) in ("country", "territory") else None


def _by_prefix(codes: Iterable[str]) -> set[str]:
    """Countries named by sub-national codes (``KZAKM``, ``KG05``) or by codes of their own."""
    found = set()
    for code in codes:
        whole = _country_of(code) if not code.isdigit() else None
        if whole is not None:
            found.add(whole)
        elif len(code) > 2 and code[:2].isalpha():
            prefix = _country_of(code[:2])
            if prefix is not None:
                found.add(prefix)
    return found


def _sdmx_codes(files: list[Path]) -> set[str]:
    codes: set[str] = set()
    for f in files:
        if f.suffix.lower() == ".xml":
            with f.open("rb") as handle:
                codes |= {m.decode() for m in _REF_AREA.findall(handle.read(_HEAD))}
    return codes


def _geojson(root: Path) -> set[str]:
    found: set[str] = set()
    for path in sorted(root.glob("*.geojson")):
        try:  # a boundary file too large or too deep to read says nothing (ingest.boundaries)
            if path.stat().st_size > MAX_BYTES:
                continue
            features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
        except (OSError, ValueError, AttributeError, RecursionError):
            continue
        for key in GEOJSON_COUNTRY:
            values = {str((f.get("properties") or {}).get(key) or "") for f in features}
            countries = {c for v in values if v and (c := _country_of(v))}
            if len(countries) == 1:
                found |= countries
                break
    return found


def _named(name: str) -> str | None:
    """The country whose M49 name is ``name`` or begins with it ("United Kingdom" is
    "United Kingdom of Great Britain and Northern Ireland"), when only one does."""
    said = name.strip().casefold()
    kinds = framework.area_kinds()
    countries = {m49: n.casefold() for m49, n in framework.area_names().items()
                 if kinds.get(m49) in ("country", "territory")}
    exact = [m for m, n in countries.items() if n == said]
    starts = [m for m, n in countries.items() if n.startswith(said + " ")]
    found = exact or starts
    return found[0] if len(found) == 1 else None


def _config(root: Path) -> set[str]:
    """The country a repository's YAML config names (``*config*.yml``, ``_config.yml``)."""
    import yaml

    found: set[str] = set()
    for path in sorted({*root.glob("*config*.yml"), *root.glob("_config.yml")}):
        try:
            config = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        said = config.get("country") if isinstance(config, dict) else None
        values = list(said.values()) if isinstance(said, dict) else [said]
        for v in values:
            if isinstance(v, str) and v.strip():
                country = _country_of(v) or _named(v)
                if country is not None:
                    found.add(country)
                    break
    return found


def infer(area: str | None, subnational: Iterable[str], files: list[Path], root: Path) -> str:
    """The country's M49 code (see the module's docstring for the order)."""
    if area:
        return framework.resolve_area(area)
    for found in (_by_prefix(c for c in subnational if c != "REF_AREA"),
                  _by_prefix(_sdmx_codes(files)), _config(root), _geojson(root)):
        if len(found) == 1:
            return found.pop()
    raise DataError(
        f"{root}: cannot tell which country this Open SDG repository is for.",
        [Issue(str(root), None, "REF_AREA", IssueCode.UNKNOWN_AREA, None,
               "The repository does not say which country it is for: no REF_AREA or "
               "GeoCode codes of one country, no country in its config, and no GeoJSON "
               "file with its ISO code.",
               "Give the country with --area (M49 or ISO3 code, e.g. --area KAZ).")])
