"""What a transcriptionist has typed for one job: the draft, and the markers in its narrative."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: [hh:mm:ss], [inaudible hh:mm:ss], [unclear hh:mm:ss]
MARKER = re.compile(r"\[(?:(inaudible|unclear) )?(\d{2}):([0-5]\d):([0-5]\d)\]")


def format_time(ms: int) -> str:
    """hh:mm:ss for a position in milliseconds (rounded down to the second)."""
    seconds = max(0, ms) // 1000
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def format_tenths(ms: int) -> str:
    """hh:mm:ss.t: the position as the transport bar shows it."""
    ms = max(0, ms)
    return f"{format_time(ms)}.{ms // 100 % 10}"


def parse_clock(text: str) -> int | None:
    """A typed position in milliseconds: "1:02:03", "02:03", "123" (seconds), with
    optional tenths ("2:03.5"); None when it is not one."""
    text = text.strip()
    if not text:
        return None
    whole, _, fraction = text.partition(".")
    parts = whole.split(":")
    if (
        len(parts) > 3
        or not all(p.isdigit() for p in parts)
        or (not fraction.isdigit() and fraction)
    ):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    if len(parts) > 1 and any(int(p) >= 60 for p in parts[1:]):
        return None
    tenths = int((fraction + "00")[:3]) if fraction else 0
    return seconds * 1000 + tenths


def marker_text(kind: str, ms: int) -> str:
    """The text of a marker: kind "timestamp", "inaudible" or "unclear"."""
    stamp = format_time(ms)
    return f"[{stamp}]" if kind == "timestamp" else f"[{kind} {stamp}]"


@dataclass(frozen=True)
class Marker:
    """A marker found in the narrative, with its character range."""

    kind: str
    at_ms: int
    start: int
    end: int


def find_markers(text: str) -> list[Marker]:
    """Every well-formed marker in ``text``, in order."""
    found = []
    for match in MARKER.finditer(text):
        hours, minutes, seconds = (int(g) for g in match.groups()[1:])
        found.append(
            Marker(
                match.group(1) or "timestamp",
                ((hours * 60 + minutes) * 60 + seconds) * 1000,
                match.start(),
                match.end(),
            )
        )
    return found


@dataclass
class Draft:
    """Everything needed to resume a job exactly where it was left, cursor included."""

    job_id: int
    template_id: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    narrative: str = ""
    cursor: int = 0
    note_to_supervisor: str = ""
    heard: list[tuple[int, int]] = field(default_factory=list)
    position_ms: int = 0
    time_spent_s: int = 0
    revision: int = 0

    def submission_body(
        self,
        lease_token: str,
        quality_report: dict[str, Any] | None = None,
        quality: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The JSON the service's submit endpoint takes (``quality``: what the service needs
        to re-run the checks, see services.quality)."""
        return {
            "quality": quality or {},
            "lease_token": lease_token,
            "fields": self.fields,
            "narrative": self.narrative,
            "markers": [{"kind": m.kind, "at_ms": m.at_ms} for m in find_markers(self.narrative)],
            "quality_report": quality_report or {},
            "time_spent_seconds": self.time_spent_s,
            "note_to_supervisor": self.note_to_supervisor,
        }
