"""Transport rules against a fake player and a manual clock."""

from __future__ import annotations

from scribedesk.playback.transport import Action, TransportController, TransportSettings
from tests.fakes import FakePlayer, FakeScheduler


def make(**settings: object) -> tuple[TransportController, FakePlayer, FakeScheduler]:
    player, scheduler = FakePlayer(position_ms=10_000), FakeScheduler()
    return TransportController(player, scheduler, TransportSettings(**settings)), player, scheduler


def test_hold_to_play_plays_while_held_and_steps_back_on_release():
    """Press plays; release pauses and backs up 1 s so the last words are heard again."""
    transport, player, clock = make()
    transport.press(Action.PLAY_HOLD, "pedal")
    assert player.playing
    clock.advance(5, player)
    transport.release(Action.PLAY_HOLD, "pedal")
    assert not player.playing
    assert player.position_ms == 14_000


def test_backstep_is_configurable_and_clamped():
    """A 2.5 s backstep steps 2.5 s; 25 s is clamped to the 10 s maximum; never before 0."""
    transport, player, clock = make(backstep_s=2.5)
    transport.press(Action.PLAY_HOLD)
    clock.advance(3, player)
    transport.release(Action.PLAY_HOLD)
    assert player.position_ms == 10_500
    assert TransportSettings(backstep_s=25).checked().backstep_s == 10
    transport, player, _ = make()
    player.position_ms = 300
    transport.press(Action.PLAY_HOLD)
    transport.release(Action.PLAY_HOLD)
    assert player.position_ms == 0


def test_autorepeat_never_multiplies_a_press():
    """Ten repeated presses of a held key act once; one release ends it."""
    transport, player, _ = make()
    for _ in range(10):
        transport.press(Action.REWIND, "key:f7")
    assert player.calls == ["seek 8000"]
    transport.release(Action.REWIND, "key:f7")
    transport.release(Action.REWIND, "key:f7")
    assert player.calls == ["seek 8000"]


def test_tap_rewind_steps_two_seconds():
    """A quick tap of rewind goes back 2 s and does nothing more."""
    transport, player, clock = make()
    transport.press(Action.REWIND)
    clock.advance(0.1, player)
    transport.release(Action.REWIND)
    clock.advance(2, player)
    assert player.position_ms == 8_000


def test_held_rewind_scans_back_until_release():
    """Held, rewind steps 2 s, then 1 s every 200 ms after the hold threshold, until release."""
    transport, player, clock = make()
    transport.press(Action.REWIND)
    clock.advance(0.35 + 1.01, player)  # hold threshold, then five scan steps
    transport.release(Action.REWIND)
    assert player.position_ms == 10_000 - 2_000 - 5 * 1_000
    clock.advance(2, player)
    assert player.position_ms == 3_000


def test_held_fast_forward_plays_at_3x_then_restores():
    """Held fast-forward plays at 3x; on release the old rate and the paused state return."""
    transport, player, clock = make()
    player.rate = 1.25
    transport.press(Action.FFWD)
    assert player.position_ms == 12_000
    clock.advance(0.35, player)
    assert (player.playing, player.rate) == (True, 3.0)
    clock.advance(1.0, player)
    assert player.position_ms == 15_000
    transport.release(Action.FFWD)
    assert (player.playing, player.rate) == (False, 1.25)


def test_fast_forward_while_playing_keeps_playing():
    """Scanning during playback returns to normal playback, not to a pause."""
    transport, player, clock = make()
    transport.press(Action.PLAY_HOLD, "pedal:middle")
    transport.press(Action.FFWD, "pedal:right")
    clock.advance(1, player)
    transport.release(Action.FFWD, "pedal:right")
    assert player.playing and player.rate == 1.0


def test_toggle_mode_plays_and_pauses_on_press():
    """In toggle mode a press starts, the next press stops (with backstep); release is ignored."""
    transport, player, clock = make(play_mode="toggle")
    transport.press(Action.PLAY_HOLD, "pedal")
    transport.release(Action.PLAY_HOLD, "pedal")
    assert player.playing
    clock.advance(4, player)
    transport.press(Action.PLAY_HOLD, "pedal")
    assert not player.playing and player.position_ms == 13_000


def test_long_pause_steps_back_further_on_resume():
    """After a pause of 30 s or more, resuming backs up 2 s more to regain context."""
    transport, player, clock = make()
    transport.press(Action.PLAY_TOGGLE)
    transport.release(Action.PLAY_TOGGLE)
    clock.advance(3, player)
    transport.press(Action.PLAY_TOGGLE)  # pause at 13 s, backstep to 12 s
    transport.release(Action.PLAY_TOGGLE)
    clock.advance(5)
    transport.press(Action.PLAY_TOGGLE)  # short pause: resume where it was
    transport.release(Action.PLAY_TOGGLE)
    assert player.position_ms == 12_000
    transport.press(Action.PLAY_TOGGLE)
    transport.release(Action.PLAY_TOGGLE)
    clock.advance(45)
    transport.press(Action.PLAY_TOGGLE)
    assert player.playing and player.position_ms == 11_000 - 2_000


def test_jumps_speed_and_volume():
    """Start/end jumps, speed in 0.1 steps clamped to 0.5-3.0, volume in 10s within 0-100."""
    transport, player, _ = make()
    transport.press(Action.JUMP_END)
    assert player.position_ms == 60_000
    transport.press(Action.JUMP_START)
    assert player.position_ms == 0
    for _ in range(30):
        transport.press(Action.SPEED_UP, "k")
        transport.release(Action.SPEED_UP, "k")
    assert player.rate == 3.0
    for _ in range(30):
        transport.press(Action.SPEED_DOWN, "k")
        transport.release(Action.SPEED_DOWN, "k")
    assert player.rate == 0.5
    transport.press(Action.SPEED_RESET)
    assert player.rate == 1.0
    for _ in range(5):
        transport.press(Action.VOLUME_UP, "k")
        transport.release(Action.VOLUME_UP, "k")
    assert player.volume == 100


def test_mark_reports_the_position():
    """Mark position hands the current time to the listener (for a timestamp or a note)."""
    marks: list[int] = []
    player, clock = FakePlayer(position_ms=4321), FakeScheduler()
    transport = TransportController(player, clock, on_mark=marks.append)
    transport.press(Action.MARK)
    assert marks == [4321]


def test_release_all_after_unplug_stops_everything():
    """A pedal unplugged while held: playback stops and scanning ends."""
    transport, player, clock = make()
    transport.press(Action.PLAY_HOLD, "pedal")
    transport.press(Action.REWIND, "pedal")
    clock.advance(1, player)
    transport.release_all()
    before = player.position_ms
    clock.advance(2, player)
    assert not player.playing and player.position_ms == before


def test_every_action_has_its_handler():
    """The transport's table covers every action: a new Action without one fails here,
    not silently at the pedal."""
    from scribedesk.playback.transport import Action, TransportController

    controller = TransportController(player=None, scheduler=None)  # type: ignore[arg-type]
    assert set(controller.on_press) == set(Action)
