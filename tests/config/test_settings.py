"""Settings: typed values with defaults, stored per user, damaged values read as defaults."""

from __future__ import annotations

from scribedesk.config.settings import Key, Settings


def test_defaults_and_round_trip(tmp_path):
    """Unset keys give their defaults; set values come back, also from a new instance."""
    settings = Settings(tmp_path / "scribedesk.ini")
    assert settings.get(Key.BACKSTEP_S) == 1.0
    assert settings.get(Key.EXPANSIONS)["nxs"] == "next steps"
    settings.set(Key.BACKSTEP_S, 2.5)
    settings.set(Key.HOTKEYS, {"play_toggle": "f9"})
    again = Settings(tmp_path / "scribedesk.ini")
    assert again.get(Key.BACKSTEP_S) == 2.5 and again.get(Key.HOTKEYS) == {"play_toggle": "f9"}
    again.reset(Key.BACKSTEP_S)
    assert again.get(Key.BACKSTEP_S) == 1.0


def test_wrong_types_and_garbage_read_as_defaults(tmp_path):
    """A hand-edited file with nonsense does not break start-up."""
    (tmp_path / "s.ini").write_text('[editor]\nfont_size="huge"\n[transport]\nbackstep_s=oops\n')
    settings = Settings(tmp_path / "s.ini")
    assert settings.get(Key.FONT_SIZE) == 12 and settings.get(Key.BACKSTEP_S) == 1.0
