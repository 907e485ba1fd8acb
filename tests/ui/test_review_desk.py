"""The supervisor's and the reviewed transcriptionist's desks in the real window, against
the real service, by keyboard: claim a review, correct, classify, submit; read the
feedback and dispute an error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from scribedesk.domain.dictation import Priority
from scribedesk.domain.roles import Role
from scribedesk.domain.sampling import SamplingPolicy
from tests.conftest import LiveServer, running_live_server
from tests.server.test_dispatch import body, make_jobs
from tests.support import Api
from tests.ui.conftest import open_window

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """A failure would open a modal box; record it instead, and fail the test on it."""
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: said.append(text))
    yield said
    assert said == []


@pytest.fixture
def reviewing(settings, clock, demo_users) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    with running_live_server(settings.with_overrides(sampling=SamplingPolicy()), clock) as running:
        yield running


def submit_one(live: LiveServer) -> int:
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    job = tara.post("/jobs/next").json()
    narrative = "From Monday any discount above fifteen percent needs approval from Dana."
    answer = tara.post(
        f"/jobs/{job_id}/submit",
        json=body(job["lease_token"], narrative=narrative),
        headers={"Idempotency-Key": "one"},
    )
    assert answer.json()["status"] == "in_review"
    return job_id


def test_a_supervisor_reviews_by_keyboard(reviewing, qtbot, activate, tmp_path):
    job_id = submit_one(reviewing)
    window = open_window(reviewing.url, tmp_path, "sam")
    activate(window)
    assert window.role is Role.SUPERVISOR
    with qtbot.waitSignal(window.team_page.loaded, timeout=20_000) as shown:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert [m.username for m in shown.args[0].members] == ["tara", "theo"]
    assert window.team_page.people.item(0, 4).text() == "1"  # tara: done today
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    page = window.review_page
    assert window.pages.currentWidget() is page
    qtbot.keyClick(page, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: page.work is not None, timeout=20_000)
    assert page.narrative.hasFocus()
    editor = page.narrative
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.movePosition(cursor.MoveOperation.Left, n=len("Dana."))
    cursor.movePosition(cursor.MoveOperation.Right, cursor.MoveMode.KeepAnchor, n=len("Dana"))
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "Donna")
    qtbot.waitUntil(lambda: page.differences.count() == 1, timeout=5000)
    assert "Dana. → Donna." in page.differences.item(0).text()
    assert "<s" in page.diff.toHtml() or "line-through" in page.diff.toHtml()
    page.differences.setFocus()
    qtbot.keyClick(page.differences, Qt.Key.Key_1)
    assert page.differences.item(0).text().startswith("[CRITICAL")
    assert page.score.text().startswith("Score: 97 (fails")
    page.feedback.setFocus()
    qtbot.keyClicks(page.feedback, "Check names against the CRM.")
    with qtbot.waitSignal(page.completed, timeout=20_000) as done:
        qtbot.keyClick(page, Qt.Key.Key_Return, CTRL)
    assert done.args[0].score["score"] == 97
    sam = Api.login(reviewing.url, "sam")
    assert sam.get(f"/dictations/{job_id}").json()["status"] == "reviewed"
    [stored] = sam.get("/reviews", params={"status": "done"}).json()
    assert stored["feedback"] == "Check names against the CRM."
    assert stored["errors"][0]["words"] == "Donna."
    assert stored["errors"][0]["kind"] == "substitution"
    window.close()
    window.station.writer.close()


def test_a_transcriptionist_reads_feedback_and_disputes(reviewing, qtbot, activate, tmp_path):
    submit_one(reviewing)
    sam = Api.login(reviewing.url, "sam")
    review = sam.post("/reviews/next").json()
    sam.post(
        f"/reviews/{review['id']}/complete",
        json={
            "lease_token": review["lease_token"],
            "fields": review["submitted"]["fields"],
            "narrative": review["submitted"]["narrative"].replace("Dana", "Donna"),
            "errors": [{"severity": "critical", "category": "contact", "words": "Donna"}],
            "feedback": "Names!",
        },
    )
    window = open_window(reviewing.url, tmp_path, "tara")
    activate(window)
    page = window.feedback_page
    page._ask = lambda *_a: ("The rep said Dana.", True)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert "97 failed" in page.list.item(0).text()
    qtbot.waitUntil(lambda: page.errors.count() == 1, timeout=10_000)
    assert "Names!" in page.summary.text()
    page.errors.setCurrentRow(0)
    page.errors.setFocus()
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.keyClick(page.errors, Qt.Key.Key_D)
    [mine] = Api.login(reviewing.url, "tara").get("/reviews/mine").json()
    assert mine["errors"][0]["status"] == "disputed"
    assert mine["errors"][0]["dispute"]["reason"] == "The rep said Dana."
    window.close()
    window.station.writer.close()


def test_a_supervisor_decides_a_dispute_by_keyboard(reviewing, qtbot, activate, tmp_path):
    """Ctrl+D lists the open disputes; W withdraws one with a note and the score is
    computed again on the service."""
    submit_one(reviewing)
    sam = Api.login(reviewing.url, "sam")
    review = sam.post("/reviews/next").json()
    sam.post(
        f"/reviews/{review['id']}/complete",
        json={
            "lease_token": review["lease_token"],
            "fields": review["submitted"]["fields"],
            "narrative": review["submitted"]["narrative"].replace("Dana", "Donna"),
            "errors": [{"severity": "critical", "category": "contact", "words": "Donna"}],
        },
    )
    tara = Api.login(reviewing.url, "tara")
    tara.post(f"/reviews/{review['id']}/errors/1/dispute", json={"reason": "It is Dana."})
    window = open_window(reviewing.url, tmp_path, "sam")
    activate(window)
    window.show_page(window.review_page)
    dialog = window.review_page.open_disputes()
    dialog._ask = lambda *_a: ("The audio says Dana.", True)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10_000)
    assert "“It is Dana.”" in dialog.list.item(0).text()
    with qtbot.waitSignal(dialog.decided, timeout=10_000) as decided:
        qtbot.keyClick(dialog.list, Qt.Key.Key_W)
    assert decided.args[0].score["score"] == 100
    qtbot.waitUntil(lambda: dialog.list.count() == 0, timeout=10_000)
    stored = Api.login(reviewing.url, "sam").get(f"/reviews/{review['id']}").json()
    assert stored["errors"][0]["status"] == "withdrawn"
    assert stored["errors"][0]["dispute"]["note"] == "The audio says Dana."
    dialog.close()
    window.close()
    window.station.writer.close()
