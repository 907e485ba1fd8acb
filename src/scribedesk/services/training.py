"""Training on the workstation: a scored attempt shown against its gold (inline and side
by side, each error one key from its audio), and the port the training pages use.

The score is the service's (computed when the attempt was submitted); the differences
shown are computed here with the same alignment the reviewer's page uses
(services.review.ReviewWork), the gold taking the corrected copy's place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from scribedesk.domain.certification import (
    DEFAULT_RULE,
    CertificationRule,
    parse_rule,
)
from scribedesk.domain.review import ReviewItem, ReviewText
from scribedesk.domain.templates import Template
from scribedesk.domain.trainer_records import (
    CurriculumItem,
    ExerciseItem,
    Grid,
    Person,
)
from scribedesk.domain.training import (
    Hints,
    RuleError,
    parse_hints,
)
from scribedesk.domain.training_records import (
    AttemptDetail,
    MyTraining,
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


def manifest_exercises(path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The exercises of a manifest (the demo's format: ``{"dictations": [{file,
    template_id, account, title, script, fields, tags?, difficulty?}]}``), each as (audio
    file, form); ValueError naming the entry when one cannot be used."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["dictations"] if isinstance(data, dict) else data
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path.name} is not a manifest of exercises ({exc}).") from None
    found = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, entry {number}"
        if not isinstance(entry, dict) or not entry.get("file") or not entry.get("script"):
            raise ValueError(f"{where}: each entry needs 'file' and 'script'.")
        audio = path.parent / str(entry["file"])
        if not audio.is_file():
            raise ValueError(f"{where}: the audio file {audio.name} is missing.")
        found.append(
            (
                audio,
                {
                    "title": str(entry.get("title") or audio.stem),
                    "template_id": str(entry.get("template_id", "")),
                    "account": str(entry.get("account", "")),
                    "difficulty": int(entry.get("difficulty", 2)),
                    "tags": [str(t) for t in entry.get("tags", [])],
                    "gold_fields": dict(entry.get("fields") or {}),
                    "gold_narrative": str(entry["script"]),
                },
            )
        )
    return found


NO_HINTS = Hints()


class CurriculumDraft:
    """A curriculum being edited: its exercises in order with their pass marks."""

    def __init__(
        self,
        curriculum_id: int = 0,
        steps: Sequence[tuple[int, float]] = (),
        rule: CertificationRule = DEFAULT_RULE,
        hints: Hints = NO_HINTS,
        titles: Mapping[int, str] | None = None,
    ) -> None:
        self.curriculum_id = curriculum_id
        self.steps: list[tuple[int, float]] = list(steps)
        self.rule, self.hints = rule, hints
        self.titles: dict[int, str] = dict(titles or {})

    @classmethod
    def of(cls, item: CurriculumItem, titles: Mapping[int, str]) -> CurriculumDraft:
        try:
            rule, hints = parse_rule(item.rule or None), parse_hints(item.hints or None)
        except RuleError:
            rule, hints = DEFAULT_RULE, Hints()
        return cls(item.id, [(e, mark) for e, mark, _t in item.steps], rule, hints, titles)

    @property
    def exercise_ids(self) -> set[int]:
        return {e for e, _m in self.steps}

    def lines(self) -> list[str]:
        return [
            f"{n}. {self.titles.get(e, f'exercise {e}')} · pass mark {m:g}"
            for n, (e, m) in enumerate(self.steps, start=1)
        ]

    def add(self, exercise_id: int, pass_mark: float) -> None:
        if exercise_id not in self.exercise_ids:
            self.steps.append((exercise_id, pass_mark))

    def remove(self, row: int) -> bool:
        if not 0 <= row < len(self.steps):
            return False
        del self.steps[row]
        return True

    def move(self, row: int, by: int) -> bool:
        target = row + by
        if not (0 <= row < len(self.steps) and 0 <= target < len(self.steps)):
            return False
        self.steps[row], self.steps[target] = self.steps[target], self.steps[row]
        return True

    def set_pass_mark(self, row: int, mark: float) -> bool:
        if not 0 <= row < len(self.steps):
            return False
        self.steps[row] = (self.steps[row][0], mark)
        return True
