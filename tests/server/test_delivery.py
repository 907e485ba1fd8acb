"""Delivery to a signed webhook over real HTTP (SQLite and PostgreSQL): final transcripts
reach the receiver once, verified with the Standard Webhooks library; retries keep the
message id; a permanent refusal waits for a replay; a sampled transcript goes only once
its review is done, as the corrected version; a send cut off mid-way is taken up again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from scribedesk.domain.dictation import Priority
from scribedesk.domain.sampling import SamplingPolicy
from scribedesk.server.db.models import Delivery
from tests.conftest import LiveServer, running_live_server
from tests.server.test_dispatch import body, make_jobs
from tests.server.test_reviews import claim, completion
from tests.support import Api
from tests.webhook_receiver import SECRET, Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver(slow_s=1.0)
    yield running
    running.close()


@pytest.fixture
def delivering(settings, clock, demo_users, receiver) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """The service delivering to the receiver (webhook attempts time out after 0.5 s)."""
    with running_live_server(
        settings.with_overrides(
            webhook_url=receiver.url,
            webhook_secret=SECRET,
            webhook_timeout_s=0.5,
            delivery_interval_s=0.05,
        ),
        clock,
    ) as running:
        yield running


def submit(
    live: LiveServer, narrative: str = "Discount above fifteen percent needs approval."
) -> int:
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    lease = tara.post("/jobs/next").json()["lease_token"]
    answer = tara.post(
        f"/jobs/{job_id}/submit",
        json=body(lease, narrative=narrative),
        headers={"Idempotency-Key": f"deliver-{job_id}"},
    )
    assert answer.status_code == 200, answer.text
    return job_id


def deliveries(live: LiveServer, job_id: int) -> list[dict[str, Any]]:
    answer = Api.login(live.url, "sam").get(f"/dictations/{job_id}/deliveries")
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def wait_state(live: LiveServer, job_id: int, state: str) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        rows = deliveries(live, job_id)
        if rows and rows[-1]["state"] == state:
            return rows[-1]
        time.sleep(0.05)
    raise AssertionError(f"delivery of {job_id} never became {state}: {deliveries(live, job_id)}")


def test_a_final_transcript_is_delivered_once_signed_and_verifiable(delivering, receiver):
    job_id = submit(delivering)
    row = wait_state(delivering, job_id, "delivered")
    assert row["attempts"] == 1 and row["answer"] == {"id": f"rec-{job_id}"}
    record = receiver.records[job_id]
    assert record["narrative"].startswith("Discount above") and record["reviewed"] is False
    assert record["transcriptionist"] == "tara" and receiver.refused == []
    # The author sees where it went.
    alex = Api.login(delivering.url, "alex")
    assert alex.get(f"/dictations/{job_id}/deliveries").json()[0]["state"] == "delivered"


def test_retries_keep_the_message_id_and_honour_retry_after(delivering, receiver, clock):
    receiver.script = ["500", "429"]
    job_id = submit(delivering)
    first = wait_state(delivering, job_id, "pending")
    assert "500" in first["last_error"]
    clock.advance(6)  # past the first backoff (5 s)
    import time

    deadline = time.monotonic() + 10
    while receiver.requests < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    second = wait_state(delivering, job_id, "pending")
    assert second["last_status"] == 429  # Retry-After 60 s beats the 30 s backoff
    clock.advance(31)
    assert deliveries(delivering, job_id)[0]["state"] == "pending"  # not yet: 60 s asked
    clock.advance(30)
    done = wait_state(delivering, job_id, "delivered")
    assert done["attempts"] == 3 and list(receiver.records) == [job_id]


def test_an_answer_that_comes_too_late_is_retried_and_not_recorded_twice(
    delivering, receiver, clock
):
    receiver.script = ["slow"]  # keeps the record, answers after the 0.5 s timeout
    job_id = submit(delivering)
    wait_state(delivering, job_id, "pending")
    clock.advance(6)
    done = wait_state(delivering, job_id, "delivered")
    assert done["attempts"] == 2 and receiver.requests == 2
    assert len(receiver.seen) == 1 and list(receiver.records) == [job_id]


def test_a_permanent_refusal_waits_for_a_replay(delivering, receiver):
    receiver.script = ["400"]
    job_id = submit(delivering)
    failed = wait_state(delivering, job_id, "failed")
    assert failed["last_status"] == 400 and "400" in failed["last_error"]
    sam = Api.login(delivering.url, "sam")
    assert [d["id"] for d in sam.get("/deliveries", params={"state": "failed"}).json()] == [
        failed["id"]
    ]
    assert sam.post(f"/deliveries/{failed['id']}/replay").status_code == 200
    wait_state(delivering, job_id, "delivered")
    again = sam.post(f"/deliveries/{failed['id']}/replay")
    assert again.status_code == 409


def test_a_sampled_transcript_goes_once_its_review_is_done(settings, clock, demo_users, receiver):
    with running_live_server(
        settings.with_overrides(
            sampling=SamplingPolicy(),
            webhook_url=receiver.url,
            webhook_secret=SECRET,
            delivery_interval_s=0.05,
        ),
        clock,
    ) as running:
        job_id = submit(
            running, "From Monday any discount above fifteen percent needs approval from Dana."
        )
        assert deliveries(running, job_id) == []  # in review: not final
        sam, review = claim(running)
        done = sam.post(f"/reviews/{review['id']}/complete", json=completion(review))
        assert done.status_code == 200, done.text
        row = wait_state(running, job_id, "delivered")
        assert row["version"] == review["version"] + 1
        assert receiver.records[job_id]["reviewed"] is True
        assert receiver.records[job_id]["narrative"].endswith("Donna.")


def test_a_send_cut_off_by_a_restart_is_taken_up_again_without_a_duplicate(
    delivering, receiver, clock
):
    """A delivery left "sending" by a service that stopped mid-send is sent again once its
    lease lapses, with the same message id, so the receiver keeps one record."""
    job_id = submit(delivering)
    wait_state(delivering, job_id, "delivered")
    with delivering.state.write() as session:  # as if the answer had been lost mid-send
        session.execute(
            update(Delivery)
            .where(Delivery.dictation_id == job_id)
            .values(state="sending", next_attempt_at=clock() + timedelta(seconds=60))
        )
    assert deliveries(delivering, job_id)[0]["state"] == "sending"
    clock.advance(61)  # the sender's lease lapsed
    done = wait_state(delivering, job_id, "delivered")
    assert done["attempts"] == 2 and receiver.requests == 2 and len(receiver.records) == 1
    with delivering.state.read() as session:
        assert len(session.scalars(select(Delivery)).all()) == 1
