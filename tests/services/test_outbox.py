"""The outbox with the real client, the real local store and the real service on loopback.

Offline and back, outages longer than the lease and the sign-in, a restart of the app, a
full disk after a successful send, and one slow attempt beside quick ones.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from scribedesk.client.api import ApiClient
from scribedesk.domain.dictation import Status
from scribedesk.domain.failure import Failure, FailureKind
from scribedesk.domain.job import Job, Receipt
from scribedesk.server.db.models import TranscriptVersion
from scribedesk.services.outbox import MAX_BACKOFF_S, Outbox, Outcome, backoff
from scribedesk.storage.store import OutboxRepository, open_store
from tests.conftest import DEMO
from tests.support import Api, serve_on, wait_closed

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def body(job: Job, narrative: str = "Discounts above 15 % need approval.") -> dict[str, object]:
    return {
        "lease_token": job.lease_token,
        "fields": {"subject": "Discounts"},
        "narrative": narrative,
        "quality": {"heard": [[0, 86_400_000]]},  # the whole dictation was heard
    }


def claimed(live, user: str = "tara") -> tuple[ApiClient, Job]:  # type: ignore[no-untyped-def]
    Api.login(live.url, "alex").upload(DEMO / "memo-pricing.wav", template_id="general-memo")
    client = ApiClient(live.url, timeout=(1.0, 5.0))
    client.login(user, "scribedesk")
    job = client.next_job()
    assert job is not None
    return client, job


def client_never_called(*_args: object) -> Receipt:
    raise AssertionError("this outbox was closed before it could send")


def transcripts(state) -> int:  # type: ignore[no-untyped-def]
    with state.read() as session:
        return int(session.scalar(select(func.count(TranscriptVersion.id))) or 0)


@sqlite_only
def test_submission_waits_while_the_service_is_down_and_arrives_once(
    live, demo_users, settings, tmp_path
):
    """Submit with the service down: pending, retried with backoff; back up: exactly one."""
    client, job = claimed(live)
    port = int(live.url.rsplit(":", 1)[1])
    live.server.should_exit = True  # the service goes down
    wait_closed(port)
    clock = Clock()
    outcomes: list[Outcome] = []
    outbox = Outbox(
        OutboxRepository(open_store(tmp_path / "local.db"), live.url, "tara"),
        client.submit,
        clock=clock,
        on_outcome=outcomes.append,
    )
    outbox.enqueue(job.id, body(job))
    [first] = outbox.run_once()
    assert first.state == "pending" and "Cannot reach the service" in first.message
    assert outbox.run_once() == []  # backing off: not due yet
    [entry] = outbox.waiting()
    assert "Cannot reach the service" in outbox.describe(entry)
    assert "Trying again in" in outbox.describe(entry)
    clock.t += 2
    assert outbox.run_once()[0].state == "pending"
    assert outbox.status_line()[0].startswith("1 submission waiting to be sent: Cannot reach")
    server, thread = serve_on(settings, port)  # back up, same database
    try:
        clock.t += MAX_BACKOFF_S
        [sent] = outbox.run_once()
        assert sent.state == "sent" and sent.receipt and sent.receipt.version == 1
        assert outbox.waiting() == [] and outbox.run_once() == []
        assert transcripts(server.config.app.state.scribedesk) == 1
        assert outbox.status_line() == ("", False)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@sqlite_only
def test_an_outage_longer_than_the_lease_and_the_sign_in_loses_nothing(
    live, demo_users, clock, tmp_path
):
    """13 hours offline: the lease lapsed, the job idled back to the pool, the sign-in
    expired. The entry waits for the user to sign in, then arrives, once."""
    client, job = claimed(live)
    local = Clock()
    outbox = Outbox(
        OutboxRepository(open_store(tmp_path / "local.db"), live.url, "tara"),
        client.submit,
        clock=local,
    )
    outbox.enqueue(job.id, body(job))
    clock.advance(13 * 3600)
    [asked] = outbox.run_once()
    assert (asked.state, asked.message) == ("sign_in", "Your sign-in expired.")
    assert "as soon as you sign in again" in outbox.describe(outbox.waiting()[0])
    assert outbox.status_line() == ("Sign in again to send 1 submission", True)
    local.t += 3600
    assert outbox.run_once() == []  # never re-sent with the refused sign-in
    client.login("tara", "scribedesk")
    outbox.signed_in()
    [sent] = outbox.run_once()
    assert sent.state == "sent", sent.message
    assert transcripts(live.state) == 1
    sam = Api.login(live.url, "sam")
    seen = sam.get(f"/dictations/{job.id}").json()
    assert (seen["status"], seen["assignee"]) == ("submitted", "tara")


@sqlite_only
def test_a_submission_waiting_across_a_restart_of_the_app_arrives(
    live, demo_users, clock, tmp_path
):
    """The app is closed with a submission waiting and opened again after the lease
    lapsed: a new outbox over the same file sends it, with the same key."""
    _client, job = claimed(live)
    port = int(live.url.rsplit(":", 1)[1])
    store = tmp_path / "local.db"
    first = Outbox(OutboxRepository(open_store(store), live.url, "tara"), client_never_called)
    first.enqueue(job.id, body(job))
    first.stop()  # closed before it could send
    clock.advance(10 * 60)
    again = ApiClient(f"http://127.0.0.1:{port}")
    again.login("tara", "scribedesk")
    second = Outbox(OutboxRepository(open_store(store), live.url, "tara"), again.submit)
    [sent] = second.run_once()
    assert sent.state == "sent", sent.message
    assert transcripts(live.state) == 1


@sqlite_only
def test_a_submission_for_a_job_someone_else_took_needs_attention_and_is_kept(
    live, demo_users, clock, tmp_path
):
    """The job went to Theo while Tara's submission waited: the entry says so plainly,
    is never retried nor dropped, and the service kept the text for the supervisor."""
    client, job = claimed(live)
    clock.advance(8 * 3600 + 60)
    sam = Api.login(live.url, "sam")
    deadline = time.monotonic() + 10
    while sam.get(f"/dictations/{job.id}").json()["status"] != "new":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert Api.login(live.url, "theo").post("/jobs/next").json()["id"] == job.id
    client.login("tara", "scribedesk")  # the 12 h sign-in is fine, the clock moved 8 h
    outbox = Outbox(
        OutboxRepository(open_store(tmp_path / "l.db"), live.url, "tara"), client.submit
    )
    outbox.enqueue(job.id, body(job))
    [outcome] = outbox.run_once()
    assert outcome.state == "conflict"
    assert "theo took it from the pool" in outcome.message
    [entry] = outbox.attention()
    assert outbox.describe(entry).startswith("Needs attention: Your lease on job")
    assert outbox.status_line() == ("1 submission needs attention (Ctrl+Shift+O)", True)
    assert outbox.run_once() == []
    assert [c["user"] for c in sam.get("/dictations/conflicts").json()] == ["tara"]
    outbox.dismiss(entry.id)
    assert outbox.attention() == []


def test_content_the_service_refuses_is_not_retried(tmp_path):
    """An answer retrying cannot change ends the attempts and keeps the message."""
    clock = Clock()

    def sender(job_id, body, key):  # type: ignore[no-untyped-def]
        raise Failure("Template 'x' has no field(s) y.", FailureKind.REFUSED, status=422)

    outbox = Outbox(OutboxRepository(open_store(tmp_path / "l.db"), "s", "u"), sender, clock)
    outbox.enqueue(4, {"narrative": "x"})
    [outcome] = outbox.run_once()
    assert (outcome.state, outcome.message) == ("rejected", "Template 'x' has no field(s) y.")
    clock.t += 1000
    assert outbox.run_once() == [] and outbox.waiting() == []
    outbox.enqueue(4, {"narrative": "fixed"})  # submitted again: the refusal counts as read
    assert outbox.attention() == []


def test_backoff_is_capped_at_thirty_seconds():
    """1, 2, 4, 8, 16 seconds with jitter, then never more than 30 s."""
    rng = random.Random(1)
    waits = [backoff(n, rng) for n in range(1, 40)]
    assert 0.8 <= waits[0] <= 1.2 and 1.6 <= waits[1] <= 2.4
    assert max(waits) <= MAX_BACKOFF_S and min(waits[6:]) >= 24


def test_one_slow_attempt_holds_no_other_back(tmp_path):
    """A submission whose attempt hangs does not keep the others from being sent."""
    release = threading.Event()
    sent: list[int] = []

    def sender(job_id, body, key):  # type: ignore[no-untyped-def]
        if job_id == 1:
            release.wait(20)
        sent.append(job_id)
        return Receipt(job_id, Status.SUBMITTED, 1, datetime.now(UTC))

    outbox = Outbox(OutboxRepository(open_store(tmp_path / "l.db"), "s", "u"), sender)
    for job_id in (1, 2, 3):
        outbox.enqueue(job_id, {"narrative": f"job {job_id}"})
    outbox.start(interval_s=0.05)
    try:
        deadline = time.monotonic() + 10
        while sorted(sent) != [2, 3] or [e.job_id for e in outbox.waiting()] != [1]:
            assert time.monotonic() < deadline, f"only {sent} were sent"
            time.sleep(0.01)
        release.set()
        while len(sent) < 3:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert sorted(sent) == [1, 2, 3]  # the hanging one was never sent twice meanwhile
    finally:
        release.set()
        outbox.stop()


@sqlite_only
def test_the_service_coming_back_is_noticed_at_once(live, demo_users, settings, tmp_path):
    """After an outage long enough to back off, the health probe finds the service back and
    the submission goes before its scheduled next attempt."""
    client, job = claimed(live)
    port = int(live.url.rsplit(":", 1)[1])
    live.server.should_exit = True
    wait_closed(port)
    store = OutboxRepository(open_store(tmp_path / "local.db"), live.url, "tara")
    outcomes: list[Outcome] = []
    outbox = Outbox(store, client.submit, on_outcome=outcomes.append, probe=client.health)
    outbox.enqueue(job.id, body(job))
    for _ in range(5):  # five failures: the next attempt is 16 s away
        [entry] = store.by_state("pending")
        store.make_due(time.time())
        outbox.run_once()
    [entry] = store.by_state("pending")
    assert entry.next_attempt_at - time.time() > 8
    outbox.start(interval_s=0.1, probe_every_s=0.1)
    server, thread = serve_on(settings, port)
    try:
        deadline = time.monotonic() + 30
        while not any(o.state == "sent" for o in outcomes):
            assert time.monotonic() < deadline, outcomes[-1:]
            time.sleep(0.02)
        assert time.time() < entry.next_attempt_at  # sent well before the backoff was up
        assert transcripts(server.config.app.state.scribedesk) == 1
    finally:
        outbox.stop()
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real 4 MB file system (tmpfs), which a test can fill; skipped where mounting is
    not allowed (the suite mounts as root, as CI runs)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte; the filler file, to delete to make room."""
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


@sqlite_only
def test_a_full_disk_after_a_successful_send_neither_loops_nor_hides_the_success(
    live, demo_users, small_disk
):
    """The send succeeds but "sent" cannot be written: the user is told it arrived, it is
    not sent again, and the record is written once there is room."""
    client, job = claimed(live)
    calls: list[str] = []

    def sender(job_id, body, key):  # type: ignore[no-untyped-def]
        calls.append(key)
        return client.submit(job_id, body, key)

    store = OutboxRepository(open_store(small_disk / "local.db"), live.url, "tara")
    outbox = Outbox(store, sender)
    outbox.enqueue(job.id, body(job, "A long narrative. " * 2000))
    filler = fill(small_disk)
    [outcome] = outbox.run_once()
    assert outcome.state == "sent"
    assert "could not record that" in outcome.message and "disk is full" in outcome.message
    for _ in range(5):
        assert outbox.run_once() == []
    assert len(calls) == 1 and outbox.waiting() == []
    assert outbox.status_line() == ("", False)
    filler.unlink()
    outbox.run_once()
    assert [e.state for e in store.by_state("sent")] == ["sent"]
    assert transcripts(live.state) == 1
    shutil.rmtree(small_disk, ignore_errors=True)
