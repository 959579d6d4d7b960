"""What the VNR annex's two formats (PDF and workbook) share: its columns, and the words
of a progress class and of a value's nature."""

from __future__ import annotations

from typing import Any

from sdgtrack.framework.codelists import selection_label
from sdgtrack.publish.charts import CLASS_STYLE
from sdgtrack.publish.site.i18n import percent
from sdgtrack.publish.site.pages_data import NATURE

#: The annex's columns in order: (key, English header). Both formats use this list.
COLUMNS = (
    ("indicator", "Indicator"), ("indicator_title", "Indicator title"),
    ("series_code", "Series code"), ("description", "Series"), ("breakdown", "Breakdown"),
    ("latest_value", "Latest"), ("latest_year", "Latest year"), ("unit", "Unit"),
    ("source", "Source"), ("nature", "Nature"), ("since_value", "Value at review"),
    ("since_year", "Review year"), ("change", "Change"), ("class", "Progress class"),
)


def class_text(code: Any, _: Any, lang: str = "en") -> str:
    """``accelerate|sex=F|0.12;maintain|sex=M`` -> the words of each class, with its
    breakdown and the probability of reaching the target where there is one.

    >>> class_text("accelerate||0.12", lambda s, **v: s % v if v else s)
    '▲ Accelerate progress to achieve target (probability of reaching the target: 12.0%)'
    """
    if not isinstance(code, str) or not code:
        return ""
    parts = []
    for item in code.split(";"):
        klass, selection, chance = (item.split("|") + ["", ""])[:3]
        words = f"{CLASS_STYLE[klass][2]} {_(CLASS_STYLE[klass][0])}"
        if selection:
            words = f"{words} ({selection_label(selection, lang)})"
        if chance:
            p = percent(float(chance), lang, 1)
            words = f"{words} ({_('probability of reaching the target: %(p)s', p=p)})"
        parts.append(words)
    return "; ".join(parts)


def nature_text(code: Any, _: Any) -> str:
    return f"{code} ({_(NATURE[code])})" if code in NATURE else (code or "")
