"""Validating a big delimited upload a part at a time, so that the server's memory does not
grow with the file (issue 20). The file on disk is cut at line breaks into parts of about
``PART_BYTES``, each with the header; each part goes through the same reader and checks as a
whole file, its row numbers shifted back to the file's. The checks across rows (repeated and
conflicting keys, units) run once, in DuckDB, over the parts' key columns written to Parquet.
Issues are counted by code in full; the first ``KEEP`` by row are kept for the report.

Only UN SDG CSV and SDMX-CSV files in a byte encoding are cut (UTF-16 is not: its line
breaks are two bytes); a workbook or SDMX-ML is read whole, under the expansion limits."""

from __future__ import annotations

import heapq
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import count
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sdgtrack import ingest, pipeline
from sdgtrack.auth import User
from sdgtrack.errors import DataError, Issue, IssueCode, Severity
from sdgtrack.ingest import ReadOptions, in_file_terms
from sdgtrack.ingest.text import head_bytes, utf16
from sdgtrack.store import Store
from sdgtrack.submission.scope import areas_in, declared_parents, outside_scope, parents
from sdgtrack.validate.checks import CROSS_ROW_COLUMNS, duplicates, unit_conflicts

PART_BYTES = 2 * 1024 * 1024
#: A record (a line, or lines inside quotes) longer than this stops the cutting: it is a
#: quote left open or a file without line breaks, and the file is refused.
RECORD_MAX = 4 * PART_BYTES
SPLIT_READERS = ("un-sdg-csv", "sdmx-csv")
SUFFIXES = (".csv", ".txt")
#: Checked once over the whole file, not per part.
ACROSS = {IssueCode.DUPLICATE_KEY, IssueCode.DUPLICATE_ROW, IssueCode.UNIT_CONFLICT,
          IssueCode.MIXED_VINTAGES}
#: DuckDB's memory for the checks across rows; beyond it, it spills to the upload's folder.
DUCKDB_MEMORY = "64MiB"


@dataclass
class Tally:
    """Every issue counted by code; the first ``keep`` in the order of the file's rows
    kept (a file of errors on every row would otherwise hold a million in memory)."""

    keep: int
    counts: Counter[str] = field(default_factory=Counter)
    errors: bool = False
    _heap: list[tuple[tuple[bool, int], int, Issue]] = field(default_factory=list)
    _order: Iterator[int] = field(default_factory=count)
    _seen: set[tuple[object, ...]] = field(default_factory=set)

    def add(self, issue: Issue) -> None:
        if issue.row is None or issue.row <= 1:  # about the file: each part says it again
            said = (issue.code, issue.column, issue.value, issue.message)
            if said in self._seen:
                return
            self._seen.add(said)
        self.counts[issue.code.value] += 1
        self.errors = self.errors or issue.severity is Severity.ERROR
        # a max-heap of the kept issues' places (negated), so the latest one is dropped
        place = (issue.row is not None, issue.row or 0)
        item = ((not place[0], -place[1]), -next(self._order), issue)
        if len(self._heap) < self.keep:
            heapq.heappush(self._heap, item)
        else:
            heapq.heappushpop(self._heap, item)

    def kept(self) -> list[Issue]:
        return [i for _, _, i in sorted(self._heap, reverse=True)]


@dataclass
class Found:
    """What validating an upload found (``uploads.check`` keeps it)."""

    issues: list[Issue]
    counts: dict[str, int]
    errors: bool
    areas: list[str]
    declared: dict[str, str | None]


def splittable(path: Path) -> bool:
    """A delimited file, in a byte encoding, bigger than a part, that a line reader reads."""
    if not path.name.lower().endswith(SUFFIXES) or path.stat().st_size <= PART_BYTES:
        return False
    head = head_bytes(path, 4096)
    if utf16(head) is not None or b"\n" not in head:
        return False
    try:
        return ingest.find_reader(path).name in SPLIT_READERS
    except DataError:
        return False  # the whole-file path says why


