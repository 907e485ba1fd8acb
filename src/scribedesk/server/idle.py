"""Idle assignments: the condition "sat idle past its priority's limit", and the reaper
that returns such pooled assignments to the pool (run by the service every few seconds).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import WORKING, IdlePolicy, Priority, Status
from scribedesk.server.db.models import Dictation
from scribedesk.server.dispatch import audit

D = Dictation


def idle(policy: IdlePolicy, now: datetime) -> Any:
    """The condition "this assignment sat idle past its priority's limit" (for queries)."""
    return or_(
        *(
            and_(D.priority == priority.value, D.active_at < now - policy.limit(priority))
            for priority in Priority
        )
    )


def reap_idle(session: Session, now: datetime, policy: IdlePolicy) -> list[int]:
    """Return every pooled assignment idle past its limit to the pool. The caller commits.

    A manually assigned job stays with its assignee (the supervisor sees it idle); a
    lapsed lease alone returns nothing. Runs from the service's reaper thread every few
    seconds. The last assignee may still submit what they wrote (fencing.fence_submission).
    """
    released = list(
        session.scalars(
            select(D.id).where(
                D.status.in_([s.value for s in WORKING]),
                D.manual_assignment.is_(False),
                idle(policy, now),
            )
        )
    )
    for job_id in released:
        job = session.get(D, job_id, populate_existing=True, with_for_update=True)
        if job is None or job.active_at is None or Status(job.status) not in WORKING:
            continue
        limit = policy.limit(Priority(job.priority))
        if job.manual_assignment or job.active_at >= now - limit:
            continue  # active again since the scan
        job.status = Status.NEW
        job.assignee_id = None
        job.lease_token = None
        job.lease_expires_at = None
        job.idle_released_at = now
        job.updated_at = now
        audit(
            session,
            now,
            None,
            job_id,
            "idle_released",
            idle_minutes=limit.total_seconds() / 60,
            last_activity=job.active_at.isoformat(),
        )
    return released
