"""Who is asking, and may they: credentials (a session cookie for the pages, a bearer API
token for scripts), CSRF checks for cookie-authenticated writes, the sign-in rate limit, the
request body limit, and the connections reads and writes go through.

The pages read through the store's own connection (``SiteData`` holds it). Account lookups
use a second connection (a DuckDB cursor), and every write a fresh one, one write at a time,
so a long load does not stop the pages being served and two writes never conflict."""

from __future__ import annotations

import re
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.security import HTTPBearer
from starlette.exceptions import HTTPException

from sdgtrack import auth, settings
from sdgtrack.auth import Role, User
from sdgtrack.errors import Forbidden, NotSignedIn, ReadOnly
from sdgtrack.store import Store

SESSION_COOKIE = "sdgtrack_session"
SIGNIN_COOKIE = "sdgtrack_signin"  # the sign-in form's CSRF token (no session yet)
CSRF_HEADER = "x-csrf-token"
#: Where ``signedin.SignedInFirst`` keeps the account it found, in the request scope.
PRINCIPAL = "sdgtrack.principal"
#: Bodies of requests other than uploads (forms, JSON) are small.
FORM_LIMIT = 1024 * 1024
#: Room for the multipart headers and the form's other fields around an uploaded file.
MULTIPART_SLACK = 64 * 1024
SIGN_IN_FIRST = ("Sign in first: at /signin on the web, or send an API token "
                 "(Authorization: Bearer ...) from `sdgtrack users token`.")
UPLOAD_PATHS = re.compile(r"^/(api/v1/submissions|submit/upload)/?$")
NEXT = re.compile(r"^/(submit|admin)(/[A-Za-z0-9_./-]{0,200})?(\.json)?$")

bearer = HTTPBearer(auto_error=False, description="An API token, from `sdgtrack users token "
                                                  "NAME`: `Authorization: Bearer sdgt_...`")

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]


def upload_limit() -> int:
    return settings.get_int("upload_max_bytes")


class BodyTooLarge(HTTPException):
    """413, raised while the body is read. An HTTP exception (not a ``RequestError``) so
    that FastAPI passes it on as it is when it reads a form or JSON body, rather than as
    "There was an error parsing the body"; ``Connection: close``, as the rest of the body is
    not read."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message, headers={"Connection": "close"})


def too_large(limit: int, upload: bool = True) -> BodyTooLarge:
    if not upload:
        return BodyTooLarge(f"The request is larger than {limit:,} bytes, the limit for forms "
                            "and JSON; files go to /submit/upload or /api/v1/submissions.")
    return BodyTooLarge(f"The upload is larger than the limit of {limit:,} bytes "
                        "(SDGTRACK_UPLOAD_MAX_BYTES); split the file (by goal or by year) and "
                        "submit the parts.")


class BodyLimit:
    """Counts the bytes of each request body as the app reads it and stops at the limit
    (413), so an oversized upload is neither held in memory nor written to disk in full; a
    declared Content-Length over the limit is refused before any byte of the body is read.
    Routes check credentials before they read a body, so an anonymous upload costs nothing.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive,
                       send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        upload = UPLOAD_PATHS.match(scope["path"]) is not None
        shown = upload_limit() if upload else FORM_LIMIT
        limit = shown + MULTIPART_SLACK if upload else shown
        declared = dict(scope["headers"]).get(b"content-length", b"")
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            if declared.isdigit() and int(declared) > limit:
                raise too_large(shown, upload)
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise too_large(shown, upload)
            return message

        await self.app(scope, limited, send)


@dataclass(frozen=True)
class Principal:
    user: User
    via: str  # "session" | "token"
    csrf: str | None = None  # the session's CSRF token
    session: str | None = None  # the session cookie's value


