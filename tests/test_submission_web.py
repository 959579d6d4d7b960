"""Every write route against every role (issue 8): 401 without credentials, 403 outside the
role or the account's areas, success inside; CSRF; revoked tokens; who may read evidence."""

from __future__ import annotations

from typing import Any

import pytest

from sdgtrack.store import Store

import accounts
from accounts import World, data_file, rows

# shared fixtures
fast_hashing, template, world = accounts.fast_hashing, accounts.template, accounts.world
pg_template = accounts.pg_template
#: the tests that also run on PostgreSQL (the routes x roles are test_auth_matrix's, on both)
both = pytest.mark.both_backends

pytestmark = pytest.mark.usefixtures("fast_hashing")
ROLES = ["anonymous", "admin", "kz-nso", "np-cbs", "csos"]


def _kz(w: World) -> tuple[str, bytes, str]:
    return ("kz.csv", data_file(w.folder, "kz_upload.csv", rows("398")).read_bytes(),
            "text/csv")


# route -> (method, path, how: "form" (session cookie + CSRF field) or "api" (bearer),
#           body, expected status per role)
ROUTES: dict[str, tuple[str, str, str, Any, dict[str, int]]] = {
    "page upload": ("POST", "/submit/upload", "form", "file",
                    {"admin": 200, "kz-nso": 200, "np-cbs": 403, "csos": 403}),
    "api upload": ("POST", "/api/v1/submissions", "api", "file",
                   {"admin": 201, "kz-nso": 201, "np-cbs": 403, "csos": 403}),
    "page confirm": ("POST", "/submit/{submission}/confirm", "form", {},
                     {"admin": 303, "kz-nso": 303, "np-cbs": 403, "csos": 403}),
    "api confirm": ("POST", "/api/v1/submissions/{submission}/confirm", "api", None,
                    {"admin": 200, "kz-nso": 200, "np-cbs": 403, "csos": 403}),
    "page evidence": ("POST", "/submit/evidence", "form",
                      {"code": "3.2", "ref_area": "KAZ", "title": "Clinic survey"},
                      {"admin": 303, "kz-nso": 403, "np-cbs": 403, "csos": 303}),
    "api evidence": ("POST", "/api/v1/evidence", "api",
                     {"json": {"code": "3.2", "ref_area": "KAZ", "title": "Clinic survey"}},
                     {"admin": 201, "kz-nso": 403, "np-cbs": 403, "csos": 201}),
    "page moderate": ("POST", "/admin/evidence/{evidence}/moderate", "form",
                      {"decision": "approved"},
                      {"admin": 303, "kz-nso": 403, "np-cbs": 403, "csos": 403}),
    "api moderate": ("POST", "/api/v1/evidence/{evidence}/moderation", "api",
                     {"json": {"decision": "approved"}},
                     {"admin": 200, "kz-nso": 403, "np-cbs": 403, "csos": 403}),
    "page rollback": ("POST", "/admin/loads/{load}/rollback", "form", {},
                      {"admin": 303, "kz-nso": 403, "np-cbs": 403, "csos": 403}),
    "api rollback": ("POST", "/api/v1/loads/{load}/rollback", "api", None,
                     {"admin": 200, "kz-nso": 403, "np-cbs": 403, "csos": 403}),
    "add account": ("POST", "/admin/users", "form",
                    {"username": "uz-stat", "role": "provider", "areas": "UZB",
                     "password": "another long one"},
                    {"admin": 303, "kz-nso": 403, "np-cbs": 403, "csos": 403}),
    "disable account": ("POST", "/admin/users/csos2/disable", "form", {},
                        {"admin": 303, "kz-nso": 403, "np-cbs": 403, "csos": 403}),
    "set areas": ("POST", "/admin/users/np-cbs/areas", "form", {"areas": "NPL BTN"},
                  {"admin": 303, "kz-nso": 403, "np-cbs": 403, "csos": 403}),
    "set password": ("POST", "/admin/users/csos2/password", "form",
                     {"password": "a new long password"},
                     {"admin": 303, "kz-nso": 403, "np-cbs": 403, "csos": 403}),
    "issue token": ("POST", "/admin/users/kz-nso/tokens", "form", {"label": "nightly"},
                    {"admin": 201, "kz-nso": 403, "np-cbs": 403, "csos": 403}),
    "revoke token": ("POST", "/admin/tokens/{token}/revoke", "form", {},
                     {"admin": 303, "kz-nso": 403, "np-cbs": 403, "csos": 403}),
    "sign out": ("POST", "/signout", "form", {},
                 {"admin": 303, "kz-nso": 303, "np-cbs": 303, "csos": 303}),
}


