"""Default locations: the user data dir (platformdirs) and the shipped resources."""

from __future__ import annotations

from pathlib import Path

import platformdirs

import scribedesk


def default_data_dir() -> Path:
    """The service's data folder in the platform's user data dir."""
    return Path(platformdirs.user_data_dir("scribedesk", appauthor=False)) / "service"


def resources_dir() -> Path:
    """``resources/``: inside the installed package, or at the top of a source checkout."""
    packaged = Path(scribedesk.__file__).parent / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "resources"
