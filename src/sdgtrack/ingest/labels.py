"""Published labels to SDMX codes, through data: the mapping table (``opensdg_mapping.yml``
and the user's ``--mapping``) first, then the names of the DSD the repository ships.

A label that matches no code is kept as published, and each column's unmatched labels are
listed in one issue (not one per row), so a file of 10,000 rows says it once.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack.errors import Issue, IssueCode
from sdgtrack.ingest.base import stripped
from sdgtrack.ingest.dsd import fold

#: A cell that is already a code (``F``, ``Y15T24``, ``KZAKM``, ``_T``), not a label in words.
_CODE = re.compile(r"^[A-Z0-9_][A-Z0-9_.+-]*$")
#: How many unmatched labels an issue quotes (the rest are counted).
LABELS_NAMED = 5


def code_map(column: pa.Array | pa.ChunkedArray, table: dict[str, str] | None,
             names: dict[str, str] | None) -> dict[str, str]:
    """Published value -> code for this column's values: ``table`` (keys lower case), then
    the DSD's ``names`` (keys folded: case and spaces ignored)."""
    out: dict[str, str] = {}
    for v in pc.unique(stripped(column)).to_pylist():
        if not v:
            continue
        code = (table or {}).get(v.lower()) or (names or {}).get(fold(v))
        if code is not None:
            out[v] = code
    return out


def unmatched(column: pa.Array | pa.ChunkedArray, found: dict[str, str],
              codes: set[str] | None) -> list[str]:
    """Labels in words that matched no code (codes already, and empty cells, are not)."""
    values = pc.unique(stripped(column)).to_pylist()
    return sorted(v for v in values if v and v not in found
                  and not _CODE.match(v) and v not in (codes or set()))


def is_code(value: str) -> bool:
    return _CODE.match(value) is not None


def unmatched_issue(name: str, header: str, labels: list[str], first_row: int) -> Issue:
    shown = ", ".join(repr(v) for v in labels[:LABELS_NAMED])
    more = f" and {len(labels) - LABELS_NAMED} more" if len(labels) > LABELS_NAMED else ""
    return Issue(name, first_row, header, IssueCode.UNMAPPED_CODE, "; ".join(labels),
                 f"{len(labels)} label(s) of this column match no SDMX code and are kept as "
                 f"published: {shown}{more}.",
                 "Nothing to do unless they stand for standard codes: then add them to a "
                 "--mapping file (codes: section) or to the repository's DSD.")


def first_row_with(column: pa.Array | pa.ChunkedArray, labels: list[str],
                   rows: list[int]) -> int:
    """The file row of the first cell holding one of ``labels``."""
    k = pc.index(pc.is_in(stripped(column), pa.array(labels)), True).as_py()
    return rows[k] if k is not None and k >= 0 else rows[0]

