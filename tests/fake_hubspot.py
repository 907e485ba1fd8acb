"""A local HubSpot portal over HTTP, strict about the CRM v3/v4 and Files API shapes.

It answers ``POST /crm/v3/objects/{type}/search`` (EQ filters, including
``associations.company``), ``POST …/batch/upsert`` (by a unique ``idProperty``),
``PATCH /crm/v3/objects/{type}/{id}``, ``PUT /crm/v4/objects/{from}/{id}/associations/
default/{to}/{toId}`` and ``POST /files/v3/files`` (multipart: file, folderPath,
options), and refuses what HubSpot refuses, with its JSON error object: a property that
does not exist or has a bad value (400 VALIDATION_ERROR), an idProperty that is not
unique, a missing ``hs_timestamp``, a record that does not exist (404), an expired token
(401 EXPIRED_AUTHENTICATION) and the ten-second rate limit (429 with its policy name)."""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
from typing import Any
from urllib.parse import unquote

from tests.fake_http import Answer, FakeServer

KEY = "scribedesk_key"
PROPERTIES = {
    "companies": {"name", "domain", "industry", "description", "phone", KEY},
    "contacts": {"firstname", "lastname", "jobtitle", "email", "phone", KEY},
    "deals": {
        "dealname",
        "dealstage",
        "pipeline",
        "amount",
        "closedate",
        "description",
        "competitors",
        KEY,
    },
    "tasks": {
        "hs_task_subject",
        "hs_task_body",
        "hs_timestamp",
        "hs_task_status",
        "hs_task_priority",
        "hs_task_type",
        KEY,
    },
    "notes": {"hs_note_body", "hs_timestamp", "hs_attachment_ids", KEY},
}
REQUIRED = {
    "companies": (),
    "contacts": (),
    "deals": ("dealname",),
    "tasks": ("hs_timestamp",),
    "notes": ("hs_timestamp",),
}
STAGES = {
    "appointmentscheduled",
    "qualifiedtobuy",
    "presentationscheduled",
    "decisionmakerboughtin",
    "contractsent",
    "closedwon",
    "closedlost",
}
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$|^\d{13}$")
_OPERATORS = {
    "EQ",
    "NEQ",
    "LT",
    "LTE",
    "GT",
    "GTE",
    "BETWEEN",
    "IN",
    "NOT_IN",
    "HAS_PROPERTY",
    "NOT_HAS_PROPERTY",
    "CONTAINS_TOKEN",
    "NOT_CONTAINS_TOKEN",
}


def failure(status: int, category: str, message: str, errors: list[str] | None = None) -> Answer:
    body: dict[str, Any] = {
        "status": "error",
        "message": message,
        "category": category,
        "correlationId": "3b1f4c0e-0000-4000-8000-000000000000",
    }
    if errors:
        body["errors"] = [{"message": e} for e in errors]
    return Answer(status, body)


