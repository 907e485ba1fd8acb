"""Keyboard-emulating foot pedals on Linux: read with evdev, grabbed so no key reaches the editor.

Pedals such as PCsensor/iKKEGOL or an Olympus RS31H in keyboard mode type a key per
pedal. On Linux the device's own input node is opened with python-evdev and grabbed
(EVIOCGRAB): its keys then reach ScribeDesk only, on X11 and Wayland alike, and the
rest of the keyboard is untouched. Which key means which pedal is learned once (press
each pedal) and saved. Elsewhere these pedals are used through global hotkeys.

A "report" from this source is the set of its keys held down, as 2-byte key codes.
"""

from __future__ import annotations

import contextlib
import select
import struct
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import Any

from scribedesk.playback.pedals.layouts import KEYBOARD_PEDALS, Pedal, device_name
from scribedesk.playback.pedals.manager import (
    NEEDS_LEARNING,
    NeedsLearning,
    PedalDevice,
    PedalReader,
    PedalUnavailable,
)

EV_KEY = 0x01


def load_evdev() -> ModuleType:
    """python-evdev, imported lazily (Linux only)."""
    try:
        import evdev
    except ImportError as exc:
        raise PedalUnavailable(f"Keyboard pedals need python-evdev on Linux ({exc}).") from None
    module: ModuleType = evdev
    return module


def keys_report(keys: Iterable[int]) -> bytes:
    """The report for a set of held key codes (sorted, 2 bytes each)."""
    return b"".join(struct.pack(">H", code) for code in sorted(keys))


def report_keys(report: bytes) -> frozenset[int]:
    """Inverse of keys_report."""
    return frozenset(struct.unpack(f">{len(report) // 2}H", report[: len(report) // 2 * 2]))


class _EvdevReader:
    def __init__(self, device: Any) -> None:
        self._device = device
        self._down: set[int] = set()
        self._pending: list[bytes] = []
        device.grab()

    def read(self, timeout_ms: int) -> bytes:
        if not self._pending:
            ready, _, _ = select.select([self._device.fd], [], [], timeout_ms / 1000)
            if ready:
                self._take(self._device.read())
        return self._pending.pop(0) if self._pending else b""

    def _take(self, events: Iterable[Any]) -> None:
        """One report per change of the held keys, in order (a batch may hold several)."""
        for event in events:
            if event.type != EV_KEY or event.value == 2:  # 2 = autorepeat
                continue
            if event.value == 1 and event.code not in self._down:
                self._down.add(event.code)
            elif event.value == 0 and event.code in self._down:
                self._down.discard(event.code)
            else:
                continue
            self._pending.append(keys_report(self._down) or b"\x00\x00")  # all up: key 0

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._device.ungrab()
        with contextlib.suppress(OSError):
            self._device.close()


class KeyboardPedalSource:
    """Keyboard-emulating pedals found by USB id among the input devices."""

    def __init__(
        self,
        evdev: ModuleType,
        key_maps: Mapping[tuple[int, int], Mapping[int, Pedal]] | None = None,
    ) -> None:
        self._evdev = evdev
        self.key_maps: dict[tuple[int, int], dict[int, Pedal]] = {
            k: dict(v) for k, v in (key_maps or {}).items()
        }

    def find(self) -> PedalDevice | None:
        """The first keyboard pedal among /dev/input/event*, or None."""
        for path in self._evdev.list_devices():
            try:
                device = self._evdev.InputDevice(path)
            except OSError:
                continue
            key = (device.info.vendor, device.info.product)
            device.close()
            if key in KEYBOARD_PEDALS or key in self.key_maps:
                return PedalDevice(key[0], key[1], str(path).encode(), device_name(*key))
        return None

    def open(self, device: PedalDevice) -> PedalReader:
        return _EvdevReader(self._evdev.InputDevice(device.path.decode()))

    def decode(self, device: PedalDevice, report: bytes) -> frozenset[Pedal] | NeedsLearning | None:
        mapping = self.key_maps.get((device.vendor_id, device.product_id))
        if not mapping:
            return NEEDS_LEARNING
        keys = report_keys(report) - {0}
        if not keys <= set(mapping):
            return None
        return frozenset(mapping[k] for k in keys)
