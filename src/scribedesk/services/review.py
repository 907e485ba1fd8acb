"""Reviewing one transcript: the corrected copy, its live differences from the submitted
version, their classification, the score as it stands, and the completion.

The diff is word by word on the words as written (case and punctuation shown), aligned
on their normalised form, so a changed comma is no difference but "Dana" → "Donna" is.
The score shown while reviewing is the same rule the service applies when the review
is completed (domain.weighting); the service's own computation is the one stored.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from scribedesk.domain.fieldspec import FieldType
from scribedesk.domain.review import ReviewItem, TeamView
from scribedesk.domain.scoring import WordScore, align
from scribedesk.domain.templates import Template
from scribedesk.domain.transcript import find_markers
from scribedesk.domain.weighting import (
    ClassifiedError,
    Severity,
    WeightedScore,
    critical_fields,
    score_fields,
    weighted_score,
)

#: The category a field's difference gets by default, from its type.
_FIELD_CATEGORY = {
    FieldType.ACCOUNT: "account",
    FieldType.PERSON: "contact",
    FieldType.CURRENCY: "amount",
    FieldType.NUMBER: "amount",
    FieldType.DATE: "date",
}


#: A difference's kind as the service records it.
_KIND = {
    "substitute": "substitution",
    "omitted": "omission",
    "added": "insertion",
    "field": "field",
}


@dataclass(frozen=True)
class Difference:
    """One run of changed words (or one changed field) between the two versions."""

    kind: str  # substitute | omitted | added | field
    corrected: str  # what the corrected version has
    submitted: str  # what the transcriptionist wrote
    field: str | None = None
    at_word: int = 0  # where it starts in the submitted narrative (word index)
    critical: bool = False  # a field of the CRM's critical categories

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Stable across edits elsewhere: the classification sticks to the difference."""
        return (self.kind, self.corrected, self.submitted, self.field or "")

    @property
    def default_category(self) -> str:
        return "wording" if self.field is None else "field"


class ReviewPort(Protocol):
    """The service as the review, team and feedback pages use it (client.review_api)."""

    def team(self) -> TeamView: ...
    def queue(self) -> list[ReviewItem]: ...
    def next_review(self) -> ReviewItem | None: ...
    def heartbeat(self, review_id: int, token: str) -> ReviewItem: ...
    def complete(self, review_id: int, body: Mapping[str, Any]) -> ReviewItem: ...
    def mine(self) -> list[ReviewItem]: ...
    def review(self, review_id: int) -> ReviewItem: ...
    def dispute(self, review_id: int, index: int, reason: str) -> ReviewItem: ...
    def disputes(self) -> list[ReviewItem]: ...
    def decide(self, review_id: int, index: int, uphold: bool, note: str) -> ReviewItem: ...
    def transcriptionists(self) -> dict[str, int]: ...
    def move(self, dictation_id: int, action: str, **body: Any) -> None: ...


