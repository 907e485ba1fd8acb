"""Learn mode: work out an unknown pedal's layout from reports while each pedal is pressed."""

from __future__ import annotations

from collections.abc import Mapping

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
