"""Normalising the codes of sources to the canonical (SDMX) codes.

The UN SDG API writes ``BOTHSEX``/``FEMALE``/``MALE`` and ``ALLAREA``/``URBAN``/``RURAL`` and ages
such as ``15-24``; the SDMX data structure writes ``_T``/``F``/``M``, ``_T``/``U``/``R`` and
``Y15T24``. sdgtrack stores the SDMX form so that data from both meet in one table.
Codes not listed here are kept as published.
"""

from __future__ import annotations

import re

from sdgtrack.model.observation import TOTAL

#: Published codes that stand for "no number" (SDG API: N = not applicable, NV = no value):
#: kept as the raw value, stored with no number, never an error.
MISSING_CODES = ("N", "NV", "NA", "NAN", "..", "...", "-", "–", "X")

#: Published code -> canonical code, per canonical dimension.
CODE_MAP: dict[str, dict[str, str]] = {
    "sex": {"BOTHSEX": TOTAL, "FEMALE": "F", "MALE": "M", "T": TOTAL},
    "urbanisation": {"ALLAREA": TOTAL, "URBAN": "U", "RURAL": "R", "T": TOTAL},
    "age": {"ALLAGE": TOTAL},
    "activity": {"TOTAL": TOTAL},
    "income_wealth_quantile": {"ALL": TOTAL},
    "reporting_type": {},
}

_RANGE = re.compile(r"^(\d+)-(\d+)$")
_OVER = re.compile(r"^(\d+)\+$")
_UNDER = re.compile(r"^<(=?)(\d+)([YM])$")


def normalise_age(code: str) -> str:
    """SDG API age codes to SDMX codes.

    >>> [normalise_age(c) for c in ["15-24", "15+", "<5Y", "<1Y", "<1M", "<=45Y", "M36T59"]]
    ['Y15T24', 'Y_GE15', 'Y0T4', 'Y0', 'M0', 'Y0T45', 'M36T59']
    """
    if m := _RANGE.match(code):
        return f"Y{m[1]}T{m[2]}"
    if m := _OVER.match(code):
        return f"Y_GE{m[1]}"
    if m := _UNDER.match(code):
        inclusive, n, unit = m[1] == "=", int(m[2]), m[3]
        upper = n if inclusive else n - 1
        return f"{unit}0" if upper == 0 else f"{unit}0T{upper}"
    return code


def normalise_code(dimension: str, code: str | None) -> str:
    """The canonical code for a published one; an empty cell is the total.

    >>> normalise_code("sex", "FEMALE"), normalise_code("sex", ""), normalise_code("age", "15-24")
    ('F', '_T', 'Y15T24')
    """
    if code is None:
        return TOTAL
    code = code.strip()
    if code == "":
        return TOTAL
    mapped = CODE_MAP.get(dimension, {}).get(code.upper())
    if mapped is not None:
        return mapped
    if dimension == "age":
        return normalise_age(code)
    return code


def concept_name(label: str) -> str:
    """A column label as an SDMX-style concept id: ``Type Of Product`` -> ``TYPE_OF_PRODUCT``.
    Letters of any script are kept, so two headers in Russian stay two concepts.

    >>> concept_name("[Name of non-communicable disease]"), concept_name("Образование матери")
    ('NAME_OF_NON_COMMUNICABLE_DISEASE', 'ОБРАЗОВАНИЕ_МАТЕРИ')
    """
    return re.sub(r"[\W_]+", "_", label.strip().strip("[]").upper()).strip("_")
