"""Injection and traversal attempts in every parameter of the write and account routes and in
the uploaded file's name (issue 8): SQL fragments, ``../``, 5,000-character strings and NUL
bytes are rejected (a 4xx in the one error shape, nothing stored) or neutralised (kept as
inert text; a file name that cannot leave the upload folder)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from sdgtrack.submission.uploads import safe_file_name

import accounts
from accounts import data_file, rows

fast_hashing, template, world = accounts.fast_hashing, accounts.template, accounts.world

PAYLOADS = {
    "sql": "1' OR '1'='1'; DROP TABLE observations; --",
    "traversal": "../../../../etc/passwd",
    "long": "A" * 5000,
    "nul": "kz\x00.csv",
}
#: What may change when an attempt is refused: nothing of the data, accounts or evidence.
DATA = ("observations", "loads", "load_changes", "evidence", "users", "api_tokens",
        "series_declared", "areas_declared")


def data(store):
    return {k: v for k, v in store.fingerprint().items() if k in DATA}


def _kz(w) -> bytes:
    return data_file(w.folder, "kz.csv", rows("398")).read_bytes()


# parameter -> (role, how to send the payload): each gives (method, path, request kwargs)
PARAMETERS = {
    "upload dataset (API)": ("kz-nso", lambda w, x: ("POST", "/api/v1/submissions", {
        "files": {"file": ("kz.csv", _kz(w))}, "data": {"dataset": x}})),
    "upload dataset (page)": ("kz-nso", lambda w, x: ("POST", "/submit/upload", {
        "files": {"file": ("kz.csv", _kz(w))}, "data": {"dataset": x}})),
    "submission id": ("kz-nso", lambda w, x: (
        "POST", f"/api/v1/submissions/{quote(x, safe='')}/confirm", {})),
    "submission page id": ("kz-nso", lambda w, x: (
        "GET", f"/submit/{quote(x, safe='')}.json", {})),
    "sign-in user name": (None, lambda w, x: ("POST", "/signin", {
        "data": {"username": x, "password": accounts.PASSWORD}})),
    "sign-in password": (None, lambda w, x: ("POST", "/signin", {
        "data": {"username": "kz-nso", "password": x}})),
    "sign-in next": (None, lambda w, x: ("POST", "/signin", {
        "data": {"username": "kz-nso", "password": "wrong password", "next": x}})),
    "evidence code": ("csos", lambda w, x: ("POST", "/api/v1/evidence", {
        "json": {"code": x, "ref_area": "NPL", "title": "t"}})),
    "evidence area": ("csos", lambda w, x: ("POST", "/api/v1/evidence", {
        "json": {"code": "3.2", "ref_area": x, "title": "t"}})),
    "evidence source": ("csos", lambda w, x: ("POST", "/api/v1/evidence", {
        "json": {"code": "3.2", "ref_area": "NPL", "title": "t", "source_url": x}})),
    "evidence year (page)": ("csos", lambda w, x: ("POST", "/submit/evidence", {
        "data": {"code": "3.2", "ref_area": "NPL", "title": "t", "time_period": x}})),
    "evidence code (page)": ("csos", lambda w, x: ("POST", "/submit/evidence", {
        "data": {"code": x, "ref_area": "NPL", "title": "t"}})),
    "evidence query": ("csos", lambda w, x: (
        "GET", f"/api/v1/evidence?code={quote(x)}&area={quote(x)}", {})),
    "evidence status": ("admin", lambda w, x: ("GET", f"/admin/evidence.json?status={quote(x)}",
                                               {})),
    "evidence id": ("admin", lambda w, x: (
        "POST", f"/api/v1/evidence/{quote(x, safe='')}/moderation",
        {"json": {"decision": "approved"}})),
    "moderation decision": ("admin", lambda w, x: (
        "POST", f"/api/v1/evidence/{w.ids['evidence']}/moderation",
        {"json": {"decision": x}})),
    "moderation decision (page)": ("admin", lambda w, x: (
        "POST", f"/admin/evidence/{w.ids['evidence']}/moderate", {"data": {"decision": x}})),
    "load id": ("admin", lambda w, x: ("POST", f"/api/v1/loads/{quote(x, safe='')}/rollback",
                                       {})),
    "history series": ("admin", lambda w, x: ("GET", f"/admin/history.json?series={quote(x)}",
                                              {})),
    "history area": ("admin", lambda w, x: ("GET", f"/admin/history.json?area={quote(x)}",
                                            {})),
    "new user name": ("admin", lambda w, x: ("POST", "/admin/users", {"data": {
        "username": x, "role": "provider", "areas": "KAZ", "password": "long enough!"}})),
    "new user role": ("admin", lambda w, x: ("POST", "/admin/users", {"data": {
        "username": "kz-moh", "role": x, "areas": "KAZ", "password": "long enough!"}})),
    "new user areas": ("admin", lambda w, x: ("POST", "/admin/users", {"data": {
        "username": "kz-moh", "role": "provider", "areas": x, "password": "long enough!"}})),
    "user in path": ("admin", lambda w, x: (
        "POST", f"/admin/users/{quote(x, safe='')}/disable", {"data": {}})),
    "user areas": ("admin", lambda w, x: ("POST", "/admin/users/np-cbs/areas", {
        "data": {"areas": x}})),
    "token label": ("admin", lambda w, x: ("POST", "/admin/users/kz-nso/tokens", {
        "data": {"label": x}})),
    "token id": ("admin", lambda w, x: ("POST", f"/admin/tokens/{quote(x, safe='')}/revoke", {
        "data": {}})),
}
#: Free text (titles, notes, an organisation's name): SQL fragments and ``../`` are kept as
#: inert text, exactly as given; 5,000 characters and NUL bytes are refused.
FREE_TEXT = {
    "evidence title": ("csos", lambda w, x: ("POST", "/api/v1/evidence", {
        "json": {"code": "3.2", "ref_area": "NPL", "title": x}}),
        lambda w, r: r.json()["title"]),
    "evidence summary": ("csos", lambda w, x: ("POST", "/api/v1/evidence", {
        "json": {"code": "3.2", "ref_area": "NPL", "title": "t", "summary": x}}),
        lambda w, r: r.json()["summary"]),
    "moderation note": ("admin", lambda w, x: (
        "POST", f"/admin/evidence/{w.ids['evidence']}/moderate",
        {"data": {"decision": "rejected", "note": x}}),
        lambda w, r: w.store.con.execute("SELECT note FROM evidence").fetchall()[0][0]),
    "new user organisation": ("admin", lambda w, x: ("POST", "/admin/users", {"data": {
        "username": "kz-moh", "role": "provider", "areas": "KAZ", "organisation": x,
        "password": "long enough!"}}),
        lambda w, r: w.store.con.execute("SELECT organisation FROM users WHERE "
                                         "username = 'kz-moh'").fetchall()[0][0]),
}


def _send(w, role, build, payload):
    method, path, kwargs = build(w, payload)
    client = w.client(role or "anonymous")
    if role is None:  # the sign-in form's own token
        kwargs["data"]["csrf"] = client.get("/signin.json").json()["csrf"]
    elif "data" in kwargs:
        kwargs["data"]["csrf"] = w.csrf(role)
    else:
        kwargs.setdefault("headers", {})["X-CSRF-Token"] = w.csrf(role)
    return path, client.request(method, path, **kwargs)


CASES = [(p, k) for p in PARAMETERS for k in PAYLOADS]


@pytest.mark.parametrize("parameter, payload", CASES, ids=[f"{p}-{k}" for p, k in CASES])
def test_hostile_parameters_are_rejected(world, parameter, payload):
    role, build = PARAMETERS[parameter]
    before = data(world.store)
    path, r = _send(world, role, build, PAYLOADS[payload])
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    if r.status_code == 405:  # only a '/' in a path parameter leaves every route behind
        assert "/" in PAYLOADS[payload]
    assert before == data(world.store)
    if path.startswith("/api/") or ".json" in path:
        body = r.json()
        assert {"ok", "status", "error", "errors"} == set(body) and body["ok"] is False


TEXT_CASES = [(p, k) for p in FREE_TEXT for k in PAYLOADS]


@pytest.mark.parametrize("parameter, payload", TEXT_CASES,
                         ids=[f"{p}-{k}" for p, k in TEXT_CASES])
def test_hostile_free_text_is_kept_inert_or_refused(world, parameter, payload):
    role, build, stored = FREE_TEXT[parameter]
    before = world.store.fingerprint()
    text = PAYLOADS[payload]
    path, r = _send(world, role, build, text)
    if payload in ("long", "nul"):
        assert 400 == r.status_code, r.text[:300]
        if path.startswith("/api/"):
            assert {"ok", "status", "error", "errors"} == set(r.json())
        else:  # a form: the error page
            assert "<h1>Error (400)</h1>" in r.text
        assert before == world.store.fingerprint()
    else:
        assert r.status_code in (201, 303), r.text[:300]
        assert text == stored(world, r)
        after = world.store.fingerprint()
        assert before["observations"] == after["observations"]  # the data is untouched


@pytest.mark.parametrize("payload", ["sql", "traversal"])
def test_hostile_text_in_evidence_is_kept_as_text_and_shown_escaped(world, payload):
    text = PAYLOADS[payload] + " <script>alert(1)</script>"
    client = world.client("anonymous")
    r = client.post("/api/v1/evidence", headers=world.bearer("csos"),
                    json={"code": "3.2.1", "ref_area": "NPL", "title": text[:200],
                          "summary": text})
    assert 201 == r.status_code
    assert (text[:200], text) == (r.json()["title"], r.json()["summary"])  # verbatim
    html = world.client("admin").get("/admin/evidence").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 30 == world.store.con.execute("SELECT count(*) FROM observations").fetchall()[0][0]


@pytest.mark.parametrize("payload", list(PAYLOADS) + ["windows", "dots"])
def test_hostile_file_names_stay_in_the_upload_folder(world, payload):
    name = {"windows": "..\\..\\Windows\\win.ini", "dots": "...."}.get(payload,
                                                                      PAYLOADS.get(payload))
    before = data(world.store)
    r = world.client("anonymous").post("/api/v1/submissions", headers=world.bearer("kz-nso"),
                                       files={"file": (name, _kz(world), "text/csv")})
    root = Path(world.folder / "uploads").resolve()
    kept = [p.resolve() for p in root.rglob("*") if p.is_file()]
    if r.status_code == 201:
        stored = r.json()["file_name"]
        if payload != "nul":  # the client sends a NUL in a file name as %00
            assert safe_file_name(name) == stored
        assert "/" not in stored and "\\" not in stored and "\0" not in stored
        assert not stored.startswith(".") and len(stored) <= 120
        assert [stored] == [p.name for p in kept]
    else:  # a name no reader knows (no extension left), or one too long to parse
        assert 400 <= r.status_code < 500 and [] == kept
        assert {"ok", "status", "error", "errors"} == set(r.json())
    assert all(root in p.parents for p in kept)
    assert before == data(world.store)
    assert not (world.folder / "etc").exists()
