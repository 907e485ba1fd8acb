"""Errors the service's use cases raise; the API turns each into a JSON answer."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request the service refuses, with a message a person can read."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code  # a finer word than the class's, e.g. "lease_replaced"
        self.headers = headers or {}
        self.extra = extra or {}  # more JSON beside "detail" and "code"


class Invalid(ServiceError):
    """The request is well formed but its content cannot be accepted."""

    status = 422
    code = "invalid"


class Unauthorized(ServiceError):
    """No valid sign-in."""

    status = 401
    code = "unauthorized"


class Forbidden(ServiceError):
    """Signed in, but the role does not allow this."""

    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    """Nothing by that id that this user may see."""

    status = 404
    code = "not_found"


class Conflict(ServiceError):
    """The state changed under the caller: lease lost, job reassigned, wrong status."""

    status = 409
    code = "conflict"


class TooLarge(ServiceError):
    """The upload exceeds the configured limit."""

    status = 413
    code = "too_large"


class UnsupportedMedia(ServiceError):
    """The upload is not audio the service can use."""

    status = 415
    code = "unsupported_media"


class Throttled(ServiceError):
    """Too many failed attempts; try again later."""

    status = 429
    code = "throttled"


class QualityRefused(ServiceError):
    """The transcript fails quality checks that were not (or cannot be) acknowledged."""

    status = 422
    code = "quality_failed"