class FakeHubSpot(FakeServer):
    """``records[type][id]`` holds properties; ``links`` the associations; ``files``."""

    def __init__(self, slow_s: float = 1.0) -> None:
        self.records: dict[str, dict[str, dict[str, str]]] = {t: {} for t in PROPERTIES}
        self.links: set[tuple[str, str, str, str]] = set()
        self.files: dict[str, tuple[str, bytes]] = {}
        self.ids = itertools.count(9001)
        super().__init__(slow_s)

    def add(self, kind: str, **properties: str) -> str:
        record_id = str(next(self.ids))
        self.records[kind][record_id] = dict(properties)
        return record_id

    def linked(self, kind: str, record: str, to: str) -> set[str]:
        return {t for f, r, k, t in self.links if (f, r, k) == (kind, record, to)} | {
            r for f, r, k, t in self.links if (k, t, f) == (kind, record, to)
        }

    def unauthorized(self, expired: bool) -> Answer:
        if expired:
            return failure(
                401,
                "EXPIRED_AUTHENTICATION",
                "The OAuth token used to make this call expired 7 second(s) ago.",
            )
        return failure(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.")

    def trouble(self, mode: str) -> Answer:
        if mode == "limit":
            answer = failure(
                429, "RATE_LIMITS", "You have reached your ten_secondly_rolling limit."
            )
            answer.body.update(errorType="RATE_LIMIT", policyName="TEN_SECONDLY_ROLLING")
            return answer
        if mode == "expired":
            return self.unauthorized(expired=True)
        return failure(500, "INTERNAL_ERROR", "internal error")

    def route(
        self, method: str, path: str, query: str, raw: bytes, headers: dict[str, str]
    ) -> tuple[int, Any]:
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if method == "POST" and parts[:3] == ["files", "v3", "files"]:
            return 201, self.upload(raw, headers)
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                raise failure(400, "VALIDATION_ERROR", "Invalid input JSON on line 1") from None
        if parts[:3] == ["crm", "v3", "objects"] and len(parts) >= 5 and parts[3] in PROPERTIES:
            kind = parts[3]
            if method == "POST" and parts[4] == "search":
                return 200, self.search(kind, body)
            if method == "POST" and parts[4:] == ["batch", "upsert"]:
                return 200, self.upsert(kind, body)
            if method == "PATCH" and len(parts) == 5:
                return 200, self.patch(kind, parts[4], body)
        if method == "PUT" and parts[:3] == ["crm", "v4", "objects"] and len(parts) == 9:
            _c, _v, _o, kind, record, _a, default, to, target = parts
            if default != "default" or kind not in PROPERTIES or to not in PROPERTIES:
                raise failure(404, "OBJECT_NOT_FOUND", "unknown association path")
            for k, r in ((kind, record), (to, target)):
                if r not in self.records[k]:
                    raise failure(404, "OBJECT_NOT_FOUND", f"{k} {r} does not exist")
            self.links.add((kind, record, to, target))
            return 200, {
                "status": "COMPLETE",
                "results": [{"from": {"id": record}, "to": {"id": target}}],
            }
        raise failure(404, "OBJECT_NOT_FOUND", f"no route {method} {path}")

    def _check(self, kind: str, properties: Any, creating: bool) -> dict[str, str]:
        if not isinstance(properties, dict):
            raise failure(400, "VALIDATION_ERROR", "properties must be an object")
        errors = [f'Property "{p}" does not exist' for p in properties if p not in PROPERTIES[kind]]
        for name, value in properties.items():
            if not isinstance(value, str):
                errors.append(f"{name}: property values are strings, got {type(value).__name__}")
            elif name in ("hs_timestamp", "closedate") and not _TIME.match(value):
                errors.append(f"{value} was not a valid long or ISO 8601 timestamp ({name})")
            elif name == "amount" and not re.fullmatch(r"-?\d+(\.\d+)?", value):
                errors.append(f"{value} was not a valid number (amount)")
            elif name == "dealstage" and value not in STAGES:
                errors.append(f"{value} was not one of the allowed options (dealstage)")
        if creating:
            errors += [f"{p} is required" for p in REQUIRED[kind] if not properties.get(p)]
        if errors:
            raise failure(400, "VALIDATION_ERROR", "Property values were not valid", errors)
        return dict(properties)

    def search(self, kind: str, body: Any) -> dict[str, Any]:
        groups = body.get("filterGroups") if isinstance(body, dict) else None
        if (
            not isinstance(groups, list)
            or len(groups) > 5
            or not isinstance(body.get("limit", 10), int)
        ):
            raise failure(400, "VALIDATION_ERROR", "filterGroups: up to 5 groups")
        found = []
        for record_id, record in self.records[kind].items():
            for group in groups:
                filters = group.get("filters") or []
                if len(filters) > 10 or any(f.get("operator") not in _OPERATORS for f in filters):
                    raise failure(400, "VALIDATION_ERROR", "up to 10 filters with known operators")
                if all(self._matches(kind, record_id, record, f) for f in filters):
                    found.append({"id": record_id, "properties": record, "archived": False})
                    break
        return {"total": len(found), "results": found[: body.get("limit", 10)]}

    def _matches(
        self, kind: str, record_id: str, record: dict[str, str], f: dict[str, Any]
    ) -> bool:
        name, value = str(f.get("propertyName")), str(f.get("value"))
        if name.startswith("associations."):
            to = {"company": "companies", "contact": "contacts", "deal": "deals"}[
                name.split(".")[1]
            ]
            return value in self.linked(kind, record_id, to)
        return record.get(name) == value

    def upsert(self, kind: str, body: Any) -> dict[str, Any]:
        inputs = body.get("inputs") if isinstance(body, dict) else None
        if not isinstance(inputs, list) or not 1 <= len(inputs) <= 100:
            raise failure(400, "VALIDATION_ERROR", "inputs: 1 to 100 objects")
        results = []
        for one in inputs:
            if one.get("idProperty") != KEY:
                raise failure(
                    400,
                    "VALIDATION_ERROR",
                    f"{one.get('idProperty')} is not a unique value property",
                )
            matches = [i for i, r in self.records[kind].items() if r.get(KEY) == one.get("id")]
            properties = self._check(kind, one.get("properties"), creating=not matches)
            record_id = matches[0] if matches else str(next(self.ids))
            self.records[kind].setdefault(record_id, {}).update({**properties, KEY: str(one["id"])})
            results.append(
                {
                    "id": record_id,
                    "properties": self.records[kind][record_id],
                    "new": not matches,
                    "archived": False,
                }
            )
        return {
            "status": "COMPLETE",
            "results": results,
            "startedAt": "2026-12-01T00:00:00Z",
            "completedAt": "2026-12-01T00:00:01Z",
        }

    def patch(self, kind: str, record_id: str, body: Any) -> dict[str, Any]:
        if record_id not in self.records[kind]:
            raise failure(404, "OBJECT_NOT_FOUND", f"resource not found: {record_id}")
        properties = self._check(kind, (body or {}).get("properties"), creating=False)
        self.records[kind][record_id].update(properties)
        return {"id": record_id, "properties": self.records[kind][record_id], "archived": False}

    def upload(self, raw: bytes, headers: dict[str, str]) -> dict[str, Any]:
        kind = headers.get("Content-Type") or headers.get("content-type", "")
        if not kind.startswith("multipart/form-data"):
            raise failure(415, "VALIDATION_ERROR", "multipart/form-data expected")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + kind.encode() + b"\r\n\r\n" + raw
        )
        parts = {p.get_param("name", header="content-disposition"): p for p in message.iter_parts()}
        if "file" not in parts or ("folderPath" not in parts and "folderId" not in parts):
            raise failure(400, "VALIDATION_ERROR", "file and folderPath or folderId are required")
        options = json.loads(parts["options"].get_content()) if "options" in parts else {}
        if options.get("access") not in ("PRIVATE", "PUBLIC_INDEXABLE", "PUBLIC_NOT_INDEXABLE"):
            raise failure(400, "VALIDATION_ERROR", "options.access is required")
        file_id = str(next(self.ids))
        self.files[file_id] = (parts["file"].get_filename() or "", parts["file"].get_content())
        return {"id": file_id, "name": self.files[file_id][0], "access": options["access"]}
