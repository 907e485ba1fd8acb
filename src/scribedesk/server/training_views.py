"""What the training pages show: a trainee's curricula and progress, the trainer's grid
of trainees × exercises, one attempt against its gold, and the transcriptionists whose
review accuracy asks for re-certification."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scribedesk.domain.certification import (
    AttemptFact,
    Step,
    current_step,
    evaluate,
    parse_rule,
)
from scribedesk.domain.roles import Role
from scribedesk.server.certification import latest_certificate
from scribedesk.server.db.models import (
    Attempt,
    Audio,
    Certificate,
    Curriculum,
    Enrolment,
    Exercise,
    TranscriptVersion,
    User,
)
from scribedesk.server.errors import Forbidden, NotFound
from scribedesk.server.exercises import steps_of
from scribedesk.server.team import rolling_accuracy
from scribedesk.server.training import ACTIVE, OPEN, SCORED, facts


def exercise_record(exercise: Exercise, duration_ms: int = 0) -> dict[str, Any]:
    return {
        "id": exercise.id,
        "title": exercise.title,
        "template_id": exercise.template_id,
        "account": exercise.account,
        "difficulty": exercise.difficulty,
        "tags": list(exercise.tags),
        "source": exercise.source,
        "source_dictation_id": exercise.source_dictation_id,
        "active": exercise.active,
        "audio_ms": duration_ms,
        "gold_words": len(exercise.gold_narrative.split()),
    }


def library(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Exercise, Audio.duration_ms)
        .join(Audio, Audio.sha256 == Exercise.audio_sha256)
        .order_by(Exercise.id)
    ).all()
    return [exercise_record(e, d) for e, d in rows]


def curriculum_record(session: Session, curriculum: Curriculum) -> dict[str, Any]:
    titles = dict(
        session.execute(
            select(Exercise.id, Exercise.title).where(
                Exercise.id.in_([int(s["exercise_id"]) for s in curriculum.steps])
            )
        ).all()
    )
    return {
        "id": curriculum.id,
        "name": curriculum.name,
        "description": curriculum.description,
        "steps": [{**s, "title": titles.get(int(s["exercise_id"]), "")} for s in curriculum.steps],
        "rule": curriculum.rule,
        "hints": curriculum.hints,
    }


def _attempt_line(attempt: Attempt, titles: dict[int, str]) -> dict[str, Any]:
    return {
        "id": attempt.id,
        "job_id": attempt.dictation_id,
        "exercise_id": attempt.exercise_id,
        "title": titles.get(attempt.exercise_id, ""),
        "number": attempt.number,
        "status": attempt.status,
        "score": attempt.score,
        "passed": attempt.passed,
        "critical": attempt.critical,
        "pace": attempt.pace,
        "peeks": attempt.peeks,
        "time_spent_seconds": attempt.time_spent_s,
        "started_at": attempt.started_at.isoformat(),
        "scored_at": attempt.scored_at.isoformat() if attempt.scored_at else None,
        "comment": attempt.comment,
    }


def progress(session: Session, enrolment: Enrolment) -> dict[str, Any]:
    """One enrolment: its steps with where the trainee is, every attempt, the rule."""
    curriculum = session.get(Curriculum, enrolment.curriculum_id)
    assert curriculum is not None
    steps = steps_of(session, curriculum)
    attempts = list(
        session.scalars(
            select(Attempt).where(Attempt.enrolment_id == enrolment.id).order_by(Attempt.id)
        )
    )
    titles = dict(
        session.execute(
            select(Exercise.id, Exercise.title).where(
                Exercise.id.in_([s.exercise_id for s in steps])
            )
        ).all()
    )
    known = facts(session, enrolment.id)
    at = current_step(steps, known)
    step_rows = []
    for index, step in enumerate(steps):
        mine = [a for a in attempts if a.exercise_id == step.exercise_id]
        scored = [a for a in mine if a.status == SCORED]
        passed = any(a.passed for a in scored)
        state = (
            "passed"
            if passed
            else "current"
            if index == at
            else "locked"
            if at is not None and index > at
            else "open"
        )
        step_rows.append(
            {
                "exercise_id": step.exercise_id,
                "title": titles.get(step.exercise_id, ""),
                "template_id": step.template_id,
                "pass_mark": step.pass_mark,
                "state": state,
                "attempts": len(scored),
                "best": max((a.score or 0 for a in scored), default=None),
            }
        )
    check = evaluate(parse_rule(curriculum.rule), steps, known)
    open_job = next((a.dictation_id for a in attempts if a.status == OPEN), None)
    return {
        "id": enrolment.id,
        "curriculum": curriculum_record(session, curriculum),
        "status": enrolment.status,
        "reason": enrolment.reason,
        "assigned_at": enrolment.assigned_at.isoformat(),
        "steps": step_rows,
        "attempts": [_attempt_line(a, titles) for a in attempts],
        "rule": check.to_dict(),
        "open_job_id": open_job,
    }


def my_training(session: Session, user: User) -> dict[str, Any]:
    """The signed-in trainee's curricula (the active one first) and certificate."""
    enrolments = session.scalars(
        select(Enrolment)
        .where(Enrolment.trainee_id == user.id)
        .order_by((Enrolment.status == ACTIVE).desc(), Enrolment.id.desc())
    ).all()
    certificate = latest_certificate(session, user.id)
    return {
        "user": user.username,
        "role": user.role,
        "production_hold": user.production_hold,
        "certified_templates": user.certified_templates,
        "enrolments": [progress(session, e) for e in enrolments],
        "certificate": certificate_record(certificate) if certificate else None,
    }


