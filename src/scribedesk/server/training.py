"""Training on the service: enrolments, attempts scored against the gold at submit
time, peeks at the gold, certification and the trainer's comments.

An attempt is a dictation of kind "training" assigned to its trainee, so it is leased,
heartbeated, saved and submitted through the same routes and the same outbox as a
production job; it never enters the pool, the team view or the review queue. When it is
submitted the service scores it (domain.training) in the same transaction, answers with
the result, and opens the trainee's next attempt: the same exercise again after a fail,
the next one after a pass.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scribedesk.domain.certification import (
    AttemptFact,
    current_step,
    evaluate,
    parse_rule,
)
from scribedesk.domain.dictation import WORKING, Priority, Status
from scribedesk.domain.roles import Role
from scribedesk.domain.templates import Template
from scribedesk.domain.training import (
    parse_hints,
    peek,
    score_attempt,
)
from scribedesk.server.db.models import (
    Attempt,
    Audio,
    Curriculum,
    Dictation,
    Enrolment,
    Exercise,
    TranscriptVersion,
    User,
)
from scribedesk.server.dispatch import audit, fenced, hand_over
from scribedesk.server.errors import Conflict, Forbidden, Invalid, NotFound
from scribedesk.server.exercises import exercise_by_id, steps_of
from scribedesk.server.gate import PRODUCTION, TRAINING

ACTIVE, CERTIFIED, WITHDRAWN = "active", "certified", "withdrawn"
OPEN, SCORED = "open", "scored"

#: How long a training job is "due" (it sorts on the trainee's worklist; nobody chases it).
TRAINING_DUE = timedelta(days=7)


# -- enrolment and attempts ----------------------------------------------------------------------


def enrol(
    session: Session,
    trainer: User,
    curriculum_id: int,
    user_id: int,
    reason: str,
    now: datetime,
) -> Enrolment:
    """Assign a curriculum to a trainee, or send a transcriptionist back to one: their
    production work stops (their assigned jobs go back to the pool) until they pass."""
    curriculum = session.get(Curriculum, curriculum_id)
    if curriculum is None:
        raise NotFound(f"There is no curriculum {curriculum_id}.")
    user = session.get(User, user_id, with_for_update=True)
    if user is None or not user.active:
        raise NotFound(f"There is no active user {user_id}.")
    if user.role not in (Role.TRAINEE.value, Role.TRANSCRIPTIONIST.value):
        raise Invalid(
            f"{user.username} is a {user.role}: only trainees and transcriptionists train."
        )
    open_one = session.scalar(
        select(Enrolment).where(Enrolment.trainee_id == user_id, Enrolment.status == ACTIVE)
    )
    if open_one is not None:
        raise Conflict(
            f"{user.username} is already working through a curriculum (enrolment "
            f"{open_one.id}); finish or withdraw it first."
        )
    if user.role == Role.TRANSCRIPTIONIST.value:
        if not reason.strip():
            raise Invalid("Say why the transcriptionist goes back to training.")
        user.production_hold = (
            f"sent back to the curriculum {curriculum.name!r} by {trainer.username} on "
            f"{now:%Y-%m-%d}: {reason.strip()}"
        )
        _release_production(session, user, trainer, now)
    enrolment = Enrolment(
        curriculum_id=curriculum_id,
        trainee_id=user_id,
        assigned_by=trainer.id,
        assigned_at=now,
        status=ACTIVE,
        reason=reason.strip(),
    )
    session.add(enrolment)
    session.flush()
    next_attempt(session, enrolment, now)
    return enrolment


def _release_production(session: Session, user: User, actor: User, now: datetime) -> None:
    jobs = session.scalars(
        select(Dictation).where(
            Dictation.assignee_id == user.id,
            Dictation.kind == PRODUCTION,
            Dictation.status.in_([s.value for s in WORKING]),
        )
    ).all()
    for job in jobs:
        job.status = Status.NEW
        job.assignee_id = None
        job.manual_assignment = False
        job.lease_token = None
        job.lease_expires_at = None
        job.updated_at = now
        audit(session, now, actor, job.id, "requeued", reason="sent back to training")


def next_attempt(session: Session, enrolment: Enrolment, now: datetime) -> Attempt | None:
    """Open the trainee's next attempt (the first step not yet passed) as a training job
    on their worklist; None when every step is passed or one is already open."""
    if enrolment.status != ACTIVE:
        return None
    if session.scalar(
        select(Attempt.id).where(Attempt.enrolment_id == enrolment.id, Attempt.status == OPEN)
    ):
        return None
    curriculum = session.get(Curriculum, enrolment.curriculum_id)
    assert curriculum is not None
    steps = steps_of(session, curriculum)
    index = current_step(steps, facts(session, enrolment.id))
    if index is None:
        return None
    exercise = exercise_by_id(session, steps[index].exercise_id)
    trainee = session.get(User, enrolment.trainee_id)
    assert trainee is not None
    number = 1 + (
        session.scalar(
            select(func.count(Attempt.id)).where(
                Attempt.enrolment_id == enrolment.id, Attempt.exercise_id == exercise.id
            )
        )
        or 0
    )
    job = Dictation(
        author_id=exercise.created_by,
        audio_sha256=exercise.audio_sha256,
        account=exercise.account,
        title=f"Exercise {index + 1} of {len(steps)}: {exercise.title}"
        + (f" (attempt {number})" if number > 1 else ""),
        author_note="Training: scored against the gold when you submit.",
        template_id=exercise.template_id,
        template_version=exercise.template_version,
        priority=Priority.ROUTINE.value,
        queue_order=Priority.ROUTINE.queue_order,
        status=Status.NEW.value,
        received_at=now,
        due_at=now + TRAINING_DUE,
        attempt=0,
        manual_assignment=True,
        return_note="",
        updated_at=now,
        original_name="",
        kind=TRAINING,
    )
    session.add(job)
    session.flush()
    hand_over(job, trainee, Status.ASSIGNED, now, manual=True)
    attempt = Attempt(
        enrolment_id=enrolment.id,
        exercise_id=exercise.id,
        trainee_id=trainee.id,
        dictation_id=job.id,
        number=number,
        status=OPEN,
        peeks=0,
        time_spent_s=0,
        result={},
        categories={},
        started_at=now,
        comment="",
    )
    session.add(attempt)
    session.flush()
    audit(session, now, None, job.id, "training_assigned", exercise=exercise.id, attempt=number)
    return attempt


def facts(session: Session, enrolment_id: int) -> list[AttemptFact]:
    """The enrolment's scored attempts as the rule reads them."""
    rows = session.execute(
        select(
            Attempt.exercise_id,
            Exercise.template_id,
            Attempt.score,
            Attempt.passed,
            Attempt.critical,
            Attempt.pace,
            Attempt.scored_at,
            Attempt.started_at,
        )
        .join(Exercise, Exercise.id == Attempt.exercise_id)
        .where(Attempt.enrolment_id == enrolment_id, Attempt.status == SCORED)
    ).all()
    return [
        AttemptFact(e, t, float(s or 0), bool(p), int(c or 0), float(pace or 0), at or started)
        for e, t, s, p, c, pace, at, started in rows
    ]


