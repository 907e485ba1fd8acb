"""The real main window against the real service on loopback: the transcriptionist's day.

Sign in, take the next job with Ctrl+N, play it with the real libvlc (dummy output), fill
fields, type the narrative with an expansion and a marker, find the draft on disk, submit,
and see exactly one transcript arrive at the service.
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
def window(live, demo_users, qtbot, activate, tmp_path):  # type: ignore[no-untyped-def]
    alex = Api.login(live.url, "alex")
    alex.upload(
        DEMO / "memo-pricing.wav", account="Internal", template_id="general-memo", priority="stat"
    )
    alex.upload(
        DEMO / "survey-harbor.mp3",
        account="Harbor Freight Lines",
        template_id="customer-satisfaction-survey",
    )
    made = open_window(live.url, tmp_path)
    activate(made)
    yield made
    made.close()
    made.station.writer.close()
    if made.station.player is not None:
        made.station.player.close()


@pytest.fixture
def confirmed(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer Yes to "Submit with warnings?" (a modal dialog); the questions asked."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def question(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@sqlite_only
def test_take_type_save_and_submit_exactly_once(window, live, qtbot, confirmed):
    """The whole job by keyboard: next job, play, fields, narrative, draft, submit once."""
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: window.workspace is not None and window.workspace.isVisible(), timeout=15_000
    )
    workspace = window.workspace
    assert "STAT" in workspace.header.text()  # the STAT job came first
    player = window.station.player
    window.transport.press(window.transport_action("play_toggle"), "key")
    qtbot.waitUntil(lambda: player.position_ms > 300, timeout=5_000)
    workspace.form.editors["subject"].focus_widget().setFocus()
    qtbot.keyClicks(workspace.form.editors["subject"].focus_widget(), "Discount approvals")
    workspace.narrative.setFocus()
    qtbot.keyClicks(workspace.narrative, "From Monday the nxs are")
    qtbot.keyClick(workspace.narrative, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(workspace.narrative, "approval by the the regional director. ")
    text = workspace.narrative.toPlainText()
    assert "next steps are [inaudible 00:00:0" in text
    job_id = window.session.job_id
    qtbot.waitUntil(
        lambda: (
            (window.station.drafts.load(job_id) or object()).__dict__.get("narrative", "") == text
        ),
        timeout=3_000,
    )
    # Not heard to the end yet: the check blocks the submission and says what is missing.
    qtbot.keyClick(workspace.narrative, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: workspace.findings.isVisible(), timeout=5_000)
    assert "Cannot submit yet" in window.statusBar().currentMessage()
    rules = {f.rule for f in workspace.findings.report.errors}
    assert rules == {"audio-coverage"}
    assert window.session is not None and not window.session.submitted_key
    player.set_rate(2.0)  # listen to the rest at double speed
    qtbot.waitUntil(lambda: not player.playing, timeout=20_000)  # to the end
    with qtbot.waitSignal(window.bridge.outbox_outcome, timeout=10_000) as outcome:
        qtbot.keyClick(workspace.narrative, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.session is None, timeout=5_000)
        window.station.outbox.run_once()
    assert outcome.args[0].state == "sent"
    assert len(confirmed) == 1 and "repeated" in confirmed[0]  # the warning was confirmed once
    assert window.pages.currentWidget() is window.worklist
    with live.state.read() as session:
        versions = session.scalars(select(TranscriptVersion)).all()
    assert len(versions) == 1 and versions[0].narrative == text
    report = versions[0].quality_report  # the service's own run, with the confirmation
    assert [f["rule"] for f in report["findings"]] == ["repeated-word"]
    assert report["acknowledged"] == [report["findings"][0]["key"]]
    assert versions[0].fields["subject"] == "Discount approvals"
    window.station.outbox.run_once()
    with live.state.read() as session:
        assert session.scalar(select(func.count(TranscriptVersion.id))) == 1


@sqlite_only
def test_new_stat_job_is_announced(window, live, qtbot, monkeypatch):
    """The pool count shows on the worklist; a new STAT job raises a notification."""
    notes: list[str] = []
    monkeypatch.setattr(window, "notify", lambda title, text: notes.append(title))
    qtbot.waitUntil(lambda: "1 STAT" in window.worklist.pool.text(), timeout=10_000)
    Api.login(live.url, "alex").upload(
        DEMO / "memo-trade-show.m4a", template_id="general-memo", priority="stat"
    )
    window.refresh()
    qtbot.waitUntil(lambda: "2 STAT" in window.worklist.pool.text(), timeout=10_000)
    assert notes == ["New STAT dictation"]


@sqlite_only
def test_submit_while_the_service_is_down_arrives_once_when_it_is_back(
    window, live, qtbot, settings, confirmed
):
    """Service stopped, Ctrl+Enter: the submission waits (shown); service back: one transcript."""
    from tests.support import serve_on, wait_closed

    qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: window.workspace is not None and window.workspace.isVisible(), timeout=15_000
    )
    workspace = window.workspace
    qtbot.keyClicks(workspace.form.editors["subject"].focus_widget(), "Discount approvals")
    workspace.narrative.setFocus()
    qtbot.keyClicks(workspace.narrative, "Approval needed above fifteen percent. ")
    # What this test is about is the outbox, not listening: mark the audio as heard.
    window.station.player.heard.ranges.add(0, window.station.player.duration_ms)
    port = int(live.url.rsplit(":", 1)[1])
    live.server.should_exit = True
    wait_closed(port)
    qtbot.keyClick(workspace.narrative, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.session is None, timeout=5_000)
    assert window.station.outbox.run_once()[0].state == "pending"
    qtbot.waitUntil(
        lambda: window.pending.text().startswith("1 submission waiting to be sent: Cannot reach"),
        timeout=5_000,
    )
    server, thread = serve_on(settings, port)
    try:
        window.station.outbox.retry_now()  # no need to wait out the backoff
        with qtbot.waitSignal(window.bridge.outbox_outcome, timeout=10_000) as outcome:
            window.station.outbox.run_once()
        assert outcome.args[0].state == "sent"
        state = server.config.app.state.scribedesk
        with state.read() as session:
            assert session.scalar(select(func.count(TranscriptVersion.id))) == 1
        qtbot.waitUntil(lambda: window.pending.text() == "", timeout=5_000)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@sqlite_only
def test_the_saved_worklist_shows_before_the_service_answers(live, demo_users, qtbot, tmp_path):
    """A restart shows yesterday's jobs at once; a job opened while connecting opens when
    the service answers."""
    import threading

    from scribedesk.app import fetch_templates

    Api.login(live.url, "alex").upload(
        DEMO / "memo-pricing.wav", account="Internal", template_id="general-memo"
    )
    first = open_window(live.url, tmp_path)
    qtbot.addWidget(first)
    with qtbot.waitSignal(first.worklist_ready, timeout=10_000):
        pass
    first.next_job()
    qtbot.waitUntil(lambda: first.workspace is not None, timeout=15_000)
    first.back()
    qtbot.waitUntil(lambda: first.model.rowCount() == 1, timeout=5_000)
    qtbot.wait(300)  # the worklist is saved in the background
    first.close()
    first.station.writer.close()

    release = threading.Event()

    def connect():  # type: ignore[no-untyped-def]
        release.wait(20)
        return fetch_templates(second.station.api)

    second = open_window(live.url, tmp_path, connect=connect)
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: second.model.rowCount() == 1, timeout=5_000)
    assert second.connection.text() == "Connecting…"
    second.open_job(second.model.job(0))
    assert "opens as soon as the service answers" in second.statusBar().currentMessage()
    assert second.workspace is None
    release.set()
    qtbot.waitUntil(lambda: second.workspace is not None, timeout=15_000)
    assert second.connection.text().startswith("Connected")
    assert "general-memo" in second.station.templates
    second.close()
    second.station.writer.close()


@sqlite_only
def test_audio_heard_before_leaving_a_job_still_counts_when_it_is_reopened(window, qtbot):
    """Listen, go back to the worklist, reopen: the coverage check still knows what was heard."""
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15_000)
    player, job = window.station.player, window.session.job
    window.transport.press(window.transport_action("play_toggle"), "key")
    qtbot.waitUntil(lambda: player.heard.ranges.heard_ms() > 1_000, timeout=5_000)
    window.transport.release(window.transport_action("play_toggle"), "key")
    window.transport.press(window.transport_action("play_toggle"), "key")  # pause
    qtbot.waitUntil(lambda: not player.playing, timeout=2_000)
    listened = list(player.heard.ranges.spans)
    window.back()
    window.station.writer.flush(timeout=3)
    heard = window.station.drafts.load(job.id).heard
    assert heard == listened and heard[0][1] > 1_000  # up to the pause, none of it lost
    first = window.workspace
    window.open_job(job)
    qtbot.waitUntil(lambda: window.workspace is not first, timeout=15_000)
    assert player.heard.ranges.spans == heard


@sqlite_only
def test_transport_hotkeys_never_type_into_the_fields(window, qtbot):
    """Ctrl+Alt+= / - / 0 change the speed through the global hotkeys; the guard the app
    installs keeps them from also typing "=", "-", "0" into the narrative or a field."""
    from scribedesk.app import guard_hotkeys, hotkey_preset

    remove = guard_hotkeys(hotkey_preset(window.station.settings))
    try:
        qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=15_000)
        narrative = window.workspace.narrative
        narrative.setFocus()
        chord = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        for key in (Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_0, Qt.Key.Key_P):
            qtbot.keyClick(narrative, key, chord)
        assert narrative.toPlainText() == ""
        qtbot.keyClicks(narrative, "a=b-0")  # the same keys without the chord still type
        assert narrative.toPlainText() == "a=b-0"
    finally:
        remove()


@sqlite_only
def test_a_word_added_to_the_team_dictionary_is_known_after_a_restart(window, qtbot, tmp_path):
    """ "Add to the team dictionary" in the narrative's menu keeps the word for the next
    start: a window built again from the same settings does not flag it."""
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15_000)
    checker = window.station.checker
    if checker.dictionary is None:
        pytest.skip("no Hunspell dictionary here: every word is accepted")
    assert not checker.is_correct("Zyxcorp")
    window.workspace.narrative._learn("Zyxcorp")  # what the menu action does
    assert checker.is_correct("Zyxcorp")
    again = open_window(window.station.api.base_url.removesuffix("/api/v1"), tmp_path)
    qtbot.addWidget(again)
    assert again.station.checker.is_correct("Zyxcorp")
    again.station.writer.close()


@sqlite_only
def test_the_mark_hotkey_puts_a_timestamp_in_the_narrative(window, qtbot):
    """Ctrl+Alt+M (the Mark action, from a hotkey or a pedal) inserts [hh:mm:ss] at the
    audio's position where the cursor is."""
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15_000)
    narrative = window.workspace.narrative
    qtbot.keyClicks(narrative, "Pricing")
    window.station.player.seek_ms(4_000)
    qtbot.waitUntil(lambda: window.station.player.position_ms >= 4_000, timeout=5_000)
    window.transport.press(window.transport_action("mark"), "key")
    assert narrative.toPlainText() == "Pricing [00:00:04] "


