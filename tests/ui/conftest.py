"""UI test helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget


@pytest.fixture
def activate(qtbot, qapp) -> Callable[[QWidget], QWidget]:  # type: ignore[no-untyped-def]
    """Show a widget as the active window, so its keyboard shortcuts work.

    The offscreen platform does not activate windows by itself.
    """

    def show(widget: QWidget) -> QWidget:
        qtbot.addWidget(widget)
        widget.show()
        handle = widget.windowHandle()
        assert handle is not None
        handle.requestActivate()
        qtbot.waitUntil(widget.isActiveWindow)
        return widget

    return show


def open_window(
    url: str, home: Path, user: str = "tara", connect=None, reauthenticate=None, role=None
):  # type: ignore[no-untyped-def]
    """The real main window signed in to the service at ``url``, with its files in ``home``.

    With ``connect`` the window opens first and the templates come from ``connect()``, as
    when the app starts its embedded service behind the window.
    """
    from scribedesk.app import build_station, fetch_templates
    from scribedesk.client.api import ApiClient
    from scribedesk.config.settings import Settings
    from scribedesk.ui.bridge import ThreadBridge
    from scribedesk.ui.main_window import MainWindow

    api = ApiClient(url)
    api.login(user, "scribedesk")
    bridge = ThreadBridge()
    station = build_station(
        api,
        {} if connect else fetch_templates(api),
        user,
        Settings(home / "s.ini"),
        home / "data",
        home / "cache",
        bridge,
        audio_output="adummy",
        connect=connect,
        reauthenticate=reauthenticate,
    )
    from scribedesk.app import demo_role

    window = MainWindow(station, bridge, role or demo_role(user))
    bridge.outbox_outcome.connect(window.outbox_outcome)
    return window
