"""The Qt binding keeps reference counts intact (PySide6 6.12.0 on Python 3.11 did not)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer


def test_void_qt_calls_keep_none_alive(qapp):
    """A thousand void calls leave None's reference count where it was.

    PySide6 6.12.0 released one reference to None per call returning nothing; the
    workstation aborted ("deallocating None") after a few thousand such calls.
    """
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(1000):
        QCoreApplication.processEvents()
        timer.start(1000)
        timer.stop()
    assert abs(sys.getrefcount(None) - before) < 50
