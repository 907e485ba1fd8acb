"""Where the workstation keeps its files (platformdirs)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "scribedesk"


def data_dir() -> Path:
    """Drafts, the outbox, the embedded service's data."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    """Settings."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Downloaded audio and waveform peaks (safe to delete)."""
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))
