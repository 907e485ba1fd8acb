"""Training as the trainee's workstation holds it, read from the service's JSON: the
curricula and attempts, one attempt against its gold (the trainer's records are in
domain.trainer_records).

Every parser checks the shape it needs and raises ValueError on anything else; the API
client turns that into a Failure the page can show.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def obj(data: Any, what: str) -> dict[str, Any]:
    """``data`` as a JSON object; ValueError naming ``what`` otherwise."""
    if not isinstance(data, dict):
        raise ValueError(f"{what} is not a JSON object")
    return data


def optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def criteria_of(rule: Any) -> tuple[bool, tuple[Criterion, ...]]:
    """A rule check's verdict and its parts."""
    rule = obj(rule, "a rule check")
    return bool(rule["holds"]), tuple(
        Criterion(str(c["name"]), bool(c["met"]), str(c["detail"])) for c in rule["criteria"]
    )


def attempt_line(data: Any) -> AttemptLine:
    data = obj(data, "an attempt")
    return AttemptLine(
        id=int(data["id"]),
        job_id=int(data["job_id"]),
        exercise_id=int(data["exercise_id"]),
        title=str(data.get("title", "")),
        number=int(data["number"]),
        status=str(data["status"]),
        score=optional_float(data.get("score")),
        passed=None if data.get("passed") is None else bool(data["passed"]),
        critical=None if data.get("critical") is None else int(data["critical"]),
        time_spent_s=int(data.get("time_spent_seconds") or 0),
        comment=str(data.get("comment") or ""),
    )


def progress_from_record(data: Any) -> Progress:
    data = obj(data, "an enrolment")
    curriculum = obj(data["curriculum"], "a curriculum")
    holds, criteria = criteria_of(data["rule"])
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
                optional_float(s.get("best")),
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
        data = obj(data, "your training")
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
        data = obj(data, "an attempt")
        result = obj(data.get("result") or {}, "an attempt's result")
        gold = obj(data["gold"], "the gold")
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