def attempt_for_job(session: Session, job_id: int) -> Attempt | None:
    return session.scalar(select(Attempt).where(Attempt.dictation_id == job_id))


def on_submit(
    session: Session,
    job: Dictation,
    version: TranscriptVersion,
    template: Template,
    now: datetime,
) -> dict[str, Any]:
    """Score a submitted attempt against its gold and open the next one; the result goes
    into the submit's answer (certification.on_training_submit certifies, when the
    curriculum does so on its own)."""
    attempt = attempt_for_job(session, job.id)
    if attempt is None:
        raise Conflict(f"Training job {job.id} has no attempt.")
    exercise = exercise_by_id(session, attempt.exercise_id)
    enrolment = session.get(Enrolment, attempt.enrolment_id)
    assert enrolment is not None
    curriculum = session.get(Curriculum, enrolment.curriculum_id)
    assert curriculum is not None
    mark = next(
        (float(s["pass_mark"]) for s in curriculum.steps if s["exercise_id"] == exercise.id),
        template.scoring.pass_mark,
    )
    audio = session.get(Audio, exercise.audio_sha256)
    elapsed = max(1, int((now - attempt.started_at).total_seconds()))
    spent = version.time_spent_s if version.time_spent_s > 0 else elapsed
    scored = score_attempt(
        template,
        exercise.gold_fields,
        exercise.gold_narrative,
        version.fields,
        version.narrative,
        pass_mark=mark,
        peeks=attempt.peeks,
        hints=parse_hints(curriculum.hints),
        audio_ms=audio.duration_ms if audio else 0,
        time_spent_s=spent,
    )
    attempt.status = SCORED
    attempt.score = scored.score
    attempt.passed = scored.passed
    attempt.critical = scored.critical
    attempt.pace = scored.pace
    attempt.time_spent_s = spent
    attempt.result = {**scored.to_dict(), "version": version.number}
    attempt.categories = dict(
        Counter((e.field and f"field:{e.field}") or e.kind for e in scored.errors)
    )
    attempt.scored_at = now
    audit(session, now, None, job.id, "training_scored", score=scored.score, passed=scored.passed)
    session.flush()
    following = next_attempt(session, enrolment, now)
    rule = parse_rule(curriculum.rule)
    check = evaluate(rule, steps_of(session, curriculum), facts(session, enrolment.id))
    return {
        "training": {
            "attempt_id": attempt.id,
            "exercise_id": exercise.id,
            "number": attempt.number,
            "score": scored.score,
            "passed": scored.passed,
            "pass_mark": mark,
            "critical": scored.critical,
            "errors": len(scored.errors),
            "next_job_id": following.dictation_id if following else None,
            "certifiable": check.holds,
            "certified": False,
        },
        # For certification.on_training_submit, which takes them out of the answer.
        "enrolment_id": enrolment.id,
        "auto_certify": check.holds and rule.auto_certify,
    }


def take_peek(
    session: Session, job_id: int, user: User, token: str, typed: str, now: datetime
) -> tuple[str, int, int]:
    """The gold sentence the trainee is at, if the curriculum allows another peek:
    (sentence, peeks used, peeks allowed). Each peek costs its points in the score."""
    job = fenced(session, job_id, user, token, now)
    attempt = attempt_for_job(session, job.id)
    if attempt is None or attempt.status != OPEN:
        raise NotFound(f"Job {job_id} is not an open training attempt of yours.")
    enrolment = session.get(Enrolment, attempt.enrolment_id)
    assert enrolment is not None
    curriculum = session.get(Curriculum, enrolment.curriculum_id)
    assert curriculum is not None
    hints = parse_hints(curriculum.hints)
    if hints.peeks == 0:
        raise Forbidden(f"The curriculum {curriculum.name!r} allows no peeks at the gold.")
    if attempt.peeks >= hints.peeks:
        raise Conflict(f"You have used all {hints.peeks} peeks of this attempt.")
    exercise = exercise_by_id(session, attempt.exercise_id)
    attempt.peeks += 1
    audit(session, now, user, job_id, "training_peek", peeks=attempt.peeks)
    return peek(exercise.gold_narrative, typed), attempt.peeks, hints.peeks
