"""Delivery: each final transcript version reaches each destination exactly once.

A transcript is final when it is submitted and not sampled for review, or when its review
is done (the corrected version). The moment it becomes final, a ``delivery`` row per
configured destination is written in the same transaction (the transactional outbox):
nothing final is ever lost between the commit and the send. The service's delivery
worker sends the rows that are due, one at a time, outside any transaction:

- a 2xx marks the row delivered, keeping what the destination answered;
- a network error, a timeout, a 429 (its Retry-After honoured) or a 5xx schedules a retry
  with backoff, and after the last attempt the row is dead (the dead-letter list), with
  the last error kept;
- any other 4xx is permanent: the row is failed, with the destination's message for the
  administrator; nothing is retried until someone replays it;
- a question only a person can answer (the account's name matches two CRM accounts, or
  none and the mapping may not create one) holds the row, with the candidates, until an
  administrator picks the account (:func:`choose_account`).

A row being sent carries a lease; a service that stopped mid-send leaves it, and the next
worker takes it up again once the lease has lapsed. The message id is the same on every
attempt of one delivery, so a receiver that saw it already (the send succeeded, the
answer was lost) drops the repeat: no duplicate record. A corrected version after review
is a delivery of its own, of the same dictation: receivers update the record they have.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from scribedesk.server.db.models import Delivery, Dictation, TranscriptVersion, User
from scribedesk.server.dispatch import audit
from scribedesk.server.errors import Conflict, NotFound

PENDING, SENDING, DELIVERED, FAILED, DEAD = "pending", "sending", "delivered", "failed", "dead"
HELD = "held"  # waiting for a person (which account)

#: Seconds before each retry (after the first attempt): the Standard Webhooks example's
#: schedule, shortened at the end; after the last, the delivery is dead.
BACKOFF = (5, 30, 120, 600, 1800, 3600, 7200, 18000, 36000, 86400)
#: How long a send may take before another worker may take the delivery up again.
SEND_LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class Outcome:
    """What a destination did with one attempt."""

    delivered: bool
    status: int | None  # the HTTP status, None when nothing came back
    detail: str = ""  # the destination's message, or what went wrong
    retry: bool = False  # worth trying again (network, timeout, 429, 5xx)
    retry_after_s: float | None = None
    answer: Mapping[str, Any] | None = None  # what it returned (record ids, candidates)
    held: bool = False  # a person must decide (the answer lists the candidates)


def enqueue(
    session: Session,
    job: Dictation,
    version: TranscriptVersion,
    destinations: Mapping[str, Any],
    now: datetime,
) -> list[Delivery]:
    """One pending delivery per destination that takes this template, for this final
    version (none twice). An account chosen for an earlier version is kept: a corrected
    version goes to the same CRM records."""
    made = []
    for destination, sender in destinations.items():
        if not sender.accepts(job.template_id):
            continue
        exists = session.scalar(
            select(Delivery.id).where(
                Delivery.dictation_id == job.id,
                Delivery.version == version.number,
                Delivery.destination == destination,
            )
        )
        if exists:
            continue
        earlier = session.scalars(
            select(Delivery.answer)
            .where(Delivery.dictation_id == job.id, Delivery.destination == destination)
            .order_by(Delivery.version.desc())
            .limit(1)
        ).first()
        kept = {"account_id": earlier["account_id"]} if earlier and "account_id" in earlier else {}
        delivery = Delivery(
            dictation_id=job.id,
            version=version.number,
            destination=destination,
            message_id=f"msg_sd_{job.id}_{version.number}_{destination}",
            state=PENDING,
            attempts=0,
            next_attempt_at=now,
            last_error="",
            answer=kept,
            created_at=now,
            updated_at=now,
        )
        session.add(delivery)
        made.append(delivery)
    if made:
        session.flush()
        audit(session, now, None, job.id, "delivery_queued", version=version.number)
    return made


def summaries(session: Session, dictation_ids: list[int]) -> dict[int, str]:
    """Per dictation, where its newest delivered version is: delivered (everywhere),
    held (a person must answer), failed (failed or dead somewhere) or waiting."""
    if not dictation_ids:
        return {}
    rows = session.execute(
        select(Delivery.dictation_id, Delivery.version, Delivery.state).where(
            Delivery.dictation_id.in_(dictation_ids)
        )
    ).all()
    newest: dict[int, int] = {}
    for job, version, _state in rows:
        newest[job] = max(version, newest.get(job, 0))
    states: dict[int, set[str]] = {}
    for job, version, state in rows:
        if version == newest[job]:
            states.setdefault(job, set()).add(state)
    out = {}
    for job, seen in states.items():
        if seen == {DELIVERED}:
            out[job] = "delivered"
        elif HELD in seen:
            out[job] = "held"
        elif seen & {FAILED, DEAD}:
            out[job] = "failed"
        else:
            out[job] = "waiting"
    return out


def take_due(session: Session, now: datetime) -> Delivery | None:
    """The next delivery due (or one whose sender stopped mid-send), leased for sending."""
    due = or_(
        (Delivery.state == PENDING) & (Delivery.next_attempt_at <= now),
        (Delivery.state == SENDING) & (Delivery.next_attempt_at <= now),
    )
    pick = select(Delivery.id).where(due).order_by(Delivery.next_attempt_at, Delivery.id).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        chosen = pick.with_for_update(skip_locked=True).cte("chosen")
        stmt = update(Delivery).where(Delivery.id == chosen.c.id)
    else:
        stmt = update(Delivery).where(Delivery.id == pick.scalar_subquery())
    stmt = stmt.values(
        state=SENDING,
        attempts=Delivery.attempts + 1,
        next_attempt_at=now + SEND_LEASE,
        updated_at=now,
    )
    return session.scalars(
        stmt.returning(Delivery).execution_options(
            synchronize_session=False, populate_existing=True
        )
    ).first()


def record(session: Session, delivery_id: int, outcome: Outcome, now: datetime) -> Delivery:
    """Keep what the attempt did: delivered, retried later, failed or dead."""
    delivery = session.get(Delivery, delivery_id, with_for_update=True)
    assert delivery is not None
    delivery.last_status = outcome.status
    delivery.updated_at = now
    if outcome.answer:  # record ids, candidates, an uploaded file: kept for the next attempt
        delivery.answer = {**delivery.answer, **outcome.answer}
    if outcome.delivered:
        delivery.state = DELIVERED
        delivery.delivered_at = now
        delivery.last_error = ""
        audit(session, now, None, delivery.dictation_id, "delivered", to=delivery.destination)
    elif outcome.held:
        delivery.state = HELD
        delivery.last_error = outcome.detail[:4000]
        audit(session, now, None, delivery.dictation_id, "delivery_held", to=delivery.destination)
    elif outcome.retry and delivery.attempts <= len(BACKOFF):
        wait = float(BACKOFF[delivery.attempts - 1])
        if outcome.retry_after_s is not None:
            wait = max(wait, outcome.retry_after_s)
        delivery.state = PENDING
        delivery.next_attempt_at = now + timedelta(seconds=wait)
        delivery.last_error = outcome.detail[:4000]
    else:
        delivery.state = DEAD if outcome.retry else FAILED
        delivery.last_error = outcome.detail[:4000]
        audit(
            session,
            now,
            None,
            delivery.dictation_id,
            "delivery_failed",
            to=delivery.destination,
            status=outcome.status,
        )
    return delivery


def replay(session: Session, delivery_id: int, actor: User, now: datetime) -> Delivery:
    """Send a failed or dead delivery again (the same message id: no duplicate)."""
    delivery = session.get(Delivery, delivery_id, with_for_update=True)
    if delivery is None:
        raise NotFound(f"There is no delivery {delivery_id}.")
    if delivery.state not in (FAILED, DEAD):
        raise Conflict(
            f"Delivery {delivery_id} is {delivery.state}: only a failed or dead one is replayed."
        )
    delivery.state = PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.updated_at = now
    audit(session, now, actor, delivery.dictation_id, "delivery_replayed", delivery=delivery_id)
    return delivery


def choose_account(
    session: Session, delivery_id: int, account_id: str | None, actor: User, now: datetime
) -> Delivery:
    """A person's answer to a held delivery: this CRM account (``None``: create it)."""
    delivery = session.get(Delivery, delivery_id, with_for_update=True)
    if delivery is None:
        raise NotFound(f"There is no delivery {delivery_id}.")
    if delivery.state not in (HELD, FAILED, DEAD):
        raise Conflict(f"Delivery {delivery_id} is {delivery.state}: it is not waiting for anyone.")
    answer = {k: v for k, v in delivery.answer.items() if k not in ("candidates", "account_id")}
    answer["account_id" if account_id else "create_account"] = account_id or True
    delivery.answer = answer
    delivery.state = PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.updated_at = now
    audit(
        session, now, actor, delivery.dictation_id, "delivery_account", account=account_id or "new"
    )
    return delivery


def payload(session: Session, delivery: Delivery, base_url: str) -> dict[str, Any]:
    """What a destination receives: the dictation, the final version, who made it."""
    job = session.get(Dictation, delivery.dictation_id)
    assert job is not None
    version = session.scalars(
        select(TranscriptVersion).where(
            TranscriptVersion.dictation_id == job.id,
            TranscriptVersion.number == delivery.version,
        )
    ).one()
    names = dict(
        session.execute(
            select(User.id, User.username).where(
                User.id.in_([job.author_id, job.last_assignee_id or 0, version.user_id])
            )
        ).all()
    )
    return {
        "type": "transcript.final",
        "data": {
            "dictation_id": job.id,
            "version": version.number,
            "reviewed": version.kind == "review",
            "template_id": job.template_id,
            "account": job.account,
            "title": job.title,
            "author": names.get(job.author_id, ""),
            "transcriptionist": names.get(job.last_assignee_id or 0, ""),
            "received_at": job.received_at.isoformat(),
            "fields": version.fields,
            "narrative": version.narrative,
            "audio_url": f"{base_url}/api/v1/dictations/{job.id}/audio",
        },
    }
