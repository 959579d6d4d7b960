"""Exceptions and validation issues.

Exception tree (split by audience, as in pandera and httpx)::

    SdgtrackError                 base of everything sdgtrack raises on purpose
    ├── UsageError                the caller asked for the impossible (bad option, unknown area)
    ├── DataError                 the input data cannot be used; carries the Issue rows that say why
    │   └── UnknownFormatError    no reader handles the file; the message lists every reader tried
    ├── StoreError                the store file is missing, locked, or from an incompatible version
    │   └── HeldByServer          a server with accounts is the store's writer; has its address
    ├── MissingExtraError         an optional dependency is not installed; names the pip extra
    └── RequestError              a request that may not or cannot be served; has its HTTP status
        ├── NotSignedIn           401: no credentials, or unknown, expired or revoked ones
        ├── Forbidden             403: signed in, but outside the account's role or areas
        ├── NoSuchRecord          404: no such user, token, submission, load or contribution
        ├── Conflict              409: the record is not in a state that allows it (a loaded
        │                         submission confirmed again, a superseded load rolled back)
        ├── TooLarge              413: an upload or form over its size limit
        ├── Unprocessable         422: an upload was read and has errors (listed in ``errors``)
        ├── TooManyAttempts       429: too many failed sign-ins; says when to try again
        └── ReadOnly              503: the server opened the store read-only

Validation problems are not exceptions: every problem found in a file is an ``Issue`` row
(``file, row, column, code, value, message, hint``) with ``code`` from ``IssueCode``. The codes
are stable strings: users filter reports on them, so never rename one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


class SdgtrackError(Exception):
    """Base class for errors raised on purpose by sdgtrack."""

    exit_code = 1


class UsageError(SdgtrackError):
    """The caller's request cannot be carried out as given (exit code 2)."""

    exit_code = 2


class StoreError(SdgtrackError):
    """The store cannot be opened or written."""


class HeldByServer(StoreError):
    """A server that keeps accounts holds the store's write lock while it runs: a write goes
    through it (``url``), or waits until it stops."""

    def __init__(self, message: str, url: str | None) -> None:
        super().__init__(message)
        self.url = url


