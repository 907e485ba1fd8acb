"""Weighted accuracy as the AHDI practice scores it, and field-level scoring.

Each difference a reviewer classifies is critical (3 points), non-critical (1) or feedback
(0). The same error repeated in one transcript counts once. A transcript scores 100 minus
its points, and it passes at the pass mark (98) with no critical error. Aggregates use the
errors-to-lines method: (lines − points) / lines × 100, with 65-character lines. A
template may change every number (``"scoring"`` in its file, ``parse_policy``).

In a CRM record the critical errors are, by default, a wrong or missing account,
contact, amount, date, stage, product or commitment (next step). ``critical_fields``
says which of a template's fields those are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from scribedesk.domain.fields import is_empty, parse_date, parse_number
from scribedesk.domain.fieldspec import FieldSpec, FieldType
from scribedesk.domain.scoring import DEFAULT_NORMALISER, Normaliser, score_words


class Severity(StrEnum):
    """How much a classified error weighs."""

    CRITICAL = "critical"
    NON_CRITICAL = "non_critical"
    FEEDBACK = "feedback"


@dataclass(frozen=True)
class ScoringPolicy:
    """A template's scoring rules (the defaults are AHDI's)."""

    points: Mapping[Severity, float] = field(
        default_factory=lambda: {
            Severity.CRITICAL: 3.0,
            Severity.NON_CRITICAL: 1.0,
            Severity.FEEDBACK: 0.0,
        }
    )
    pass_mark: float = 98.0
    critical_fails: bool = True
    line_chars: int = 65
    canonical_numbers: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The policy as a template file writes it (``parse_policy`` reads it back)."""
        return {
            "points": {severity.value: points for severity, points in self.points.items()},
            "pass_mark": self.pass_mark,
            "critical_fails": self.critical_fails,
            "line_chars": self.line_chars,
            "canonical_numbers": self.canonical_numbers,
        }

    @property
    def normaliser(self) -> Normaliser:
        """The normaliser this template's texts are compared with."""
        return Normaliser(canonical_numbers=self.canonical_numbers)


DEFAULT_POLICY = ScoringPolicy()


class PolicyError(ValueError):
    """A ``"scoring"`` section that cannot be used; the message names the key."""


