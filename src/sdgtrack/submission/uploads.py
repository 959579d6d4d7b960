"""A submission: a file uploaded by an account, validated (every problem as a row, plus the
rows outside the account's areas), kept until its owner confirms it, then loaded atomically
through the same pipeline as ``sdgtrack ingest``, recording who loaded which file.

Files live under the upload folder: ``pending/<submission id>/<name>`` until confirmed,
then ``datasets/<user>/<dataset>/<name>`` (the current file of each submitted dataset)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sdgtrack import pipeline, settings, validate
from sdgtrack.auth import Role, User
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
from sdgtrack.submission.scope import areas_in, outside_scope, parents

READY, REJECTED, LOADED, UNCHANGED = "ready", "rejected", "loaded", "unchanged"
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
        if not DATASET.match(requested):
            raise UsageError(f"{requested[:60]!r} cannot be a dataset name: use up to 80 "
                             "letters, digits, '.', '_' or '-'.")
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
    """Issues as dicts naming the file as its owner named it, not the server's copy."""
    out = []
    for issue in issues[:MAX_REPORT]:
        d = issue.as_dict()
        d["file"] = name
        d["message"] = str(d["message"]).replace(str(path), name)
        out.append(d)
    return out


def _check(store: Store, user: User, path: Path, name: str
           ) -> tuple[list[Issue], list[str]]:
    try:
        result, typed, issues = pipeline.check_path(path, options_for(user), store)
    except DataError as exc:  # a reader that gives up on the whole file
        return exc.issues or [Issue(name, None, None, IssueCode.NOT_TABULAR, None, str(exc),
                                    "Submit a file in one of the supported layouts.")], []
    if typed is not None and result is not None:
        issues = issues + outside_scope(user, typed, parents(store, result.areas), name)
    return issues, areas_in(typed)


def receive(store: Store, user: User, source: BinaryIO, file_name: str,
            dataset: str | None = None, limit: int | None = None) -> Submission:
    """Keep an uploaded file, validate it and record the submission (``ready`` to be
    confirmed, or ``rejected`` with the reasons)."""
    if user.role is Role.CONTRIBUTOR:
        raise Forbidden("Contributor accounts submit evidence, not official data.")
    name = safe_file_name(file_name)
    ds = dataset_for(user, dataset, name)
    submission_id = int(store.con.execute("SELECT nextval('submission_ids')").fetchall()[0][0])
    folder = upload_root(store) / "pending" / str(submission_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    try:
        digest, size = _copy(source, path, limit or int(str(settings.get("upload_max_bytes"))))
        issues, areas = _check(store, user, path, name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    status = REJECTED if validate.has_errors(issues) else READY
    if status == REJECTED:
        shutil.rmtree(folder, ignore_errors=True)  # the report says why; the file is not kept
    store.con.execute(
        "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [submission_id, user.user_id, ds, name, str(path) if status == READY else None,
         digest, size, status, json.dumps(areas),
         json.dumps({"issues": _report(path, name, issues),
                     "counts": validate.counts_by_code(issues)}, default=str),
         datetime.now(UTC).replace(tzinfo=None)])
    return get_submission(store, user, submission_id)


_SELECT = """SELECT s.submission_id, u.username, s.dataset, s.file_name, s.checksum,
    s.size_bytes, s.status, s.areas, s.report, s.created_at, s.load_id, s.stored_path,
    s.user_id FROM submissions s JOIN users u USING (user_id)"""


def _submission(row: tuple[Any, ...]) -> tuple[Submission, str | None, int]:
    report = json.loads(row[8] or "{}")
    sub = Submission(int(row[0]), row[1], row[2], row[3], row[4] or "", int(row[5] or 0),
                     row[6], json.loads(row[7] or "[]"), report.get("issues", []),
                     report.get("counts", {}), row[9], row[10], report.get("result", {}))
    return sub, row[11], int(row[12])


def _owned(store: Store, user: User, submission_id: int
           ) -> tuple[Submission, str | None]:
    rows = store.con.execute(_SELECT + " WHERE s.submission_id = ?",
                             [submission_id]).fetchall()
    if not rows:
        raise NoSuchRecord(f"There is no submission {submission_id}.")
    sub, path, owner = _submission(rows[0])
    if owner != user.user_id and user.role is not Role.ADMIN:
        raise Forbidden(f"Submission {submission_id} belongs to another account.")
    return sub, path


def get_submission(store: Store, user: User, submission_id: int) -> Submission:
    return _owned(store, user, submission_id)[0]


def list_submissions(store: Store, user: User, limit: int = 100) -> list[Submission]:
    """The account's submissions, newest first (every account's, for an administrator)."""
    where, params = ("", []) if user.role is Role.ADMIN else (" WHERE s.user_id = ?",
                                                               [user.user_id])
    rows = store.con.execute(_SELECT + where + " ORDER BY s.submission_id DESC LIMIT ?",
                             [*params, limit]).fetchall()
    return [_submission(r)[0] for r in rows]


def _check_previous(store: Store, user: User, dataset: str) -> None:
    """A load replaces the dataset's current rows: those must be the account's too (its
    areas may have been narrowed since)."""
    current = store.current_load(dataset)
    if current is None:
        return
    areas = [r[0] for r in store.con.execute(
        "SELECT DISTINCT ref_area FROM observations WHERE load_id = ?",
        [current["load_id"]]).fetchall()]
    known = parents(store)
    outside = [a for a in areas if not user.covers(a, known)]
    if outside:
        raise Forbidden(f"Dataset {dataset!r} holds rows for areas outside this account "
                        f"({', '.join(outside[:10])}); an administrator must replace it.")


def confirm(store: Store, user: User, submission_id: int) -> Submission:
    """Load a ``ready`` submission as one atomic load of its dataset."""
    sub, stored = _owned(store, user, submission_id)
    if sub.status != READY or stored is None:
        raise Conflict(f"Submission {submission_id} is {sub.status}; only a submission that "
                       "passed validation and is not loaded yet can be confirmed.")
    known = parents(store)
    outside = [a for a in sub.areas if not user.covers(a, known)]
    if outside:  # the account's areas changed since the upload
        raise Forbidden(f"Areas {', '.join(outside[:10])} are outside this account now.")
    _check_previous(store, user, sub.dataset)
    target = upload_root(store) / "datasets" / sub.dataset / sub.file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(stored, target)
    shutil.rmtree(Path(stored).parent, ignore_errors=True)
    with store.provenance(user.username, sub.file_name, submission_id):
        result = pipeline.ingest_path(target, store, options_for(user), dataset=sub.dataset)
    return _finish(store, user, sub, result)


def _finish(store: Store, user: User, sub: Submission,
            result: pipeline.DatasetResult) -> Submission:
    status = {"loaded": LOADED, "unchanged": UNCHANGED}.get(result.status, REJECTED)
    summary = pipeline.IngestSummary([result]).as_dict()
    summary["series"] = sorted(result.series)
    summary["areas"] = sorted(result.areas)
    report = {"issues": _report(Path(result.path), sub.file_name, result.issues),
              "counts": validate.counts_by_code(result.issues), "result": summary}
    store.con.execute("UPDATE submissions SET status = ?, load_id = ?, report = ?, "
                      "stored_path = NULL WHERE submission_id = ?",
                      [status, result.load_id, json.dumps(report, default=str),
                       sub.submission_id])
    return get_submission(store, user, sub.submission_id)
