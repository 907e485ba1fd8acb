"""Learning a pedal: "press each pedal" for a model ScribeDesk does not know the layout
of, offered when one is plugged in and from Settings → Pedal.

The pedal managers (raw HID and keyboard-emulating) are started by app.py; while a learn
runs, the connected one passes every report on raw, the dialog takes them step by step
(playback.pedals.learn.LearnSession), and the result is saved: raw HID layouts in
``pedal_layouts.json``, keyboard pedals' keys in ``keyboard_pedals.json``, both loaded at
the next start. The new layout works at once, without a restart.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scribedesk.playback.pedals.keyboard import KeyboardPedalSource, report_keys
from scribedesk.playback.pedals.layouts import Pedal
from scribedesk.playback.pedals.learn import LearnError, LearnSession, save_layouts
from scribedesk.playback.pedals.manager import HidSource, PedalManager

LAYOUTS_FILE, KEYS_FILE = "pedal_layouts.json", "keyboard_pedals.json"


def save_key_maps(path: Path, maps: Mapping[tuple[int, int], Mapping[int, Pedal]]) -> None:
    """Keyboard pedals' keys as JSON keyed "vvvv:pppp" (written atomically)."""
    data = {
        f"{v:04x}:{p:04x}": {str(code): pedal.value for code, pedal in keys.items()}
        for (v, p), keys in maps.items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def load_key_maps(path: Path) -> dict[tuple[int, int], dict[int, Pedal]]:
    """The keyboard pedals' keys saved by ``save_key_maps``; a damaged file: ValueError."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            (int(key[:4], 16), int(key[5:], 16)): {int(c): Pedal(p) for c, p in keys.items()}
            for key, keys in data.items()
        }
    except (ValueError, AttributeError, TypeError) as exc:
        raise ValueError(f"{path.name}: the saved keyboard pedals are damaged ({exc})") from None


class LearnPedalDialog(QDialog):
    """Asks for each pedal in turn and takes the device's reports until it is learned."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Learn the pedal: {name}")
        self.session = LearnSession(name)
        self.prompt = QLabel(self.session.prompt())
        self.prompt.setWordWrap(True)
        self.prompt.setAccessibleName("What to press")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        skip = QPushButton("&No more pedals")
        skip.clicked.connect(self.finish)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(skip, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"ScribeDesk learns which part of {name} is which pedal."))
        layout.addWidget(self.prompt)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def feed(self, report: bytes) -> None:
        """One raw report from the device."""
        if self.session.feed(report):
            self.prompt.setText(self.session.prompt())
            if self.session.step == "done":
                self.finish()

    def finish(self) -> None:
        """Done (or no more pedals): accept if a layout can be made of what was pressed."""
        self.session.skip()
        try:
            self.session.layout()
        except LearnError as exc:
            self.problem.setText(str(exc))
            self.session = LearnSession(self.session.name)
            self.prompt.setText(self.session.prompt())
            return
        self.accept()


class PedalLearning:
    """Runs a learn on the connected pedal and keeps what was learned."""

    def __init__(self, folder: Path, say: Callable[[str, int], None]) -> None:
        self.folder = folder
        self.say = say
        self.managers: list[PedalManager] = []
        self.dialog: LearnPedalDialog | None = None
        self._manager: PedalManager | None = None

    def offer(self, parent: QWidget, name: str) -> None:
        """A plugged-in pedal needs its layout learned: ask, then learn."""
        answer = QMessageBox.question(
            parent,
            "A pedal to learn",
            f"ScribeDesk does not know the layout of {name} yet. Learn it now? You press "
            "each pedal once.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.start(parent)

    def start(self, parent: QWidget | None) -> LearnPedalDialog | None:
        """Learn the connected pedal (Settings → Pedal → Learn a pedal…)."""
        manager = next((m for m in self.managers if m.device is not None), None)
        if manager is None or manager.device is None:
            self.say("Plug in the pedal first: no pedal is connected.", 8000)
            return None
        self._manager = manager
        manager.set_learning(True)
        self.dialog = LearnPedalDialog(manager.device.name, parent)
        self.dialog.finished.connect(self._finished)
        self.dialog.show()
        return self.dialog

    def raw(self, event: Any) -> None:
        """A raw report while learning."""
        if self.dialog is not None and event.report:
            self.dialog.feed(event.report)

    def _finished(self, result: int) -> None:
        manager, dialog = self._manager, self.dialog
        self.dialog = self._manager = None
        if manager is None or dialog is None:
            return
        manager.set_learning(False)
        device = manager.device
        if result != QDialog.DialogCode.Accepted or device is None:
            return
        key = (device.vendor_id, device.product_id)
        source = manager.source
        if isinstance(source, KeyboardPedalSource):  # a report is the keys held down
            keys = {min(report_keys(r) - {0}): p for p, r in dialog.session.pressed()}
            source.key_maps[key] = keys
            save_key_maps(self.folder / KEYS_FILE, source.key_maps)
        elif isinstance(source, HidSource):
            source.learned[key] = dialog.session.layout()
            save_layouts(self.folder / LAYOUTS_FILE, source.learned)
        manager.learned(*key)
        self.say(f"{device.name} is learned: its pedals work now.", 8000)