def call(w: World, role: str, route: str, csrf: bool = True, https: bool = False):
    method, path, how, body, _ = ROUTES[route]
    client = w.client(role if how == "form" else "anonymous", https)
    headers = w.bearer(role) if how == "api" else {}
    kwargs: dict[str, Any] = {}
    if body == "file":
        kwargs["files"] = {"file": _kz(w)}
        kwargs["data"] = {"csrf": w.csrf(role)} if csrf and how == "form" else {}
    elif isinstance(body, dict) and "json" in body:
        kwargs["json"] = body["json"]
    elif isinstance(body, dict):
        kwargs["data"] = {**body, **({"csrf": w.csrf(role)} if csrf else {})}
    return client.request(method, path.format(**w.ids), headers=headers, **kwargs)


CASES = [(route, role) for route in ROUTES for role in ROLES]
#: What a refused request must leave as it was (a refused upload is kept as a submission
#: with its report, and the audit trail says who tried).
DATA = ("observations", "loads", "load_changes", "evidence", "users", "api_tokens",
        "series_declared", "areas_declared")


def data(store: Store) -> dict[str, tuple[int, int]]:
    return {k: v for k, v in store.fingerprint().items() if k in DATA}


@pytest.mark.parametrize("route, role", CASES, ids=[f"{r}-{u}" for r, u in CASES])
def test_every_write_route_for_every_role(world, route, role):
    expected = 401 if role == "anonymous" else ROUTES[route][4][role]
    before = data(world.store)
    r = call(world, role, route)
    assert expected == r.status_code, r.text[:400]
    if expected in (401, 403):
        assert before == data(world.store)  # a refusal changes no data
        if ROUTES[route][2] == "api" or r.headers["content-type"].startswith("application/json"):
            assert {"ok", "status", "error", "errors"} == set(r.json())


FORM_ROUTES = [route for route in ROUTES if ROUTES[route][2] == "form"]


@pytest.mark.parametrize("route", FORM_ROUTES)
def test_a_form_without_its_csrf_token_is_refused(world, route):
    role = "kz-nso" if route in ("page upload", "page confirm") else (
        "csos" if route == "page evidence" else "admin")
    before = world.store.fingerprint()
    r = call(world, role, route, csrf=False)
    assert 403 == r.status_code
    assert "CSRF" in r.text
    assert before == world.store.fingerprint()  # not even a submission row


def test_api_writes_with_the_session_cookie_need_the_csrf_header(world):
    client = world.client("kz-nso")
    path = f"/api/v1/submissions/{world.ids['submission']}/confirm"
    refused = client.post(path)
    assert 403 == refused.status_code and "CSRF" in refused.json()["error"]
    done = client.post(path, headers={"X-CSRF-Token": world.csrf("kz-nso")})
    assert ("loaded", 15) == (done.json()["status"], done.json()["result"]["rows_loaded"])


@both
def test_a_revoked_token_stops_working(world):
    client = world.client("anonymous")
    me = client.get("/api/v1/me", headers=world.bearer("np-cbs"))
    assert "np-cbs" == me.json()["username"]
    admin = world.client("admin")
    r = admin.post(f"/admin/tokens/{world.ids['token']}/revoke",
                   data={"csrf": world.csrf("admin")})
    assert 303 == r.status_code
    again = client.get("/api/v1/me", headers=world.bearer("np-cbs"))
    assert 401 == again.status_code
    assert "Bearer" == again.headers["www-authenticate"]


