"""A local Salesforce org over HTTP, strict about the REST API's documented shapes.

It answers ``GET /services/data/vXX.X/query`` (the SOQL forms ScribeDesk sends:
``SELECT … FROM T WHERE F = 'v' [AND …] [ORDER BY …] [LIMIT n]``) and
``POST …/composite/graph`` (nodes of ``PATCH sobjects/T/Id`` and upserts ``PATCH
sobjects/T/ExtField/value``, ``@{ref.id}`` references, all or nothing), and refuses what
the real API refuses: an unknown field (INVALID_FIELD), a missing required field
(REQUIRED_FIELD_MISSING), a stage that is not in the picklist, a date that is not
YYYY-MM-DD, a reference to a record that does not exist (INVALID_CROSS_REFERENCE_KEY), an
external id field that is not one (NOT_FOUND), an expired session (401
INVALID_SESSION_ID) and the org's limits (403 REQUEST_LIMIT_EXCEEDED). Errors are the
API's JSON array; a failed graph answers 200 with ``isSuccessful: false`` and the other
nodes PROCESSING_HALTED."""

from __future__ import annotations

import base64
import copy
import itertools
import re
from typing import Any
from urllib.parse import parse_qs, unquote

from tests.fake_http import Answer, FakeServer, json_body

VERSION = "59.0"
KEY = "ScribeDesk_Key__c"
FIELDS = {
    "Account": {"Name", "Website", "Industry", "Description", "Phone", KEY},
    "Contact": {
        "AccountId",
        "FirstName",
        "LastName",
        "Title",
        "Email",
        "Phone",
        "Description",
        KEY,
    },
    "Opportunity": {
        "AccountId",
        "Name",
        "StageName",
        "Amount",
        "CloseDate",
        "NextStep",
        "Description",
        "Competitors__c",
        KEY,
    },
    "Task": {
        "WhatId",
        "WhoId",
        "Subject",
        "ActivityDate",
        "Status",
        "Priority",
        "Description",
        "TaskSubtype",
        KEY,
    },
    "ContentVersion": {"Title", "PathOnClient", "VersionData", "FirstPublishLocationId", KEY},
}
REQUIRED = {
    "Account": ("Name",),
    "Contact": ("LastName",),
    "Opportunity": ("Name", "StageName", "CloseDate"),
    "Task": (),
    "ContentVersion": ("Title", "PathOnClient", "VersionData"),
}
PREFIX = {
    "Account": "001",
    "Contact": "003",
    "Opportunity": "006",
    "Task": "00T",
    "ContentVersion": "068",
}
STAGES = {
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
}
LIMITS = {
    "Name": 120,
    "Subject": 255,
    "NextStep": 255,
    "Title": 128,
    "LastName": 80,
    "FirstName": 40,
}
_QUERY = re.compile(
    r"^SELECT ([\w, ]+) FROM (\w+) WHERE (.+?)(?: ORDER BY \w+)?(?: LIMIT (\d+))?$", re.S
)
_CONDITION = re.compile(r"(\w+) = '((?:[^'\\]|\\.)*)'")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def error(code: str, message: str, fields: list[str] | None = None) -> list[dict[str, Any]]:
    return [{"message": message, "errorCode": code, "fields": fields or []}]


