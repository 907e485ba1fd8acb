"""Job assignment: claim the next dictation, assignments, leases with fencing tokens.

Assignment and lease are different things. A job assigned to a transcriptionist stays
theirs (on their worklist, with their draft) until they submit or return it, a
supervisor moves it, or it sits idle longer than its priority's limit (IdlePolicy);
only then does it go back to the pool. The lease is the short guard against two
workstations editing the same job at once: every claim or ``take_lease`` grants a new
random token (and records the grant), heartbeat, start, save and return must present
the job's current token, and a replaced token is refused with a Conflict that says
what happened. A lapsed lease (the workstation was closed, crashed or offline) is
harmless: its token keeps working until someone takes a newer one.

A submission is fenced by the grant it was written under: it is accepted while the job
is still its writer's and nobody else was granted a lease since, even if that lease
lapsed, and even after an idle release when nobody took the job since. Anything else
is a conflict, which the caller keeps as a version for a supervisor to resolve.

No job is ever handed to two people. On PostgreSQL the claim is one statement,
``WITH c AS (SELECT ... FOR UPDATE SKIP LOCKED) UPDATE ... FROM c RETURNING``, so
concurrent claimers skip each other's rows instead of waiting or colliding. On
SQLite every transaction begins IMMEDIATE (see db.engine), so claims run one at a
time and the same UPDATE ... WHERE id = (SELECT ... LIMIT 1) is safe.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import (
    WORKING,
    Priority,
    ReturnReason,
    Status,
    TurnaroundPolicy,
    check_transition,
)
from scribedesk.domain.roles import Role
from scribedesk.server.db.models import AuditEvent, Dictation, LeaseGrant, User
from scribedesk.server.errors import Conflict, Forbidden, Invalid, NotFound
from scribedesk.server.explain import explain
from scribedesk.server.gate import (
    PRODUCTION,
    TRAINING,
    allowed_templates,
    check_production,
    production_refusal,
)

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
        .where(D.status == Status.NEW.value, D.assignee_id.is_(None), D.kind == PRODUCTION)
        .group_by(D.priority)
    )
    for priority, count in rows:
        counts[priority] = int(count)
    return counts


def claim_next(session: Session, user: User, now: datetime, lease: timedelta) -> Dictation | None:
    """Give ``user`` the most urgent claimable job with a new lease, or None if none is left.

    Order: priority (STAT, urgent, routine), then due time, then age. The pick uses the
    queue index, so a claim costs the same with ten or a million dictations. Idle
    assignments are returned to the pool by the service's reaper (reap_idle), not
    here. Only production work is claimed, and only of the templates the user is
    certified for (server.gate; Forbidden with the reason for a user in training). The
    caller commits.
    """
    check_production(user)
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
        "active_at": now,
        "idle_released_at": None,
    }
    where = [D.status == Status.NEW.value, D.assignee_id.is_(None), D.kind == PRODUCTION]
    templates = allowed_templates(user)
    if templates is not None:
        where.append(D.template_id.in_(templates))
    pick = select(D.id).where(*where).order_by(D.queue_order, D.due_at, D.id).limit(1)
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
    session.add(LeaseGrant(dictation_id=job.id, user_id=user.id, token=token, granted_at=now))
    audit(session, now, user, job.id, "claimed", lease_expires_at=(now + lease).isoformat())
    return job


def fenced(
    session: Session, job_id: int, user: User, token: str, now: datetime, **values: Any
) -> Dictation:
    """Apply ``values`` to the job only while it is ``user``'s and ``token`` is its current
    lease (lapsed or not: nobody replaced it). Counts as activity.

    Raises Conflict explaining what happened otherwise. Locks the job row until commit.
    """
    stmt = (
        update(D)
        .where(
            D.id == job_id,
            D.assignee_id == user.id,
            D.lease_token == token,
            D.status.in_([s.value for s in WORKING]),
        )
        .values(updated_at=now, active_at=now, **values)
        .returning(D)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    job = session.scalars(stmt).first()
    if job is None:
        raise explain(session, job_id, user)
    return job


def hand_over(job: Dictation, user: User, status: Status, now: datetime, *, manual: bool) -> None:
    """``job`` becomes ``user``'s in ``status``, with no lease held (a new owner opens it)."""
    job.status = status
    job.assignee_id = user.id
    job.last_assignee_id = user.id
    job.manual_assignment = manual
    job.lease_token = None
    job.lease_expires_at = None
    job.idle_released_at = None
    job.updated_at = now
    job.active_at = now


def heartbeat(
    session: Session, job_id: int, user: User, token: str, now: datetime, lease: timedelta
) -> Dictation:
    """Renew the lease for another ``lease`` (also a lapsed one nobody replaced); Conflict
    saying what happened when the job moved on."""
    return fenced(session, job_id, user, token, now, lease_expires_at=now + lease)


def start(session: Session, job_id: int, user: User, token: str, now: datetime) -> Dictation:
    """Mark the job in progress (the transcriptionist opened it)."""
    job = fenced(session, job_id, user, token, now)
    if job.status == Status.ASSIGNED.value:
        job.status = Status.IN_PROGRESS
        audit(session, now, user, job_id, "started")
    return job


