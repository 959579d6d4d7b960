"""Issue 8's "done when", through the web pages as a person uses them: a data provider signs
in, uploads a file with errors, sees them by row, fixes the file, uploads it again, confirms,
and sees the new values on the pages; an administrator sees the history and rolls it back."""

import re

import pytest
from fastapi.testclient import TestClient

from sdgtrack.web.app import create_app

import accounts
from accounts import PASSWORD, data_file, rows

fast_hashing, template, world = accounts.fast_hashing, accounts.template, accounts.world
pg_template = accounts.pg_template
pytestmark = pytest.mark.both_backends  # each test on a DuckDB file and on PostgreSQL


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def sign_in(app, username: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    client = TestClient(app, follow_redirects=False)
    form = client.get("/submit")
    assert 401 == form.status_code and "<h1>Sign in</h1>" in form.text
    r = client.post("/signin", data={"username": username, "password": password,
                                     "csrf": _csrf(form.text), "next": "/submit"})
    assert (303, "/submit") == (r.status_code, r.headers["location"]), r.text[:300]
    home = client.get("/submit")
    assert 200 == home.status_code
    return client, _csrf(home.text)


def _kaz_2015_both_sexes(client) -> set[str]:
    """Kazakhstan's 2015 under-five mortality, both sexes, national figures where there are
    any (the page shows the UN's global figure, 11.8, while only that exists)."""
    page = client.get("/en/series/SH_DYN_MORT.json?area=398&sex=_T&reporting_type=N").json()
    return {r["value_raw"] for r in page["rows"] if r["time_period"] == 2015}


def test_a_provider_fixes_a_file_and_an_administrator_rolls_it_back(world):
    client, csrf = sign_in(world.app, "kz-nso")
    kz = rows("398")
    # row 3 of the file: a value that is not a number; row 5: a year that is not one
    broken = [kz[0].replace(",11.8,", ",9.9,"), kz[1].replace(",10.3,", ",n/a,"), kz[2],
              kz[3].replace(",2016,", ",20l6,"), *kz[4:]]
    bad = data_file(world.folder, "kz.csv", broken)
    r = client.post("/submit/upload", data={"csrf": csrf},
                    files={"file": ("kz.csv", bad.read_bytes(), "text/csv")})
    assert 422 == r.status_code
    assert "Nothing was loaded" in r.text
    report = re.findall(r'<tr><th scope="row">(\d+)</th><td>([^<]*)</td><td><code>(\w+)</code>',
                        r.text)
    assert ("3", "Value", "non_numeric_value") in report
    assert ("5", "TimePeriod", "invalid_year") in report
    assert {"11.8"} == _kaz_2015_both_sexes(client)  # nothing of it on the pages

    fixed = data_file(world.folder, "kz.csv", [kz[0].replace(",11.8,", ",9.9,"), *kz[1:]])
    r = client.post("/submit/upload", data={"csrf": csrf},
                    files={"file": ("kz.csv", fixed.read_bytes(), "text/csv")})
    assert 200 == r.status_code and "Confirm and load" in r.text
    submission = int(re.search(r'action="/submit/(\d+)/confirm"', r.text)[1])
    assert {"11.8"} == _kaz_2015_both_sexes(client)  # not before the confirmation
    done = client.post(f"/submit/{submission}/confirm", data={"csrf": _csrf(r.text)})
    assert 303 == done.status_code
    result = client.get(f"/submit/{submission}")
    assert "Loaded as load" in result.text and "15 rows" in result.text
    assert "reporting_type=N" in result.text  # the link to the provider's own figures
    assert {"9.9"} == _kaz_2015_both_sexes(client)  # the new value, on the next page view

    admin, admin_csrf = sign_in(world.app, "admin")
    history = admin.get("/admin/history.json?series=SH_DYN_MORT&area=398").json()
    newest = history["loads"][0]
    assert ("kz-nso/kz", "kz-nso", "kz.csv", 15, 15) == (
        newest["dataset"], newest["submitted_by"], newest["file_name"], newest["rows"],
        newest["added"])
    assert "Roll back load" in admin.get("/admin/loads").text
    r = admin.post(f"/admin/loads/{newest['load_id']}/rollback", data={"csrf": admin_csrf})
    assert 303 == r.status_code
    assert {"11.8"} == _kaz_2015_both_sexes(client)  # gone from the pages again
    assert "rolled_back" == admin.get("/admin/loads.json").json()["loads"][0]["status"]


def test_sign_in_refuses_wrong_passwords_then_rate_limits(world):
    client = TestClient(world.app, follow_redirects=False)
    token = _csrf(client.get("/signin").text)
    for _ in range(5):
        r = client.post("/signin", data={"username": "kz-nso", "password": "guess number",
                                         "csrf": token})
        assert 401 == r.status_code and "Wrong user name or password" in r.text
        token = _csrf(r.text)
    r = client.post("/signin", data={"username": "kz-nso", "password": PASSWORD,
                                     "csrf": token})
    assert 429 == r.status_code  # even the right password, until the window passes
    assert 800 < int(r.headers["retry-after"]) <= 900
    assert "Too many failed sign-ins" in r.text
    other, _ = sign_in(world.app, "np-cbs")  # other accounts are not locked out
    # the limit is in the store: another server process over it (a second worker, or the
    # same server restarted) refuses too
    again = TestClient(create_app(world.store), follow_redirects=False)
    token = _csrf(again.get("/signin").text)
    r = again.post("/signin", data={"username": "kz-nso", "password": PASSWORD, "csrf": token})
    assert 429 == r.status_code
    # each failure is in the audit trail, with the name and address tried, never the password
    failed = world.store.con.execute(
        "SELECT actor, target, detail FROM audit_events WHERE action = 'signin_failed'"
    ).fetchall()
    assert 5 == len(failed)
    assert {("kz-nso", "user:kz-nso", '{"address": "testclient"}')} == set(failed)
    assert not any("guess" in str(row) for row in failed)


def test_sign_in_without_the_form_token_is_refused(world):
    client = TestClient(world.app, follow_redirects=False)
    r = client.post("/signin", data={"username": "kz-nso", "password": PASSWORD})
    assert 403 == r.status_code and "CSRF" in r.text
    assert "sdgtrack_session" not in client.cookies


def test_sign_in_page_and_its_json_twin(world):
    client = TestClient(world.app)
    html = client.get("/signin").text
    assert '<label for="username">' in html and '<label for="password">' in html
    data = client.get("/signin.json").json()
    assert ("Sign in", True) == (data["title"], data["ok"])


@pytest.mark.parametrize("page", ["/submit", "/admin", "/admin/users", "/admin/loads",
                                  "/admin/history", "/admin/evidence"])
def test_account_pages_have_json_twins(world, page):
    admin = world.client("admin")
    html = admin.get(page)
    twin = admin.get(page + ".json")
    assert (200, 200) == (html.status_code, twin.status_code)
    assert twin.json()["title"] in html.text
    assert f"<h1>{twin.json()['title']}</h1>" in html.text
    assert 401 == world.client("anonymous").get(page + ".json").status_code


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/submit/../x",
                                    "/en/index.html", "javascript:alert(1)"])
def test_sign_in_never_sends_you_to_another_site(world, target):
    client = TestClient(world.app, follow_redirects=False)
    token = client.get("/signin.json").json()["csrf"]
    r = client.post("/signin", data={"username": "csos", "password": PASSWORD, "csrf": token,
                                     "next": target})
    assert (303, "/submit") == (r.status_code, r.headers["location"])