def _parts(path: Path, folder: Path, tally: Tally) -> Iterator[tuple[Path, int]]:
    """Each part in turn (written to ``folder``, named as the file), with the file's line
    number of its first data line. A part ends at a line break outside quotes (an even
    count of ``"`` so far: a doubled quote inside a quoted cell counts two)."""
    with path.open("rb") as f:
        header = f.readline()
        line = 2
        while True:
            part, first, size, odd, done = folder / path.name, line, 0, False, True
            with part.open("wb") as out:
                out.write(header)
                while piece := f.readline(PART_BYTES):
                    out.write(piece)
                    size += len(piece)
                    odd ^= piece.count(b'"') % 2 == 1
                    if size > RECORD_MAX:
                        tally.add(_record_too_long(path.name, first))
                        return
                    if not piece.endswith(b"\n"):
                        continue  # a line longer than PART_BYTES, read on
                    line += 1
                    if size >= PART_BYTES and not odd:
                        done = False
                        break
            if size:
                yield part, first
            if done:
                return


def _record_too_long(name: str, line: int) -> Issue:
    return Issue(name, line, None, IssueCode.MALFORMED_ROW, None,
                 f"From line {line:,}, more than {RECORD_MAX:,} bytes pass without a line "
                 "break outside quotes: a quote is left open, or the lines do not end.",
                 "Close the quote (a quote inside a cell is written twice: \"\"), or "
                 "export the data again as CSV.")


def _shift(issue: Issue, part: Path, name: str, first: int) -> Issue:
    row = issue.row
    if row is not None and row >= 2:  # line 1 is the header in the part and the file
        row = first + row - 2
    return replace(issue, file=name, row=row,
                   message=issue.message.replace(str(part), name))


def _typed_rows(typed: pa.Table, name: str, first: int) -> pa.Table:
    """The part's rows with the file's name and row numbers."""
    rows = pc.add(typed["source_row"], pa.scalar(first - 2, pa.int64()))
    typed = typed.set_column(typed.schema.get_field_index("source_row"), "source_row", rows)
    return typed.set_column(typed.schema.get_field_index("source_file"), "source_file",
                            pa.repeat(pa.scalar(name, pa.string()), typed.num_rows))


def check(store: Store, user: User, path: Path, name: str, options: ReadOptions,
          keep: int) -> Found:
    """Validate ``path`` (the upload, named ``name`` by its owner) a part at a time."""
    tally, areas = Tally(keep), set()
    declared: dict[str, str | None] = {}
    headers = ingest.find_reader(path).headers  # the file's names of the columns
    work = path.parent / "parts"
    work.mkdir()
    try:
        for k, (part, first) in enumerate(_parts(path, work, tally)):
            result, typed, issues = pipeline.check_path(part, options, store)
            for issue in issues:
                if issue.code not in ACROSS:
                    tally.add(_shift(issue, part, name, first))
            if result is not None:
                declared.update(declared_parents(result.areas))
            if typed is None:
                continue
            typed = _typed_rows(typed, name, first)
            for issue in outside_scope(user, typed, parents(store, declared), name):
                tally.add(issue)
            areas |= set(areas_in(typed))
            pq.write_table(typed.select(list(CROSS_ROW_COLUMNS)), work / f"{k:05}.parquet")
        _across(work, tally, headers)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Found(tally.kept(), dict(sorted(tally.counts.items())), tally.errors,
                 sorted(areas), declared)


def _across(work: Path, tally: Tally, headers: dict[str, str]) -> None:
    """The checks across rows, over every part's rows on disk."""
    if not any(work.glob("*.parquet")):
        return
    con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY,
                                 "temp_directory": str(work / "spill")})
    try:
        con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{work}/*.parquet')")
        for found in (duplicates(con), unit_conflicts(con)):
            for issue in found:
                tally.add(in_file_terms([issue], headers)[0])
    finally:
        con.close()
