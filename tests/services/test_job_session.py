"""A job session: lease, snapshots only when something changed, submission to the outbox."""

from __future__ import annotations

from typing import Any

import pytest

from scribedesk.client.api import ApiError
from scribedesk.domain.dictation import Status
from scribedesk.domain.failure import FailureKind
from scribedesk.domain.job import Job
from scribedesk.domain.transcript import Draft
from scribedesk.services.job_session import JobSession
from tests.fakes import make_job


class FakeApi:
    def __init__(self) -> None:
        self.lost = False
        self.calls: list[str] = []

    def take_lease(self, job_id: int) -> Job:
        self.calls.append("lease")
        return make_job(job_id, lease_token="b" * 32)

    def start(self, job_id: int, lease_token: str) -> Job:
        self.calls.append(f"start {lease_token[:1]}")
        return make_job(job_id, status=Status.IN_PROGRESS)

    def heartbeat(self, job_id: int, lease_token: str) -> Job:
        if self.lost:
            raise ApiError("Job 5 is no longer yours.", FailureKind.LEASE_LOST, status=409)
        return make_job(job_id)


class Sink:
    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.queued: list[tuple[int, dict[str, Any]]] = []

    def submit(self, draft: Draft) -> None:
        self.drafts.append(draft)

    def enqueue(self, job_id: int, body: Any) -> str:
        self.queued.append((job_id, dict(body)))
        return "key-1"


def session(clock: list[float], draft: Draft | None = None) -> tuple[JobSession, Sink]:
    sink = Sink()
    made = JobSession(make_job(5), draft or Draft(job_id=5), sink, sink, clock=lambda: clock[0])
    return made, sink


def test_opening_takes_a_lease_and_starts_the_job():
    """No lease yet: one is taken, then the job is marked in progress with it."""
    api = FakeApi()
    made, _ = session([0.0])
    made.open(api)
    assert api.calls == ["lease", "start b"] and made.lease_token == "b" * 32


def test_snapshots_only_after_changes_and_time_adds_up():
    """Nothing changed: no write. A change: one snapshot with the time spent so far."""
    clock = [100.0]
    made, sink = session(clock, Draft(job_id=5, time_spent_s=60))
    assert not made.snapshot_due()
    clock[0] = 130.0
    made.edited(narrative="Dana called.", cursor=12)
    assert made.snapshot_due() and not made.snapshot_due()
    [saved] = sink.drafts
    assert (saved.narrative, saved.cursor, saved.time_spent_s) == ("Dana called.", 12, 90)
    made.edited(narrative="Dana called back.")
    made.snapshot_due()
    assert sink.drafts[0].narrative == "Dana called."  # snapshots are copies


def test_lost_lease_is_reported_and_network_trouble_is_not():
    """A 409 on heartbeat marks the lease lost with the service's words; no network raises."""
    api = FakeApi()
    made, _ = session([0.0])
    made.lease_token = "a" * 32
    assert made.heartbeat(api)
    api.lost = True
    assert not made.heartbeat(api) and made.lease_lost == "Job 5 is no longer yours."

    class Offline(FakeApi):
        def heartbeat(self, job_id: int, lease_token: str) -> Job:
            raise ApiError("Cannot reach the service.", FailureKind.NETWORK)

    fresh, _ = session([0.0])
    with pytest.raises(ApiError):
        fresh.heartbeat(Offline())
    assert fresh.lease_lost == ""


def test_submit_saves_the_draft_and_queues_the_transcript():
    """Submit writes the latest snapshot and queues fields, narrative and markers."""
    made, sink = session([0.0])
    made.lease_token = "c" * 32
    made.edited(fields={"subject": "Discounts"}, narrative="Approval needed [00:00:05] soon")
    assert made.submit({"findings": []}) == "key-1"
    [(job_id, body)] = sink.queued
    assert job_id == 5 and body["lease_token"] == "c" * 32
    assert body["markers"] == [{"kind": "timestamp", "at_ms": 5000}]
    assert sink.drafts[-1].narrative.startswith("Approval needed")
