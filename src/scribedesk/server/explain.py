"""Why a transcriptionist can no longer work on a job: one sentence that says what happened.

Read from the job, its audit log and its versions: requeued (and by whom), reassigned
(to whom), idle past the team's limit, opened on another workstation, cancelled, returned
or already submitted. Each answer carries a code the workstation acts on.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import WORKING, Status
from scribedesk.server.db.models import AuditEvent, Dictation, LeaseGrant, TranscriptVersion, User
from scribedesk.server.errors import Conflict, NotFound

D = Dictation


def _last_event(session: Session, job_id: int, *actions: str) -> AuditEvent | None:
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.dictation_id == job_id, AuditEvent.action.in_(actions))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()


def _who(session: Session, user_id: int | None, me: User) -> str:
    if user_id is None:
        return "someone"
    if user_id == me.id:
        return "you"
    found = session.get(User, user_id)
    return found.username if found is not None else "someone"


def _when(at: datetime) -> str:
    return f"{at:%H:%M} UTC"


def explain(session: Session, job_id: int, user: User) -> Conflict | NotFound:
    """Why ``user`` can no longer work on job ``job_id``: a sentence that always says the
    lease ended, what happened to the job, and where their text is (NotFound when the job
    never was theirs)."""
    job = session.get(D, job_id, populate_existing=True)
    if job is None or not ever_held(session, job, user):
        return NotFound(f"There is no job {job_id} assigned to you.")
    what, code = _what_happened(session, job, user)
    return Conflict(
        f"Your lease on job {job_id} has ended: {what} Your text is kept on your workstation."
        + (" Open the job again to continue here." if code == "lease_replaced" else ""),
        code=code,
    )


def _what_happened(session: Session, job: Dictation, user: User) -> tuple[str, str]:
    job_id = job.id
    status = Status(job.status)
    if status is Status.CANCELLED:
        event = _last_event(session, job_id, "cancelled")
        by = f" by {_who(session, event.actor_id, user)} at {_when(event.at)}" if event else ""
        return f"the job was cancelled{by}.", "cancelled"
    if status is Status.RETURNED:
        event = _last_event(session, job_id, "returned")
        who = _who(session, event.actor_id, user) if event else "someone"
        return f"the job was returned by {who}.", "returned"
    if status not in WORKING and status is not Status.NEW:
        writer = session.scalar(
            select(TranscriptVersion.user_id)
            .where(TranscriptVersion.dictation_id == job_id, TranscriptVersion.kind == "submit")
            .order_by(TranscriptVersion.number.desc())
            .limit(1)
        )
        who = _who(session, writer, user)
        where = " (from another workstation or an earlier session)" if who == "you" else ""
        return f"the job was already submitted by {who}{where}.", "submitted"
    if status is Status.NEW:
        event = _last_event(session, job_id, "requeued", "idle_released")
        if event is not None and event.action == "idle_released":
            minutes = event.detail.get("idle_minutes", 0)
            return (
                f"the job went back to the pool at {_when(event.at)} after "
                f"{_duration(minutes)} without any activity (the team's limit for "
                f"{job.priority} jobs).",
                "idle_released",
            )
        by = f" by {_who(session, event.actor_id, user)}" if event else ""
        return f"the job was put back into the pool{by}.", "requeued"
    if job.assignee_id != user.id:
        holder = _who(session, job.assignee_id, user)
        event = _last_event(session, job_id, "reassigned", "assigned", "claimed")
        how = (
            f"{holder} took it from the pool"
            if event is None or event.action == "claimed"
            else f"{_who(session, event.actor_id, user)} reassigned it to {holder}"
        )
        at = f" at {_when(event.at)}" if event else ""
        return f"the job is no longer yours, {how}{at}.", "assigned_elsewhere"
    event = _last_event(session, job_id, "lease_taken", "assigned", "reassigned")
    at = f" at {_when(event.at)}" if event else ""
    return (
        f"the job was opened again{at} (on another workstation, or here after a restart), "
        "which took a new lease.",
        "lease_replaced",
    )


def _duration(minutes: float) -> str:
    if minutes >= 60:
        hours = minutes / 60
        return f"{hours:g} hour{'s' if hours != 1 else ''}"
    return f"{minutes:g} minute{'s' if minutes != 1 else ''}"


def ever_held(session: Session, job: Dictation, user: User) -> bool:
    """True when ``user`` holds or once held a lease on ``job`` (to answer 409, not 404)."""
    if user.id in (job.assignee_id, job.last_assignee_id):
        return True
    held = session.scalar(
        select(LeaseGrant.id)
        .where(LeaseGrant.dictation_id == job.id, LeaseGrant.user_id == user.id)
        .limit(1)
    )
    return held is not None
