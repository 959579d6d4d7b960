"""Read -> normalise -> validate -> store: the one path every file takes into the store.

Each PATH given to ``ingest`` is one dataset (a file, or a folder read as a whole) and one
atomic load: a dataset with errors is not stored at all, unless the caller asks to skip
invalid rows, in which case the valid rows are stored and the rejected ones reported.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from sdgtrack import ingest, validate
from sdgtrack.errors import DataError, Issue, IssueCode, Severity
from sdgtrack.ingest import ReadOptions
from sdgtrack.store import LoadInfo, Store
from sdgtrack.store.current import diff_summary


@dataclass
class DatasetResult:
    dataset: str
    path: str
    reader: str | None
    status: str  # loaded | unchanged | rejected
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0  # repeated copies of a row, stored once
    issues: list[Issue] = field(default_factory=list)
    load_id: int | None = None
    rows_added: int = 0
    rows_changed: int = 0
    rows_removed: int = 0
    series: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    years: tuple[int, int] | None = None
    rows_current: int = 0  # rows of the dataset's current load, when the input was unchanged
    vintage_of: str | None = None  # the dataset this load was recognised as a vintage of
    diff: dict[str, Any] | None = None  # what this vintage changed (store/current.py)
    next_steps: list[str] = field(default_factory=list)  # for a refused load: what to try


@dataclass
class IngestSummary:
    datasets: list[DatasetResult]

    @property
    def issues(self) -> list[Issue]:
        return [i for d in self.datasets for i in d.issues]

    @property
    def ok(self) -> bool:
        return all(d.status != "rejected" for d in self.datasets)

    def as_dict(self) -> dict[str, Any]:
        series = set().union(*(d.series for d in self.datasets)) if self.datasets else set()
        areas = set().union(*(d.areas for d in self.datasets)) if self.datasets else set()
        years = [y for d in self.datasets if d.years for y in d.years]
        rejected = Counter(i.code.value for i in self.issues
                           if i.severity is Severity.ERROR and i.row is not None)
        return {
            "ok": self.ok,
            "rows_read": sum(d.rows_read for d in self.datasets),
            "rows_loaded": sum(d.rows_loaded for d in self.datasets),
            "rows_rejected": sum(d.rows_rejected for d in self.datasets),
            "rows_duplicate": sum(d.rows_duplicate for d in self.datasets),
            "rejected_by_reason": dict(sorted(rejected.items())),
            "series": len(series),
            "areas": len(areas),
            "years": [min(years), max(years)] if years else None,
            "issues": validate.counts_by_code(self.issues),
            "datasets": [
                {"dataset": d.dataset, "path": d.path, "reader": d.reader, "status": d.status,
                 "load_id": d.load_id, "rows_read": d.rows_read, "rows_loaded": d.rows_loaded,
                 "rows_rejected": d.rows_rejected, "rows_duplicate": d.rows_duplicate,
                 "rows_added": d.rows_added,
                 "rows_changed": d.rows_changed, "rows_removed": d.rows_removed,
                 "rows_current": d.rows_current or d.rows_loaded,
                 "vintage_of": d.vintage_of, "diff": d.diff, "next_steps": d.next_steps,
                 "changes": diff_summary(d.diff) if d.diff else None}
                for d in self.datasets
            ],
        }


def checksum(files: list[Path], base: Path, extra: bytes = b"") -> tuple[str, int]:
    """A digest of the files' names (relative to ``base``) and bytes (and ``extra``), and
    their total size."""
    h = hashlib.sha256(extra)
    size = 0
    for f in sorted(files):
        data = f.read_bytes()
        size += len(data)
        h.update(str(f.relative_to(base) if f != base else f.name).encode() + b"\0")
        h.update(data)
    return h.hexdigest(), size


def input_checksum(path: Path, options: ReadOptions | None = None,
                   skip_invalid: bool = False) -> str:
    """The digest a load of ``path`` records: equal digests mean the load is unchanged."""
    reader = ingest.find_reader(path)
    return checksum(reader.files(path) + _metadata_files(reader, path),
                    path if path.is_dir() else path.parent,
                    _options_key(options or ReadOptions(), skip_invalid))[0]


def _metadata_files(reader: ingest.Reader, path: Path) -> list[Path]:
    """The national metadata a reader reads beside the data (Open SDG's ``meta/``): a
    change to them alone is a new load."""
    found = getattr(reader, "metadata_files", None)
    return list(found(path)) if found is not None else []


def dataset_name(path: Path) -> str:
    name = path.resolve().name
    for suffix in (".gz", ".csv", ".xml", ".xlsx", ".txt"):
        name = name.removesuffix(suffix)
    return name


def _known(store: Store | None, result: ingest.ReadResult) -> validate.Known:
    from sdgtrack import framework

    series = store.known_series() if store else framework.known_series()
    areas = store.known_areas() if store else set(framework.area_names())
    indicators = store.known_indicators() if store else framework.known_indicators()
    series |= set(result.series["series_code"].to_pylist())
    areas |= set(result.areas["ref_area"].to_pylist())
    return validate.Known.from_settings(series, areas, indicators)


def check_path(path: Path, options: ReadOptions, store: Store | None = None
               ) -> tuple[ingest.ReadResult | None, pa.Table | None, list[Issue]]:
    """Read and validate one path without storing it: (result, typed rows, issues)."""
    try:
        reader = ingest.find_reader(path)
    except DataError as exc:
        return None, None, exc.issues
    return _check(reader, path, options, store)


def _check(reader: ingest.Reader, path: Path, options: ReadOptions, store: Store | None
           ) -> tuple[ingest.ReadResult, pa.Table | None, list[Issue]]:
    result = reader.read(path, options)
    if options.areas is not None:
        result.areas = pa.concat_tables([result.areas, ingest.read_areas(options.areas)])
    if options.area is not None and result.observations.num_rows:
        result.areas = pa.concat_tables([result.areas, _areas_of(options.area, result)])
    if result.observations.num_rows == 0:
        return result, None, result.issues
    typed = ingest.normalise(result.observations)
    issues = result.issues + ingest.in_file_terms(
        validate.check(result.observations, typed, _known(store, result),
                       result.series_indicators), reader.headers)
    if any(i.code is IssueCode.DUPLICATE_KEY for i in issues):
        issues += _mixed_vintages(typed, str(path))
    issues += _old_codes(typed, str(path))
    return result, typed, issues


def _areas_of(area: str, result: ingest.ReadResult) -> pa.Table:
    """Codes of the data that begin with the ISO2 code of the country given with --area
    (``KG05`` for ``--area KGZ``): its sub-national areas, declared under their codes."""
    from sdgtrack import framework
    from sdgtrack.ingest.base import AREA_COLUMNS, strings

    country = framework.resolve_area(area)
    iso2 = framework.iso2_index().get(country)
    declared = set(result.areas["ref_area"].to_pylist())
    codes = sorted(c for c in pc.unique(result.observations["ref_area"]).to_pylist()
                   if iso2 and c and len(c) > 2 and c.upper().startswith(iso2)
                   and c not in declared)
    return strings([(c, c, country) for c in codes], AREA_COLUMNS)


def _old_codes(typed: pa.Table, path: str) -> list[Issue]:
    """One warning per series code that a newer edition of the SDG code lists replaced:
    the rows are stored under the code as published, and the assessment follows it."""
    from sdgtrack.framework.successors import successors

    out = []
    for code in sorted(pc.unique(typed["series_code"]).to_pylist()):
        later = [s for s in successors(code) if s.new_code]
        if later:
            names = ", ".join(f"{s.new_code} ({s.relation}, {s.since})" for s in later)
            out.append(Issue(
                path, None, "series_code", IssueCode.RENAMED_SERIES, code,
                f"{code} is an older series code: its successor is {names}. The rows are "
                "stored under the code as published; the assessment reads them for the "
                "same indicator when the data have no newer code.",
                f"Nothing to do; a newer file would use {later[0].new_code}."))
    return out


#: Files of one load that give other values for at least this many of the same observations
#: are taken to be two vintages of one dataset, not a few contradictory rows.
MIXED_VINTAGE_KEYS = 100


def _mixed_vintages(typed: pa.Table, path: str) -> list[Issue]:
    """One issue for a load whose files are two vintages of one dataset: the same
    observations with other values, file against file (``duplicate_key`` still lists the
    rows)."""
    import duckdb

    from sdgtrack import settings
    from sdgtrack.model import KEY_NAMES

    keys = ", ".join(KEY_NAMES)
    con = duckdb.connect(config={"memory_limit": settings.memory_limit()})
    con.register("t", typed.select([*KEY_NAMES, "value_raw", "source_file"]))
    rows = con.execute(f"""
        WITH k AS (SELECT {keys} FROM t GROUP BY ALL
                   HAVING count(DISTINCT value_raw) > 1 AND count(DISTINCT source_file) > 1),
             f AS (SELECT DISTINCT {keys}, source_file FROM t SEMI JOIN k USING ({keys}))
        SELECT a.source_file, b.source_file, count(*) FROM f a JOIN f b USING ({keys})
        WHERE a.source_file < b.source_file GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1""").fetchall()
    con.close()
    if not rows or rows[0][2] < MIXED_VINTAGE_KEYS:
        return []
    first, second, n = rows[0]
    return [Issue(
        path, None, None, IssueCode.MIXED_VINTAGES, f"{first}; {second}",
        f"{first} and {second} give other values for the same {n:,} observations: they look "
        "like two vintages (editions) of one dataset, read as one load.",
        "Load the vintages one at a time, the older first (sdgtrack ingest OLD, then "
        "sdgtrack ingest NEW, which is recognised as its new vintage), or move one file "
        "out of the folder.")]


def ingest_path(path: Path, store: Store, options: ReadOptions | None = None, *,
                dataset: str | None = None, skip_invalid: bool = False,
                vintage: str | None = None) -> DatasetResult:
    """Load one file or folder as one dataset, atomically. Without ``dataset``, a load that
    is plainly a new vintage of a stored dataset (same reader and source, most of its
    observations) supersedes it; one that overlaps another dataset at the same precedence
    rank is refused (store/current.py)."""
    options = options or ReadOptions()
    name = dataset or dataset_name(path)
    try:
        reader = ingest.find_reader(path)
    except DataError as exc:
        return DatasetResult(name, str(path), None, "rejected", issues=exc.issues)
    files = reader.files(path)
    digest, size = checksum(files + _metadata_files(reader, path),
                            path if path.is_dir() else path.parent,
                            _options_key(options, skip_invalid))
    current = store.unchanged(name, digest)
    if current is None and dataset is None:
        current = store.current_with_checksum(digest)  # e.g. a recognised vintage, again
    if current is not None:
        return DatasetResult(current["dataset"], str(path), reader.name, "unchanged",
                             load_id=current["load_id"], rows_current=current["rows_loaded"])
    result, typed, issues = _check(reader, path, options, store)
    # rows too malformed to parse were read, and are rejected, all the same
    malformed = sum(1 for i in issues if i.code is IssueCode.MALFORMED_ROW)
    read = result.observations.num_rows + malformed
    out = DatasetResult(name, str(path), reader.name, "rejected", issues=issues,
                        rows_read=read, rows_rejected=read)
    if typed is None or (validate.has_errors(issues) and not skip_invalid):
        out.next_steps = next_steps(issues, typed, options, skip_invalid)
        return out
    unique = validate.rows_to_store(typed, issues, skip_invalid=False)
    keep = validate.rows_to_store(typed, issues, skip_invalid=True)
    out.rows_duplicate = typed.num_rows - unique.num_rows
    out.rows_rejected = unique.num_rows - keep.num_rows + malformed
    if keep.num_rows == 0:
        out.rows_rejected = out.rows_read
        return out
    previous = store.current_load(name)
    if dataset is None and previous is not None and previous["path"] != str(path):
        # two different files can share a name (indicator_3-2-1.csv of two countries)
        issues.append(Issue(
            str(path), None, None, IssueCode.DATASET_REPLACED, name,
            f"This load replaces dataset {name!r}, loaded before from {previous['path']} "
            f"(load {previous['load_id']}, kept as history).",
            "If both should stay current, load this one with --dataset and another name."))
    info = LoadInfo(name, str(path), reader.name, digest, size, len(files),
                    out.rows_read, out.rows_rejected, validate.counts_by_code(issues),
                    source=reader.name, vintage=vintage)
    try:
        loaded = store.write_load(info, keep, result.series, result.series_indicators,
                                  result.areas, recognise=dataset is None,
                                  metadata=result.metadata, labels=result.labels)
    except DataError as exc:
        issues += exc.issues
        return out
    _vintage_notes(path, loaded, store, issues)
    _boundaries(path, store, loaded.load_id, result.areas, issues)
    out.dataset, out.vintage_of, out.diff = loaded.dataset, loaded.recognised_as_vintage_of, \
        loaded.diff
    out.status = "loaded"
    out.load_id = loaded.load_id
    out.rows_loaded = loaded.rows_loaded
    out.rows_added, out.rows_changed, out.rows_removed = (
        loaded.rows_added, loaded.rows_changed, loaded.rows_removed)
    out.series = set(pc.unique(keep["series_code"]).to_pylist())
    out.areas = set(pc.unique(keep["ref_area"]).to_pylist())
    mm = pc.min_max(keep["time_period"]).as_py()
    out.years = (mm["min"], mm["max"])
    return out


def _boundaries(path: Path, store: Store, load_id: int, areas: pa.Table,
                issues: list[Issue]) -> None:
    """A repository's GeoJSON boundary files, matched to its sub-national areas and kept
    with the load for the maps (``ingest.boundaries``); a bad file is a warning."""
    from sdgtrack.ingest.boundaries import boundary_files, read_boundaries, repository_names
    from sdgtrack.store import boundaries

    declared = {r["ref_area"]: r["name"] for r in areas.to_pylist() if r.get("parent")}
    if not declared or not (found := boundary_files(path)):
        return
    country = Counter(r["parent"] for r in areas.to_pylist() if r.get("parent")).most_common(1)
    names = repository_names(path, declared)
    for f in found:
        rows, problems = read_boundaries(f, names, country[0][0])
        issues += problems
        if rows:
            with store.transaction():
                boundaries.save(store.con, load_id, rows)


def next_steps(issues: list[Issue], typed: pa.Table | None, options: ReadOptions,
               skip_invalid: bool) -> list[str]:
    """What a user can do about a refused load, in the words of the command's options."""
    steps = []
    errors = [i for i in issues if i.severity is Severity.ERROR]
    bad_rows = {(i.file, i.row) for i in errors if i.row is not None}
    if typed is not None and bad_rows and not skip_invalid:
        good = validate.rows_to_store(typed, issues, skip_invalid=True).num_rows
        steps.append(f"Nothing was stored. To store the {good:,} rows without errors "
                     f"and leave out the {len(bad_rows):,} with one, run again with "
                     "--skip-invalid (add --report FILE to list every row left out).")
    areas = sorted({i.value for i in errors if i.code is IssueCode.UNKNOWN_AREA and i.value})
    if options.area is None and (areas or any(
            i.code is IssueCode.UNKNOWN_AREA and i.value is None for i in errors)):
        shown = ", ".join(areas[:5]) + (f" and {len(areas) - 5:,} more" if len(areas) > 5
                                        else "")
        steps.append((f"Areas {shown} are not UN M49 codes. " if areas else "")
                     + "If the data are one country's national data, give the country with "
                     "--area (M49 or ISO3, e.g. --area KGZ): its sub-national codes (KG05) "
                     "are then read as its areas.")
    return steps


def _vintage_notes(path: Path, loaded: Any, store: Store, issues: list[Issue]) -> None:
    """Warnings that say what the load is: a recognised vintage, another source."""
    if loaded.recognised_as_vintage_of:
        issues.append(Issue(
            str(path), None, None, IssueCode.NEW_VINTAGE, loaded.dataset,
            f"Recognised as a new vintage of dataset {loaded.dataset!r} (same reader and "
            f"source, most of its observations), which it supersedes: "
            f"{diff_summary(loaded.diff)}.",
            "To keep both as separate datasets, load it with --dataset NAME and "
            "--reporting-type; `sdgtrack rollback` undoes this load."))
    for other in loaded.overlaps:
        issues.append(Issue(
            str(path), None, None, IssueCode.OTHER_SOURCE, other.dataset,
            f"{other.keys:,} observations are also in dataset {other.dataset!r} from another "
            f"source; both are kept, and the precedence {','.join(store.precedence())} "
            "decides which value is in use.",
            "`sdgtrack conflicts` lists them with both values."))


def _options_key(options: ReadOptions, skip_invalid: bool) -> bytes:
    """What besides the files decides the stored rows: a change re-loads the dataset."""
    mapping = options.mapping.read_bytes() if options.mapping else b""
    areas = options.areas.read_bytes() if options.areas else b""
    return repr((options.area, options.reporting_type, skip_invalid)).encode() + mapping + areas


def ingest_paths(paths: list[Path], store: Store, options: ReadOptions | None = None, *,
                 dataset: str | None = None, skip_invalid: bool = False,
                 vintage: str | None = None) -> IngestSummary:
    """Load each path (a file or a folder) as one dataset, atomically each: read, validate,
    store. ``dataset`` names it (one path only); ``skip_invalid`` loads the valid rows of a
    file with errors; ``vintage`` labels the edition (``2023-12``)."""
    if dataset and len(paths) > 1:
        from sdgtrack.errors import UsageError

        raise UsageError("--dataset names one dataset: give one PATH with it.")
    return IngestSummary([ingest_path(p, store, options, dataset=dataset,
                                      skip_invalid=skip_invalid, vintage=vintage)
                          for p in paths])


def load_bundled(store: Store, on_load: Any = None) -> list[DatasetResult]:
    """Load the bundled vintages (``bundled.VINTAGES``) that the store lacks, oldest first,
    as the vintages of ``bundled.UNSD_DATASET``; a store whose dataset holds a vintage of the
    user's own (neither bundled one) is left as it is. ``on_load(folder, vintage)`` is
    called before each load. Returns the result of each load made."""
    from sdgtrack import bundled

    folders = [bundled.data_dir() / folder for folder, _ in bundled.VINTAGES]
    checksums = [input_checksum(f) for f in folders]
    current = store.current_load(bundled.UNSD_DATASET)
    if current is not None and current["checksum"] not in checksums:
        return []
    have = checksums.index(current["checksum"]) if current is not None else -1
    results = []
    for k, (folder, vintage) in enumerate(bundled.VINTAGES):
        if k > have:
            if on_load is not None:
                on_load(folder, vintage)
            results.append(ingest_path(folders[k], store, dataset=bundled.UNSD_DATASET,
                                       vintage=vintage))
    return results
