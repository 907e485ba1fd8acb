"""Events from worker threads arrive on the GUI thread; transport timers run on Qt."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from scribedesk.playback.pedals.layouts import Pedal
from scribedesk.playback.pedals.manager import EventKind, PedalDevice, PedalEvent
from scribedesk.playback.transport import Action
from scribedesk.ui.bridge import QtScheduler, ThreadBridge


def test_pedal_event_from_a_thread_is_delivered_on_the_gui_thread(qtbot):
    """A pedal thread's event reaches the slot on the GUI thread, not on the pedal thread."""
    bridge = ThreadBridge()
    seen: list[tuple[PedalEvent, bool]] = []
    gui = QThread.currentThread()
    bridge.pedal_event.connect(lambda e: seen.append((e, QThread.currentThread() is gui)))
    event = PedalEvent(EventKind.PRESSED, PedalDevice(1, 2, b"p", "pedal"), Pedal.MIDDLE)
    worker = threading.Thread(target=bridge.on_pedal, args=(event,))
    with qtbot.waitSignal(bridge.pedal_event, timeout=2000):
        worker.start()
    worker.join()
    assert seen == [(event, True)]


def test_hotkeys_and_player_news_cross_threads(qtbot):
    """Hotkey presses, the end of the audio and errors all arrive as signals."""
    bridge = ThreadBridge()
    with qtbot.waitSignal(bridge.hotkey, timeout=2000) as got:
        threading.Thread(target=bridge.on_hotkey_press, args=(Action.REWIND,)).start()
    assert got.args == ["rewind", True]
    with qtbot.waitSignal(bridge.player_error, timeout=2000) as got:
        threading.Thread(target=bridge.on_player_error, args=("damaged",)).start()
    assert got.args == ["damaged"]


def test_qt_scheduler_fires_once_and_repeatedly_until_cancelled(qtbot):
    """call_later fires once; call_every keeps firing until cancelled."""
    scheduler = QtScheduler()
    once: list[int] = []
    many: list[int] = []
    scheduler.call_later(20, lambda: once.append(1))
    repeating = scheduler.call_every(10, lambda: many.append(1))
    qtbot.waitUntil(lambda: len(many) >= 3 and bool(once), timeout=2000)
    repeating.cancel()
    count = len(many)
    qtbot.wait(60)
    assert once == [1] and len(many) == count
