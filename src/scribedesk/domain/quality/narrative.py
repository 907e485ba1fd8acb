"""Narrative rules: written, free of placeholders, and naming what the fields say."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from scribedesk.domain.quality.model import (
    CheckContext,
    Finding,
    Severity,
    name_of,
    values_of,
    word_count,
)
from scribedesk.domain.quality.registry import Settings, rule
from scribedesk.domain.spelling import words
from scribedesk.domain.transcript import MARKER

if TYPE_CHECKING:
    from scribedesk.domain.templates import Template


_PLACEHOLDER = re.compile(
    r"\b(?:TBD|TODO|FIXME|XXX+|lorem ipsum|insert (?:text|narrative) here|see audio)\b|\?\?\?+",
    re.IGNORECASE,
)


@rule("narrative", "Narrative written", Severity.ERROR, acknowledgeable=False)
def _narrative(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    if not t.narrative.required:
        return
    text = MARKER.sub(" ", narrative)
    bare = _PLACEHOLDER.sub(" ", text)
    if not text.strip():
        yield rule.finding(f"The {t.narrative.label.lower()} is empty.")
    elif not re.search(r"[A-Za-z]{2}", bare):
        yield rule.finding(
            f"The {t.narrative.label.lower()} holds only placeholder text or markers."
        )
    elif (count := word_count(narrative)) < t.narrative.min_words:
        yield Finding(
            rule.rule.id,
            Severity.WARNING,
            f"The {t.narrative.label.lower()} has {count} words; this template expects at "
            f"least {t.narrative.min_words}.",
        )


@rule("placeholder", "No placeholder text", Severity.WARNING)
def _placeholders(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for match in _PLACEHOLDER.finditer(narrative):
        yield rule.finding(
            f"“{match.group()}” looks like placeholder text left in.",
            start=match.start(),
            end=match.end(),
        )


def _mentioned(name: str, folded_text: str) -> bool:
    """The name, or one of its words of 3+ letters, appears in the text."""
    name = name.casefold().strip()
    if not name:
        return True
    if name in folded_text:
        return True
    return any(
        len(word) >= 3 and re.search(rf"\b{re.escape(word.casefold())}\b", folded_text)
        for _s, _e, word in words(name)
    )


@rule("field-mention", "Fields agree with the narrative", Severity.WARNING)
def _field_mentions(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    folded = narrative.casefold()
    for field_id in t.quality.mentions:
        if field_id not in t.field_ids:
            continue
        spec = t.field(field_id)
        for name in map(name_of, values_of(fields.get(field_id))):
            if name.strip() and not _mentioned(name, folded):
                yield rule.finding(
                    f"{spec.label} says “{name}”, but the narrative never mentions it.",
                    field=field_id,
                )
