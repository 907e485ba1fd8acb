"""Known pedal report layouts and decoding a raw HID report into pressed pedals.

Sources for the table: the VEC/Infinity bitmask (Linux hid-quirks, scribouillage
driver), the P.I. Engineering X-keys foot pedal data report, Google Chrome Labs'
dictation_support for Philips ACC23x0. Olympus RS-26/RS-28 layouts are not public:
they are learned (see learn.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Pedal(StrEnum):
    """A physical pedal position."""

    LEFT = "left"
    MIDDLE = "middle"
    RIGHT = "right"
    TOP = "top"


@dataclass(frozen=True)
class Layout:
    """Where each pedal's bit sits in an input report.

    ``bits`` maps each pedal to (byte index, bit mask). ``report_len`` is the length
    without a report-id byte, or None when any length is accepted.
    """

    name: str
    report_len: int | None
    bits: Mapping[Pedal, tuple[int, int]] = field(default_factory=dict)

    def decode(self, report: bytes) -> frozenset[Pedal] | None:
        """The pedals held down in ``report``, or None if the report does not fit the layout.

        A leading zero report-id byte (Windows hidapi prepends one) is stripped.
        """
        data = bytes(report)
        if self.report_len is not None:
            if len(data) == self.report_len + 1 and data[0] == 0:
                data = data[1:]
            if len(data) < self.report_len:
                return None
        needed = max((index for index, _ in self.bits.values()), default=-1)
        if len(data) <= needed:
            return None
        return frozenset(p for p, (index, mask) in self.bits.items() if data[index] & mask)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (for learned layouts saved in settings)."""
        return {
            "name": self.name,
            "report_len": self.report_len,
            "bits": {p.value: [i, m] for p, (i, m) in self.bits.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Layout:
        """Inverse of to_dict; ValueError on anything malformed."""
        try:
            raw_bits = data["bits"]
            assert isinstance(raw_bits, dict)
            bits = {Pedal(k): (int(v[0]), int(v[1])) for k, v in raw_bits.items()}
            report_len = data.get("report_len")
            return cls(
                str(data["name"]), None if report_len is None else int(str(report_len)), bits
            )
        except (KeyError, TypeError, ValueError, AssertionError, IndexError) as exc:
            raise ValueError(f"not a pedal layout: {exc}") from None


_THREE = {Pedal.LEFT: 0x01, Pedal.MIDDLE: 0x02, Pedal.RIGHT: 0x04}

#: (vendor id, product id) -> layout; None means "unknown layout: learn it".
KNOWN: dict[tuple[int, int], Layout | None] = {
    (0x05F3, 0x00FF): Layout("VEC/Infinity IN-USB-1/2", 2, {p: (0, m) for p, m in _THREE.items()}),
    (0x05F3, 0x0268): Layout(
        "X-keys foot pedal",
        None,
        {Pedal.LEFT: (1, 0x02), Pedal.MIDDLE: (1, 0x04), Pedal.RIGHT: (1, 0x08)},
    ),
    (0x0911, 0x1844): Layout("Philips ACC2310/ACC2320", 3, {p: (0, m) for p, m in _THREE.items()}),
    (0x0911, 0x091A): Layout(
        "Philips ACC2330", 3, {**{p: (0, m) for p, m in _THREE.items()}, Pedal.TOP: (0, 0x08)}
    ),
    (0x07B4, 0x0218): None,  # Olympus RS-28
    (0x07B4, 0x0202): None,  # Olympus RS-26
}

#: Pedals that type keys instead of sending HID reports (read through evdev or hotkeys).
KEYBOARD_PEDALS: dict[tuple[int, int], str] = {
    (0x0C45, 0x7403): "PCsensor FootSwitch",
    (0x0C45, 0x7404): "PCsensor FootSwitch",
    (0x413D, 0x2107): "iKKEGOL foot switch",
    (0x1A86, 0xE026): "iKKEGOL foot switch",
    (0x3553, 0xB001): "PCsensor FootSwitch",
    (0x0426, 0x3011): "Scythe USB foot switch",
    (0x055A, 0x0998): "Scythe USB foot switch II",
    (0x5131, 0x2019): "Generic USB foot switch",
    (0x07B4, 0x025F): "Olympus RS31H (keyboard mode)",
}

DEVICE_NAMES: dict[tuple[int, int], str] = {
    (0x07B4, 0x0218): "Olympus RS-28",
    (0x07B4, 0x0202): "Olympus RS-26",
}


def device_name(vid: int, pid: int) -> str:
    """A person-readable name for a pedal model."""
    layout = KNOWN.get((vid, pid))
    if layout is not None:
        return layout.name
    return (
        DEVICE_NAMES.get((vid, pid))
        or KEYBOARD_PEDALS.get((vid, pid))
        or (f"USB device {vid:04x}:{pid:04x}")
    )


@dataclass(frozen=True)
class PedalChange:
    """One pedal going down or coming up."""

    pedal: Pedal
    pressed: bool


def changes(before: frozenset[Pedal], after: frozenset[Pedal]) -> list[PedalChange]:
    """Releases first, then presses, each in pedal order; an identical report gives none."""
    order = list(Pedal)
    released = [PedalChange(p, False) for p in order if p in before - after]
    pressed = [PedalChange(p, True) for p in order if p in after - before]
    return released + pressed


def decode_stream(layout: Layout, reports: Iterable[bytes]) -> list[PedalChange]:
    """Every change a sequence of reports causes (unfit reports are skipped)."""
    held: frozenset[Pedal] = frozenset()
    out: list[PedalChange] = []
    for report in reports:
        now = layout.decode(report)
        if now is None:
            continue
        out.extend(changes(held, now))
        held = now
    return out
