"""The OpenAPI document as the server answers (issue 21): every operation lists the error
statuses it can give, in the one error shape (``ok``, ``status``, ``error``, ``errors``), with
400 for invalid parameters (FastAPI documents 422, which sdgtrack never gives for them); bulk
downloads give their real content types; evidence may be read without a token."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object", "required": ["ok", "status", "error", "errors"],
    "properties": {"ok": {"type": "boolean", "const": False},
                   "status": {"type": "integer"}, "error": {"type": "string"},
                   "errors": {"type": "array"}}}
WHY = {
    "400": "Invalid parameters or body (every problem in `errors`).",
    "401": "No credentials, or unknown, expired or revoked ones.",
    "403": "Signed in, but outside the account's role or areas.",
    "404": "No such record, area, group or series.",
    "409": "The record is not in a state that allows it.",
    "413": "The body is over its size limit.",
    "422": "Understood but unusable: an upload with errors (listed by row in `errors`), "
           "evidence for an unknown goal or area.",
    "503": "The server opened the store read-only.",
}
DOWNLOADS = {"text/csv": {"schema": {"type": "string"}},
             "application/vnd.apache.parquet": {"schema": {"type": "string",
                                                           "format": "binary"}}}


def _statuses(path: str, method: str, op: dict[str, Any]) -> list[str]:
    codes = ["400"]
    if "{" in path or path.startswith("/api/v1/assessment"):
        codes.append("404")
    if op.get("security"):
        codes += ["401", "403", "404"]
    if method in ("post", "put", "patch", "delete"):
        codes += ["413", "503"]
        if path.endswith(("/confirm", "/rollback", "/moderation")):
            codes.append("409")
    if method == "post":  # understood, but the data cannot be used (a file's errors, an
        codes.append("422")  # unknown area or goal in evidence)
    return sorted(set(codes))


def describe(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` (FastAPI's) with the responses the routes really give."""
    spec.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            responses = op.setdefault("responses", {})
            responses.pop("422", None)  # FastAPI's validation error: sdgtrack answers 400
            for code in _statuses(path, method, op):
                responses[code] = {"description": WHY[code], "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            if path.startswith("/api/v1/evidence") and method == "get":
                op["security"] = [{}, *op.get("security", [])]  # public; a token shows more
            if path == "/api/v1/observations.{fmt}":
                responses["200"]["content"] = {**responses["200"].get("content", {}),
                                               **DOWNLOADS}
    spec.get("components", {}).get("schemas", {}).pop("HTTPValidationError", None)
    spec.get("components", {}).get("schemas", {}).pop("ValidationError", None)
    return spec


def install(app: Any) -> None:
    """Serve ``describe`` of FastAPI's document, made once."""
    made = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe(made())
        return app.openapi_schema  # type: ignore[no-any-return]

    app.openapi = openapi
