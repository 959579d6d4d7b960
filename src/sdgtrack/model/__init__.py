"""The data model: what an observation is, and the code lists that normalise sources to it.

Imports nothing outside the standard library."""

from sdgtrack.model.observation import (
    ATTRIBUTES,
    COLUMNS,
    DIMENSION_NAMES,
    DIMENSIONS,
    GROUP_DIMENSIONS,
    KEY,
    KEY_NAMES,
    PROVENANCE,
    TOTAL,
    Column,
)
from sdgtrack.model.values import is_missing, json_value, number

__all__ = [
    "ATTRIBUTES",
    "COLUMNS",
    "DIMENSIONS",
    "DIMENSION_NAMES",
    "GROUP_DIMENSIONS",
    "KEY",
    "KEY_NAMES",
    "PROVENANCE",
    "TOTAL",
    "Column",
    "is_missing",
    "json_value",
    "number",
]
