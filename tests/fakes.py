"""Fakes for pure-logic tests: a player that only keeps numbers, a scheduler with manual time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FakePlayer:
    """Implements the transport's PlayerPort; records every call."""

    duration_ms: int = 60_000
    position_ms: int = 0
    playing: bool = False
    rate: float = 1.0
    volume: int = 80
    calls: list[str] = field(default_factory=list)

    def play(self) -> None:
        self.playing = True
        self.calls.append("play")

    def pause(self) -> None:
        self.playing = False
        self.calls.append("pause")

    def seek_ms(self, position_ms: int) -> None:
        self.position_ms = position_ms
        self.calls.append(f"seek {position_ms}")

    def set_rate(self, rate: float) -> None:
        self.rate = rate
        self.calls.append(f"rate {rate}")

    def set_volume(self, volume: int) -> None:
        self.volume = volume
        self.calls.append(f"volume {volume}")


@dataclass
class _Timer:
    due: float
    callback: Callable[[], None]
    every: float | None = None
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass
class FakeScheduler:
    """Timers that fire only when the test moves time with ``advance``."""

    time: float = 1000.0
    timers: list[_Timer] = field(default_factory=list)

    def now(self) -> float:
        return self.time

    def call_later(self, delay_ms: int, callback: Callable[[], None]) -> _Timer:
        timer = _Timer(self.time + delay_ms / 1000, callback)
        self.timers.append(timer)
        return timer

    def call_every(self, interval_ms: int, callback: Callable[[], None]) -> _Timer:
        timer = _Timer(self.time + interval_ms / 1000, callback, every=interval_ms / 1000)
        self.timers.append(timer)
        return timer

    def advance(self, seconds: float, player: FakePlayer | None = None) -> None:
        """Move time forward, firing due timers in order (and moving a playing player)."""
        end = self.time + seconds
        while True:
            live = [t for t in self.timers if not t.cancelled and t.due <= end]
            if not live:
                break
            timer = min(live, key=lambda t: t.due)
            self._move(timer.due - self.time, player)
            if timer.every is not None:
                timer.due += timer.every
            else:
                timer.cancelled = True
            timer.callback()
        self._move(end - self.time, player)

    def _move(self, seconds: float, player: FakePlayer | None) -> None:
        if player is not None and player.playing:
            player.position_ms += int(seconds * 1000 * player.rate)
        self.time += seconds


def make_job(job_id: int = 5, **values: object):  # type: ignore[no-untyped-def]
    """A domain Job for pure-logic tests (what client.payloads makes of the service's JSON)."""
    from scribedesk.domain.dictation import Priority, Status
    from scribedesk.domain.job import Job, JobAudio

    defaults: dict[str, object] = {
        "status": Status.ASSIGNED,
        "priority": Priority.ROUTINE,
        "template_id": "general-memo",
        "audio": JobAudio(duration_ms=60_000, working_sha256="0" * 64, working_size=1),
    }
    return Job(id=job_id, **{**defaults, **values})  # type: ignore[arg-type]
