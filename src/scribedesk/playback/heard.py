"""Which spans of a dictation were actually heard, as merged intervals (for the coverage check)."""

from __future__ import annotations

from dataclasses import dataclass, field

from scribedesk.domain.audio import HeardRanges

__all__ = ["HeardRanges", "HeardTracker"]


@dataclass
class HeardTracker:
    """Turns successive playback positions into heard spans.

    Only continuous forward progress at a listening speed counts: a seek (a jump larger
    than ``max_step_ms``) or fast-forward above ``max_rate`` is not listening.
    """

    ranges: HeardRanges = field(default_factory=HeardRanges)
    max_step_ms: int = 1500
    max_rate: float = 2.0
    _last: int | None = None

    def observe(self, position_ms: int, playing: bool, rate: float) -> None:
        """Record one position sample (call it on every clock tick)."""
        last, self._last = self._last, position_ms if playing else None
        if not playing or last is None or rate > self.max_rate:
            return
        step = position_ms - last
        if 0 < step <= self.max_step_ms * max(rate, 1.0):
            self.ranges.add(last, position_ms)

    def seeked(self) -> None:
        """A jump happened: do not join the positions on either side."""
        self._last = None
