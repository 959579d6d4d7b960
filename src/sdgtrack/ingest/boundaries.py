"""Sub-national boundary files (GeoJSON) that national repositories ship for their maps
(Open SDG's ``regions.geojson``, Kyrgyzstan's ``oblasts.geojson``), read safely and matched to
the areas of the data.

**How a feature finds its area.** Nothing in a boundary file says which property holds the
code the data use, so it is found from the data:

1. the property whose values are most often area codes of the load (Kyrgyzstan's
   ``ID_1``: ``KG05`` is Batken, as in its SDMX ``REF_AREA``);
2. a feature left over is matched by name: every text property (``NAME_1``, the variants
   of ``VARNAME_1`` split at ``|``), mis-decoded UTF-8 repaired (``Ysyk-KÃ¶l`` is
   ``Ysyk-Köl``), against the names the repository gives its areas (the DSD's, its
   translations' ``REF_AREA.yml`` in every language), compared without case, punctuation and
   words such as "oblast", "область", "city", "г." (Kyrgyzstan's Ysyk-Köl has ``ID_1`` 9,
   but ``VARNAME_1`` "Issyk-Kul", the DSD's name of ``KG02``); failing an equal name, a
   name that begins with one of the area's names of ``PREFIX`` letters or more, when only
   one area's does (Kazakhstan's "Жамбылская" is ``KZZHA``, "Жамбыл" in its Kazakh names
   and misspelt "Жымбылская" in its Russian ones);
3. a feature still unmatched is kept, with no area: the map draws it as "no data".

A file over ``MAX_BYTES``, that is not JSON, or not a FeatureCollection of Polygons and
MultiPolygons, is refused with a ``bad_boundary_file`` warning naming it; the data still load.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from sdgtrack.errors import Issue, IssueCode
from sdgtrack.framework.geometry import bbox, simplify

#: Larger than any national boundary file seen (Kazakhstan's is 2.6 MB), far below what
#: would strain memory; a larger file is refused, not read.
MAX_BYTES = 32 * 1024 * 1024
#: Fewer features than this is no map; more is not a sub-national boundary set to draw.
MAX_FEATURES = 2000
#: A name matches a longer one it begins, when no other does and it has this many letters
#: at least (the Russian adjective "Жамбылская" and the Kazakh noun "Жамбыл").
PREFIX = 5
#: How finely a boundary is kept: this share of the file's extent (a 600-pixel map).
DETAIL = 1 / 1200
_WORDS = re.compile(r"\b(oblasty?|oblast'|province|region|city|shaar|область|обл|город|"
                    r"г|қаласы|облысы)\b\.?", re.IGNORECASE)


class BoundaryError(ValueError):
    """A boundary file that cannot be used; the message says why."""


def _repair(text: str) -> str:
    """UTF-8 read as Latin-1, undone (``'KÃ¶l'`` -> ``'Köl'``); other text as it is."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def name_key(text: str) -> str:
    """A name compared without case, accents, punctuation or words such as "oblast".

    >>> name_key("Иссык-Кульская область"), name_key("г. Бишкек"), name_key("Ysyk-KÃ¶l")
    ('иссыккульская', 'бишкек', 'ysykkol')
    """
    text = unicodedata.normalize("NFKD", _repair(text)).casefold()
    text = _WORDS.sub(" ", text)
    return "".join(c for c in text if c.isalnum())


