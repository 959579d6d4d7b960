"""Signing in and out of the web pages. The sign-in form carries a CSRF token bound to a
cookie (there is no session yet to bind it to); failures are rate-limited per account name
and per client address."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response

from sdgtrack import auth
from sdgtrack.auth.tokens import new_secret
from sdgtrack.errors import Forbidden
from sdgtrack.web.guard import (
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    Gate,
    check_csrf,
    safe_next,
    set_cookie,
)
from sdgtrack.web.views import signin_page

Field = Annotated[str, Form(max_length=1024)]


def register(app: FastAPI, gate: Gate) -> None:
    ip_limiter = auth.SignInLimiter(attempts=30)  # an office behind one address has many users

    @app.get("/signin", include_in_schema=False)
    def signin_form(request: Request, next: str | None = None) -> Response:  # noqa: A002
        token = new_secret()
        response = signin_page(request, token, next_page=safe_next(next))
        set_cookie(request, response, SIGNIN_COOKIE, token, 3600)
        return response

    @app.post("/signin", include_in_schema=False)
    def signin(request: Request, username: Field = "", password: Field = "", csrf: Field = "",
               next: Field = "") -> Response:  # noqa: A002
        if not auth.same(csrf, request.cookies.get(SIGNIN_COOKIE)):
            raise Forbidden("The sign-in form has expired (CSRF check); reload /signin and "
                            "sign in again.")
        address = f"ip:{request.client.host if request.client else '?'}"
        account = f"user:{username.strip().lower()[:100]}"
        gate.limiter.check(account)
        ip_limiter.check(address)
        gate.writable()  # a session is written to the store
        with gate.account_store() as store:
            user = auth.authenticate(store, username.strip(), password)
            session = auth.start_session(store, user, gate.session_hours) if user else None
        if session is None:
            gate.limiter.failed(account)
            ip_limiter.failed(address)
            return signin_page(request, csrf, "Wrong user name or password (or the account "
                               "is disabled).", 401, safe_next(next))
        gate.limiter.succeeded(account)
        response = RedirectResponse(safe_next(next), status_code=303)
        set_cookie(request, response, SESSION_COOKIE, session.secret, gate.session_hours * 3600)
        response.delete_cookie(SIGNIN_COOKIE, path="/")
        return response

    @app.post("/signout", include_in_schema=False)
    def signout(request: Request, csrf: Field = "") -> Response:
        principal = gate.signed_in(request)
        check_csrf(request, principal, csrf)
        with gate.account_store() as store:
            auth.end_session(store, request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/signin", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
