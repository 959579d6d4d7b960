"""Missing values as JSON sees them: one rule for every page, document and answer. A value
is missing when it is None, a float NaN, or pandas' NA or NaT (known by type name: the model
imports nothing outside the standard library)."""

from __future__ import annotations

from typing import Any

_MISSING_TYPES = frozenset({"NAType", "NaTType"})


def is_missing(value: Any) -> bool:
    """
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0), is_missing("")
    (True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return type(value).__name__ in _MISSING_TYPES


def json_value(value: Any) -> Any:
    """A JSON-ready value: a numpy scalar as its Python value, a missing one as None.

    JSON has no infinity either (a ratio over nothing required): it is no value.

    >>> json_value(float("nan")), json_value(3), json_value("a"), json_value(float("inf"))
    (None, 3, 'a', None)
    """
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars (np.float64(nan) becomes a float NaN here)
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return None
    return None if is_missing(value) else value


def number(value: Any) -> float | None:
    """A number for a page: a float, or None when missing.

    >>> number(2), number(float("nan")), number(None)
    (2.0, None, None)
    """
    return None if is_missing(value) else float(value)
