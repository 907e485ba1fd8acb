"""The training library: exercises (audio, template, gold, difficulty, tags) made from
an upload, imported in bulk, or promoted from a reviewed production transcript; and
curricula, the exercises in order with a pass mark each and the rule that certifies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scribedesk.domain.certification import (
    Step,
    parse_rule,
)
from scribedesk.domain.dictation import Status
from scribedesk.domain.invented_names import anonymise
from scribedesk.domain.templates import Template
from scribedesk.domain.training import (
    RuleError,
    parse_hints,
)
from scribedesk.server.db.models import (
    Curriculum,
    Dictation,
    Exercise,
    Review,
    TranscriptVersion,
    User,
)
from scribedesk.server.dispatch import audit
from scribedesk.server.errors import Conflict, Invalid, NotFound
from scribedesk.server.gate import PRODUCTION
from scribedesk.server.transcripts import TranscriptContent, check_fields

# -- exercises -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseSpec:
    """What a trainer says about an exercise."""

    title: str
    template_id: str
    account: str
    gold_fields: dict[str, Any]
    gold_narrative: str
    difficulty: int = 2
    tags: tuple[str, ...] = ()


def check_spec(spec: ExerciseSpec, templates: dict[str, Template]) -> Template:
    """The exercise's template, its gold checked against it; Invalid saying what is off."""
    template = templates.get(spec.template_id)
    if template is None:
        known = ", ".join(sorted(templates))
        raise Invalid(f"Unknown template {spec.template_id!r}. Known templates: {known}.")
    if not spec.title.strip():
        raise Invalid("Give the exercise a title.")
    if not spec.gold_narrative.strip():
        raise Invalid("An exercise needs its gold narrative: the transcript it is scored against.")
    if not 1 <= spec.difficulty <= 5:
        raise Invalid("Difficulty runs from 1 (easy) to 5 (hard).")
    check_fields(
        TranscriptContent(fields=spec.gold_fields, narrative=spec.gold_narrative), template
    )
    return template


def create_exercise(
    session: Session,
    trainer: User,
    spec: ExerciseSpec,
    template: Template,
    audio_sha256: str,
    source: str,
    now: datetime,
    source_dictation_id: int | None = None,
) -> Exercise:
    """Add an exercise on stored audio."""
    exercise = Exercise(
        title=spec.title.strip()[:200],
        audio_sha256=audio_sha256,
        template_id=template.id,
        template_version=template.version,
        account=spec.account.strip()[:200],
        gold_fields=dict(spec.gold_fields),
        gold_narrative=spec.gold_narrative,
        difficulty=spec.difficulty,
        tags=sorted({t.strip().lower() for t in spec.tags if t.strip()}),
        source=source,
        source_dictation_id=source_dictation_id,
        created_by=trainer.id,
        created_at=now,
        updated_at=now,
        active=True,
    )
    session.add(exercise)
    session.flush()
    return exercise


def edit_exercise(
    session: Session,
    exercise_id: int,
    now: datetime,
    *,
    title: str | None = None,
    difficulty: int | None = None,
    tags: list[str] | None = None,
    active: bool | None = None,
) -> Exercise:
    """Change an exercise's title, difficulty, tags or whether it is offered."""
    exercise = exercise_by_id(session, exercise_id)
    if title is not None:
        if not title.strip():
            raise Invalid("Give the exercise a title.")
        exercise.title = title.strip()[:200]
    if difficulty is not None:
        if not 1 <= difficulty <= 5:
            raise Invalid("Difficulty runs from 1 (easy) to 5 (hard).")
        exercise.difficulty = difficulty
    if tags is not None:
        exercise.tags = sorted({t.strip().lower() for t in tags if t.strip()})
    if active is not None:
        exercise.active = active
    exercise.updated_at = now
    return exercise


