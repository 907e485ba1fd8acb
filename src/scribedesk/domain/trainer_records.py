"""Training as the trainer's workstation holds it, read from the service's JSON: the grid
of trainees × exercises, the library, the curricula and the people who train.

Every parser raises ValueError on a shape it cannot use; the API client turns that into
a Failure the page can show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scribedesk.domain.training_records import Criterion, criteria_of, obj, optional_float


@dataclass(frozen=True)
class GridCell:
    attempts: int
    state: str  # none | open | failed | passed
    best: float | None = None
    last: float | None = None
    last_attempt_id: int | None = None
    time_spent_s: int = 0
    audio_minutes_per_hour: float = 0.0


@dataclass(frozen=True)
class GridRow:
    enrolment_id: int
    username: str
    display_name: str
    status: str
    cells: tuple[GridCell, ...]
    recurring: tuple[tuple[str, int], ...]
    rule_holds: bool
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Alert:
    user_id: int
    username: str
    rolling_accuracy: float
    threshold: float


@dataclass(frozen=True)
class Grid:
    """Trainees × the curriculum's exercises, and the re-certification alerts."""

    curriculum_id: int
    curriculum: str
    exercises: tuple[tuple[int, str, str], ...]  # (exercise id, title, template)
    rows: tuple[GridRow, ...]
    alerts: tuple[Alert, ...]


@dataclass(frozen=True)
class ExerciseItem:
    id: int
    title: str
    template_id: str
    account: str
    difficulty: int
    tags: tuple[str, ...]
    source: str
    active: bool
    audio_ms: int
    gold_words: int


@dataclass(frozen=True)
class CurriculumItem:
    id: int
    name: str
    description: str
    steps: tuple[tuple[int, float, str], ...]  # (exercise id, pass mark, title)
    rule: dict[str, Any] = field(default_factory=dict)
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Person:
    """A trainee or transcriptionist as the trainer picks them."""

    id: int
    username: str
    display_name: str
    role: str
    production_hold: str | None
    enrolment_id: int | None


def grid_from_record(data: Any) -> Grid:
    """The answer of GET /training/curricula/{id}/grid; ValueError if it is not one."""
    try:
        data = obj(data, "the trainees' grid")
        curriculum = obj(data["curriculum"], "a curriculum")
        titles = {int(s["exercise_id"]): str(s.get("title", "")) for s in curriculum["steps"]}
        rows = []
        for row in data["trainees"]:
            holds, criteria = criteria_of(row["rule"])
            rows.append(
                GridRow(
                    enrolment_id=int(row["enrolment_id"]),
                    username=str(row["username"]),
                    display_name=str(row.get("display_name", "")),
                    status=str(row["status"]),
                    cells=tuple(
                        GridCell(
                            attempts=int(c["attempts"]),
                            state=str(c["state"]),
                            best=optional_float(c.get("best")),
                            last=optional_float(c.get("last")),
                            last_attempt_id=c.get("last_attempt_id"),
                            time_spent_s=int(c.get("time_spent_seconds", 0)),
                            audio_minutes_per_hour=float(c.get("audio_minutes_per_hour", 0)),
                        )
                        for c in row["cells"]
                    ),
                    recurring=tuple(
                        (str(r["category"]), int(r["count"])) for r in row.get("recurring", [])
                    ),
                    rule_holds=holds,
                    criteria=criteria,
                )
            )
        return Grid(
            curriculum_id=int(curriculum["id"]),
            curriculum=str(curriculum["name"]),
            exercises=tuple(
                (
                    int(e["exercise_id"]),
                    titles.get(int(e["exercise_id"]), ""),
                    str(e["template_id"]),
                )
                for e in data["exercises"]
            ),
            rows=tuple(rows),
            alerts=tuple(
                Alert(
                    int(a["user_id"]),
                    str(a["username"]),
                    float(a["rolling_accuracy"]),
                    float(a["threshold"]),
                )
                for a in data.get("alerts", [])
            ),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"the trainees' grid lacks {exc}") from None


def exercise_from_record(data: Any) -> ExerciseItem:
    data = obj(data, "an exercise")
    try:
        return ExerciseItem(
            id=int(data["id"]),
            title=str(data["title"]),
            template_id=str(data["template_id"]),
            account=str(data.get("account", "")),
            difficulty=int(data.get("difficulty", 1)),
            tags=tuple(map(str, data.get("tags", []))),
            source=str(data.get("source", "")),
            active=bool(data.get("active", True)),
            audio_ms=int(data.get("audio_ms", 0)),
            gold_words=int(data.get("gold_words", 0)),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"an exercise lacks {exc}") from None


def curriculum_from_record(data: Any) -> CurriculumItem:
    data = obj(data, "a curriculum")
    try:
        return CurriculumItem(
            id=int(data["id"]),
            name=str(data["name"]),
            description=str(data.get("description", "")),
            steps=tuple(
                (int(s["exercise_id"]), float(s["pass_mark"]), str(s.get("title", "")))
                for s in data["steps"]
            ),
            rule=dict(data.get("rule") or {}),
            hints=dict(data.get("hints") or {}),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"a curriculum lacks {exc}") from None


def person_from_record(data: Any) -> Person:
    data = obj(data, "a person")
    try:
        return Person(
            id=int(data["id"]),
            username=str(data["username"]),
            display_name=str(data.get("display_name", "")),
            role=str(data["role"]),
            production_hold=data.get("production_hold"),
            enrolment_id=data.get("enrolment_id"),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"a person lacks {exc}") from None
