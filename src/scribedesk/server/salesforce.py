"""The Salesforce destination: the REST API (plain HTTP with the admin's access token).

One delivery is a few SOQL queries (is the account there, once? are its contacts and the
opportunity there already?) and then one composite graph: every write an upsert by the
``ScribeDesk_Key__c`` external id (or a PATCH of the record found), all or nothing. A
retry after a lost answer upserts the same keys again and creates nothing; a corrected
version after review updates the same records. The org needs the external id field
``ScribeDesk_Key__c`` on Account, Contact, Opportunity, Task and ContentVersion and the
mapping's custom fields (``Competitors__c`` by default): docs/crm.md.

simple-salesforce was weighed: it hard-codes https, has no composite-graph helper and
turns every answer into an exception we would translate back into a status; the REST
shapes are few and documented, so plain ``requests`` it is.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

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

KEY = "ScribeDesk_Key__c"
#: The fields a mapping may fill, per role (the standard fields and our custom ones).
FIELDS = {
    "account": frozenset({"Name", "Website", "Industry", "Description", "Phone"}),
    "contact": frozenset({"FirstName", "LastName", "Title", "Email", "Phone", "Description"}),
    "opportunity": frozenset(
        {"Name", "StageName", "Amount", "CloseDate", "NextStep", "Description", "Competitors__c"}
    ),
    "task": frozenset({"Subject", "ActivityDate", "Status", "Priority", "Description"}),
    "note": frozenset({"Subject", "Description", "ActivityDate", "Status", "TaskSubtype"}),
}
_DATES = frozenset({"CloseDate", "ActivityDate"})
_LIMITS = {"Name": 120, "Subject": 255, "NextStep": 255, "Title": 128}


def explain(status: int, data: Any) -> tuple[str, bool]:
    """Salesforce errors are an array of {message, errorCode, fields}."""
    errors = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    codes = [str(e.get("errorCode", "")) for e in errors if isinstance(e, dict)]
    text = "; ".join(
        f"{e.get('errorCode', '')}: {e.get('message', '')}" for e in errors if isinstance(e, dict)
    )
    if status == 401 or "INVALID_SESSION_ID" in codes:
        text = f"the session expired or the token is not valid; update it in the settings ({text})"
    return text or "no error text", "REQUEST_LIMIT_EXCEEDED" in codes


class SalesforceDestination(MappedDestination):
    """Delivers mapped templates to one Salesforce org."""

    name = "salesforce"

    def __init__(
        self,
        instance_url: str,
        token: str,
        mappings: Mapping[str, CrmMapping],
        api_version: str = "59.0",
        timeout_s: float = 30.0,
    ) -> None:
        super().__init__(mappings)
        self.client = CrmClient("Salesforce", instance_url, token, explain, timeout_s)
        self.base = f"/services/data/v{api_version}"

    def send(
        self, message_id: str, body: dict[str, Any], known: Mapping[str, Any], document: bytes
    ) -> Outcome:
        """One attempt; never raises for what the network or Salesforce did."""
        data, records = self.planned(body)
        try:
            account = self._account(records, known)
            if isinstance(account, Outcome):
                return account
            graph, refs = self._graph(records, account, data, document)
            _status, answer = self.client.call(
                "POST", f"{self.base}/composite/graph", json={"graphs": [graph]}
            )
        except Stopped as stop:
            return stop.outcome
        return _outcome(answer, refs, account)

    def _query(self, soql: str) -> list[dict[str, Any]]:
        _status, data = self.client.call("GET", f"{self.base}/query", params={"q": soql})
        if not isinstance(data, dict) or not isinstance(data.get("records"), list):
            raise Stopped(Outcome(False, 200, "Salesforce answered a query without records.", True))
        return list(data["records"])

    def _account(self, records: Plan, known: Mapping[str, Any]) -> str | Outcome | None:
        """The account's Id; None: create it; an Outcome: a person must choose."""
        if known.get("account_id"):
            return str(known["account_id"])
        found = self._query(
            f"SELECT Id, Name FROM Account WHERE Name = {_soql(records.account_name)}"
        )
        named = [(str(r["Id"]), str(r.get("Name", ""))) for r in found]
        return matched_account("Salesforce", ("account", "accounts"), records, known, named)

    def _graph(
        self, records: Plan, account: str | None, data: Mapping[str, Any], document: bytes
    ) -> tuple[dict[str, Any], dict[str, tuple[str, str | None]]]:
        nodes: list[dict[str, Any]] = []
        refs: dict[str, tuple[str, str | None]] = {}  # referenceId -> (what, Id if found)

        def put(
            ref: str, kind: str, obj: str, found: str | None, ext: str, fields: dict[str, Any]
        ) -> str:
            url = f"{self.base}/sobjects/{obj}/" + (found or f"{KEY}/{quote(ext, safe='')}")
            nodes.append({"method": "PATCH", "url": url, "referenceId": ref, "body": fields})
            refs[ref] = (kind, found)
            return found or f"@{{{ref}.id}}"

        account_key = key("account", records.account_name)
        account_ref = account or put(
            "account", "account_id", "Account", None, account_key, _values(records.account)
        )
        contacts = []
        for i, (name, fields) in enumerate(records.contacts):
            found = None if account is None else self._one("Contact", account, "Name", name)
            ext = key(account or account_key, "contact", name)
            fields = {**_values(fields), "AccountId": account_ref}
            contacts.append(put(f"contact{i}", "contact_ids", "Contact", found, ext, fields))
        what = account_ref
        if records.opportunity is not None:
            name = str(records.opportunity.get("Name", ""))
            found = None if account is None else self._one("Opportunity", account, "Name", name)
            ext = key(account or account_key, "opportunity", name)
            fields = {**_values(records.opportunity), "AccountId": account_ref}
            what = put("opportunity", "opportunity_id", "Opportunity", found, ext, fields)
        job = data["dictation_id"]
        who = {"WhoId": contacts[0]} if contacts else {}
        for i, fields in enumerate(records.tasks):
            put(
                f"task{i}",
                "task_ids",
                "Task",
                None,
                key("sd", job, "task", i),
                {**_values(fields), "WhatId": what, **who},
            )
        if records.note is not None:
            put(
                "note",
                "note_id",
                "Task",
                None,
                key("sd", job, "report"),
                {**_values(records.note), "WhatId": what, **who},
            )
        if records.attach_document and document:
            name = f"ScribeDesk job {job} v{data['version']}.docx"
            put(
                "document",
                "document_id",
                "ContentVersion",
                None,
                key("sd", job, "document", data["version"]),
                {
                    "Title": name[:-5],
                    "PathOnClient": name,
                    "FirstPublishLocationId": what,
                    "VersionData": base64.b64encode(document).decode(),
                },
            )
        return {"graphId": "1", "compositeRequest": nodes}, refs

    def _one(self, obj: str, account: str, field: str, value: str) -> str | None:
        """The Id of this account's record whose field has this value (the first of several)."""
        found = self._query(
            f"SELECT Id FROM {obj} WHERE AccountId = {_soql(account)} AND {field} = {_soql(value)}"
            " ORDER BY CreatedDate LIMIT 2"
        )
        return str(found[0]["Id"]) if found else None


