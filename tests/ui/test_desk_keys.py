"""The desk's menus, help and transport keys through the real window and service: the
menu bar lists every action, F1 opens the guide at the page's section, Ctrl+/ lists the
keys; in a job Tab follows the form then the narrative, F6 switches, Ctrl+G goes to a
typed time, Ctrl+Alt+R replays, the position shows tenths, the pedal indicator lights,
and the dark theme reaches the transport bar."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from scribedesk.playback.pedals.layouts import Pedal
from scribedesk.playback.pedals.manager import EventKind, PedalDevice, PedalEvent
from tests.conftest import DEMO
from tests.support import Api
from tests.ui.conftest import open_window

CTRL, ALT, SHIFT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ShiftModifier,
)
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def window(live, demo_users, qtbot, activate, tmp_path):  # type: ignore[no-untyped-def]
    Api.login(live.url, "alex").upload(DEMO / "acme-renewal.mp3", account="Acme Logistics")
    made = open_window(live.url, tmp_path)
    activate(made)
    yield made
    made.close()
    made.station.writer.close()
    if made.station.player is not None:
        made.station.player.close()


def opened(window: Any, qtbot: Any) -> Any:
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(
        lambda: window.workspace is not None and window.workspace.isVisible(), timeout=15_000
    )
    return window.workspace


def test_the_menu_bar_lists_every_action_with_its_key(window):
    bar = window.menuBar()
    menus = [a.menu() for a in bar.actions() if a.menu() is not None]
    titles = [a.text().replace("&", "") for a in bar.actions()]
    assert titles[:5] == ["File", "Go", "Job", "Playback", "Help"]
    entries = {a.text().replace("&", "") for menu in menus for a in menu.actions() if a.text()}
    for expected in (
        "Settings…\tCtrl+,",
        "Submit\tCtrl+Enter",
        "Return the job…\tCtrl+Shift+R",
        "Play / pause\tCtrl+Alt+P",
        "Mark: a timestamp in the narrative\tCtrl+Alt+M",
        "Go to a time…",
        "Help for this page",
    ):
        assert expected in entries, expected


def test_f1_opens_the_guide_at_the_page_and_ctrl_slash_lists_the_keys(window, qtbot):
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "help_dialog", None) is not None, timeout=5000)
    dialog = window.help_dialog
    assert dialog.section == "Worklist"
    assert "Worklist" in dialog.browser.textCursor().block().text()
    assert "Ctrl+N" in dialog.browser.toPlainText()
    dialog.close()
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_Slash, CTRL)
    qtbot.waitUntil(lambda: getattr(window, "shortcuts_dialog", None) is not None, timeout=5000)
    text = window.shortcuts_dialog.browser.toPlainText()
    for line in ("Ctrl+N", "Ctrl+Alt+P", "Go to a time", "Ctrl+/", "Feedback"):
        assert line in text, line
    window.shortcuts_dialog.close()


def test_tab_f6_go_to_time_replay_tenths_and_the_pedal_light(window, qtbot):
    workspace = opened(window, qtbot)
    form = workspace.form
    # Tab: the whole form top to bottom, then the narrative, then the actions.
    chain = form.focus_chain()
    last = chain[-1]
    # The offscreen platform drops the activation when the page changes (a real X server
    # keeps it, the narrative focused); focus needs the active window.
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    last.setFocus()
    qtbot.waitUntil(last.hasFocus, timeout=3000)
    qtbot.keyClick(last, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert workspace.narrative.hasFocus(), (type(focused).__name__, type(chain[-1]).__name__)
    contacts = form.editors["contacts"]
    assert chain.index(contacts.rows[0].role) < chain.index(
        form.editors["meeting_date"].focus_widget()
    )
    # F6 from the narrative to the form and back.
    qtbot.keyClick(workspace.narrative, Qt.Key.Key_F6)
    assert form.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert workspace.narrative.hasFocus()
    qtbot.keyClick(workspace.narrative, Qt.Key.Key_F6, SHIFT)  # the first field with a problem
    assert QApplication.focusWidget() is form.editors["account"].focus_widget()
    # Ctrl+G: a typed time; the position shows tenths.
    player = window.station.player
    window.job_page._ask_text = lambda *_a: ("0:12.5", True)
    qtbot.keyClick(workspace.narrative, Qt.Key.Key_G, CTRL)
    qtbot.waitUntil(lambda: abs(player.position_ms - 12_500) < 300, timeout=5000)
    window.job_page.show_position()
    assert workspace.transport.position.text().startswith("00:00:12.")
    window.job_page._ask_text = lambda *_a: ("twelve", True)
    qtbot.keyClick(workspace.narrative, Qt.Key.Key_G, CTRL)
    assert "is not a time" in window.statusBar().currentMessage()
    # Ctrl+Alt+R: the last seconds again, playing.
    qtbot.keyClick(workspace.narrative, Qt.Key.Key_R, CTRL | ALT)
    qtbot.waitUntil(lambda: player.playing, timeout=5000)
    assert player.position_ms < 12_000
    player.pause()
    # The pedal indicator lights while a pedal is held.
    device = PedalDevice(0x05F3, 0x00FF, b"path", "VEC Infinity IN-USB-2")
    router = window.router
    router.pedal(PedalEvent(EventKind.CONNECTED, device=device))
    router.pedal(PedalEvent(EventKind.PRESSED, pedal=Pedal.MIDDLE, device=device))
    assert "▼ middle" in workspace.transport.pedal.text()
    router.pedal(PedalEvent(EventKind.RELEASED, pedal=Pedal.MIDDLE, device=device))
    assert workspace.transport.pedal.text() == "Pedal: VEC Infinity IN-USB-2"
    player.pause()


def test_the_dark_theme_reaches_the_open_job(window, qtbot):
    from scribedesk.ui.theme import apply_theme

    workspace = opened(window, qtbot)
    try:
        apply_theme("dark")
        qtbot.waitUntil(lambda: workspace.transport.waveform._image is not None, timeout=2000)
        label = workspace.transport.position
        qtbot.waitUntil(
            lambda: label.palette().color(label.foregroundRole()).lightness() > 180, timeout=3000
        )
        image = workspace.transport.waveform._image
        assert image.pixelColor(2, 2).lightness() < 80  # the strip is dark, not a bright band
    finally:
        apply_theme("light")


def test_a_maximised_window_keeps_each_label_beside_its_field(window, qtbot):
    """At 1920x1080 every label sits level with the top of its field (no row stretched
    so that a label floats above a text box), and a date field shows its whole hint."""
    workspace = opened(window, qtbot)
    window.resize(1920, 1080)
    form = workspace.form
    layout = form.layout()
    qtbot.waitUntil(lambda: window.width() >= 1900 and form.width() > 700, timeout=5000)
    for editor in form.editors.values():
        label = layout.labelForField(editor.parentWidget())
        box = editor.focus_widget()  # the box one types in, not its container
        top = box.mapTo(form, box.rect().topLeft()).y()
        assert abs(label.geometry().top() - top) <= 8, label.text()
    date = form.editors["meeting_date"].edit
    assert date.width() >= date.fontMetrics().horizontalAdvance(date.placeholderText())


def test_my_history_lists_what_i_submitted_and_opens_a_read_only_copy(
    live, demo_users, qtbot, activate, tmp_path
):
    from scribedesk.domain.dictation import Priority
    from tests.server.test_dispatch import body, make_jobs

    [job_id] = make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    lease = tara.post("/jobs/next").json()["lease_token"]
    narrative = "From Monday any discount above fifteen percent needs approval."
    tara.post(
        f"/jobs/{job_id}/submit",
        json=body(lease, narrative=narrative),
        headers={"Idempotency-Key": "history-1"},
    ).raise_for_status()
    assert Api.login(live.url, "theo").get("/jobs/history").json() == []
    window = open_window(live.url, tmp_path)
    activate(window)
    page = window.history_page
    with qtbot.waitSignal(page.loaded, timeout=20_000) as shown:
        qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    [item] = shown.args[0]
    assert item.job.id == job_id and item.version >= 1
    assert page.table.item(0, 5).text() == "submitted"
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(page, "copy", None) is not None, timeout=10_000)
    assert page.copy.narrative.toPlainText() == narrative
    assert page.copy.narrative.isReadOnly() and not page.copy.form.isEnabled()
    assert page.copy.form.values()["subject"] == "Discount approvals"
    page.copy.close()
    saved = tmp_path / "memo.docx"
    page._save_path = lambda *_a: (str(saved), "")
    window.windowHandle().requestActivate()  # the copy's dialog had the activation
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(saved.exists, timeout=10_000)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert narrative in text
    window.close()
    window.station.writer.close()


def test_a_submitted_job_shows_sending_at_once_and_draft_saved_clears(
    live, demo_users, qtbot, activate, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    Api.login(live.url, "alex").upload(
        DEMO / "memo-pricing.wav", account="Internal", template_id="general-memo"
    )
    window = open_window(live.url, tmp_path)
    activate(window)
    workspace = opened(window, qtbot)
    job_id = workspace.job.id
    qtbot.keyClicks(workspace.form.editors["subject"].focus_widget(), "Discount approvals")
    workspace.narrative.setFocus()
    qtbot.keyClicks(workspace.narrative, "Approval needed above fifteen percent. ")
    window.station.player.heard.ranges.add(0, window.station.player.duration_ms)
    qtbot.waitUntil(lambda: window.saved.text() != "", timeout=10_000)
    window.station.outbox.stop()  # the outbox does not send yet: the row must not wait for it
    qtbot.keyClick(workspace.narrative, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.session is None, timeout=10_000)
    row = window.model.row_of(job_id)
    assert row is not None
    status = window.model.data(window.model.index(row, 7))
    assert status == "sending"
    assert window.saved.text() == ""
    window.close()
    window.station.writer.close()


def test_a_notification_sounds_only_when_the_setting_is_on(window, monkeypatch):
    from scribedesk.config.settings import Key

    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", lambda: beeps.append(1))
    window.notify("Job assigned to you", "Job 7 is on your worklist.")
    assert beeps == []
    window.station.settings.set(Key.NOTIFY_SOUND, True)
    window.notify("Job assigned to you", "Job 8 is on your worklist.")
    assert beeps == [1]
    assert "Job 8" in window.statusBar().currentMessage()
