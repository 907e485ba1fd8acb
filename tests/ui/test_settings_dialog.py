"""The settings dialog: every tab stores its values; hotkey conflicts show while editing."""

from __future__ import annotations

from scribedesk.config.settings import Key, Settings
from scribedesk.playback.transport import Action
from scribedesk.ui.dialogs.settings import SettingsDialog


def row_of(action: Action) -> int:
    return list(Action).index(action)


def test_values_are_stored(qtbot, tmp_path):
    """Backstep, preset, a remapped key, pedals, dictionary, expansions and theme persist."""
    settings = Settings(tmp_path / "s.ini")
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.server.setText("https://scribe.example.com")
    dialog.username.setText("theo")
    dialog.backstep.setValue(2.5)
    dialog.play_mode.setCurrentIndex(dialog.play_mode.findData("toggle"))
    dialog.preset.setCurrentIndex(dialog.preset.findData("express_scribe"))
    dialog.hotkeys.item(row_of(Action.MARK), 1).setText("f12")
    dialog.pedals[next(iter(dialog.pedals))].setCurrentIndex(
        dialog.pedals[next(iter(dialog.pedals))].findData("fast_forward")
    )
    dialog.dictionary.setPlainText("Whitfield\nNorthwind\n")
    dialog.expansions.setPlainText("nxs = next steps\nfu = follow-up\nbroken line\n")
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.save()
    again = Settings(tmp_path / "s.ini")
    assert again.get(Key.SERVER_URL) == "https://scribe.example.com"
    assert again.get(Key.USERNAME) == "theo"
    assert again.get(Key.BACKSTEP_S) == 2.5 and again.get(Key.PLAY_MODE) == "toggle"
    assert again.get(Key.HOTKEY_PRESET) == "express_scribe"
    assert again.get(Key.HOTKEYS) == {"mark": "f12"}  # only what differs from the preset
    assert again.get(Key.PEDAL_MAPPING)["left"] == "fast_forward"
    assert again.get(Key.TEAM_DICTIONARY) == ["Whitfield", "Northwind"]
    assert again.get(Key.EXPANSIONS) == {"nxs": "next steps", "fu": "follow-up"}
    assert again.get(Key.THEME) == "dark"


def test_conflicting_hotkeys_are_reported_live(qtbot, tmp_path):
    """Giving stop the play key shows the conflict before saving."""
    dialog = SettingsDialog(Settings(tmp_path / "s.ini"))
    qtbot.addWidget(dialog)
    assert dialog.conflicts.text() == ""
    play = dialog.hotkeys.item(row_of(Action.PLAY_TOGGLE), 1).text()
    dialog.hotkeys.item(row_of(Action.STOP), 1).setText(play)
    assert "is set for both" in dialog.conflicts.text()
