"""Pedal report decoding for every known device, combinations, garbage and learn mode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scribedesk.playback.pedals.layouts import KNOWN, Layout, Pedal, PedalChange, decode_stream
from scribedesk.playback.pedals.learn import LearnError, learn_layout

L, M, R, T = Pedal.LEFT, Pedal.MIDDLE, Pedal.RIGHT, Pedal.TOP


def layout(vid: int, pid: int) -> Layout:
    found = KNOWN[(vid, pid)]
    assert found is not None
    return found


# (device, report, pedals held) recorded per the devices' documented report formats
CASES = [
    ((0x05F3, 0x00FF), b"\x00\x00", set()),
    ((0x05F3, 0x00FF), b"\x01\x00", {L}),
    ((0x05F3, 0x00FF), b"\x02\x00", {M}),
    ((0x05F3, 0x00FF), b"\x04\x00", {R}),
    ((0x05F3, 0x00FF), b"\x05\x00", {L, R}),
    ((0x05F3, 0x00FF), b"\x07\x00", {L, M, R}),
    ((0x05F3, 0x00FF), b"\x00\x06\x00", {M, R}),  # Windows: report-id byte first
    ((0x05F3, 0x0268), b"\x00\x02" + bytes(17), {L}),
    ((0x05F3, 0x0268), b"\x00\x04" + bytes(17), {M}),
    ((0x05F3, 0x0268), b"\x00\x08" + bytes(17), {R}),
    ((0x05F3, 0x0268), b"\x00\x0e" + bytes(17), {L, M, R}),
    ((0x0911, 0x1844), b"\x01\x00\x00", {L}),
    ((0x0911, 0x1844), b"\x02\x00\x00", {M}),
    ((0x0911, 0x1844), b"\x04\x00\x00", {R}),
    ((0x0911, 0x1844), b"\x03\x00\x00", {L, M}),
    ((0x0911, 0x091A), b"\x08\x00\x00", {T}),
    ((0x0911, 0x091A), b"\x0c\x00\x00", {R, T}),
]


@pytest.mark.parametrize(("device", "report", "held"), CASES)
def test_known_devices_decode(device, report, held):
    """Each documented report decodes to the pedals that are down."""
    assert layout(*device).decode(report) == held


@pytest.mark.parametrize("report", [b"", b"\x01", b"\x00"])
def test_short_reports_are_ignored(report):
    """A report too short for the layout decodes to None (ignored, not a crash)."""
    assert layout(0x0911, 0x1844).decode(report) is None


def test_stream_gives_presses_and_releases_without_duplicates():
    """Middle down, right joins, same report again, all up: four changes, no duplicate."""
    vec = layout(0x05F3, 0x00FF)
    got = decode_stream(vec, [b"\x02\x00", b"\x06\x00", b"\x06\x00", b"\x00\x00"])
    assert got == [
        PedalChange(M, True),
        PedalChange(R, True),
        PedalChange(M, False),
        PedalChange(R, False),
    ]


@given(st.binary(max_size=70))
def test_garbage_never_crashes(report):
    """Any bytes at all decode to a set of pedals or None."""
    for found in KNOWN.values():
        if found is not None:
            assert found.decode(report) is None or found.decode(report) <= set(Pedal)


def test_olympus_layouts_must_be_learned():
    """RS-26 and RS-28 have no published layout: the table asks for learn mode."""
    assert KNOWN[(0x07B4, 0x0218)] is None and KNOWN[(0x07B4, 0x0202)] is None


def test_learn_mode_finds_each_pedal_bit():
    """Byte-per-pedal reports (as some Olympus pedals send) are learned and then decode."""
    idle = b"\x00\x00\x00\x00"
    learned = learn_layout(
        "Olympus RS-28",
        idle,
        {L: b"\x00\x01\x00\x00", M: b"\x00\x00\x01\x00", R: b"\x00\x00\x00\x01"},
    )
    assert learned.decode(b"\x00\x01\x00\x01") == {L, R}
    assert Layout.from_dict(learned.to_dict()) == learned


def test_learn_mode_explains_a_bad_recording():
    """A pedal that changed nothing, or two that look alike, get a sentence to act on."""
    idle = b"\x00\x00"
    with pytest.raises(LearnError, match="Nothing changed when the left pedal"):
        learn_layout("x", idle, {L: b"\x00\x00"})
    with pytest.raises(LearnError, match="look the same"):
        learn_layout("x", idle, {L: b"\x01\x00", R: b"\x01\x00"})


def test_saved_layout_that_is_corrupt_is_refused():
    """A damaged saved mapping is a ValueError, not a crash at start-up."""
    with pytest.raises(ValueError, match="not a pedal layout"):
        Layout.from_dict({"name": "x", "bits": {"elbow": [0, 1]}})


def test_learn_session_walks_the_user_through_each_pedal(tmp_path):
    """Idle, then left, middle, right held steady: a layout that decodes, saved and reloaded."""
    from scribedesk.playback.pedals.learn import LearnSession, load_layouts, save_layouts

    session = LearnSession("Olympus RS-28")
    assert session.prompt() == "Take your foot off all pedals."
    script = (
        [b"\x00\x00\x00"] * 2
        + [b"\x00\x01\x00"]
        + [b"\x00\x02\x00"] * 2
        + [b"\x00\x00\x00"] * 2
        + [b"\x00\x04\x00"] * 2
        + [b"\x00\x00\x00"]
        + [b"\x00\x08\x00"] * 2
    )
    prompts = []
    for report in script:
        if session.feed(report):
            prompts.append(session.prompt())
    assert prompts == [
        "Press and hold the left pedal only.",
        "Press and hold the middle pedal only.",
        "Press and hold the right pedal only.",
        "All pedals learned.",
    ]
    layout = session.layout()
    assert layout.decode(b"\x00\x06\x00") == {L, M}
    assert layout.decode(b"\x00\x01\x00") == set()  # the one-report bounce was not taken
    save_layouts(tmp_path / "pedals.json", {(0x07B4, 0x0218): layout})
    assert load_layouts(tmp_path / "pedals.json") == {(0x07B4, 0x0218): layout}
    (tmp_path / "pedals.json").write_text("{broken")
    with pytest.raises(ValueError, match="damaged"):
        load_layouts(tmp_path / "pedals.json")
    assert load_layouts(tmp_path / "absent.json") == {}
