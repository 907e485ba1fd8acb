"""Transport hotkeys never type into ScribeDesk's own fields.

The global hotkeys (pynput) act on the keys system-wide; Qt would also deliver the same
key press to the focused field, which then inserts "=" for Ctrl+Alt+= on many layouts.
This application-wide event filter takes the transport chords away from every widget.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from scribedesk.playback.hotkeys import Chord

_MODIFIERS = (
    (Qt.KeyboardModifier.ControlModifier, "ctrl"),
    (Qt.KeyboardModifier.AltModifier, "alt"),
    (Qt.KeyboardModifier.ShiftModifier, "shift"),
    (Qt.KeyboardModifier.MetaModifier, "cmd"),
)
_NAMED = {
    Qt.Key.Key_Escape: "escape",
    Qt.Key.Key_Space: "space",
    Qt.Key.Key_Tab: "tab",
    Qt.Key.Key_Return: "enter",
    Qt.Key.Key_Enter: "enter",
    Qt.Key.Key_Backspace: "backspace",
    Qt.Key.Key_Delete: "delete",
    Qt.Key.Key_Insert: "insert",
    Qt.Key.Key_Home: "home",
    Qt.Key.Key_End: "end",
    Qt.Key.Key_PageUp: "page_up",
    Qt.Key.Key_PageDown: "page_down",
    Qt.Key.Key_Minus: "minus",
    Qt.Key.Key_Equal: "equal",
    **{getattr(Qt.Key, f"Key_F{i}"): f"f{i}" for i in range(1, 21)},
}
_KEYS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)


def chord_of(event: QKeyEvent) -> Chord | None:
    """The chord a Qt key event is, in the hotkeys' terms (None for a lone modifier)."""
    key = Qt.Key(event.key())
    name = _NAMED.get(key)
    if name is None and 0x20 < key.value < 0x7F:
        name = chr(key.value).lower()
    if name is None:
        return None
    mods = frozenset(word for flag, word in _MODIFIERS if event.modifiers() & flag)
    return Chord(mods, name)


class HotkeyGuard(QObject):
    """Swallows the transport chords before any widget of this application sees them."""

    def __init__(self, chords: Iterable[Chord]) -> None:
        super().__init__()
        self.chords = frozenset(chords)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _KEYS and isinstance(event, QKeyEvent):
            chord = chord_of(event)
            if chord is not None and chord in self.chords:
                return True
        return super().eventFilter(watched, event)


def guard(chords: Iterable[Chord]) -> HotkeyGuard:
    """Install the guard on the running application (GUI thread); keep the result."""
    keeper = HotkeyGuard(chords)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(keeper)
    return keeper
