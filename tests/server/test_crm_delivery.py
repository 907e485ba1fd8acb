"""Delivery to Salesforce and HubSpot over real HTTP, against local servers that check each
request against the APIs' documented shapes (tests/fake_salesforce.py, fake_hubspot.py):
a call report becomes the account's contacts, opportunity, tasks and the report with its
Word document, once; an account named twice waits for a person; a corrected version
updates the same records; the CRMs' errors reach the administrator in their words."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import LiveServer, running_live_server
from tests.fake_http import TOKEN
from tests.fake_hubspot import FakeHubSpot
from tests.fake_salesforce import FakeSalesforce
from tests.server.finished import finish
from tests.server.test_reviews import claim
from tests.support import Api

NARRATIVE = (
    "Dana said the route planning module has been slow since the last update and her "
    "dispatchers are going back to spreadsheets. Raj mentioned a twenty percent discount."
)


def fields(live: LiveServer, account: str = "Acme Logistics", **changes: Any) -> dict[str, Any]:
    today = live.state.clock().date()
    return {
        "account": account,
        "contacts": [
            {"name": "Dana Whitfield", "role": "Decision maker"},
            {"name": "Raj Menon", "role": "Procurement"},
        ],
        "meeting_date": (today - timedelta(days=2)).isoformat(),
        "opportunity": "Three-year renewal",
        "stage": "Negotiation",
        "amount": 120000,
        "competitors": ["HubSpot"],
        "next_steps": "Product team call with Dana by Friday; revised quote to Raj.",
        "follow_up_date": (today + timedelta(days=20)).isoformat(),
        **changes,
    }


def submit(live: LiveServer, account: str = "Acme Logistics", **changes: Any) -> int:
    return finish(live, "sales-call-report", account, fields(live, account, **changes), NARRATIVE)


def wait_state(
    live: LiveServer,
    job_id: int,
    state: str,
    to: str = "salesforce",
    version: int | None = None,
    error: str = "",
) -> dict[str, Any]:
    """The newest delivery of the job to ``to`` once it is in ``state`` (with ``error``)."""
    sam = Api.login(live.url, "sam")
    deadline = time.monotonic() + 20
    rows: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        rows = sam.get(f"/dictations/{job_id}/deliveries").json()
        rows = [
            r
            for r in rows
            if r["destination"] == to and (version is None or r["version"] == version)
        ]
        if rows and rows[-1]["state"] == state and error in rows[-1]["last_error"]:
            return rows[-1]
        time.sleep(0.05)
    raise AssertionError(f"delivery of {job_id} never became {state}: {rows}")


@pytest.fixture
def salesforce() -> Iterator[FakeSalesforce]:
    org = FakeSalesforce(slow_s=1.0)
    yield org
    org.close()


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    portal = FakeHubSpot(slow_s=1.0)
    yield portal
    portal.close()


@pytest.fixture
def delivering(settings, clock, demo_users, salesforce, hubspot) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    with running_live_server(
        settings.with_overrides(
            salesforce_url=salesforce.url,
            salesforce_token=TOKEN,
            hubspot_url=hubspot.url,
            hubspot_token=TOKEN,
            crm_timeout_s=0.5,
            delivery_interval_s=0.05,
        ),
        clock,
    ) as running:
        yield running


def test_a_call_report_lands_in_salesforce_as_records_once(delivering, salesforce):
    account = salesforce.add("Account", Name="Acme Logistics")
    dana = salesforce.add("Contact", AccountId=account, FirstName="Dana", LastName="Whitfield")
    job_id = submit(delivering)
    row = wait_state(delivering, job_id, "delivered")
    assert row["answer"]["account_id"] == account and row["attempts"] == 1
    contacts = salesforce.find("Contact", AccountId=account)
    assert {(c["LastName"], c["Title"]) for c in contacts} == {
        ("Whitfield", "Decision maker"),
        ("Menon", "Procurement"),
    }  # Dana matched by name and account (not duplicated), Raj added
    assert dana in row["answer"]["contact_ids"]
    [opportunity] = salesforce.find("Opportunity", AccountId=account)
    assert opportunity["StageName"] == "Negotiation/Review" and opportunity["Amount"] == 120000
    assert (
        opportunity["Competitors__c"] == "HubSpot"
        and row["answer"]["record_id"] == opportunity["Id"]
    )
    tasks = salesforce.find("Task", WhatId=opportunity["Id"])
    steps = sorted(t["Subject"] for t in tasks if t.get("Status") == "Not Started")
    assert steps == ["Product team call with Dana by Friday", "Revised quote to Raj"]
    [report] = [t for t in tasks if t.get("TaskSubtype") == "Call"]
    assert (
        NARRATIVE in report["Description"]
        and f"/dictations/{job_id}/audio" in report["Description"]
    )
    [document] = salesforce.find("ContentVersion", FirstPublishLocationId=opportunity["Id"])
    assert document["PathOnClient"].endswith(".docx") and len(document["VersionData"]) > 1000


def test_an_unknown_account_waits_for_a_person_then_goes_to_the_one_picked(delivering, salesforce):
    first = salesforce.add("Account", Name="Globex Corporation")
    salesforce.add("Account", Name="Globex Corporation")
    job_id = submit(delivering, "Globex Corporation")
    held = wait_state(delivering, job_id, "held")
    assert "2 Salesforce accounts are named 'Globex Corporation'" in held["last_error"]
    assert held["answer"]["candidates"][0]["id"] == first
    assert salesforce.find("Opportunity") == []  # nothing written while it waits
    ada = Api.login(delivering.url, "ada")
    picked = ada.post(f"/deliveries/{held['id']}/account", json={"account_id": first})
    assert picked.status_code == 200, picked.text
    wait_state(delivering, job_id, "delivered")
    assert salesforce.find("Opportunity")[0]["AccountId"] == first
    # Not in the CRM at all, and the mapping may not create it: a person decides to.
    other = submit(delivering, "Hooli")
    none = wait_state(delivering, other, "held")
    assert "No Salesforce account is named 'Hooli'" in none["last_error"]
    ada.post(f"/deliveries/{none['id']}/account", json={"create": True})
    done = wait_state(delivering, other, "delivered")
    assert salesforce.find("Account", Name="Hooli")[0]["Id"] == done["answer"]["account_id"]


def test_retries_after_lost_answers_and_limits_write_nothing_twice(delivering, salesforce, clock):
    salesforce.add("Account", Name="Acme Logistics")
    # Four queries (the account, two contacts, the opportunity), then the graph: its
    # records are written but the answer comes too late; then the org limit; then a proxy.
    salesforce.script = ["ok", "ok", "ok", "ok", "slow", "limit", "html"]
    job_id = submit(delivering)
    wait_state(delivering, job_id, "pending", error="did not answer in time")
    assert len(salesforce.find("Opportunity")) == 1  # written; only the answer was lost
    for expected in ("REQUEST_LIMIT_EXCEEDED", "text/html"):
        clock.advance(600)
        wait_state(delivering, job_id, "pending", error=expected)
    clock.advance(3600)
    wait_state(delivering, job_id, "delivered")
    assert len(salesforce.find("Opportunity")) == 1 and len(salesforce.find("Contact")) == 2
    assert len(salesforce.find("Task")) == 3 and len(salesforce.find("ContentVersion")) == 1


def test_an_expired_session_and_a_validation_error_stop_with_the_crms_message(
    delivering, salesforce
):
    salesforce.add("Account", Name="Acme Logistics")
    salesforce.script = ["expired"]
    job_id = submit(delivering)
    failed = wait_state(delivering, job_id, "failed")
    assert failed["last_status"] == 401 and "INVALID_SESSION_ID" in failed["last_error"]
    assert "update it in the settings" in failed["last_error"]
    sam = Api.login(delivering.url, "sam")
    assert sam.post(f"/deliveries/{failed['id']}/replay").status_code == 200
    wait_state(delivering, job_id, "delivered")
    # A stage the org's picklist lacks is refused, with the CRM's words for the admin.
    delivering.state.destinations["salesforce"].mappings["sales-call-report"].objects[
        "opportunity"
    ].fields["StageName"] = "=Signed"  # type: ignore[index]
    other = submit(delivering)
    refused = wait_state(delivering, other, "failed")
    assert "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" in refused["last_error"]
    assert "Signed" in refused["last_error"]
    dead = sam.get("/deliveries", params={"state": ["failed", "dead"]}).json()
    assert refused["id"] in [d["id"] for d in dead]


def test_a_corrected_version_updates_the_same_records(delivering, salesforce, hubspot):
    salesforce.add("Account", Name="Acme Logistics")
    hubspot.add("companies", name="Acme Logistics")
    job_id = submit(delivering)
    wait_state(delivering, job_id, "delivered")
    sam = Api.login(delivering.url, "sam")
    assert sam.post(f"/dictations/{job_id}/review", json={"reason": "check"}).status_code == 201
    _sam, review = claim(delivering)
    corrected = fields(delivering, amount=135000, stage="Closed won")
    done = sam.post(
        f"/reviews/{review['id']}/complete",
        json={
            "lease_token": review["lease_token"],
            "fields": corrected,
            "narrative": NARRATIVE,
            "errors": [],
        },
    )
    assert done.status_code == 200, done.text
    version = review["version"] + 1
    for destination in ("salesforce", "hubspot"):
        wait_state(delivering, job_id, "delivered", destination, version)
    [opportunity] = salesforce.find("Opportunity")
    assert opportunity["Amount"] == 135000 and opportunity["StageName"] == "Closed Won"
    assert len(salesforce.find("Task")) == 3 and len(salesforce.find("Contact")) == 2
    [deal] = hubspot.records["deals"].values()
    assert deal["amount"] == "135000" and deal["dealstage"] == "closedwon"
    assert len(hubspot.records["notes"]) == 1 and len(hubspot.records["tasks"]) == 2


def test_a_call_report_lands_in_hubspot_associated_and_with_its_document(delivering, hubspot):
    company = hubspot.add("companies", name="Acme Logistics")
    raj = hubspot.add("contacts", firstname="Raj", lastname="Menon")
    hubspot.links.add(("contacts", raj, "companies", company))
    hubspot.script = ["ok", "ok", "limit"]  # the ten-second limit on the third request
    job_id = submit(delivering)
    row = wait_state(delivering, job_id, "delivered", "hubspot")
    deals = hubspot.records["deals"]
    [(deal_id, deal)] = deals.items()
    assert deal["dealstage"] == "contractsent" and deal["closedate"].endswith("T00:00:00Z")
    assert company in hubspot.linked("deals", deal_id, "companies")
    contacts = hubspot.records["contacts"]
    assert len(contacts) == 2 and contacts[raj]["jobtitle"] == "Procurement"
    assert hubspot.linked("deals", deal_id, "contacts") == set(contacts)
    [(note_id, note)] = hubspot.records["notes"].items()
    assert NARRATIVE in note["hs_note_body"] and deal_id in hubspot.linked(
        "notes", note_id, "deals"
    )
    [(file_id, (name, data))] = hubspot.files.items()
    assert note["hs_attachment_ids"] == file_id and name.endswith(".docx") and data[:2] == b"PK"
    assert len(hubspot.records["tasks"]) == 2 and row["answer"]["record_id"] == deal_id
    assert row["attempts"] == 2 and "RATE_LIMITS" not in row["last_error"]  # retried


def test_hubspot_garbage_and_an_unknown_company_are_clear(delivering, hubspot, clock):
    hubspot.script = ["garbage"]
    job_id = submit(delivering, "Initech")
    wait_state(delivering, job_id, "pending", "hubspot", error="text/plain, not its API's JSON")
    clock.advance(6)
    held = wait_state(delivering, job_id, "held", "hubspot")
    assert "No HubSpot company is named 'Initech'" in held["last_error"]
    assert hubspot.records["deals"] == {}