def test_a_provider_cannot_read_unpublished_evidence_of_others(world):
    client = world.client("anonymous")
    one = f"/api/v1/evidence/{world.ids['evidence']}"
    for role in ("kz-nso", "csos2"):
        assert 403 == client.get(one, headers=world.bearer(role)).status_code
    assert 401 == client.get(one).status_code  # the public: sign in first
    assert 403 == client.get("/api/v1/evidence?status=pending",
                             headers=world.bearer("kz-nso")).status_code
    assert 401 == client.get("/api/v1/evidence?status=pending").status_code
    assert [] == client.get("/api/v1/evidence", headers=world.bearer("kz-nso")).json()
    assert [] == client.get("/api/v1/evidence", headers=world.bearer("csos2")).json()
    mine = client.get("/api/v1/evidence", headers=world.bearer("csos")).json()
    assert [("pending", False)] == [(e["status"], e["official"]) for e in mine]
    assert 200 == client.get(one, headers=world.bearer("admin")).status_code
    world.client("admin").post(f"/admin/evidence/{world.ids['evidence']}/moderate",
                               data={"decision": "approved", "csrf": world.csrf("admin")})
    public = client.get(one).json()
    assert ("approved", False, "Non-official") == (public["status"], public["official"],
                                                   public["label"][:12])


@both
def test_a_provider_sees_only_its_own_submissions(world):
    client = world.client("anonymous")
    path = f"/api/v1/submissions/{world.ids['submission']}"
    assert 200 == client.get(path, headers=world.bearer("kz-nso")).status_code
    assert 403 == client.get(path, headers=world.bearer("np-cbs")).status_code
    assert [] == client.get("/api/v1/submissions", headers=world.bearer("np-cbs")).json()


def test_cookies_are_httponly_samesite_and_secure_over_https(world):
    for https in (False, True):
        r = world.client("anonymous", https=https).get("/signin")
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        assert https == ("secure" in cookie)


@both
def test_rows_outside_the_account_are_listed_and_nothing_is_loaded(world):
    mixed = data_file(world.folder, "mixed.csv", rows("398")[:2] + rows("524")[:3])
    before = data(world.store)
    r = world.client("anonymous").post("/api/v1/submissions", headers=world.bearer("kz-nso"),
                                       files={"file": ("mixed.csv", mixed.read_bytes())})
    assert 403 == r.status_code
    body = r.json()
    # rows 4-6 of the file (after the header and two Kazakh rows) are Nepal's
    assert [(4, "524"), (5, "524"), (6, "524")] == [(e["row"], e["value"])
                                                    for e in body["errors"]]
    assert "outside the areas of account 'kz-nso'" in body["errors"][0]["message"]
    assert before == data(world.store)


@both
def test_approved_evidence_shows_on_public_pages_marked_non_official(world):
    public = world.client("anonymous")
    assert [] == public.get("/en/area/524.json").json()["evidence"]  # pending: not shown
    world.client("admin").post(f"/admin/evidence/{world.ids['evidence']}/moderate",
                               data={"decision": "approved", "csrf": world.csrf("admin")})
    for page in ("/en/area/524", "/en/indicator/3.2.1", "/en/goal/3"):
        (item,) = public.get(page + ".json").json()["evidence"]
        assert ("People's scorecard: child health", False, "Nepal") == (
            item["title"], item["official"], item["area_name"])
        html = public.get(page + ".html").text
        assert "Stakeholder evidence (non-official)" in html
        assert '<span aria-hidden="true">◇</span> Non-official:' in html  # symbol and text
    zh = public.get("/zh/area/524.html").text
    assert "利益攸关方证据（非官方）" in zh
    assert [] == public.get("/en/area/398.json").json()["evidence"]  # another area
    # never among the official figures: series, downloads, assessments
    csv = public.get("/api/v1/observations.csv?area=524").text
    assert "62% satisfied" not in csv and "scorecard" not in csv
    series = public.get("/en/series/SH_DYN_MORT.json?area=524").json()
    assert "62% satisfied" not in str(series)
    assert "scorecard" not in str(public.get("/api/v1/assessment/NPL").json())


