"""CRM mappings: the shipped ones load against the shipped templates, a bad one is refused
with the file and the field named, and a call report becomes the records people expect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scribedesk.domain.crm_mapping import Dictated, MappingError, load_mapping, plan
from scribedesk.domain.templates import load_template_dir
from scribedesk.server.crm_mappings import CRM_FIELDS, load_mappings
from scribedesk.server.paths import resources_dir

TEMPLATES = load_template_dir(resources_dir() / "templates")
SHIPPED = resources_dir() / "crm" / "salesforce" / "sales-call-report.json"


def broken(tmp_path: Path, change: dict) -> Path:  # type: ignore[type-arg]
    data = json.loads(SHIPPED.read_text())
    for dotted, value in change.items():
        *path, last = dotted.split(".")
        target = data
        for part in path:
            target = target[part]
        target[last] = value
    folder = tmp_path / "salesforce"
    folder.mkdir(exist_ok=True)
    out = folder / "sales-call-report.json"
    out.write_text(json.dumps(data))
    return out


def test_the_shipped_mappings_load():
    mappings = load_mappings(resources_dir() / "crm", TEMPLATES)
    assert set(mappings) == {("salesforce", "sales-call-report"), ("hubspot", "sales-call-report")}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"opportunity.fields.Amount": "deal_size"},
            "opportunity.fields.Amount: 'deal_size' is not a field",
        ),
        (
            {"opportunity.fields.Budget__c": "amount"},
            "'Budget__c' is not a field this CRM object has",
        ),
        ({"contact.for_each": "people"}, "contact: for_each names no field of sales-call-report"),
        ({"task.fields.Subject": "@name"}, "task.fields.Subject: '@name' is not a property here"),
        (
            {"opportunity.fields.StageName.values": {"Won": "Closed Won"}},
            "'Won' is not one of stage's choices",
        ),
        ({"template": "call-report"}, "'template' names no known template"),
        ({"colour": "blue"}, "unknown key 'colour'"),
    ],
)
def test_a_bad_mapping_names_the_file_and_the_field(tmp_path, change, message):
    path = broken(tmp_path, change)
    with pytest.raises(MappingError) as raised:
        load_mapping(path, TEMPLATES, CRM_FIELDS["salesforce"])
    assert str(raised.value).startswith("salesforce/sales-call-report.json: ")
    assert message in str(raised.value)


def test_the_service_refuses_to_start_on_a_bad_mapping(tmp_path):
    broken(tmp_path, {"note.fields.Description": "@story"})
    with pytest.raises(MappingError, match=r"note\.fields\.Description: '@story'"):
        load_mappings(tmp_path, TEMPLATES)


def test_a_call_report_becomes_contacts_an_opportunity_a_task_per_step_and_the_report():
    mapping = load_mapping(SHIPPED, TEMPLATES, CRM_FIELDS["salesforce"])
    dictated = Dictated(
        job_id=7,
        title="Acme renewal",
        author="alex",
        transcriptionist="tara",
        dictated_at="2026-11-30",
        audio_url="http://127.0.0.1/a",
        fields={
            "account": "Acme Logistics",
            "meeting_date": "2026-11-28",
            "contacts": [{"name": "Dana Whitfield", "role": "Decision maker"}, {"name": "Cher"}],
            "opportunity": "Renewal",
            "stage": "Needs analysis",
            "competitors": ["HubSpot", "Zoho"],
            "next_steps": "Call Dana by Friday. Send the quote\nbook the demo",
        },
        narrative="The renewal is at risk.",
    )
    records = plan(mapping, dictated)
    assert records.account_name == "Acme Logistics" and not records.create_account
    assert records.contacts == [
        (
            "Dana Whitfield",
            {"FirstName": "Dana", "LastName": "Whitfield", "Title": "Decision maker"},
        ),
        ("Cher", {"LastName": "Cher"}),
    ]
    assert records.opportunity is not None
    assert records.opportunity["StageName"] == "Needs Analysis"
    assert records.opportunity["CloseDate"] == "2026-11-28"  # no follow-up date: the meeting's
    assert records.opportunity["Competitors__c"] == ["HubSpot", "Zoho"]
    assert [t["Subject"] for t in records.tasks] == [
        "Call Dana by Friday",
        "Send the quote",
        "Book the demo",
    ]
    assert (
        records.note is not None and "Dictated by alex on 2026-11-30" in records.note["Description"]
    )
