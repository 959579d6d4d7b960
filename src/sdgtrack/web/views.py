"""The pages of the submission and administration screens: each a dict of contents, served as
HTML (a template in ``publish/site/templates``, ``submit_*``/``admin_*``/``signin``) or, at the
same address + ``.json``, as JSON. English only for now."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from sdgtrack.publish.site.render import environment
from sdgtrack.web.guard import Principal

STATIC = "/static/site.css"


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


def page(request: Request, template: str, contents: dict[str, Any],
         principal: Principal | None, status: int = 200) -> Response:
    """``contents`` as JSON (``.json`` address) or rendered into ``template``."""
    if wants_json(request):
        body = json.dumps({"ok": status < 400, **contents}, default=str, ensure_ascii=False)
        return Response(body, status_code=status, media_type="application/json")
    html = environment().get_template(template).render(
        p=contents, user=principal.user if principal else None,
        csrf=principal.csrf if principal else None, static=STATIC, here=request.url.path)
    return HTMLResponse(html, status_code=status)


def signin_page(request: Request, csrf: str, message: str | None = None, status: int = 200,
                next_page: str = "/submit") -> Response:
    html = environment().get_template("signin.html").render(
        p={"title": "Sign in", "message": message, "next": next_page}, user=None,
        csrf=csrf, static=STATIC, here="/signin")
    return HTMLResponse(html, status_code=status)
