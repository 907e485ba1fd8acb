"""Find, open and read USB HID foot pedals with hidapi; survive unplugging and come back by itself.

One thread per manager: while no pedal is open it enumerates HID devices about once a
second; once one is open it reads reports (100 ms timeout) and turns them into
presses and releases. Unplugging (an OSError from read) closes the device, releases
every pedal that was down and goes back to scanning. Reports that do not fit the
layout are ignored and logged once per kind, never a crash.

On Linux the ``hidraw`` module of the hidapi wheel is used: it reads /dev/hidraw* and
leaves the kernel's input device alone; elsewhere ``hid``. A pedal is a raw HID device,
not a keyboard, so nothing it sends reaches the text editor.

Listeners run on the manager's thread: they must only hand events over (the workstation
emits a Qt signal, delivered on the GUI thread).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from scribedesk.playback.pedals.layouts import KNOWN, Layout, Pedal, changes, device_name

log = logging.getLogger(__name__)


class HidDevice(Protocol):
    """The part of hidapi's ``device`` object the manager uses."""

    def open_path(self, path: bytes) -> None: ...
    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]: ...
    def close(self) -> None: ...


class HidApi(Protocol):
    """The part of hidapi's module (``hidraw`` or ``hid``) the manager uses."""

    def enumerate(self, vendor_id: int = 0, product_id: int = 0) -> list[dict[str, Any]]: ...
    def device(self) -> HidDevice: ...


class PedalUnavailable(RuntimeError):
    """hidapi cannot be loaded; the message says what to install."""


def load_hidapi() -> HidApi:
    """hidapi's hidraw backend on Linux, its default backend elsewhere (lazy import)."""
    try:
        if sys.platform.startswith("linux"):
            import hidraw as module
        else:
            import hid as module
    except (ImportError, OSError) as exc:
        raise PedalUnavailable(
            f"USB pedal support needs hidapi ({exc}); install it with 'pip install hidapi'."
        ) from None
    api: HidApi = module
    return api


class EventKind(StrEnum):
    """What happened to a pedal."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    PRESSED = "pressed"
    RELEASED = "released"
    NEEDS_LEARNING = "needs_learning"  # a known pedal whose layout must be learned
    RAW = "raw"  # every report, while learning


@dataclass(frozen=True)
class PedalDevice:
    """A pedal found on the bus."""

    vendor_id: int
    product_id: int
    path: bytes
    name: str


@dataclass(frozen=True)
class PedalEvent:
    """One thing the UI and the transport should know about."""

    kind: EventKind
    device: PedalDevice | None = None
    pedal: Pedal | None = None
    report: bytes = b""


class PedalReader(Protocol):
    """An open pedal."""

    def read(self, timeout_ms: int) -> bytes:
        """The next report (b"" after ``timeout_ms`` without one); OSError once unplugged."""
        ...

    def close(self) -> None: ...


class NeedsLearning:
    """decode()'s answer for a pedal whose layout is not known yet."""


NEEDS_LEARNING = NeedsLearning()


class PedalSource(Protocol):
    """A kind of pedal: how to find it, open it and decode what it sends."""

    def find(self) -> PedalDevice | None: ...
    def open(self, device: PedalDevice) -> PedalReader: ...
    def decode(self, device: PedalDevice, report: bytes) -> frozenset[Pedal] | NeedsLearning | None:
        """Pedals down, None for a report that fits nothing, or NEEDS_LEARNING."""
        ...


class _HidReader:
    def __init__(self, handle: HidDevice) -> None:
        self._handle = handle

    def read(self, timeout_ms: int) -> bytes:
        return bytes(self._handle.read(64, timeout_ms))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._handle.close()