class FakeSalesforce(FakeServer):
    """Start it, point the service at ``url`` with ``TOKEN``; ``records`` is the org."""

    def __init__(self, slow_s: float = 1.0) -> None:
        self.records: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in FIELDS}
        self.ids = itertools.count(1)
        super().__init__(slow_s)

    def add(self, kind: str, **fields: Any) -> str:
        """A record made by people in the CRM (no ScribeDesk key)."""
        record_id = f"{PREFIX[kind]}{next(self.ids):015d}"
        self.records[kind][record_id] = dict(fields)
        return record_id

    def find(self, kind: str, **fields: Any) -> list[dict[str, Any]]:
        return [
            {"Id": i, **r}
            for i, r in self.records[kind].items()
            if all(r.get(k) == v for k, v in fields.items())
        ]

    def unauthorized(self, expired: bool) -> Answer:
        return Answer(401, error("INVALID_SESSION_ID", "Session expired or invalid"))

    def trouble(self, mode: str) -> Answer:
        if mode == "limit":
            return Answer(403, error("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
        if mode == "expired":
            return self.unauthorized(expired=True)
        return Answer(500, error("UNKNOWN_EXCEPTION", "An unexpected error occurred."))

    def route(
        self, method: str, path: str, query: str, raw: bytes, headers: dict[str, str]
    ) -> tuple[int, Any]:
        base = f"/services/data/v{VERSION}/"
        if not path.startswith(base):
            raise Answer(404, error("NOT_FOUND", "The requested resource does not exist"))
        resource = path[len(base) :]
        if method == "GET" and resource == "query":
            return 200, self.query(parse_qs(query).get("q", [""])[0])
        if method == "POST" and resource == "composite/graph":
            if "json" not in headers.get("content-type", headers.get("Content-Type", "")):
                raise Answer(415, error("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be JSON"))
            return 200, self.graph(json_body(raw))
        raise Answer(404, error("NOT_FOUND", "The requested resource does not exist"))

    def query(self, soql: str) -> dict[str, Any]:
        match = _QUERY.match(soql.strip())
        if not match:
            raise Answer(400, error("MALFORMED_QUERY", f"unexpected token in: {soql[:80]}"))
        columns, kind, where, limit = match.groups()
        if kind not in FIELDS:
            raise Answer(400, error("INVALID_TYPE", f"sObject type '{kind}' is not supported."))
        conditions = where.split(" AND ")
        wanted = {}
        for condition in conditions:
            one = _CONDITION.fullmatch(condition.strip())
            if not one:
                raise Answer(400, error("MALFORMED_QUERY", f"unexpected condition: {condition}"))
            wanted[one[1]] = re.sub(r"\\(.)", r"\1", one[2])
        rows = []
        for record_id, record in self.records[kind].items():
            values = {"Id": record_id, **record}
            if kind == "Contact":
                values["Name"] = (
                    f"{record.get('FirstName', '')} {record.get('LastName', '')}".strip()
                )
            if all(values.get(k) == v for k, v in wanted.items()):
                row = {
                    "attributes": {
                        "type": kind,
                        "url": f"/services/data/v{VERSION}/sobjects/{kind}/{record_id}",
                    }
                }
                row.update({c.strip(): values.get(c.strip()) for c in columns.split(",")})
                rows.append(row)
        rows = rows[: int(limit)] if limit else rows
        return {"totalSize": len(rows), "done": True, "records": rows}

    def graph(self, body: Any) -> dict[str, Any]:
        graphs = body.get("graphs") if isinstance(body, dict) else None
        if not isinstance(graphs, list) or not graphs:
            raise Answer(400, error("JSON_PARSER_ERROR", "graphs is required"))
        return {"graphs": [self._one_graph(g) for g in graphs]}

    def _one_graph(self, graph: dict[str, Any]) -> dict[str, Any]:
        nodes = graph.get("compositeRequest")
        if (
            not isinstance(graph.get("graphId"), str)
            or not isinstance(nodes, list)
            or len(nodes) > 500
        ):
            raise Answer(400, error("INVALID_GRAPH", "a graph has a graphId and up to 500 nodes"))
        saved = copy.deepcopy(self.records)
        done: dict[str, str] = {}
        responses = []
        for node in nodes:
            ref = node.get("referenceId", "")
            try:
                if not re.fullmatch(r"[A-Za-z0-9_]+", str(ref)) or ref in done:
                    raise Answer(400, error("INVALID_REFERENCE", f"bad referenceId {ref!r}"))
                status, answer = self._node(node, done)
                responses.append(
                    {
                        "body": answer,
                        "httpHeaders": {},
                        "httpStatusCode": status,
                        "referenceId": ref,
                    }
                )
            except Answer as failed:
                self.records = saved
                halted = error(
                    "PROCESSING_HALTED",
                    "The transaction was rolled back since "
                    "another operation in the same transaction failed.",
                )
                for earlier in responses:
                    earlier.update(body=halted, httpStatusCode=400)
                responses.append(
                    {
                        "body": failed.body,
                        "httpHeaders": {},
                        "httpStatusCode": failed.status,
                        "referenceId": ref,
                    }
                )
                return {
                    "graphId": graph["graphId"],
                    "isSuccessful": False,
                    "graphResponse": {"compositeResponse": responses},
                }
        return {
            "graphId": graph["graphId"],
            "isSuccessful": True,
            "graphResponse": {"compositeResponse": responses},
        }

    def _node(self, node: dict[str, Any], done: dict[str, str]) -> tuple[int, Any]:
        url = str(node.get("url", ""))
        base = f"/services/data/v{VERSION}/sobjects/"
        if node.get("method") != "PATCH" or not url.startswith(base):
            raise Answer(400, error("INVALID_NODE", f"not a node ScribeDesk sends: {url}"))
        parts = [unquote(p) for p in url[len(base) :].split("/")]
        kind = parts[0]
        if kind not in FIELDS:
            raise Answer(404, error("NOT_FOUND", "The requested resource does not exist"))
        fields = self._fields(kind, node.get("body"), done)
        if len(parts) == 2:  # PATCH by Id
            if parts[1] not in self.records[kind]:
                raise Answer(
                    404,
                    error(
                        "NOT_FOUND",
                        "Provided external ID field does not exist or is not accessible",
                    ),
                )
            self.records[kind][parts[1]].update(fields)
            done[node["referenceId"]] = parts[1]
            return 204, None
        if len(parts) != 3 or parts[1] != KEY:
            raise Answer(
                404,
                error(
                    "NOT_FOUND",
                    f"Provided external ID field does not exist or is not accessible: {parts[1:2]}",
                ),
            )
        matches = [i for i, r in self.records[kind].items() if r.get(KEY) == parts[2]]
        if len(matches) > 1:
            raise Answer(300, [f"/services/data/v{VERSION}/sobjects/{kind}/{i}" for i in matches])
        if matches:
            self.records[kind][matches[0]].update(fields)
            done[node["referenceId"]] = matches[0]
            return 200, {"id": matches[0], "success": True, "errors": [], "created": False}
        missing = [f for f in REQUIRED[kind] if not fields.get(f)]
        if missing:
            raise Answer(
                400,
                error("REQUIRED_FIELD_MISSING", f"Required fields are missing: {missing}", missing),
            )
        record_id = f"{PREFIX[kind]}{next(self.ids):015d}"
        self.records[kind][record_id] = {**fields, KEY: parts[2]}
        done[node["referenceId"]] = record_id
        return 201, {"id": record_id, "success": True, "errors": [], "created": True}

    def _fields(self, kind: str, body: Any, done: dict[str, str]) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise Answer(400, error("JSON_PARSER_ERROR", "the node's body must be an object"))
        if "Id" in body:
            raise Answer(
                400,
                error("INVALID_FIELD", "The Id field should not be specified in the sobject data."),
            )
        out = {}
        for name, value in body.items():
            if name not in FIELDS[kind]:
                raise Answer(
                    400,
                    error(
                        "INVALID_FIELD",
                        f"No such column '{name}' on sobject of type {kind}",
                        [name],
                    ),
                )
            if isinstance(value, str):
                value = re.sub(r"@\{(\w+)\.id\}", lambda m: self._ref(m[1], done), value)
            reference = name in ("AccountId", "WhatId", "WhoId", "FirstPublishLocationId")
            if reference and not any(value in records for records in self.records.values()):
                raise Answer(
                    400,
                    error(
                        "INVALID_CROSS_REFERENCE_KEY",
                        f"invalid cross reference id: {value}",
                        [name],
                    ),
                )
            if name in ("CloseDate", "ActivityDate") and not _DAY.match(str(value)):
                raise Answer(
                    400,
                    error(
                        "INVALID_TYPE_ON_FIELD_IN_RECORD",
                        f"{name}: value not of required type: {value}",
                        [name],
                    ),
                )
            if name == "Amount" and not isinstance(value, int | float):
                raise Answer(
                    400,
                    error(
                        "INVALID_TYPE_ON_FIELD_IN_RECORD",
                        f"Amount: value not of required type: {value}",
                        [name],
                    ),
                )
            if name == "StageName" and value not in STAGES:
                raise Answer(
                    400,
                    error(
                        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        f"Stage: bad value for restricted picklist field: {value}",
                        [name],
                    ),
                )
            if (
                isinstance(value, str)
                and name != "VersionData"
                and len(value) > LIMITS.get(name, 32000)
            ):
                raise Answer(400, error("STRING_TOO_LONG", f"{name}: data value too large", [name]))
            if name == "VersionData":
                base64.b64decode(value, validate=True)
            out[name] = value
        return out

    def _ref(self, ref: str, done: dict[str, str]) -> str:
        if ref not in done:
            raise Answer(
                400, error("INVALID_REFERENCE", f"{ref} is not an earlier node of this graph")
            )
        return done[ref]
