"""Issue 21, finding 8: the auth matrix. Every account route x anonymous (a valid body, an
empty one, an invalid one with a bad id and query, a bad token, a bad cookie) x a
contributor x a provider outside the record's scope x the administrator. Anonymous means 401
whatever the body: credentials are checked before parameters are validated or the body is
read (they were 400 "Invalid parameters" with the expected schema on 18 of 32 routes).

Each route runs in a fresh copy of the accounts world (``accounts.world``): kz-nso's
submission ready to confirm, csos's pending evidence, load 1 of the UN figures; on a DuckDB
file and on PostgreSQL (``both_backends``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from sdgtrack.web.guard import SESSION_COOKIE

import accounts
from accounts import data_file, rows

fast_hashing, template, world = accounts.fast_hashing, accounts.template, accounts.world
pg_template = accounts.pg_template
pytestmark = pytest.mark.both_backends  # each test on a DuckDB file and on PostgreSQL

DENIED = {403}
HIDDEN = {403, 404}  # another account's record: refused, or not shown to exist


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # {submission}, {load}, {evidence}, {token}: ids of the world
    body: str = "none"  # none | form | json | upload
    fields: dict[str, Any] = field(default_factory=dict)
    #: role -> statuses it may get (a role not named may get none of 401/403 nor a 5xx)
    expect: dict[str, set[int]] = field(default_factory=dict)

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")


def admin_only(**extra: set[int]) -> dict[str, set[int]]:
    return {"csos": DENIED, "np-cbs": DENIED, **extra}


#: A people's scorecard for Nepal (tests/test_scorecards.py follows one through).
SCORECARD = {"ref_area": "NPL", "period_start": 2016, "period_end": 2020,
             "coalition": "Nepal SDGs Forum", "constituencies": ["women", "youth"],
             "scores": [{"goal": 13, "score": 2, "rationale": "Adaptation plans unfunded.",
                         "links": ["https://example.org/np-13"]}]}

ROUTES = [
    Route("GET", "/submit", expect={"csos": {200}, "np-cbs": {200}, "admin": {200}}),
    Route("GET", "/submit.json", expect={"csos": {200}, "np-cbs": {200}, "admin": {200}}),
    Route("POST", "/submit/upload", "upload",
          expect={"csos": DENIED, "np-cbs": {403}, "admin": {200}}),
    Route("GET", "/submit/{submission}", expect={"csos": HIDDEN, "np-cbs": HIDDEN,
                                                 "admin": {200}}),
    Route("GET", "/submit/{submission}.json", expect={"csos": HIDDEN, "np-cbs": HIDDEN,
                                                      "admin": {200}}),
    Route("POST", "/submit/{submission}/confirm", "form",
          expect={"csos": DENIED, "np-cbs": HIDDEN, "admin": {303}}),
    Route("POST", "/submit/evidence", "form",
          {"code": "3.2.1", "ref_area": "NPL", "title": "Scorecard"},
          expect={"csos": {303}, "np-cbs": DENIED, "admin": {303}}),
    Route("POST", "/submit/scorecard", "form",
          {"ref_area": "NPL", "period_start": "2016", "period_end": "2020",
           "coalition": "Nepal SDGs Forum", "constituencies": "women, youth",
           "score_13": "2", "rationale_13": "Adaptation plans unfunded."},
          expect={"csos": {303}, "np-cbs": DENIED, "admin": {303}}),
    Route("POST", "/api/v1/submissions", "upload",
          expect={"csos": DENIED, "np-cbs": {403}, "admin": {201}}),
    Route("GET", "/api/v1/submissions", expect={"csos": {200}, "np-cbs": {200},
                                                "admin": {200}}),
    Route("GET", "/api/v1/submissions/{submission}",
          expect={"csos": HIDDEN, "np-cbs": HIDDEN, "admin": {200}}),
    Route("POST", "/api/v1/submissions/{submission}/confirm", "json",
          expect={"csos": DENIED, "np-cbs": HIDDEN, "admin": {200}}),
    Route("GET", "/api/v1/me", expect={"csos": {200}, "np-cbs": {200}, "admin": {200}}),
    Route("POST", "/api/v1/evidence", "json",
          {"code": "3.2.1", "ref_area": "NPL", "title": "Scorecard"},
          expect={"csos": {201}, "np-cbs": DENIED, "admin": {201}}),
    Route("POST", "/api/v1/evidence/scorecards", "json", SCORECARD,
          expect={"csos": {201}, "np-cbs": DENIED, "admin": {201}}),
    Route("POST", "/api/v1/evidence/{evidence}/moderation", "json",
          {"decision": "approved"}, expect=admin_only(admin={200})),
    *[Route("GET", f"/admin{page}{ext}", expect=admin_only(admin={200}))
      for page in ("", "/users", "/loads", "/history", "/evidence") for ext in ("", ".json")],
    Route("POST", "/admin/users", "form",
          {"username": "kz-moh", "role": "provider", "areas": "KAZ",
           "organisation": "Ministry of Health", "password": "a long enough passphrase"},
          expect=admin_only(admin={303})),
    Route("POST", "/admin/users/np-cbs/tokens", "form", {"label": "laptop"},
          expect=admin_only(admin={201})),
    Route("POST", "/admin/users/np-cbs/areas", "form", {"areas": "NPL"},
          expect=admin_only(admin={303})),
    Route("POST", "/admin/tokens/{token}/revoke", "form", expect=admin_only(admin={303})),
    Route("POST", "/admin/loads/{load}/rollback", "form", expect=admin_only(admin={303})),
    Route("POST", "/api/v1/loads/{load}/rollback", "json", expect=admin_only(admin={200})),
    Route("POST", "/admin/evidence/{evidence}/moderate", "form", {"decision": "approved"},
          expect=admin_only(admin={303})),
]


def _path(route: Route, ids: dict[str, int], bad: bool = False) -> str:
    path = route.path
    for name in ("submission", "load", "evidence", "token"):
        path = path.replace("{" + name + "}", "abc" if bad else str(ids[name]))
    return path + ("?page=-1&status=nonsense&series=%00" if bad else "")


def _body(route: Route, world, role: str | None, kind: str = "valid") -> dict[str, Any]:
    """Keyword arguments of the request: the route's body as valid, empty or invalid."""
    if kind == "empty" or route.body == "none":
        return {} if kind != "invalid" else {"content": b"\xff" * 1024,
                                             "headers": {"Content-Type": "application/json"}}
    if kind == "invalid":
        return {"content": b"{not json" + b"x" * 4096,
                "headers": {"Content-Type": "application/json"}}
    if route.body == "upload":
        path = data_file(world.folder, "kz.csv", rows("398"))
        extra = {} if route.api or role is None else {"csrf": world.csrf(role)}
        return {"files": {"file": ("kz.csv", path.read_bytes(), "text/csv")}, "data": extra}
    if route.body == "form":
        return {"data": {**route.fields, "csrf": world.csrf(role) if role else "x"}}
    return {"json": route.fields}


