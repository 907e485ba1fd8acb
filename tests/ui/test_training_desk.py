"""The trainee's and the trainer's desks in the real window, against the real service, by
keyboard: work through a curriculum with instant scored results, get certified, then
claim production work; the trainer's grid, certification and promotion of a reviewed
transcript into the library."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt

from scribedesk.domain.dictation import Priority
from scribedesk.domain.roles import Role
from tests.conftest import DEMO, LiveServer
from tests.server.test_dispatch import make_jobs
from tests.server.test_reviews import claim, completion, submitted
from tests.server.test_training import MANIFEST, add_exercise
from tests.support import Api
from tests.ui.conftest import open_window

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
MEMO = MANIFEST["memo-pricing.wav"]


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Warnings would open a modal box: recorded instead (the test fails on one);
    "Submit with warnings?" is answered Yes."""
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: said.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    yield said
    assert said == []


def curriculum(live: LiveServer) -> dict[str, Any]:
    """One memo exercise in a curriculum assigned to trey."""
    tess = Api.login(live.url, "tess")
    memo = add_exercise(tess, "memo-pricing.wav")
    made = tess.post(
        "/training/curricula",
        json={
            "name": "Memos",
            "steps": [{"exercise_id": memo["id"], "pass_mark": 98}],
            "rule": {"last_exercises": 1, "no_critical_last": 1, "min_pace": 0},
        },
    ).json()
    trey_id = next(p["id"] for p in tess.get("/training/people").json() if p["username"] == "trey")
    enrolment = tess.post(
        "/training/enrolments", json={"curriculum_id": made["id"], "user_id": trey_id}
    ).json()
    return {"tess": tess, "enrolment": enrolment, "exercise": memo}


def do_exercise(window: Any, qtbot: Any, narrative: str) -> Any:
    """Ctrl+N opens the exercise; the fields and the narrative are typed; Ctrl+Return
    submits; the outbox sends it; the scored result comes forward."""
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(
        lambda: window.workspace is not None and window.workspace.isVisible(), timeout=15_000
    )
    workspace = window.workspace
    assert workspace.job.training and "TRAINING" in workspace.header.text()
    assert not workspace.return_button.isVisible()
    workspace.form.set_values(MEMO["fields"])
    workspace.narrative.setFocus()
    qtbot.keyClicks(workspace.narrative, narrative)
    window.station.player.heard.ranges.add(0, window.station.player.duration_ms)
    qtbot.keyClick(workspace.narrative, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.session is None, timeout=10_000)
    page = window.training_page
    with qtbot.waitSignal(page.result_shown, timeout=20_000) as shown:
        window.station.outbox.run_once()
    assert window.pages.currentWidget() is page
    return shown.args[0]


def test_a_trainee_works_through_the_curriculum_is_certified_and_only_then_claims(
    live, demo_users, qtbot, activate, tmp_path
):
    alex = Api.login(live.url, "alex")
    production = alex.upload(
        DEMO / "memo-pricing.wav", account="Internal", template_id="general-memo"
    ).json()
    setup = curriculum(live)
    trey = Api.login(live.url, "trey")
    for refused in (
        trey.post("/jobs/next"),
        trey.get(f"/dictations/{production['id']}"),
        trey.get(f"/dictations/{production['id']}/audio"),
    ):
        assert refused.status_code == 403 and "training" in refused.json()["detail"]

    window = open_window(live.url, tmp_path, "trey")
    activate(window)
    assert window.role is Role.TRAINEE and window.worklist.training_only
    qtbot.waitUntil(lambda: window.model.total == 1, timeout=15_000)
    assert window.model.data(window.model.index(0, 0)) == "TRAINING"
    assert "Training" in window.worklist.pool.text()

    words = MEMO["script"].split()
    first = do_exercise(window, qtbot, " ".join(words[:-16]))  # the end left out
    assert not first.detail.score["passed"]
    page = window.training_page
    assert page.view.errors.count() >= 1 and "left out" in page.view.errors.item(0).text()
    assert "not passed" in page.view.summary.text()
    gold, typed = first.side_by_side()
    assert "<u" in gold and "approval" in typed
    page.view.errors.setCurrentRow(0)
    page.view.errors.setFocus()
    qtbot.keyClick(page.view.errors, Qt.Key.Key_Return)  # plays from just before the error
    qtbot.waitUntil(lambda: window.station.player.playing, timeout=10_000)
    window.station.player.pause()

    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)  # back to the worklist: attempt 2 waits
    qtbot.waitUntil(lambda: window.model.total == 1, timeout=15_000)
    qtbot.waitUntil(lambda: "attempt 2" in window.model.job(0).title, timeout=15_000)
    second = do_exercise(window, qtbot, MEMO["script"])
    assert second.detail.score["passed"] and second.detail.score["score"] == 100
    assert "No errors" in page.view.errors.item(0).text()
    qtbot.waitUntil(lambda: "holds" in page.rule.text(), timeout=10_000)
    window.close()
    window.station.writer.close()

    tess = setup["tess"]
    certified = tess.post(f"/training/enrolments/{setup['enrolment']['id']}/certify")
    assert certified.status_code == 200, certified.text
    again = open_window(live.url, tmp_path / "after", "trey", role=Role.TRANSCRIPTIONIST)
    activate(again)
    qtbot.waitUntil(lambda: "Waiting in the pool" in again.worklist.pool.text(), timeout=15_000)
    qtbot.keyClick(again.worklist.table, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: again.workspace is not None, timeout=15_000)
    assert again.workspace.job.id == production["id"] and not again.workspace.job.training
    again.close()
    again.station.writer.close()


