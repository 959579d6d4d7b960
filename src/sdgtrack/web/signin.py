"""Signing in and out of the web pages. The sign-in form carries a CSRF token bound to a
cookie (there is no session yet to bind it to); failures are rate-limited per account name
and per client address, and the answer never says which of name or password was wrong."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response

from sdgtrack import auth
from sdgtrack.errors import Forbidden
from sdgtrack.store.audit import record_event
from sdgtrack.web.guard import SESSION_COOKIE, SIGNIN_COOKIE, Gate, safe_next, set_cookie
from sdgtrack.web.views import signin_page, words

Field = Annotated[str, Form(max_length=1024)]


def register(app: FastAPI, gate: Gate) -> None:
    @app.get("/signin", include_in_schema=False)
    @app.get("/signin.json", include_in_schema=False)
    def signin_form(request: Request) -> Response:
        return signin_page(request)

    @app.post("/signin", include_in_schema=False)
    def signin(request: Request, username: Field = "", password: Field = "", csrf: Field = "",
               next: Field = "") -> Response:  # noqa: A002
        _ = words(request)
        if not auth.same(csrf, request.cookies.get(SIGNIN_COOKIE)):
            raise Forbidden(_("The sign-in form has expired (CSRF check); reload /signin and "
                              "sign in again."))
        name = username.strip().lower()
        account = f"user:{name[:100]}"
        address = f"ip:{request.client.host if request.client else '?'}"
        gate.writable()  # a read-only server signs nobody in, and says so
        gate.limiter.check(account)
        gate.ip_limiter.check(address)
        with gate.writer() as store:  # a session is written to the store
            user = auth.authenticate(store, name, password)
            session = auth.start_session(store, user, gate.session_hours) if user else None
            # a failure too goes in the audit trail: the name tried and the address, never
            # the password
            record_event(store.con, name or None, "signin" if session else "signin_failed",
                         f"user:{name[:100]}", None if session else {"address": address[3:]})
        if session is None:
            gate.limiter.failed(account)
            gate.ip_limiter.failed(address)
            return signin_page(request, _("Wrong user name or password (or the account is "
                                          "disabled)."), 401, next)
        gate.limiter.succeeded(account)
        response = RedirectResponse(safe_next(next), status_code=303)
        set_cookie(request, response, SESSION_COOKIE, session.secret, gate.session_hours * 3600)
        response.delete_cookie(SIGNIN_COOKIE, path="/")
        return response

    @app.post("/signout", include_in_schema=False)
    def signout(request: Request, csrf: Field = "") -> Response:
        principal = gate.writer_for(request, csrf=csrf)
        if principal.session is not None:
            with gate.writer() as store:
                auth.end_session(store, principal.session)
        response = RedirectResponse("/signin", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
