"""Training: the trainee's curricula and results, peeks at the gold, and the trainer's
library, curricula, grid, comments and certification."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from scribedesk.domain.dictation import Status
from scribedesk.domain.roles import Role
from scribedesk.server import certification, dictations, exercises, training, training_views
from scribedesk.server.api.deps import CurrentUser, StateDep, Trainer, Typist
from scribedesk.server.api.handlers import describe_validation
from scribedesk.server.api.schemas import Id
from scribedesk.server.api.state import AppState
from scribedesk.server.api.training_schemas import (
    CommentIn,
    CurriculumIn,
    EnrolIn,
    ExerciseForm,
    ExercisePatch,
    PeekIn,
    PromoteIn,
)
from scribedesk.server.api.upload_form import Received, receive_upload
from scribedesk.server.db.models import Curriculum, Dictation, Enrolment, Exercise, Review, User
from scribedesk.server.errors import Forbidden, Invalid, NotFound
from scribedesk.server.exercises import CurriculumSpec, ExerciseSpec
from scribedesk.server.gate import PRODUCTION

router = APIRouter(prefix="/training", tags=["training"])

#: An exercise's form carries its gold (a long narrative), unlike a dictation's.
GOLD_FIELD_BYTES = 4 << 20


@router.get("/me", summary="My curricula, progress, attempts and certificate (trainees)")
def my_training(user: CurrentUser, state: StateDep) -> dict[str, Any]:
    if user.role not in (Role.TRAINEE.value, Role.TRANSCRIPTIONIST.value):
        raise Forbidden("Only trainees and transcriptionists have training of their own.")
    with state.read() as session:
        return training_views.my_training(session, user)


@router.get("/attempts/{attempt_id}", summary="One attempt: its score, errors, gold and text")
def get_attempt(attempt_id: Id, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    with state.read() as session:
        return training_views.attempt_detail(session, attempt_id, user)


@router.post(
    "/jobs/{job_id}/peek",
    summary="The gold sentence I am at (when the curriculum allows hints; costs points)",
)
def peek(job_id: Id, body: PeekIn, user: Typist, state: StateDep) -> dict[str, Any]:
    with state.write() as session:
        sentence, used, allowed = training.take_peek(
            session, job_id, user, body.lease_token, body.narrative, state.clock()
        )
        return {"sentence": sentence, "peeks_used": used, "peeks_allowed": allowed}


# -- the trainer -----------------------------------------------------------------------------


@router.get("/exercises", summary="The exercise library (trainers)")
def list_exercises(_user: Trainer, state: StateDep) -> list[dict[str, Any]]:
    with state.read() as session:
        return training_views.library(session)


_EXERCISE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "title", "template_id", "gold"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string", "maxLength": 200},
                        "template_id": {"type": "string"},
                        "account": {"type": "string", "maxLength": 200},
                        "difficulty": {"type": "integer", "minimum": 1, "maximum": 5},
                        "tags": {"type": "string", "description": "Comma-separated"},
                        "gold": {
                            "type": "string",
                            "description": 'JSON: {"fields": {...}, "narrative": "..."}',
                        },
                    },
                    "additionalProperties": False,
                }
            }
        },
    }
}


@router.post(
    "/exercises",
    status_code=201,
    summary="Add an exercise: its audio and its gold transcript (trainers)",
    openapi_extra=_EXERCISE_BODY,
)
async def create_exercise(request: Request, user: Trainer, state: StateDep) -> dict[str, Any]:
    received = await receive_upload(
        request, state.store.spool_dir, state.store.max_bytes, GOLD_FIELD_BYTES
    )
    try:
        return await run_in_threadpool(_store_exercise, state, user, received)
    finally:
        assert received.path is not None
        await run_in_threadpool(received.path.unlink, missing_ok=True)


def _store_exercise(state: AppState, user: User, received: Received) -> dict[str, Any]:
    try:
        form = ExerciseForm.model_validate(received.fields)
    except ValidationError as exc:
        raise Invalid(describe_validation(list(exc.errors()))) from None
    spec = ExerciseSpec(
        title=form.title,
        template_id=form.template_id,
        account=form.account,
        difficulty=form.difficulty,
        tags=tuple(t for t in form.tags.split(",") if t.strip()),
        **_gold(form.gold),
    )
    template = exercises.check_spec(spec, state.templates)  # before storing any audio
    name = received.filename or "exercise"
    assert received.path is not None
    info = state.store.add_spooled(received.path, received.sha256, received.size, name)
    with state.write() as session:
        dictations.ensure_audio(session, info, name, state.clock())
        exercise = exercises.create_exercise(
            session, user, spec, template, info.sha256, "upload", state.clock()
        )
        return training_views.exercise_record(exercise, info.duration_ms)


def _gold(text: str) -> dict[str, Any]:
    try:
        gold = json.loads(text)
    except ValueError:
        raise Invalid('\'gold\' must be JSON: {"fields": {...}, "narrative": "..."}.') from None
    if not isinstance(gold, dict) or set(gold) - {"fields", "narrative"}:
        raise Invalid("'gold' must be an object with 'fields' and 'narrative'.")
    fields, narrative = gold.get("fields") or {}, gold.get("narrative")
    if not isinstance(fields, dict) or not isinstance(narrative, str):
        raise Invalid("'gold': 'fields' must be an object and 'narrative' text.")
    return {"gold_fields": fields, "gold_narrative": narrative}


@router.patch("/exercises/{exercise_id}", summary="Edit an exercise's title, tags, difficulty")
def edit_exercise(
    exercise_id: Id, body: ExercisePatch, _user: Trainer, state: StateDep
) -> dict[str, Any]:
    with state.write() as session:
        exercise = exercises.edit_exercise(
            session,
            exercise_id,
            state.clock(),
            title=body.title,
            difficulty=body.difficulty,
            tags=body.tags,
            active=body.active,
        )
        return training_views.exercise_record(
            exercise, state.audio(session, exercise.audio_sha256).duration_ms
        )


@router.get(
    "/promotable", summary="Reviewed production transcripts that can become exercises (trainers)"
)
def promotable(_user: Trainer, state: StateDep) -> list[dict[str, Any]]:
    with state.read() as session:
        used = select(Exercise.source_dictation_id).where(Exercise.source_dictation_id.is_not(None))
        rows = session.execute(
            select(Dictation, Review.score)
            .join(Review, Review.dictation_id == Dictation.id)
            .where(
                Dictation.kind == PRODUCTION,
                Dictation.status == Status.REVIEWED.value,
                Review.corrected_version.is_not(None),
                Dictation.id.not_in(used),
            )
            .order_by(Dictation.id.desc())
            .limit(200)
        ).all()
        return [
            {
                "dictation_id": d.id,
                "account": d.account,
                "title": d.title,
                "template_id": d.template_id,
                "score": (score or {}).get("score"),
            }
            for d, score in rows
        ]


@router.post(
    "/promotions",
    status_code=201,
    summary="Make a reviewed production transcript an exercise (the corrected version is gold)",
)
def promote(body: PromoteIn, user: Trainer, state: StateDep) -> dict[str, Any]:
    with state.write() as session:
        exercise = exercises.promote(
            session,
            user,
            body.dictation_id,
            body.title,
            body.invent_names,
            state.templates,
            state.clock(),
        )
        return training_views.exercise_record(
            exercise, state.audio(session, exercise.audio_sha256).duration_ms
        )


@router.get("/curricula", summary="Every curriculum (trainers)")
def list_curricula(_user: Trainer, state: StateDep) -> list[dict[str, Any]]:
    with state.read() as session:
        rows = session.scalars(select(Curriculum).order_by(Curriculum.name)).all()
        return [training_views.curriculum_record(session, c) for c in rows]


def _spec(body: CurriculumIn) -> CurriculumSpec:
    return CurriculumSpec(
        name=body.name,
        description=body.description,
        steps=[(s.exercise_id, s.pass_mark) for s in body.steps],
        rule=body.rule,
        hints=body.hints,
    )


@router.post("/curricula", status_code=201, summary="Create a curriculum (trainers)")
def create_curriculum(body: CurriculumIn, user: Trainer, state: StateDep) -> dict[str, Any]:
    with state.write() as session:
        curriculum = exercises.save_curriculum(session, user, _spec(body), state.clock())
        return training_views.curriculum_record(session, curriculum)


@router.put("/curricula/{curriculum_id}", summary="Replace a curriculum (trainers)")
def replace_curriculum(
    curriculum_id: Id, body: CurriculumIn, user: Trainer, state: StateDep
) -> dict[str, Any]:
    with state.write() as session:
        curriculum = exercises.save_curriculum(
            session, user, _spec(body), state.clock(), curriculum_id
        )
        return training_views.curriculum_record(session, curriculum)


@router.get(
    "/curricula/{curriculum_id}/grid",
    summary="Trainees × exercises: scores, attempts, time, speed, recurring errors (trainers)",
)
def grid(curriculum_id: Id, _user: Trainer, state: StateDep) -> dict[str, Any]:
    with state.read() as session:
        return training_views.grid(
            session,
            curriculum_id,
            state.settings.recertify_below,
            state.settings.sampling.rolling_reviews,
        )


@router.get("/people", summary="Trainees and transcriptionists, with their training state")
def people(_user: Trainer, state: StateDep) -> list[dict[str, Any]]:
    with state.read() as session:
        active = dict(
            session.execute(
                select(Enrolment.trainee_id, Enrolment.id).where(
                    Enrolment.status == training.ACTIVE
                )
            ).all()
        )
        rows = session.scalars(
            select(User)
            .where(
                User.role.in_([Role.TRAINEE.value, Role.TRANSCRIPTIONIST.value]),
                User.active.is_(True),
            )
            .order_by(User.role.desc(), User.username)
        ).all()
        return [
            {
                "id": u.id,
                "username": u.username,
                "display_name": u.display_name,
                "role": u.role,
                "production_hold": u.production_hold,
                "certified_templates": u.certified_templates,
                "enrolment_id": active.get(u.id),
            }
            for u in rows
        ]


@router.post(
    "/enrolments",
    status_code=201,
    summary="Assign a curriculum to a trainee, or send a transcriptionist back to one",
)
def enrol(body: EnrolIn, user: Trainer, state: StateDep) -> dict[str, Any]:
    with state.write() as session:
        enrolment = training.enrol(
            session, user, body.curriculum_id, body.user_id, body.reason, state.clock()
        )
        return training_views.progress(session, enrolment)


@router.get("/enrolments/{enrolment_id}", summary="One enrolment's progress (trainers)")
def get_enrolment(enrolment_id: Id, _user: Trainer, state: StateDep) -> dict[str, Any]:
    with state.read() as session:
        enrolment = session.get(Enrolment, enrolment_id)
        if enrolment is None:
            raise NotFound(f"There is no enrolment {enrolment_id}.")
        return training_views.progress(session, enrolment)


@router.post(
    "/enrolments/{enrolment_id}/certify",
    summary="Certify the trainee when the curriculum's rule holds (trainers)",
)
def certify(enrolment_id: Id, user: Trainer, state: StateDep) -> dict[str, Any]:
    with state.write() as session:
        certificate = certification.certify(session, user, enrolment_id, state.clock())
        return training_views.certificate_record(certificate)


@router.post("/attempts/{attempt_id}/comment", summary="A comment on an attempt its trainee sees")
def comment(attempt_id: Id, body: CommentIn, user: Trainer, state: StateDep) -> dict[str, Any]:
    with state.write() as session:
        certification.comment(session, attempt_id, user, body.text, state.clock())
    with state.read() as session:
        return training_views.attempt_detail(session, attempt_id, user)
