"""Exports and reports over real HTTP: delivered records as CSV and JSON, the anonymous
survey report (Word through LibreOffice, and CSV), and the proposal draft compiled in
outline order with its missing sections, again after a section changes."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from tests.server.finished import finish
from tests.server.test_documents import pdf_text
from tests.support import Api

SURVEYS = [
    (
        8,
        "The mobile app works offline in the vans.",
        "The invoice export broke twice.",
        "Yes, for the offline mode.",
        "Make the reports quicker.",
    ),
    (
        6,
        "The shared calendar.",
        "Search is slow with a thousand contacts.",
        "To a small company.",
        "Faster search.",
    ),
    (
        3,
        "Nothing works as promised.",
        "Reminders go out at the wrong time.",
        "Would not recommend.",
        "Fix the reminders and the search.",
    ),
]
SECTION_TEXT = (
    "All data is encrypted at rest and in transit. Access is logged and reviewed every "
    "month, and the service is tested by an outside firm twice a year. {extra}"
)


def survey(live, rating, works, fails, recommend, change):  # type: ignore[no-untyped-def]
    fields = {
        "overall_rating": rating,
        "q_what_works": works,
        "q_what_fails": fails,
        "q_recommend": recommend,
        "q_change_one_thing": change,
    }
    return finish(live, "customer-satisfaction-survey", "Bluebird Bakeries", fields, "")


def section(live, section_id, title, owner, extra=""):  # type: ignore[no-untyped-def]
    due = (live.state.clock().date() + timedelta(days=5)).isoformat()
    fields = {
        "proposal": "Transit CRM RFP",
        "account": "State Transit Authority",
        "section_id": section_id,
        "section_title": title,
        "content_owner": {"name": owner},
        "due_to_proposal_team": due,
    }
    text = SECTION_TEXT.format(extra=extra) + " Section " + section_id + " ends here."
    return finish(live, "proposal-section", "State Transit Authority", fields, text)


def test_the_survey_report_counts_groups_and_names_no_one(live, demo_users, tmp_path):
    alex = Api.login(live.url, "alex")
    empty = alex.get("/reports/survey")
    assert empty.status_code == 409 and "nothing to report" in empty.json()["detail"]
    for answers in SURVEYS:
        survey(live, *answers)
    answer = alex.get("/reports/survey", params={"format": "csv"})
    assert answer.status_code == 200, answer.text
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    ratings = {r["rating"]: int(r["count"]) for r in rows if r["question_id"] == "overall_rating"}
    assert ratings == {str(v): (1 if v in (3, 6, 8) else 0) for v in range(1, 11)}
    change = [r for r in rows if r["question_id"] == "q_change_one_thing"]
    assert {r["answer"] for r in change if r["group"] == "search"} == {
        "Faster search.",
        "Fix the reminders and the search.",
    }  # grouped by the word they share
    assert "Bluebird" not in answer.text and "tara" not in answer.text  # anonymous
    docx = tmp_path / "survey.docx"
    docx.write_bytes(alex.get("/reports/survey").content)
    text = pdf_text(docx, tmp_path)
    assert "3 responses received between" in text and "anonymous" in text
    assert "Overall satisfaction (1-10)" in text and "mean 5.67" in text
    assert "“search” (2 answers)" in text and "Make the reports quicker." in text
    assert "Bluebird" not in text and "alex" not in text
    narrow = alex.get("/reports/survey", params={"since": "2020-01-01", "until": "2020-01-31"})
    assert narrow.status_code == 409 and "2020-01-01 and 2020-01-31" in narrow.json()["detail"]


def test_delivered_records_export_as_csv_and_json(live, demo_users):
    for answers in SURVEYS[:2]:
        survey(live, *answers)
    sam = Api.login(live.url, "sam")
    as_json = sam.get(
        "/exports/records", params={"template_id": "customer-satisfaction-survey", "format": "json"}
    )
    assert as_json.status_code == 200, as_json.text
    records = json.loads(as_json.content)["records"]
    assert [r["fields"]["overall_rating"] for r in records] == [8, 6]
    assert "account" not in records[0] and "author" not in records[0]  # anonymous template
    section(live, "4.2", "Data security", "Maria Lopez")
    as_csv = sam.get("/exports/records", params={"template_id": "proposal-section"})
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0]["account"] == "State Transit Authority"
    assert rows[0]["content_owner"] == "Maria Lopez" and rows[0]["transcriptionist"] == "tara"
    assert rows[0]["narrative"].startswith("All data is encrypted")
    nothing = sam.get(
        "/exports/records",
        params={"template_id": "proposal-section", "until": "2020-01-01", "since": "2019-12-01"},
    )
    assert nothing.status_code == 200 and nothing.content.decode("utf-8-sig").count("\n") == 1
    backwards = sam.get(
        "/exports/records",
        params={"template_id": "proposal-section", "since": "2026-02-01", "until": "2026-01-01"},
    )
    assert backwards.status_code == 422 and "starts" in backwards.json()["detail"]
    assert (
        Api.login(live.url, "tara")
        .get("/exports/records", params={"template_id": "proposal-section"})
        .status_code
        == 403
    )


def test_a_proposal_compiles_in_outline_order_with_its_missing_sections(live, demo_users, tmp_path):
    alex = Api.login(live.url, "alex")
    nothing = alex.get("/proposals/draft.docx", params={"proposal": "Transit CRM RFP"})
    assert nothing.status_code == 409 and "nothing to compile" in nothing.json()["detail"]
    bad = alex.put(
        "/proposals/outline",
        json={"proposal": "Transit CRM RFP", "sections": [{"id": "4.2"}, {"id": "4.2"}]},
    )
    assert bad.status_code == 422 and "section 4.2 is listed twice" in bad.json()["detail"]
    outline = [
        {"id": "1", "title": "Executive summary"},
        {"id": "4.2", "title": "Data security"},
        {"id": "4.10", "title": "Audit"},
        {"id": "6.1", "title": "Training"},
    ]
    saved = alex.put(
        "/proposals/outline",
        json={
            "proposal": "Transit CRM RFP",
            "account": "State Transit Authority",
            "sections": outline,
        },
    )
    assert saved.status_code == 200 and saved.json()["missing"] == ["1", "4.2", "4.10", "6.1"]
    section(live, "6.1", "Training and onboarding", "Kevin Osei")
    section(live, "4.2", "Data security", "Maria Lopez")
    section(live, "9", "Sustainability", "Ana Ruiz")  # not in the outline: kept after it
    [listed] = alex.get("/proposals").json()
    assert listed["dictated"] == ["4.2", "6.1", "9"] and listed["missing"] == ["1", "4.10"]
    draft = tmp_path / "draft.docx"
    draft.write_bytes(
        alex.get("/proposals/draft.docx", params={"proposal": "Transit CRM RFP"}).content
    )
    text = pdf_text(draft, tmp_path)
    assert text.index("Missing sections (2)") < text.index("4.2 Data security")
    # the headings in outline order (4.10 after 4.2), after the list of what is missing
    assert text.index("4.2 Data security") < text.rindex("4.10 Audit") < text.index("6.1 Training")
    assert "Owner: Maria Lopez" in text and "Owner: Kevin Osei" in text
    assert "Sections outside the outline" in text and "9 Sustainability" in text
    # Maria dictates 4.2 again: the next compile has her new text, not the old one.
    section(live, "4.2", "Data security", "Maria Lopez", extra="Keys rotate every ninety days.")
    draft.write_bytes(
        alex.get("/proposals/draft.docx", params={"proposal": "Transit CRM RFP"}).content
    )
    again = pdf_text(draft, tmp_path)
    assert (
        again.count("Keys rotate every ninety days.") == 1
        and again.count("Owner: Maria Lopez") == 1
    )
