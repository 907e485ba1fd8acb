"""The pedal manager's thread against a scripted HID bus: presses, unplug, replug, garbage.

This machine has no /dev/uhid, so no virtual USB device can be made; the bus is a fake
with hidapi's interface, fed with report bytes in each device's documented format.
"""

from __future__ import annotations

import queue
import threading
import time

from scribedesk.playback.pedals.layouts import Layout, Pedal
from scribedesk.playback.pedals.manager import EventKind, HidSource, PedalEvent, PedalManager

VEC = {"vendor_id": 0x05F3, "product_id": 0x00FF, "path": b"/dev/hidraw3"}
RS28 = {"vendor_id": 0x07B4, "product_id": 0x0218, "path": b"/dev/hidraw5"}
KEYBOARD = {"vendor_id": 0x046D, "product_id": 0xC31C, "path": b"/dev/hidraw1"}


class FakeBus:
    """Devices that can be plugged in and out, each replaying queued reports."""

    def __init__(self) -> None:
        self.present: list[dict[str, object]] = [KEYBOARD]
        self.reports: queue.Queue[bytes | None] = queue.Queue()
        self.lock = threading.Lock()

    def enumerate(self, vendor_id: int = 0, product_id: int = 0) -> list[dict[str, object]]:
        with self.lock:
            return list(self.present)

    def plug(self, info: dict[str, object]) -> None:
        with self.lock:
            self.present.append(info)

    def unplug(self, info: dict[str, object]) -> None:
        with self.lock:
            self.present.remove(info)
        self.reports.put(None)  # the open handle fails on its next read

    def device(self) -> FakeDevice:
        return FakeDevice(self)


class FakeDevice:
    def __init__(self, bus: FakeBus) -> None:
        self.bus = bus

    def open_path(self, path: bytes) -> None:
        if not any(d["path"] == path for d in self.bus.enumerate()):
            raise OSError("no such device")

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]:
        try:
            report = self.bus.reports.get(timeout=timeout_ms / 1000)
        except queue.Empty:
            return []
        if report is None:
            raise OSError("read error: device disconnected")
        return list(report)

    def close(self) -> None:
        pass


class Recorder:
    def __init__(self) -> None:
        self.events: queue.Queue[PedalEvent] = queue.Queue()

    def __call__(self, event: PedalEvent) -> None:
        self.events.put(event)

    def next(self, timeout: float = 3.0) -> tuple[str, str | None]:
        event = self.events.get(timeout=timeout)
        return event.kind.value, event.pedal.value if event.pedal else None


def started(bus: FakeBus) -> tuple[PedalManager, Recorder]:
    recorder = Recorder()
    manager = PedalManager(HidSource(bus), recorder, scan_interval_s=0.05)  # type: ignore[arg-type]
    manager.start()
    return manager, recorder


def test_presses_and_releases_arrive_in_order():
    """Middle down, right joins, both up: each change once, in order."""
    bus = FakeBus()
    bus.plug(VEC)
    manager, got = started(bus)
    try:
        assert got.next() == ("connected", None)
        for report in (b"\x02\x00", b"\x06\x00", b"\x06\x00", b"\x00\x00"):
            bus.reports.put(report)
        assert [got.next() for _ in range(4)] == [
            ("pressed", "middle"),
            ("pressed", "right"),
            ("released", "middle"),
            ("released", "right"),
        ]
    finally:
        manager.stop()


def test_unplug_releases_held_pedals_and_replug_reconnects():
    """Unplugged with the play pedal down: it is released, then the pedal comes back alone."""
    bus = FakeBus()
    bus.plug(VEC)
    manager, got = started(bus)
    try:
        assert got.next() == ("connected", None)
        bus.reports.put(b"\x02\x00")
        assert got.next() == ("pressed", "middle")
        bus.unplug(VEC)
        assert got.next() == ("released", "middle")
        assert got.next() == ("disconnected", None)
        assert not manager.connected
        time.sleep(0.2)
        bus.plug(VEC)
        assert got.next() == ("connected", None)
        bus.reports.put(b"\x01\x00")
        assert got.next() == ("pressed", "left")
    finally:
        manager.stop()


