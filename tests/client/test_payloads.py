"""The service's answers, recorded from the real service (tests/data/ws_data/record.py),
become domain types; missing and null fields take defaults, garbage a clear Failure."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scribedesk.client.payloads import (
    parse_directory,
    parse_job,
    parse_jobs,
    parse_pool,
    parse_templates,
)
from scribedesk.domain.dictation import Priority, Status
from scribedesk.domain.failure import Failure, FailureKind
from scribedesk.domain.job import NEVER, Directory, Job, PoolCounts, job_from_record

DATA = Path(__file__).resolve().parents[1] / "data" / "ws_data"


def recorded(name: str):  # type: ignore[no-untyped-def]
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_a_claimed_job_has_every_field_the_workstation_uses():
    """POST /jobs/next as the service answers it."""
    job = parse_job(recorded("job_next.json"))
    assert (job.id, job.status, job.priority) == (1, Status.ASSIGNED, Priority.STAT)
    assert (job.account, job.author, job.template_id) == (
        "Acme Logistics",
        "alex",
        "sales-call-report",
    )
    assert job.audio.duration_ms == 37_347 and job.audio.working_size == 1_647_028
    assert len(job.audio.working_sha256) == 64 and job.audio.sample_rate == 22_050
    assert job.lease_token and len(job.lease_token) == 32
    assert job.due_at.tzinfo is UTC and job.due_at > job.received_at
    assert not job.idle and not job.sending


def test_the_worklist_and_its_saved_copy_are_the_same_jobs():
    """GET /jobs; a job written to the local store reads back equal."""
    jobs = parse_jobs(recorded("jobs.json"))
    assert [j.id for j in jobs] == [1] and jobs[0].assignee == "theo"
    assert [job_from_record(j.to_record()) for j in jobs] == jobs


def test_null_and_missing_optional_fields_take_their_defaults():
    """A job with every optional field null, or left out, is still a job."""
    for name in ("job_null.json", "job_missing.json"):
        job = parse_job(recorded(name))
        assert (job.account, job.title, job.author) == ("", "", "")
        assert job.due_at == NEVER and job.lease_token is None and job.assignee is None
        assert job.audio.sample_rate == 0
        assert job_from_record(job.to_record()) == job


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        ({"status": "assigned"}, "'id' is missing"),
        ({"id": "7"}, "'7' is not a whole number"),
        ({"status": "lost"}, "'lost' is not a valid Status"),
        ({"audio": None}, "'audio' must be an object"),
        ({"due_at": "next week"}, "Invalid isoformat"),
    ],
)
def test_a_damaged_job_is_a_server_failure_that_says_what(broken, said):
    """Garbage in a job never reaches a widget: it is a Failure naming the problem."""
    job = {**recorded("job_next.json"), **broken}
    if "status" in broken and "id" not in broken and broken["status"] == "assigned":
        del job["id"]
    with pytest.raises(Failure) as failed:
        parse_job(job)
    assert failed.value.kind is FailureKind.SERVER and failed.value.retryable
    assert said in failed.value.message and "cannot read" in failed.value.message


def test_pool_counts_and_their_missing_priorities():
    """GET /jobs/waiting; null or missing counts are 0, a negative one is garbage."""
    assert parse_pool(recorded("jobs_waiting.json")) == PoolCounts(stat=2, urgent=4, routine=5)
    assert parse_pool(recorded("jobs_waiting_null.json")) == PoolCounts(stat=1)
    with pytest.raises(Failure, match="stat is -1"):
        parse_pool({"stat": -1})
    with pytest.raises(Failure):
        parse_pool(["stat", 1])


def test_the_directory_keeps_only_names():
    """GET /directory; a null list is empty, entries that are not text are left out."""
    directory = parse_directory(recorded("directory.json"))
    assert "Acme Logistics" in directory.accounts and directory.people == ()
    assert parse_directory(recorded("directory_null.json")) == Directory(
        accounts=(), people=("Dana Whitfield",)
    )


def test_templates_parse_and_a_broken_one_is_reported_not_fatal():
    """GET /templates: every shipped template parses; a broken one is named and skipped."""
    raw = recorded("templates.json")
    warnings: list[str] = []
    templates = parse_templates(raw, warnings.append)
    assert set(templates) == {t["id"] for t in raw} and warnings == []
    broken = [*raw, {"id": "broken", "name": "Broken", "fields": "none"}]
    assert set(parse_templates(broken, warnings.append)) == set(templates)
    assert "template 'broken'" in warnings[0] and "'fields'" in warnings[0]


def test_a_job_is_frozen_and_marking_it_sending_makes_a_copy():
    """Jobs do not change under a widget's feet."""
    job = parse_job(recorded("job_next.json"))
    sending = job.waiting_to_send()
    assert sending.sending and not job.sending and isinstance(sending, Job)
    assert sending.due_at == job.due_at < datetime.max.replace(tzinfo=UTC)


def test_a_receipt_is_the_version_the_service_stored():
    """POST /jobs/{id}/submit's answer; a receipt without a version is garbage."""
    from scribedesk.client.payloads import parse_receipt

    answer = {
        "dictation_id": 4,
        "status": "submitted",
        "version": 2,
        "submitted_at": "2026-12-01T10:53:15.610332+00:00",
    }
    receipt = parse_receipt(answer)
    assert (receipt.job_id, receipt.status, receipt.version) == (4, Status.SUBMITTED, 2)
    assert receipt.to_record() == answer
    with pytest.raises(Failure, match="'version' is missing"):
        parse_receipt({k: v for k, v in answer.items() if k != "version"})
