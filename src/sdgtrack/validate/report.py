"""Issue tables: counts by code, repeated problems told once, and the full report as CSV or
JSON (which keeps every row)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from sdgtrack.errors import ISSUE_FIELDS, Issue, Severity


def issues_table(issues: list[Issue]) -> pa.Table:
    rows = [i.as_dict() for i in issues]
    return pa.table({
        f: pa.array([r[f] for r in rows], pa.int64() if f == "row" else pa.string())
        for f in ISSUE_FIELDS
    })


#: How many rows a repeated problem names (the rest are counted).
ROWS_SHOWN = 5


@dataclass
class Repeated:
    """One problem met on many rows of a file: the first issue, how many rows, the first
    ``ROWS_SHOWN`` of them."""

    first: Issue
    count: int = 1
    rows: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        if self.count == 1:
            return str(self.first)
        i = self.first
        more = self.count - len(self.rows)
        where = (f"{i.file}, {self.count:,} rows ({', '.join(map(str, self.rows))}"
                 + (f" and {more:,} more" if more else "") + ")")
        if i.column:
            where += f", column {i.column!r}"
        return f"{where}: {i.message} (first of them) {i.hint}".strip()


def grouped(issues: list[Issue]) -> list[Repeated]:
    """Issues of one code, file, column and hint told once, in the order first met: 5,000
    rows with the same problem are one line, not 5,000 (nor one 93-row sentence).

    >>> from sdgtrack.errors import IssueCode
    >>> rows = [Issue("a.csv", r, "Year", IssueCode.INVALID_YEAR, "x", "'x' is not a year.",
    ...               "Fix it.") for r in range(2, 10)]
    >>> (g,) = grouped(rows)
    >>> str(g).split(":")[0]
    "a.csv, 8 rows (2, 3, 4, 5, 6 and 3 more), column 'Year'"
    """
    out: dict[tuple[object, ...], Repeated] = {}
    for i in issues:
        key: tuple[object, ...] = (i.file, i.code, i.column, i.hint, i.row is None)
        if i.row is None:
            key += (i.message,)  # a file-wide problem is one of its kind
        group = out.get(key)
        if group is None:
            out[key] = Repeated(i, 1, [] if i.row is None else [i.row])
            continue
        group.count += 1
        if i.row is not None and len(group.rows) < ROWS_SHOWN:
            group.rows.append(i.row)
    return list(out.values())


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
