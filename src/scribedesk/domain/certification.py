"""When a trainee may be certified: the curriculum's rule, checked against their scored
attempts part by part, and where they stand in the curriculum."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scribedesk.domain.training import RuleError, finite


@dataclass(frozen=True)
class CertificationRule:
    """When a curriculum's trainee may be certified (every number configurable)."""

    min_accuracy: float = 98.0
    last_exercises: int = 5  # the accuracy holds on each of the last N exercises done
    all_templates: bool = True  # every template of the curriculum passed at least once
    no_critical_last: int = 3  # no critical error in the last N attempts
    min_pace: float = 0.5  # audio time ÷ working time (median of the last N attempts)
    complete: bool = True  # every exercise of the curriculum passed
    auto_certify: bool = False  # certify as soon as the rule holds, without the trainer

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_accuracy": self.min_accuracy,
            "last_exercises": self.last_exercises,
            "all_templates": self.all_templates,
            "no_critical_last": self.no_critical_last,
            "min_pace": self.min_pace,
            "complete": self.complete,
            "auto_certify": self.auto_certify,
        }


DEFAULT_RULE = CertificationRule()


def parse_rule(raw: Any) -> CertificationRule:
    """A curriculum's ``rule`` object; keys left out keep their defaults."""
    if raw is None:
        return DEFAULT_RULE
    if not isinstance(raw, dict):
        raise RuleError("the certification rule must be an object")
    defaults = DEFAULT_RULE.to_dict()
    unknown = sorted(set(raw) - set(defaults))
    if unknown:
        raise RuleError(
            f"unknown rule key(s) {', '.join(unknown)}; known: {', '.join(sorted(defaults))}"
        )
    values = {**defaults, **raw}
    for key in ("all_templates", "complete", "auto_certify"):
        if not isinstance(values[key], bool):
            raise RuleError(f"'{key}' must be true or false")
    for key in ("last_exercises", "no_critical_last"):
        value = values[key]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000:
            raise RuleError(f"'{key}' must be a whole number from 0 to 1000")
    if not finite(values["min_accuracy"]) or not 0 <= values["min_accuracy"] <= 100:
        raise RuleError("'min_accuracy' must be a number from 0 to 100")
    if not finite(values["min_pace"]) or not 0 <= values["min_pace"] <= 100:
        raise RuleError("'min_pace' must be a number from 0 to 100")
    values["min_accuracy"] = float(values["min_accuracy"])
    values["min_pace"] = float(values["min_pace"])
    return CertificationRule(**values)


@dataclass(frozen=True)
class Step:
    """One exercise of a curriculum, in order, with its pass mark."""

    exercise_id: int
    template_id: str
    pass_mark: float


@dataclass(frozen=True)
class AttemptFact:
    """What the rule needs of one scored attempt."""

    exercise_id: int
    template_id: str
    score: float
    passed: bool
    critical: int
    pace: float
    at: datetime


@dataclass(frozen=True)
class Criterion:
    """One part of the rule, met or not, with what it saw."""

    name: str
    met: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "met": self.met, "detail": self.detail}


@dataclass(frozen=True)
class RuleCheck:
    """The rule against a trainee's attempts: every criterion, and the templates earned."""

    holds: bool
    criteria: tuple[Criterion, ...]
    templates: frozenset[str] = field(default_factory=frozenset)

    def to_dict(self) -> dict[str, Any]:
        return {
            "holds": self.holds,
            "criteria": [c.to_dict() for c in self.criteria],
            "templates": sorted(self.templates),
        }


def current_step(steps: Sequence[Step], attempts: Iterable[AttemptFact]) -> int | None:
    """The index of the first step not yet passed (None: every step passed)."""
    passed = {a.exercise_id for a in attempts if a.passed}
    return next((i for i, s in enumerate(steps) if s.exercise_id not in passed), None)


def evaluate(
    rule: CertificationRule, steps: Sequence[Step], attempts: Sequence[AttemptFact]
) -> RuleCheck:
    """Whether ``rule`` holds for these scored attempts of the curriculum's steps."""
    ordered = sorted(attempts, key=lambda a: a.at, reverse=True)
    criteria: list[Criterion] = []
    passed_templates = frozenset(a.template_id for a in ordered if a.passed)
    if rule.complete:
        passed = {a.exercise_id for a in ordered if a.passed}
        done = sum(s.exercise_id in passed for s in steps)
        criteria.append(
            Criterion("complete", done == len(steps), f"{done} of {len(steps)} exercises passed")
        )
    if rule.last_exercises:
        # A curriculum shorter than the rule's count: each of its exercises.
        needed = min(rule.last_exercises, len({s.exercise_id for s in steps}) or 1)
        latest: dict[int, AttemptFact] = {}
        for attempt in ordered:
            if len(latest) == needed:
                break
            latest.setdefault(attempt.exercise_id, attempt)
        scores = [a.score for a in latest.values()]
        enough = len(scores) >= needed
        low = [s for s in scores if s < rule.min_accuracy]
        detail = (
            f"{len(scores)} of {needed} exercises done"
            if not enough
            else f"lowest {min(scores):g} (needs {rule.min_accuracy:g})"
        )
        criteria.append(Criterion("accuracy", enough and not low, detail))
    if rule.all_templates:
        wanted = {s.template_id for s in steps}
        missing = sorted(wanted - passed_templates)
        criteria.append(
            Criterion(
                "templates",
                not missing,
                "every template passed" if not missing else f"not yet passed: {', '.join(missing)}",
            )
        )
    if rule.no_critical_last:
        recent = ordered[: rule.no_critical_last]
        critical = sum(a.critical for a in recent)
        enough = len(recent) >= rule.no_critical_last
        criteria.append(
            Criterion(
                "critical",
                enough and not critical,
                f"{critical} critical error(s) in the last {len(recent)} attempt(s)"
                + ("" if enough else f" (needs {rule.no_critical_last})"),
            )
        )
    if rule.min_pace:
        recent = ordered[: max(1, rule.last_exercises)]
        paces = [a.pace for a in recent if a.pace > 0]
        pace = round(statistics.median(paces), 2) if paces else 0.0  # as it is shown
        criteria.append(
            Criterion(
                "pace",
                pace >= rule.min_pace,
                f"median pace {pace:.2f} × real time (needs {rule.min_pace:g})",
            )
        )
    holds = bool(ordered) and all(c.met for c in criteria)
    return RuleCheck(holds, tuple(criteria), passed_templates)
