"""Issue tables: counts by code, and the full report as CSV or JSON."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pyarrow as pa

from sdgtrack.errors import ISSUE_FIELDS, Issue, Severity


def issues_table(issues: list[Issue]) -> pa.Table:
    rows = [i.as_dict() for i in issues]
    return pa.table({
        f: pa.array([r[f] for r in rows], pa.int64() if f == "row" else pa.string())
        for f in ISSUE_FIELDS
    })


def counts_by_code(issues: list[Issue]) -> dict[str, int]:
    return dict(sorted(Counter(i.code.value for i in issues).items()))


def has_errors(issues: list[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)


def write_report(issues: list[Issue], path: Path) -> None:
    """The full report: JSON when ``path`` ends in .json, CSV otherwise."""
    rows = [i.as_dict() for i in issues]
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
        return
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ISSUE_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
