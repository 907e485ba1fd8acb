"""Settings: transport, hotkeys, pedals, editor and appearance, stored per user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scribedesk.config.settings import Key, Settings
from scribedesk.playback.hotkeys import PRESETS, check_mapping
from scribedesk.playback.pedals.layouts import Pedal
from scribedesk.playback.transport import Action

PEDAL_ACTIONS = ["", *[a.value for a in Action]]
PRESET_NAMES = {
    "scribedesk": "ScribeDesk",
    "express_scribe": "Express Scribe style",
    "otranscribe": "oTranscribe style",
}


def _spin(low: float, high: float, step: float, value: float, suffix: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(2)
    box.setSuffix(suffix)
    box.setValue(value)
    return box


class SettingsDialog(QDialog):
    """Every user setting on five tabs; OK stores them."""

    def __init__(
        self,
        settings: Settings,
        languages: list[str] | None = None,
        parent: QWidget | None = None,
        learn: Callable[[], Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._learn = learn
        self.setWindowTitle("ScribeDesk settings")
        self.resize(640, 480)
        tabs = QTabWidget()
        tabs.addTab(self._connection_tab(), "Connection")
        tabs.addTab(self._transport_tab(), "Playback")
        tabs.addTab(self._hotkeys_tab(), "Hotkeys")
        tabs.addTab(self._pedals_tab(), "Pedal")
        tabs.addTab(self._editor_tab(languages or ["en_US", "en_GB"]), "Editor")
        tabs.addTab(self._appearance_tab(), "Appearance")
        self.tabs = tabs
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    # -- tabs ----------------------------------------------------------------------------------

    def _connection_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.server = QLineEdit(self.settings.get(Key.SERVER_URL))
        self.server.setPlaceholderText("Empty: work on this computer (built-in service)")
        self.username = QLineEdit(self.settings.get(Key.USERNAME))
        form.addRow("Server", self.server)
        form.addRow("User name", self.username)
        form.addRow(
            QLabel(
                "Used from the next start. Passwords are never stored; a sign-in "
                "token is kept in the system keyring where there is one."
            )
        )
        return page

    def _transport_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.play_mode = QComboBox()
        self.play_mode.addItem("Play while the pedal is held", "hold")
        self.play_mode.addItem("Press to play, press again to pause", "toggle")
        self.play_mode.setCurrentIndex(
            max(0, self.play_mode.findData(self.settings.get(Key.PLAY_MODE)))
        )
        self.backstep = _spin(0, 10, 0.25, self.settings.get(Key.BACKSTEP_S), " s")
        self.rewind_step = _spin(0.5, 60, 0.5, self.settings.get(Key.REWIND_STEP_S), " s")
        self.speed_step = _spin(0.05, 0.5, 0.05, self.settings.get(Key.SPEED_STEP), "×")
        self.replay = _spin(1, 60, 1, self.settings.get(Key.REPLAY_S), " s")
        form.addRow("Play pedal", self.play_mode)
        form.addRow("Step back on pause", self.backstep)
        form.addRow("Rewind / forward tap", self.rewind_step)
        form.addRow("Speed step", self.speed_step)
        form.addRow("Replay (F9; Shift+F9 slower)", self.replay)
        return page

    def _hotkeys_tab(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        self.preset = QComboBox()
        for name in PRESETS:
            self.preset.addItem(PRESET_NAMES.get(name, name), name)
        self.preset.setCurrentIndex(
            max(0, self.preset.findData(self.settings.get(Key.HOTKEY_PRESET)))
        )
        self.hotkeys = QTableWidget(len(Action), 2)
        self.hotkeys.setHorizontalHeaderLabels(["Action", "Key"])
        self.hotkeys.verticalHeader().hide()
        self.hotkeys.horizontalHeader().setStretchLastSection(True)
        self.conflicts = QLabel()
        self.conflicts.setWordWrap(True)
        self.conflicts.setStyleSheet("color: #b71c1c;")
        self._fill_hotkeys()
        self.preset.currentIndexChanged.connect(lambda _i: self._fill_hotkeys(reset=True))
        self.hotkeys.itemChanged.connect(lambda _item: self._show_conflicts())
        column.addWidget(QLabel("Global hotkeys work while another application has focus."))
        column.addWidget(self.preset)
        column.addWidget(self.hotkeys, 1)
        column.addWidget(self.conflicts)
        return page

    def _fill_hotkeys(self, reset: bool = False) -> None:
        mapping = dict(PRESETS[str(self.preset.currentData())])
        if not reset:
            for name, chord in self.settings.get(Key.HOTKEYS).items():
                if name in {a.value for a in Action}:
                    mapping[Action(name)] = chord
        self.hotkeys.blockSignals(True)
        for row, action in enumerate(Action):
            label = QTableWidgetItem(action.value.replace("_", " "))
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.hotkeys.setItem(row, 0, label)
            self.hotkeys.setItem(row, 1, QTableWidgetItem(mapping.get(action, "")))
        self.hotkeys.blockSignals(False)
        self._show_conflicts()

    def hotkey_mapping(self) -> dict[Action, str]:
        """Action → key as shown in the table (blank keys left out)."""
        mapping = {}
        for row, action in enumerate(Action):
            item = self.hotkeys.item(row, 1)
            if item is not None and item.text().strip():
                mapping[action] = item.text().strip()
        return mapping

    def _show_conflicts(self) -> None:
        _chords, problems = check_mapping(self.hotkey_mapping())
        self.conflicts.setText("\n".join(problems))

    def _pedals_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        saved = self.settings.get(Key.PEDAL_MAPPING)
        self.pedals: dict[Pedal, QComboBox] = {}
        for pedal in Pedal:
            box = QComboBox()
            for value in PEDAL_ACTIONS:
                box.addItem(value.replace("_", " ") or "nothing", value)
            box.setCurrentIndex(max(0, box.findData(saved.get(pedal.value, ""))))
            self.pedals[pedal] = box
            form.addRow(f"{pedal.value.title()} pedal", box)
        form.addRow(
            QLabel(
                "An unknown pedal (Olympus RS-26/RS-28, a keyboard-mode pedal and others) "
                "is learned when it is plugged in: ScribeDesk asks you to press each pedal."
            )
        )
        self.learn_button = QPushButton("&Learn a pedal…")
        self.learn_button.setEnabled(self._learn is not None)
        self.learn_button.clicked.connect(lambda: self._learn() if self._learn else None)
        form.addRow(self.learn_button)
        return page

    def _editor_tab(self, languages: list[str]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.language = QComboBox()
        self.language.addItems(languages)
        self.language.setCurrentText(self.settings.get(Key.SPELL_LANGUAGE))
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 40)
        self.font_size.setValue(self.settings.get(Key.FONT_SIZE))
        self.dictionary = QPlainTextEdit("\n".join(self.settings.get(Key.TEAM_DICTIONARY)))
        self.dictionary.setPlaceholderText("Words never to flag, one per line")
        self.expansions = QPlainTextEdit(
            "\n".join(
                f"{abbreviation} = {phrase}"
                for abbreviation, phrase in self.settings.get(Key.EXPANSIONS).items()
            )
        )
        self.expansions.setPlaceholderText("abbreviation = phrase, one per line")
        form.addRow("Spelling language", self.language)
        form.addRow("Text size", self.font_size)
        form.addRow("Team dictionary", self.dictionary)
        form.addRow("Text expansions", self.expansions)
        return page

    def _appearance_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.theme = QComboBox()
        self.theme.addItem("Light", "light")
        self.theme.addItem("Dark", "dark")
        self.theme.setCurrentIndex(max(0, self.theme.findData(self.settings.get(Key.THEME))))
        form.addRow("Theme", self.theme)
        self.sound = QCheckBox("Play a sound when a job is assigned to me (or STAT arrives)")
        self.sound.setChecked(bool(self.settings.get(Key.NOTIFY_SOUND)))
        form.addRow("Notifications", self.sound)
        return page

    # -- saving ----------------------------------------------------------------------------------

    def expansion_map(self) -> dict[str, str]:
        """The expansions as typed ("abbr = phrase" lines; malformed lines ignored)."""
        found = {}
        for line in self.expansions.toPlainText().splitlines():
            abbreviation, sep, phrase = line.partition("=")
            if sep and abbreviation.strip() and phrase.strip():
                found[abbreviation.strip()] = phrase.strip()
        return found

    def save(self) -> None:
        """Store every value."""
        s = self.settings
        if self.server.text().strip():
            s.set(Key.SERVER_URL, self.server.text().strip())
        else:
            s.reset(Key.SERVER_URL)
        s.set(Key.USERNAME, self.username.text().strip())
        s.set(Key.PLAY_MODE, self.play_mode.currentData())
        s.set(Key.BACKSTEP_S, self.backstep.value())
        s.set(Key.REWIND_STEP_S, self.rewind_step.value())
        s.set(Key.SPEED_STEP, self.speed_step.value())
        s.set(Key.REPLAY_S, self.replay.value())
        preset = str(self.preset.currentData())
        s.set(Key.HOTKEY_PRESET, preset)
        base = PRESETS[preset]
        s.set(
            Key.HOTKEYS, {a.value: k for a, k in self.hotkey_mapping().items() if base.get(a) != k}
        )
        s.set(
            Key.PEDAL_MAPPING,
            {p.value: box.currentData() for p, box in self.pedals.items() if box.currentData()},
        )
        s.set(Key.SPELL_LANGUAGE, self.language.currentText())
        s.set(Key.FONT_SIZE, self.font_size.value())
        s.set(
            Key.TEAM_DICTIONARY,
            [w.strip() for w in self.dictionary.toPlainText().splitlines() if w.strip()],
        )
        s.set(Key.EXPANSIONS, self.expansion_map())
        s.set(Key.THEME, self.theme.currentData())
        s.set(Key.NOTIFY_SOUND, self.sound.isChecked())

    @classmethod
    def prompt(
        cls,
        settings: Settings,
        languages: list[str] | None = None,
        parent: QWidget | None = None,
        learn: Callable[[], Any] | None = None,
    ) -> bool:
        """Show the dialog; True when the user saved. ``learn`` starts learning the
        connected pedal (the Learn a pedal… button)."""
        dialog = cls(settings, languages, parent, learn)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        dialog.save()
        return True


def saved_pedals(settings: Any) -> Any:
    """The pedal mapping the user saved (the defaults when it cannot be read)."""
    from scribedesk.playback.inputs import DEFAULT_PEDALS, pedal_map_from_dict

    try:
        return pedal_map_from_dict(settings.get(Key.PEDAL_MAPPING)) or dict(DEFAULT_PEDALS)
    except ValueError:
        return dict(DEFAULT_PEDALS)


def apply_settings(
    settings: Any, station: Any, transport: Any, workspace: Any, router: Any = None
) -> None:
    """Apply what can change at once: expansions, team words, playback steps, the pedal
    mapping, text size and theme (``station``: ui.workstation.Workstation; ``transport``,
    ``workspace`` and ``router`` may be None)."""
    from scribedesk.playback.transport import TransportSettings
    from scribedesk.ui.theme import apply_text_size, apply_theme

    station.expansions = settings.get(Key.EXPANSIONS)
    station.checker.team.add_all(settings.get(Key.TEAM_DICTIONARY))
    if transport is not None:
        transport.settings = TransportSettings(
            play_mode=settings.get(Key.PLAY_MODE),
            backstep_s=settings.get(Key.BACKSTEP_S),
            step_s=settings.get(Key.REWIND_STEP_S),
            speed_step=settings.get(Key.SPEED_STEP),
        ).checked()
    if router is not None:
        router.pedals = saved_pedals(settings)
    if workspace is not None:
        workspace.narrative.expansions = {k.casefold(): v for k, v in station.expansions.items()}
        workspace.narrative.set_font_size(settings.get(Key.FONT_SIZE))
    apply_text_size(settings.get(Key.FONT_SIZE))
    apply_theme(settings.get(Key.THEME))
