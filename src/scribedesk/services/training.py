"""Training on the workstation: a scored attempt shown against its gold (inline and side
by side, each error one key from its audio), and the port the training pages use.

The score is the service's (computed when the attempt was submitted); the differences
shown are computed here with the same alignment the reviewer's page uses
(services.review.ReviewWork), the gold taking the corrected copy's place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from scribedesk.domain.review import ReviewItem, ReviewText
from scribedesk.domain.templates import Template
from scribedesk.domain.training_records import (
    AttemptDetail,
    CurriculumItem,
    ExerciseItem,
    Grid,
    MyTraining,
    Person,
)
from scribedesk.services.review import Difference, ReviewWork


class TrainingPort(Protocol):
    """The service as the training pages use it (client.training_api.TrainingApi)."""

    def mine(self) -> MyTraining: ...
    def attempt(self, attempt_id: int) -> AttemptDetail: ...
    def peek(self, job_id: int, lease_token: str, narrative: str) -> tuple[str, int, int]: ...
    def exercises(self) -> list[ExerciseItem]: ...
    def create_exercise(self, audio: Path, form: Mapping[str, Any]) -> ExerciseItem: ...
    def edit_exercise(self, exercise_id: int, **changes: Any) -> ExerciseItem: ...
    def promotable(self) -> list[dict[str, Any]]: ...
    def promote(self, dictation_id: int, title: str, invent_names: bool) -> ExerciseItem: ...
    def curricula(self) -> list[CurriculumItem]: ...
    def save_curriculum(
        self,
        name: str,
        steps: Sequence[tuple[int, float]],
        *,
        curriculum_id: int = 0,
        description: str = "",
        rule: Mapping[str, Any] | None = None,
        hints: Mapping[str, Any] | None = None,
    ) -> CurriculumItem: ...
    def grid(self, curriculum_id: int) -> Grid: ...
    def people(self) -> list[Person]: ...
    def enrol(self, curriculum_id: int, user_id: int, reason: str = "") -> None: ...
    def certify(self, enrolment_id: int) -> dict[str, Any]: ...
    def comment(self, attempt_id: int, text: str) -> AttemptDetail: ...


class AttemptResult:
    """One scored attempt against its gold: the differences, the diff, the audio places."""

    def __init__(self, detail: AttemptDetail, template: Template) -> None:
        self.detail = detail
        item = ReviewItem(
            id=detail.line.id,
            dictation_id=detail.line.job_id,
            account=detail.account,
            template_id=detail.template_id,
            transcriptionist=detail.trainee,
            reason="training",
            status="done",
            lease_token=None,
            feedback=detail.line.comment,
            errors=(),
            score=detail.score,
            audio_ms=detail.audio_ms,
            audio_sha256=detail.audio_sha256,
            audio_size=detail.audio_size,
            submitted=ReviewText(0, detail.typed_fields, detail.typed_narrative),
        )
        self.work = ReviewWork(item, template)
        self.work.update(detail.gold_narrative, detail.gold_fields)

    @property
    def differences(self) -> list[Difference]:
        return self.work.differences

    def describe(self, difference: Difference) -> str:
        """One line for the errors list."""
        if difference.field is not None:
            label = next(
                (f.label for f in self.detail.fields if f.field == difference.field),
                difference.field,
            )
            weight = "CRITICAL" if difference.critical else "field"
            return (
                f"[{weight}] {label}: typed “{difference.submitted}”, gold “{difference.corrected}”"
            )
        what = {
            "substitute": f"typed “{difference.submitted}” for “{difference.corrected}”",
            "omitted": f"left out “{difference.corrected}”",
            "added": f"added “{difference.submitted}”",
        }[difference.kind]
        return f"{what} (at {_clock(self.audio_ms(difference))})"

    def audio_ms(self, difference: Difference) -> int:
        return self.work.audio_ms(difference)

    def inline_html(self) -> str:
        """The gold as tracked changes against what was typed."""
        return self.work.diff_html()

    def side_by_side(self) -> tuple[str, str]:
        """(gold, typed) as HTML, the differences marked on each side."""
        return self.work.side_by_side_html()

    def summary(self) -> str:
        """The score line: score, verdict, word counts, pace."""
        score = self.detail.score
        verdict = "PASSED" if score.get("passed") else "not passed yet"
        return (
            f"Score {score.get('score', 0):g} (pass mark {score.get('pass_mark', 98):g}): "
            f"{verdict}. Word accuracy {score.get('word_accuracy', 0):g} %: "
            f"{score.get('substitutions', 0)} misheard, {score.get('deletions', 0)} left out, "
            f"{score.get('insertions', 0)} added of {score.get('gold_words', 0)} words; "
            f"{score.get('critical', 0)} critical. Pace {score.get('pace', 0):.2f} × real time"
            f" ({score.get('audio_minutes_per_hour', 0):g} audio minutes per hour)"
            + (f"; {score['peeks']} peek(s) at the gold" if score.get("peeks") else "")
            + "."
        )


def _clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"
