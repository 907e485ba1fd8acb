"""Every fault between the workstation and the service, one at a time, through a real proxy.

The outbox with the real client and store sends through tests/faultproxy.py to the real
service; the first attempt meets the fault, later ones go through. Whatever the fault,
the transcript is stored exactly once (the heavy mix is bench_reliability.py's).
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from scribedesk.client.api import ApiClient
from scribedesk.server.db.models import TranscriptVersion
from scribedesk.services.outbox import Outbox
from scribedesk.storage.store import OutboxRepository, open_store
from tests.conftest import DEMO
from tests.faultproxy import FAULTS, FaultProxy
from tests.support import Api


@pytest.fixture
def proxy(live):  # type: ignore[no-untyped-def]
    made = FaultProxy(int(live.url.rsplit(":", 1)[1]), delay_s=1.5)
    yield made
    made.stop()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("fault", [*FAULTS, "refused"])
def test_a_submission_survives_the_fault_and_is_stored_once(
    live, demo_users, proxy, tmp_path, fault
):
    """The first attempt meets ``fault``; the submission waits, then arrives once."""
    Api.login(live.url, "alex").upload(DEMO / "memo-pricing.wav", template_id="general-memo")
    client = ApiClient(proxy.url, timeout=(1.0, 1.0))
    client.login("tara", "scribedesk")
    job = client.next_job()
    assert job is not None
    outbox = Outbox(
        OutboxRepository(open_store(tmp_path / "local.db"), proxy.url, "tara"), client.submit
    )
    outbox.enqueue(
        job.id,
        {
            "lease_token": job.lease_token,
            "fields": {"subject": "Discounts"},
            "narrative": "Every discount above fifteen percent needs approval.",
            "quality": {"heard": [[0, 86_400_000]]},
        },
    )
    if fault == "refused":
        proxy.outage(True)
    else:
        proxy.set_faults({fault: 1.0})
    [first] = outbox.run_once()
    assert first.state == "pending", first
    proxy.outage(False)
    proxy.set_faults({})
    deadline = time.monotonic() + 20
    while outbox.waiting():
        outbox.retry_now()
        assert time.monotonic() < deadline
        outbox.run_once()
    assert outbox.waiting() == [] and outbox.attention() == []
    proxy.wait_idle()  # a request held back by delay_before reaches the service late
    with live.state.read() as session:
        versions = session.scalars(select(TranscriptVersion.kind)).all()
        assert versions == ["submit"]
        assert session.scalar(select(func.count(TranscriptVersion.id))) == 1
