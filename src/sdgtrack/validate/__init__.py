"""Validation: every problem in the data as a row (``file, row, column, code, value, message,
hint``), never just the first (as in pandera). Checks are vectorised over the whole table."""

from __future__ import annotations

from sdgtrack.validate.checks import Known, check, rows_to_store
from sdgtrack.validate.report import (
    Repeated,
    counts_by_code,
    grouped,
    has_errors,
    issues_table,
    write_report,
)

__all__ = [
    "Known",
    "check",
    "Repeated",
    "counts_by_code",
    "grouped",
    "rows_to_store",
    "has_errors",
    "issues_table",
    "write_report",
]
