"""One typed settings facade: a Key enum with defaults over QSettings (an INI file per user)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings


class Key(Enum):
    """Every setting, with its default. Values are JSON-compatible."""

    SERVER_URL = ("connection/server_url", "")
    USERNAME = ("connection/username", "")
    HOTKEY_PRESET = ("hotkeys/preset", "scribedesk")
    HOTKEYS = ("hotkeys/mapping", dict[str, str]())  # action -> chord, over the preset
    PEDAL_MAPPING = (
        "pedals/mapping",
        {"left": "rewind", "middle": "play_hold", "right": "fast_forward"},
    )
    PLAY_MODE = ("transport/play_mode", "hold")
    BACKSTEP_S = ("transport/backstep_s", 1.0)
    REWIND_STEP_S = ("transport/rewind_step_s", 2.0)
    SPEED_STEP = ("transport/speed_step", 0.1)
    REPLAY_S = ("transport/replay_s", 5.0)  # F9 replays this much (Shift+F9 slower)
    SPELL_LANGUAGE = ("editor/spell_language", "en_US")
    TEAM_DICTIONARY = ("editor/team_dictionary", list[str]())
    EXPANSIONS = (
        "editor/expansions",
        {"nxs": "next steps", "cust": "customer", "mtg": "meeting", "opp": "opportunity"},
    )
    FONT_SIZE = ("editor/font_size", 12)
    THEME = ("appearance/theme", "light")
    NOTIFY_SOUND = ("appearance/notify_sound", False)  # a sound with each notification
    CACHE_LIMIT_MB = ("cache/limit_mb", 4096)
    PREFETCH_JOBS = ("cache/prefetch_jobs", 3)

    @property
    def path(self) -> str:
        return str(self.value[0])

    @property
    def default(self) -> Any:
        return self.value[1]


class Settings:
    """Read and write settings; a value of the wrong type reads as the default."""

    def __init__(self, file: Path) -> None:
        file.parent.mkdir(parents=True, exist_ok=True)
        self._qt = QSettings(str(file), QSettings.Format.IniFormat)
        #: The folder of the settings file (learned pedals are kept beside it).
        self.folder = file.parent

    def get(self, key: Key) -> Any:
        raw = self._qt.value(key.path)
        if raw is None:
            return key.default
        try:
            value = json.loads(str(raw))
        except ValueError:
            return key.default
        expected = type(key.default)
        if expected is float and isinstance(value, int):
            value = float(value)
        return value if isinstance(value, expected) else key.default

    def set(self, key: Key, value: Any) -> None:
        self._qt.setValue(key.path, json.dumps(value))
        self._qt.sync()

    def reset(self, key: Key) -> None:
        self._qt.remove(key.path)
        self._qt.sync()
