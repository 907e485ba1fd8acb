"""Training as the workstation holds it, read from the service's JSON: a trainee's
curricula and attempts, one attempt against its gold, the trainer's grid and library.

Every parser checks the shape it needs and raises ValueError on anything else; the API
client turns that into a Failure the page can show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StepState:
    """One exercise of a curriculum as the trainee stands on it."""

    exercise_id: int
    title: str
    template_id: str
    pass_mark: float
    state: str  # passed | current | locked | open
    attempts: int
    best: float | None


@dataclass(frozen=True)
class AttemptLine:
    """One attempt in a list."""

    id: int
    job_id: int
    exercise_id: int
    title: str
    number: int
    status: str  # open | scored
    score: float | None
    passed: bool | None
    critical: int | None
    time_spent_s: int
    comment: str


@dataclass(frozen=True)
class Criterion:
    name: str
    met: bool
    detail: str


@dataclass(frozen=True)
class Progress:
    """One enrolment: the curriculum, where the trainee is, the attempts, the rule."""

    id: int
    curriculum_id: int
    curriculum: str
    status: str  # active | certified | withdrawn
    reason: str
    steps: tuple[StepState, ...]
    attempts: tuple[AttemptLine, ...]
    rule_holds: bool
    criteria: tuple[Criterion, ...]
    peeks_allowed: int
    peek_points: float
    open_job_id: int | None


@dataclass(frozen=True)
class MyTraining:
    """The signed-in user's training."""

    role: str
    production_hold: str | None
    certified_templates: tuple[str, ...] | None
    enrolments: tuple[Progress, ...]
    certified_at: str | None = None

    @property
    def active(self) -> Progress | None:
        return next((e for e in self.enrolments if e.status == "active"), None)


@dataclass(frozen=True)
class AttemptError:
    kind: str
    severity: str
    gold: str
    typed: str
    field: str | None
    at_word: int


@dataclass(frozen=True)
class FieldOutcome:
    field: str
    label: str
    matches: bool
    critical: bool
    gold: str
    typed: str


@dataclass(frozen=True)
class AttemptDetail:
    """An attempt with its score, its errors, the gold and what was typed."""

    line: AttemptLine
    trainee: str
    template_id: str
    account: str
    audio_ms: int
    audio_sha256: str
    audio_size: int
    score: dict[str, Any]
    errors: tuple[AttemptError, ...]
    fields: tuple[FieldOutcome, ...]
    gold_fields: dict[str, Any]
    gold_narrative: str
    typed_fields: dict[str, Any]
    typed_narrative: str
    comment_by: str | None = None


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


def _obj(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError(f"{what} is not a JSON object")
    return data


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _criteria(rule: Any) -> tuple[bool, tuple[Criterion, ...]]:
    rule = _obj(rule, "a rule check")
    return bool(rule["holds"]), tuple(
        Criterion(str(c["name"]), bool(c["met"]), str(c["detail"])) for c in rule["criteria"]
    )


def attempt_line(data: Any) -> AttemptLine:
    data = _obj(data, "an attempt")
    return AttemptLine(
        id=int(data["id"]),
        job_id=int(data["job_id"]),
        exercise_id=int(data["exercise_id"]),
        title=str(data.get("title", "")),
        number=int(data["number"]),
        status=str(data["status"]),
        score=_float(data.get("score")),
        passed=None if data.get("passed") is None else bool(data["passed"]),
        critical=None if data.get("critical") is None else int(data["critical"]),
        time_spent_s=int(data.get("time_spent_seconds") or 0),
        comment=str(data.get("comment") or ""),
    )


def progress_from_record(data: Any) -> Progress:
    data = _obj(data, "an enrolment")
    curriculum = _obj(data["curriculum"], "a curriculum")
    holds, criteria = _criteria(data["rule"])
    hints = curriculum.get("hints") or {}
    return Progress(
        id=int(data["id"]),
        curriculum_id=int(curriculum["id"]),
        curriculum=str(curriculum["name"]),
        status=str(data["status"]),
        reason=str(data.get("reason") or ""),
        steps=tuple(
            StepState(
                int(s["exercise_id"]),
                str(s.get("title", "")),
                str(s.get("template_id", "")),
                float(s["pass_mark"]),
                str(s["state"]),
                int(s["attempts"]),
                _float(s.get("best")),
            )
            for s in data["steps"]
        ),
        attempts=tuple(attempt_line(a) for a in data["attempts"]),
        rule_holds=holds,
        criteria=criteria,
        peeks_allowed=int(hints.get("peeks", 0)),
        peek_points=float(hints.get("peek_points", 0)),
        open_job_id=None if data.get("open_job_id") is None else int(data["open_job_id"]),
    )


def my_training_from_record(data: Any) -> MyTraining:
    """The answer of GET /training/me; ValueError if it is not one."""
    try:
        data = _obj(data, "your training")
        templates = data.get("certified_templates")
        certificate = data.get("certificate") or {}
        return MyTraining(
            role=str(data["role"]),
            production_hold=data.get("production_hold"),
            certified_templates=None if templates is None else tuple(map(str, templates)),
            enrolments=tuple(progress_from_record(e) for e in data["enrolments"]),
            certified_at=certificate.get("certified_at"),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"your training lacks {exc}") from None


def attempt_from_record(data: Any) -> AttemptDetail:
    """The answer of GET /training/attempts/{id}; ValueError if it is not one."""
    try:
        data = _obj(data, "an attempt")
        result = _obj(data.get("result") or {}, "an attempt's result")
        gold = _obj(data["gold"], "the gold")
        typed = data.get("typed") or {"fields": {}, "narrative": ""}
        return AttemptDetail(
            line=attempt_line(data),
            trainee=str(data.get("trainee", "")),
            template_id=str(data["template_id"]),
            account=str(data.get("account", "")),
            audio_ms=int(data.get("audio_ms", 0)),
            audio_sha256=str(data.get("audio_working_sha256", "")),
            audio_size=int(data.get("audio_working_size", 0)),
            score={k: v for k, v in result.items() if k not in ("errors", "fields")},
            errors=tuple(
                AttemptError(
                    str(e["kind"]),
                    str(e["severity"]),
                    str(e.get("gold", "")),
                    str(e.get("typed", "")),
                    e.get("field"),
                    int(e.get("at_word", 0)),
                )
                for e in result.get("errors", [])
            ),
            fields=tuple(
                FieldOutcome(
                    str(f["field"]),
                    str(f.get("label", f["field"])),
                    bool(f["matches"]),
                    bool(f.get("critical")),
                    str(f.get("gold", "")),
                    str(f.get("typed", "")),
                )
                for f in result.get("fields", [])
            ),
            gold_fields=dict(gold.get("fields") or {}),
            gold_narrative=str(gold.get("narrative", "")),
            typed_fields=dict(typed.get("fields") or {}),
            typed_narrative=str(typed.get("narrative", "")),
            comment_by=data.get("comment_by"),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"an attempt lacks {exc}") from None


def grid_from_record(data: Any) -> Grid:
    """The answer of GET /training/curricula/{id}/grid; ValueError if it is not one."""
    try:
        data = _obj(data, "the trainees' grid")
        curriculum = _obj(data["curriculum"], "a curriculum")
        titles = {int(s["exercise_id"]): str(s.get("title", "")) for s in curriculum["steps"]}
        rows = []
        for row in data["trainees"]:
            holds, criteria = _criteria(row["rule"])
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
                            best=_float(c.get("best")),
                            last=_float(c.get("last")),
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
    data = _obj(data, "an exercise")
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
    data = _obj(data, "a curriculum")
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
    data = _obj(data, "a person")
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