@both
def test_an_administrator_confirms_a_providers_file_as_national_data(world):
    r = world.client("anonymous").post(
        f"/api/v1/submissions/{world.ids['submission']}/confirm", headers=world.bearer("admin"))
    assert ("loaded", "N") == (r.json()["status"], r.json()["result"]["reporting_type"])
    kinds = world.store.con.execute(
        "SELECT DISTINCT reporting_type, dataset FROM observations_current "
        "WHERE dataset = 'kz-nso/kz'").fetchall()
    assert [("N", "kz-nso/kz")] == kinds
    load = world.store.current_load("kz-nso/kz")
    assert ("admin", "kz.csv") == (load["submitted_by"], load["file_name"])


@both
@pytest.mark.parametrize("fmt, name", [("xlsx", "kz.xlsx"), ("sdmx-csv", "kz_sdmx.csv")])
def test_the_excel_template_and_sdmx_csv_are_accepted(world, fmt, name):
    from sdgtrack.publish.export import export

    obs = world.store.table("observations_current")
    out = world.folder / name
    export(obs.filter(obs.ref_area == "398"), fmt, out)  # Kazakhstan's 15 rows, as a file
    client = world.client("anonymous")
    r = client.post("/api/v1/submissions", headers=world.bearer("kz-nso"),
                    files={"file": (name, out.read_bytes())})
    assert 201 == r.status_code, r.text[:500]
    done = client.post(f"/api/v1/submissions/{r.json()['submission_id']}/confirm",
                       headers=world.bearer("kz-nso")).json()
    assert ("loaded", 15, ["398"]) == (done["status"], done["result"]["rows_loaded"],
                                       done["areas"])


def test_a_read_only_server_says_why_it_takes_no_submissions(world):
    from fastapi.testclient import TestClient

    from sdgtrack.web.app import create_app

    world.store.close()
    with Store(world.folder / "s.duckdb", read_only=True) as store:
        client = TestClient(create_app(store), follow_redirects=False)
        token = client.get("/signin.json").json()["csrf"]
        r = client.post("/signin", data={"username": "kz-nso", "password": "whatever it is",
                                         "csrf": token})
        assert 503 == r.status_code and "read-only" in r.text
        up = client.post("/api/v1/submissions", headers=world.bearer("kz-nso"),
                         files={"file": _kz(world)})
        assert 503 == up.status_code and "sdgtrack users add" in up.json()["error"]
        assert 200 == client.get("/en/area/398.json").status_code  # the pages are served
    world.store = Store(world.folder / "s.duckdb")  # for the fixture to close


def test_a_country_covers_its_subnational_areas(world):
    from sdgtrack import pipeline
    from sdgtrack.ingest import ReadOptions

    areas = world.folder / "areas.csv"
    areas.write_text("ref_area,name,parent\nKZ-ALA,Almaty,398\nKZ-ALA-1,Almaty district,KZ-ALA"
                     "\nNP-P3,Bagmati Province,524\n", encoding="utf-8")
    regional = [line.replace(",398,Kazakhstan,", f",{code},{code},")
                for code in ("KZ-ALA", "KZ-ALA-1", "NP-P3") for line in rows("398")[:1]]
    declared = data_file(world.folder, "regions.csv", regional)
    assert "loaded" == pipeline.ingest_path(declared, world.store,
                                            ReadOptions(areas=areas)).status
    client = world.client("anonymous")
    kz = data_file(world.folder, "almaty.csv", regional[:2])
    r = client.post("/api/v1/submissions", headers=world.bearer("kz-nso"),
                    files={"file": ("almaty.csv", kz.read_bytes())})
    assert 201 == r.status_code, r.text[:400]
    assert ["KZ-ALA", "KZ-ALA-1"] == r.json()["areas"]
    both = data_file(world.folder, "both.csv", regional)
    r = client.post("/api/v1/submissions", headers=world.bearer("kz-nso"),
                    files={"file": ("both.csv", both.read_bytes())})
    assert 403 == r.status_code
    assert [(4, "NP-P3")] == [(e["row"], e["value"]) for e in r.json()["errors"]]


def test_forms_and_json_are_limited_to_a_mebibyte(world):
    r = world.client("anonymous").post("/api/v1/evidence", headers=world.bearer("csos"),
                                       json={"code": "3", "ref_area": "NPL", "title": "t",
                                             "summary": "x" * (1024 * 1024)})
    assert 413 == r.status_code
    assert "1,048,576 bytes, the limit for forms and JSON" in r.json()["error"]
    assert 0 == world.store.con.execute("SELECT count(*) FROM evidence WHERE code = '3'"
                                        ).fetchall()[0][0]


