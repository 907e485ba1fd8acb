"""Training: an attempt scored against its exercise's gold, and the hints a curriculum
allows (the certification rule is in domain.certification).

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scribedesk.domain.fields import is_empty
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
    if not finite(points) or not 0 <= points <= 100:
        raise RuleError("'peek_points' must be a number from 0 to 100")
    return Hints(peeks, float(points))


def finite(value: Any) -> bool:
    """A real number (not a flag, not NaN or infinite)."""
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
