"""The regional report's "Where COVID-19 set progress back": the site's section
(``publish/site/pages_covid``) with its chart as an image sized to the A4 text column."""

from __future__ import annotations

from typing import Any

from sdgtrack.publish.charts import to_svg
from sdgtrack.publish.report.trends import _config, data_uri
from sdgtrack.publish.site import pages_covid
from sdgtrack.publish.site.data import SiteData


def covid_context(d: SiteData, group: str, lang: str) -> dict[str, Any] | None:
    """The group's setback section, its chart (a data URI) in the document's font."""
    got = pages_covid.section(d, group, lang)
    if got is None:
        return None
    spec = got.pop("chart")
    if spec is not None:
        spec = {**spec, "config": _config(lang)}
        spec["spec"] = {**spec["spec"], "width": 150, "height": 80}
        got["image"] = data_uri(to_svg(spec))
    return got
