"""The regional report's "Where COVID-19 set progress back" (the site's section,
``publish/site/pages_covid``, its chart as an image sized to the A4 text column) and "How
likely is each target to be met by 2030?" (``publish/site/pages_probability``)."""

from __future__ import annotations

from typing import Any

from sdgtrack.publish.charts import to_svg
from sdgtrack.publish.report.trends import _config, data_uri
from sdgtrack.publish.site import pages_covid, pages_probability
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


def probability_context(d: SiteData, group: str) -> dict[str, Any] | None:
    """The group's assessed targets, each class beside its probability of being reached,
    and the back-test's overall coverage (the site's, ``pages_probability``)."""
    got = pages_probability.section(d, group)
    if got is None:
        return None
    return {**got, "overall": pages_probability.backtest(d)["overall"]}
