"""Qt glue for the playback layer: timers for the transport, and signals across threads.

The pedal manager, the hotkey listener and libvlc call their listeners on threads of
their own. ``ThreadBridge``'s methods may be called from any thread: each emits a
signal, which Qt delivers (queued) on the thread the bridge lives on, the GUI thread.
Nothing else crosses threads.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from scribedesk.playback.pedals.manager import PedalEvent
from scribedesk.playback.transport import Action


class _Timer:
    def __init__(self, timer: QTimer, owner: set[QTimer]) -> None:
        self._timer = timer
        self._owner = owner

    def cancel(self) -> None:
        self._timer.stop()
        self._owner.discard(self._timer)


class QtScheduler:
    """The transport's Scheduler on Qt timers (callbacks on the GUI thread).

    Timers are kept alive here until they fire (single shot) or are cancelled, so a
    caller may drop the handle.
    """

    def __init__(self) -> None:
        self._live: set[QTimer] = set()

    def call_later(self, delay_ms: int, callback: Callable[[], None]) -> _Timer:
        timer = QTimer()
        timer.setSingleShot(True)

        def fire() -> None:
            self._live.discard(timer)
            callback()

        timer.timeout.connect(fire)
        self._live.add(timer)
        timer.start(delay_ms)
        return _Timer(timer, self._live)

    def call_every(self, interval_ms: int, callback: Callable[[], None]) -> _Timer:
        timer = QTimer()
        timer.timeout.connect(callback)
        self._live.add(timer)
        timer.start(interval_ms)
        return _Timer(timer, self._live)

    def now(self) -> float:
        return time.monotonic()


class ThreadBridge(QObject):
    """Signals that carry events from worker threads to the GUI thread."""

    pedal_event = Signal(object)
    hotkey = Signal(str, bool)
    player_ended = Signal()
    player_error = Signal(str)
    download = Signal(int, int, int)  # job id, bytes done, bytes total
    outbox_outcome = Signal(object)
    message = Signal(str)

    def on_pedal(self, event: PedalEvent) -> None:
        """Listener for PedalManager (any thread)."""
        self.pedal_event.emit(event)

    def on_hotkey_press(self, action: Action) -> None:
        """Listener for GlobalHotkeys presses (any thread)."""
        self.hotkey.emit(action.value, True)

    def on_hotkey_release(self, action: Action) -> None:
        """Listener for GlobalHotkeys releases (any thread)."""
        self.hotkey.emit(action.value, False)

    def on_player_ended(self) -> None:
        """Listener for VlcPlayer.on_ended (a libvlc thread)."""
        self.player_ended.emit()

    def on_message(self, text: str) -> None:
        """A sentence for the status bar, from any thread (e.g. the draft writer's errors)."""
        self.message.emit(text)

    def on_outbox_outcome(self, outcome: object) -> None:
        """Listener for Outbox outcomes (its background thread)."""
        self.outbox_outcome.emit(outcome)

    def on_player_error(self, message: str) -> None:
        """Listener for VlcPlayer.on_error (a libvlc thread)."""
        self.player_error.emit(message)
