"""The outbox against the real service: offline, the service down, back up: one transcript."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from scribedesk.app import submit_sender
from scribedesk.client.api import ApiClient
from scribedesk.server.db.models import TranscriptVersion
from scribedesk.services.outbox import Outbox, SubmitError, backoff
from scribedesk.storage.store import OutboxRepository, open_store
from tests.conftest import DEMO
from tests.support import Api, serve_on, wait_closed


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_submission_waits_while_the_service_is_down_and_arrives_once(
    live, demo_users, settings, tmp_path
):
    """Submit with the service down: pending, retried with backoff; back up: exactly one."""
    Api.login(live.url, "alex").upload(DEMO / "memo-pricing.wav", template_id="general-memo")
    client = ApiClient(live.url, timeout=(1.0, 5.0))
    client.login("tara", "scribedesk")
    job = client.next_job()
    assert job is not None
    port = int(live.url.rsplit(":", 1)[1])
    live.server.should_exit = True  # the service goes down
    wait_closed(port)
    clock = Clock()
    outcomes = []
    outbox = Outbox(
        OutboxRepository(open_store(tmp_path / "local.db"), live.url, "tara"),
        submit_sender(client),
        clock=clock,
        on_outcome=outcomes.append,
    )
    body = {
        "lease_token": job["lease_token"],
        "fields": {"subject": "Discounts"},
        "narrative": "Every discount above fifteen percent needs approval.",
        "quality": {"heard": [[0, 86_400_000]]},  # the whole dictation was heard
    }
    outbox.enqueue(job["id"], body)
    [first] = outbox.run_once()
    assert first.state == "pending" and "Cannot reach the service" in first.message
    assert outbox.run_once() == []  # backing off: not due yet
    clock.t += 2
    assert outbox.run_once()[0].state == "pending"
    assert len(outbox.pending()) == 1
    server, thread = serve_on(settings, port)  # back up, same database
    try:
        clock.t += 10
        [sent] = outbox.run_once()
        assert sent.state == "sent" and sent.response and sent.response["version"] == 1
        assert outbox.pending() == [] and outbox.run_once() == []
        state = server.config.app.state.scribedesk  # type: ignore[attr-defined]
        with state.read() as session:
            assert session.scalar(select(func.count(TranscriptVersion.id))) == 1
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_lost_lease_is_rejected_not_retried(tmp_path):
    """An answer retrying cannot change ends the attempts and keeps the message."""
    clock = Clock()

    def sender(job_id, body, key):  # type: ignore[no-untyped-def]
        raise SubmitError("Job 4 is no longer yours.", retryable=False)

    outbox = Outbox(OutboxRepository(open_store(tmp_path / "l.db"), "s", "u"), sender, clock)
    outbox.enqueue(4, {"narrative": "x"})
    [outcome] = outbox.run_once()
    assert (outcome.state, outcome.message) == ("rejected", "Job 4 is no longer yours.")
    clock.t += 1000
    assert outbox.run_once() == [] and outbox.pending() == []


def test_backoff_doubles_to_five_minutes():
    """1, 2, 4 … seconds with jitter, never above 300 s plus jitter."""
    rng = random.Random(1)
    waits = [backoff(n, rng) for n in range(1, 12)]
    assert 0.8 <= waits[0] <= 1.2 and 1.6 <= waits[1] <= 2.4
    assert all(w <= 360 for w in waits) and waits[-1] >= 240