@pytest.mark.parametrize("size", [2_500, 200_000])  # inside the multipart slack, and past it
def test_an_upload_over_the_limit_is_refused_with_the_limit_named(world, monkeypatch, size):
    monkeypatch.setenv("SDGTRACK_UPLOAD_MAX_BYTES", "2000")
    before = data(world.store)
    r = world.client("kz-nso").post("/submit/upload", data={"csrf": world.csrf("kz-nso")},
                                    files={"file": ("big.csv", b"x" * size, "text/csv")})
    assert 413 == r.status_code
    assert "larger than the limit of 2,000 bytes" in r.text and "split" in r.text
    assert "<h1>Error (413)</h1>" in r.text
    assert before == data(world.store)
    assert [] == [p for p in (world.folder / "uploads").rglob("*") if p.is_file()]


@both
def test_what_each_role_sees_of_evidence(world):
    from sdgtrack.submission import evidence

    admin, csos, csos2 = (world.users[n] for n in ("admin", "csos", "csos2"))
    theirs = evidence.submit(world.store, csos2, evidence.Contribution(
        "5", "KAZ", "Survey of women's shelters"))["evidence_id"]
    evidence.moderate(world.store, admin, theirs, "approved", note="checked the source")
    client = world.client("anonymous")
    approved = client.get("/api/v1/evidence?status=approved", headers=world.bearer("csos"))
    assert [(theirs, "approved")] == [(e["evidence_id"], e["status"]) for e in approved.json()]
    assert "note" not in approved.json()[0] and "moderated_by" not in approved.json()[0]
    mine = client.get("/api/v1/evidence", headers=world.bearer("csos")).json()
    assert {world.ids["evidence"], theirs} == {e["evidence_id"] for e in mine}
    public = client.get(f"/api/v1/evidence/{theirs}").json()
    assert {"submitted_by", "moderated_by", "note"}.isdisjoint(public)
    full = client.get(f"/api/v1/evidence/{theirs}", headers=world.bearer("admin")).json()
    assert ("csos2", "admin", "checked the source") == (
        full["submitted_by"], full["moderated_by"], full["note"])
    assert 401 == client.get("/api/v1/evidence?status=rejected").status_code  # sign in


@both
def test_an_upload_left_unconfirmed_expires_with_its_file(world):
    """SDGTRACK_UPLOAD_EXPIRE_DAYS (7): an accepted upload nobody confirmed for 8 days is
    marked expired, its file and folder go, an audit line says so; it can no longer be
    confirmed. One uploaded a minute ago stays."""
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    from sdgtrack.submission import uploads

    con = world.store.con
    path = data_file(world.folder, "kz.csv", rows("398"))
    with path.open("rb") as f:
        old = uploads.receive(world.store, world.users["kz-nso"], f, "kz.csv").submission_id
    (stored,) = con.execute("SELECT stored_path FROM submissions WHERE submission_id = ?",
                            [old]).fetchall()[0]
    assert Path(stored).is_file()
    eight_days_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=8)
    con.execute("UPDATE submissions SET created_at = ? WHERE submission_id = ?",
                [eight_days_ago, old])
    fresh = con.execute("SELECT count(*) FROM submissions WHERE status = 'ready'").fetchall()
    assert [old] == uploads.expire(world.store)
    assert not Path(stored).exists() and not Path(stored).parent.exists()
    assert ("expired", None) == con.execute(
        "SELECT status, stored_path FROM submissions WHERE submission_id = ?",
        [old]).fetchall()[0]
    assert [(None, f"submission:{old}")] == con.execute(
        "SELECT actor, target FROM audit_events WHERE action = 'submission_expired'").fetchall()
    assert [(fresh[0][0] - 1,)] == con.execute(
        "SELECT count(*) FROM submissions WHERE status = 'ready'").fetchall()
    r = world.client("admin").post(f"/api/v1/submissions/{old}/confirm",
                                   headers=world.bearer("admin"))
    assert 409 == r.status_code and "expired" in r.json()["error"]
    assert [] == uploads.expire(world.store)  # once
