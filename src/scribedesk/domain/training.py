"""Training: an attempt scored against its exercise's gold, curricula, and the rule a
trainee meets to be certified.

An attempt is scored without a reviewer: every run of changed words between the gold
narrative and the attempt is one error (a longer run one per five words: a dropped
paragraph is not one slip), and every field that differs is one error. An
error is critical when it touches the CRM's critical categories (a field of those
categories, or narrative words that belong to such a field's gold value: the account's
name, a contact's, an amount, a date); any other error is non-critical. The score is
then the supervisor's rule exactly (domain.weighting.weighted_score: 100 minus the
template's points, the same error repeated counting once), so a trainee's 98 means what
a reviewed transcript's 98 means. A peek at the gold (when the curriculum allows hints)
costs its points too. The attempt passes at the step's pass mark with no critical error.
Its length in lines is kept for errors-to-lines aggregates.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scribedesk.domain.fields import is_empty
from scribedesk.domain.fieldspec import TEXT_TYPES, FieldType
from scribedesk.domain.scoring import Pair, score_words
from scribedesk.domain.templates import Template
from scribedesk.domain.weighting import (
    ClassifiedError,
    Severity,
    critical_fields,
    lines_of,
    score_fields,
    weighted_score,
)


class RuleError(ValueError):
    """A certification rule or hint setting that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Hints:
    """Whether a trainee may peek at the gold for a sentence, and what a peek costs."""

    peeks: int = 0  # peeks allowed per attempt; 0: no hints
    peek_points: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {"peeks": self.peeks, "peek_points": self.peek_points}


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
    if not _finite(values["min_accuracy"]) or not 0 <= values["min_accuracy"] <= 100:
        raise RuleError("'min_accuracy' must be a number from 0 to 100")
    if not _finite(values["min_pace"]) or not 0 <= values["min_pace"] <= 100:
        raise RuleError("'min_pace' must be a number from 0 to 100")
    values["min_accuracy"] = float(values["min_accuracy"])
    values["min_pace"] = float(values["min_pace"])
    return CertificationRule(**values)


def parse_hints(raw: Any) -> Hints:
    """A curriculum's ``hints`` object (``{"peeks": 3, "peek_points": 0.5}``)."""
    if raw is None:
        return Hints()
    if not isinstance(raw, dict) or set(raw) - {"peeks", "peek_points"}:
        raise RuleError("'hints' must be an object with 'peeks' and 'peek_points'")
    peeks = raw.get("peeks", 0)
    points = raw.get("peek_points", Hints.peek_points)
    if not isinstance(peeks, int) or isinstance(peeks, bool) or not 0 <= peeks <= 100:
        raise RuleError("'peeks' must be a whole number from 0 to 100")
    if not _finite(points) or not 0 <= points <= 100:
        raise RuleError("'peek_points' must be a number from 0 to 100")
    return Hints(peeks, float(points))


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# -- scoring an attempt --------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptError:
    """One error of an attempt: a run of changed words, or a field that differs."""

    kind: str  # substitution | omission | insertion | field
    severity: Severity
    gold: str  # what the gold has
    typed: str  # what the trainee typed
    field: str | None = None
    at_word: int = 0  # where it starts in the gold narrative (word index)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity.value,
            "gold": self.gold,
            "typed": self.typed,
            "field": self.field,
            "at_word": self.at_word,
        }


@dataclass(frozen=True)
class AttemptScore:
    """An attempt against its gold: word counts, errors, fields, the weighted accuracy."""

    score: float
    passed: bool
    pass_mark: float
    points: float
    lines: int
    critical: int
    word_accuracy: float
    wer: float
    hits: int
    substitutions: int
    deletions: int
    insertions: int
    gold_words: int
    errors: tuple[AttemptError, ...]
    fields: tuple[dict[str, Any], ...]
    peeks: int = 0
    pace: float = 0.0  # audio time ÷ working time
    audio_minutes_per_hour: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "passed": self.passed,
            "pass_mark": self.pass_mark,
            "points": self.points,
            "lines": self.lines,
            "critical": self.critical,
            "word_accuracy": self.word_accuracy,
            "wer": self.wer,
            "hits": self.hits,
            "substitutions": self.substitutions,
            "deletions": self.deletions,
            "insertions": self.insertions,
            "gold_words": self.gold_words,
            "errors": [e.to_dict() for e in self.errors],
            "fields": list(self.fields),
            "peeks": self.peeks,
            "pace": self.pace,
            "audio_minutes_per_hour": self.audio_minutes_per_hour,
        }