def take_lease(
    session: Session, job_id: int, user: User, now: datetime, lease: timedelta
) -> Dictation:
    """A new lease on a job assigned to ``user`` (opening it on this workstation).

    Any older token for the job stops working for edits (the last workstation to open it
    wins); submissions written under it by the same person are still accepted. A job in
    the pool is not leased here: it is claimed in queue order (claim_next).
    """
    job = session.get(D, job_id, populate_existing=True, with_for_update=True)
    if job is None or not (job.assignee_id == user.id and Status(job.status) in WORKING):
        raise explain(session, job_id, user)
    if job.kind == PRODUCTION:
        check_production(user, job.template_id)
    token = secrets.token_hex(16)
    job.last_assignee_id = user.id
    job.lease_token = token
    job.lease_expires_at = now + lease
    job.attempt += 1
    job.updated_at = now
    job.active_at = now
    session.add(LeaseGrant(dictation_id=job_id, user_id=user.id, token=token, granted_at=now))
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
    held = session.get(D, job_id)
    if held is not None and held.kind == TRAINING:
        raise Conflict(
            f"Job {job_id} is a training exercise: it cannot be returned. Tell your trainer "
            "what is wrong with it."
        )
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
    session: Session,
    job_id: int,
    supervisor: User,
    assignee: User,
    now: datetime,
    reason: str = "",
) -> Dictation:
    """A supervisor gives the job to ``assignee`` (assign or reassign); any lease is revoked."""
    if assignee.role != Role.TRANSCRIPTIONIST.value or not assignee.active:
        raise Invalid(f"{assignee.username} is not an active transcriptionist.")
    job = _locked(session, job_id)
    refusal = production_refusal(assignee)
    allowed = allowed_templates(assignee)
    if refusal is not None or (allowed is not None and job.template_id not in allowed):
        raise Forbidden(
            f"{assignee.username} may not be given dictation {job_id}: "
            + (refusal or f"they are not certified for the template {job.template_id!r}.")
        )
    check_transition(Status(job.status), Status.ASSIGNED)
    previous = job.assignee_id
    hand_over(job, assignee, Status.ASSIGNED, now, manual=True)
    audit(
        session,
        now,
        supervisor,
        job_id,
        "reassigned" if previous else "assigned",
        to=assignee.username,
        previous_assignee_id=previous,
        reason=reason.strip(),
    )
    return job


def _release_to(
    session: Session,
    job_id: int,
    actor: User,
    target: Status,
    action: str,
    now: datetime,
    reason: str = "",
) -> Dictation:
    """Move the job to ``target`` with nobody holding it (lease revoked), and audit it."""
    job = _locked(session, job_id)
    check_transition(Status(job.status), target)
    job.status = target
    job.assignee_id = None
    job.manual_assignment = False
    job.lease_token = None
    job.lease_expires_at = None
    job.idle_released_at = None
    job.updated_at = now
    audit(session, now, actor, job_id, action, reason=reason.strip())
    return job


def unassign(
    session: Session, job_id: int, supervisor: User, now: datetime, reason: str = ""
) -> Dictation:
    """A supervisor puts the job back into the pool (also re-queues a returned job)."""
    return _release_to(session, job_id, supervisor, Status.NEW, "requeued", now, reason)


def cancel(
    session: Session, job_id: int, actor: User, now: datetime, reason: str = ""
) -> Dictation:
    """Cancel a dictation that has not been submitted."""
    return _release_to(session, job_id, actor, Status.CANCELLED, "cancelled", now, reason)


def change_priority(
    session: Session,
    job_id: int,
    supervisor: User,
    priority: Priority,
    reason: str,
    policy: TurnaroundPolicy,
    now: datetime,
) -> Dictation:
    """A supervisor makes a job more or less urgent; its due time is the new priority's
    turnaround from when the dictation was received."""
    job = _locked(session, job_id)
    status = Status(job.status)
    if status not in (Status.NEW, *WORKING, Status.RETURNED):
        raise Conflict(
            f"Dictation {job_id} is {status.value.replace('_', ' ')}: only work not yet "
            "submitted changes priority."
        )
    before = job.priority
    job.priority = priority
    job.queue_order = priority.queue_order
    job.due_at = policy.due(job.received_at, priority)
    job.updated_at = now
    audit(
        session,
        now,
        supervisor,
        job_id,
        "priority_changed",
        before=str(before),
        after=priority.value,
        reason=reason.strip(),
    )
    return job


def _locked(session: Session, job_id: int) -> Dictation:
    """A production dictation, locked for a supervisor's move (training attempts are the
    trainer's, and not moved from the team's desk)."""
    job = session.get(D, job_id, populate_existing=True, with_for_update=True)
    if job is None:
        raise NotFound(f"There is no dictation {job_id}.")
    if job.kind == TRAINING:
        raise Conflict(f"Dictation {job_id} is a training attempt: its trainer manages it.")
    return job