def _outcome(
    answer: Any, refs: Mapping[str, tuple[str, str | None]], account: str | None
) -> Outcome:
    graphs = answer.get("graphs") if isinstance(answer, dict) else None
    if not isinstance(graphs, list) or not graphs or not isinstance(graphs[0], dict):
        return Outcome(False, 200, "Salesforce answered the graph without its result.", retry=True)
    graph = graphs[0]
    responses = (graph.get("graphResponse") or {}).get("compositeResponse") or []
    if not graph.get("isSuccessful"):
        errors = [
            e
            for r in responses
            for e in (r.get("body") if isinstance(r.get("body"), list) else [])
            if isinstance(e, dict) and e.get("errorCode") != "PROCESSING_HALTED"
        ]
        text = "; ".join(f"{e.get('errorCode')}: {e.get('message')}" for e in errors)
        held = any(e.get("errorCode") == "DUPLICATES_DETECTED" for e in errors)
        return Outcome(False, 200, f"Salesforce refused the records: {text}", held=held)
    ids: dict[str, Any] = {"account_id": account} if account else {}
    for response in responses:
        kind, found = refs.get(str(response.get("referenceId")), ("", None))
        body = response.get("body")
        record = found or (body.get("id") if isinstance(body, dict) else None)
        if kind and record:
            if kind.endswith("_ids"):
                ids.setdefault(kind, []).append(record)
            else:
                ids[kind] = record
    ids["record_id"] = ids.get("opportunity_id") or ids.get("account_id", "")
    return Outcome(True, 200, answer=ids)


def _values(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Template values as Salesforce takes them: dates as days, lists as multi-picklists."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, list):
            value = ";".join(str(v) for v in value)
        elif name in _DATES:
            value = iso_day(value)
        if isinstance(value, str) and name in _LIMITS:
            value = value[: _LIMITS[name]]
        out[name] = value
    return out


def _soql(value: str) -> str:
    """A quoted SOQL string literal (backslash and quote escaped)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
