"""Through the real window and service: a job stays yours, a waiting submission arrives.

The service clock is moved forward instead of waiting out leases, idle limits and the
sign-in's lifetime.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from scribedesk.server.db.models import TranscriptVersion
from tests.conftest import DEMO
from tests.support import Api
from tests.ui.conftest import open_window

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def signed_in_again() -> list[str]:
    """What the window's re-sign-in was asked to do."""
    return []


@pytest.fixture
def window(live, demo_users, qtbot, activate, tmp_path, signed_in_again):  # type: ignore[no-untyped-def]
    Api.login(live.url, "alex").upload(
        DEMO / "memo-pricing.wav", account="Internal", template_id="general-memo"
    )
    made: list[object] = []

    def reauthenticate() -> bool:
        signed_in_again.append("asked")
        made[0].station.api.login("tara", "scribedesk")  # type: ignore[attr-defined]
        return True

    made.append(open_window(live.url, tmp_path, reauthenticate=reauthenticate))
    window = made[0]
    activate(window)
    qtbot.waitUntil(lambda: window._answered, timeout=10_000)  # type: ignore[attr-defined]
    yield window
    window.close()  # type: ignore[attr-defined]
    window.station.writer.close()  # type: ignore[attr-defined]
    if window.station.player is not None:  # type: ignore[attr-defined]
        window.station.player.close()  # type: ignore[attr-defined]


def take_next_and_type(window, qtbot, words: str) -> int:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: window.workspace is not None and window.workspace.isVisible(), timeout=15_000
    )
    workspace = window.workspace
    qtbot.keyClicks(workspace.form.editors["subject"].focus_widget(), "Discount approvals")
    workspace.narrative.setFocus()
    qtbot.keyClicks(workspace.narrative, words)
    window.station.player.heard.ranges.add(0, window.station.player.duration_ms)
    return int(window.session.job_id)


@sqlite_only
def test_a_job_left_with_ctrl_w_stays_on_the_worklist_and_reopens(window, live, clock, qtbot):
    """Ctrl+W, an hour away (the lease long lapsed): the job is still on the worklist and
    Enter opens it again with the draft, no "already new"."""
    job_id = take_next_and_type(window, qtbot, "Approval needed above fifteen percent.")
    qtbot.keyClick(window.workspace.narrative, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=5_000)
    window.station.writer.flush(timeout=3)
    clock.advance(3600)
    first = window.workspace
    with qtbot.waitSignal(window.model.modelReset, timeout=5_000):  # the service's answer
        window.refresh()
    assert window.model.rowCount() == 1
    assert window.model.job(0).id == job_id
    window.worklist.table.setFocus()
    window.worklist.table.selectRow(0)
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not first, timeout=15_000)
    assert "Approval needed above fifteen percent." in window.workspace.narrative.toPlainText()
    assert "draft was restored" in window.statusBar().currentMessage()


@sqlite_only
def test_an_expired_sign_in_is_renewed_and_the_waiting_submission_arrives(
    window, live, clock, qtbot, signed_in_again
):
    """The submission meets an expired sign-in: the window signs in again by itself and the
    transcript arrives, once; nothing waits for a backoff."""
    take_next_and_type(window, qtbot, "Approval needed above fifteen percent. ")
    clock.advance(13 * 3600)  # past the 12 h sign-in and the 8 h idle limit
    qtbot.keyClick(
        window.workspace.narrative, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: window.session is None, timeout=5_000)
    with qtbot.waitSignal(window.bridge.outbox_outcome, timeout=10_000) as asked:
        window.station.outbox.run_once()
    assert asked.args[0].state == "sign_in"
    assert signed_in_again == ["asked"]
    with qtbot.waitSignal(window.bridge.outbox_outcome, timeout=10_000) as sent:
        window.station.outbox.run_once()
    assert sent.args[0].state == "sent", sent.args[0].message
    with live.state.read() as session:
        assert session.scalar(select(func.count(TranscriptVersion.id))) == 1
    qtbot.waitUntil(lambda: window.pending.text() == "", timeout=5_000)
    window.station.writer.flush(timeout=3)
    assert window.station.drafts.load(sent.args[0].job_id) is None


@sqlite_only
def test_a_waiting_submission_shows_as_sending_and_is_not_reopened(
    window, live, qtbot, monkeypatch
):
    """While its transcript waits in the outbox the job says so on the worklist; opening it
    says why instead of opening a second copy to type in."""
    import socket

    job_id = take_next_and_type(window, qtbot, "Approval needed above fifteen percent. ")
    window.station.api.base_url = "http://127.0.0.1:9"  # nothing listens: the send fails
    qtbot.keyClick(
        window.workspace.narrative, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: window.session is None, timeout=5_000)
    assert window.station.outbox.run_once()[0].state == "pending"
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", 9)) != 0
    window.station.api.base_url = live.url
    window.refresh()
    qtbot.waitUntil(
        lambda: window.model.rowCount() == 1 and window.model.job(0).sending,
        timeout=5_000,
    )
    from PySide6.QtWidgets import QMessageBox

    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: messages.append(text))
    window.open_job(window.model.job(0))
    qtbot.waitUntil(lambda: messages != [], timeout=5_000)
    assert f"Job {job_id} is submitted: its transcript waits in the outbox" in messages[0]
    assert window.pages.currentWidget() is window.worklist
