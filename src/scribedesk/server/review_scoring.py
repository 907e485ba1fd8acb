"""What a review is scored on: the classified differences, checked against the real
diff, and the score the service computes from the two versions (never the client's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scribedesk.domain.scoring import score_words
from scribedesk.domain.templates import Template
from scribedesk.domain.weighting import (
    ClassifiedError,
    Severity,
    lines_of,
    score_fields,
    weighted_score,
)
from scribedesk.server.db.models import TranscriptVersion
from scribedesk.server.errors import Invalid
from scribedesk.server.transcripts import TranscriptContent

#: An error's dispute states; "withdrawn" errors no longer count.
COUNTED, DISPUTED, UPHELD, WITHDRAWN = "counted", "disputed", "upheld", "withdrawn"


@dataclass(frozen=True)
class ErrorIn:
    """One classified difference as the reviewer sends it."""

    severity: Severity
    category: str
    words: str = ""
    field: str | None = None
    comment: str = ""
    kind: str = ""


def _changed_words(submitted: str, corrected: str, template: Template) -> set[str]:
    words = score_words(corrected, submitted, normaliser=template.scoring.normaliser)
    changed: set[str] = set()
    for pair in words.pairs:
        if pair.kind != "equal":
            changed.update(w for w in (pair.reference, pair.hypothesis) if w is not None)
    return changed


def check_classifications(
    errors: list[ErrorIn],
    submitted: TranscriptVersion,
    corrected: TranscriptContent,
    template: Template,
) -> None:
    """Invalid unless every classification names a difference there is: words that
    changed in the narrative, or a field whose value changed."""
    normaliser = template.scoring.normaliser
    changed = _changed_words(submitted.narrative, corrected.narrative, template)
    fields = {
        r.field: r
        for r in score_fields(template.fields, corrected.fields, submitted.fields, template.scoring)
    }
    for index, error in enumerate(errors, start=1):
        if error.field is not None:
            result = fields.get(error.field)
            if result is None:
                raise Invalid(
                    f"Error {index}: template {template.id!r} has no field {error.field!r}."
                )
            if result.matches:
                raise Invalid(
                    f"Error {index}: the field {result.label!r} is the same in the submitted and "
                    "the corrected version; classify differences only."
                )
            continue
        named = normaliser.words(error.words)
        if not named:
            raise Invalid(f"Error {index}: name the words of the difference it classifies.")
        missing = [w for w in named if w not in changed]
        if missing:
            raise Invalid(
                f"Error {index}: {' '.join(missing)!r} is not among the words that differ "
                "between the submitted and the corrected narrative."
            )


def error_record(error: ErrorIn) -> dict[str, Any]:
    return {
        "severity": error.severity.value,
        "category": error.category,
        "words": error.words,
        "field": error.field,
        "comment": error.comment,
        "kind": error.kind,
        "status": COUNTED,
        "dispute": None,
    }


def compute_score(
    template: Template,
    submitted: TranscriptVersion,
    corrected: TranscriptVersion,
    errors: list[dict[str, Any]],
) -> dict[str, Any]:
    """The review's score from the two versions and the errors still counted."""
    policy = template.scoring
    words = score_words(corrected.narrative, submitted.narrative, normaliser=policy.normaliser)
    counted = [
        ClassifiedError(
            Severity(e["severity"]), e["category"], e["words"], e.get("field"), e["comment"]
        )
        for e in errors
        if e["status"] != WITHDRAWN
    ]
    weighted = weighted_score(counted, policy)
    fields = score_fields(template.fields, corrected.fields, submitted.fields, policy)
    return {
        "score": weighted.score,
        "points": weighted.points,
        "passed": weighted.passed,
        "critical": weighted.critical,
        "pass_mark": policy.pass_mark,
        "lines": lines_of(corrected.narrative, policy),
        "word_accuracy": round(words.accuracy, 2),
        "wer": round(words.wer, 4),
        "hits": words.hits,
        "substitutions": words.substitutions,
        "deletions": words.deletions,
        "insertions": words.insertions,
        "normaliser_version": words.normaliser_version,
        "markers": {
            "corrected": words.markers.reference if words.markers else {},
            "submitted": words.markers.hypothesis if words.markers else {},
            "differences": words.markers.differences if words.markers else 0,
        },
        "fields": [
            {"field": f.field, "matches": f.matches, "critical": f.critical} for f in fields
        ],
    }
