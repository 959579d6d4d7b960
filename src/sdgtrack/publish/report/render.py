"""HTML from the document templates, and PDF from that HTML (WeasyPrint). The HTML is
self-contained (styles and charts inline), so the ``html`` format is the PDF's exact source."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from sdgtrack.errors import SdgtrackError
from sdgtrack.framework.codelists import selection_label
from sdgtrack.model import is_missing
from sdgtrack.publish.charts import CLASS_STYLE
from sdgtrack.publish.report.common import STATUS_STYLE
from sdgtrack.publish.report.messages import translator
from sdgtrack.publish.report.trends import font
from sdgtrack.publish.site.i18n import number, percent


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("sdgtrack.publish.report", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(CLASS_STYLE=CLASS_STYLE, STATUS_STYLE=STATUS_STYLE,
                       page_counter=page_counter)
    return env


def page_counter(_: Any) -> str:
    """The CSS ``content`` of the page number box in the document's language.

    >>> page_counter(lambda text, **v: text % v)
    '"Page " counter(page) " of " counter(pages) ""'
    """
    text = str(_("Page %(page)s of %(pages)s", page="\x00", pages="\x01")).replace('"', "'")
    return '"' + text.replace("\x00", '" counter(page) "').replace(
        "\x01", '" counter(pages) "') + '"'


@cache
def stylesheet() -> str:
    return (resources.files("sdgtrack.publish.report") / "templates" / "report.css").read_text(
        encoding="utf-8")


def html(template: str, lang: str, **context: Any) -> str:
    """A document's HTML: ``context`` plus the language's words and number format."""
    return environment().get_template(template).render(
        lang=lang, _=translator(lang), css=stylesheet(), font=font(lang),
        num=lambda v, digits=2: number(v, lang, digits), val=lambda v: value(v, lang),
        pct=lambda v: percent(v, lang, 1),
        selection=lambda s: selection_label(s, lang),  # age=Y15T19 -> 15–19 years
        **context)


def pdf(document: str) -> bytes:
    """The PDF of a document's HTML (A4, page size and margins set by its CSS)."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # WeasyPrint loads Pango from the system when imported
        raise SdgtrackError(
            f"PDF needs the Pango library, which did not load ({exc}). Debian/Ubuntu: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0; or ask for --format html "
            "(the PDF's exact source).") from None
    return bytes(HTML(string=document).write_pdf())


def output(template: str, fmt: str, lang: str, **context: Any) -> bytes:
    """The document as ``pdf`` or ``html`` bytes."""
    text = html(template, lang, **context)
    return pdf(text) if fmt == "pdf" else text.encode("utf-8")


def document(template: str, fmt: str, lang: str, name: str, kind: str,
             **context: Any) -> bytes:
    """``output`` with the title "<name>: <kind>" (the kind in the document's language)."""
    heading = f"{name}: {translator(lang)(kind)}"
    return output(template, fmt, lang, doc_title=heading, **context)


def value(v: float | None, lang: str) -> str:
    """An observed value with about four significant digits, trailing zeros dropped.

    >>> value(151.447, "en"), value(0.001234, "en"), value(23456.7, "en"), value(None, "en")
    ('151.4', '0.0012', '23,457', '—')
    """
    if v is None or is_missing(v):
        return "—"
    from math import floor, log10

    from babel.numbers import format_decimal

    digits = 0 if v == 0 else max(0, min(4, 3 - floor(log10(abs(v)))))
    return format_decimal(v, format="#,##0." + "#" * digits if digits else "#,##0",
                          locale=lang)
