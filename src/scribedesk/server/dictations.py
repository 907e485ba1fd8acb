"""Dictations: intake from uploads and imports, who may see what, listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import WORKING, IdlePolicy, Priority, Status, TurnaroundPolicy
from scribedesk.domain.roles import OVERSEERS, Role
from scribedesk.domain.templates import Template
from scribedesk.server.audio_store import AudioInfo
from scribedesk.server.db.models import Audio, Dictation, User
from scribedesk.server.dispatch import audit
from scribedesk.server.errors import Forbidden, Invalid, NotFound
from scribedesk.server.gate import PRODUCTION, TRAINING, production_refusal
from scribedesk.server.idle import idle as idle_since


@dataclass(frozen=True)
class Intake:
    """What an author says about a dictation when handing it in."""

    account: str
    template_id: str
    priority: Priority = Priority.ROUTINE
    title: str = ""
    note: str = ""


def check_intake(intake: Intake, templates: dict[str, Template]) -> Template:
    """The template for ``intake``; Invalid with a readable reason when something is off."""
    if any("\x00" in text for text in (intake.account, intake.title, intake.note)):
        raise Invalid("Text must not contain NUL characters.")
    if not intake.account.strip():
        raise Invalid("Name the account the dictation is about.")
    if len(intake.account) > 200 or len(intake.title) > 200:
        raise Invalid("Account and title are limited to 200 characters.")
    template = templates.get(intake.template_id)
    if template is None:
        known = ", ".join(sorted(templates))
        raise Invalid(f"Unknown template {intake.template_id!r}. Known templates: {known}.")
    return template


def create(
    session: Session,
    author: User,
    intake: Intake,
    template: Template,
    audio: AudioInfo,
    original_name: str,
    policy: TurnaroundPolicy,
    now: datetime,
) -> Dictation:
    """Record a new dictation on stored audio; due time from the turnaround policy."""
    ensure_audio(session, audio, original_name, now)
    dictation = Dictation(
        author_id=author.id,
        audio_sha256=audio.sha256,
        account=intake.account.strip(),
        title=intake.title.strip(),
        author_note=intake.note.strip(),
        template_id=template.id,
        template_version=template.version,
        priority=intake.priority.value,
        queue_order=intake.priority.queue_order,
        status=Status.NEW.value,
        received_at=now,
        due_at=policy.due(now, intake.priority),
        attempt=0,
        manual_assignment=False,
        return_note="",
        updated_at=now,
        original_name=original_name[:255],
    )
    session.add(dictation)
    session.flush()
    audit(session, now, author, dictation.id, "received", priority=intake.priority.value)
    return dictation


def ensure_audio(session: Session, audio: AudioInfo, original_name: str, now: datetime) -> None:
    """The audio's row, added the first time these bytes are stored."""
    if session.get(Audio, audio.sha256) is None:
        session.add(
            Audio(
                sha256=audio.sha256,
                size=audio.size,
                container=audio.container,
                codec=audio.codec,
                sample_rate=audio.sample_rate,
                channels=audio.channels,
                duration_ms=audio.duration_ms,
                working_sha256=audio.working_sha256,
                working_size=audio.working_size,
                original_name=original_name[:255],
                created_at=now,
            )
        )
        session.flush()


def visible(user: User) -> Select[Dictation]:
    """The dictations ``user`` may see: overseers every production dictation, authors
    their own, transcriptionists their jobs, trainees their training attempts (and a
    transcriptionist sent back to training only those), trainers every attempt."""
    query = select(Dictation)
    role = Role(user.role)
    production = Dictation.kind == PRODUCTION
    if role in OVERSEERS:
        return query.where(production)
    if role is Role.AUTHOR:
        return query.where(Dictation.author_id == user.id, production)
    if role is Role.TRAINER:
        return query.where(Dictation.kind == TRAINING)
    if role in (Role.TRANSCRIPTIONIST, Role.TRAINEE):
        mine = query.where(Dictation.assignee_id == user.id)
        if production_refusal(user) is not None:
            return mine.where(Dictation.kind == TRAINING)
        return mine
    raise Forbidden(f"A {role.value} has no access to production dictations.")


def get_visible(session: Session, user: User, dictation_id: int) -> Dictation:
    """One dictation the user may see; NotFound otherwise (existence is not revealed),
    except to a user in training, who is told why production work is closed to them."""
    found = session.scalar(visible(user).where(Dictation.id == dictation_id))
    if found is None:
        refusal = production_refusal(user)
        if refusal is not None and session.scalar(
            select(Dictation.id).where(Dictation.id == dictation_id, Dictation.kind == PRODUCTION)
        ):
            raise Forbidden(refusal)
        raise NotFound(f"There is no dictation {dictation_id} that you can see.")
    return found


def listing(
    session: Session,
    user: User,
    *,
    status: list[Status] | None = None,
    assignee_id: int | None = None,
    limit: int = 500,
    offset: int = 0,
    idle: tuple[IdlePolicy, datetime] | None = None,
) -> list[Dictation]:
    """Visible dictations, most urgent first, optionally filtered (``idle``: only
    assignments idle past the policy's limits at that time)."""
    query = visible(user)
    if idle is not None:
        policy, now = idle
        query = query.where(
            Dictation.status.in_([s.value for s in WORKING]), idle_since(policy, now)
        )
    if status:
        query = query.where(Dictation.status.in_([s.value for s in status]))
    if assignee_id is not None:
        query = query.where(Dictation.assignee_id == assignee_id)
    query = (
        query.order_by(Dictation.queue_order, Dictation.due_at, Dictation.id)
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def summary(
    dictation: Dictation, audio: Any, names: dict[int, str], idle: bool = False
) -> dict[str, Any]:
    """A dictation as the API shows it (``audio``: an Audio row or api.state.AudioFacts;
    ``idle``: its assignment sat idle past the team's limit)."""
    return {
        "id": dictation.id,
        "status": dictation.status,
        "priority": dictation.priority,
        "account": dictation.account,
        "title": dictation.title,
        "author_note": dictation.author_note,
        "author": names.get(dictation.author_id, ""),
        "template_id": dictation.template_id,
        "template_version": dictation.template_version,
        "received_at": dictation.received_at,
        "due_at": dictation.due_at,
        "assignee": names.get(dictation.assignee_id) if dictation.assignee_id else None,
        "manual_assignment": dictation.manual_assignment,
        "lease_expires_at": dictation.lease_expires_at if dictation.lease_token else None,
        "last_activity_at": dictation.active_at if dictation.assignee_id else None,
        "idle": idle,
        "return_reason": dictation.return_reason,
        "return_note": dictation.return_note,
        "kind": dictation.kind,
        "audio": {
            "duration_ms": audio.duration_ms,
            "original_format": audio.container,
            "original_codec": audio.codec,
            "original_size": audio.size,
            "original_sha256": audio.sha256,
            "working_sha256": audio.working_sha256,
            "working_size": audio.working_size,
            "sample_rate": audio.sample_rate,
        },
    }


def require_exists(session: Session, dictation_id: int) -> Dictation:
    """The dictation by id or NotFound (for roles that see everything)."""
    found = session.get(Dictation, dictation_id)
    if found is None:
        raise NotFound(f"There is no dictation {dictation_id}.")
    return found