class Gate:
    """Credentials and store access for the account routes of one app."""

    def __init__(self, store: Store, on_change: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.accounts = store.cursor()
        self.lock = threading.Lock()  # the accounts connection, one thread at a time
        self.write_lock = threading.Lock()  # one write at a time
        # kept in the store: the limits hold across server workers and restarts
        self.limiter = auth.StoredLimiter(self.writer)  # per account name
        self.ip_limiter = auth.StoredLimiter(self.writer, attempts=30)  # an office's address
        self.session_hours = settings.get_int("session_hours")
        #: called after a write that changes what the pages show
        self.on_change = on_change

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """The accounts connection, for short reads (a new one after a read-only store has
        moved to a newer snapshot: the old connection is closed)."""
        with self.lock:
            if self.accounts.file != self.store.file:
                self.accounts = self.store.cursor()
            yield self.accounts

    @contextmanager
    def cursor(self) -> Iterator[Store]:
        """A connection of its own for a long read (validating an upload)."""
        store = self.store.cursor()
        try:
            yield store
        finally:
            store.close()

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """A connection of its own for one write; writes wait for each other."""
        self.writable()
        with self.write_lock:
            store = self.store.cursor()
            try:
                yield store
            finally:
                store.close()

    def writable(self) -> None:
        if self.store.read_only:
            raise ReadOnly("This server opened the store read-only (no accounts yet, or "
                           "--read-only), so nobody can sign in or submit; add an account "
                           "with `sdgtrack users add` and restart `sdgtrack serve`.")

    def principal(self, request: Request) -> Principal | None:
        """The account behind the request's credentials, or None."""
        if PRINCIPAL in request.scope:  # looked up before routing (SignedInFirst)
            return request.scope[PRINCIPAL]  # type: ignore[no-any-return]
        scheme, _, secret = request.headers.get("authorization", "").partition(" ")
        with self.reader() as store:
            if scheme.lower() == "bearer":
                user = auth.token_user(store, secret.strip())
                return Principal(user, "token") if user else None
            cookie = request.cookies.get(SESSION_COOKIE)
            session = auth.session_of(store, cookie) if cookie else None
        if session is None:
            return None
        return Principal(session.user, "session", session.csrf, session.secret)

    def signed_in(self, request: Request, *roles: Role) -> Principal:
        """The request's account; 401 without one, 403 when its role is not in ``roles``."""
        principal = self.principal(request)
        if principal is None:
            raise NotSignedIn(SIGN_IN_FIRST)
        if roles and principal.user.role not in roles:
            allowed = " or ".join(r.value for r in roles)
            raise Forbidden(f"This needs a {allowed} account; {principal.user.username!r} is "
                            f"a {principal.user.role.value}.")
        return principal

    def writer_for(self, request: Request, *roles: Role, csrf: str | None = None
                   ) -> Principal:
        """``signed_in`` and, for a cookie-authenticated write, the CSRF check."""
        principal = self.signed_in(request, *roles)
        check_csrf(request, principal, csrf)
        return principal


def check_csrf(request: Request, principal: Principal, form_token: str | None = None) -> None:
    """A write authenticated by the session cookie must carry the session's CSRF token (in
    the form, or the X-CSRF-Token header); one with an API token needs none (a browser never
    sends it by itself)."""
    if principal.via == "token":
        return
    token = form_token or request.headers.get(CSRF_HEADER)
    if not auth.same(token, principal.csrf):
        raise Forbidden("The form's security token is missing or out of date (CSRF check); "
                        "reload the page and submit it again.")


def set_cookie(request: Request, response: Response, name: str, value: str,
               max_age: int) -> None:
    """HttpOnly (no script reads it), SameSite=Lax (not sent with cross-site form posts),
    Secure when the page came over HTTPS (behind a proxy on the same machine, uvicorn takes
    the scheme from X-Forwarded-Proto: see the README)."""
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True,
                        secure=request.url.scheme == "https", samesite="lax")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a page of ours, never another site."""
    return target if target and NEXT.fullmatch(target) and ".." not in target else "/submit"
