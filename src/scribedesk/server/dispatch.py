"""Job assignment: claim the next dictation, leases with fencing tokens, supervisor moves.

No job is ever handed to two people. On PostgreSQL the claim is one statement,
``WITH c AS (SELECT ... FOR UPDATE SKIP LOCKED) UPDATE ... FROM c RETURNING``, so
concurrent claimers skip each other's rows instead of waiting or colliding. On
SQLite every transaction begins IMMEDIATE (see db.engine), so claims run one at a
time and the same UPDATE ... WHERE id = (SELECT ... LIMIT 1) is safe.

A claim hands out a fresh random lease token. Heartbeat, save, submit and return
must present it while the lease is unexpired; a token from an expired or revoked
lease is refused with a Conflict that says what happened.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import WORKING, Priority, ReturnReason, Status, check_transition
from scribedesk.domain.roles import Role
from scribedesk.server.db.models import AuditEvent, Dictation, User
from scribedesk.server.errors import Conflict, Invalid, NotFound

D = Dictation


def audit(
    session: Session,
    now: datetime,
    actor: User | None,
    dictation_id: int | None,
    action: str,
    **detail: Any,
) -> None:
    """Record one event in the audit log (same transaction as the change)."""
    session.add(
        AuditEvent(
            at=now,
            actor_id=actor.id if actor else None,
            dictation_id=dictation_id,
            action=action,
            detail=detail,
        )
    )


def waiting(session: Session) -> dict[str, int]:
    """Jobs in the pool by priority (every priority present, zero when none)."""
    counts = dict.fromkeys((p.value for p in Priority), 0)
    rows = session.execute(
        select(D.priority, func.count(D.id))
        .where(D.status == Status.NEW.value, D.assignee_id.is_(None))
        .group_by(D.priority)
    )
    for priority, count in rows:
        counts[priority] = int(count)
    return counts


def claim_next(session: Session, user: User, now: datetime, lease: timedelta) -> Dictation | None:
    """Give ``user`` the most urgent claimable job with a new lease, or None if none is left.

    Order: priority (STAT, urgent, routine), then due time, then age. Expired leases are
    returned to the pool first, so an abandoned job is claimable at once. Both steps use
    indexes (the queue index and the lease-expiry index), so a claim costs the same with
    ten or a million dictations. The caller commits.
    """
    reap_expired(session, now)
    token = secrets.token_hex(16)
    values = {
        "status": Status.ASSIGNED.value,
        "assignee_id": user.id,
        "last_assignee_id": user.id,
        "manual_assignment": False,
        "lease_token": token,
        "lease_expires_at": now + lease,
        "attempt": D.attempt + 1,
        "updated_at": now,
    }
    pick = (
        select(D.id)
        .where(D.status == Status.NEW.value, D.assignee_id.is_(None))
        .order_by(D.queue_order, D.due_at, D.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        chosen = pick.with_for_update(skip_locked=True).cte("chosen")
        stmt = update(D).where(D.id == chosen.c.id).values(**values).returning(D)
    else:
        stmt = update(D).where(D.id == pick.scalar_subquery()).values(**values).returning(D)
    job = session.scalars(
        stmt.execution_options(synchronize_session=False, populate_existing=True)
    ).first()
    if job is None:
        return None
    audit(session, now, user, job.id, "claimed", lease_expires_at=(now + lease).isoformat())
    return job


def _explain_lost_lease(
    session: Session, job_id: int, user: User, token: str, now: datetime
) -> Conflict | NotFound:
    job = session.get(D, job_id, populate_existing=True)
    if job is None or not ever_held(session, job, user):
        return NotFound(f"There is no job {job_id} assigned to you.")
    status = Status(job.status)
    if status is Status.CANCELLED:
        return Conflict(f"Job {job_id} was cancelled; your draft is kept on your workstation.")
    if status not in WORKING:
        return Conflict(f"Job {job_id} is already {status.value.replace('_', ' ')}.")
    if job.assignee_id != user.id:
        return Conflict(
            f"Job {job_id} is no longer yours: it was reassigned or went back to the pool "
            "after your lease expired. Your draft is kept on your workstation."
        )
    if job.lease_token is None or job.lease_expires_at is None:
        return Conflict(f"Your lease on job {job_id} expired. Take the lease again to continue.")
    if job.lease_token != token:
        return Conflict(
            f"Job {job_id} was opened again elsewhere or reassigned to you by a supervisor; "
            "this lease was replaced. Take the lease again to continue."
        )
    return Conflict(
        f"Your lease on job {job_id} expired at {job.lease_expires_at:%H:%M:%S} UTC; "
        "the job went back to the pool. Take it again if it is still free."
    )


def fenced(
    session: Session, job_id: int, user: User, token: str, now: datetime, **values: Any
) -> Dictation:
    """Apply ``values`` to the job only while ``user`` holds the live lease ``token``.

    Raises Conflict explaining why the lease is lost. Locks the job row until commit.
    """
    stmt = (
        update(D)
        .where(
            D.id == job_id,
            D.assignee_id == user.id,
            D.lease_token == token,
            D.status.in_([s.value for s in WORKING]),
            D.lease_expires_at >= now,
        )
        .values(updated_at=now, **values)
        .returning(D)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    job = session.scalars(stmt).first()
    if job is None:
        raise _explain_lost_lease(session, job_id, user, token, now)
    return job


def ever_held(session: Session, job: Dictation, user: User) -> bool:
    """True when ``user`` holds or once held a lease on ``job`` (to answer 409, not 404)."""
    if user.id in (job.assignee_id, job.last_assignee_id):
        return True
    held = session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.dictation_id == job.id,
            AuditEvent.actor_id == user.id,
            AuditEvent.action.in_(["claimed", "lease_taken"]),
        )
        .limit(1)
    )
    return held is not None


def heartbeat(
    session: Session, job_id: int, user: User, token: str, now: datetime, lease: timedelta
) -> Dictation:
    """Renew the lease for another ``lease``; Conflict if it is already lost."""
    return fenced(session, job_id, user, token, now, lease_expires_at=now + lease)


def start(session: Session, job_id: int, user: User, token: str, now: datetime) -> Dictation:
    """Mark the job in progress (the transcriptionist opened it)."""
    job = fenced(session, job_id, user, token, now)
    if job.status == Status.ASSIGNED.value:
        job.status = Status.IN_PROGRESS.value
        audit(session, now, user, job_id, "started")
    return job


def take_lease(
    session: Session, job_id: int, user: User, now: datetime, lease: timedelta
) -> Dictation:
    """A new lease on a job that is the user's: assigned to them, or theirs and still unclaimed.

    Any older token for the job stops working (the last workstation to take it wins).
    """
    job = session.get(D, job_id, populate_existing=True, with_for_update=True)
    if job is None:
        raise NotFound(f"There is no job {job_id} assigned to you.")
    status = Status(job.status)
    mine = job.assignee_id == user.id and status in WORKING
    lapsed = job.assignee_id is None and status is Status.NEW and job.last_assignee_id == user.id
    if not (mine or lapsed):
        if job.assignee_id not in (None, user.id) or job.last_assignee_id not in (None, user.id):
            raise Conflict(f"Job {job_id} is now assigned to someone else.")
        raise NotFound(f"There is no job {job_id} assigned to you.")
    if lapsed:
        check_transition(status, Status.ASSIGNED)
        job.status = Status.ASSIGNED.value
    job.assignee_id = user.id
    job.last_assignee_id = user.id
    job.lease_token = secrets.token_hex(16)
    job.lease_expires_at = now + lease
    job.attempt += 1
    job.updated_at = now
    audit(
        session, now, user, job_id, "lease_taken", lease_expires_at=job.lease_expires_at.isoformat()
    )
    return job


def return_job(
    session: Session,
    job_id: int,
    user: User,
    token: str,
    reason: ReturnReason,
    note: str,
    now: datetime,
) -> Dictation:
    """Hand a job back undone, with a reason the supervisor sees."""
    if reason is ReturnReason.OTHER and not note.strip():
        raise Invalid("Say why you return the job: the reason 'other' needs a note.")
    job = fenced(
        session,
        job_id,
        user,
        token,
        now,
        status=Status.RETURNED.value,
        assignee_id=None,
        lease_token=None,
        lease_expires_at=None,
        return_reason=reason.value,
        return_note=note.strip(),
    )
    audit(session, now, user, job_id, "returned", reason=reason.value, note=note.strip())
    return job


def assign(
    session: Session, job_id: int, supervisor: User, assignee: User, now: datetime
) -> Dictation:
    """A supervisor gives the job to ``assignee`` (assign or reassign); any lease is revoked."""
    if assignee.role != Role.TRANSCRIPTIONIST.value or not assignee.active:
        raise Invalid(f"{assignee.username} is not an active transcriptionist.")
    job = _locked(session, job_id)
    check_transition(Status(job.status), Status.ASSIGNED)
    previous = job.assignee_id
    job.status = Status.ASSIGNED.value
    job.assignee_id = assignee.id
    job.last_assignee_id = assignee.id
    job.manual_assignment = True
    job.lease_token = None
    job.lease_expires_at = None
    job.updated_at = now
    audit(
        session,
        now,
        supervisor,
        job_id,
        "reassigned" if previous else "assigned",
        to=assignee.username,
        previous_assignee_id=previous,
    )
    return job


def _release_to(
    session: Session, job_id: int, actor: User, target: Status, action: str, now: datetime
) -> Dictation:
    """Move the job to ``target`` with nobody holding it (lease revoked), and audit it."""
    job = _locked(session, job_id)
    check_transition(Status(job.status), target)
    job.status = target.value
    job.assignee_id = None
    job.manual_assignment = False
    job.lease_token = None
    job.lease_expires_at = None
    job.updated_at = now
    audit(session, now, actor, job_id, action)
    return job


def unassign(session: Session, job_id: int, supervisor: User, now: datetime) -> Dictation:
    """A supervisor puts the job back into the pool (also re-queues a returned job)."""
    return _release_to(session, job_id, supervisor, Status.NEW, "requeued", now)


def cancel(session: Session, job_id: int, actor: User, now: datetime) -> Dictation:
    """Cancel a dictation that has not been submitted."""
    return _release_to(session, job_id, actor, Status.CANCELLED, "cancelled", now)


def reap_expired(session: Session, now: datetime) -> list[int]:
    """End every expired lease; pooled jobs go back to the pool (new). The caller commits.

    A manually assigned job stays with its assignee and only loses the lease. Runs at
    the start of every claim and from the service's reaper thread, so supervisors see
    abandoned jobs as new within seconds.
    """
    expired = session.execute(
        select(D.id, D.manual_assignment).where(
            D.lease_expires_at < now, D.status.in_([s.value for s in WORKING])
        )
    ).all()
    for job_id, manual in expired:
        values: dict[str, Any] = {"lease_token": None, "lease_expires_at": None, "updated_at": now}
        if not manual:
            values.update(status=Status.NEW.value, assignee_id=None)
        changed = session.execute(
            update(D)
            .where(D.id == job_id, D.lease_expires_at < now)
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if changed:
            audit(session, now, None, job_id, "lease_expired")
    return [job_id for job_id, _ in expired]


def _locked(session: Session, job_id: int) -> Dictation:
    job = session.get(D, job_id, populate_existing=True, with_for_update=True)
    if job is None:
        raise NotFound(f"There is no dictation {job_id}.")
    return job
