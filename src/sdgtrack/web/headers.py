"""Defensive headers on every response, kept answers and errors included (issue 21): the
pages run no inline script or style and are never framed; account screens and API answers
about accounts are never stored by a browser or a proxy (a new API token is shown once)."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

from starlette.types import Receive, Scope, Send

from sdgtrack.web.asgi import HttpMiddleware

#: Pages load their stylesheet and the search scripts from /static; charts are inline SVG.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
#: Answers that depend on who asks: never kept by a browser or a cache.
PRIVATE = re.compile(r"^/(signin|signout|submit|admin)(\.json|/.*)?$"
                     r"|^/api/v1/(me|submissions|evidence|loads|users|tokens)(/.*)?$")
NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders(HttpMiddleware):
    """The middleware (outside the kept answers, so that they get the headers too)."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        extra = list(HEADERS)
        if PRIVATE.match(scope["path"]) or _has_credentials(scope):
            extra.append(NO_STORE)

        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *[(k, v) for k, v in extra if k not in present]]
            await send(message)

        await self.app(scope, receive, with_headers)


def _has_credentials(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"authorization" or (key == b"cookie" and b"sdgtrack_session=" in value):
            return True
    return False
