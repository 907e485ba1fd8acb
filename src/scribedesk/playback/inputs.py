"""Route pedal and hotkey events to the transport: the user's pedal mapping, connection state.

Pure logic, called on the transport's thread (the GUI thread): the pedal manager and the
hotkey listener hand their events over (in the workstation through Qt signals) and the
router turns them into transport presses and releases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from scribedesk.playback.pedals.layouts import Pedal
from scribedesk.playback.pedals.manager import EventKind, PedalEvent
from scribedesk.playback.player import PlayerError
from scribedesk.playback.transport import Action, TransportController

#: Left rewinds, middle plays while held, right fast-forwards (the convention of
#: Express Scribe, SpeechExec and the Infinity pedals' own documentation).
DEFAULT_PEDALS: dict[Pedal, Action] = {
    Pedal.LEFT: Action.REWIND,
    Pedal.MIDDLE: Action.PLAY_HOLD,
    Pedal.RIGHT: Action.FFWD,
}


def pedal_map_from_dict(data: Mapping[str, str]) -> dict[Pedal, Action]:
    """A saved mapping ({"left": "rewind", ...}); ValueError names a bad entry."""
    mapping: dict[Pedal, Action] = {}
    for pedal, action in data.items():
        try:
            mapping[Pedal(pedal)] = Action(action)
        except ValueError:
            raise ValueError(f"pedal mapping {pedal!r}: {action!r} is not usable") from None
    return mapping


@dataclass
class InputRouter:
    """Feeds the transport; remembers whether a pedal is connected and which one."""

    transport: TransportController
    pedals: dict[Pedal, Action] = field(default_factory=lambda: dict(DEFAULT_PEDALS))
    on_pedal_state: Callable[[str | None], None] = lambda _name: None
    on_needs_learning: Callable[[str], None] = lambda _name: None
    #: The pedals held down now, after every press and release (for the indicator).
    on_pedals_down: Callable[[list[str]], None] = lambda _down: None
    #: Every report while a pedal is being learned (RAW events).
    on_raw: Callable[[PedalEvent], None] = lambda _event: None
    #: A press the player could not follow (no audio loaded yet), in a sentence.
    on_message: Callable[[str], None] = lambda _text: None
    pedal_name: str | None = None
    down: set[Pedal] = field(default_factory=set)

    def pedal(self, event: PedalEvent) -> None:
        """Act on one pedal event."""
        if event.kind is EventKind.CONNECTED and event.device:
            self.pedal_name = event.device.name
            self.on_pedal_state(self.pedal_name)
        elif event.kind is EventKind.DISCONNECTED:
            self.transport.release_all()
            self.pedal_name = None
            self.down.clear()
            self.on_pedal_state(None)
        elif event.kind is EventKind.NEEDS_LEARNING and event.device:
            self.on_needs_learning(event.device.name)
        elif event.kind is EventKind.RAW:
            self.on_raw(event)
        elif event.pedal is not None and event.kind in (EventKind.PRESSED, EventKind.RELEASED):
            if event.kind is EventKind.PRESSED:
                self.down.add(event.pedal)
            else:
                self.down.discard(event.pedal)
            self.on_pedals_down([p.value for p in Pedal if p in self.down])
            action = self.pedals.get(event.pedal)
            if action is None:
                return
            source = f"pedal:{event.pedal.value}"
            if event.kind is EventKind.PRESSED:
                self._act(self.transport.press, action, source)
            else:
                self._act(self.transport.release, action, source)

    def hotkey(self, action: Action, pressed: bool) -> None:
        """Act on a global or in-app hotkey."""
        self._act(self.transport.press if pressed else self.transport.release, action, "hotkey")

    def _act(self, step: Callable[[Action, str], None], action: Action, source: str) -> None:
        try:
            step(action, source)
        except PlayerError as exc:  # no job open: say so, the press changes nothing
            self.on_message(f"{exc} Open a job to play its audio.")
