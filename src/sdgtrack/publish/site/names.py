"""Area names in the page's language: the official UN name in Chinese or Russian from the M49
list (``framework/data/area_names.csv``), else the store's or framework's English name."""

from __future__ import annotations

from functools import cache

from sdgtrack import framework
from sdgtrack.publish.site.data import SiteData


@cache
def _translated(lang: str) -> dict[str, str]:
    if lang not in ("zh", "ru"):
        return {}
    english = framework.area_names()
    return {k: v for k, v in framework.area_names(lang).items() if v != english.get(k)}


def area_name(d: SiteData, code: str, lang: str) -> str:
    """A sub-national area takes its name in ``lang`` from its repository's translations.

    >>> from types import SimpleNamespace
    >>> d = SimpleNamespace(area_name=lambda code: "Nepal")
    >>> area_name(d, "524", "zh"), area_name(d, "524", "ru"), area_name(d, "524", "en")
    ('尼泊尔', 'Непал', 'Nepal')
    """
    labels = getattr(d, "national_labels", None)  # the doctest's stand-in has none
    national: dict[str, str] = labels().get(("ref_area", code), {}) if labels else {}
    return _translated(lang).get(code) or national.get(lang) or d.area_name(code)
