"""The country profile's maps: where the country's repository brought a boundary file, the
series with values for the most of its areas, drawn as on its series page (``pages_maps``)
with the table beside each."""

from __future__ import annotations

from typing import Any

from sdgtrack.publish.maps import map_svg
from sdgtrack.publish.report.trends import data_uri
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.pages_maps import _boundaries, indicator_maps

#: Maps in a profile, at most: one page.
PROFILE_MAPS = 2


def profile_maps(d: SiteData, m49: str, lang: str) -> list[dict[str, Any]]:
    """Up to ``PROFILE_MAPS`` maps of the country's series with the most areas (then the
    latest year, then the code), each with its SVG as a data URI."""
    features = _boundaries(d).get(m49)
    if not features:
        return []
    areas = {f["ref_area"] for f in features if f["ref_area"]}
    avail = d.availability()
    mine = avail[avail.ref_area.isin(areas)].groupby("series_code").agg(
        areas=("ref_area", "nunique"), latest=("latest_year", "max")).reset_index()
    ranked = mine.sort_values(["areas", "latest", "series_code"],
                              ascending=[False, False, True])
    maps = indicator_maps(d, lang, [{"series_code": c} for c in ranked.series_code[:6]])
    return [{**m, "svg": data_uri(map_svg(m["spec"]))}
            for m in maps if m["country"] == m49][:PROFILE_MAPS]
