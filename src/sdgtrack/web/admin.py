"""The administrator's screens (``/admin``): accounts and their API tokens, the loads with a
rollback button, the audit history of a series and area with the values each load replaced,
stakeholder evidence to moderate, and the audit trail. Each page has its JSON twin; each form
posts to a route that checks the role and the CSRF token, then redirects back (API clients
with a bearer token send no CSRF token). Rollback and moderation are also in the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from sdgtrack import auth
from sdgtrack.auth import Role
from sdgtrack.auth.accounts import USERNAME
from sdgtrack.errors import UsageError
from sdgtrack.store import audit
from sdgtrack.store import evidence as evidence_table
from sdgtrack.submission import evidence
from sdgtrack.web.guard import Gate, Principal, bearer
from sdgtrack.web.submit import AREA, LINES, Id, Status
from sdgtrack.web.views import page, words

Text = Annotated[str, Form(max_length=1024)]
Name = Annotated[str, Path(pattern=USERNAME.pattern)]
Decision = Annotated[str, Form(pattern=r"^(approved|rejected|pending)$")]
SERIES = r"^[A-Za-z0-9_~.\-]{1,200}$"


class ModerationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: str = Field(pattern=r"^(approved|rejected|pending)$")
    note: str = Field("", max_length=1000, pattern=LINES)


def _back(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


def register(app: FastAPI, gate: Gate) -> None:
    _overview(app, gate)
    _accounts(app, gate)
    _loads(app, gate)
    _evidence(app, gate)


def _admin(gate: Gate, request: Request, csrf: str | None = None,
           write: bool = False) -> Principal:
    if write:
        return gate.writer_for(request, Role.ADMIN, csrf=csrf)
    return gate.signed_in(request, Role.ADMIN)


def _overview(app: FastAPI, gate: Gate) -> None:
    @app.get("/admin", include_in_schema=False)
    @app.get("/admin.json", include_in_schema=False)
    def admin_home(request: Request) -> Response:
        principal = _admin(gate, request)
        with gate.reader() as store:
            events = audit.events(store, 100)
            pending = len(evidence_table.query(store, status=evidence_table.PENDING))
        return page(request, "admin_index.html", {
            "title": words(request)("Administration"), "events": events,
            "pending_evidence": pending}, principal)


def _accounts(app: FastAPI, gate: Gate) -> None:
    @app.get("/admin/users", include_in_schema=False)
    @app.get("/admin/users.json", include_in_schema=False)
    def users(request: Request) -> Response:
        principal = _admin(gate, request)
        with gate.reader() as store:
            listed = [{**u.public(), "tokens": auth.tokens_of(store, u)}
                      for u in auth.list_users(store)]
        return page(request, "admin_users.html", {
            "title": words(request)("Accounts"), "users": listed,
            "roles": [r.value for r in Role]}, principal)

    @app.post("/admin/users", include_in_schema=False)
    def add(request: Request, username: Text = "", role: Text = "", areas: Text = "",
            organisation: Text = "", password: Text = "", csrf: Text = "") -> Response:
        principal = _admin(gate, request, csrf, write=True)
        if role not in {r.value for r in Role}:
            raise UsageError("role: admin, provider or contributor.")
        codes = [a for a in areas.replace(",", " ").split() if a]
        with gate.writer() as store:
            auth.add_user(store, username.strip(), Role(role), password, codes,
                          organisation.strip(), actor=principal.user.username)
        return _back("/admin/users")

    # before the next route, whose path would match too
    @app.post("/admin/users/{username}/tokens", include_in_schema=False)
    def new_token(request: Request, username: Name, label: Text = "", csrf: Text = ""
                  ) -> Response:
        principal = _admin(gate, request, csrf, write=True)
        with gate.writer() as store:
            user = auth.require_user(store, username)
            token_id, secret = auth.issue_token(store, user, label.strip(),
                                                actor=principal.user.username)
        return page(request, "admin_token.html", {
            "title": words(request)("API token %(id)s for %(user)s", id=token_id,
                                    user=username), "token_id": token_id,
            "username": username, "token": secret}, principal, 201, here="/admin/users")

    @app.post("/admin/users/{username}/{action}", include_in_schema=False)
    def change(request: Request, username: Name,
               action: Annotated[str, Path(pattern=r"^(disable|enable|areas|password)$")],
               areas: Text = "", password: Text = "", csrf: Text = "") -> Response:
        actor = _admin(gate, request, csrf, write=True).user.username
        with gate.writer() as store:
            if action in ("disable", "enable"):
                auth.set_disabled(store, username, action == "disable", actor=actor)
            elif action == "areas":
                auth.set_areas(store, username, areas.replace(",", " ").split(), actor=actor)
            else:
                auth.set_password(store, username, password, actor=actor)
        return _back("/admin/users")

    @app.post("/admin/tokens/{token_id}/revoke", include_in_schema=False)
    def revoke(request: Request, token_id: Id, csrf: Text = "") -> Response:
        principal = _admin(gate, request, csrf, write=True)
        with gate.writer() as store:
            auth.revoke_token(store, token_id, actor=principal.user.username)
        return _back("/admin/users")


def _rollback(gate: Gate, principal: Principal, load_id: int) -> dict[str, Any]:
    with gate.writer() as store:
        outcome = store.rollback(load_id, principal.user.username)
    gate.on_change()
    return {"ok": True, "dataset": outcome.dataset, "load_id": outcome.load_id,
            "restored_load_id": outcome.restored_load_id}


def _loads(app: FastAPI, gate: Gate) -> None:
    @app.get("/admin/loads", include_in_schema=False)
    @app.get("/admin/loads.json", include_in_schema=False)
    def loads(request: Request) -> Response:
        principal = _admin(gate, request)
        with gate.reader() as store:
            listed = [{k: v for k, v in ld.items() if k != "issues"} for ld in store.loads()]
        return page(request, "admin_loads.html", {"title": words(request)("Loads"),
                                                  "loads": listed[::-1]}, principal)

    @app.post("/admin/loads/{load_id}/rollback", include_in_schema=False)
    def rollback_form(request: Request, load_id: Id, csrf: Text = "") -> Response:
        _rollback(gate, _admin(gate, request, csrf, write=True), load_id)
        return _back("/admin/loads")

    @app.post("/api/v1/loads/{load_id}/rollback", tags=["administration"],
              dependencies=[Depends(bearer)],
              description="Roll a dataset's current load back (administrator): the load it "
                          "replaced becomes current again, with exactly its values.")
    def rollback_api(request: Request, load_id: Id) -> dict[str, Any]:
        return _rollback(gate, _admin(gate, request, write=True), load_id)

    @app.get("/admin/history", include_in_schema=False)
    @app.get("/admin/history.json", include_in_schema=False)
    def history(request: Request,
                series: Annotated[str | None, Query(pattern=SERIES)] = None,
                area: Annotated[str | None, Query(pattern=AREA)] = None) -> Response:
        principal = _admin(gate, request)
        found: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        if series or area:
            with gate.reader() as store:
                found = audit.history(store, series, area)
                changed = audit.changes(store, [h["load_id"] for h in found], series, area)
        return page(request, "admin_history.html", {
            "title": words(request)("History of a series and area"), "series": series,
            "area": area,
            "loads": found, "changes": changed}, principal)


def _moderate(gate: Gate, principal: Principal, evidence_id: int, decision: str,
              note: str) -> dict[str, Any]:
    with gate.writer() as store:
        done = evidence.moderate(store, principal.user, evidence_id, decision, note)
    gate.on_change()
    return done


def _evidence(app: FastAPI, gate: Gate) -> None:
    @app.get("/admin/evidence", include_in_schema=False)
    @app.get("/admin/evidence.json", include_in_schema=False)
    def queue(request: Request, status: Status = "pending") -> Response:
        principal = _admin(gate, request)
        with gate.reader() as store:
            items = evidence.visible(store, principal.user, status=status)
        return page(request, "admin_evidence.html", {
            "title": words(request)("Stakeholder evidence"), "status": status,
            "evidence": items}, principal)

    @app.post("/admin/evidence/{evidence_id}/moderate", include_in_schema=False)
    def moderate_form(request: Request, evidence_id: Id, decision: Decision,
                      note: Text = "", csrf: Text = "") -> Response:
        principal = _admin(gate, request, csrf, write=True)
        _moderate(gate, principal, evidence_id, decision, note)
        return _back("/admin/evidence")

    @app.post("/api/v1/evidence/{evidence_id}/moderation", tags=["evidence"],
              dependencies=[Depends(bearer)],
              description="Approve (public from now on) or reject a contribution "
                          "(administrator).")
    def moderate_api(request: Request, evidence_id: Id, body: ModerationIn) -> dict[str, Any]:
        principal = _admin(gate, request, write=True)
        return _moderate(gate, principal, evidence_id, body.decision, body.note)
