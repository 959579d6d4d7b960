"""The pages of the sign-in, submission and administration screens: each a dict of contents,
served as HTML (a template in ``publish/site/templates``: ``signin``, ``submit_*``,
``admin_*``) or, at the same address + ``.json``, as JSON. Like the public pages they are in
English, Chinese and Russian (``locales/*.accounts.po``); their addresses carry no language,
so the language is the request's (``language.chosen``: ``?lang=``, a cookie, the browser's
Accept-Language). Titles and messages are in that language in the JSON twins too; codes
(roles, statuses) stay codes there and are shown in words on the page."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from sdgtrack.auth.tokens import new_secret
from sdgtrack.errors import NotSignedIn, RequestError, TooManyAttempts
from sdgtrack.publish.site.i18n import LANGUAGES, gettext, number, when
from sdgtrack.publish.site.render import environment
from sdgtrack.web import language
from sdgtrack.web.guard import SIGN_IN_FIRST, SIGNIN_COOKIE, Principal, safe_next, set_cookie

STATIC = "/static/site.css"
ACCOUNT_PATHS = language.ACCOUNT_PATHS


def wants_json(request: Request) -> bool:
    """A JSON answer: the API, a page's JSON twin, the OpenAPI description."""
    path = request.url.path
    return path.endswith(".json") or path.startswith("/api/")


def error_body(status: int, message: str, errors: list[Any] | None = None) -> dict[str, Any]:
    """The one error shape (as datasette): ``ok``, ``status``, ``error``, ``errors``."""
    return {"ok": False, "status": status, "error": message, "errors": errors or [message]}


def is_account_page(request: Request) -> bool:
    return ACCOUNT_PATHS.match(request.url.path) is not None


def words(request: Request) -> Any:
    """``_(text, **values)`` in the request's language (``language.chosen``)."""
    return gettext(language.chosen(request))


def _json(request: Request, body: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(body, default=str, ensure_ascii=False), status_code=status,
                    media_type="application/json; charset=utf-8")


def _html(request: Request, template: str, contents: dict[str, Any],
          principal: Principal | None, csrf: str | None, status: int,
          here: str | None = None) -> Response:
    lang = language.chosen(request)
    _ = gettext(lang)
    here = here or request.url.path
    html = environment().get_template(template).render(
        p=contents, user=principal.user if principal else None, csrf=csrf, static=STATIC,
        here=here, lang=lang, _=_, word=lambda code: _(language.word(code)),
        when=lambda v: when(v, lang), num=lambda v, digits=0: number(v, lang, digits),
        languages=LANGUAGES, switches=language.switches(request, here))
    return HTMLResponse(html, status_code=status)


def page(request: Request, template: str, contents: dict[str, Any],
         principal: Principal | None, status: int = 200, here: str | None = None
         ) -> Response:
    """``contents`` as JSON (``.json`` address) or rendered into ``template``; ``here`` is
    the page's own address when the request's is not (the answer to a form). The JSON twin
    of a signed-in page carries the session's CSRF token, for scripts that use the cookie."""
    csrf = principal.csrf if principal else None
    if wants_json(request):
        extra = {"csrf": csrf} if csrf else {}
        return _json(request, {"ok": status < 400, **contents, **extra}, status)
    return _html(request, template, contents, principal, csrf, status, here)


def signin_page(request: Request, message: str | None = None, status: int = 200,
                next_page: str | None = None) -> Response:
    """The sign-in form, with a fresh CSRF token bound to a cookie (there is no session yet
    to bind it to)."""
    token = new_secret()
    target = safe_next(next_page or request.query_params.get("next") or request.url.path)
    contents = {"title": words(request)("Sign in"), "message": message, "next": target}
    if wants_json(request):
        response = _json(request, {"ok": status < 400, **contents, "csrf": token}, status)
    else:
        response = _html(request, "signin.html", contents, None, token, status)
    set_cookie(request, response, SIGNIN_COOKIE, token, 3600)
    return response


def refusal(request: Request, exc: RequestError) -> Response:
    """A refused request on an account page: the sign-in form when credentials are missing
    or too many sign-ins failed, else the error in the one shape (as JSON at a .json
    address). The sign-in messages are in the request's language."""
    _ = words(request)
    message = str(exc)
    if isinstance(exc, NotSignedIn) and message == SIGN_IN_FIRST:
        message = _(SIGN_IN_FIRST)
    elif isinstance(exc, TooManyAttempts):
        message = _(language.RATE_LIMITED, seconds=exc.retry_after)
    form = isinstance(exc, NotSignedIn) or (isinstance(exc, TooManyAttempts)
                                            and request.url.path == "/signin")
    if form and not wants_json(request):
        return signin_page(request, message, exc.status)
    return error_page(request, exc.status, message,
                      [message] if exc.errors == [str(exc)] else exc.errors)


def error_page(request: Request, status: int, message: str, errors: list[Any] | None = None
               ) -> Response:
    body = error_body(status, message, errors)
    if wants_json(request):
        return _json(request, body, status)
    _ = words(request)
    contents = {"title": _("Not found") if status == 404 else _("Error"), **body}
    return _html(request, "account_error.html", contents, None, None, status)
