"""The start as the ``scribedesk`` command makes it (scribedesk.app.main, in a process of
its own, on the embedded local service): the live worklist is painted first, then the rest
of the desk is made, and Enter opens the job."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

STARTED = r"""
import json, sys, time
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

app = QApplication([])
facts = {}


class Paints(QObject):  # what the worklist showed when it was painted live
    def eventFilter(self, watched, event):
        window = self.window
        if event.type() == QEvent.Type.Paint and "live" not in facts:
            if window.connection.text().startswith("Connected"):
                facts["live"] = {
                    "jobs": [job.id for job in window.model.jobs],
                    "menus": [action.text() for action in window.menuBar().actions()],
                    "top": window.list_page.mapTo(window, window.list_page.rect().topLeft()).y(),
                }
        return False


paints = Paints()


def done():
    print(json.dumps(facts), flush=True)
    app.exit(0)


def opened(window):
    if window.pages.currentWidget() is window.job_page and window.session is not None:
        facts["opened"] = window.session.job.id
        done()
    else:
        QTimer.singleShot(20, lambda: opened(window))


def whole(window):
    facts["menus"] = [action.text() for action in window.menuBar().actions()]
    QApplication.processEvents()  # the layout with the whole menu bar
    facts["top"] = window.list_page.mapTo(window, window.list_page.rect().topLeft()).y()
    if "claim" in sys.argv:  # the first start of the day: a job of mine for the next
        window.station.api.next_job()
        QTimer.singleShot(0, done)
        return
    QTest.keyClick(window.list_page.table, Qt.Key.Key_Return)  # the selected (first) job
    opened(window)


def poll():
    for window in app.topLevelWidgets():
        if type(window).__name__ == "MainWindow" and not hasattr(paints, "window"):
            paints.window = window
            window.list_page.table.viewport().installEventFilter(paints)
            window.worklist_ready.connect(lambda: QTimer.singleShot(0, lambda: whole(window)))
            return
    QTimer.singleShot(2, poll)


QTimer.singleShot(0, poll)
QTimer.singleShot(60_000, done)  # whatever happened by then is told
from scribedesk.app import main

main([])
"""


@pytest.fixture
def home(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A user's home of its own; the local service started in it is stopped after."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        **{n: str(tmp_path / n.lower()) for n in ("XDG_DATA_HOME", "XDG_CONFIG_HOME")},
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    yield env
    from scribedesk.client import local_service

    local_service.stop(Path(env["XDG_DATA_HOME"]) / "scribedesk" / "service")


def start(env: dict[str, str], *args: str) -> dict:  # type: ignore[type-arg]
    out = subprocess.run(
        [sys.executable, "-c", STARTED, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    assert lines, out.stderr[-3000:]
    return json.loads(lines[-1])


def test_the_live_worklist_is_painted_before_the_desk_is_made_and_enter_opens_a_job(home):
    first = start(home, "claim")  # starts the local service; takes a job for tomorrow
    assert "&Job" in first["menus"], first

    again = start(home)
    live = again["live"]
    assert live["jobs"], again  # the job in progress, as the service sent it
    assert "&Job" not in live["menus"]  # painted before the rest of the desk was made
    assert {"&File", "&Go", "&Job", "&Help"} <= set(again["menus"])  # then the whole desk
    assert again["top"] == live["top"] > 0  # the list did not move when the menus came
    assert again["opened"] == live["jobs"][0]  # Enter on the worklist opens its first job
