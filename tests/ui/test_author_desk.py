"""The author's desk through the real window, against a service that delivers to a
signed-webhook receiver: upload with Ctrl+U, follow the dictation to "delivered", see the
receiver's record id, save the Word document with Ctrl+D."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from scribedesk.domain.roles import Role
from tests.conftest import DEMO
from tests.server.test_delivery import delivering, receiver  # noqa: F401 (fixtures)
from tests.server.test_dispatch import body
from tests.support import Api
from tests.ui.conftest import open_window

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_an_author_uploads_follows_it_to_delivered_and_saves_the_record(
    delivering,  # noqa: F811
    receiver,  # noqa: F811
    qtbot,
    activate,
    tmp_path,
):
    window = open_window(delivering.url, tmp_path, "alex")
    activate(window)
    assert window.role is Role.AUTHOR
    page = window.author_page
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    page.account.setText("Internal")
    page.template.setCurrentIndex(page.template.findData("general-memo"))
    page._pick = lambda *_a: ([str(DEMO / "memo-pricing.wav")], "")
    with qtbot.waitSignal(page.uploaded, timeout=30_000) as made:
        qtbot.keyClick(page.account, Qt.Key.Key_U, CTRL)
    job = made.args[0]
    assert job.account == "Internal" and job.template_id == "general-memo"
    tara = Api.login(delivering.url, "tara")
    lease = tara.post("/jobs/next").json()["lease_token"]
    tara.post(
        f"/jobs/{job.id}/submit",
        json=body(lease, narrative="From Monday discounts need approval."),
        headers={"Idempotency-Key": "author-1"},
    ).raise_for_status()
    alex = Api.login(delivering.url, "alex")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        rows = alex.get(f"/dictations/{job.id}/deliveries").json()
        if rows and rows[0]["state"] == "delivered":
            break
        time.sleep(0.05)
    assert job.id in receiver.records
    qtbot.keyClick(page.table, Qt.Key.Key_F5)

    def status() -> str:
        row = next((r for r, item in enumerate(page.items) if item.id == job.id), None)
        return "" if row is None else page.table.item(row, 5).text()

    qtbot.waitUntil(lambda: status() == "submitted", timeout=20_000)
    row = next(r for r, item in enumerate(page.items) if item.id == job.id)
    assert page.table.item(row, 6).text() == "delivered"  # in the list, before selecting it
    page.table.setCurrentCell(row, 0)
    qtbot.waitUntil(lambda: f"record rec-{job.id}" in page.record.text(), timeout=10_000)
    assert "webhook: delivered" in page.record.text()
    saved = tmp_path / "filed.docx"
    page._save_path = lambda *_a: (str(saved), "")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(saved.exists, timeout=10_000)
    assert saved.read_bytes()[:2] == b"PK"  # a .docx is a zip
    window.close()
    window.station.writer.close()
