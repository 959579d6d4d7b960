"""Reading delimited text the way a careful tool should: every column as text, a BOM or a
detectable Latin-1/Windows-1252 file accepted (with a warning), a ``;`` or tab delimiter
detected, HTML saved as .csv refused, malformed rows reported with their line number."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sdgtrack.errors import DataError, Issue, IssueCode
from sdgtrack.ingest import limits

#: Anything but white space (what makes a line more than blank).
_TEXT = re.compile(rb"[^ \t\r\n\x0b\x0c]")
#: A delimited table never starts with "<"; a web page or XML document always does.
_MARKUP = b"<"


@dataclass
class TextTable:
    """A delimited file read as text. ``rows`` gives each table row's line in the file."""

    table: pa.Table
    rows: np.ndarray


#: A cell longer than this is refused (a footnote is a few hundred characters; a 16 MiB
#: field broke pyarrow's block reader).
CELL_MAX_BYTES = 1024 * 1024
#: How the first bytes of a file that is not text give themselves away.
_NOT_TEXT = (
    (b"PK\x03\x04", IssueCode.ARCHIVE, "The file is a zip archive (or an Excel workbook "
     "renamed), not a delimited table.", "Unzip it and give the CSV files inside (a folder "
     "is read whole); save a workbook as .xlsx."),
    (b"\xd0\xcf\x11\xe0", IssueCode.NOT_TABULAR, "The file is an Excel 97-2003 workbook "
     "(or a password-protected one), not a delimited table.",
     "Save it from Excel as CSV UTF-8, or as .xlsx without a password."),
)
_UTF16 = (b"\xff\xfe", b"\xfe\xff")


def read_bytes(path: Path, name: str | None = None) -> bytes:
    """The file's bytes, a .gz expanded under the limits (``limits.gunzip``); raises
    ``DataError`` with the issue when a .gz is damaged or too large."""
    if path.suffix.lower() == ".gz":
        return limits.gunzip(path, name)
    return path.read_bytes()


def head_bytes(path: Path, n: int, name: str | None = None) -> bytes:
    """The first ``n`` bytes, expanded for a .gz (only those are expanded)."""
    if path.suffix.lower() == ".gz":
        return limits.gunzip(path, name, head=n)
    with path.open("rb") as f:
        return f.read(n)


