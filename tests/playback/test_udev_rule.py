"""The shipped udev rule covers every pedal the code knows, in the right subsystem."""

from __future__ import annotations

import re
from pathlib import Path

from scribedesk.playback.pedals.layouts import KEYBOARD_PEDALS, KNOWN

RULE = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "70-scribedesk-pedals.rules"
LINE = re.compile(
    r'SUBSYSTEM=="(\w+)", ATTRS\{idVendor\}=="([0-9a-f]{4})", '
    r'ATTRS\{idProduct\}=="([0-9a-f]{4})", TAG\+="uaccess"'
)


def test_every_known_pedal_has_a_uaccess_rule():
    """HID pedals get hidraw access, keyboard pedals input access, nothing else is listed."""
    rules = {(m[1], int(m[2], 16), int(m[3], 16)) for m in LINE.finditer(RULE.read_text())}
    expected = {("hidraw", v, p) for v, p in KNOWN} | {("input", v, p) for v, p in KEYBOARD_PEDALS}
    assert rules == expected
