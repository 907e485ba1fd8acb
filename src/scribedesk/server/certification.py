"""Certification on the service: the trainer's one action (or the curriculum's own, when
it certifies automatically), the certificate with its evidence, and the trainer's
comments on attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scribedesk.domain.certification import evaluate, parse_rule
from scribedesk.domain.roles import Role
from scribedesk.domain.templates import Template
from scribedesk.server.db.models import (
    Attempt,
    Certificate,
    Curriculum,
    Dictation,
    Enrolment,
    TranscriptVersion,
    User,
)
from scribedesk.server.dispatch import audit
from scribedesk.server.errors import Conflict, NotFound
from scribedesk.server.exercises import steps_of
from scribedesk.server.training import ACTIVE, CERTIFIED, SCORED, facts, on_submit


def certify(
    session: Session, trainer: User | None, enrolment_id: int, now: datetime
) -> Certificate:
    """Certify the enrolment's trainee when the curriculum's rule holds: a trainee
    becomes a transcriptionist for the templates they passed, a transcriptionist sent
    back gets production work again. The certificate keeps the evidence."""
    enrolment = session.get(Enrolment, enrolment_id, with_for_update=True)
    if enrolment is None:
        raise NotFound(f"There is no enrolment {enrolment_id}.")
    if enrolment.status != ACTIVE:
        raise Conflict(f"Enrolment {enrolment_id} is {enrolment.status}, not active.")
    curriculum = session.get(Curriculum, enrolment.curriculum_id)
    assert curriculum is not None
    attempts = facts(session, enrolment.id)
    check = evaluate(parse_rule(curriculum.rule), steps_of(session, curriculum), attempts)
    if not check.holds:
        unmet = "; ".join(f"{c.name}: {c.detail}" for c in check.criteria if not c.met)
        raise Conflict(f"The certification rule does not hold yet ({unmet or 'no attempts'}).")
    user = session.get(User, enrolment.trainee_id, with_for_update=True)
    assert user is not None
    earned = sorted(check.templates)
    if user.role == Role.TRAINEE.value:
        user.role = Role.TRANSCRIPTIONIST
        user.certified_templates = earned
    elif user.certified_templates is not None:
        user.certified_templates = sorted({*user.certified_templates, *earned})
    user.production_hold = None
    enrolment.status = CERTIFIED
    enrolment.ended_at = now
    certificate = Certificate(
        user_id=user.id,
        curriculum_id=curriculum.id,
        enrolment_id=enrolment.id,
        templates=earned,
        certified_by=trainer.id if trainer else None,
        certified_at=now,
        evidence={
            "rule": curriculum.rule,
            "check": check.to_dict(),
            "attempts": [
                {
                    "exercise_id": a.exercise_id,
                    "template_id": a.template_id,
                    "score": a.score,
                    "passed": a.passed,
                    "critical": a.critical,
                    "pace": a.pace,
                    "at": a.at.isoformat(),
                }
                for a in sorted(attempts, key=lambda a: a.at)
            ],
        },
        revoked_reason="",
    )
    session.add(certificate)
    session.flush()
    audit(
        session,
        now,
        trainer,
        None,
        "certified",
        user=user.username,
        curriculum=curriculum.id,
        templates=earned,
    )
    return certificate


def on_training_submit(
    session: Session, job: Dictation, version: TranscriptVersion, template: Template, now: datetime
) -> dict[str, Any]:
    """A submitted attempt scored (training.on_submit), and certified at once when its
    curriculum certifies automatically and the rule now holds."""
    answer = on_submit(session, job, version, template, now)
    enrolment_id, auto = answer.pop("enrolment_id"), answer.pop("auto_certify")
    if auto:
        certify(session, None, enrolment_id, now)
        answer["training"]["certified"] = True
    return answer


def latest_certificate(session: Session, user_id: int) -> Certificate | None:
    return session.scalars(
        select(Certificate)
        .where(Certificate.user_id == user_id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.certified_at.desc(), Certificate.id.desc())
        .limit(1)
    ).first()


def comment(session: Session, attempt_id: int, trainer: User, text: str, now: datetime) -> Attempt:
    """The trainer's comment on an attempt, shown to its trainee."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound(f"There is no attempt {attempt_id}.")
    if attempt.status != SCORED:
        raise Conflict(f"Attempt {attempt_id} is not submitted yet.")
    attempt.comment = text.strip()
    attempt.comment_by = trainer.id
    attempt.comment_at = now
    return attempt