@sqlite_only
def test_the_text_size_applies_to_every_field_and_at_start(window, qtbot):
    """Settings' text size is the whole window's (search, worklist, fields), not only the
    narrative's; the app applies the saved size at start with the same call."""
    from PySide6.QtWidgets import QApplication

    from scribedesk.config.settings import Key
    from scribedesk.ui.dialogs.settings import apply_settings
    from scribedesk.ui.theme import apply_text_size

    before = QApplication.font().pointSize()
    settings = window.station.settings
    settings.set(Key.FONT_SIZE, before + 5)
    try:
        apply_settings(settings, window.station, window.transport, window.workspace)
        qtbot.waitUntil(lambda: window.worklist.search.font().pointSize() == before + 5)
        assert window.worklist.table.font().pointSize() == before + 5
    finally:
        apply_text_size(before)


@sqlite_only
def test_the_saved_pedal_mapping_is_used_at_start_and_after_settings(
    live, demo_users, qtbot, tmp_path
):
    """Settings → Pedal mapping drives the pedals: read when the window is built, and
    applied again when Settings closes, without a restart."""
    from scribedesk.config.settings import Key, Settings
    from scribedesk.playback.inputs import Pedal
    from scribedesk.playback.transport import Action
    from scribedesk.ui.dialogs.settings import apply_settings

    settings = Settings(tmp_path / "s.ini")
    settings.set(Key.PEDAL_MAPPING, {"left": "play_toggle", "middle": "stop", "right": "mark"})
    made = open_window(live.url, tmp_path)
    qtbot.addWidget(made)
    if made.router is None:
        pytest.skip("no player here, so no pedals")
    assert made.router.pedals[Pedal.LEFT] is Action.PLAY_TOGGLE
    assert made.router.pedals[Pedal.RIGHT] is Action.MARK
    made.station.settings.set(
        Key.PEDAL_MAPPING, {"left": "rewind", "middle": "play_hold", "right": "fast_forward"}
    )
    apply_settings(made.station.settings, made.station, made.transport, None, made.router)
    assert made.router.pedals[Pedal.LEFT] is Action.REWIND
    made.station.writer.close()


@sqlite_only
def test_names_of_this_job_are_never_flagged_and_a_word_can_be_ignored_here(window, qtbot):
    """A name typed into a field stops being underlined in the narrative; "Ignore in this
    job" clears another word for this job only."""
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15_000)
    spell = window.workspace.narrative.highlighter
    if window.station.checker.dictionary is None:
        pytest.skip("no Hunspell dictionary here: every word is accepted")
    assert spell.flags("Zyxwell") and spell.flags("Qorvath")
    editor = next(iter(window.workspace.form.editors.values()))
    editor.set_value("Zyxwell Partners")
    qtbot.waitUntil(lambda: not spell.flags("Zyxwell"), timeout=5_000)
    spell.exempt_names(["Qorvath"])  # what "Ignore “Qorvath” in this job" does
    assert not spell.flags("Qorvath")
    assert window.station.checker.is_correct("Qorvath") is False  # not beyond this job