def test_a_trainer_certifies_from_the_grid_and_promotes_a_reviewed_transcript(
    live, demo_users, qtbot, activate, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QInputDialog

    curriculum(live)
    trey = Api.login(live.url, "trey")
    [job] = trey.get("/jobs").json()
    lease = trey.post(f"/jobs/{job['id']}/lease").json()["lease_token"]
    trey.post(
        f"/jobs/{job['id']}/submit",
        json={
            "lease_token": lease,
            "fields": MEMO["fields"],
            "narrative": MEMO["script"],
            "quality": {"heard": [[0, 86_400_000]]},
        },
        headers={"Idempotency-Key": "memo-1"},
    ).raise_for_status()
    job_id, _answer = submitted(live, "From Monday any discount needs approval from Dana.")
    sam = Api.login(live.url, "sam")
    assert sam.post(f"/dictations/{job_id}/review").status_code == 201
    _sam, review = claim(live)
    sam.post(f"/reviews/{review['id']}/complete", json=completion(review)).raise_for_status()

    window = open_window(live.url, tmp_path, "tess")
    activate(window)
    assert window.role is Role.TRAINER
    page = window.trainees_page
    page._confirm = lambda *_a: True
    with qtbot.waitSignal(page.loaded, timeout=20_000) as shown:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    grid = shown.args[0]
    assert [r.username for r in grid.rows] == ["trey"] and grid.rows[0].rule_holds
    assert page.table.item(0, 1).text().startswith("100 (1×")
    page.table.setFocus()
    page.table.setCurrentCell(0, 1)
    qtbot.keyClick(page.table, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: page.grid.rows[0].status == "certified", timeout=20_000)
    assert page.table.item(0, 2).text() == "certified"
    assert Api.login(live.url, "trey").get("/training/me").json()["role"] == "transcriptionist"

    library = window.library_page
    with qtbot.waitSignal(library.loaded, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert [e.title for e in library.items] == [MEMO["title"]]
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *_a: (items[0], True))
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)
    with qtbot.waitSignal(library.loaded, timeout=20_000) as promoted:
        qtbot.keyClick(library, Qt.Key.Key_P, CTRL)
    newest = promoted.args[0][-1]
    assert newest.source == "promoted"
    from scribedesk.server.db.models import Exercise

    with live.state.read() as session:
        stored = session.get(Exercise, newest.id)
        assert stored.gold_narrative == completion(review)["narrative"]
        assert stored.source_dictation_id == job_id
    window.close()
    window.station.writer.close()


def test_a_manifest_imported_from_the_library_adds_every_exercise(
    live, demo_users, qtbot, activate, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    manifest = tmp_path / "exercises" / "manifest.json"
    manifest.parent.mkdir()
    entries = [MANIFEST["memo-pricing.wav"], MANIFEST["survey-harbor.mp3"]]
    for entry in entries:
        (manifest.parent / entry["file"]).write_bytes((DEMO / entry["file"]).read_bytes())
    manifest.write_text(json.dumps({"dictations": entries}))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(manifest), ""))
    window = open_window(live.url, tmp_path, "tess")
    activate(window)
    library = window.library_page
    with qtbot.waitSignal(library.loaded, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    qtbot.keyClick(library, Qt.Key.Key_I, CTRL)
    # Wait for the list as the import leaves it: a load started before the import may
    # still answer first under load.
    qtbot.waitUntil(lambda: len(library.items) == 2, timeout=30_000)
    assert sorted(e.template_id for e in library.items) == [
        "customer-satisfaction-survey",
        "general-memo",
    ]
    window.close()
    window.station.writer.close()


def test_the_trainer_is_alerted_to_a_transcriptionist_under_the_threshold_and_sends_back(
    live, demo_users, qtbot, activate, tmp_path
):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from scribedesk.server.db.models import Dictation, Review, User

    curriculum(live)
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    now = datetime.now(UTC)
    with live.state.write() as session:
        tara = session.scalar(select(User).where(User.username == "tara"))
        session.get(Dictation, job_id).status = "reviewed"
        session.add(
            Review(
                dictation_id=job_id,
                version=1,
                reviewee_id=tara.id,
                reason_code="random",
                reason="",
                status="done",
                feedback="",
                errors=[],
                score={"lines": 10, "points": 2, "score": 98},
                created_at=now,
                updated_at=now,
                completed_at=now,
            )
        )
    window = open_window(live.url, tmp_path, "tess")
    activate(window)
    page = window.trainees_page
    told: list[str] = []
    window.notify = lambda title, text: told.append(text)
    page._ask = lambda *_a, **_k: ("Accuracy under the threshold.", True)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: page.alerts.count() == 1, timeout=10_000)
    assert told and "tara (80)" in told[0]
    page.alerts.setCurrentRow(0)
    page.alerts.setFocus()
    qtbot.keyClick(page.alerts, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.grid is not None and not page.grid.alerts, timeout=20_000)
    stopped = Api.login(live.url, "tara").post("/jobs/next")
    assert stopped.status_code == 403
    assert "Accuracy under the threshold." in stopped.json()["detail"]
    assert [r.username for r in page.grid.rows] == ["tara", "trey"]  # tara trains again
    window.close()
    window.station.writer.close()
