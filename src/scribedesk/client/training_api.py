"""The training side of the service: a trainee's curricula, attempts and peeks; the
trainer's library, curricula, grid, enrolments, comments and certification."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from scribedesk.client.api import ApiClient
from scribedesk.client.payloads import garbage
from scribedesk.domain.trainer_records import (
    CurriculumItem,
    ExerciseItem,
    Grid,
    Person,
    curriculum_from_record,
    exercise_from_record,
    grid_from_record,
    person_from_record,
)
from scribedesk.domain.training_records import (
    AttemptDetail,
    MyTraining,
    attempt_from_record,
    my_training_from_record,
)

T = TypeVar("T")


def _read(what: str, parse: Callable[[Any], T], data: Any) -> T:
    try:
        return parse(data)
    except ValueError as exc:
        raise garbage(what, exc) from None


def _many(what: str, parse: Callable[[Any], T], data: Any) -> list[T]:
    if not isinstance(data, list):
        raise garbage(what, "not a list")
    return [_read(what, parse, d) for d in data]


class TrainingApi:
    """Training calls over the signed-in ``ApiClient``."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    # -- the trainee ----------------------------------------------------------------------

    def mine(self) -> MyTraining:
        return _read("your training", my_training_from_record, self.api.call("GET", "/training/me"))

    def attempt(self, attempt_id: int) -> AttemptDetail:
        data = self.api.call("GET", f"/training/attempts/{attempt_id}")
        return _read("an attempt", attempt_from_record, data)

    def peek(self, job_id: int, lease_token: str, narrative: str) -> tuple[str, int, int]:
        """The gold sentence I am at: (sentence, peeks used, peeks allowed)."""
        data = self.api.call(
            "POST",
            f"/training/jobs/{job_id}/peek",
            json={"lease_token": lease_token, "narrative": narrative},
        )
        if not isinstance(data, dict) or not isinstance(data.get("sentence"), str):
            raise garbage("a peek", "no sentence")
        return data["sentence"], int(data["peeks_used"]), int(data["peeks_allowed"])

    # -- the trainer ----------------------------------------------------------------------

    def exercises(self) -> list[ExerciseItem]:
        return _many(
            "the library", exercise_from_record, self.api.call("GET", "/training/exercises")
        )

    def create_exercise(self, audio: Path, form: Mapping[str, Any]) -> ExerciseItem:
        """Upload an exercise's audio with its gold (``form``: title, template_id, account,
        difficulty, tags, gold_fields, gold_narrative)."""
        fields = {
            "title": str(form["title"]),
            "template_id": str(form["template_id"]),
            "account": str(form.get("account", "")),
            "difficulty": str(form.get("difficulty", 2)),
            "tags": ",".join(form.get("tags", ())),
            "gold": json.dumps(
                {"fields": dict(form.get("gold_fields") or {}), "narrative": form["gold_narrative"]}
            ),
        }
        with audio.open("rb") as stream:
            answer = self.api.request(
                "POST", "/training/exercises", files={"file": (audio.name, stream)}, data=fields
            )
        try:
            data = answer.json()
        except ValueError:
            raise garbage("an exercise", "not JSON") from None
        return _read("an exercise", exercise_from_record, data)

    def edit_exercise(self, exercise_id: int, **changes: Any) -> ExerciseItem:
        data = self.api.call("PATCH", f"/training/exercises/{exercise_id}", json=changes)
        return _read("an exercise", exercise_from_record, data)

    def promotable(self) -> list[dict[str, Any]]:
        """Reviewed production transcripts that can become exercises."""
        data = self.api.call("GET", "/training/promotable")
        return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []

    def promote(self, dictation_id: int, title: str, invent_names: bool) -> ExerciseItem:
        data = self.api.call(
            "POST",
            "/training/promotions",
            json={"dictation_id": dictation_id, "title": title, "invent_names": invent_names},
        )
        return _read("an exercise", exercise_from_record, data)

    def curricula(self) -> list[CurriculumItem]:
        return _many(
            "the curricula", curriculum_from_record, self.api.call("GET", "/training/curricula")
        )

    def save_curriculum(
        self,
        name: str,
        steps: Sequence[tuple[int, float]],
        *,
        curriculum_id: int = 0,
        description: str = "",
        rule: Mapping[str, Any] | None = None,
        hints: Mapping[str, Any] | None = None,
    ) -> CurriculumItem:
        body = {
            "name": name,
            "description": description,
            "steps": [{"exercise_id": e, "pass_mark": m} for e, m in steps],
            "rule": dict(rule) if rule is not None else None,
            "hints": dict(hints) if hints is not None else None,
        }
        if curriculum_id:
            data = self.api.call("PUT", f"/training/curricula/{curriculum_id}", json=body)
        else:
            data = self.api.call("POST", "/training/curricula", json=body)
        return _read("a curriculum", curriculum_from_record, data)

    def grid(self, curriculum_id: int) -> Grid:
        data = self.api.call("GET", f"/training/curricula/{curriculum_id}/grid")
        return _read("the trainees' grid", grid_from_record, data)

    def people(self) -> list[Person]:
        return _many("the trainees", person_from_record, self.api.call("GET", "/training/people"))

    def enrol(self, curriculum_id: int, user_id: int, reason: str = "") -> None:
        self.api.call(
            "POST",
            "/training/enrolments",
            json={"curriculum_id": curriculum_id, "user_id": user_id, "reason": reason},
        )

    def certify(self, enrolment_id: int) -> dict[str, Any]:
        data = self.api.call("POST", f"/training/enrolments/{enrolment_id}/certify")
        return data if isinstance(data, dict) else {}

    def comment(self, attempt_id: int, text: str) -> AttemptDetail:
        data = self.api.call(
            "POST", f"/training/attempts/{attempt_id}/comment", json={"text": text}
        )
        return _read("an attempt", attempt_from_record, data)
