"""Marker rules: [hh:mm:ss], [inaudible …] and [unclear …] well formed, in range, in order."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from scribedesk.domain.quality.model import CheckContext, Finding, Severity
from scribedesk.domain.quality.registry import Settings, rule
from scribedesk.domain.transcript import MARKER, find_markers, format_time

if TYPE_CHECKING:
    from scribedesk.domain.templates import Template


_MARKER_LIKE = re.compile(
    r"\[(?:inaudible|unclear)\b[^\]\n]{0,40}\]|\[\s*\d{1,3}:\d{1,3}(?::\d{1,3})?\s*\]",
    re.IGNORECASE,
)


@rule("marker-format", "Markers well formed", Severity.ERROR, acknowledgeable=False)
def _marker_format(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for match in _MARKER_LIKE.finditer(narrative):
        if not MARKER.fullmatch(match.group()):
            yield rule.finding(
                f"“{match.group()}” is not a marker ScribeDesk understands: write "
                "[hh:mm:ss], [inaudible hh:mm:ss] or [unclear hh:mm:ss].",
                start=match.start(),
                end=match.end(),
            )


@rule("marker-range", "Markers inside the audio", Severity.ERROR, acknowledgeable=False)
def _marker_range(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for marker in find_markers(narrative):
        if marker.at_ms > c.audio_ms:
            yield rule.finding(
                f"The marker at {format_time(marker.at_ms)} is past the end of the audio "
                f"({format_time(c.audio_ms)}).",
                start=marker.start,
                end=marker.end,
            )


@rule("marker-order", "Markers in order", Severity.WARNING)
def _marker_order(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    latest = None
    for marker in find_markers(narrative):
        if latest is not None and marker.at_ms < latest.at_ms:
            yield rule.finding(
                f"The marker at {format_time(marker.at_ms)} comes after one at "
                f"{format_time(latest.at_ms)}: markers should follow the audio.",
                start=marker.start,
                end=marker.end,
            )
        if latest is None or marker.at_ms >= latest.at_ms:
            latest = marker


@rule("marker-count", "Not too many gaps", Severity.WARNING, defaults={"max": 10})
def _marker_count(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    gaps = [m for m in find_markers(narrative) if m.kind != "timestamp"]
    if len(gaps) > rule["max"]:
        yield rule.finding(
            f"{len(gaps)} inaudible or unclear passages (more than {rule['max']:g}): the audio "
            "may need to go back to the author.",
            start=gaps[0].start,
            end=gaps[0].end,
        )