def test_garbage_reports_are_ignored_and_the_pedal_keeps_working():
    """Short and odd reports change nothing; the next good report still counts."""
    bus = FakeBus()
    bus.plug(VEC)
    manager, got = started(bus)
    try:
        got.next()
        for report in (b"\x01", b"", b"\xff"):
            bus.reports.put(report)
        bus.reports.put(b"\x04\x00")
        assert got.next() == ("pressed", "right")
    finally:
        manager.stop()


def test_unknown_layout_asks_for_learning_then_uses_the_learned_one():
    """An Olympus RS-28 asks to be learned; after learning its presses come through."""
    bus = FakeBus()
    bus.plug(RS28)
    manager, got = started(bus)
    try:
        assert got.next() == ("connected", None)
        bus.reports.put(b"\x00\x01\x00\x00")
        assert got.next() == ("needs_learning", None)
        manager.set_learning(True)
        bus.reports.put(b"\x00\x00\x01\x00")
        event = got.events.get(timeout=3)
        assert event.kind is EventKind.RAW and event.report == b"\x00\x00\x01\x00"
        manager.set_learning(False)
        source = manager.source
        assert isinstance(source, HidSource)
        bits = {Pedal.LEFT: (1, 1), Pedal.MIDDLE: (2, 1), Pedal.RIGHT: (3, 1)}
        source.learned[(0x07B4, 0x0218)] = Layout("RS-28", 4, bits)
        manager.learned(0x07B4, 0x0218)
        bus.reports.put(b"\x00\x00\x01\x00")
        assert got.next() == ("pressed", "middle")
    finally:
        manager.stop()


def test_only_pedals_are_opened():
    """A keyboard on the bus is never opened; with no pedal nothing connects."""
    bus = FakeBus()
    manager, got = started(bus)
    try:
        time.sleep(0.3)
        assert got.events.empty() and not manager.connected
    finally:
        manager.stop()


class FakeInputDevice:
    """An evdev InputDevice stand-in: a USB id and a queue of key events."""

    class Info:
        def __init__(self, vendor: int, product: int) -> None:
            self.vendor, self.product = vendor, product

    def __init__(self, vendor: int, product: int, events: list[tuple[int, int]]) -> None:
        import os

        self.info = self.Info(vendor, product)
        self.events = events
        self.grabbed = False
        self._r, self._w = os.pipe()
        self.fd = self._r
        if events:
            os.write(self._w, b"x")

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def read(self):  # type: ignore[no-untyped-def]
        import os
        from types import SimpleNamespace

        os.read(self._r, 1)
        out = [SimpleNamespace(type=1, code=c, value=v) for c, v in self.events]
        self.events = []
        return out

    def close(self) -> None:
        pass


def test_keyboard_pedal_is_grabbed_and_mapped_with_autorepeat_ignored():
    """A PCsensor pedal's keys become pedals; repeats (value 2) and the grab keep text clean."""
    from types import SimpleNamespace

    from scribedesk.playback.pedals.keyboard import KeyboardPedalSource

    device = FakeInputDevice(0x0C45, 0x7403, [(30, 1), (30, 2), (30, 2), (48, 1), (30, 0), (48, 0)])
    fake_evdev = SimpleNamespace(
        list_devices=lambda: ["/dev/input/event7"], InputDevice=lambda path: device
    )
    source = KeyboardPedalSource(fake_evdev, {(0x0C45, 0x7403): {30: Pedal.LEFT, 48: Pedal.RIGHT}})
    recorder = Recorder()
    manager = PedalManager(source, recorder, scan_interval_s=0.05)
    manager.start()
    try:
        assert recorder.next() == ("connected", None)
        assert device.grabbed
        assert [recorder.next() for _ in range(4)] == [
            ("pressed", "left"),
            ("pressed", "right"),
            ("released", "left"),
            ("released", "right"),
        ]
    finally:
        manager.stop()
