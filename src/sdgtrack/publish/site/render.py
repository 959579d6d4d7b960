"""HTML from page dicts: Jinja templates, the language's strings and number formats, and
charts rendered to SVG on the server (cached per store version), each with a data table."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from sdgtrack.framework.codelists import concept_label, selection_label
from sdgtrack.publish.charts import CLASS_STYLE, drawn, snapshot_spec, to_svg
from sdgtrack.publish.maps import map_svg
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import LANGUAGES, gettext, number, percent, when
from sdgtrack.publish.site.pages import area_page, series_page
from sdgtrack.publish.site.router import relative
from sdgtrack.publish.tree_chart import analysis_svg

SHARED = {"group": "area"}
#: The SDG API's codes for "no number" (model/codes.py MISSING_CODES), in words.
NO_NUMBER = {"N": "not applicable", "NV": "no value"}
STATUS_SYMBOL = {"on_schedule": "●", "behind_schedule": "▲", "regressed": "▼",
                 "insufficient_data": "·"}


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("sdgtrack.publish.site", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True,
                      auto_reload=False)  # templates do not change while we run
    env.globals.update(LANGUAGES=LANGUAGES, CLASS_STYLE=CLASS_STYLE,
                       STATUS_SYMBOL=STATUS_SYMBOL, series_page=series_page)
    return env


def compile_templates(*names: str) -> None:
    """Compile templates now: a site build compiles the series page's before it forks the
    workers that make series pages, so that each does not compile them again."""
    for name in names:
        environment().get_template(name)


def svg(d: SiteData, spec: dict[str, Any], draw: Any = to_svg) -> Markup:
    """A Vega-Lite spec as inline SVG, rendered once per store version and spec (``draw``:
    ``maps.map_svg`` for a map)."""
    key = hashlib.sha1(json.dumps(drawn(spec), sort_keys=True, default=str).encode()
                       ).hexdigest()
    return Markup(d.cached(("svg", key, draw.__name__), lambda: draw(spec)))


def _dim_name(dimension: str, _: Any) -> str:
    """A dimension's name: the model's, translated; a published concept in words."""
    return str(_(dimension)) if dimension.islower() else concept_label(dimension)


def _area_safe(target: str, current: str) -> str:
    """An area's page written as ``area_page`` writes it (an area named in words); the
    page's own address is already written so. A series page given by its raw code
    (``series/KAZ_9_c_1:L1``) is written as ``series_page`` writes it.

    >>> _area_safe("series/KAZ_9_c_1:L1", "index"), _area_safe("area/East Midlands", "index")
    ('series/KAZ_9_c_1~3aL1', 'area/East~20Midlands')
    >>> _area_safe("series/KAZ_9_c_1~3aL1", "index"), _area_safe("goal/3", "index")
    ('series/KAZ_9_c_1~3aL1', 'goal/3')
    """
    if target.startswith("series/") and re.search(r"[^A-Za-z0-9_.~\-]", target[7:]):
        return series_page(target[7:])
    return area_page(target[5:]) if target.startswith("area/") and target != current else target


def render(d: SiteData, page: dict[str, Any], served: bool = False,
           languages: tuple[str, ...] | None = None) -> str:
    """The HTML of a page dict (from ``router.build``)."""
    lang = page["lang"]
    here = f"{lang}/{page['path']}.html"
    _ = gettext(lang)

    def link(target: str, to_lang: str | None = None, ext: str = "html") -> str:
        return relative(f"{to_lang or lang}/{_area_safe(target, page['path'])}.{ext}", here)

    def label(dimension: str, code: str | None) -> str:
        return d.code_label(dimension, code, lang)

    def shown(raw: Any) -> str:
        """A value as published, a published code for no number in words (N, NV)."""
        return _(NO_NUMBER[raw]) if raw in NO_NUMBER else str(raw)

    def snapshot_chart(content: dict[str, Any]) -> Markup:
        report = {"unit": {**content["unit"], "name": content["unit"]["name"]},
                  "method": content["method"], "snapshot": content["snapshot"]}
        spec = snapshot_spec(report, _)
        spec["title"] = {"text": _("Progress towards the goals"),
                         "subtitle": _("Current Status Index, baseline %(base)s",
                                       base=content["method"]["parameters"]["baseline_year"])}
        return svg(d, spec)

    def matrix_cells(cells: dict[str, Any], columns: list[Any], series: str | None = None,
                     area: str | None = None) -> Markup:
        """One row of an availability matrix: per area, a series' data points and latest
        year (``series``); or per goal, an area's series with data (``area``). Written
        here, not in Jinja: a page has thousands of cells."""
        if series is not None:
            none = f'<td class="num empty"><span class="visually-hidden">{escape(_("no data"))}'
            out = []
            for a in columns:
                c = cells.get(f"{series}|{a['ref_area']}")
                out.append(f'<td class="num">{c[0]}<small>/{c[1]}</small></td>' if c
                           else f"{none}</span></td>")
            return Markup("".join(out))
        return Markup("".join(
            f'<td class="num">{c}</td>' if (c := cells.get(f"{g}|{area}"))
            else '<td class="num empty"></td>' for g in columns))

    def pivot_rows(pivot: dict[str, Any], selection: dict[str, Any]) -> Markup:
        """The rows of a series page's table to read across: area, breakdown, a value per
        year. (This table and the next are written here, not in Jinja: a series can have
        thousands of values.)"""
        years = [str(y) for y in pivot["years"]]
        return Markup("\n".join(
            f'<tr><th scope="row"><a href="{escape(link("area/" + r["ref_area"]))}">'
            f'{escape(r["area_name"])}</a></th>'
            + "".join(f"<td>{escape(label(dim, r['breakdown'][dim]))}</td>"
                      for dim in selection)
            + "".join(f'<td class="num">{escape(shown(r["cells"].get(y, "")))}</td>'
                      for y in years)
            + "</tr>" for r in pivot["rows"]))

    def value_rows(rows: list[dict[str, Any]], selection: dict[str, Any]) -> Markup:
        """The rows of a series page's table of every value with its origin."""
        row = escape(_("row"))
        return Markup("\n".join(
            f'<tr><th scope="row">{escape(r["area_name"])}</th>'
            f'<td class="num">{escape(r["time_period"])}</td>'
            + "".join(f"<td>{escape(label(dim, r[dim]))}</td>" for dim in selection)
            + f'<td class="num" title="{escape(r["source_file"])}, {row} '
              f'{escape(r["source_row"])}">{escape(shown(r["value_raw"]))}</td>'
              f'<td>{escape(label("nature", r["nature"]))}</td>'
              f'<td>{escape(label("obs_status", r["obs_status"]) if r["obs_status"] else "")}'
              '</td>'
              f'<td>{escape(r["source_detail"] or "")}'
            + (f'<br><small>{escape(r["footnote"])}</small>' if r["footnote"] else "")
            + "</td></tr>" for r in rows))

    # a group's page shows what a country's does, plus its members
    template = environment().get_template(f"{SHARED.get(page['page'], page['page'])}.html")
    return template.render(
        p=page, lang=lang, _=_, link=link, here=here, label=label,
        dim_name=lambda dim: _dim_name(dim, _),
        selection=lambda s: selection_label(s, lang),
        num=lambda v, digits=2: number(v, lang, digits),
        pct=lambda v, digits=0: percent(v, lang, digits),
        when=lambda v: when(v, lang),
        chart=lambda spec: svg(d, spec), snapshot_chart=snapshot_chart,
        map_chart=lambda spec: svg(d, spec, map_svg),
        matrix_cells=matrix_cells, pivot_rows=pivot_rows, value_rows=value_rows,
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
