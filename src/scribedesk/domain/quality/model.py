"""What a quality check finds: findings, the report, and what the rules are given to work with."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from scribedesk.domain.spelling import TeamDictionary, words

REPORT_VERSION = 1


class Severity(StrEnum):
    ERROR = "error"  # blocks submission (unless the rule allows acknowledging it)
    WARNING = "warning"  # needs a confirmation


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, how bad, what to do, and where."""

    rule: str
    severity: Severity
    message: str
    field: str | None = None
    start: int | None = None  # narrative character range [start, end)
    end: int | None = None
    acknowledgeable: bool = True

    @property
    def key(self) -> str:
        """Stable across client and service: what an acknowledgement names."""
        if self.field is not None:
            return f"{self.rule}@{self.field}"
        if self.start is not None:
            return f"{self.rule}@{self.start}-{self.end}"
        return self.rule

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "acknowledgeable": self.acknowledgeable,
        }


@dataclass(frozen=True)
class QualityReport:
    """Every finding of one run, errors first, then in reading order."""

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def blocking(self, acknowledged: Collection[str] = ()) -> list[Finding]:
        """Errors that stop a submission: every error not acknowledged where allowed."""
        return [f for f in self.errors if not (f.acknowledgeable and f.key in acknowledged)]

    def unconfirmed(self, acknowledged: Collection[str] = ()) -> list[Finding]:
        """Warnings nobody has confirmed yet."""
        return [f for f in self.warnings if f.key not in acknowledged]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }


class KnownNames:
    """The CRM's account and person names, prepared once for many checks: folded for the
    new-name rule, split into words for the spell check. None for a list not known."""

    def __init__(
        self, accounts: Iterable[str] | None = None, people: Iterable[str] | None = None
    ) -> None:
        self.accounts = None if accounts is None else frozenset(map(fold, accounts))
        self.people = None if people is None else frozenset(map(fold, people))
        self.words = TeamDictionary([*(accounts or ()), *(people or ())])


def fold(name: str) -> str:
    """A name as the rules compare it."""
    return name.casefold().strip()


@dataclass(frozen=True)
class CheckContext:
    """What the rules need besides the transcript itself.

    ``is_word`` is the language dictionary (None: the spelling rule is skipped);
    ``known`` holds the CRM's names (None: not checked);
    ``accepted_words`` are words the transcriptionist's team dictionary accepts.
    """

    audio_ms: int
    today: date
    heard: Sequence[tuple[int, int]] = ()
    is_word: Callable[[str], bool] | None = None
    known: KnownNames | None = None
    accepted_words: Collection[str] = ()
    abbreviations: Collection[str] = ()


def values_of(value: Any) -> list[Any]:
    """A field's value as a list (a single value becomes a list of one)."""
    return value if isinstance(value, list) else [value]


def name_of(value: Any) -> str:
    """The name in a person or account value ({"name": …} or plain text)."""
    return str(value.get("name", "")) if isinstance(value, dict) else str(value or "")


def word_count(narrative: str) -> int:
    """Words of the narrative as the rules count them."""
    return sum(1 for _ in words(narrative))
