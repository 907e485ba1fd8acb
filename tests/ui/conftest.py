"""UI test helpers."""

from __future__ import annotations

from collections.abc import Callable

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