class HidSource:
    """Raw HID pedals (VEC, X-keys, Philips, Olympus) through hidapi."""

    def __init__(
        self, hid: HidApi, learned: Mapping[tuple[int, int], Layout] | None = None
    ) -> None:
        self._hid = hid
        self.learned: dict[tuple[int, int], Layout] = dict(learned or {})

    def find(self) -> PedalDevice | None:
        """The first supported pedal on the bus (known or learned), or None."""
        try:
            found = self._hid.enumerate()
        except OSError as exc:
            log.warning("cannot list HID devices: %s", exc)
            return None
        for info in found:
            key = (int(info.get("vendor_id", 0)), int(info.get("product_id", 0)))
            if key in KNOWN or key in self.learned:
                return PedalDevice(key[0], key[1], bytes(info.get("path", b"")), device_name(*key))
        return None

    def open(self, device: PedalDevice) -> PedalReader:
        handle = self._hid.device()
        handle.open_path(device.path)
        return _HidReader(handle)

    def decode(self, device: PedalDevice, report: bytes) -> frozenset[Pedal] | NeedsLearning | None:
        key = (device.vendor_id, device.product_id)
        layout = self.learned.get(key) or KNOWN.get(key)
        if layout is None:
            return NEEDS_LEARNING
        return layout.decode(report)


class PedalManager:
    """Keeps the first pedal of its source open and reports its presses (one thread)."""

    def __init__(
        self,
        source: PedalSource,
        listener: Callable[[PedalEvent], None],
        scan_interval_s: float = 1.0,
    ) -> None:
        self.source = source
        self._listener = listener
        self._scan_interval = scan_interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._learning = False
        self._warned: set[tuple[int, int, int]] = set()
        self._announced_unknown: set[tuple[int, int]] = set()
        self.device: PedalDevice | None = None

    def start(self) -> None:
        """Begin scanning and reading in the background."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="pedals", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the thread and close the device."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def learned(self, vendor_id: int, product_id: int) -> None:
        """A layout for this model was just learned: stop asking for it."""
        self._announced_unknown.discard((vendor_id, product_id))

    def set_learning(self, on: bool) -> None:
        """While learning, every report is passed on raw (RAW events) for the learn flow."""
        self._learning = on

    @property
    def connected(self) -> bool:
        """True while a pedal is open."""
        return self.device is not None

    def _run(self) -> None:
        while not self._stop.is_set():
            device = self.source.find()
            if device is None:
                self._stop.wait(self._scan_interval)
                continue
            try:
                reader = self.source.open(device)
            except OSError as exc:
                log.warning("cannot open %s: %s (check the udev rule)", device.name, exc)
                self._stop.wait(self._scan_interval)
                continue
            self.device = device
            self._listener(PedalEvent(EventKind.CONNECTED, device))
            try:
                self._read(reader, device)
            finally:
                self.device = None
                reader.close()
                self._listener(PedalEvent(EventKind.DISCONNECTED, device))

    def _read(self, reader: PedalReader, device: PedalDevice) -> None:
        held: frozenset[Pedal] = frozenset()
        try:
            while not self._stop.is_set():
                report = reader.read(100)
                if not report:
                    continue
                if self._learning:
                    self._listener(PedalEvent(EventKind.RAW, device, report=report))
                    continue
                now = self.source.decode(device, report)
                if isinstance(now, NeedsLearning):
                    key = (device.vendor_id, device.product_id)
                    if key not in self._announced_unknown:
                        self._announced_unknown.add(key)
                        self._listener(PedalEvent(EventKind.NEEDS_LEARNING, device, report=report))
                    continue
                if now is None:
                    self._warn_once(device, report)
                    continue
                for change in changes(held, now):
                    kind = EventKind.PRESSED if change.pressed else EventKind.RELEASED
                    self._listener(PedalEvent(kind, device, change.pedal))
                held = now
        except (OSError, ValueError) as exc:
            log.info("%s went away: %s", device.name, exc)
        finally:
            for pedal in sorted(held):
                self._listener(PedalEvent(EventKind.RELEASED, device, pedal))

    def _warn_once(self, device: PedalDevice, report: bytes) -> None:
        key = (device.vendor_id, device.product_id, len(report))
        if key not in self._warned:
            self._warned.add(key)
            log.warning(
                "%s sent a report that does not fit its layout (ignored): %s",
                device.name,
                report.hex(" "),
            )
