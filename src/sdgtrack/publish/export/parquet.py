"""Parquet: the canonical observation table itself, every column (provenance included) with
its type, and each column's role, SDMX concept and description as field metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sdgtrack.model import KEY_NAMES
from sdgtrack.publish.export.base import (
    ExportResult,
    as_table,
    atomic_file,
    duplicate_note,
    sdgtrack_version,
)


def write_parquet(observations: Any, out: Path) -> ExportResult:
    """Write the observations to ``out`` as Parquet (zstd), in the schema of
    ``model.COLUMNS``; the file's metadata names the sdgtrack version and the key."""
    import pyarrow.parquet as pq

    table = as_table(observations)
    table = table.replace_schema_metadata({
        "sdgtrack.version": sdgtrack_version(),
        "sdgtrack.key": ",".join(KEY_NAMES),
    })
    with atomic_file(out) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    return ExportResult("parquet", out, table.num_rows, table.num_rows, 1,
                        tuple(duplicate_note(table)))
