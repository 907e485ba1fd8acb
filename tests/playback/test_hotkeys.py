"""Global hotkeys: parsing and conflicts (pure), and real pynput under Xvfb driven by xdotool."""

from __future__ import annotations

import os
import queue
import subprocess
import time
import uuid

import pytest

from scribedesk.playback.hotkeys import (
    PRESETS,
    Chord,
    GlobalHotkeys,
    HotkeyError,
    HotkeysUnavailable,
    check_mapping,
    unavailable_reason,
)
from scribedesk.playback.transport import Action


def test_chords_parse_in_any_spelling():
    """'Ctrl + Alt + P', 'ctrl+alt+p' and 'alt+ctrl+p' are the same chord."""
    assert Chord.parse("Ctrl + Alt + P") == Chord.parse("alt+ctrl+p")
    assert str(Chord.parse("shift+ctrl+F9")) == "ctrl+shift+f9"
    assert Chord.parse("ctrl+-") == Chord.parse("ctrl+minus")


@pytest.mark.parametrize("text", ["", "hyper+p", "ctrl+banana", "ctrl+"])
def test_bad_chords_say_what_is_wrong(text):
    """Unknown modifiers and keys are refused with a sentence."""
    with pytest.raises(HotkeyError):
        Chord.parse(text)


def test_presets_have_no_conflicts_and_express_scribe_keys():
    """Every preset is usable as shipped; Express Scribe's F4/F7/F8/F9 are where users expect."""
    for name, mapping in PRESETS.items():
        chords, problems = check_mapping(mapping)
        assert problems == [], name
        assert len(chords) == len(mapping)
    express = {str(c): a for c, a in check_mapping(PRESETS["express_scribe"])[0].items()}
    assert express["f4"] is Action.STOP and express["f7"] is Action.REWIND
    assert express["f8"] is Action.FFWD and express["f9"] is Action.PLAY_TOGGLE


def test_conflicts_are_reported():
    """A key used twice, an editor key and a typo each get a sentence."""
    mapping = {
        Action.PLAY_TOGGLE: "f9",
        Action.STOP: "F9",
        Action.REWIND: "ctrl+c",
        Action.FFWD: "ctrl+nope",
    }
    chords, problems = check_mapping(mapping)
    assert chords[Chord.parse("f9")] is Action.PLAY_TOGGLE
    assert any("both play_toggle and stop" in p for p in problems)
    assert any("editor's copy" in p for p in problems)
    assert any("'nope' is not a key" in p for p in problems)


def test_wayland_is_explained():
    """Under Wayland global capture is reported unavailable with what works instead."""
    reason = unavailable_reason({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert reason and "Wayland" in reason and "foot pedal" in reason
    assert (
        unavailable_reason({}, "linux")
        == "Global hotkeys need an X11 display (DISPLAY is not set)."
    )
    assert unavailable_reason({"DISPLAY": ":0"}, "linux") is None


@pytest.fixture
def other_app(xvfb, monkeypatch):
    """Another application (xev) holding the keyboard focus; yields its output file."""
    monkeypatch.setenv("DISPLAY", xvfb)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    env = {**os.environ, "DISPLAY": xvfb}
    name = f"editor-{uuid.uuid4().hex[:8]}"
    app, window = None, ""
    for _attempt in range(2):  # a loaded machine may lose the first one
        app = subprocess.Popen(
            ["xev", "-display", xvfb, "-name", name, "-event", "keyboard"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 20
        while not window and time.monotonic() < deadline and app.poll() is None:
            found = subprocess.run(
                ["xdotool", "search", "--name", name],
                capture_output=True,
                text=True,
                env=env,
                timeout=10,
            ).stdout.split()
            window = found[0] if found else ""
            time.sleep(0.05)
        if window:
            break
        app.kill()
    if not window:
        assert app is not None
        pytest.fail(f"xev never showed its window: {app.communicate(timeout=5)[1][-500:]}")
    subprocess.run(
        ["xdotool", "windowfocus", "--sync", window],
        check=True,
        env={**os.environ, "DISPLAY": xvfb},
        timeout=10,
    )
    yield app
    app.kill()


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=10)


def collect(mapping):
    events: queue.Queue[tuple[str, Action]] = queue.Queue()
    keys = GlobalHotkeys(
        mapping, lambda a: events.put(("press", a)), lambda a: events.put(("release", a))
    )
    return keys, events


def test_hotkey_reaches_scribedesk_while_another_app_has_focus(other_app):
    """F9 typed into another application still plays the audio; that app still gets F9."""
    keys, events = collect(PRESETS["express_scribe"])
    keys.start()
    try:
        xdotool("key", "F9")
        assert events.get(timeout=3) == ("press", Action.PLAY_TOGGLE)
        assert events.get(timeout=3) == ("release", Action.PLAY_TOGGLE)
        xdotool("key", "a")
        time.sleep(0.3)
        assert events.empty()
    finally:
        keys.stop()
    other_app.kill()
    seen = other_app.communicate(timeout=5)[0]
    assert "F9" in seen  # not suppressed: the focused application received the key


def test_held_key_gives_one_press_and_one_release(other_app):
    """Holding F7 (rewind) gives one press and, on letting go, one release."""
    keys, events = collect(PRESETS["express_scribe"])
    keys.start()
    try:
        xdotool("keydown", "F7")
        time.sleep(0.4)
        xdotool("keyup", "F7")
        assert events.get(timeout=3) == ("press", Action.REWIND)
        assert events.get(timeout=3) == ("release", Action.REWIND)
        time.sleep(0.2)
        assert events.empty()
    finally:
        keys.stop()


def test_modifier_chords_match_exactly(other_app):
    """Ctrl+Alt+P plays; plain P and Ctrl+P do not."""
    keys, events = collect(PRESETS["scribedesk"])
    keys.start()
    try:
        xdotool("key", "p")
        xdotool("key", "ctrl+p")
        xdotool("key", "ctrl+alt+p")
        assert events.get(timeout=3) == ("press", Action.PLAY_TOGGLE)
        assert events.get(timeout=3) == ("release", Action.PLAY_TOGGLE)
        assert events.empty()
    finally:
        keys.stop()


def test_start_without_display_explains(monkeypatch):
    """With no display the service refuses to start with the reason, it does not crash."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    keys, _ = collect(PRESETS["scribedesk"])
    if not os.sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    with pytest.raises(HotkeysUnavailable, match="DISPLAY"):
        keys.start()


def test_nothing_is_reported_after_stop(other_app):
    """Once stopped, keys no longer reach the transport, though pynput's thread lingers."""
    keys, events = collect(PRESETS["express_scribe"])
    keys.start()
    keys.stop()
    xdotool("key", "F9")
    time.sleep(0.3)
    assert events.empty()
