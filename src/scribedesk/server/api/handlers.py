"""Every error leaves the service as JSON ``{"detail": sentence, "code": word}``."""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from scribedesk.server.errors import ServiceError

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media",
    416: "range_not_satisfiable",
    422: "invalid",
    429: "throttled",
}


def _json(
    status: int,
    detail: str,
    code: str,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    return JSONResponse(
        {**(extra or {}), "detail": detail, "code": code}, status_code=status, headers=headers
    )


def describe_validation(errors: list[Any]) -> str:
    """One readable sentence per problem, e.g. ``body → priority: Input should be 'stat'``;
    a body that is not JSON says where it broke."""
    for error in errors:
        if error.get("type") == "json_invalid":
            offsets = [p for p in error.get("loc", ()) if isinstance(p, int)]
            why = str((error.get("ctx") or {}).get("error") or "it is not valid JSON")
            at = f" at character {offsets[0]}" if offsets else ""
            return f"The request body is not valid JSON: {why.rstrip('.')}{at}."
    parts = []
    for error in errors[:5]:
        where = " → ".join(str(p) for p in error.get("loc", ()) if p not in ("body",)) or "request"
        parts.append(f"{where}: {error.get('msg', 'is not valid')}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more


def allowed_methods(request: Request) -> list[str]:
    """Every method the API document lists for ``request``'s path (its path templates
    matched with their parameters' types: an integer id matches digits only)."""
    path = request.url.path
    return sorted(
        method
        for pattern, methods in _path_patterns(request.app)
        if pattern.fullmatch(path)
        for method in methods
    )


def _path_patterns(app: FastAPI) -> list[tuple[re.Pattern[str], list[str]]]:
    cached: list[tuple[re.Pattern[str], list[str]]] | None = getattr(
        app.state, "path_patterns", None
    )
    if cached is not None:
        return cached
    patterns = []
    for template, operations in app.openapi()["paths"].items():
        kinds = {
            p["name"]: p.get("schema", {}).get("type")
            for op in operations.values()
            for p in op.get("parameters", [])
            if p.get("in") == "path"
        }
        regex = re.sub(r"\\\{(\w+)\\\}", partial(_parameter, kinds), re.escape(template))
        patterns.append((re.compile(regex), [m.upper() for m in operations]))
    app.state.path_patterns = patterns
    return patterns


def _parameter(kinds: dict[str, Any], match: re.Match[str]) -> str:
    return "[0-9]+" if kinds.get(match.group(1)) == "integer" else "[^/]+"


def install(app: FastAPI) -> None:
    """Register the JSON error handlers on ``app``."""

    @app.exception_handler(ServiceError)
    async def service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        return _json(exc.status, exc.message, exc.code, exc.headers, exc.extra)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _json(422, describe_validation(list(exc.errors())), "invalid")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the methods of the first route that matched the path;
            # a path served by several routes (GET and POST /users) allows them all.
            allowed = allowed_methods(request)
            headers["Allow"] = ", ".join(allowed)
            detail = f"{request.method} is not allowed here; use {' or '.join(allowed)}."
        return _json(exc.status_code, detail, _CODES.get(exc.status_code, "error"), headers)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return _json(500, "The service hit an unexpected error; it was logged.", "internal")