def _features(path: Path) -> list[dict[str, Any]]:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BoundaryError(f"it is {size:,} bytes, over the limit of {MAX_BYTES:,}")
    try:
        doc = json.loads(path.read_bytes())
    except (ValueError, RecursionError) as exc:
        raise BoundaryError(f"it is not JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" \
            or not isinstance(doc.get("features"), list):
        raise BoundaryError("it is not a GeoJSON FeatureCollection (no \"features\" list)")
    features = doc["features"]
    if not 1 <= len(features) <= MAX_FEATURES:
        raise BoundaryError(f"it has {len(features)} features (1 to {MAX_FEATURES} expected)")
    for k, f in enumerate(features):
        geometry = f.get("geometry") if isinstance(f, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") not in (
                "Polygon", "MultiPolygon") or not _valid(geometry):
            raise BoundaryError(f"feature {k + 1} has no Polygon or MultiPolygon geometry "
                                "of [longitude, latitude] points")
    return features


def _valid(geometry: dict[str, Any]) -> bool:
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    try:
        return bool(polygons) and all(
            len(ring) >= 4 and all(-180 <= p[0] <= 180 and -90 <= p[1] <= 90 for p in ring)
            for polygon in polygons for ring in polygon)  # type: ignore[union-attr]
    except (TypeError, IndexError, KeyError):
        return False


def _texts(properties: dict[str, Any]) -> list[str]:
    return [part for v in properties.values() if isinstance(v, str) for part in v.split("|")]


def match(features: list[dict[str, Any]], names: dict[str, set[str]]) -> list[str | None]:
    """Each feature's area code (None where none matches), from ``names``: area code ->
    its names in any language (see the module's docstring)."""
    props = [f.get("properties") or {} for f in features]
    keys = {k for p in props for k in p}
    by_code = max(sorted(keys), key=lambda k: sum(str(p.get(k)) in names for p in props),
                  default=None)
    codes: list[str | None] = [
        str(p.get(by_code)) if by_code and str(p.get(by_code)) in names else None
        for p in props]
    taken = {c for c in codes if c}
    keyed: dict[str, str] = {}
    for code, given in names.items():
        for n in given:
            keyed.setdefault(name_key(n), code)
    for exact in (True, False):
        for k, p in enumerate(props):
            if codes[k] is None:
                found = {code for t in map(name_key, _texts(p)) for n, code in keyed.items()
                         if (t == n if exact else len(n) >= PREFIX and t.startswith(n))}
                found -= taken
                if len(found) == 1:
                    codes[k] = found.pop()
                    taken.add(codes[k])  # type: ignore[arg-type]
    return codes


def _label(properties: dict[str, Any]) -> str:
    for key in ("NAME_1", "name", "NAME", "shapeName", "kzName"):
        if isinstance(properties.get(key), str):
            return _repair(properties[key])
    return next(iter(_texts(properties)), "")


def read_boundaries(path: Path, names: dict[str, set[str]], country: str | None
                    ) -> tuple[list[dict[str, Any]], list[Issue]]:
    """The features of ``path`` as rows (``ref_area`` or None, ``name``, ``geometry`` as
    GeoJSON text, thinned, ``parent`` = ``country``, ``source_file``), and the issues met."""
    try:
        features = _features(path)
    except (BoundaryError, OSError) as exc:
        return [], [Issue(str(path), None, None, IssueCode.BAD_BOUNDARY_FILE, path.name,
                          f"The boundary file {path.name} is not used: {exc}.",
                          "Give a GeoJSON FeatureCollection of Polygon or MultiPolygon "
                          "features (longitude, latitude), or remove the file; the data load "
                          "without a map.")]
    codes = match(features, names)
    west, south, east, north = bbox([f["geometry"] for f in features])
    tolerance = max(east - west, north - south) * DETAIL
    rows = [{"ref_area": code, "parent": country, "name": _label(f.get("properties") or {}),
             "geometry": json.dumps(simplify(f["geometry"], tolerance, orient=True),
                                   separators=(",", ":")),
             "source_file": path.name} for f, code in zip(features, codes)]
    issues = []
    missing = [str(r["name"]) for r in rows if r["ref_area"] is None]
    if missing:
        issues.append(Issue(
            str(path), None, None, IssueCode.BAD_BOUNDARY_FILE, ", ".join(missing),
            f"{len(missing)} of the {len(rows)} areas of {path.name} match no area code or "
            f"name of the data ({', '.join(missing[:5])}); the map shows them as no data.",
            "Give those features the data's REF_AREA code in a property, or the area's "
            "name as the repository's translations give it."))
    return rows, issues


_DSD_CODE = re.compile(r'<str:Code id="([^"]+)"[^>]*>(.*?)</str:Code>', re.DOTALL)
_DSD_NAME = re.compile(r"<com:Name[^>]*>([^<]*)</com:Name>")


def repository_names(root: Path, declared: dict[str, str]) -> dict[str, set[str]]:
    """The names a repository gives the areas ``declared`` (code -> name): those, its
    translations' ``REF_AREA.yml`` in every language, and its DSDs' code names."""
    import yaml

    names = {code: {name} for code, name in declared.items()}
    for f in sorted(root.glob("translations/*/REF_AREA.yml")):
        try:
            content = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(content, dict):
            for code, label in content.items():
                if str(code) in names:
                    names[str(code)].add(str(label))
    for f in sorted(root.glob("*.xml")):
        if f.stat().st_size > MAX_BYTES:
            continue
        for code, body in _DSD_CODE.findall(f.read_text(encoding="utf-8", errors="replace")):
            if code in names:
                names[code].update(_DSD_NAME.findall(body))
    return names


def boundary_files(path: Path) -> list[Path]:
    """The GeoJSON files at the top of a repository folder."""
    return sorted(p for p in path.glob("*.geojson") if p.is_file()) if path.is_dir() else []
