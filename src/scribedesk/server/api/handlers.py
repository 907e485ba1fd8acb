"""Every error leaves the service as JSON ``{"detail": sentence, "code": word}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

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
    """Every method some route serves at ``request``'s path."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _scope = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


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
