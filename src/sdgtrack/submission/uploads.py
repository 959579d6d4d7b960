"""A submission: a file uploaded by an account, validated (every problem as a row, plus the
rows outside the account's areas), kept until its owner confirms it, then loaded atomically
through the same pipeline as ``sdgtrack ingest``, recording who loaded which file.

Receiving is two steps, so that the slow one holds no write lock: ``check`` streams the file
to ``<upload folder>/<random folder>/<clean name>`` in chunks and validates it (reads only; a
big delimited file a part at a time, ``parts``, so memory does not grow with its size);
``record`` writes the submission row. A rejected file is deleted (its report says why); an
accepted one is kept, and stays as the file of its load once confirmed."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sdgtrack import pipeline, settings, validate
from sdgtrack.auth import Role, User
from sdgtrack.auth.accounts import user_by_id
from sdgtrack.errors import (
    Conflict,
    DataError,
    Forbidden,
    Issue,
    IssueCode,
    NoSuchRecord,
    TooLarge,
    UsageError,
)
from sdgtrack.ingest import ReadOptions
from sdgtrack.store import Store
from sdgtrack.store.audit import record_event
from sdgtrack.submission import parts
from sdgtrack.submission.parts import Found
from sdgtrack.submission.scope import areas_in, declared_parents, outside_scope, parents

READY, REJECTED, LOADED, UNCHANGED = "ready", "rejected", "loaded", "unchanged"
EXPIRED = "expired"
DATASET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
MAX_NAME = 120
#: Issues kept with a submission (the counts by code are always complete).
MAX_REPORT = 5000
CHUNK = 1024 * 1024


@dataclass
class Submission:
    submission_id: int
    username: str
    dataset: str
    file_name: str
    checksum: str
    size_bytes: int
    status: str
    areas: list[str]
    issues: list[dict[str, Any]]
    counts: dict[str, int]
    created_at: datetime
    load_id: int | None = None
    result: dict[str, Any] = field(default_factory=dict)  # the load's summary, once confirmed

    @property
    def ok(self) -> bool:
        return self.status != REJECTED

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


@dataclass(frozen=True)
class Checked:
    """An uploaded file, kept and validated, not yet recorded."""

    dataset: str
    file_name: str
    path: Path
    checksum: str
    size_bytes: int
    found: Found  # the issues (the first MAX_REPORT), counted by code, and the areas

    @property
    def rejected(self) -> bool:
        return self.found.errors


def safe_file_name(name: str) -> str:
    """The last part of an uploaded file's name, reduced to letters, digits, ``._-`` (so a
    name cannot climb out of its folder, hide, or carry control characters), at most
    ``MAX_NAME`` characters with its extension kept.

    >>> safe_file_name("../../etc/passwd"), safe_file_name("C:\\\\data\\\\kz 2024.csv")
    ('passwd', 'kz_2024.csv')
    >>> safe_file_name("..\\x00.csv"), safe_file_name("")
    ('upload.csv', 'upload')
    """
    leaf = re.split(r"[\\/]", unicodedata.normalize("NFKC", name))[-1]
    stem, dot, ext = leaf.rpartition(".")
    if not dot:
        stem, ext = leaf, ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[: MAX_NAME - 11] or "upload"
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext)[:10]
    return f"{stem}.{ext}" if ext else stem


def upload_root(store: Store) -> Path:
    value = settings.get("upload_dir")
    if value:
        return Path(str(value)).expanduser()
    return store.path.with_name(store.path.name + ".uploads")


def dataset_for(user: User, requested: str | None, file_name: str) -> str:
    """``<user>/<name>``: an account's datasets can never replace another account's."""
    if requested:
        if not DATASET.fullmatch(requested):
            raise UsageError(f"{requested[:60]!r} cannot be a dataset name: use up to 80 "
                             "letters, digits, '.', '_' or '-', starting with a letter or "
                             "digit.")
        return f"{user.username}/{requested}"
    return f"{user.username}/{pipeline.dataset_name(Path(file_name))}"


def options_for(user: User) -> ReadOptions:
    # a provider's figures are national data, whatever the layout of the file says
    return ReadOptions(reporting_type="N" if user.role is Role.PROVIDER else None)


def _copy(source: BinaryIO, target: Path, limit: int) -> tuple[str, int]:
    """Copy in chunks (never the whole file in memory): (SHA-256, size)."""
    h, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise TooLarge(f"The file is larger than the limit of {limit:,} bytes; split "
                               "it (by goal or by year) and submit the parts.")
            h.update(chunk)
            out.write(chunk)
    return h.hexdigest(), size


def _report(path: Path, name: str, issues: list[Issue]) -> list[dict[str, Any]]:
    """Issues as dicts naming the file as its owner named it, not the server's copy, in
    the order of the file's rows. A submitted dataset is always its owner's, so the warning
    that a load replaces a dataset from another path says nothing here."""
    shown = [i for i in issues if i.code is not IssueCode.DATASET_REPLACED]
    shown.sort(key=lambda i: (i.row is not None, i.row or 0))
    out = []
    for issue in shown[:MAX_REPORT]:
        d = issue.as_dict()
        d["file"] = name
        d["message"] = str(d["message"]).replace(str(path), name)
        out.append(d)
    return out


def _validate(store: Store, user: User, path: Path, name: str) -> Found:
    """A big delimited file a part at a time (``parts``: memory does not grow with its
    size), any other file whole."""
    if parts.splittable(path):
        return parts.check(store, user, path, name, options_for(user), MAX_REPORT)
    try:
        result, typed, issues = pipeline.check_path(path, options_for(user), store)
    except DataError as exc:  # a reader that gives up on the whole file
        issues = exc.issues or [Issue(name, None, None, IssueCode.NOT_TABULAR, None, str(exc),
                                      "Submit a file in one of the supported layouts.")]
        return Found(issues, validate.counts_by_code(issues), validate.has_errors(issues),
                     [], {})
    declared = declared_parents(result.areas) if result is not None else {}
    if typed is not None:
        issues = issues + outside_scope(user, typed, parents(store, declared), name)
    return Found(issues, validate.counts_by_code(issues), validate.has_errors(issues),
                 areas_in(typed), declared)


def check(store: Store, user: User, source: BinaryIO, file_name: str,
          dataset: str | None = None, limit: int | None = None) -> Checked:
    """Keep an uploaded file and validate it (reads the store, writes nothing to it)."""
    if user.role is Role.CONTRIBUTOR:
        raise Forbidden("Contributor accounts submit evidence, not official data.")
    name = safe_file_name(file_name)
    ds = dataset_for(user, dataset, name)
    folder = upload_root(store) / secrets.token_hex(8)
    folder.mkdir(parents=True)
    path = folder / name
    try:
        digest, size = _copy(source, path, limit or settings.get_int("upload_max_bytes"))
        found = _validate(store, user, path, name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    checked = Checked(ds, name, path, digest, size, found)
    if checked.rejected:
        shutil.rmtree(folder, ignore_errors=True)  # the report says why; the file is not kept
    return checked


def expire(store: Store, *, now: datetime | None = None) -> list[int]:
    """Uploads never confirmed within ``SDGTRACK_UPLOAD_EXPIRE_DAYS``: each is marked
    ``expired`` (its row and report stay, for the record), its file and folder are removed
    once that is committed, and an audit line says so. Returns their ids. Run at each upload
    and when the server starts."""
    days = settings.get_int("upload_expire_days")
    cutoff = (now or datetime.now(UTC).replace(tzinfo=None)) - timedelta(days=days)
    due = ("SELECT submission_id, stored_path, file_name FROM submissions "
           "WHERE status = ? AND created_at < ? ORDER BY submission_id")
    if not store.con.execute(due, [READY, cutoff]).fetchall():
        return []  # nothing due: no write, so no wait for the store's writer
    with store.transaction():
        rows = store.con.execute(due, [READY, cutoff]).fetchall()
        for submission_id, _, name in rows:
            store.con.execute("UPDATE submissions SET status = ?, stored_path = NULL "
                              "WHERE submission_id = ?", [EXPIRED, submission_id])
            record_event(store.con, None, "submission_expired", f"submission:{submission_id}",
                         {"file": name, "unconfirmed_days": days})
    root = upload_root(store).resolve()
    for _, stored, _ in rows:  # after the commit: a file goes once its row says so
        folder = Path(stored).parent.resolve() if stored else None
        if folder is not None and folder.parent == root:  # only a folder of ours
            shutil.rmtree(folder, ignore_errors=True)
    return [r[0] for r in rows]


def record(store: Store, user: User, checked: Checked) -> Submission:
    """The submission row of a checked file (``ready`` to be confirmed, or ``rejected``);
    uploads left unconfirmed too long are expired first (``expire``)."""
    expire(store)
    status = REJECTED if checked.rejected else READY
    found = checked.found
    report = {"issues": _report(checked.path, checked.file_name, found.issues),
              "counts": found.counts, "declared": found.declared}
    with store.transaction():
        submission_id = store.next_id("submission_ids")
        store.con.execute(
            "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            [submission_id, user.user_id, checked.dataset, checked.file_name,
             str(checked.path) if status == READY else None, checked.checksum,
             checked.size_bytes, status, json.dumps(found.areas),
             json.dumps(report, default=str), datetime.now(UTC).replace(tzinfo=None)])
        record_event(store.con, user.username, "submission_upload",
                     f"submission:{submission_id}",
                     {"file": checked.file_name, "size_bytes": checked.size_bytes,
                      "checksum": checked.checksum, "status": status})
    return get_submission(store, user, submission_id)


def receive(store: Store, user: User, source: BinaryIO, file_name: str,
            dataset: str | None = None, limit: int | None = None) -> Submission:
    """``check`` then ``record``, on one connection."""
    return record(store, user, check(store, user, source, file_name, dataset, limit))


_SELECT = """SELECT s.submission_id, u.username, s.dataset, s.file_name, s.checksum,
    s.size_bytes, s.status, s.areas, s.report, s.created_at, s.load_id, s.stored_path,
    s.user_id FROM submissions s JOIN users u USING (user_id)"""


@dataclass(frozen=True)
class _Row:
    submission: Submission
    stored_path: str | None
    owner: int
    declared: dict[str, str | None]


def _row(row: tuple[Any, ...]) -> _Row:
    report = json.loads(row[8] or "{}")
    sub = Submission(int(row[0]), row[1], row[2], row[3], row[4] or "", int(row[5] or 0),
                     row[6], json.loads(row[7] or "[]"), report.get("issues", []),
                     report.get("counts", {}), row[9], row[10], report.get("result", {}))
    return _Row(sub, row[11], int(row[12]), report.get("declared", {}))


def _owned(store: Store, user: User, submission_id: int) -> _Row:
    rows = store.con.execute(_SELECT + " WHERE s.submission_id = ?",
                             [submission_id]).fetchall()
    if not rows:
        raise NoSuchRecord(f"There is no submission {submission_id}; /submit lists yours.")
    found = _row(rows[0])
    if found.owner != user.user_id and user.role is not Role.ADMIN:
        raise Forbidden(f"Submission {submission_id} belongs to another account.")
    return found


def get_submission(store: Store, user: User, submission_id: int) -> Submission:
    return _owned(store, user, submission_id).submission


def list_submissions(store: Store, user: User, limit: int = 100) -> list[Submission]:
    """The account's submissions, newest first (every account's, for an administrator)."""
    where, params = ("", []) if user.role is Role.ADMIN else (" WHERE s.user_id = ?",
                                                               [user.user_id])
    rows = store.con.execute(_SELECT + where + " ORDER BY s.submission_id DESC LIMIT ?",
                             [*params, limit]).fetchall()
    return [_row(r).submission for r in rows]


def _check_scope(store: Store, user: User, found: _Row) -> None:
    """The account must still cover every area of the file, and of the dataset's current
    rows (an administrator may have narrowed its areas since the upload)."""
    known = parents(store, found.declared)
    current = store.current_load(found.submission.dataset)
    held = [] if current is None else [r[0] for r in store.con.execute(
        "SELECT DISTINCT ref_area FROM observations WHERE load_id = ?",
        [current["load_id"]]).fetchall()]
    outside = sorted({a for a in [*found.submission.areas, *held]
                      if not user.covers(a, known)})
    if outside:
        raise Forbidden(f"Areas {', '.join(outside[:10])} are outside account "
                        f"{user.username!r} now; ask an administrator to widen its areas.")


def confirm(store: Store, user: User, submission_id: int) -> Submission:
    """Load a ``ready`` submission as one atomic load of its dataset."""
    found = _owned(store, user, submission_id)
    sub = found.submission
    if sub.status != READY or found.stored_path is None:
        raise Conflict(f"Submission {submission_id} is {sub.status}; only a submission that "
                       "passed validation and is not loaded yet can be confirmed.")
    # the file is read as its owner's, even when an administrator confirms it for them
    owner = user if found.owner == user.user_id else user_by_id(store, found.owner)
    if owner is None or owner.disabled:
        raise Conflict(f"Submission {submission_id} belongs to a disabled account; it cannot "
                       "be loaded.")
    _check_scope(store, owner, found)
    path = Path(found.stored_path)
    with store.provenance(user.username, sub.file_name, submission_id):
        result = pipeline.ingest_path(path, store, options_for(owner), dataset=sub.dataset)
    return _finish(store, owner, user, sub, path, result)


def _finish(store: Store, owner: User, user: User, sub: Submission, path: Path,
            result: pipeline.DatasetResult) -> Submission:
    status = {"loaded": LOADED, "unchanged": UNCHANGED}.get(result.status, REJECTED)
    summary = pipeline.IngestSummary([result]).as_dict()
    summary["series"] = sorted(result.series)
    summary["areas"] = sorted(result.areas)
    summary["reporting_type"] = options_for(owner).reporting_type  # for links to the pages
    summary.update(load_id=result.load_id, rows_added=result.rows_added,
                   rows_changed=result.rows_changed, rows_removed=result.rows_removed)
    summary.pop("datasets")
    report = {"issues": _report(path, sub.file_name, result.issues),
              "counts": validate.counts_by_code(result.issues), "result": summary}
    with store.transaction():
        store.con.execute("UPDATE submissions SET status = ?, load_id = ?, report = ? "
                          "WHERE submission_id = ?",
                          [status, result.load_id, json.dumps(report, default=str),
                           sub.submission_id])
        record_event(store.con, user.username, "submission_confirm",
                     f"submission:{sub.submission_id}",
                     {"status": status, "load_id": result.load_id, "dataset": sub.dataset})
    return get_submission(store, user, sub.submission_id)
