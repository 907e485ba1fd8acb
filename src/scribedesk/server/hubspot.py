"""The HubSpot destination: CRM v3 objects and v4 associations, plain HTTP with the
admin's private-app token.

The company is found by name (search); its contacts and the deal too (search with the
company's association). What is not there is written with ``batch/upsert`` by the unique
property ``scribedesk_key`` (the portal needs it on companies, contacts, deals, tasks and
notes: docs/crm.md), so a retry after a lost answer writes nothing twice and a corrected
version after review updates the same records. Associations are PUT to the default
association, which is idempotent. The Word document is uploaded to the Files API and
attached to the note (``hs_attachment_ids``); the file id is kept with the delivery, so a
later attempt does not upload it again.

hubspot-api-client was weighed: a generated client of several hundred modules whose
models we would wrap to send what these few documented requests are; plain ``requests``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from scribedesk.domain.crm_mapping import CrmMapping, Plan
from scribedesk.server.crm_http import (
    CrmClient,
    MappedDestination,
    Stopped,
    iso_day,
    key,
    matched_account,
)
from scribedesk.server.delivery import Outcome

KEY = "scribedesk_key"
FIELDS = {
    "account": frozenset({"name", "domain", "industry", "description", "phone"}),
    "contact": frozenset({"firstname", "lastname", "jobtitle", "email", "phone"}),
    "opportunity": frozenset(
        {"dealname", "dealstage", "pipeline", "amount", "closedate", "description", "competitors"}
    ),
    "task": frozenset(
        {
            "hs_task_subject",
            "hs_task_body",
            "hs_timestamp",
            "hs_task_status",
            "hs_task_priority",
            "hs_task_type",
        }
    ),
    "note": frozenset({"hs_note_body", "hs_timestamp"}),
}
_TIMES = frozenset({"hs_timestamp", "closedate"})
_TYPES = {
    "account": "companies",
    "contact": "contacts",
    "opportunity": "deals",
    "task": "tasks",
    "note": "notes",
}


def explain(status: int, data: Any) -> tuple[str, bool]:
    """HubSpot errors are {status, message, category, errors[]}; a 429 names its policy."""
    if not isinstance(data, dict):
        return "no error text", False
    message = str(data.get("message") or "")
    details = [str(e.get("message")) for e in data.get("errors") or [] if isinstance(e, dict)]
    category = str(data.get("category") or data.get("errorType") or "")
    text = f"{category}: {message}" + (f" ({'; '.join(details)})" if details else "")
    if status == 401:
        text = f"the token expired or is not valid; update it in the settings ({text})"
    return text, False


class HubSpotDestination(MappedDestination):
    """Delivers mapped templates to one HubSpot portal."""

    name = "hubspot"

    def __init__(
        self, base_url: str, token: str, mappings: Mapping[str, CrmMapping], timeout_s: float = 30.0
    ) -> None:
        super().__init__(mappings)
        self.client = CrmClient("HubSpot", base_url, token, explain, timeout_s)

    def send(
        self, message_id: str, body: dict[str, Any], known: Mapping[str, Any], document: bytes
    ) -> Outcome:
        """One attempt; never raises for what the network or HubSpot did."""
        data, records = self.planned(body)
        ids: dict[str, Any] = {k: v for k, v in known.items() if k == "file_id"}
        try:
            company = self._company(records, known)
            if isinstance(company, Outcome):
                return company
            ids["account_id"] = company
            self._write(records, company, data, document, ids)
        except Stopped as stop:
            if ids.get("file_id") and not stop.outcome.held:
                answer = {**(stop.outcome.answer or {}), "file_id": ids["file_id"]}
                o = stop.outcome
                return Outcome(False, o.status, o.detail, o.retry, o.retry_after_s, answer)
            return stop.outcome
        ids["record_id"] = ids.get("opportunity_id") or company
        return Outcome(True, 200, answer=ids)

    def _search(self, kind: str, filters: dict[str, str]) -> list[dict[str, Any]]:
        body = {
            "filterGroups": [
                {
                    "filters": [
                        {"propertyName": k, "operator": "EQ", "value": v}
                        for k, v in filters.items()
                    ]
                }
            ],
            "properties": ["name", "dealname", "firstname", "lastname"],
            "limit": 5,
        }
        _status, data = self.client.call("POST", f"/crm/v3/objects/{kind}/search", json=body)
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise Stopped(Outcome(False, 200, "HubSpot answered a search without results.", True))
        return list(data["results"])

    def _company(self, records: Plan, known: Mapping[str, Any]) -> str | Outcome:
        if known.get("account_id"):
            return str(known["account_id"])
        found = self._search("companies", {"name": records.account_name})
        named = [(str(r["id"]), str((r.get("properties") or {}).get("name", ""))) for r in found]
        company = matched_account("HubSpot", ("company", "companies"), records, known, named)
        if company is None:  # none, and it may be created
            keyed = [(key("account", records.account_name), records.account)]
            return self._upsert("account", keyed)[0]
        return company

    def _write(
        self,
        records: Plan,
        company: str,
        data: Mapping[str, Any],
        document: bytes,
        ids: dict[str, Any],
    ) -> None:
        job = data["dictation_id"]
        contacts = []
        for name, fields in records.contacts:
            first, last = fields.get("firstname", ""), fields.get("lastname", name)
            found = self._search(
                "contacts",
                {"firstname": first, "lastname": last, "associations.company": company},
            )
            if found:
                contacts.append(self._patch("contacts", str(found[0]["id"]), fields))
            else:
                contacts += self._upsert("contact", [(key(company, "contact", name), fields)])
            self._associate("contacts", contacts[-1], "companies", company)
        ids["contact_ids"] = contacts
        deal = None
        if records.opportunity is not None:
            name = str(records.opportunity.get("dealname", ""))
            found = self._search("deals", {"dealname": name, "associations.company": company})
            if found:
                deal = self._patch("deals", str(found[0]["id"]), records.opportunity)
            else:
                deal = self._upsert(
                    "opportunity", [(key(company, "deal", name), records.opportunity)]
                )[0]
            ids["opportunity_id"] = deal
            self._associate("deals", deal, "companies", company)
            for contact in contacts:
                self._associate("deals", deal, "contacts", contact)
        targets = [("companies", company)] + ([("deals", deal)] if deal else [])
        targets += [("contacts", c) for c in contacts[:1]]
        if records.tasks:
            keyed = [(key("sd", job, "task", i), t) for i, t in enumerate(records.tasks)]
            ids["task_ids"] = self._upsert("task", keyed)
            for task in ids["task_ids"]:
                for kind, target in targets:
                    self._associate("tasks", task, kind, target)
        if records.note is not None:
            note = dict(records.note)
            if records.attach_document and document:
                ids["file_id"] = ids.get("file_id") or self._upload(job, data["version"], document)
                note["hs_attachment_ids"] = ids["file_id"]
            ids["note_id"] = self._upsert("note", [(key("sd", job, "report"), note)])[0]
            for kind, target in targets:
                self._associate("notes", ids["note_id"], kind, target)

    def _upsert(self, role: str, keyed: Sequence[tuple[str, Mapping[str, Any]]]) -> list[str]:
        """Batch upsert by ``scribedesk_key``; the ids in the order given."""
        inputs = [
            {"idProperty": KEY, "id": k, "properties": {**_values(p), KEY: k}} for k, p in keyed
        ]
        path = f"/crm/v3/objects/{_TYPES[role]}/batch/upsert"
        status, data = self.client.call("POST", path, json={"inputs": inputs})
        results = data.get("results") if isinstance(data, dict) else None
        if status == 207 or not isinstance(results, list):
            _text, _retry = explain(status, data)
            errors = "; ".join(str(e.get("message")) for e in (data or {}).get("errors") or [])
            raise Stopped(Outcome(False, status, f"HubSpot refused the {role}: {errors or _text}"))
        by_key = {str((r.get("properties") or {}).get(KEY)): str(r["id"]) for r in results}
        missing = [k for k, _p in keyed if k not in by_key]
        if missing:
            raise Stopped(Outcome(False, status, f"HubSpot did not return {missing[0]}.", True))
        return [by_key[k] for k, _p in keyed]

    def _patch(self, kind: str, record: str, fields: Mapping[str, Any]) -> str:
        self.client.call(
            "PATCH", f"/crm/v3/objects/{kind}/{record}", json={"properties": _values(fields)}
        )
        return record

    def _associate(self, kind: str, record: str, to: str, target: str) -> None:
        self.client.call(
            "PUT", f"/crm/v4/objects/{kind}/{record}/associations/default/{to}/{target}"
        )

    def _upload(self, job: int, version: int, document: bytes) -> str:
        name = f"ScribeDesk job {job} v{version}.docx"
        files = {
            "file": (
                name,
                document,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            "folderPath": (None, "/ScribeDesk"),
            "options": (None, json.dumps({"access": "PRIVATE", "overwrite": False})),
        }
        _status, data = self.client.call("POST", "/files/v3/files", files=files)
        if not isinstance(data, dict) or not data.get("id"):
            raise Stopped(Outcome(False, 200, "HubSpot did not say which file it stored.", True))
        return str(data["id"])


def _values(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Values as HubSpot takes them: strings; days as midnight UTC; lists with ';'."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, list):
            value = ";".join(str(v) for v in value)
        elif name in _TIMES:
            day = datetime.fromisoformat(iso_day(value)).replace(tzinfo=UTC)
            value = day.strftime("%Y-%m-%dT%H:%M:%SZ")
        out[name] = str(value)
    return out
