"""Learn mode: work out an unknown pedal's layout from reports while each pedal is pressed."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from scribedesk.playback.pedals.layouts import Layout, Pedal


class LearnError(ValueError):
    """The recorded reports do not single out one bit per pedal."""


def learn_layout(name: str, idle: bytes, pressed: Mapping[Pedal, bytes]) -> Layout:
    """The layout in which each pedal is the bit that differs from the idle report.

    ``idle`` is a report with no pedal down; ``pressed`` holds one report per pedal,
    taken while only that pedal was down. Raises LearnError with a sentence for the
    user when a pedal changed nothing, or two pedals look the same.
    """
    if not pressed:
        raise LearnError("Press at least one pedal.")
    bits: dict[Pedal, tuple[int, int]] = {}
    for pedal, report in pressed.items():
        if len(report) != len(idle):
            raise LearnError(f"The {pedal.value} pedal sent a report of another length; try again.")
        diff = [(i, a ^ b) for i, (a, b) in enumerate(zip(idle, report, strict=True)) if a != b]
        if not diff:
            raise LearnError(
                f"Nothing changed when the {pedal.value} pedal was pressed; try again."
            )
        index, flipped = diff[0]
        mask = flipped & -flipped  # lowest changed bit
        if report[index] & mask == 0:
            raise LearnError(
                f"The {pedal.value} pedal clears a bit instead of setting one; "
                "this pedal is not supported."
            )
        if (index, mask) in bits.values():
            other = next(p for p, b in bits.items() if b == (index, mask))
            raise LearnError(
                f"The {pedal.value} and {other.value} pedals look the same; try again."
            )
        bits[pedal] = (index, mask)
    return Layout(name, len(idle), bits)


#: The order the learn flow asks for the pedals in.
STEPS: tuple[Pedal | None, ...] = (None, Pedal.LEFT, Pedal.MIDDLE, Pedal.RIGHT)


class LearnSession:
    """The "press each pedal" flow: idle first, then each pedal alone, then a layout.

    Feed it every raw report while learning; ``prompt`` says what to ask for next. A
    report is taken for a step once it repeats (a pedal held steady), so a bounce is not
    mistaken for the pedal. ``skip`` ends early for a two-pedal device.
    """

    def __init__(self, name: str, steps: tuple[Pedal | None, ...] = STEPS) -> None:
        self.name = name
        self._steps = list(steps)
        self._idle: bytes | None = None
        self._pressed: dict[Pedal, bytes] = {}
        self._last: bytes | None = None

    @property
    def step(self) -> Pedal | str | None:
        """The pedal wanted now (None = release all pedals), or "done"."""
        return self._steps[0] if self._steps else "done"

    def prompt(self) -> str:
        """The sentence to show the user."""
        step = self.step
        if step == "done":
            return "All pedals learned."
        if step is None:
            return "Take your foot off all pedals."
        assert isinstance(step, Pedal)
        return f"Press and hold the {step.value} pedal only."

    def feed(self, report: bytes) -> bool:
        """Take one raw report; True when it completed a step."""
        if not self._steps:
            return False
        steady = report == self._last
        self._last = report
        if not steady:
            return False
        step = self._steps[0]
        if step is None:
            self._idle = report
        elif report == self._idle or report in self._pressed.values():
            return False  # still idle, or still the previous pedal
        else:
            assert isinstance(step, Pedal)
            self._pressed[step] = report
        self._steps.pop(0)
        return True

    def pressed(self) -> list[tuple[Pedal, bytes]]:
        """The report taken for each pedal learned so far, in order."""
        return list(self._pressed.items())

    def skip(self) -> None:
        """This device has no more pedals: finish with those learned."""
        self._steps = []

    def layout(self) -> Layout:
        """The learned layout (LearnError if idle or every pedal is missing)."""
        if self._idle is None:
            raise LearnError("Start with no pedal pressed.")
        return learn_layout(self.name, self._idle, self._pressed)


def save_layouts(path: Path, layouts: Mapping[tuple[int, int], Layout]) -> None:
    """Store learned layouts as JSON keyed "vvvv:pppp" (written atomically)."""
    data = {f"{v:04x}:{p:04x}": layout.to_dict() for (v, p), layout in layouts.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def load_layouts(path: Path) -> dict[tuple[int, int], Layout]:
    """Learned layouts from ``path``; a missing file is none, a damaged one a ValueError."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            (int(key[:4], 16), int(key[5:], 16)): Layout.from_dict(value)
            for key, value in data.items()
        }
    except (ValueError, AttributeError, TypeError) as exc:
        raise ValueError(f"{path.name}: the saved pedal layouts are damaged ({exc})") from None