class ReviewWork:
    """The reviewer's work on one claimed review."""

    def __init__(self, item: ReviewItem, template: Template) -> None:
        assert item.submitted is not None, "a claimed review carries the submitted text"
        self.item, self.template = item, template
        self.submitted = item.submitted
        self.narrative = item.submitted.narrative
        self.fields: dict[str, Any] = dict(item.submitted.fields)
        self.classes: dict[tuple[str, str, str, str], tuple[Severity, str]] = {}
        self._keys: dict[str, str] = {}
        self._critical = critical_fields(template.fields)
        self._submitted_tokens = self.submitted.narrative.split()
        self._submitted_keys = self._keyed(self._submitted_tokens)
        self.differences: list[Difference] = []
        self.words: WordScore | None = None
        self.update(self.narrative, self.fields)

    def _keyed(self, tokens: list[str]) -> list[tuple[int, str]]:
        keys = []
        normalise = self.template.scoring.normaliser.words
        for index, token in enumerate(tokens):
            key = self._keys.get(token)
            if key is None:
                key = self._keys[token] = " ".join(normalise(token))
            if key:
                keys.append((index, key))
        return keys

    def update(self, narrative: str, fields: Mapping[str, Any]) -> None:
        """The corrected copy changed: compute the differences again (fast enough for
        every keystroke of a 5,000-word transcript, bench_review.py)."""
        self.narrative, self.fields = narrative, dict(fields)
        tokens = narrative.split()
        keyed = self._keyed(tokens)
        sub = self._submitted_keys
        self.words = align([k for _i, k in keyed], [k for _i, k in sub])
        self._tokens, self._keyed_now = tokens, keyed
        found: list[Difference] = []
        run: list[Any] = []  # consecutive pairs of one kind make one difference

        def close() -> None:
            if not run:
                return
            ref = [
                tokens[keyed[p.reference_index][0]] for p in run if p.reference_index is not None
            ]
            hyp = [
                self._submitted_tokens[sub[p.hypothesis_index][0]]
                for p in run
                if p.hypothesis_index is not None
            ]
            kind = {"substitute": "substitute", "delete": "omitted", "insert": "added"}[run[0].kind]
            found.append(Difference(kind, " ".join(ref), " ".join(hyp), at_word=starts[0]))
            run.clear()

        starts = [0]  # where the open run starts in the submitted words
        next_word = 0  # the submitted word after the last one aligned so far
        for pair in self.words.pairs:
            if run and pair.kind != run[0].kind:
                close()
            if pair.kind != "equal":
                if not run:
                    starts[0] = (
                        sub[pair.hypothesis_index][0]
                        if pair.hypothesis_index is not None
                        else next_word
                    )
                run.append(pair)
            if pair.hypothesis_index is not None:
                next_word = sub[pair.hypothesis_index][0] + 1
        close()
        for result in score_fields(
            self.template.fields, self.fields, self.submitted.fields, self.template.scoring
        ):
            if not result.matches:
                found.append(
                    Difference(
                        "field",
                        _shown(result.reference),
                        _shown(result.hypothesis),
                        field=result.field,
                        critical=result.field in self._critical,
                    )
                )
        self.differences = found

    def classify(
        self, difference: Difference, severity: Severity | None, category: str = ""
    ) -> None:
        """Classify a difference (None: leave it unclassified, it does not count)."""
        if severity is None:
            self.classes.pop(difference.key, None)
            return
        if not category:
            category = self.category_of(difference)
        self.classes[difference.key] = (severity, category)

    def category_of(self, difference: Difference) -> str:
        """The category given, or the default for a difference of its kind."""
        given = self.classes.get(difference.key)
        if given is not None:
            return given[1]
        if difference.field is not None:
            spec = next(s for s in self.template.fields if s.id == difference.field)
            return _FIELD_CATEGORY.get(spec.type, difference.field.replace("_", " "))
        return difference.default_category

    def severity_of(self, difference: Difference) -> Severity | None:
        given = self.classes.get(difference.key)
        return given[0] if given else None

    def classified(self) -> list[tuple[Difference, Severity, str]]:
        """The classifications of the differences there are now (edited-away ones drop)."""
        return [(d, *self.classes[d.key]) for d in self.differences if d.key in self.classes]

    def preview(self) -> WeightedScore:
        """The score as it stands, by the rule the service applies."""
        errors = [
            ClassifiedError(severity, category, d.corrected or d.submitted, d.field)
            for d, severity, category in self.classified()
        ]
        return weighted_score(errors, self.template.scoring)

    def audio_ms(self, difference: Difference) -> int:
        """Where a difference is in the audio: the latest timestamp marker before it, or
        its place in the text in proportion to the recording."""
        if difference.field is not None or not self._submitted_tokens:
            return 0
        text = self.submitted.narrative
        offset = len(" ".join(self._submitted_tokens[: difference.at_word]))
        markers = [m for m in find_markers(text) if m.start <= offset]
        if markers:
            return markers[-1].at_ms
        share = difference.at_word / max(1, len(self._submitted_tokens))
        return int(self.item.audio_ms * share)

    def diff_html(self) -> str:
        """The corrected copy as tracked changes against the submitted one: what the
        transcriptionist wrote and the reviewer removed struck through, what the reviewer
        added underlined."""
        assert self.words is not None
        out: list[str] = []
        tokens, keyed, sub = self._tokens, self._keyed_now, self._submitted_keys
        for pair in self.words.pairs:
            if pair.kind == "equal":
                assert pair.reference_index is not None
                out.append(html.escape(tokens[keyed[pair.reference_index][0]]))
                continue
            if pair.hypothesis_index is not None:
                word = self._submitted_tokens[sub[pair.hypothesis_index][0]]
                out.append(f'<s style="color:#e53935">{html.escape(word)}</s>')
            if pair.reference_index is not None:
                word = tokens[keyed[pair.reference_index][0]]
                out.append(f'<u style="color:#43a047">{html.escape(word)}</u>')
        return " ".join(out)

    def side_by_side_html(self) -> tuple[str, str]:
        """(corrected, submitted) as HTML for two columns: the corrected copy's words the
        transcriptionist missed or misheard underlined in green, the submitted words that
        are wrong or extra struck through in red."""
        assert self.words is not None
        tokens, keyed, sub = self._tokens, self._keyed_now, self._submitted_keys
        left: list[str] = []
        right: list[str] = []
        for pair in self.words.pairs:
            if pair.reference_index is not None:
                word = html.escape(tokens[keyed[pair.reference_index][0]])
                left.append(
                    word if pair.kind == "equal" else f'<u style="color:#43a047">{word}</u>'
                )
            if pair.hypothesis_index is not None:
                word = html.escape(self._submitted_tokens[sub[pair.hypothesis_index][0]])
                right.append(
                    word if pair.kind == "equal" else f'<s style="color:#e53935">{word}</s>'
                )
        return " ".join(left), " ".join(right)

    def body(self, feedback: str) -> dict[str, Any]:
        """The completion as the service takes it."""
        return {
            "lease_token": self.item.lease_token,
            "fields": self.fields,
            "narrative": self.narrative,
            "errors": [
                {
                    "severity": severity.value,
                    "category": category,
                    "kind": _KIND[d.kind],
                    "words": "" if d.field else (d.corrected or d.submitted),
                    "field": d.field,
                }
                for d, severity, category in self.classified()
            ],
            "feedback": feedback,
        }

    def complete(self, api: ReviewPort, feedback: str) -> ReviewItem:
        """Send the review; the answer carries the service's score."""
        return api.complete(self.item.id, self.body(feedback))


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v)
    return "" if value is None else str(value)
