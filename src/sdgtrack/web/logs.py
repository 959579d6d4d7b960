"""Structured logs of the server: one JSON line per request (its id, method, path, status
and milliseconds) and, for a request that fails inside, the traceback under the same id. The
id comes back as ``X-Request-Id`` so a user's report can be matched to its line."""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import MutableMapping
from typing import Any

from starlette.types import Receive, Scope, Send

from sdgtrack.web.asgi import HttpMiddleware

log = logging.getLogger("sdgtrack.web")
#: An id a proxy sent is kept when it is plainly an id (it goes into our logs verbatim).
GIVEN_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestLog(HttpMiddleware):
    """The middleware, outermost: it times everything the request costs."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if GIVEN_ID.match(given) else secrets.token_hex(6)
        scope.setdefault("state", {})["request_id"] = request_id  # for the error page
        start, status = time.perf_counter(), [500]

        async def with_id(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        fields = {"request_id": request_id, "method": scope.get("method"),
                  "path": scope.get("path")}
        try:
            await self.app(scope, receive, with_id)
        except Exception:
            log.exception("request failed", extra={"fields": fields})
            raise
        finally:
            fields |= {"status": status[0],
                       "ms": round((time.perf_counter() - start) * 1000, 1)}
            if log.isEnabledFor(logging.INFO):
                # a record made here, not by log.info: that looks up its caller in the
                # stack, a third of what a kept answer costs (bench/search.py)
                log.handle(log.makeRecord(log.name, logging.INFO, __file__, 0, "request",
                                          (), None, extra={"fields": fields}))
