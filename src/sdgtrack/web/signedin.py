"""Credentials before anything else (issue 21): a request to an account route (submission,
administration, the account API) without a valid session or API token is answered 401
before FastAPI routes it, validates its parameters or reads its body, so an anonymous client
learns nothing of the routes' schemas and costs the server nothing. The account found is
kept in the request scope, where ``Gate.principal`` finds it again."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sdgtrack.errors import NotSignedIn, RequestError
from sdgtrack.web.guard import PRINCIPAL, SIGN_IN_FIRST, Gate

#: Routes that need an account, whatever the method; POSTs to the evidence API too (its
#: GETs are public: approved evidence).
ACCOUNT_ROUTES = re.compile(r"^/(submit|admin)(\.json|/.*)?$"
                            r"|^/api/v1/(me|submissions|loads|users|tokens)(/.*)?$")
EVIDENCE_WRITES = re.compile(r"^/api/v1/evidence(/.*)?$")


def needs_account(method: str, path: str) -> bool:
    return bool(ACCOUNT_ROUTES.match(path)) or (
        method not in ("GET", "HEAD") and bool(EVIDENCE_WRITES.match(path)))


class SignedInFirst:
    def __init__(self, app: ASGIApp, gate: Gate,
                 refuse: Callable[[Request, RequestError], Awaitable[Response]]) -> None:
        self.app = app
        self.gate = gate
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and needs_account(scope["method"], scope["path"]):
            request = Request(scope)
            principal = await run_in_threadpool(self.gate.principal, request)
            if principal is None:
                response = await self.refuse(request, NotSignedIn(SIGN_IN_FIRST))
                await response(scope, receive, send)
                return
            scope[PRINCIPAL] = principal
        await self.app(scope, receive, send)
