"""Routes for submitting data (pages under ``/submit``, API under ``/api/v1/submissions``)
and stakeholder evidence (``/submit/evidence``, ``/api/v1/evidence``). Thin: check who is
asking, call ``sdgtrack.submission``, answer with a page, JSON, or the one error shape.

Upload flow: the file is streamed to disk (at most the upload limit is read: see
``guard.BodyLimit``) and validated; the report lists every problem by row; its owner
confirms it and it is loaded atomically. Nothing is loaded before the confirmation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sdgtrack.auth import Role
from sdgtrack.errors import Forbidden, Unprocessable, UsageError
from sdgtrack.submission import evidence, uploads
from sdgtrack.submission.uploads import DATASET, Submission
from sdgtrack.web import scorecards
from sdgtrack.web.guard import Gate, Principal, bearer, check_csrf, upload_limit
from sdgtrack.web.views import page, words

Id = Annotated[int, Path(ge=1, le=2**53)]
Text = Annotated[str, Form(max_length=4000)]
CODE = r"^[0-9]{1,2}(\.[0-9a-z]{1,2}(\.[0-9]{1,2})?)?$"
AREA = r"^[A-Za-z0-9_.\-]{1,30}$"
#: Text without control characters (the rule of ``submission.evidence``, in the schema, so
#: that the API documents it): one line, or lines (tabs and line breaks allowed).
ONE_LINE = r"^[^\x00-\x08\x0a-\x1f\x7f]*$"
LINES = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
UPLOAD_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "additionalProperties": False, "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "The data file: UN SDG CSV, SDMX-CSV, SDMX-ML or the "
                                    "Excel template."},
            "dataset": {"type": "string", "pattern": DATASET.pattern, "maxLength": 80,
                        "description": "Dataset name (default: from the file name)."}}}}}}}
WRITERS = (Role.ADMIN, Role.PROVIDER)
CONTRIBUTORS = (Role.ADMIN, Role.CONTRIBUTOR)


class EvidenceIn(BaseModel):
    """A stakeholder's contribution (shown as non-official, after moderation)."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=CODE, description="Goal, target or indicator: 3, 3.2, 3.2.1")
    ref_area: str = Field(pattern=AREA, description="M49 or ISO3 code, or a sub-national code")
    title: str = Field(min_length=1, max_length=200, pattern=ONE_LINE)
    summary: str = Field("", max_length=4000, pattern=LINES)
    value: str | None = Field(None, max_length=200, pattern=ONE_LINE)
    time_period: int | None = Field(None, ge=1900, le=2100)
    source_url: str | None = Field(None, max_length=500, pattern=ONE_LINE)


def upload_status(sub: Submission) -> int:
    if sub.ok:
        return 200
    return 403 if "area_outside_scope" in sub.counts else 422


async def _receive(gate: Gate, request: Request, principal: Principal) -> Submission:
    """Parse the multipart body (the file goes to a temporary file on disk), then keep and
    validate it in a worker thread on a connection of its own, then record it."""
    async with request.form(max_files=1, max_fields=8, max_part_size=64 * 1024) as form:
        file, dataset = form.get("file"), form.get("dataset")
        check_csrf(request, principal, str(form.get("csrf") or ""))
        if not isinstance(file, UploadFile):
            raise UsageError("Attach the data file as the form field 'file'.")
        if dataset is not None and not isinstance(dataset, str):
            raise UsageError("'dataset' is a name, not a file.")

        def work() -> Submission:
            with gate.cursor() as store:
                checked = uploads.check(store, principal.user, file.file, file.filename or "",
                                        dataset or None, upload_limit())
            with gate.writer() as store:
                return uploads.record(store, principal.user, checked)

        return await run_in_threadpool(work)


def _confirm(gate: Gate, principal: Principal, submission_id: int) -> Submission:
    with gate.writer() as store:
        sub = uploads.confirm(store, principal.user, submission_id)
    gate.on_change()
    return sub


def register(app: FastAPI, gate: Gate) -> None:
    _pages(app, gate)
    _api(app, gate)
    scorecards.register(app, gate)  # before /api/v1/evidence/{id}, whose address would match
    _evidence_api(app, gate)


def _home(gate: Gate, request: Request) -> Response:
    principal = gate.signed_in(request)
    user = principal.user
    with gate.reader() as store:
        mine = [s.as_dict() for s in uploads.list_submissions(store, user)]
        contributed = evidence.visible(store, user) if user.role in CONTRIBUTORS else []
    return page(request, "submit_index.html", {
        "title": words(request)("Submit data"), "account": user.public(), "submissions": mine,
        "evidence": contributed, "limit": upload_limit(), "can_upload": user.role in WRITERS,
        "can_contribute": user.role in CONTRIBUTORS}, principal)


