"""Deciding a submission by the lease it was written under (see dispatch for the model).

A submission is fenced by its lease grant, not by whether that lease is still live: it
is accepted while the job is still its writer's and nobody got a lease on it since.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import WORKING, Status
from scribedesk.server.db.models import Dictation, LeaseGrant, User
from scribedesk.server.dispatch import audit, hand_over
from scribedesk.server.errors import Conflict, NotFound
from scribedesk.server.explain import explain

D = Dictation


def fence_submission(
    session: Session, job_id: int, user: User, token: str, now: datetime
) -> tuple[Dictation | None, Conflict | None]:
    """Decide a submission written under the lease ``token``.

    (job, None): accepted, and the job is now submitted by ``user`` (lease ended). The
    job must be ``user``'s, or back in the pool for being idle with nobody having taken
    it since; and no lease on it was granted to anyone else after ``token``.
    (None, Conflict): ``user`` did hold the job but it has moved on; the sentence says
    how (the caller keeps the text as a conflict version). NotFound is raised when
    ``token`` never was a lease of ``user`` on this job.
    """
    job, refused = submission_decision(session, job_id, user, token, lock=True)
    if job is None:
        return None, refused
    retaken = job.assignee_id != user.id
    hand_over(job, user, Status.SUBMITTED, now, manual=job.manual_assignment)
    if retaken:
        audit(session, now, user, job_id, "retaken_for_submission")
    return job, None


def submission_decision(
    session: Session, job_id: int, user: User, token: str, *, lock: bool
) -> tuple[Dictation | None, Conflict | None]:
    """What fence_submission would decide, changing nothing (``lock``: take the row lock,
    in a write transaction). A read-only answer lets the costly quality review run
    before the writer lock, for submissions that will be accepted only."""
    grant = session.scalars(
        select(LeaseGrant).where(LeaseGrant.token == token, LeaseGrant.dictation_id == job_id)
    ).first()
    if grant is None or grant.user_id != user.id:
        found = explain(session, job_id, user)
        if isinstance(found, NotFound):
            raise found
        raise Conflict(
            f"This lease token was never yours on job {job_id}; open the job again.",
            code="unknown_lease",
        )
    job = session.get(D, job_id, populate_existing=True, with_for_update=lock)
    assert job is not None  # a grant's dictation is never deleted without the grant
    taken_since = session.scalar(
        select(LeaseGrant.id)
        .where(
            LeaseGrant.dictation_id == job_id,
            LeaseGrant.id > grant.id,
            LeaseGrant.user_id != user.id,
        )
        .limit(1)
    )
    status = Status(job.status)
    mine = status in WORKING and job.assignee_id == user.id
    idle_back = (
        status is Status.NEW
        and job.assignee_id is None
        and job.idle_released_at is not None
        and job.last_assignee_id == user.id
    )
    if taken_since is None and (mine or idle_back):
        return job, None
    return None, explain(session, job_id, user)  # type: ignore[return-value]
