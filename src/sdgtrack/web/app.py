"""The web application: pages (HTML with a JSON twin at the same address + ``.json``) and the
HTTP API (``/api/v1``, described at ``/openapi.json``). Routes only: the contents come from
``sdgtrack.publish.site``; every error, HTML page or JSON, has one shape. Signing in,
submitting data and administration are in ``signin``, ``submit`` and ``admin``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from sdgtrack.errors import RequestError, SdgtrackError, TooLarge, TooManyAttempts, UsageError
from sdgtrack.publish.site import router
from sdgtrack.publish.site.data import SiteData
from sdgtrack.publish.site.i18n import DEFAULT, LANGUAGES
from sdgtrack.publish.site.pages import NotFound
from sdgtrack.publish.site.render import render, render_error
from sdgtrack.store import Store
from sdgtrack.submission import uploads
from sdgtrack.web import admin, answers, api, openapi, signin, submit, views
from sdgtrack.web.answers import Answered, kept_answer, send_kept
from sdgtrack.web.guard import BodyLimit, Gate
from sdgtrack.web.headers import SecurityHeaders
from sdgtrack.web.language import RememberLanguage
from sdgtrack.web.logs import RequestLog
from sdgtrack.web.signedin import SignedInFirst

STATIC = Path(__file__).resolve().parents[1] / "publish" / "site" / "static"
JSON_MEDIA = "application/json; charset=utf-8"


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, default=str, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _error(request: Request, status: int, message: str, errors: list[Any] | None = None
           ) -> Response:
    if views.is_account_page(request):
        return views.error_page(request, status, message, errors)
    if views.wants_json(request):
        return JSONResponse(views.error_body(status, message, errors), status_code=status)
    lang = request.url.path.strip("/").split("/")[0]
    return HTMLResponse(render_error(lang if lang in LANGUAGES else DEFAULT, status, message),
                        status_code=status)


class App(FastAPI):
    """The app, with a front path: a GET whose answer is kept (``answers``) is sent from its
    bytes through the request log and the headers only, before FastAPI's own layers (its
    telemetry checks, error and exception middlewares, the routing), which cost more than
    the answer itself (bench/search.py)."""

    front: Any = None
    site: SiteData | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.site is not None and (hit := kept_answer(self.site, scope)) is not None:
            scope["sdgtrack.kept"] = hit
            await self.front(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(store: Store) -> FastAPI:
    """The app over an open store. Read-only is enough for the pages and the API; signing in
    and submitting need a store open for writing."""
    app = App(title="sdgtrack", version="1", docs_url=None, redoc_url=None,
                  description="SDG observations, framework, availability and progress "
                              "assessments for Asia and the Pacific; data submission.")
    site = SiteData(store)
    app.state.site = site
    app.site, app.front = site, RequestLog(SecurityHeaders(send_kept))
    if not store.read_only:  # uploads left unconfirmed too long go now, not at the next one
        uploads.expire(store)
    gate = Gate(store, on_change=site.versions.refresh)
    # innermost first: credentials before routing; the language asked for; the body limit;
    # kept answers; headers
    app.add_middleware(SignedInFirst, gate=gate, refuse=_refused)
    app.add_middleware(RememberLanguage)  # ?lang= on an account screen, kept in a cookie
    app.add_middleware(BodyLimit)
    app.add_middleware(Answered, site=site)  # a kept answer skips the rest
    app.add_middleware(SecurityHeaders)  # every answer, kept or not
    app.add_middleware(RequestLog)  # outermost: an id and the time of every request
    _errors(app)
    api.register(app, site)
    for routes in (signin, submit, admin):  # before the pages, whose address would match
        routes.register(app, gate)
    _pages(app, site)
    openapi.install(app)
    return app


def _errors(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(UsageError)
    async def bad_request(request: Request, exc: UsageError) -> Response:
        return _error(request, 400, str(exc))

    app.add_exception_handler(RequestError, _refused)  # type: ignore[arg-type]

    @app.exception_handler(SdgtrackError)
    async def data_error(request: Request, exc: SdgtrackError) -> Response:
        return _error(request, 500, str(exc))

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:  # logged by web/logs.py
        request_id = getattr(request.state, "request_id", "?")
        return _error(request, 500, f"Internal error: the server's log has what went wrong, "
                                    f"under request id {request_id}.")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return _error(request, 400, "Invalid parameters.", errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = _error(request, exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:  # every method of the address, not one route's
            response.headers["Allow"] = ", ".join(_methods(app, request.url.path))
        return response


def _methods(app: FastAPI, path: str) -> list[str]:
    """The methods the routes at ``path`` answer (a GET and a POST route share some)."""
    found: set[str] = set()
    for route in app.routes:
        regex = getattr(route, "path_regex", None)
        api_only = path.startswith("/api/") and not str(getattr(route, "path", "")).startswith(
            "/api/")  # the pages' catch-all /{lang}/{page:path} serves no API address
        if regex is not None and regex.match(path) and not api_only:
            found |= set(getattr(route, "methods", None) or ())
    return sorted(found)


async def _refused(request: Request, exc: RequestError) -> Response:
    """A request that may not or cannot be served (401, 403, 404, 409, 413, 422, 429, 503)."""
    if views.is_account_page(request):
        response = views.refusal(request, exc)
    else:
        response = _error(request, exc.status, str(exc), exc.errors)
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, TooLarge):  # the rest of the body is not read: hang up
        response.headers["Connection"] = "close"
    if exc.status == 401 and request.url.path.startswith("/api/"):
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _pages(app: FastAPI, site: SiteData) -> None:
    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse(f"/{DEFAULT}/index.html")

    @app.get("/{lang}", include_in_schema=False)
    def language_home(lang: str) -> RedirectResponse:
        # /en (no slash) to /en/, so that the page's relative links resolve under /en/
        if lang not in LANGUAGES:
            raise NotFound(f"There is no page /{lang}; pages start with "
                           f"/{'/, /'.join(LANGUAGES)}/.")
        return RedirectResponse(f"/{lang}/")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> FileResponse:
        path = STATIC / name
        if "/" in name or not path.is_file():
            raise NotFound(f"No static file {name!r}.")
        return FileResponse(path)

    @app.get("/{lang}/{page:path}", include_in_schema=False)
    async def page(lang: str, page: str, request: Request) -> Response:
        address = router.parse(f"{lang}/{page}")
        if address is None:
            raise NotFound(f"There is no page {request.url.path!r}; pages start with "
                           f"/{'/, /'.join(LANGUAGES)}/.")
        query = {k: request.query_params.getlist(k) for k in request.query_params}
        media = {"json": JSON_MEDIA, "csv": "text/csv; charset=utf-8"}.get(
            address.fmt, "text/html; charset=utf-8")
        # the answer is kept by answers.keep, and a second request for it is answered by
        # the Answered middleware before it reaches this route
        now = await answers.version(site)
        body = await run_in_threadpool(_make_page, site, address, query)
        return answers.keep(site, request, Response(body, media_type=media), now, page=True)


def _make_page(site: SiteData, address: router.Address, query: dict[str, list[str]]) -> bytes:
    if address.fmt == "csv":
        return router.series_csv(site, address)
    built = router.build(site, address, query)
    if address.fmt == "json":
        return json_bytes(built)
    return render(site, built, served=True).encode("utf-8")