class MissingExtraError(SdgtrackError):
    """An optional dependency is missing."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(f"This feature needs {module!r}: pip install 'sdgtrack[{extra}]'")


class RequestError(SdgtrackError):
    """A request (web or command line) that may not or cannot be served. ``status`` is its
    HTTP status; on the command line it is a usage problem (exit code 2)."""

    status = 400
    exit_code = 2

    def __init__(self, message: str, errors: Sequence[object] | None = None) -> None:
        super().__init__(message)
        self.errors = list(errors or [message])


class NotSignedIn(RequestError):
    status = 401


class Forbidden(RequestError):
    status = 403


class NoSuchRecord(RequestError):
    status = 404


class Conflict(RequestError):
    status = 409


class TooLarge(RequestError):
    status = 413


class Unprocessable(RequestError):
    status = 422


class TooManyAttempts(RequestError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ReadOnly(RequestError):
    status = 503


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class IssueCode(StrEnum):
    """Stable codes for validation issues. The severity of each is in ``SEVERITY``."""

    # the file as a whole
    FILE_NOT_FOUND = "file_not_found"
    EMPTY_FILE = "empty_file"
    NO_ROWS = "no_rows"
    NOT_TABULAR = "not_tabular"
    ENCODING_ERROR = "encoding_error"
    ENCODING_DETECTED = "encoding_detected"
    DELIMITER_DETECTED = "delimiter_detected"
    MISSING_COLUMN = "missing_column"
    EMPTY_HEADER = "empty_header"
    RENAMED_COLUMN = "renamed_column"
    UNKNOWN_COLUMN = "unknown_column"
    WRONG_STRUCTURE = "wrong_structure"
    MERGED_CELLS = "merged_cells"
    UNKNOWN_FORMAT = "unknown_format"
    CORRUPT_FILE = "corrupt_file"  # a .gz that is not gzip or cut short, a damaged workbook
    TOO_LARGE = "too_large"  # a decompression bomb, a cell or a sheet past its limit
    SPECIAL_FILE = "special_file"  # a FIFO, device or socket: never opened
    ARCHIVE = "archive"  # a zip archive given as a data file
    PASSWORD_PROTECTED = "password_protected"
    DUPLICATE_COLUMN = "duplicate_column"
    INDICATOR_WITHOUT_DATA = "indicator_without_data"
    FILE_NOT_READ = "file_not_read"  # a file of a repository that no reader takes (a workbook)
    DATASET_REPLACED = "dataset_replaced"
    NEW_VINTAGE = "new_vintage"  # recognised as a new vintage of a stored dataset
    OTHER_SOURCE = "other_source"  # shares observations with a dataset of another source
    DATASET_OVERLAP = "dataset_overlap"  # overlaps another dataset and neither rule decides
    MIXED_VINTAGES = "mixed_vintages"  # files of one load hold the same keys, other values
    # one row
    MALFORMED_ROW = "malformed_row"
    MISSING_REQUIRED_VALUE = "missing_required_value"
    NON_NUMERIC_VALUE = "non_numeric_value"
    MISSING_VALUE = "missing_value"
    INVALID_YEAR = "invalid_year"
    YEAR_OUT_OF_RANGE = "year_out_of_range"
    UNKNOWN_SERIES = "unknown_series"
    UNKNOWN_AREA = "unknown_area"
    UNKNOWN_INDICATOR = "unknown_indicator"
    UNMAPPED_CODE = "unmapped_code"
    DUPLICATE_KEY = "duplicate_key"
    DUPLICATE_ROW = "duplicate_row"
    UNIT_CONFLICT = "unit_conflict"
    INVALID_NUMBER = "invalid_number"
    FORMULA_WITHOUT_VALUE = "formula_without_value"
    AREA_OUTSIDE_SCOPE = "area_outside_scope"
    RENAMED_SERIES = "renamed_series"  # an old series code, read under its successor's family
    BAD_BOUNDARY_FILE = "bad_boundary_file"  # a map's GeoJSON refused, or areas it can't match
    MALFORMED_METADATA = "malformed_metadata"  # a national metadata file or row not read


_WARNINGS = {
    IssueCode.ENCODING_DETECTED,
    IssueCode.DELIMITER_DETECTED,
    IssueCode.EMPTY_HEADER,
    IssueCode.RENAMED_COLUMN,
    IssueCode.UNKNOWN_COLUMN,
    IssueCode.INDICATOR_WITHOUT_DATA,
    IssueCode.FILE_NOT_READ,
    IssueCode.DATASET_REPLACED,
    IssueCode.NEW_VINTAGE,
    IssueCode.OTHER_SOURCE,
    IssueCode.RENAMED_SERIES,
    IssueCode.MISSING_VALUE,
    IssueCode.UNKNOWN_INDICATOR,
    IssueCode.UNMAPPED_CODE,
    IssueCode.DUPLICATE_ROW,
    IssueCode.BAD_BOUNDARY_FILE,
    IssueCode.MALFORMED_METADATA,
}

SEVERITY: dict[IssueCode, Severity] = {
    code: (Severity.WARNING if code in _WARNINGS else Severity.ERROR) for code in IssueCode
}

ISSUE_FIELDS = ("file", "row", "column", "code", "severity", "value", "message", "hint")


@dataclass(frozen=True)
class Issue:
    """One problem in one place. ``row`` is the 1-based line of a CSV (the header is line 1),
    the sheet row of a workbook, or None when the problem concerns the whole file."""

    file: str
    row: int | None
    column: str | None
    code: IssueCode
    value: str | None
    message: str
    hint: str

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.code]

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["code"] = self.code.value
        d["severity"] = self.severity.value
        return {k: d[k] for k in ISSUE_FIELDS}

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message} {self.hint}".strip()


class DataError(SdgtrackError):
    """The data cannot be loaded; ``issues`` holds every problem found."""

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []


class UnknownFormatError(DataError):
    """No reader handles the file."""
