"""The language of an account screen (sign-in, submission, administration), which has no
language in its address: ``?lang=`` (remembered in a cookie for the next screens), else that
cookie, else the best of the browser's ``Accept-Language`` among the site's languages, else
English."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sdgtrack.publish.site.i18n import DEFAULT, LANGUAGES
from sdgtrack.web.guard import SIGN_IN_FIRST

LANG_COOKIE = "sdgtrack_lang"
#: The account screens (and their forms' answers): their addresses carry no language.
ACCOUNT_PATHS = re.compile(r"^/(signin|signout|submit|admin)(\.json|/.*)?$")
YEAR = 365 * 24 * 3600


def accepted(header: str) -> str | None:
    """The site language the browser prefers most (``q`` weights, regions ignored).

    >>> accepted("ru-RU,ru;q=0.9,en;q=0.8"), accepted("fr, zh-CN;q=0.5"), accepted("fr")
    ('ru', 'zh', None)
    """
    best, weight = None, 0.0
    for k, item in enumerate(header.split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        code = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        q -= k * 1e-6  # of equal weights, the first listed
        if code in LANGUAGES and q > weight:
            best, weight = code, q
    return best


def chosen(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return str(asked)
    kept = request.cookies.get(LANG_COOKIE)
    if kept in LANGUAGES:
        return str(kept)
    return accepted(request.headers.get("accept-language", "")) or DEFAULT


class RememberLanguage:
    """An answer to an account screen asked for with ``?lang=`` keeps that language in a
    cookie (not secret: no HttpOnly), redirects after a form included, so that the next
    screens are in it too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not ACCOUNT_PATHS.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        asked = request.query_params.get("lang")
        if asked not in LANGUAGES or asked == request.cookies.get(LANG_COOKIE):
            await self.app(scope, receive, send)
            return

        async def remember(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = Response()
                cookie.set_cookie(LANG_COOKIE, str(asked), max_age=YEAR, path="/",
                                  secure=request.url.scheme == "https", samesite="lax")
                message["headers"] = [*message.get("headers", []),
                                      *[(k, v) for k, v in cookie.raw_headers
                                        if k == b"set-cookie"]]
            await send(message)

        await self.app(scope, receive, remember)


def switches(request: Request, here: str) -> dict[str, str]:
    """The address of this screen in each language (its query kept when it is the
    request's own address)."""
    query = {k: v for k, v in request.query_params.multi_items() if k != "lang"} \
        if here == request.url.path else {}
    return {code: f"{here}?{urlencode([*query.items(), ('lang', code)])}"
            for code in LANGUAGES}


#: Codes shown on the screens, in English words (msgids of ``locales/*.accounts.po``); the
#: JSON twins keep the codes.
WORDS = {
    # roles
    "admin": "administrator", "provider": "data provider",
    "contributor": "stakeholder contributor",
    # submissions
    "ready": "ready to load", "rejected": "rejected", "loaded": "loaded",
    "unchanged": "unchanged", "expired": "expired",
    # evidence
    "pending": "pending", "approved": "approved",
    # loads
    "current": "current", "superseded": "superseded", "rolled_back": "rolled back",
    # issues, and changes of a value
    "error": "error", "warning": "warning", "changed": "changed", "removed": "removed",
    "added": "added",
    # the audit trail
    "signin": "signed in", "signin_failed": "failed sign-in",
    "submission_upload": "file uploaded", "submission_confirm": "submission loaded",
    "submission_expired": "upload expired", "evidence_submit": "evidence submitted",
    "evidence_moderate": "evidence moderated", "scorecard_submit": "scorecard submitted",
    "rollback": "load rolled back", "records_added": "forum records added",
    "user_add": "account added", "user_areas": "account areas set",
    "user_disable": "account disabled", "user_enable": "account enabled",
    "password_set": "password set", "token_issue": "API token issued",
    "token_revoke": "API token revoked",
}

#: The sign-in limit's refusal (``auth.ratelimit``), as a message to translate.
RATE_LIMITED = ("Too many failed sign-ins; try again in %(seconds)s seconds, or ask an "
                "administrator to reset the password.")
#: Messages made in Python and shown on the screens (the rest are in the templates and in
#: ``_("...")`` calls of ``web/*.py``).
MESSAGES = (SIGN_IN_FIRST, RATE_LIMITED)


def word(code: object) -> str:
    """The English words of a code shown on a screen (the code itself when it has none)."""
    return WORDS.get(str(code), str(code)) if code is not None else ""


#: The templates of the account screens (``publish/site/templates``).
TEMPLATES = ("account.html", "account_error.html", "signin.html", "submit_index.html",
             "submit_report.html", "admin_*.html")


def messages_used() -> set[str]:
    """Every string the account screens ask to translate: the templates' ``_("...")``, the
    ``_("...")`` and ``words(request)("...")`` calls of ``web/*.py``, the codes' words and
    ``MESSAGES`` (for the completeness tests)."""
    import ast
    import re
    from pathlib import Path

    from sdgtrack.publish.site.i18n import LOCALES

    found = set(WORDS.values()) | set(MESSAGES)
    templates = LOCALES.parent / "templates"
    for pattern in TEMPLATES:
        for path in templates.glob(pattern):
            found |= set(re.findall(r'_\("((?:[^"\\]|\\.)+)"', path.read_text("utf-8")))
    for path in Path(__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str) and _translating(node.func)):
                found.add(node.args[0].value)
    return found


def _translating(func: object) -> bool:
    import ast

    return (isinstance(func, ast.Name) and func.id == "_") or (
        isinstance(func, ast.Call) and isinstance(func.func, ast.Name)
        and func.func.id == "words")
