"""Smooth playback position between libvlc's coarse time updates.

libvlc 3 reports the media time only every 250-1000 ms depending on the format, so a
60 Hz position display must interpolate: anchor on each new raw value and advance by
wall time x rate while playing. Seeks re-anchor at once on the requested position.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class PlaybackClock:
    """Interpolated position in ms; feed it raw times with ``tick`` (any thread, one at a time)."""

    now: Callable[[], float] = time.monotonic
    jitter_ms: int = 300  # small backwards corrections while playing are smoothed away
    _anchor_ms: float = 0.0
    _anchor_wall: float = field(default=0.0)
    _last_raw: int | None = None
    _last_out: int = 0
    _playing: bool = False
    _rate: float = 1.0

    def tick(self, raw_ms: int | None, playing: bool, rate: float) -> int:
        """The position to show now, given the player's latest raw time, state and rate.

        ``raw_ms`` None means the player has no time to report yet (still opening).
        """
        wall = self.now()
        if playing != self._playing or rate != self._rate:
            self._anchor_ms, self._anchor_wall = self._estimate(wall), wall
            self._playing, self._rate = playing, rate
        if raw_ms is not None and raw_ms != self._last_raw:
            self._last_raw = raw_ms
            self._anchor_ms, self._anchor_wall = float(raw_ms), wall
        position = round(self._estimate(wall))
        if playing and self._last_out - self.jitter_ms < position < self._last_out:
            position = self._last_out
        self._last_out = position
        return position

    def seeked(self, position_ms: int) -> None:
        """A seek was requested: show it at once, whatever the player reports next."""
        self._anchor_ms, self._anchor_wall = float(position_ms), self.now()
        self._last_out = position_ms
        self._last_raw = position_ms

    def _estimate(self, wall: float) -> float:
        if not self._playing:
            return self._anchor_ms
        return self._anchor_ms + (wall - self._anchor_wall) * 1000.0 * self._rate
