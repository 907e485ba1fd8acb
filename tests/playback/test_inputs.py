"""Routing pedal and hotkey events to the transport."""

from __future__ import annotations

import pytest

from scribedesk.playback.inputs import InputRouter, pedal_map_from_dict
from scribedesk.playback.pedals.layouts import Pedal
from scribedesk.playback.pedals.manager import EventKind, PedalDevice, PedalEvent
from scribedesk.playback.transport import Action, TransportController
from tests.fakes import FakePlayer, FakeScheduler

VEC = PedalDevice(0x05F3, 0x00FF, b"/dev/hidraw3", "VEC/Infinity IN-USB-1/2")


def make() -> tuple[InputRouter, FakePlayer, list[str | None]]:
    player = FakePlayer(position_ms=10_000)
    states: list[str | None] = []
    router = InputRouter(TransportController(player, FakeScheduler()), on_pedal_state=states.append)
    return router, player, states


def test_middle_pedal_plays_while_held():
    """Default mapping: the middle pedal is hold-to-play."""
    router, player, _ = make()
    router.pedal(PedalEvent(EventKind.PRESSED, VEC, Pedal.MIDDLE))
    assert player.playing
    router.pedal(PedalEvent(EventKind.RELEASED, VEC, Pedal.MIDDLE))
    assert not player.playing


def test_connection_state_is_reported_and_unplug_stops_playback():
    """Connect and disconnect reach the UI; an unplug mid-press stops the audio."""
    router, player, states = make()
    router.pedal(PedalEvent(EventKind.CONNECTED, VEC))
    router.pedal(PedalEvent(EventKind.PRESSED, VEC, Pedal.MIDDLE))
    router.pedal(PedalEvent(EventKind.DISCONNECTED, VEC))
    assert states == ["VEC/Infinity IN-USB-1/2", None]
    assert not player.playing


def test_remapped_pedals_and_hotkeys():
    """A left-handed mapping swaps rewind and fast-forward; hotkeys act like pedals."""
    router, player, _ = make()
    router.pedals = pedal_map_from_dict(
        {"left": "fast_forward", "right": "rewind", "middle": "play_hold"}
    )
    router.pedal(PedalEvent(EventKind.PRESSED, VEC, Pedal.LEFT))
    assert player.position_ms == 12_000
    router.hotkey(Action.JUMP_START, True)
    router.hotkey(Action.JUMP_START, False)
    assert player.position_ms == 0


def test_bad_saved_mapping_is_refused():
    """A damaged mapping in the settings is a clear error."""
    with pytest.raises(ValueError, match="'elbow'"):
        pedal_map_from_dict({"left": "elbow"})
