"""UI test helpers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication, QWidget


@pytest.fixture
def activate(qtbot, qapp) -> Callable[[QWidget], QWidget]:  # type: ignore[no-untyped-def]
    """Show a widget as the active window, so its keyboard shortcuts work.

    The offscreen platform does not activate windows by itself.
    """

    def show(widget: QWidget) -> QWidget:
        qtbot.addWidget(widget)
        widget.show()
        QApplication.setActiveWindow(widget)
        qtbot.waitUntil(widget.isActiveWindow)
        return widget

    return show