_KIND = {"substitute": "substitution", "delete": "omission", "insert": "insertion"}


def runs(pairs: Iterable[Pair]) -> list[list[Pair]]:
    """Consecutive changed pairs of one kind, each run one difference."""
    found: list[list[Pair]] = []
    run: list[Pair] = []
    for pair in pairs:
        if run and pair.kind != run[0].kind:
            found.append(run)
            run = []
        if pair.kind != "equal":
            run.append(pair)
    if run:
        found.append(run)
    return found


def _critical_words(template: Template, gold: Mapping[str, Any]) -> frozenset[str]:
    """The normalised words of the gold values of the template's critical fields."""
    normalise = template.scoring.normaliser.words
    words: set[str] = set()
    for spec_id in critical_fields(template.fields):
        value = gold.get(spec_id)
        for part in value if isinstance(value, list) else [value]:
            text = " ".join(str(v) for v in part.values()) if isinstance(part, dict) else part
            if not is_empty(text):
                words.update(normalise(str(text)))
    return frozenset(words)


def score_attempt(
    template: Template,
    gold_fields: Mapping[str, Any],
    gold_narrative: str,
    fields: Mapping[str, Any],
    narrative: str,
    *,
    pass_mark: float | None = None,
    peeks: int = 0,
    hints: Hints = Hints(),
    audio_ms: int = 0,
    time_spent_s: int = 0,
) -> AttemptScore:
    """Score what the trainee typed against the gold (see the module's docstring)."""
    policy = template.scoring
    mark = policy.pass_mark if pass_mark is None else pass_mark
    words = score_words(gold_narrative, narrative, normaliser=policy.normaliser)
    critical_words = _critical_words(template, gold_fields)
    errors: list[AttemptError] = []
    results = score_fields(template.fields, gold_fields, fields, policy)
    pairs = words.pairs
    following = _following_references(pairs)
    for whole in runs(pairs):
        errors.extend(_word_error(run, following, critical_words) for run in _phrases(whole))
    for result in results:
        if not result.matches:
            errors.append(
                AttemptError(
                    "field",
                    Severity.CRITICAL if result.critical else Severity.NON_CRITICAL,
                    shown(result.reference),
                    shown(result.hypothesis),
                    field=result.field,
                )
            )
    weighted = weighted_score(
        (ClassifiedError(e.severity, e.kind, e.gold or e.typed, e.field) for e in errors), policy
    )
    used = min(max(0, peeks), hints.peeks)
    points = weighted.points + used * hints.peek_points
    critical = weighted.critical
    lines = lines_of(gold_narrative, policy) + sum(
        not is_empty(gold_fields.get(s.id)) for s in template.fields
    )
    score = round(max(0.0, 100.0 - points), 2)
    passed = score >= mark and not (policy.critical_fails and critical)
    pace = audio_ms / 1000 / time_spent_s if time_spent_s > 0 else 0.0
    return AttemptScore(
        score=score,
        passed=passed,
        pass_mark=mark,
        points=points,
        lines=lines,
        critical=critical,
        word_accuracy=round(words.accuracy, 2),
        wer=round(words.wer, 4),
        hits=words.hits,
        substitutions=words.substitutions,
        deletions=words.deletions,
        insertions=words.insertions,
        gold_words=words.hits + words.substitutions + words.deletions,
        errors=tuple(errors),
        fields=tuple(
            {
                "field": r.field,
                "label": r.label,
                "matches": r.matches,
                "critical": r.critical,
                "gold": shown(r.reference),
                "typed": shown(r.hypothesis),
            }
            for r in results
        ),
        peeks=used,
        pace=round(pace, 3),
        audio_minutes_per_hour=round(pace * 60, 1),
    )


#: A run of changed words longer than this counts as one error per this many words: a
#: dropped paragraph is not one slip.
PHRASE = 5


def _phrases(run: list[Pair]) -> list[list[Pair]]:
    return [run[i : i + PHRASE] for i in range(0, len(run), PHRASE)]


def _following_references(pairs: Sequence[Pair]) -> dict[int, int]:
    """For each pair (by id), the gold word index at or after it (where an insertion sits)."""
    found: dict[int, int] = {}
    upcoming = sum(p.reference_index is not None for p in pairs)
    for pair in reversed(pairs):
        if pair.reference_index is not None:
            upcoming = pair.reference_index
        found[id(pair)] = upcoming
    return found


