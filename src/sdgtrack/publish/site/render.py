"""HTML from page dicts: Jinja templates, the language's strings and number formats, and
charts rendered to SVG on the server (cached per store version), each with a data table."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from sdgtrack.publish.charts import CLASS_STYLE, snapshot_spec, to_svg
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import LANGUAGES, gettext, number, percent, when
from sdgtrack.publish.site.pages import series_page
from sdgtrack.publish.site.router import relative
from sdgtrack.publish.tree_chart import analysis_svg

SHARED = {"group": "area"}
STATUS_SYMBOL = {"on_schedule": "●", "behind_schedule": "▲", "regressed": "▼",
                 "insufficient_data": "·"}


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("sdgtrack.publish.site", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(LANGUAGES=LANGUAGES, CLASS_STYLE=CLASS_STYLE,
                       STATUS_SYMBOL=STATUS_SYMBOL, series_page=series_page)
    return env


def svg(d: SiteData, spec: dict[str, Any]) -> Markup:
    """A Vega-Lite spec as inline SVG, rendered once per store version and spec."""
    key = hashlib.sha1(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    return Markup(d.cached(("svg", key), lambda: to_svg(spec)))


def render(d: SiteData, page: dict[str, Any], served: bool = False,
           languages: tuple[str, ...] | None = None) -> str:
    """The HTML of a page dict (from ``router.build``)."""
    lang = page["lang"]
    here = f"{lang}/{page['path']}.html"
    _ = gettext(lang)

    def link(target: str, to_lang: str | None = None, ext: str = "html") -> str:
        return relative(f"{to_lang or lang}/{target}.{ext}", here)

    def snapshot_chart(content: dict[str, Any]) -> Markup:
        report = {"unit": {**content["unit"], "name": content["unit"]["name"]},
                  "method": content["method"], "snapshot": content["snapshot"]}
        spec = snapshot_spec(report, _)
        spec["title"] = {"text": _("Progress towards the goals"),
                         "subtitle": _("Current Status Index, baseline %(base)s",
                                       base=content["method"]["parameters"]["baseline_year"])}
        return svg(d, spec)

    # a group's page shows what a country's does, plus its members
    template = environment().get_template(f"{SHARED.get(page['page'], page['page'])}.html")
    return template.render(
        p=page, lang=lang, _=_, link=link, here=here,
        num=lambda v, digits=2: number(v, lang, digits),
        pct=lambda v, digits=0: percent(v, lang, digits),
        when=lambda v: when(v, lang),
        chart=lambda spec: svg(d, spec), snapshot_chart=snapshot_chart,
        tree_chart=lambda s: Markup(analysis_svg(
            s, s["title"], words=_, percent=lambda v: percent(v, lang, 1))),
        static=relative("static/site.css", here), served=served,
        languages={k: v for k, v in LANGUAGES.items() if languages is None or k in languages},
    )


def render_error(lang: str, status: int, message: str) -> str:
    _ = gettext(lang if lang in LANGUAGES else "en")
    here = f"{lang}/error.html"
    return environment().get_template("error.html").render(
        p={"title": _("Page not found") if status == 404 else _("Error"), "path": "error",
           "lang": lang}, lang=lang, _=_, status=status, message=message,
        link=lambda t, to_lang=None, ext="html": relative(f"{to_lang or lang}/{t}.{ext}", here),
        here=here, static=relative("static/site.css", here))
