"""Learning a pedal through the window's own wiring: an RS-28 (a model whose layout is
not built in) plugged in is offered for learning, each pedal is pressed once, the layout
is saved beside the settings and works at once; the next start loads it. The pedal bus is
a fake hidapi (no hardware in CI); everything above it is the shipped code."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from scribedesk.app import pedal_managers
from scribedesk.playback.pedals.layouts import Pedal
from scribedesk.playback.pedals.manager import HidSource, PedalDevice, PedalManager
from tests.playback.test_pedal_manager import RS28, FakeBus
from tests.ui.conftest import open_window

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

IDLE, LEFT, MIDDLE, RIGHT = b"\x00\x00", b"\x01\x00", b"\x02\x00", b"\x04\x00"


def test_an_unknown_pedal_is_learned_saved_and_works(
    live, demo_users, qtbot, activate, tmp_path, monkeypatch
):
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    window = open_window(live.url, tmp_path)
    activate(window)
    bus = FakeBus()
    manager = PedalManager(HidSource(bus), window.bridge.on_pedal, scan_interval_s=0.05)
    window.learning.managers = [manager]
    manager.start()
    try:
        bus.plug(RS28)
        bus.reports.put(IDLE)  # its first report: the layout is unknown, learning is offered
        qtbot.waitUntil(lambda: window.learning.dialog is not None, timeout=10_000)
        dialog = window.learning.dialog
        assert "Take your foot off" in dialog.prompt.text()
        for report in (IDLE, IDLE, LEFT, LEFT, MIDDLE, MIDDLE, RIGHT, RIGHT):
            bus.reports.put(report)
        qtbot.waitUntil(lambda: window.learning.dialog is None, timeout=10_000)
        saved = tmp_path / "pedal_layouts.json"
        assert saved.exists() and "07b4:0218" in saved.read_text()
        assert "is learned" in window.statusBar().currentMessage()
        # It works at once: the middle pedal plays while held.
        pressed: list[str] = []
        window.router.on_pedals_down = lambda down: pressed.append(",".join(down))
        bus.reports.put(MIDDLE)
        bus.reports.put(IDLE)
        qtbot.waitUntil(lambda: "" in pressed and "middle" in pressed, timeout=10_000)
    finally:
        manager.stop()
    # The next start loads the layout: the same model decodes without learning.
    reloaded = [
        m
        for m in pedal_managers(window.station.settings, window.bridge)
        if isinstance(m.source, HidSource)
    ]
    source = reloaded[0].source
    assert (0x07B4, 0x0218) in source.learned
    device = bus.present[-1]
    decoded = source.decode(
        PedalDevice(int(device["vendor_id"]), int(device["product_id"]), b"", "RS-28"), RIGHT
    )
    assert decoded == frozenset({Pedal.RIGHT})
    window.close()
    window.station.writer.close()