def _word_error(
    run: list[Pair], following: dict[int, int], critical_words: frozenset[str]
) -> AttemptError:
    gold = [p.reference for p in run if p.reference is not None]
    typed = [p.hypothesis for p in run if p.hypothesis is not None]
    touches = any(w in critical_words for w in gold or typed)
    at = next((p.reference_index for p in run if p.reference_index is not None), None)
    if at is None:  # an insertion: it sits before the next gold word
        at = following[id(run[0])]
    return AttemptError(
        _KIND[run[0].kind],
        Severity.CRITICAL if touches else Severity.NON_CRITICAL,
        " ".join(gold),
        " ".join(typed),
        at_word=at,
    )


def shown(value: Any) -> str:
    """A field value as a person reads it."""
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def peek(gold_narrative: str, typed: str) -> str:
    """The gold sentence the trainee is at: the one holding the gold word that follows
    what they typed so far (aligned word by word), or the last one when they are done."""
    sentences = _sentences(gold_narrative)
    if not sentences:
        return ""
    words = score_words(gold_narrative, typed)
    reached = 0
    for pair in words.pairs:
        if pair.hypothesis_index is not None and pair.reference_index is not None:
            reached = pair.reference_index + 1
    count = 0
    for sentence in sentences:
        count += len(score_words(sentence, "").reference_words)
        if reached < count:
            return sentence
    return sentences[-1]


def _sentences(text: str) -> list[str]:
    found, start = [], 0
    for index, char in enumerate(text):
        if char in ".?!" and (index + 1 == len(text) or text[index + 1].isspace()):
            found.append(text[start : index + 1].strip())
            start = index + 1
    tail = text[start:].strip()
    if tail:
        found.append(tail)
    return [s for s in found if s]


# -- progress and certification ------------------------------------------------------------------


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


# -- promoting a production transcript -----------------------------------------------------------

#: Invented names for promoted exercises (no real customer's name stays in the library).
INVENTED_ACCOUNTS = (
    "Blue Heron Freight",
    "Copperfield Foods",
    "Driftwood Analytics",
    "Evergreen Clinics",
    "Foxglove Media",
    "Granite Peak Insurance",
    "Harborlight Energy",
    "Ironbark Tools",
)
INVENTED_PEOPLE = (
    "Alex Morgan",
    "Jamie Fischer",
    "Priya Natarajan",
    "Sam Okafor",
    "Lena Kowalski",
    "Marco Bellini",
    "Hana Suzuki",
    "Owen Gallagher",
    "Ines Duarte",
    "Tomas Novak",
)


def anonymise(
    template: Template, fields: Mapping[str, Any], narrative: str, seed: int = 0
) -> tuple[dict[str, Any], str, dict[str, str]]:
    """The fields and narrative with the account and every person replaced by invented
    names (whole names, and a person's first and last name alone where the narrative uses
    them); returns the new fields, the new narrative and what replaced what."""
    names: dict[str, str] = {}
    accounts = iter(INVENTED_ACCOUNTS[seed % len(INVENTED_ACCOUNTS) :] + INVENTED_ACCOUNTS)
    people = iter(INVENTED_PEOPLE[seed % len(INVENTED_PEOPLE) :] + INVENTED_PEOPLE)
    out = dict(fields)
    for spec in template.fields:
        value = out.get(spec.id)
        if spec.type is FieldType.ACCOUNT and isinstance(value, str) and value.strip():
            out[spec.id] = names.setdefault(value.strip(), next(accounts))
        elif spec.type is FieldType.PERSON:
            many = value if isinstance(value, list) else [value]
            replaced: list[Any] = []
            for person in many:
                if isinstance(person, dict) and str(person.get("name") or "").strip():
                    real = str(person["name"]).strip()
                    invented = names.setdefault(real, next(people))
                    real_parts, new_parts = real.split(), invented.split()
                    if len(real_parts) > 1 and len(new_parts) > 1:
                        names.setdefault(real_parts[0], new_parts[0])
                        names.setdefault(real_parts[-1], new_parts[-1])
                    replaced.append({**person, "name": invented})
                else:
                    replaced.append(person)
            out[spec.id] = replaced if isinstance(value, list) else replaced[0]
    text = narrative
    for real in sorted(names, key=len, reverse=True):  # whole names before their parts
        text = re.sub(rf"\b{re.escape(real)}\b", names[real], text)
    for spec in template.fields:  # names inside the other text fields too
        value = out.get(spec.id)
        if spec.type in TEXT_TYPES and isinstance(value, str):
            for real in sorted(names, key=len, reverse=True):
                value = re.sub(rf"\b{re.escape(real)}\b", names[real], value)
            out[spec.id] = value
    return out, text, names