def first_line(path: Path, limit: int = 65536) -> str:
    """The header line of a text file (BOM removed, any encoding tolerated), '' if unreadable."""
    if limits.special_file(path) is not None:
        return ""
    try:
        head = head_bytes(path, limit)
    except (OSError, DataError):
        return ""
    codec = utf16(head)
    if codec is not None:
        text = head[: len(head) // 2 * 2].decode(codec, errors="replace").lstrip("\ufeff")
        return text.replace("\r", "\n").split("\n", 1)[0]
    head = head.replace(b"\r", b"\n") if b"\n" not in head else head
    return head.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").rstrip("\r")


TEXT_SUFFIXES = (".csv", ".csv.gz", ".txt", ".tsv")


def sniff(path: Path) -> Issue | None:
    """Why a delimited-text file cannot be a data table at all (empty, binary, a web page),
    or None. Checked before any reader is asked, so the answer names the real problem."""
    if not path.is_file() or not path.name.lower().endswith(TEXT_SUFFIXES):
        return None
    try:
        head = head_bytes(path, 4096)
    except DataError as exc:
        return exc.issues[0]
    for magic, code, message, hint in _NOT_TEXT:
        if head.startswith(magic):
            return Issue(path.name, None, None, code, None, message, hint)
    if utf16(head) is not None:
        return None  # read as UTF-16 text (_decode), with a warning
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        return Issue(path.name, None, None, IssueCode.EMPTY_FILE, None, "The file is empty.",
                     "Export the data again; the file has no header and no rows.")
    if b"\x00" in head:
        return Issue(path.name, None, None, IssueCode.NOT_TABULAR, None,
                     "The file is binary, not text.",
                     "Export the data as CSV text (UTF-8); a spreadsheet must be saved as .xlsx.")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(_MARKUP):
        return Issue(path.name, 1, None, IssueCode.NOT_TABULAR,
                     head.lstrip()[:40].decode("utf-8", "replace"),
                     "The file is a web page or XML document, not a delimited table.",
                     "Download the data as CSV (not the page that links to it); SDMX-ML "
                     "files should end in .xml.")
    return None


def utf16(head: bytes) -> str | None:
    r"""The UTF-16 codec of text that is UTF-16 (as Excel's "Unicode Text" saves it), with a
    BOM or without one, or None. Without a BOM, the text must decode to printable
    characters with a line break: Cyrillic in UTF-16 has few NUL bytes, so counting them
    (as before) called such a file "binary".

    >>> utf16("Год,Значение\n2019,5\n".encode("utf-16-le")), utf16(b"Year,Value\n")
    ('utf-16-le', None)
    """
    if head.startswith(_UTF16):
        return "utf-16"
    if b"\x00" not in head:
        return None
    even = head[: max(0, len(head) // 2 * 2 - 4)] if len(head) > 64 else head[: len(head) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = even.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\n" in text and all(c.isprintable() or c in "\r\n\t" for c in text):
            return codec
    return None


def _decode(data: bytes, name: str, issues: list[Issue]) -> bytes | None:
    """UTF-8 bytes for pyarrow, or None when the encoding cannot be worked out."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    codec = utf16(data[:4096])
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            issues.append(Issue(name, None, None, IssueCode.ENCODING_ERROR, "UTF-16",
                                f"The file is UTF-16 text but is damaged ({exc.reason}).",
                                "Save it as CSV UTF-8 (in Excel: Save As > CSV UTF-8)."))
            return None
        issues.append(Issue(name, None, None, IssueCode.ENCODING_DETECTED, "UTF-16",
                            "The file is UTF-16 text (as Excel's 'Unicode Text' saves it), "
                            "not UTF-8; it was read as UTF-16.",
                            "Nothing to do; save it as CSV UTF-8 to be sure of the encoding."))
        return text.lstrip("\ufeff").encode("utf-8")
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else None
    if encoding in {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2"}:
        issues.append(Issue(
            name, None, None, IssueCode.ENCODING_DETECTED, encoding,
            f"The file is not UTF-8; it was read as {encoding}.",
            "Save it as UTF-8 to be sure every character is read as intended.",
        ))
        return data.decode(encoding).encode("utf-8")
    issues.append(Issue(
        name, bad_line, None, IssueCode.ENCODING_ERROR, encoding,
        "The file is not UTF-8 and its encoding could not be recognised.",
        "Save it as UTF-8 (in Excel: Save As > CSV UTF-8) and load it again.",
    ))
    return None


def _delimiter(header: str, name: str, issues: list[Issue]) -> str:
    if "," in header:
        return ","
    for delim, label in ((";", "semicolon"), ("\t", "tab")):
        if header.count(delim) >= 1:
            issues.append(Issue(
                name, 1, None, IssueCode.DELIMITER_DETECTED, label,
                f"The file separates columns with a {label}, not a comma; it was read that way.",
                "Nothing to do, unless the file was meant to be comma-separated.",
            ))
            return delim
    return ","


def _blank_lines(data: bytes, rows_seen: int) -> list[int]:
    """Line numbers of blank lines: pyarrow skips them, and row numbers must not.
    ``rows_seen`` counts the lines pyarrow consumed (header, rows, malformed rows); when the
    file has no more lines than that, there is no blank line to find."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines <= rows_seen:
        return []
    return [i for i, line in enumerate(data.split(b"\n")[:-1], start=1) if line.strip() == b""]


def _to_physical(numbers: np.ndarray, blank: list[int]) -> np.ndarray:
    """pyarrow numbers lines without counting blank ones; shift past each blank line."""
    for b in sorted(blank):
        numbers[numbers >= b] += 1
    return numbers


def _line_numbers(n_rows: int, skipped: list[int], blank: list[int]) -> np.ndarray:
    """Line of each parsed row: row i is line i+2 (after the header), shifted past every
    malformed row that was skipped, then past every blank line."""
    lines = np.arange(n_rows, dtype=np.int64) + 2
    for s in sorted(skipped):
        lines[lines >= s] += 1
    return _to_physical(lines, blank)


def read_text_table(path: Path, name: str | None = None) -> tuple[TextTable | None, list[Issue]]:
    """Read a delimited file with every column as text. Returns the table (None when the
    file cannot be read as a table at all) and every issue found on the way."""
    name = name or path.name
    issues: list[Issue] = []
    problem = sniff(path)
    if problem is not None:
        return None, [Issue(name, problem.row, problem.column, problem.code, problem.value,
                            problem.message, problem.hint)]
    try:
        raw = read_bytes(path, name)
    except DataError as exc:
        return None, exc.issues
    data = _decode(raw, name, issues)
    if data is None:
        return None, issues
    if b"\n" not in data and b"\r" in data:  # classic Mac line endings: CR only
        data = data.replace(b"\r", b"\n")
    header_line = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    delim = _delimiter(header_line, name, issues)
    columns = _columns(header_line, delim, name, issues)
    if columns is None:
        return None, issues
    newline = data.find(b"\n")
    # header only: pyarrow cannot skip a header that has no newline (a search, not a copy
    # of the body: the world extract's files are hundreds of megabytes)
    if newline < 0 or _TEXT.search(data, newline) is None:
        table = pa.table({c: pa.array([], pa.string()) for c in columns})
        return TextTable(table, np.zeros(0, dtype=np.int64)), issues
    try:
        table, skipped = _parse(data, columns, delim)
    except pa.ArrowInvalid as exc:
        return None, [*issues, Issue(
            name, None, None, IssueCode.MALFORMED_ROW, None,
            f"The file cannot be read as a table: {str(exc).splitlines()[0][:200]}.",
            "Check for an unclosed quote or a cell of megabytes; export the data again.")]
    blank = _blank_lines(data, 1 + table.num_rows + len(skipped))
    where = _to_physical(np.array([s[0] for s in skipped], dtype=np.int64), blank)
    for line, (_, text, expected, actual) in zip(where.tolist(), skipped):
        issues.append(Issue(
            name, line, None, IssueCode.MALFORMED_ROW, text[:80],
            f"The row has {actual} fields where the header has {expected}.",
            "Check for a missing or extra delimiter or an unclosed quote; a file cut short "
            "ends in such a row.",
        ))
    lines = _line_numbers(table.num_rows, [s[0] for s in skipped], blank)
    huge = _huge_cells(table, lines, name)
    if huge:
        return None, issues + huge
    return TextTable(table, lines), issues


def _columns(header_line: str, delim: str, name: str, issues: list[Issue]) -> list[str] | None:
    """The header's column names (an empty one gets a placeholder), or None with the issue
    when the header cannot be used: unreadable, or one name given to two columns."""
    try:
        header = next(csv.reader([header_line], delimiter=delim))
    except csv.Error as exc:
        issues.append(Issue(name, 1, None, IssueCode.MALFORMED_ROW, header_line[:80],
                            f"The header line cannot be read ({exc}).",
                            "Check the first line for a stray quote; export the data again."))
        return None
    columns = [h.strip() if h.strip() else f"_empty_{i + 1}" for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    for i, c in enumerate(columns, start=1):
        if c in seen:
            issues.append(Issue(
                name, 1, c, IssueCode.DUPLICATE_COLUMN, c,
                f"Columns {seen[c]} and {i} are both called {c!r}; which one holds the data "
                "cannot be told.", "Delete or rename one of the two columns."))
        seen.setdefault(c, i)
    return None if len(seen) < len(columns) else columns


def _huge_cells(table: pa.Table, lines: np.ndarray, name: str) -> list[Issue]:
    """A cell over ``CELL_MAX_BYTES``, by line and column (at most one per column)."""
    found = []
    for col in table.column_names:
        lengths = pc.binary_length(table[col])
        if (pc.max(lengths).as_py() or 0) > CELL_MAX_BYTES:
            k = int(pc.index(pc.greater(lengths, CELL_MAX_BYTES), True).as_py())
            found.append(Issue(
                name, int(lines[k]), col, IssueCode.TOO_LARGE, None,
                f"The cell holds {lengths[k].as_py():,} bytes, more than the limit of "
                f"{CELL_MAX_BYTES:,}.", "Shorten the text (a footnote or a source is a few "
                "sentences); a quote left open swallows the rest of the file into a cell."))
    return found


def _parse(data: bytes, columns: list[str], delim: str) -> tuple[pa.Table, list[tuple]]:
    skipped: list[tuple] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        skipped.append((row.number, row.text, row.expected_columns, row.actual_columns))
        return "skip"

    def go(threads: bool) -> pa.Table:
        skipped.clear()
        return pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(
                column_names=columns, skip_rows=1, use_threads=threads, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(delimiter=delim, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    table = go(True)
    if any(s[0] is None for s in skipped):  # numbers are only known single-threaded
        table = go(False)
    return table, [(s[0] if s[0] is not None else 0, *s[1:]) for s in skipped]
