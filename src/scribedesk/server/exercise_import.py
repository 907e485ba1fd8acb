"""Exercises in bulk from a manifest (the demo's format: each entry's audio file, template,
account, title, script and fields, the script and fields being the gold), and the demo's
starter curriculum with a trainee part-way through it."""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from scribedesk.domain.certification import CertificationRule
from scribedesk.domain.training import Hints
from scribedesk.server import dictations, dispatch, exercises, training, transcripts
from scribedesk.server.api.state import AppState
from scribedesk.server.certification import on_training_submit
from scribedesk.server.db.models import Attempt, Audio, Exercise, User
from scribedesk.server.errors import Invalid, ServiceError
from scribedesk.server.exercises import CurriculumSpec, ExerciseSpec
from scribedesk.server.transcripts import TranscriptContent

#: Tags a manifest's voice gives an exercise.
_ACCENTS = {"en-us": "us accent", "en-gb": "uk accent"}
_COMPRESSED = {"opus", "mp3", "m4a", "amr", "ogg"}


def _tags(entry: dict[str, Any], template_id: str) -> tuple[str, ...]:
    tags = [*entry.get("tags", [])]
    if entry.get("voice") in _ACCENTS:
        tags.append(_ACCENTS[entry["voice"]])
    if entry.get("format") in _COMPRESSED:
        tags.append("compressed audio")
    if template_id == "proposal-section":
        tags.append("vocabulary")
    return tuple(tags)


def import_exercises(state: AppState, trainer: User, manifest_path: Path) -> list[int]:
    """Every manifest entry with a script becomes an exercise; Invalid names the entry
    and what is wrong with it (nothing is added then)."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = manifest["dictations"] if isinstance(manifest, dict) else manifest
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Invalid(f"{manifest_path.name}: not a manifest of exercises ({exc}).") from None
    specs = []
    for number, entry in enumerate(entries, start=1):
        where = f"{manifest_path.name}, entry {number}"
        if not isinstance(entry, dict) or not entry.get("script") or not entry.get("file"):
            raise Invalid(f"{where}: each entry needs 'file' and 'script'.")
        spec = ExerciseSpec(
            title=str(entry.get("title") or entry["file"]),
            template_id=str(entry.get("template_id", "")),
            account=str(entry.get("account", "")),
            gold_fields=dict(entry.get("fields") or {}),
            gold_narrative=str(entry["script"]),
            difficulty=int(entry.get("difficulty", 2)),
            tags=_tags(entry, str(entry.get("template_id", ""))),
        )
        try:
            template = exercises.check_spec(spec, state.templates)
        except ServiceError as exc:
            raise Invalid(f"{where}: {exc.message}") from None
        audio = manifest_path.parent / str(entry["file"])
        if not audio.is_file():
            raise Invalid(f"{where}: the audio file {audio.name} is missing.")
        specs.append((spec, template, audio))
    made = []
    for spec, template, audio in specs:
        with audio.open("rb") as stream:
            info = state.store.add(stream, audio.name)
        with state.write() as session:
            dictations.ensure_audio(session, info, audio.name, state.clock())
            duration = info.duration_ms
            difficulty = spec.difficulty if duration < 45_000 else max(spec.difficulty, 3)
            exercise = exercises.create_exercise(
                session,
                trainer,
                ExerciseSpec(**{**spec.__dict__, "difficulty": difficulty}),
                template,
                info.sha256,
                "import",
                state.clock(),
            )
            made.append(exercise.id)
    return made


STARTER = "Starter: field reports"


def seed_training(state: AppState, manifest_path: Path, now: datetime) -> None:
    """The demo's library (every manifest entry), the starter curriculum (one exercise
    of each template, short ones first) assigned to the demo trainee, who has failed
    the first exercise once and then passed it."""
    with state.read() as session:
        trainer = session.scalar(select(User).where(User.username == "tess"))
        trainee = session.scalar(select(User).where(User.username == "trey"))
    if trainer is None or trainee is None:
        return
    ids = import_exercises(state, trainer, manifest_path)
    with state.write() as session:
        rows = session.execute(
            select(Exercise.id, Exercise.template_id, Audio.duration_ms)
            .join(Audio, Audio.sha256 == Exercise.audio_sha256)
            .where(Exercise.id.in_(ids))
            .order_by(Audio.duration_ms)
        ).all()
        chosen: dict[str, int] = {}
        for exercise_id, template_id, _ms in rows:
            chosen.setdefault(template_id, exercise_id)
        # ... and a second call report (the template the reps use most), five in all.
        calls = [e for e, t, _ms in rows if t == "sales-call-report" and e not in chosen.values()]
        steps = [(e, 98.0) for e in [*chosen.values(), *calls[:1]]]
        curriculum = exercises.save_curriculum(
            session,
            trainer,
            CurriculumSpec(
                name=STARTER,
                description="One dictation of each template, shortest first, and a "
                "second call report: a new transcriptionist's first week.",
                steps=steps,
                rule=CertificationRule().to_dict(),
                hints=Hints(peeks=3, peek_points=0.5).to_dict(),
            ),
            now - timedelta(days=2),
        )
        enrolment = training.enrol(
            session, trainer, curriculum.id, trainee.id, "", now - timedelta(days=1)
        )
        enrolment_id = enrolment.id
    rng = random.Random(14)
    for hours_ago, sloppy in ((20, True), (19, False)):
        _demo_attempt(
            state, trainee.id, enrolment_id, now - timedelta(hours=hours_ago), sloppy, rng
        )


def _demo_attempt(
    state: AppState, trainee_id: int, enrolment_id: int, when: datetime, sloppy: bool, rng: Any
) -> None:
    """The trainee's open attempt, typed (with mistakes when ``sloppy``) and submitted
    through the same calls a workstation makes."""
    with state.write() as session:
        trainee = session.get(User, trainee_id)
        assert trainee is not None
        attempt = session.scalar(
            select(Attempt).where(Attempt.enrolment_id == enrolment_id, Attempt.status == "open")
        )
        assert attempt is not None
        exercise = session.get(Exercise, attempt.exercise_id)
        assert exercise is not None
        attempt.started_at = when - timedelta(minutes=3)
        job = dispatch.take_lease(
            session, attempt.dictation_id, trainee, when, state.settings.lease
        )
        words = exercise.gold_narrative.split()
        fields = dict(exercise.gold_fields)
        if sloppy:  # two phrases dropped, a word misheard, the account misspelt in its field
            del words[len(words) // 2 : len(words) // 2 + 3]
            del words[len(words) // 4 : len(words) // 4 + 2]
            words[rng.randrange(len(words) // 2, len(words))] = "the"
            for key, value in fields.items():
                if key.endswith("account") and isinstance(value, str) and len(value) > 1:
                    fields[key] = value[:-1]
        template = state.template(exercise.template_id)
        audio = session.get(Audio, exercise.audio_sha256)
        spent = int((audio.duration_ms if audio else 30_000) / 1000 * (2.6 if sloppy else 1.4))
        content = TranscriptContent(
            fields=fields,
            narrative=" ".join(words),
            time_spent_s=spent,
        )
        transcripts.submit(
            session,
            job.id,
            trainee,
            job.lease_token or "",
            f"demo-{uuid.uuid4()}",
            content,
            template,
            when,
            accepted=lambda j, v: on_training_submit(session, j, v, template, when),
        )
