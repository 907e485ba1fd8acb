"""Transport rules: what a pedal or hotkey press does to the player (pure, no threads of its own).

The controller turns presses and releases of *actions* into player calls:

- PLAY_HOLD (hold-to-play): press plays, release pauses and steps back ``backstep_s``.
  In toggle mode a press plays or pauses (with the same backstep) and release does nothing.
- REWIND / FFWD: a press steps ``step_s`` at once; held past ``hold_ms``, rewind scans
  back ``scan_step_s`` every ``scan_interval_ms`` and fast-forward plays at ``ffwd_rate``,
  both until release, when the previous rate and play state come back.
- A press of an input that is already down (keyboard autorepeat, a bouncing pedal) is
  ignored, so autorepeat never multiplies a press.

Threading: call every method from one thread (the GUI thread in the workstation); the
scheduler's callbacks must arrive on that thread too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol


class Action(StrEnum):
    """What a pedal or a key can be mapped to."""

    PLAY_HOLD = "play_hold"
    PLAY_TOGGLE = "play_toggle"
    STOP = "stop"
    REWIND = "rewind"
    FFWD = "fast_forward"
    JUMP_START = "jump_start"
    JUMP_END = "jump_end"
    SPEED_UP = "speed_up"
    SPEED_DOWN = "speed_down"
    SPEED_RESET = "speed_reset"
    VOLUME_UP = "volume_up"
    VOLUME_DOWN = "volume_down"
    MARK = "mark"


class PlayerPort(Protocol):
    """What the transport needs from a player (VlcPlayer, or a fake in tests)."""

    @property
    def playing(self) -> bool: ...
    @property
    def position_ms(self) -> int: ...
    @property
    def duration_ms(self) -> int: ...
    @property
    def rate(self) -> float: ...
    @property
    def volume(self) -> int: ...
    def play(self) -> None: ...
    def pause(self) -> None: ...
    def seek_ms(self, position_ms: int) -> None: ...
    def set_rate(self, rate: float) -> None: ...
    def set_volume(self, volume: int) -> None: ...


class Cancel(Protocol):
    """A scheduled callback that can be called off."""

    def cancel(self) -> None: ...


class Scheduler(Protocol):
    """Timers on the transport's thread, and a monotonic clock in seconds."""

    def call_later(self, delay_ms: int, callback: Callable[[], None]) -> Cancel: ...
    def call_every(self, interval_ms: int, callback: Callable[[], None]) -> Cancel: ...
    def now(self) -> float: ...


MIN_RATE, MAX_RATE = 0.5, 3.0


@dataclass(frozen=True)
class TransportSettings:
    """The user's transport preferences (all remappable in Settings)."""

    play_mode: str = "hold"  # "hold" (push-to-play) or "toggle"
    backstep_s: float = 1.0  # 0-10 s, on pause/release
    long_pause_after_s: float = 30.0  # a pause at least this long ...
    long_pause_backstep_s: float = 2.0  # ... steps back this much more on resume (0 = off)
    step_s: float = 2.0  # a tap of rewind / fast-forward
    hold_ms: int = 350  # pressed longer than this counts as held
    scan_step_s: float = 1.0  # held rewind: this far back ...
    scan_interval_ms: int = 200  # ... this often
    ffwd_rate: float = 3.0  # held fast-forward plays this fast
    speed_step: float = 0.1
    volume_step: int = 10

    def checked(self) -> TransportSettings:
        """A copy with every value clamped to its allowed range."""
        return replace(
            self,
            play_mode=self.play_mode if self.play_mode in ("hold", "toggle") else "hold",
            backstep_s=min(max(self.backstep_s, 0.0), 10.0),
            long_pause_backstep_s=min(max(self.long_pause_backstep_s, 0.0), 10.0),
            step_s=min(max(self.step_s, 0.5), 60.0),
            scan_step_s=min(max(self.scan_step_s, 0.1), 10.0),
            scan_interval_ms=min(max(self.scan_interval_ms, 150), 1000),
            ffwd_rate=min(max(self.ffwd_rate, 1.0), MAX_RATE),
            speed_step=min(max(self.speed_step, 0.05), 0.5),
        )


@dataclass
class _Scan:
    cancel_hold: Cancel
    repeating: Cancel | None = None
    restore_rate: float | None = None
    restore_playing: bool = False


