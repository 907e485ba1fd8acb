"""Kill -9 the workstation mid-typing; the next start restores the draft, cursor included."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scribedesk.client.payloads import parse_job
from tests.conftest import DEMO
from tests.support import Api
from tests.ui.conftest import open_window

TYPIST = r"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtTest import QTest
from tests.support import typist_window

app, window = typist_window(sys.argv[1], Path(sys.argv[2]), "tara")
editor = window.workspace.narrative
editor.setFocus()
for i in range(100000):
    word = f"w{i} "
    QTest.keyClicks(editor, word)
    app.processEvents()
    print(json.dumps([word.strip(), time.time()]), flush=True)
    time.sleep(0.02)
"""

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@sqlite_only
def test_killed_mid_typing_the_draft_comes_back_with_the_cursor(
    live, demo_users, qtbot, activate, tmp_path
):
    """SIGKILL while typing; reopening the job shows every word older than a second."""
    Api.login(live.url, "alex").upload(DEMO / "memo-pricing.wav", template_id="general-memo")
    claimed = Api.login(live.url, "tara").post("/jobs/next").json()
    env = {**os.environ, "PYTHONPATH": str(Path.cwd() / "src") + os.pathsep + str(Path.cwd())}
    child = subprocess.Popen(
        [sys.executable, "-c", TYPIST, live.url, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    typed: list[tuple[str, float]] = []
    deadline = time.time() + 60
    while len(typed) < 80 and time.time() < deadline:
        line = child.stdout.readline()
        if not line:
            pytest.fail(f"the workstation stopped early: {child.stderr.read()[-2000:]}")
        typed.append(tuple(json.loads(line)))  # type: ignore[arg-type]
    os.kill(child.pid, signal.SIGKILL)
    killed_at = time.time()
    child.wait()

    window = activate(open_window(live.url, tmp_path))
    window.open_job(parse_job(claimed))
    qtbot.waitUntil(
        lambda: window.workspace is not None and window.workspace.isVisible(), timeout=15_000
    )
    restored = window.workspace.narrative.toPlainText()
    old_enough = [word for word, at in typed if at < killed_at - 1.0]
    assert len(old_enough) > 30
    assert [w for w in old_enough if w not in restored.split()] == []
    assert window.workspace.narrative.textCursor().position() == len(restored)
    assert "draft was restored" in window.statusBar().currentMessage()
    window.close()
    window.station.writer.close()
