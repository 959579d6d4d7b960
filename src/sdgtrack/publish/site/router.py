"""One address scheme for the server and the static site: ``<lang>/<page>.html`` and its JSON
twin ``<lang>/<page>.json``. Links inside pages are relative, so a built site works from any
folder, web server or file share."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sdgtrack.publish.export.base import neutralise_column
from sdgtrack.publish.site import pages, pages_data, pages_forum, pages_maps, pages_units
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import LANGUAGES
from sdgtrack.publish.site.pages import area_page, series_code, series_page

ROUTES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^index$"), lambda d, lang, q: pages.home(d, lang)),
    (re.compile(r"^goal/(\d{1,2})$"), lambda d, lang, q, g: pages.goal(d, lang, g)),
    (re.compile(r"^indicator/([0-9]{1,2}\.[0-9a-z]{1,2}\.[0-9]{1,2})$"),
     lambda d, lang, q, i: _maps(pages.indicator(d, lang, i), pages_maps.indicator_maps,
                                 d, lang, "series")),
    (re.compile(r"^series/([A-Za-z0-9_~.\-]{1,200})$"),
     lambda d, lang, q, s: _maps(pages_data.series(d, lang, series_code(s), q.get("area"),
                                                   _selection(q)),
                                 pages_maps.series_maps, d, lang, "series", "selection")),
    (re.compile(r"^area/([A-Za-z0-9_~.\-]{1,300})$"),  # a name's letters as ~hex
     lambda d, lang, q, a: _maps(pages_units.area(d, lang, series_code(a)),
                                 pages_maps.area_maps, d, lang, "area")),
    (re.compile(r"^group/([a-z_]{1,30})$"),
     lambda d, lang, q, g: {**(p := pages_units.group(d, lang, g)),
                            "maps": pages_maps.group_maps(d, lang, p["group"], q)}),
    (re.compile(r"^availability$"), lambda d, lang, q: pages_units.availability(d, lang)),
    (re.compile(r"^availability/(\d{1,2})$"),
     lambda d, lang, q, g: pages_units.availability(d, lang, g)),
    (re.compile(r"^methodology$"), lambda d, lang, q: pages.methodology(d, lang)),
    (re.compile(r"^search$"), lambda d, lang, q: pages.search(d, lang, (q.get("q") or [""])[0])),
    (re.compile(r"^forum/([a-z0-9][a-z0-9_.\-]{0,63})$"),
     lambda d, lang, q, f: pages_forum.forum(d, lang, f)),
]


def _maps(page: dict[str, Any], make: Any, d: SiteData, lang: str, *keys: str
          ) -> dict[str, Any]:
    """The page with its maps (``pages_maps``), made from the page's own ``keys``."""
    page["maps"] = make(d, lang, *(page[k] for k in keys))
    return page


def _selection(query: dict[str, list[str]]) -> dict[str, list[str]]:
    from sdgtrack.model import DIMENSION_NAMES

    # a published concept (ETHNICITY, ОБРАЗОВАНИЕ_МАТЕРИ) is a dimension of its own; the
    # series page keeps only the ones the series has
    return {k: v for k, v in query.items()
            if k in DIMENSION_NAMES or (k.isupper() and len(k) <= 100)}


@dataclass(frozen=True)
class Address:
    lang: str
    page: str  # e.g. "goal/3"
    fmt: str  # "html" | "json"


def parse(path: str) -> Address | None:
    """``en/goal/3.html`` -> Address("en", "goal/3", "html"); None when it is no page.

    >>> parse("en/goal/3.html"), parse("zh/")
    (Address(lang='en', page='goal/3', fmt='html'), Address(lang='zh', page='index', fmt='html'))
    """
    m = re.match(r"^/?([a-z]{2})/(.*?)(?:\.(html|json|csv))?$", path)
    if m is None or m[1] not in LANGUAGES:
        return None
    # ``en/`` is the language's home page, as a web server serves a folder's index.html
    return Address(m[1], m[2] or "index", m[3] or "html")


def series_csv(d: SiteData, address: Address) -> bytes:
    """Every row of a series, as CSV (the series page's download)."""
    m = re.match(r"^series/([A-Za-z0-9_~.\-]{1,200})$", address.page)
    if m is None:
        raise pages.NotFound(f"Only series pages have a CSV download, not {address.page!r}.")
    code = series_code(m[1])
    if code not in d.series_info():
        raise pages.NotFound(f"There is no series {code!r} in the store.")
    # a site build writes it in each language, one after the other
    return d.cache.last(d.versions.current(), ("csv", code),
                        lambda: _csv(pages_data.with_concepts(d.series_columns(code))))


def _csv(cols: dict[str, list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    # formula-like text (a footnote =HYPERLINK(...)) behind an apostrophe: OWASP CSV injection
    writer.writerows(zip(*(neutralise_column(c) for c in cols.values()), strict=True))
    return out.getvalue().encode("utf-8")


def build(d: SiteData, address: Address, query: dict[str, list[str]] | None = None
          ) -> dict[str, Any]:
    for pattern, builder in ROUTES:
        m = pattern.match(address.page)
        if m:
            built: dict[str, Any] = builder(d, address.lang, query or {}, *m.groups())
            built["store_empty"] = d.empty()  # every page says so (a rolled-back only load)
            return built
    raise pages.NotFound(f"There is no page {address.page!r}.")


def relative(target: str, current: str) -> str:
    """The link from page ``current`` to ``target``, both relative to the site's root (as
    ``posixpath.relpath`` from the page's folder, without its calls to ``os.getcwd``: pages
    make tens of thousands of links).

    >>> relative("en/area/4.html", "en/goal/3.html"), relative("en/goal/4.html", "en/goal/3.html")
    ('../area/4.html', '4.html')
    >>> relative("static/site.css", "en/index.html"), relative("en/index.html", "index.html")
    ('../static/site.css', 'en/index.html')
    """
    folder, parts = current.split("/")[:-1], target.split("/")
    k = 0
    while k < len(folder) and k < len(parts) - 1 and folder[k] == parts[k]:
        k += 1
    return "/".join([".."] * (len(folder) - k) + parts[k:])


def every_page(d: SiteData) -> Iterator[str]:
    """Every page of the static site, without language or extension."""
    yield "index"
    yield "methodology"
    yield "search"
    yield "availability"
    for g in range(1, 18):
        yield f"goal/{g}"
        yield f"availability/{g}"
    for i in d.indicators.indicator:
        yield f"indicator/{i}"
    for s in d.series().series_code:
        yield series_page(s)
    for a in d.areas().ref_area:
        yield area_page(a)
    for unit in pages_units.GROUP_PAGES:
        yield f"group/{unit}"
    for forum in pages_forum.forum_ids(d):
        yield f"forum/{forum}"
