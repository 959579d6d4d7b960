"""Answers kept for the store version: a GET answered once is answered again from its bytes,
before FastAPI routes the request and validates its parameters, as a cache in front of the
server would. Only the public pages and observation queries are kept: they are the same for
every visitor, and they change only with the store version. This is the one place a page's
bytes are kept (in the site's ``Cache``, by address and query)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sdgtrack.publish.site.data import SiteData


def _key(scope: Scope) -> tuple[str, str, bytes]:
    return ("answer", scope["path"], scope["query_string"])


async def version(site: SiteData) -> str:
    """The store version for a request, without the event loop waiting on the store."""
    known = site.versions.known()
    return known if known is not None else await run_in_threadpool(site.versions.current)


def keep(site: SiteData, request: Request, response: Response, version: str, *,
         page: bool = False) -> Response:
    """Keep a 200 answer to a GET for the store version that was current before it was
    made (never for a later one, which it might not show): a ``page`` without a query for
    the whole version (their number is bounded by the site's addresses), anything else
    among the most recent answers (``Cache.recent``)."""
    if request.method == "GET" and response.status_code == 200:
        kept = (site.cache.kept if page and not request.scope["query_string"]
                else site.cache.recent)
        kept(version, _key(request.scope), lambda: (
            response.body, response.headers["content-type"].encode("latin-1")))
    return response


async def _send(send: Send, body: bytes, media: bytes) -> None:
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", media),
                            (b"content-length", str(len(body)).encode("ascii"))]})
    await send({"type": "http.response.body", "body": body})


def kept_answer(site: SiteData, scope: Scope) -> Any:
    """The kept answer to this GET, when the store version is known without a lookup."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    known = site.versions.known()
    return None if known is None else site.cache.peek(known, _key(scope))


async def send_kept(scope: Scope, receive: Receive, send: Send) -> None:
    """The innermost app of the server's front path (``app.App``): the answer found."""
    body, media = scope["sdgtrack.kept"]
    await _send(send, body, media)


class Answered:
    """The middleware that answers from what ``keep`` kept (when the front path could not:
    the store version was due for a lookup)."""

    def __init__(self, app: ASGIApp, site: SiteData) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hit: Any = None
        if scope["type"] == "http" and scope["method"] == "GET":
            hit = self.site.cache.peek(await version(self.site), _key(scope))
        if hit is None:
            await self.app(scope, receive, send)
            return
        await _send(send, *hit)
