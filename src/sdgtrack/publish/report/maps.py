"""The country profile's maps: those of the country's page (``pages_maps.area_maps``), each
with its SVG as a data URI for print."""

from __future__ import annotations

from typing import Any

from sdgtrack.publish.maps import map_svg
from sdgtrack.publish.report.trends import data_uri
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.pages_maps import area_maps

#: Maps in a profile, at most.
PROFILE_MAPS = 2


def profile_maps(d: SiteData, m49: str, lang: str) -> list[dict[str, Any]]:
    """Up to ``PROFILE_MAPS`` maps by sub-national area, as on the country's page."""
    return [{**m, "svg": data_uri(map_svg(m["spec"]))}
            for m in area_maps(d, lang, m49, PROFILE_MAPS)]
