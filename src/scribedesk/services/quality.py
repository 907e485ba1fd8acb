"""The quality checks as the workstation runs them on the open job.

The rules are the domain's (the service re-runs the same ones on the submission); this
gathers what they need on the workstation: the spell checker and its team dictionary,
the expansion abbreviations, the names the service's directory knows, the heard spans.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from scribedesk.domain.quality import CheckContext, KnownNames, QualityReport, run_checks
from scribedesk.domain.spelling import words
from scribedesk.domain.templates import FieldType, Template
from scribedesk.services.spelling import SpellChecker


@dataclass
class QualityCheck:
    """Runs every rule on one job's transcript; builds what travels with the submission."""

    template: Template
    audio_ms: int
    checker: SpellChecker
    language: str = "en_US"
    abbreviations: Collection[str] = ()
    known: KnownNames | None = None  # the service's directory; None: names go unchecked

    def _texts(self, fields: Mapping[str, Any], narrative: str) -> Iterable[str]:
        yield narrative
        for spec in self.template.fields:
            value = fields.get(spec.id)
            if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT) and isinstance(value, str):
                yield value

    def accepted_words(self, fields: Mapping[str, Any], narrative: str) -> list[str]:
        """Words of the transcript the team dictionary accepts (the service cannot know
        the words this team added on this workstation)."""
        team = self.checker.team
        return sorted(
            {w for text in self._texts(fields, narrative) for _s, _e, w in words(text) if w in team}
        )

    def context(
        self,
        fields: Mapping[str, Any],
        narrative: str,
        heard: Sequence[tuple[int, int]],
        today: date,
    ) -> CheckContext:
        dictionary = self.checker.dictionary
        return CheckContext(
            audio_ms=self.audio_ms,
            today=today,
            heard=list(heard),
            is_word=None if dictionary is None else self.checker.is_correct,
            known=self.known,
            accepted_words=self.accepted_words(fields, narrative),
            abbreviations=list(self.abbreviations),
        )

    def run(
        self,
        fields: Mapping[str, Any],
        narrative: str,
        heard: Sequence[tuple[int, int]],
        today: date | None = None,
    ) -> Checked:
        """Every rule on the transcript as it stands."""
        context = self.context(fields, narrative, heard, today or date.today())
        return Checked(
            context, run_checks(self.template, fields, narrative, context), self.language
        )


@dataclass(frozen=True)
class Checked:
    """One run of the checks: what they saw, and what they found."""

    context: CheckContext
    report: QualityReport
    language: str

    def submission(self, acknowledged: Collection[str]) -> dict[str, Any]:
        """The ``quality`` object of the submission: what the service needs to re-run the
        checks exactly as they ran here, and which findings the transcriptionist confirmed."""
        context = self.context
        return {
            "today": context.today.isoformat(),
            "language": self.language,
            "heard": [[int(a), int(b)] for a, b in context.heard],
            "accepted_words": sorted(context.accepted_words),
            "abbreviations": sorted(context.abbreviations),
            "acknowledged": sorted(acknowledged),
        }
