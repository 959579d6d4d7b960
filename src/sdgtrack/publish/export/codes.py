"""The inverse of ``model.codes``: canonical (SDMX) codes back to the codes the UN SDG API
publishes, so an export in the UN layout reads back as the same codes.

Normalising is not one-to-one (``0-4`` and ``<5Y`` are both ``Y0T4``); the inverse gives the
form the UN database uses, and only ever a code that ``normalise_code`` maps back to the one
it came from (any other code is written as stored).
"""

from __future__ import annotations

import re

from sdgtrack.model.codes import CODE_MAP, normalise_code


def _inverse(table: dict[str, str]) -> dict[str, str]:
    """Canonical -> the first published code listed for it (``BOTHSEX`` before ``T``)."""
    out: dict[str, str] = {}
    for published, canonical in table.items():
        out.setdefault(canonical, published)
    return out


#: Canonical code -> UN SDG API code, per canonical dimension.
UN_CODES: dict[str, dict[str, str]] = {dim: _inverse(t) for dim, t in CODE_MAP.items()}

_RANGE = re.compile(r"^Y(\d+)T(\d+)$")
_OVER = re.compile(r"^Y_GE(\d+)$")
_UNDER = re.compile(r"^([YM])0(?:T(\d+))?$")


def un_age(code: str) -> str:
    """SDMX age codes as the SDG API writes them (the inverse of ``normalise_age``).

    >>> [un_age(c) for c in ["Y15T24", "Y_GE15", "Y0T4", "Y0", "M0", "M0T5", "NOTSPEC"]]
    ['15-24', '15+', '<5Y', '<1Y', '<1M', '<6M', 'NOTSPEC']
    """
    if m := _UNDER.match(code):
        upper = int(m[2]) if m[2] is not None else 0
        return f"<{upper + 1}{m[1]}"
    if m := _RANGE.match(code):
        return f"{m[1]}-{m[2]}"
    if m := _OVER.match(code):
        return f"{m[1]}+"
    return code


def un_code(dimension: str, code: str) -> str:
    """The UN SDG API code for a canonical one; the code itself when the UN uses it too.

    >>> un_code("sex", "_T"), un_code("urbanisation", "R"), un_code("age", "Y0T4")
    ('BOTHSEX', 'RURAL', '<5Y')
    >>> un_code("education_lev", "ISCED11_1")
    'ISCED11_1'
    """
    published = UN_CODES.get(dimension, {}).get(code)
    if published is None and dimension == "age":
        published = un_age(code)
    if published is None or normalise_code(dimension, published) != code:
        return code
    return published
