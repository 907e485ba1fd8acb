"""A dictation's audio: the reference the workstation fetches it by, and the spans heard."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from scribedesk.domain.job import Job


@dataclass(frozen=True)
class AudioRef:
    """The working copy of one job's audio: its checksum and size in bytes."""

    job_id: int
    sha256: str
    size: int

    @classmethod
    def of(cls, job: Job) -> AudioRef:
        """The working copy of ``job``."""
        return cls(job.id, job.audio.working_sha256, job.audio.working_size)


@dataclass
class HeardRanges:
    """Merged, sorted [start, end) intervals in ms."""

    spans: list[tuple[int, int]] = field(default_factory=list)

    def add(self, start_ms: int, end_ms: int) -> None:
        """Mark [start, end) as heard, merging with touching or overlapping spans."""
        if end_ms <= start_ms:
            return
        index = bisect.bisect_left(self.spans, (start_ms, start_ms))
        if index and self.spans[index - 1][1] >= start_ms:
            index -= 1
        merged_start, merged_end = start_ms, end_ms
        stop = index
        while stop < len(self.spans) and self.spans[stop][0] <= merged_end:
            merged_start = min(merged_start, self.spans[stop][0])
            merged_end = max(merged_end, self.spans[stop][1])
            stop += 1
        self.spans[index:stop] = [(merged_start, merged_end)]

    def heard_ms(self) -> int:
        """Total heard time."""
        return sum(end - start for start, end in self.spans)

    def coverage(self, duration_ms: int) -> float:
        """Share of ``duration_ms`` that was heard, 0.0-1.0."""
        if duration_ms <= 0:
            return 0.0
        inside = sum(max(0, min(end, duration_ms) - start) for start, end in self.spans)
        return min(1.0, inside / duration_ms)

    def unheard(self, duration_ms: int, min_gap_ms: int = 0) -> list[tuple[int, int]]:
        """The gaps in [0, duration) at least ``min_gap_ms`` long."""
        gaps, cursor = [], 0
        for start, end in self.spans:
            if start - cursor > min_gap_ms and start > cursor:
                gaps.append((cursor, min(start, duration_ms)))
            cursor = max(cursor, end)
            if cursor >= duration_ms:
                break
        if duration_ms - cursor > min_gap_ms and duration_ms > cursor:
            gaps.append((cursor, duration_ms))
        return gaps
