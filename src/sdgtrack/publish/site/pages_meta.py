"""National metadata on the indicator and series pages: each current load's metadata for an
indicator, field by field, labelled in words in the page's language, the text in the page's
language where the repository has it (else as published), markdown rendered with every HTML
tag escaped and only web and mail links kept."""

from __future__ import annotations

import csv
import re
from functools import cache, lru_cache
from typing import Any

from sdgtrack import framework
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.names import area_name


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # html: off, so a tag in the text is shown as text; breaks: a workbook cell's new line
    # is a new line on the page
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


def _safe_link(url: str) -> bool:
    """Only web, mail and relative links (no ``javascript:``, ``data:``, ``vbscript:``).

    >>> _safe_link("https://unstats.un.org/x.pdf"), _safe_link("JavaScript:alert(1)")
    (True, False)
    """
    scheme = re.match(r"^\s*([a-z][a-z0-9+.\-]*):", url, re.I)
    return scheme is None or scheme[1].lower() in ("http", "https", "mailto")


def as_html(text: str) -> str:
    """Markdown -> HTML that holds no tag of the text's own.

    >>> as_html("**Note** <script>x</script>")
    '<p><strong>Note</strong> &lt;script&gt;x&lt;/script&gt;</p>\\n'
    >>> as_html("[a](javascript:alert(1))")  # no link: left as the text it was
    '<p>[a](javascript:alert(1))</p>\\n'
    >>> "<a " in as_html("[a](javascript:alert(1))"), "<a " in as_html("[a](https://x.org)")
    (False, True)
    """
    return _html(text)


@lru_cache(maxsize=16384)
def _html(text: str) -> str:
    # kept: the same text shows on an indicator's page and on each of its series' pages, in
    # every language without a translation of it (25,830 renders for Kyrgyzstan's site)
    return str(_markdown().render(text))


@cache
def _labels() -> dict[str, dict[str, str]]:
    with (framework.data_dir() / "metadata_fields.csv").open(encoding="utf-8") as f:
        return {r["field"]: r for r in csv.DictReader(f)}


def field_label(field: str, lang: str, own: str = "") -> str:
    """The field in words: ours (``framework/data/metadata_fields.csv``, from the
    repositories' own labels where they give them), else the repository's label in the
    page's language (``own``), else the key with spaces.

    >>> field_label("source_data_1", "zh"), field_label("definitions", "ru")
    ('数据来源', 'Определение')
    >>> field_label("row_7", "en", "Notes"), field_label("made_up_key", "en")
    ('Notes', 'Made up key')
    """
    row = _labels().get(field) or _labels().get(re.sub(r"_\d+$", "", field))
    if row:
        return row.get(lang) or row["en"]
    return own or field.replace("_", " ").capitalize()


def _rows(d: SiteData) -> list[dict[str, Any]]:
    return d.national_metadata()  # read once a version (and before a site build forks)


def _by_indicator(d: SiteData) -> dict[str, list[dict[str, Any]]]:
    """The rows by indicator code, in the order read (a page asks for a few indicators of
    thousands of rows)."""
    def make() -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for r in _rows(d):
            out.setdefault(r["indicator"], []).append(r)
        return out
    return d.cached("national_metadata_by_indicator", make)  # type: ignore[no-any-return]


def _chosen(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """One row per field: the page's language, else as published, else English, else the
    first language given."""
    by_field: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_field.setdefault(r["field"], []).append(r)
    out = []
    for found in by_field.values():
        rank = {lang: 0, "": 1, "en": 2}
        out.append(min(found, key=lambda r: rank.get(r["lang"] or "", 3)))
    return out


def groups(d: SiteData, lang: str, indicators: set[str] | None = None,
           parents: set[str] | None = None, loads: set[int] | None = None
           ) -> list[dict[str, Any]]:
    """The metadata of each (load, indicator) asked for: ``indicators`` by their own code,
    ``parents`` by their global indicator (16.3.2 holds 16.3.2.1), of ``loads`` only when
    given; every one when neither is given. Each group names its dataset, load and country;
    each field its label, its text (``text``), the safe HTML of it (``html``), its language
    and its file."""
    index = _by_indicator(d)
    codes = set(index) if indicators is None and parents is None else {
        ind for ind in index if (indicators is not None and ind in indicators) or (
            parents is not None and ".".join(ind.split(".")[:3]) in parents)}
    picked: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for ind in codes:
        for r in index[ind]:
            if loads is None or r["load_id"] in loads:
                picked.setdefault((r["load_id"], ind), []).append(r)
    out = []
    for (load_id, ind), rows in sorted(picked.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        country = rows[0]["country"]
        fields = [{"field": r["field"],
                   "label": field_label(r["field"], lang,
                                        r["label"] if (r["lang"] or "") in (lang, "") else ""),
                   "text": r["value"], "html": as_html(r["value"]), "lang": r["lang"] or None,
                   "source_file": r["source_file"]} for r in _chosen(rows, lang)]
        out.append({"indicator": ind, "dataset": rows[0]["dataset"], "load_id": load_id,
                    "country": country,
                    "country_name": area_name(d, country, lang) if country else None,
                    "anchor": f"national-meta-{load_id}-{ind}", "fields": fields})
    return out


def for_indicator(d: SiteData, lang: str, code: str) -> list[dict[str, Any]]:
    """An indicator page's: its own and its national sub-indicators' (3.2.1, 3.2.1.1)."""
    return groups(d, lang, parents={code})


def for_series(d: SiteData, lang: str, code: str) -> list[dict[str, Any]]:
    """A series page's: the metadata of the indicator files its rows came from, of the
    loads that gave them (``data/indicator_3-2-1.csv`` -> 3.2.1; ``data/1.5.4.xml``)."""
    from pathlib import Path

    from sdgtrack.ingest.opensdg import indicator_id

    if not _rows(d):
        return []
    cols = d.series_columns(code)
    pairs = {(load, f) for load, f in zip(cols["load_id"], cols["source_file"], strict=True)
             if f}
    inds = {i for _, f in pairs if (i := indicator_id(Path(f)))}
    return groups(d, lang, indicators=inds, loads={int(load) for load, _ in pairs})
