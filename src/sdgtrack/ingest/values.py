"""Typing the published text: numbers with their qualifiers, years, multipliers, bounds.

The SDG database publishes values such as ``<5``, ``>95`` and ``<0.1`` and codes such as
``N`` and ``NV``. These are data, not errors: the raw text is always kept; a bounded value
gives its number and its qualifier; a published missing-value code gives no number.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack.ingest.periods import parse_periods
from sdgtrack.model import COLUMNS, TOTAL

NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_VALUE = rf"^(?P<q>[<>]=?|≤|≥)?\s*(?P<n>{NUMBER})$"
_YEAR = r"^(?P<y>\d{4})(?:\.0+)?$"
_QUALIFIER = {"≤": "<=", "≥": ">="}


def _clean(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(column)


def parse_numbers(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """(value, qualifier) from published text; both null where there is no number. A
    number too large for a float (``1e400``) is no number either: stored as infinity, it
    could not be published as JSON.

    >>> v, q = parse_numbers(pa.chunked_array([["12.5", "<5", ">= 95", "NV", "", "1e3",
    ...                                          "1e400"]]))
    >>> v.to_pylist(), q.to_pylist()
    ([12.5, 5.0, 95.0, None, None, 1000.0, None], [None, '<', '>=', None, None, None, None])
    """
    parts = pc.extract_regex(_clean(column), _VALUE)
    number = pc.struct_field(parts, "n")
    qualifier = pc.struct_field(parts, "q")
    for glyph, text in _QUALIFIER.items():
        qualifier = pc.replace_substring(qualifier, glyph, text)
    qualifier = pc.if_else(pc.equal(qualifier, ""), None, qualifier)
    value = number.cast(pa.float64())
    return pc.if_else(pc.is_finite(value), value, None), qualifier


def parse_years(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Four-digit years (``2015`` or ``2015.0``); null otherwise."""
    parts = pc.extract_regex(_clean(column), _YEAR)
    return pc.struct_field(parts, "y").cast(pa.int32())


def _int_or_zero(column: pa.ChunkedArray) -> pa.ChunkedArray:
    numbers, _ = parse_numbers(column)
    return pc.fill_null(numbers, 0).cast(pa.int32(), safe=False)


def normalise(raw: pa.Table) -> pa.Table:
    """The typed observation table (without provenance ids) from a reader's raw table."""
    value, qualifier = parse_numbers(raw["value_raw"])
    typed: dict[str, object] = {}
    for col in COLUMNS:
        if col.name in ("dataset", "load_id"):
            continue
        if col.name in ("time_period", "period", "freq", "time_text"):
            continue
        elif col.name == "value":
            typed[col.name] = value
        elif col.name == "value_qualifier":
            typed[col.name] = qualifier
        elif col.name == "unit_mult":
            typed[col.name] = _int_or_zero(raw["unit_mult"])
        elif col.type == "float64":
            typed[col.name] = parse_numbers(raw[col.name])[0]
        else:
            typed[col.name] = raw[col.name]
    year, period, freq, text = parse_periods(raw["time_period"])
    given = pc.not_equal(pc.fill_null(raw["period"], TOTAL), TOTAL)  # a reader set it
    typed["time_period"], typed["freq"], typed["time_text"] = year, freq, text
    typed["period"] = pc.if_else(given, raw["period"], period)
    return pa.table({c.name: typed[c.name] for c in COLUMNS if c.name in typed})