def _anonymous(route: Route, world) -> list[tuple[str, Any]]:
    """The anonymous requests of a route: (what, response)."""
    ids = world.ids
    out = []
    client = world.client("anonymous")
    for kind in ("valid", "empty", "invalid"):
        out.append((kind, client.request(route.method, _path(route, ids, kind == "invalid"),
                                         **_body(route, world, None, kind))))
    out.append(("bad token", client.request(
        route.method, _path(route, ids), headers={"Authorization": "Bearer sdgt_forged"})))
    cookie = world.client("anonymous")
    cookie.cookies.set(SESSION_COOKIE, "forged-session")
    out.append(("bad cookie", cookie.request(route.method, _path(route, ids),
                                             **_body(route, world, None, "invalid"))))
    return out


def _as(route: Route, world, role: str):
    client = world.client(role)
    kwargs = _body(route, world, role)
    if route.api:
        kwargs["headers"] = {**kwargs.get("headers", {}), **world.bearer(role)}
        client.cookies.clear()
    return client.request(route.method, _path(route, world.ids), **kwargs)


def test_every_account_route_is_in_the_matrix(world):
    from sdgtrack.web.signedin import needs_account

    served = {(m, r.path) for r in world.app.routes for m in getattr(r, "methods", ())
              if needs_account(m, r.path)}
    listed = {(r.method, r.path.replace("{submission}", "{submission_id}")
               .replace("{load}", "{load_id}").replace("{evidence}", "{evidence_id}")
               .replace("{token}", "{token_id}").replace("np-cbs/areas", "{username}/{action}")
               .replace("np-cbs/tokens", "{username}/tokens")) for r in ROUTES}
    assert served == listed
    assert 33 == len(ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_auth_matrix(world, route):
    check_route(world, route)


def check_route(world, route: Route) -> None:
    """Anonymous gets 401 whatever it sends; each role gets what the route allows it (the
    matrix on PostgreSQL, ``test_postgres.py``, calls this too)."""
    for what, response in _anonymous(route, world):
        assert 401 == response.status_code, (what, response.text[:300])
        if route.api or route.path.endswith(".json"):
            body = response.json()
            assert (False, 401) == (body["ok"], body["status"]), what
            assert "Invalid parameters" not in response.text  # no schema to anonymous
    for role in ("csos", "np-cbs", "admin"):  # the administrator last: it changes things
        response = _as(route, world, role)
        assert response.status_code in route.expect[role], (role, response.status_code,
                                                            response.text[:300])


def test_submission_report_json_is_served_not_shadowed(world):
    """GET /submit/{id}.json answered 400 to everyone: /submit/{id} took '5.json' as an id."""
    client = world.client("kz-nso")
    response = client.get(f"/submit/{world.ids['submission']}.json")
    assert 200 == response.status_code
    assert world.ids["submission"] == response.json()["submission"]["submission_id"]
