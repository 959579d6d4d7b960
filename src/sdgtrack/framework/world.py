"""Country boundaries for the regional maps: Natural Earth's 1:50m Admin 0 countries as the
npm package ``world-atlas`` 2.0.2 publishes them (``countries-50m.json``, TopoJSON), kept in
``data/countries-50m.json.gz`` unchanged but for the gzip (provenance and licence in
``data/SOURCES.md``). The package's feature ids are ISO 3166-1 numeric codes, which are the
M49 codes of the countries (``"004"`` is M49 4, Afghanistan); features with no id (Kosovo,
Somaliland, N. Cyprus ...) are left out. Of the file's 241 features 236 have an id, 235
distinct ones (Australia and the Ashmore and Cartier Islands share ``036``); of the ESCAP
members only Tuvalu (798) is missing (too small for the scale).

Read once per process, from the package: maps never need the network.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib.resources import files
from typing import Any

from sdgtrack.framework.geometry import simplify

WORLD = "countries-50m.json.gz"


def _arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    """The topology's arcs in degrees: delta-decoded, then scaled and translated by its
    ``transform`` (the TopoJSON specification, section 2.1.2)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([x * sx + tx, y * sy + ty])
        out.append(points)
    return out


def _ring(arcs: list[list[list[float]]], indexes: list[int]) -> list[list[float]]:
    """A ring from arc indexes; a negative index ``~i`` is arc ``i`` reversed, and each arc
    after the first drops its first point (the last of the one before)."""
    ring: list[list[float]] = []
    for k in indexes:
        arc = arcs[k] if k >= 0 else arcs[~k][::-1]
        ring += arc if not ring else arc[1:]
    return ring


@cache
def countries(tolerance: float = 0.08) -> dict[str, dict[str, Any]]:
    """M49 code -> {"name", "geometry"} (GeoJSON, thinned to ``tolerance`` degrees)."""
    raw = files("sdgtrack.framework").joinpath("data", WORLD).read_bytes()
    topology = json.loads(gzip.decompress(raw))
    arcs = _arcs(topology)
    out: dict[str, dict[str, Any]] = {}
    for g in topology["objects"]["countries"]["geometries"]:
        if not g.get("id") or g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        parts = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        geometry = simplify({"type": "MultiPolygon",
                             "coordinates": [[_ring(arcs, r) for r in p] for p in parts]},
                            tolerance, digits=2)
        code, name = str(int(g["id"])), g.get("properties", {}).get("name", "")
        if code in out:  # one code, two features: Australia and the Ashmore and Cartier
            # Islands are both 036; the larger names the country
            first = out[code]
            first["geometry"]["coordinates"] += geometry["coordinates"]
            if len(parts) > first["parts"]:
                first["name"], first["parts"] = name, len(parts)
            continue
        out[code] = {"name": name, "geometry": geometry, "parts": len(parts)}
    return out
