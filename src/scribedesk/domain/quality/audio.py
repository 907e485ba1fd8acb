"""Rules against the audio: all of it heard, and a text length the dictation makes plausible."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from scribedesk.domain.audio import HeardRanges
from scribedesk.domain.quality.model import CheckContext, Finding, Severity, word_count
from scribedesk.domain.quality.registry import Settings, rule
from scribedesk.domain.transcript import format_time

if TYPE_CHECKING:
    from scribedesk.domain.templates import Template


@rule(
    "audio-coverage",
    "Whole dictation heard",
    Severity.ERROR,
    acknowledgeable=False,
    defaults={"min_percent": 95, "min_gap_s": 1},
)
def _coverage(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    if c.audio_ms <= 0:
        return
    ranges = HeardRanges()
    for span in c.heard:
        try:
            start, end = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            continue
        ranges.add(max(0, start), min(end, c.audio_ms))
    share = ranges.coverage(c.audio_ms) * 100
    if share + 1e-9 >= rule["min_percent"]:
        return
    gaps = ranges.unheard(c.audio_ms, int(rule["min_gap_s"] * 1000))
    spans = ", ".join(f"{format_time(a)}–{format_time(b)}" for a, b in gaps[:5])
    more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
    yield rule.finding(
        f"Only {share:.0f} % of the dictation was heard (at least {rule['min_percent']:g} % "
        f"needed). Not heard: {spans}{more}."
    )


@rule("pace", "Plausible length", Severity.WARNING, defaults={"min_wpm": 60, "max_wpm": 220})
def _pace(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    minutes = c.audio_ms / 60_000
    count = word_count(narrative)
    if minutes < 0.25 or not count:  # too short to judge; an empty narrative is its own rule
        return
    pace = count / minutes
    if pace < rule["min_wpm"]:
        yield rule.finding(
            f"{pace:.0f} words per audio minute is slow for dictation (at least "
            f"{rule['min_wpm']:g} expected): is part of the audio missing from the text?"
        )
    elif pace > rule["max_wpm"]:
        yield rule.finding(
            f"{pace:.0f} words per audio minute is more than anyone dictates (at most "
            f"{rule['max_wpm']:g} expected): is there text that is not in the audio?"
        )