def promote(
    session: Session,
    trainer: User,
    dictation_id: int,
    title: str,
    invent_names: bool,
    templates: dict[str, Template],
    now: datetime,
) -> Exercise:
    """A reviewed production transcript becomes an exercise: its audio, and the corrected
    version as the gold (the account and people renamed when ``invent_names``)."""
    job = session.get(Dictation, dictation_id)
    if job is None or job.kind != PRODUCTION:
        raise NotFound(f"There is no production dictation {dictation_id}.")
    review = session.scalars(
        select(Review)
        .where(Review.dictation_id == dictation_id, Review.corrected_version.is_not(None))
        .order_by(Review.id.desc())
        .limit(1)
    ).first()
    if review is None or Status(job.status) is not Status.REVIEWED:
        raise Conflict(
            f"Dictation {dictation_id} has no finished review: only a reviewed transcript "
            "(its corrected version) can become an exercise's gold."
        )
    corrected = session.scalars(
        select(TranscriptVersion).where(
            TranscriptVersion.dictation_id == dictation_id,
            TranscriptVersion.number == review.corrected_version,
        )
    ).one()
    template = templates.get(job.template_id)
    if template is None:
        raise Conflict(f"The template {job.template_id!r} of dictation {dictation_id} is gone.")
    fields, narrative, account = dict(corrected.fields), corrected.narrative, job.account
    renamed: dict[str, str] = {}
    if invent_names:
        fields, narrative, renamed = anonymise(template, fields, narrative, seed=dictation_id)
        account = renamed.get(job.account, job.account)
        if account == job.account and job.account in narrative:
            account = "Invented account"
    spec = ExerciseSpec(
        title=title.strip() or f"{account}: {job.title or template.name}",
        template_id=template.id,
        account=account,
        gold_fields=fields,
        gold_narrative=narrative,
        difficulty=3,
        tags=("promoted",),
    )
    exercise = create_exercise(
        session, trainer, spec, template, job.audio_sha256, "promoted", now, dictation_id
    )
    audit(
        session,
        now,
        trainer,
        dictation_id,
        "promoted_to_exercise",
        exercise=exercise.id,
        renamed=len(renamed),
    )
    return exercise


def exercise_by_id(session: Session, exercise_id: int) -> Exercise:
    exercise = session.get(Exercise, exercise_id)
    if exercise is None:
        raise NotFound(f"There is no exercise {exercise_id}.")
    return exercise


# -- curricula -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurriculumSpec:
    """A curriculum as a trainer writes it."""

    name: str
    steps: list[tuple[int, float]]  # (exercise id, pass mark) in order
    description: str = ""
    rule: dict[str, Any] | None = None
    hints: dict[str, Any] | None = None


def save_curriculum(
    session: Session, trainer: User, spec: CurriculumSpec, now: datetime, curriculum_id: int = 0
) -> Curriculum:
    """Create (``curriculum_id`` 0) or replace a curriculum; Invalid saying what is off."""
    if not spec.name.strip():
        raise Invalid("Name the curriculum.")
    if not spec.steps:
        raise Invalid("A curriculum needs at least one exercise.")
    try:
        rule, hints = parse_rule(spec.rule), parse_hints(spec.hints)
    except RuleError as exc:
        raise Invalid(f"Curriculum {spec.name!r}: {exc}.") from None
    seen: set[int] = set()
    for exercise_id, mark in spec.steps:
        exercise = session.get(Exercise, exercise_id)
        if exercise is None or not exercise.active:
            raise Invalid(f"There is no exercise {exercise_id} in the library.")
        if exercise_id in seen:
            raise Invalid(f"Exercise {exercise_id} is in the curriculum twice.")
        if not 0 <= mark <= 100:
            raise Invalid(f"The pass mark of exercise {exercise_id} must be from 0 to 100.")
        seen.add(exercise_id)
    clash = session.scalar(
        select(Curriculum.id).where(
            func.lower(Curriculum.name) == spec.name.strip().lower(),
            Curriculum.id != curriculum_id,
        )
    )
    if clash is not None:
        raise Conflict(f"There is already a curriculum named {spec.name.strip()!r}.")
    steps = [{"exercise_id": e, "pass_mark": float(m)} for e, m in spec.steps]
    if curriculum_id:
        curriculum = session.get(Curriculum, curriculum_id)
        if curriculum is None:
            raise NotFound(f"There is no curriculum {curriculum_id}.")
    else:
        curriculum = Curriculum(created_by=trainer.id, created_at=now)
        session.add(curriculum)
    curriculum.name = spec.name.strip()[:200]
    curriculum.description = spec.description.strip()
    curriculum.steps = steps
    curriculum.rule = rule.to_dict()
    curriculum.hints = hints.to_dict()
    curriculum.updated_at = now
    session.flush()
    return curriculum


def steps_of(session: Session, curriculum: Curriculum) -> list[Step]:
    """The curriculum's steps with each exercise's template."""
    ids = [int(s["exercise_id"]) for s in curriculum.steps]
    templates = dict(
        session.execute(select(Exercise.id, Exercise.template_id).where(Exercise.id.in_(ids))).all()
    )
    return [
        Step(int(s["exercise_id"]), templates.get(int(s["exercise_id"]), ""), float(s["pass_mark"]))
        for s in curriculum.steps
    ]