def certificate_record(certificate: Certificate) -> dict[str, Any]:
    return {
        "id": certificate.id,
        "curriculum_id": certificate.curriculum_id,
        "templates": list(certificate.templates),
        "certified_at": certificate.certified_at.isoformat(),
        "automatic": certificate.certified_by is None,
        "evidence": certificate.evidence,
    }


def attempt_detail(session: Session, attempt_id: int, user: User) -> dict[str, Any]:
    """An attempt with its gold and what was typed (for the diff), to its trainee once
    scored, and to trainers."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound(f"There is no attempt {attempt_id}.")
    trainer = user.role in (Role.TRAINER.value, Role.ADMIN.value)
    if not trainer and attempt.trainee_id != user.id:
        raise NotFound(f"There is no attempt {attempt_id} of yours.")
    if not trainer and attempt.status != SCORED:
        raise Forbidden("The gold is shown once the attempt is submitted and scored.")
    exercise = session.get(Exercise, attempt.exercise_id)
    assert exercise is not None
    audio = session.get(Audio, exercise.audio_sha256)
    version = None
    if attempt.result.get("version"):
        version = session.scalar(
            select(TranscriptVersion).where(
                TranscriptVersion.dictation_id == attempt.dictation_id,
                TranscriptVersion.number == attempt.result["version"],
            )
        )
    who = dict(
        session.execute(
            select(User.id, User.username).where(
                User.id.in_([attempt.trainee_id, attempt.comment_by or 0])
            )
        ).all()
    )
    return {
        **_attempt_line(attempt, {exercise.id: exercise.title}),
        "trainee": who.get(attempt.trainee_id, ""),
        "template_id": exercise.template_id,
        "account": exercise.account,
        "audio_ms": audio.duration_ms if audio else 0,
        "audio_working_sha256": audio.working_sha256 if audio else "",
        "audio_working_size": audio.working_size if audio else 0,
        "comment_by": who.get(attempt.comment_by) if attempt.comment_by else None,
        "result": attempt.result,
        "gold": {"fields": exercise.gold_fields, "narrative": exercise.gold_narrative},
        "typed": (
            {"fields": version.fields, "narrative": version.narrative}
            if version is not None
            else None
        ),
    }


def grid(
    session: Session, curriculum_id: int, recertify_below: float, rolling: int
) -> dict[str, Any]:
    """Trainees × the curriculum's exercises: attempts, scores, time and speed per cell;
    per trainee the error kinds that recur and whether the rule holds; and the
    transcriptionists whose review accuracy is under the re-certification threshold.
    A few queries whatever the size (bench_training.py)."""
    curriculum = session.get(Curriculum, curriculum_id)
    if curriculum is None:
        raise NotFound(f"There is no curriculum {curriculum_id}.")
    steps = steps_of(session, curriculum)
    rule = parse_rule(curriculum.rule)
    enrolments = session.execute(
        select(Enrolment, User.username, User.display_name)
        .join(User, User.id == Enrolment.trainee_id)
        .where(Enrolment.curriculum_id == curriculum_id)
        .order_by(User.username, Enrolment.id)
    ).all()
    durations = dict(
        session.execute(
            select(Exercise.id, Audio.duration_ms)
            .join(Audio, Audio.sha256 == Exercise.audio_sha256)
            .where(Exercise.id.in_([s.exercise_id for s in steps]))
        ).all()
    )
    by_enrolment: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(
            Attempt.id,
            Attempt.enrolment_id,
            Attempt.exercise_id,
            Attempt.status,
            Attempt.score,
            Attempt.passed,
            Attempt.critical,
            Attempt.pace,
            Attempt.time_spent_s,
            Attempt.categories,
            Attempt.scored_at,
            Attempt.started_at,
        )
        .join(Enrolment, Enrolment.id == Attempt.enrolment_id)
        .where(Enrolment.curriculum_id == curriculum_id)
        .order_by(Attempt.id)
    ):
        by_enrolment[row.enrolment_id].append(row)
    templates = {s.exercise_id: s.template_id for s in steps}
    rows = []
    for enrolment, username, display in enrolments:
        attempts = by_enrolment[enrolment.id]
        scored = [a for a in attempts if a.status == SCORED]
        rows.append(
            {
                "enrolment_id": enrolment.id,
                "username": username,
                "display_name": display,
                "status": enrolment.status,
                "cells": [_cell(step, attempts, durations) for step in steps],
                "recurring": _recurring(scored),
                "rule": evaluate(rule, steps, _facts(scored, templates)).to_dict(),
            }
        )
    return {
        "curriculum": curriculum_record(session, curriculum),
        "exercises": [
            {"exercise_id": s.exercise_id, "template_id": s.template_id, "pass_mark": s.pass_mark}
            for s in steps
        ],
        "trainees": rows,
        "alerts": alerts(session, recertify_below, rolling),
    }


def _facts(scored: list[Any], templates: dict[int, str]) -> list[AttemptFact]:
    return [
        AttemptFact(
            a.exercise_id,
            templates.get(a.exercise_id, ""),
            float(a.score or 0),
            bool(a.passed),
            int(a.critical or 0),
            float(a.pace or 0),
            a.scored_at or a.started_at,
        )
        for a in scored
    ]


def _cell(step: Step, attempts: list[Any], durations: dict[int, int]) -> dict[str, Any]:
    mine = [a for a in attempts if a.exercise_id == step.exercise_id and a.status == SCORED]
    if not mine:
        open_one = any(a.exercise_id == step.exercise_id for a in attempts)
        return {"attempts": 0, "state": "open" if open_one else "none"}
    spent = sum(a.time_spent_s for a in mine)
    audio_min = durations.get(step.exercise_id, 0) / 60_000 * len(mine)
    return {
        "attempts": len(mine),
        "state": "passed" if any(a.passed for a in mine) else "failed",
        "best": max(float(a.score or 0) for a in mine),
        "last": float(mine[-1].score or 0),
        "last_attempt_id": mine[-1].id,
        "time_spent_seconds": spent,
        "audio_minutes_per_hour": round(audio_min / (spent / 3600), 1) if spent else 0.0,
    }


def _recurring(scored: list[Any]) -> list[dict[str, Any]]:
    """Error kinds found in more than one attempt, most frequent first."""
    total: Counter[str] = Counter()
    seen_in: Counter[str] = Counter()
    for attempt in scored:
        for kind, count in (attempt.categories or {}).items():
            total[kind] += int(count)
            seen_in[kind] += 1
    return [
        {"category": kind, "count": count, "attempts": seen_in[kind]}
        for kind, count in total.most_common()
        if seen_in[kind] > 1
    ][:5]


def alerts(session: Session, below: float, rolling: int) -> list[dict[str, Any]]:
    """Transcriptionists whose rolling review accuracy is under ``below`` and who are not
    back in training already."""
    accuracy = rolling_accuracy(session, rolling)
    low = {user: value for user, value in accuracy.items() if value < below}
    if not low:
        return []
    people = session.execute(
        select(User.id, User.username, User.display_name).where(
            User.id.in_(list(low)),
            User.role == Role.TRANSCRIPTIONIST.value,
            User.active.is_(True),
            User.production_hold.is_(None),
        )
    ).all()
    return [
        {
            "user_id": p.id,
            "username": p.username,
            "display_name": p.display_name,
            "rolling_accuracy": low[p.id],
            "threshold": below,
        }
        for p in sorted(people, key=lambda p: low[p.id])
    ]
