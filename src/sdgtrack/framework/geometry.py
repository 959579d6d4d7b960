"""Plane geometry for maps, on GeoJSON coordinates (longitude, latitude in degrees): thinning
a boundary to what a page-sized map can show, and where to put a label. Standard library only.

A boundary file is drawn a few hundred pixels wide, so points closer together than a pixel
only add bytes: Kazakhstan's ``regions.geojson`` is 2.6 MB, its map a few tens of kB.
"""

from __future__ import annotations

from typing import Any

Ring = list[list[float]]


def _distance2(p: list[float], a: list[float], b: list[float]) -> float:
    """Squared distance from ``p`` to the segment ``a``-``b``."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return (p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return (p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """Douglas and Peucker's line simplification (1973, *The Canadian Cartographer* 10(2)):
    keep the point farthest from the chord while it is farther than ``tolerance``. A closed
    ring keeps at least 4 points (a triangle, closed).

    >>> simplify_ring([[0, 0], [1, 0.01], [2, 0], [2, 2], [0, 2], [0, 0]], 0.1)
    [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    """
    if len(ring) <= 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # a closed ring's chord is a point: split it at its farthest point first
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2
              + (ring[i][1] - ring[0][1]) ** 2)
    keep[far] = True
    stack, limit = [(0, far), (far, len(ring) - 1)], tolerance * tolerance
    while stack:
        first, last = stack.pop()
        best, index = -1.0, -1
        for i in range(first + 1, last):
            d = _distance2(ring[i], ring[first], ring[last])
            if d > best:
                best, index = d, i
        if index > 0 and best > limit:
            keep[index] = True
            stack += [(first, index), (index, last)]
    out = [p for p, k in zip(ring, keep) if k]
    return out if len(out) >= 4 else ring[:: max(1, len(ring) // 3)][:3] + [ring[0]]


def polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    """A Polygon or MultiPolygon as a list of polygons (each a list of rings)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def simplify(geometry: dict[str, Any], tolerance: float, digits: int = 3,
             orient: bool = False) -> dict[str, Any]:
    """The geometry thinned to ``tolerance`` degrees and rounded to ``digits`` decimals
    (3: about 100 m); rings that shrink below ``tolerance`` across are left out, but never
    a polygon's outer ring. ``orient``: outer rings clockwise and holes counter-clockwise,
    as d3 and Vega read a polygon on the sphere; GeoJSON's own rule (RFC 7946, 3.1.6) is the
    reverse, and a renderer on the sphere fills the rest of the globe with such a ring
    (Kazakhstan's ``regions.geojson`` follows RFC 7946). Only for areas that do not cross
    the 180th meridian, where the plane's winding is the sphere's.

    >>> simplify({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]},
    ...          0.01, orient=True)["coordinates"][0]
    [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]
    """
    if orient:
        geometry = _oriented(geometry)
    out = []
    for polygon in polygons(geometry):
        rings = []
        for k, ring in enumerate(polygon):
            thin = _rounded(simplify_ring(ring, tolerance), digits)
            if _winding(thin) != _winding(ring):
                # thinned to a sliver or turned inside out: a renderer on the sphere (d3,
                # Vega) would fill the rest of the globe
                thin = _rounded(ring, digits)
                if _winding(thin) != _winding(ring):
                    continue
            if k == 0 or _extent(thin) > tolerance:
                rings.append(thin)
        if not rings or _winding(rings[0]) != _winding(polygon[0]):
            continue
        out.append(rings)
    if not out:  # every part too small to keep: the largest, as it was
        largest = max(polygons(geometry), key=lambda p: abs(_area_centroid(p[0])[0]))
        out = [[_rounded(largest[0], digits + 2)]]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def _oriented(geometry: dict[str, Any]) -> dict[str, Any]:
    parts = [[ring if _winding(ring) == (-1 if k == 0 else 1) else ring[::-1]
              for k, ring in enumerate(polygon)] for polygon in polygons(geometry)]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def _rounded(ring: Ring, digits: int) -> Ring:
    return [[round(x, digits), round(y, digits)] for x, y, *_ in ring]


def _winding(ring: Ring) -> int:
    """1 counter-clockwise, -1 clockwise, 0 no area (on the plane of the coordinates)."""
    area = _area_centroid(ring)[0]
    return 0 if area == 0 else (1 if area > 0 else -1)


def _extent(ring: Ring) -> float:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def bbox(geometries: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    """West, south, east, north of some geometries."""
    xs, ys = [], []
    for g in geometries:
        for polygon in polygons(g):
            xs += [p[0] for p in polygon[0]]
            ys += [p[1] for p in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)


def _area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (the shoelace formula)."""
    a = cx = cy = 0.0
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        return 0.0, ring[0][0], ring[0][1]
    return a / 2, cx / (3 * a), cy / (3 * a)


def label_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """Where to write a label: the centroid of the largest polygon's outer ring.

    >>> label_point({"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 2], [0, 2], [0, 0]]]})
    (2.0, 1.0)
    """
    best = max((_area_centroid(p[0]) for p in polygons(geometry)), key=lambda t: abs(t[0]))
    return round(best[1], 3), round(best[2], 3)
