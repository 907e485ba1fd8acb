"""Global hotkeys with pynput: the audio obeys while another application has focus.

- Presets: "scribedesk" (Ctrl+Alt chords that no editor uses), "express_scribe"
  (F4 stop, F7 rewind, F8 fast-forward, F9 play, F10 normal speed; taken from that
  product's documentation as users describe it, not verified against it) and
  "otranscribe" (Esc play/pause, F1/F2 back/forward, F3/F4 slower/faster, Ctrl+0 start,
  Ctrl+J mark). Every key can be remapped; conflicts are reported, not silently kept.
- The listener never suppresses keys: on X11 pynput's suppress grabs the whole keyboard.
  A hotkey therefore also reaches the focused application; pick keys it does not use.
- Under Wayland, pynput sees only XWayland windows, so global capture is reported as
  unavailable and the in-app shortcuts take over.
- pynput needs a display at import time, so it is imported only in ``start``.

Callbacks run on pynput's listener thread: they must only hand the action over (the
workstation emits a Qt signal, delivered on the GUI thread).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scribedesk.playback.transport import Action

MODIFIERS = ("ctrl", "alt", "shift", "cmd")
_MODIFIER_NAMES = {
    "ctrl": "ctrl",
    "ctrl_l": "ctrl",
    "ctrl_r": "ctrl",
    "alt": "alt",
    "alt_l": "alt",
    "alt_r": "alt",
    "alt_gr": "alt",
    "shift": "shift",
    "shift_l": "shift",
    "shift_r": "shift",
    "cmd": "cmd",
    "cmd_l": "cmd",
    "cmd_r": "cmd",
}
_NAMED_KEYS = {
    *(f"f{i}" for i in range(1, 21)),
    "escape",
    "space",
    "tab",
    "enter",
    "backspace",
    "delete",
    "insert",
    "home",
    "end",
    "page_up",
    "page_down",
    "left",
    "right",
    "up",
    "down",
    "pause",
    "media_play_pause",
    "media_next",
    "media_previous",
    "minus",
    "equal",
}
_CHAR_NAMES = {"-": "minus", "=": "equal", " ": "space"}

#: Keys the text editor needs; a hotkey on one of them would fight with typing.
EDITOR_KEYS = {
    "ctrl+c": "copy",
    "ctrl+v": "paste",
    "ctrl+x": "cut",
    "ctrl+z": "undo",
    "ctrl+y": "redo",
    "ctrl+a": "select all",
    "ctrl+s": "save",
    "ctrl+f": "find",
    "tab": "next field",
    "shift+tab": "previous field",
    "enter": "new line",
    "backspace": "delete",
    "space": "space",
}


class HotkeyError(ValueError):
    """A key description that cannot be used."""


class HotkeysUnavailable(RuntimeError):
    """Global hotkeys cannot work here; the message says why and what works instead."""


@dataclass(frozen=True, order=True)
class Chord:
    """A key with the modifiers held with it, e.g. ctrl+alt+p."""

    modifiers: frozenset[str]
    key: str

    @classmethod
    def parse(cls, text: str) -> Chord:
        """``"ctrl+alt+p"``, ``"F9"``, ``"ctrl+0"``; HotkeyError for anything else."""
        parts = [p.strip().lower() for p in text.replace(" ", "").split("+") if p.strip()]
        if not parts:
            raise HotkeyError("An empty key is not a hotkey.")
        *mods, key = parts
        unknown = [m for m in mods if m not in MODIFIERS]
        if unknown:
            raise HotkeyError(
                f"{text!r}: {unknown[0]!r} is not a modifier (ctrl, alt, shift, cmd)."
            )
        key = _CHAR_NAMES.get(key, key)
        if not (key in _NAMED_KEYS or (len(key) == 1 and key.isprintable())):
            raise HotkeyError(f"{text!r}: {key!r} is not a key ScribeDesk knows.")
        return cls(frozenset(mods), key)

    def __str__(self) -> str:
        return "+".join([m for m in MODIFIERS if m in self.modifiers] + [self.key])


PRESETS: dict[str, dict[Action, str]] = {
    "scribedesk": {
        Action.PLAY_TOGGLE: "ctrl+alt+p",
        Action.STOP: "ctrl+alt+k",
        Action.REWIND: "ctrl+alt+j",
        Action.FFWD: "ctrl+alt+l",
        Action.SPEED_DOWN: "ctrl+alt+minus",
        Action.SPEED_UP: "ctrl+alt+equal",
        Action.SPEED_RESET: "ctrl+alt+0",
        Action.JUMP_START: "ctrl+alt+home",
        Action.MARK: "ctrl+alt+m",
    },
    "express_scribe": {
        Action.STOP: "f4",
        Action.REWIND: "f7",
        Action.FFWD: "f8",
        Action.PLAY_TOGGLE: "f9",
        Action.SPEED_RESET: "f10",
    },
    "otranscribe": {
        Action.PLAY_TOGGLE: "escape",
        Action.REWIND: "f1",
        Action.FFWD: "f2",
        Action.SPEED_DOWN: "f3",
        Action.SPEED_UP: "f4",
        Action.JUMP_START: "ctrl+0",
        Action.MARK: "ctrl+j",
    },
}


def check_mapping(mapping: Mapping[Action, str]) -> tuple[dict[Chord, Action], list[str]]:
    """The usable chords and a sentence per conflict (bad key, a key used twice, an editor key).

    A key used twice keeps its first action; an editor key is kept but reported.
    """
    usable: dict[Chord, Action] = {}
    problems: list[str] = []
    for action, text in mapping.items():
        try:
            chord = Chord.parse(text)
        except HotkeyError as exc:
            problems.append(f"{action.value}: {exc}")
            continue
        if chord in usable:
            problems.append(
                f"{chord} is set for both {usable[chord].value} and {action.value}; "
                f"{action.value} has no key until you choose another."
            )
            continue
        if str(chord) in EDITOR_KEYS:
            problems.append(
                f"{chord} ({action.value}) is also the editor's {EDITOR_KEYS[str(chord)]}: "
                "both will happen."
            )
        usable[chord] = action
    return usable, problems


def unavailable_reason(
    environ: Mapping[str, str] | None = None, platform: str = sys.platform
) -> str | None:
    """Why global hotkeys cannot work in this session, or None when they can."""
    env = os.environ if environ is None else environ
    if platform.startswith("linux"):
        if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
            return (
                "Global hotkeys are not available under Wayland: the desktop does not let "
                "applications watch the keyboard. ScribeDesk's own shortcuts work while its "
                "window has focus, and a USB foot pedal works everywhere."
            )
        if not env.get("DISPLAY"):
            return "Global hotkeys need an X11 display (DISPLAY is not set)."
    return None


def key_name(key: Any) -> str:
    """pynput's Key or KeyCode as a name used in chords ('f9', 'p', 'ctrl')."""
    name = str(getattr(key, "name", "") or "")
    if name:
        return _MODIFIER_NAMES.get(name, "escape" if name == "esc" else name)
    char = str(getattr(key, "char", "") or "")
    if char:
        return _CHAR_NAMES.get(char, char.lower())
    vk = getattr(key, "vk", None)
    return f"vk{vk}" if vk is not None else "unknown"


