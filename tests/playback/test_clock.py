"""Interpolated playback position between coarse libvlc updates."""

from __future__ import annotations

from scribedesk.playback.clock import PlaybackClock


class Wall:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_position_advances_smoothly_between_raw_updates():
    """With raw time stuck at 1000 ms, 16 ms ticks move the position 16 ms each."""
    wall = Wall()
    clock = PlaybackClock(now=wall)
    assert clock.tick(1000, True, 1.0) == 1000
    seen = []
    for _ in range(10):
        wall.t += 0.016
        seen.append(clock.tick(1000, True, 1.0))
    assert seen == [1016 + 16 * i for i in range(10)]


def test_rate_scales_the_interpolation():
    """At 2x the position moves twice as fast as the wall clock."""
    wall = Wall()
    clock = PlaybackClock(now=wall)
    clock.tick(0, True, 2.0)
    wall.t += 0.1
    assert clock.tick(0, True, 2.0) == 200


def test_paused_position_holds_still():
    """Paused, the position stays put however much time passes."""
    wall = Wall()
    clock = PlaybackClock(now=wall)
    clock.tick(5000, False, 1.0)
    wall.t += 3
    assert clock.tick(5000, False, 1.0) == 5000


def test_small_backward_corrections_are_smoothed_while_playing():
    """A raw update slightly behind the estimate never makes the cursor jump back."""
    wall = Wall()
    clock = PlaybackClock(now=wall)
    clock.tick(0, True, 1.0)
    wall.t += 0.25
    assert clock.tick(0, True, 1.0) == 250
    assert clock.tick(230, True, 1.0) == 250  # libvlc says 230: keep showing 250


def test_seek_shows_the_requested_position_at_once():
    """After a seek the clock shows the target even before libvlc reports it."""
    wall = Wall()
    clock = PlaybackClock(now=wall)
    clock.tick(40_000, True, 1.0)
    clock.seeked(12_000)
    assert clock.tick(12_000, True, 1.0) == 12_000
    wall.t += 0.05
    assert clock.tick(12_000, True, 1.0) == 12_050
