"""Finished transcripts of any template, made through the real service: a dictation in
the store, claimed and submitted by tara."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from scribedesk.domain.dictation import Priority
from tests.conftest import DEMO, LiveServer
from tests.support import Api


def dictation(
    live: LiveServer, template_id: str, account: str, audio: str = "acme-renewal.mp3"
) -> int:
    """A dictation straight into the service's store, from alex."""
    from scribedesk.server import dictations
    from scribedesk.server.db.models import User
    from scribedesk.server.dictations import Intake

    state = live.state
    with (DEMO / audio).open("rb") as f:
        info = state.store.add(f, audio)
    with state.write() as session:
        author = session.scalar(select(User).where(User.username == "alex"))
        intake = Intake(account=account, template_id=template_id, priority=Priority.STAT)
        job = dictations.create(
            session,
            author,
            intake,
            state.templates[template_id],
            info,
            audio,
            state.settings.turnaround,
            state.clock(),
        )
        return job.id


def finish(
    live: LiveServer, template_id: str, account: str, fields: dict[str, Any], narrative: str
) -> int:
    """A dictation of the template, submitted by tara with these fields and narrative."""
    job_id = dictation(live, template_id, account)
    tara = Api.login(live.url, "tara")
    claimed = tara.post("/jobs/next").json()
    assert claimed["id"] == job_id, claimed
    answer = tara.post(
        f"/jobs/{job_id}/submit",
        json={
            "lease_token": claimed["lease_token"],
            "fields": fields,
            "narrative": narrative,
            "quality": {"heard": [[0, 86_400_000]]},
        },
        headers={"Idempotency-Key": f"finish-{job_id}"},
    )
    assert answer.status_code == 200, answer.text
    return job_id
