"""Issue 21, finding 10: defensive headers on every response (kept answers, errors, static
files, the API), and no-store on whatever depends on who asks, the page that shows a newly
issued API token first."""

from __future__ import annotations

import pytest

from sdgtrack.web.headers import CSP

import accounts

fast_hashing, template, world = accounts.fast_hashing, accounts.template, accounts.world

EXPECTED = {"content-security-policy": CSP, "x-frame-options": "DENY",
            "x-content-type-options": "nosniff", "referrer-policy": "same-origin"}


def _defended(response) -> None:
    got = {k: response.headers.get(k) for k in EXPECTED}
    assert EXPECTED == got, response.request.url
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("url, status", [
    ("/en/index.html", 200), ("/en/index.html", 200),  # the second is a kept answer
    ("/en/goal/3.json", 200), ("/api/v1/observations?series=SH_DYN_MORT", 200),
    ("/api/v1/observations?series=SH_DYN_MORT", 200), ("/static/site.css", 200),
    ("/en/nowhere.html", 404), ("/api/v1/observations?page_size=abc", 400),
    ("/api/v1/me", 401), ("/openapi.json", 200),
])
def test_every_public_answer_has_the_headers(world, url, status):
    response = world.client("anonymous").get(url)
    assert status == response.status_code
    _defended(response)
    if url.startswith(("/en/", "/static", "/openapi")):
        assert "no-store" not in response.headers.get("cache-control", "")  # cacheable


def test_the_new_token_page_is_never_stored(world):
    client = world.client("admin")
    response = client.post("/admin/users/kz-nso/tokens",
                           data={"label": "laptop", "csrf": world.csrf("admin")})
    assert 201 == response.status_code
    assert "sdgt_" in response.text  # the secret, shown once
    _defended(response)
    assert "no-store" == response.headers["cache-control"]


@pytest.mark.parametrize("url", ["/signin", "/submit", "/admin", "/admin/users.json",
                                 "/api/v1/me", "/api/v1/submissions"])
def test_account_answers_are_never_stored(world, url):
    role = "anonymous" if url == "/signin" else "admin"
    response = world.client(role).get(url, headers=world.bearer(role) if "/api/" in url
                                      else {})
    _defended(response)
    assert "no-store" == response.headers["cache-control"]


def test_a_signed_in_visitor_public_page_is_not_stored(world):
    response = world.client("kz-nso").get("/en/index.html")
    assert "no-store" == response.headers["cache-control"]
