"""The OpenAPI document, made true to the service where FastAPI cannot say it alone.

Schemathesis checks the service against this document (tests/server/test_api_fuzz.py):
what a request may hold, every status an operation may answer, and the error bodies.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI

from scribedesk.server.api.schemas import MAX_SAFE_INTEGER, NO_NUL

#: A plain JSON value as the service stores it (schemas.json_problem): text without NUL,
#: integers within ±2^53, finite numbers, and lists and objects of such values.
JSON_VALUE: dict[str, Any] = {
    "description": "Plain JSON: no NaN or Infinity, at most 8 levels deep",
    "anyOf": [
        {"type": "string", "pattern": NO_NUL},
        {"type": "integer", "minimum": -MAX_SAFE_INTEGER, "maximum": MAX_SAFE_INTEGER},
        {"type": "number", "minimum": -1e300, "maximum": 1e300},
        {"type": "boolean"},
        {"type": "null"},
        {"type": "array", "items": {"$ref": "#/components/schemas/JsonValue"}},
        {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/JsonValue"}},
    ],
}


def install(app: FastAPI, template_ids: Iterable[str]) -> None:
    """Serve ``app``'s document with the plain-JSON component and the known templates."""
    generate = app.openapi
    known = sorted(template_ids)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        document.setdefault("components", {}).setdefault("schemas", {})["JsonValue"] = JSON_VALUE
        upload = document["paths"]["/api/v1/dictations"]["post"]["requestBody"]
        form = upload["content"]["multipart/form-data"]["schema"]
        form["properties"]["template_id"]["enum"] = known
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