class GlobalHotkeys:
    """Listens to the whole keyboard and reports presses and releases of mapped chords."""

    def __init__(
        self,
        mapping: Mapping[Action, str],
        on_press: Callable[[Action], None],
        on_release: Callable[[Action], None],
    ) -> None:
        self.chords, self.problems = check_mapping(mapping)
        self._on_press = on_press
        self._on_release = on_release
        self._held_modifiers: set[str] = set()
        self._active: dict[str, Action] = {}
        self._listener: Any = None
        self._running = False

    def start(self) -> None:
        """Begin listening; HotkeysUnavailable (with the reason) when this session cannot."""
        reason = unavailable_reason()
        if reason:
            raise HotkeysUnavailable(reason)
        try:
            from pynput import keyboard
        except Exception as exc:  # pynput raises ImportError and others without a display
            raise HotkeysUnavailable(f"Global hotkeys cannot start: {exc}") from None
        self._listener = keyboard.Listener(on_press=self._press, on_release=self._release)
        self._running = True
        self._listener.start()
        self._listener.wait()
        if sys.platform == "darwin" and not getattr(self._listener, "IS_TRUSTED", True):
            self.stop()
            raise HotkeysUnavailable(
                "Allow ScribeDesk to monitor the keyboard: System Settings → Privacy & "
                "Security → Input Monitoring (and Accessibility)."
            )

    def stop(self) -> None:
        """Stop listening; no action is reported after this returns.

        Does not wait for pynput's thread: on X11 it ends only when the next key event
        arrives (XRecord), so it is told to stop and then ignored.
        """
        self._running = False
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def _canonical(self, key: Any) -> Any:
        # Named keys (F9, Esc, Ctrl) are already canonical; pynput's canonical() would turn
        # them into bare key codes. Characters lose the modifiers (Ctrl+P arrives as '\x10').
        listener = self._listener
        if listener is None or getattr(key, "name", None):
            return key
        return listener.canonical(key)

    def _press(self, key: Any) -> None:
        if not self._running:
            return
        name = key_name(self._canonical(key))
        if name in MODIFIERS:
            self._held_modifiers.add(name)
            return
        if name in self._active:  # autorepeat of a chord already down
            return
        action = self.chords.get(Chord(frozenset(self._held_modifiers), name))
        if action is not None:
            self._active[name] = action
            self._on_press(action)

    def _release(self, key: Any) -> None:
        if not self._running:
            return
        name = key_name(self._canonical(key))
        if name in MODIFIERS:
            self._held_modifiers.discard(name)
            return
        action = self._active.pop(name, None)
        if action is not None:
            self._on_release(action)
