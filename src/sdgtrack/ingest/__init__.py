"""Readers, one per format, in a registry (as in sdmx1): each says whether it handles a
path; the first that does reads it into the canonical layout."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from sdgtrack.errors import DataError, Issue, IssueCode, UnknownFormatError
from sdgtrack.ingest import excel, limits
from sdgtrack.ingest.base import AREA_COLUMNS, Reader, ReadOptions, ReadResult, in_file_terms
from sdgtrack.ingest.excel import ExcelTemplate
from sdgtrack.ingest.opensdg import OpenSdgRepository
from sdgtrack.ingest.sdmx import SdmxCsv, SdmxMl
from sdgtrack.ingest.text import sniff
from sdgtrack.ingest.uncsv import UnSdgCsv
from sdgtrack.ingest.values import normalise

READERS: list[Reader] = [UnSdgCsv(), SdmxCsv(), SdmxMl(), OpenSdgRepository(), ExcelTemplate()]


def find_reader(path: Path) -> Reader:
    """The first reader that handles ``path``; an error listing every reader otherwise."""
    if not path.exists():
        message = f"{path}: no such file or folder."
        raise DataError(message, [Issue(str(path), None, None, IssueCode.FILE_NOT_FOUND, None,
                                        "No such file or folder.",
                                        "Check the path and try again.")])
    problem = limits.special_file(path) or sniff(path) or excel.sniff(path)
    if problem is not None:
        raise DataError(f"{path}: {problem.message} {problem.hint}", [problem])
    for reader in READERS:
        if reader.handles(path):
            return reader
    tried = "\n".join(f"  - {r.name}: {r.expects}" for r in READERS)
    message = (f"{path}: no reader recognises this file. Readers tried:\n{tried}\n"
               "Convert the file to one of these layouts, or check that it is not empty.")
    issue = Issue(path.name, None, None, IssueCode.UNKNOWN_FORMAT, None,
                  "No reader recognises this file.",
                  "Convert it to one of: " + "; ".join(r.expects for r in READERS))
    raise UnknownFormatError(message, [issue])


def read_areas(path: Path) -> pa.Table:
    """A user's list of areas (sub-national units, custom regions): CSV with columns
    ``ref_area, name, parent`` (parent: the M49 code of the country, may be empty)."""
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in AREA_COLUMNS}, strings_can_be_null=False))
    except (OSError, pa.ArrowInvalid) as exc:
        raise DataError(f"{path}: cannot read the areas file ({exc}). It must be a CSV with "
                        "the columns ref_area, name, parent.") from exc
    missing = [c for c in AREA_COLUMNS if c not in table.column_names]
    if missing:
        raise DataError(f"{path}: the areas file lacks the column(s) {', '.join(missing)}; "
                        "it needs ref_area, name, parent.")
    return table.select(list(AREA_COLUMNS))


def read(path: Path, options: ReadOptions | None = None) -> ReadResult:
    """Read a file or folder with the first reader that recognises it (``find_reader``);
    nothing is validated or stored."""
    return find_reader(path).read(path, options or ReadOptions())


__all__ = ["READERS", "ReadOptions", "ReadResult", "Reader", "find_reader", "in_file_terms",
           "normalise", "read",
           "read_areas"]