@dataclass
class TransportController:
    """The pedal/hotkey state machine over a player."""

    player: PlayerPort
    scheduler: Scheduler
    settings: TransportSettings = field(default_factory=TransportSettings)
    on_mark: Callable[[int], None] = lambda _ms: None

    def __post_init__(self) -> None:
        self.settings = self.settings.checked()
        self._down: set[str] = set()
        #: What pressing each action does (every Action has its entry; a test checks it).
        self.on_press: dict[Action, Callable[[], None]] = {
            Action.PLAY_HOLD: self._press_play_hold,
            Action.PLAY_TOGGLE: self._press_play_toggle,
            Action.STOP: self._press_stop,
            Action.REWIND: self._press_rewind,
            Action.FFWD: self._press_fast_forward,
            Action.JUMP_START: self._press_jump_start,
            Action.JUMP_END: self._press_jump_end,
            Action.SPEED_UP: self._press_speed_up,
            Action.SPEED_DOWN: self._press_speed_down,
            Action.SPEED_RESET: self._press_speed_reset,
            Action.VOLUME_UP: self._press_volume_up,
            Action.VOLUME_DOWN: self._press_volume_down,
            Action.MARK: self._press_mark,
        }
        self._scans: dict[Action, _Scan] = {}
        self._paused_at: float | None = None

    # -- inputs ------------------------------------------------------------------------------

    def press(self, action: Action, source: str = "") -> None:
        """An input mapped to ``action`` went down; a repeat of one already down is ignored."""
        key = f"{source}:{action.value}"
        if key in self._down:
            return
        self._down.add(key)
        self.on_press[action]()

    def release(self, action: Action, source: str = "") -> None:
        """The input came up (ignored when it was not down)."""
        key = f"{source}:{action.value}"
        if key not in self._down:
            return
        self._down.discard(key)
        if action is Action.PLAY_HOLD and self.settings.play_mode == "hold":
            self._stop_playing()
        elif action in (Action.REWIND, Action.FFWD):
            self._end_scan(action)

    def release_all(self) -> None:
        """Everything up (a pedal was unplugged mid-press): stop playing and scanning."""
        for key in list(self._down):
            source, _, name = key.rpartition(":")
            self.release(Action(name), source)

    # -- playing -----------------------------------------------------------------------------

    def _press_play_hold(self) -> None:
        if self.settings.play_mode == "toggle":
            self._press_play_toggle()
        else:
            self._start_playing()

    def _press_play_toggle(self) -> None:
        if self.player.playing:
            self._stop_playing()
        else:
            self._start_playing()

    def _press_stop(self) -> None:
        if self.player.playing:
            self._stop_playing()

    def _start_playing(self) -> None:
        if self.player.playing:
            return
        paused_for = self.scheduler.now() - self._paused_at if self._paused_at is not None else 0.0
        if (
            self.settings.long_pause_backstep_s
            and self._paused_at is not None
            and paused_for >= self.settings.long_pause_after_s
        ):
            self._seek(self.player.position_ms - int(self.settings.long_pause_backstep_s * 1000))
        self.player.play()

    def _stop_playing(self) -> None:
        if not self.player.playing:
            return
        self.player.pause()
        # Seek after pausing: the paused path lands exactly as well as the playing one.
        self._seek(self.player.position_ms - int(self.settings.backstep_s * 1000))
        self._paused_at = self.scheduler.now()

    # -- rewind and fast-forward -------------------------------------------------------------

    def _press_rewind(self) -> None:
        self._seek(self.player.position_ms - int(self.settings.step_s * 1000))
        self._begin_scan(Action.REWIND)

    def _press_fast_forward(self) -> None:
        self._seek(self.player.position_ms + int(self.settings.step_s * 1000))
        self._begin_scan(Action.FFWD)

    def _begin_scan(self, action: Action) -> None:
        self._end_scan(action)
        hold = self.scheduler.call_later(self.settings.hold_ms, lambda: self._held(action))
        self._scans[action] = _Scan(cancel_hold=hold)

    def _held(self, action: Action) -> None:
        scan = self._scans.get(action)
        if scan is None:
            return
        if action is Action.REWIND:
            step = int(self.settings.scan_step_s * 1000)
            scan.repeating = self.scheduler.call_every(
                self.settings.scan_interval_ms,
                lambda: self._seek(self.player.position_ms - step),
            )
        else:
            scan.restore_rate = self.player.rate
            scan.restore_playing = self.player.playing
            self.player.set_rate(self.settings.ffwd_rate)
            if not self.player.playing:
                self.player.play()

    def _end_scan(self, action: Action) -> None:
        scan = self._scans.pop(action, None)
        if scan is None:
            return
        scan.cancel_hold.cancel()
        if scan.repeating is not None:
            scan.repeating.cancel()
        if scan.restore_rate is not None:
            self.player.set_rate(scan.restore_rate)
            if not scan.restore_playing and self.player.playing:
                self.player.pause()
                self._paused_at = self.scheduler.now()

    # -- jumps, speed, volume, marks -----------------------------------------------------------

    def _press_jump_start(self) -> None:
        self._seek(0)

    def _press_jump_end(self) -> None:
        self._seek(self.player.duration_ms)

    def _press_speed_up(self) -> None:
        self.set_speed(self.player.rate + self.settings.speed_step)

    def _press_speed_down(self) -> None:
        self.set_speed(self.player.rate - self.settings.speed_step)

    def _press_speed_reset(self) -> None:
        self.set_speed(1.0)

    def _press_volume_up(self) -> None:
        self.player.set_volume(min(100, self.player.volume + self.settings.volume_step))

    def _press_volume_down(self) -> None:
        self.player.set_volume(max(0, self.player.volume - self.settings.volume_step))

    def _press_mark(self) -> None:
        self.on_mark(self.player.position_ms)

    def set_speed(self, rate: float) -> None:
        """Playback speed, clamped to 0.5x-3.0x and rounded to hundredths (pitch is kept)."""
        self.player.set_rate(round(min(max(rate, MIN_RATE), MAX_RATE), 2))

    def _seek(self, position_ms: int) -> None:
        self.player.seek_ms(min(max(0, position_ms), max(0, self.player.duration_ms)))
