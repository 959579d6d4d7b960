"""Languages of the pages: UI strings from message catalogs (``locales/<lang>.po``, read with
Babel), official goal/target/indicator titles from the framework, numbers per locale."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGUAGES = {"en": "English", "zh": "中文", "ru": "Русский"}
DEFAULT = "en"
LOCALES = Path(__file__).parent / "locales"


#: English words for the names looked up by value (dimension names are column names):
#: English has no catalogue, the text itself is the English, except for these.
ENGLISH = {
    "sex": "Sex", "age": "Age", "urbanisation": "Location",
    "income_wealth_quantile": "Wealth quintile", "education_lev": "Education level",
    "disability_status": "Disability status", "migratory_status": "Migratory status",
    "occupation": "Occupation", "activity": "Economic activity", "product": "Product",
    "breakdown": "Other breakdown", "reporting_type": "Reporting type",
    "value": "a number in the goal's text", "relative": "a change from the baseline",
    "best_performers": "the mean of the region's best performers",
    "rolled_back": "rolled back",
}


@cache
def _catalog(lang: str) -> dict[str, str]:
    path = LOCALES / f"{lang}.po"
    if lang == DEFAULT:
        return dict(ENGLISH)
    if not path.exists():
        return {}
    table: dict[str, str] = {}
    # <lang>.po, then a section's own catalogue beside it (<lang>.covid.po ...), so that
    # sections written in parallel do not all edit one file
    for one in [path, *sorted(LOCALES.glob(f"{lang}.*.po"))]:
        with one.open("rb") as f:
            catalog = read_po(f, locale=lang)
        # a message of ours is singular: its id and string are text, never plural tuples
        table.update({str(m.id): str(m.string) for m in catalog
                      if m.id and m.string and not m.fuzzy})
    return table


def gettext(lang: str):  # noqa: ANN201 - the Jinja callable
    """``_(text, **values)``: the text in ``lang`` (English when untranslated), formatted."""
    table = _catalog(lang)

    def _(text: str, **values: Any) -> str:
        out = table.get(text, text)
        return out % values if values else out

    return _


def number(value: float | None, lang: str, digits: int = 2) -> str:
    """A number in the locale's style; a dash when there is none.

    >>> number(-0.001, "en"), number(1234.5, "en"), number(None, "en")
    ('0.00', '1,234.50', '—')
    """
    if value is None:
        return "—"
    if round(value, digits) == 0:
        value = 0.0  # -0.001 prints 0.00, not -0.00
    return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0",
                          locale=Locale.parse(lang))


def when(value: Any, lang: str) -> str:
    """A date and time in the locale's style.

    >>> from datetime import datetime
    >>> when(datetime(2026, 11, 25, 4, 12), "zh")
    '2026年11月25日 04:12:00'
    """
    if value is None or value == "":
        return "—"
    from datetime import datetime

    from babel.dates import format_datetime

    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return format_datetime(moment, format="medium", locale=Locale.parse(lang))


def percent(value: float | None, lang: str, digits: int = 0) -> str:
    """A share as a percentage in the language's format.

    >>> percent(0.50455, "en", 1), percent(0.5, "zh")
    ('50.5%', '50%')
    """
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(value, format=pattern, locale=Locale.parse(lang))


def title(row: dict[str, Any], lang: str, field: str = "title") -> str:
    """The official title in ``lang`` where the framework has one, else English."""
    return str(row.get(f"{field}_{lang}") or row.get(f"{field}_en") or "")


#: Strings looked up by value rather than written out in a template (class and status
#: labels, dimension names, code labels, group codes...): listed so catalogs cover them.
DYNAMIC = (
    "Maintain progress to achieve target", "Accelerate progress to achieve target",
    "Reverse trend to achieve target", "Insufficient data",
    "on schedule", "behind schedule", "regressed", "insufficient data",
    "sex", "age", "urbanisation", "income_wealth_quantile", "education_lev",
    "disability_status", "migratory_status", "occupation", "activity", "product", "breakdown",
    "reporting_type", "value", "relative", "best_performers",
    "goal", "target", "indicator", "series", "area",
    "Asia and the Pacific (ESCAP region)", "East and North-East Asia (ESCAP subregion)",
    "South-East Asia (ESCAP subregion)", "South and South-West Asia (ESCAP subregion)",
    "North and Central Asia (ESCAP subregion)", "Pacific (ESCAP subregion)",
    "Least developed countries (LDCs)", "Landlocked developing countries (LLDCs)",
    "Small island developing States (SIDS)",
    "Country data", "Country adjusted data", "Estimated data", "Global monitoring data",
    "Modelled data", "Non-relevant", "Not available", "Not specified",
    "Total", "Female", "Male", "Urban", "Rural", "not applicable", "no value",
    "▼ furthest behind", "▲ furthest ahead",  # the survey tree's boxes (publish/tree_chart.py)
    "Progress made since %(base)s", "Regressed since %(base)s",
    "Progress needed to achieve target in 2030", "%(year)s line",
    # who is furthest behind (pages_lnob, lnob.gaps.COMPARISONS)
    "female / male", "rural / urban", "poorest / richest quintile",
    "with / without disability", "migrants / non-migrants", "youth 15-24 / adults 25+",
    "Poorest quintile", "Richest quintile", "Persons with disability",
    "Persons without disability", "Migrants", "Non-migrants", "Youth 15-24", "Adults 25+",
    "Narrowing", "Widening", "Stable", "Reversed", "Parity",
    # interlinkages (publish/links_charts.py)
    "Synergy", "Trade-off", "No significant interaction", "Not enough data", "Synergies",
    "Trade-offs", "goals", "share", "with goal",
    "Goal pairs mostly in synergy (solid) or trade-off (dashed)",
    "A synergy is co-movement, not a cause.",  # assess.links.HONESTY
    "translation by sdgtrack",  # a forum's translations (records)
)


def messages_used() -> set[str]:
    """Every UI string the templates and page builders ask for (for the completeness test)."""
    import re

    found: set[str] = set(DYNAMIC)
    here = Path(__file__).parent
    for path in [*here.glob("templates/*.html"), *here.glob("*.py"),
                 *here.parent.glob("search/*.py")]:
        found |= set(re.findall(r'_\("((?:[^"\\]|\\.)+)"', path.read_text(encoding="utf-8")))
    return found
