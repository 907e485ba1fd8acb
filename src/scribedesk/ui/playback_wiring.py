"""The window's playback inputs: the transport over the player, the input router for the
pedals and the hotkeys (with the user's pedal mapping), pedal learning, and the player's
end and error reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scribedesk.playback.inputs import InputRouter
from scribedesk.playback.transport import Action, TransportController
from scribedesk.ui.bridge import QtScheduler
from scribedesk.ui.pedal_learning import PedalLearning


def wire_playback(window: Any) -> None:
    """Set ``window.transport``, ``window.router`` and ``window.learning`` (none of them
    when the workstation has no player)."""
    station, bridge = window.station, window.bridge
    if station.player is None:
        return
    window.transport = TransportController(
        station.player, QtScheduler(), station.transport_settings
    )
    folder = station.settings.folder if station.settings is not None else Path.home()
    window.learning = PedalLearning(folder, lambda *a: window.say(*a))
    window.router = router = InputRouter(
        window.transport,
        on_pedal_state=window._pedal_state,
        on_pedals_down=lambda down: window.job_page.pedals_down(down),
        on_needs_learning=lambda name: window.learning.offer(window, name),
        on_raw=window.learning.raw,
        on_message=lambda text: window.say(text, 6000),
    )
    if station.settings is not None:  # the pedals as the user mapped them
        from scribedesk.ui.dialogs.settings import saved_pedals

        router.pedals = saved_pedals(station.settings)
    bridge.pedal_event.connect(router.pedal)
    bridge.hotkey.connect(lambda name, down: router.hotkey(Action(name), down))
    station.player.on_ended(bridge.on_player_ended)
    station.player.on_error(bridge.on_player_error)
    bridge.player_error.connect(lambda m: window.say(m, 10_000))