def parse_policy(raw: Any) -> ScoringPolicy:
    """A template's ``"scoring"`` object, e.g. ``{"pass_mark": 97, "points": {"critical": 5}}``."""
    if not isinstance(raw, dict):
        raise PolicyError("must be an object")
    known = {"points", "pass_mark", "critical_fails", "line_chars", "canonical_numbers"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise PolicyError(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    points = dict(DEFAULT_POLICY.points)
    for name, value in (raw.get("points") or {}).items():
        try:
            severity = Severity(name)
        except ValueError:
            raise PolicyError(
                f"'points': {name!r} is not a severity ({', '.join(s.value for s in Severity)})"
            ) from None
        if not _number(value) or value < 0:
            raise PolicyError(f"'points' → {name}: must be a number of points, 0 or more")
        points[severity] = float(value)
    pass_mark = raw.get("pass_mark", DEFAULT_POLICY.pass_mark)
    if not _number(pass_mark) or not 0 <= pass_mark <= 100:
        raise PolicyError("'pass_mark' must be a number from 0 to 100")
    line_chars = raw.get("line_chars", DEFAULT_POLICY.line_chars)
    if not isinstance(line_chars, int) or isinstance(line_chars, bool) or line_chars < 1:
        raise PolicyError("'line_chars' must be a positive whole number")
    flags = {}
    for key in ("critical_fails", "canonical_numbers"):
        value = raw.get(key, getattr(DEFAULT_POLICY, key))
        if not isinstance(value, bool):
            raise PolicyError(f"'{key}' must be true or false")
        flags[key] = value
    return ScoringPolicy(points=points, pass_mark=float(pass_mark), line_chars=line_chars, **flags)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class ClassifiedError:
    """One difference as a reviewer classified it."""

    severity: Severity
    category: str
    words: str = ""  # the reference words at stake ("" for an insertion: the hypothesis')
    field: str | None = None  # the template field, or None for the narrative
    comment: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes two errors "the same error": repeated, it counts once."""
        return (
            self.severity.value,
            self.category.casefold(),
            " ".join(DEFAULT_NORMALISER.words(self.words)),
            self.field or "",
        )


@dataclass(frozen=True)
class WeightedScore:
    """A transcript's weighted score."""

    points: float
    score: float
    passed: bool
    critical: int
    counted: tuple[ClassifiedError, ...]


def weighted_score(
    errors: Iterable[ClassifiedError], policy: ScoringPolicy = DEFAULT_POLICY
) -> WeightedScore:
    """Score from 100: each distinct error's points off; a critical error fails."""
    distinct: dict[tuple[str, str, str, str], ClassifiedError] = {}
    for error in errors:
        distinct.setdefault(error.key, error)
    counted = tuple(distinct.values())
    points = sum(policy.points[e.severity] for e in counted)
    critical = sum(e.severity is Severity.CRITICAL for e in counted)
    score = max(0.0, 100.0 - points)
    passed = score >= policy.pass_mark and not (policy.critical_fails and critical)
    return WeightedScore(points, score, passed, critical, counted)


def lines_of(text: str, policy: ScoringPolicy = DEFAULT_POLICY) -> int:
    """The transcript's length in lines of ``policy.line_chars`` characters (at least 1)."""
    return max(1, math.ceil(len(text) / policy.line_chars))


def errors_to_lines(
    transcripts: Iterable[tuple[int, float]], policy: ScoringPolicy = DEFAULT_POLICY
) -> float:
    """The aggregate accuracy of (lines, points) per transcript: error points pooled over
    all lines audited, not an average of the transcripts' percentages."""
    lines = points = 0.0
    for count, weight in transcripts:
        lines += count
        points += weight
    return 100.0 if not lines else max(0.0, (lines - points) / lines * 100.0)


@dataclass(frozen=True)
class FieldResult:
    """How one template field of the hypothesis compares with the reference."""

    field: str
    label: str
    matches: bool
    critical: bool
    reference: Any
    hypothesis: Any
    word_errors: int = 0


def critical_fields(fields: Sequence[FieldSpec]) -> frozenset[str]:
    """Which fields hold the CRM's critical categories: accounts, people (contacts),
    amounts, dates, stage, product and next steps (commitments)."""
    by_type = {FieldType.ACCOUNT, FieldType.PERSON, FieldType.CURRENCY, FieldType.DATE}
    by_name = ("stage", "product", "next_step", "commitment", "amount")
    return frozenset(
        spec.id for spec in fields if spec.type in by_type or any(n in spec.id for n in by_name)
    )


def score_fields(
    fields: Sequence[FieldSpec],
    reference: Mapping[str, Any],
    hypothesis: Mapping[str, Any],
    policy: ScoringPolicy = DEFAULT_POLICY,
) -> list[FieldResult]:
    """Every field compared the way its type means: amounts, numbers and dates by value,
    pick lists exactly (a multiple choice as a set), people by name and role, text by
    normalised words."""
    critical = critical_fields(fields)
    normaliser = policy.normaliser
    results = []
    for spec in fields:
        want, got = reference.get(spec.id), hypothesis.get(spec.id)
        errors = 0
        if is_empty(want) and is_empty(got):
            matches = True
        elif spec.type in (FieldType.NUMBER, FieldType.CURRENCY):
            matches = _as_number(want) is not None and _as_number(want) == _as_number(got)
        elif spec.type is FieldType.DATE:
            matches = parse_date(str(want or "")) == parse_date(str(got or "")) is not None
        elif spec.type is FieldType.SINGLE_CHOICE:
            matches = want == got
        elif spec.type is FieldType.MULTI_CHOICE:
            matches = set(_listed(want)) == set(_listed(got))
        elif spec.type is FieldType.PERSON:
            matches = _people(want, normaliser) == _people(got, normaliser)
        else:
            words = score_words(_text(want), _text(got), normaliser=normaliser)
            errors = words.errors
            matches = errors == 0
        results.append(
            FieldResult(spec.id, spec.label, matches, spec.id in critical, want, got, errors)
        )
    return results


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    return parse_number(str(value))


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(map(str, value))
    return "" if value is None else str(value)


def _people(value: Any, normaliser: Normaliser) -> list[tuple[str, str]]:
    people = value if isinstance(value, list) else [value]
    found = []
    for person in people:
        if isinstance(person, dict) and not is_empty(person):
            name = " ".join(normaliser.words(str(person.get("name", ""))))
            found.append((name, str(person.get("role") or "")))
    return sorted(found)