def _pages(app: FastAPI, gate: Gate) -> None:
    @app.get("/submit", include_in_schema=False)
    @app.get("/submit.json", include_in_schema=False)
    def submit_home(request: Request) -> Response:
        return _home(gate, request)

    @app.post("/submit/upload", include_in_schema=False)
    async def submit_upload(request: Request) -> Response:
        principal = await run_in_threadpool(gate.signed_in, request, *WRITERS)
        gate.writable()
        sub = await _receive(gate, request, principal)
        return page(request, "submit_report.html", _report(request, sub), principal,
                    upload_status(sub), here=f"/submit/{sub.submission_id}")

    # the decorator nearest the function registers first: the .json route must come first,
    # or /submit/{submission_id} takes "5.json" as an id (a 400 for everyone)
    @app.get("/submit/{submission_id}", include_in_schema=False)
    @app.get("/submit/{submission_id}.json", include_in_schema=False)
    def submit_report(request: Request, submission_id: Id) -> Response:
        principal = gate.signed_in(request)
        with gate.reader() as store:
            sub = uploads.get_submission(store, principal.user, submission_id)
        return page(request, "submit_report.html", _report(request, sub), principal)

    @app.post("/submit/{submission_id}/confirm", include_in_schema=False)
    def submit_confirm(request: Request, submission_id: Id, csrf: Text = "") -> Response:
        principal = gate.writer_for(request, *WRITERS, csrf=csrf)
        _confirm(gate, principal, submission_id)
        return RedirectResponse(f"/submit/{submission_id}", status_code=303)

    @app.post("/submit/evidence", include_in_schema=False)
    def submit_evidence(request: Request, code: Text = "", ref_area: Text = "",
                        title: Text = "", summary: Text = "", value: Text = "",
                        time_period: Text = "", source_url: Text = "",
                        csrf: Text = "") -> Response:
        principal = gate.writer_for(request, *CONTRIBUTORS, csrf=csrf)
        year = time_period.strip()
        if year and not (year.isascii() and year.isdigit() and len(year) == 4):
            raise UsageError("time_period: a year, e.g. 2023.")
        item = evidence.Contribution(code.strip(), ref_area.strip(), title, summary,
                                     value or None, int(year) if year else None,
                                     source_url.strip() or None)
        with gate.writer() as store:
            evidence.submit(store, principal.user, item)
        return RedirectResponse("/submit", status_code=303)


def _report(request: Request, sub: Submission) -> dict[str, Any]:
    title = words(request)("Submission %(id)s: %(file)s", id=sub.submission_id,
                           file=sub.file_name)
    return {"title": title, "submission": sub.as_dict()}


def _api(app: FastAPI, gate: Gate) -> None:
    auth = [Depends(bearer)]

    @app.post("/api/v1/submissions", tags=["submissions"], status_code=201, dependencies=auth,
              openapi_extra=UPLOAD_BODY,
              description="Upload a data file (provider or administrator). It is validated "
                          "and kept, not loaded: 201 with the report when it may be loaded, "
                          "403 listing the rows outside the account's areas, 422 listing "
                          "every other problem by row. Load it with .../confirm.")
    async def create_submission(request: Request) -> dict[str, Any]:
        principal = await run_in_threadpool(gate.signed_in, request, *WRITERS)
        gate.writable()
        sub = await _receive(gate, request, principal)
        status = upload_status(sub)
        if status == 403:
            raise Forbidden(f"Submission {sub.submission_id}: the file has rows for areas "
                            "outside this account; nothing was loaded.",
                            [i for i in sub.issues if i["code"] == "area_outside_scope"])
        if status == 422:
            raise Unprocessable(f"Submission {sub.submission_id}: the file has errors; "
                                "nothing was loaded. Fix them and upload it again.",
                                sub.issues)
        return sub.as_dict()

    @app.get("/api/v1/submissions", tags=["submissions"], dependencies=auth)
    def submissions(request: Request) -> list[dict[str, Any]]:
        principal = gate.signed_in(request)
        with gate.reader() as store:
            return [s.as_dict() for s in uploads.list_submissions(store, principal.user)]

    @app.get("/api/v1/submissions/{submission_id}", tags=["submissions"], dependencies=auth)
    def submission(request: Request, submission_id: Id) -> dict[str, Any]:
        principal = gate.signed_in(request)
        with gate.reader() as store:
            return uploads.get_submission(store, principal.user, submission_id).as_dict()

    @app.post("/api/v1/submissions/{submission_id}/confirm", tags=["submissions"],
              dependencies=auth, description="Load a validated submission, atomically.")
    def confirm(request: Request, submission_id: Id) -> dict[str, Any]:
        principal = gate.writer_for(request, *WRITERS)
        return _confirm(gate, principal, submission_id).as_dict()

    @app.get("/api/v1/me", tags=["submissions"], dependencies=auth)
    def me(request: Request) -> dict[str, Any]:
        return gate.signed_in(request).user.public()


Status = Annotated[str | None, Query(pattern=r"^(pending|approved|rejected)$")]


def _evidence_api(app: FastAPI, gate: Gate) -> None:
    @app.get("/api/v1/evidence", tags=["evidence"], dependencies=[Depends(bearer)],
             description="Stakeholder evidence, marked non-official. The public sees approved "
                         "contributions; a contributor also its own; an administrator all.")
    def evidence_list(request: Request, code: Annotated[str | None, Query(pattern=CODE)] = None,
                      area: Annotated[str | None, Query(pattern=AREA)] = None,
                      status: Status = None) -> list[dict[str, Any]]:
        principal = gate.principal(request)
        with gate.reader() as store:
            return evidence.visible(store, principal.user if principal else None, code, area,
                                    status)

    @app.get("/api/v1/evidence/{evidence_id}", tags=["evidence"],
             dependencies=[Depends(bearer)])
    def evidence_one(request: Request, evidence_id: Id) -> dict[str, Any]:
        principal = gate.principal(request)
        with gate.reader() as store:
            return evidence.get(store, principal.user if principal else None, evidence_id)

    @app.post("/api/v1/evidence", tags=["evidence"], status_code=201,
              dependencies=[Depends(bearer)],
              description="Submit evidence (contributor or administrator); public once an "
                          "administrator approves it.")
    def evidence_create(request: Request, item: EvidenceIn) -> dict[str, Any]:
        principal = gate.writer_for(request, *CONTRIBUTORS)
        with gate.writer() as store:
            return evidence.submit(store, principal.user, evidence.Contribution(
                **item.model_dump()))
