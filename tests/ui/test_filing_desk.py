"""Deliveries and reports through the real window (app.py's wiring), keyboard only: the
administrator picks the CRM account of a held delivery and it lands in the local
Salesforce; the supervisor exports the delivered records; the author saves a proposal
draft, and is told in the service's words when there is no survey to report."""

from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import Qt

from tests.server.test_crm_delivery import (  # noqa: F401 (fixtures)
    delivering,
    hubspot,
    salesforce,
    submit,
    wait_state,
)
from tests.server.test_reports import section
from tests.ui.conftest import open_window

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def save_with_key(qtbot, page, key, path, what: str):  # type: ignore[no-untyped-def]
    """Ctrl+``key`` on ``page``'s table saving to ``path``, waited for until the page says
    ``what`` saved there (its own message: another may come in between)."""
    page._save_path = lambda *_a: (str(path), "")
    said: list[str] = []
    page.message.connect(lambda text, _ms: said.append(text))
    qtbot.keyClick(page.table, key, CTRL)
    qtbot.waitUntil(lambda: f"{what} saved as {path}." in said, timeout=20_000)
    return path


def test_the_administrator_answers_a_held_delivery_from_the_keyboard(
    delivering,  # noqa: F811
    salesforce,  # noqa: F811
    qtbot,
    activate,
    tmp_path,
):
    first = salesforce.add("Account", Name="Globex Corporation")
    salesforce.add("Account", Name="Globex Corporation")
    job_id = submit(delivering, "Globex Corporation")
    wait_state(delivering, job_id, "held")
    window = open_window(delivering.url, tmp_path, "ada")
    activate(window)
    [page] = [p for _t, keys, p in window.desk if keys == "Ctrl+3"]
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    row = next(r for r, d in enumerate(page.items) if d.destination == "salesforce")
    assert page.table.item(row, 4).text() == "needs a person: pick the account"
    page.table.setCurrentCell(row, 0)
    assert "2 Salesforce accounts are named" in page.detail.text()
    asked = []

    def pick_the_first(item):  # type: ignore[no-untyped-def]
        asked.append(item)
        return item.candidates[0].id

    page._ask_account = pick_the_first
    page.table.setFocus()
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert asked[0].candidates[0].id == first
    wait_state(delivering, job_id, "delivered")
    assert salesforce.find("Opportunity")[0]["AccountId"] == first
    filed = save_with_key(qtbot, page, Qt.Key.Key_D, tmp_path / "filed.docx", f"Job {job_id}")
    assert filed.read_bytes()[:2] == b"PK"  # the job's Word document, from this page
    # The supervisor's export of the delivered records, from the Reports page (Ctrl+4).
    [reports] = [p for _t, keys, p in window.desk if keys == "Ctrl+4"]
    with qtbot.waitSignal(reports.loaded, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    reports.template.setCurrentIndex(reports.template.findData("sales-call-report"))
    target = save_with_key(qtbot, reports, Qt.Key.Key_E, tmp_path / "records.csv", "The export")
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["account"] for r in rows] == ["Globex Corporation"]
    window.close()
    window.station.writer.close()


def test_the_author_saves_a_proposal_draft_and_hears_why_there_is_no_survey(
    delivering,  # noqa: F811
    qtbot,
    activate,
    tmp_path,
):
    section(delivering, "4.2", "Data security", "Maria Lopez")
    window = open_window(delivering.url, tmp_path, "alex")
    activate(window)
    assert window.pages.currentWidget() is window.author_page  # the desk opens on it
    [page] = [p for _t, keys, p in window.desk if keys == "Ctrl+2"]
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert page.table.item(0, 0).text() == "Transit CRM RFP"
    page._ask_outline = lambda item: "4.2 Data security\n6.1 Training and onboarding"
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_O, CTRL)
    # missing, once the outline says so
    qtbot.waitUntil(lambda: page.table.item(0, 3).text() == "6.1", timeout=20_000)
    draft = tmp_path / "draft.docx"
    page._save_path = lambda *_a: (str(draft), "")
    with qtbot.waitSignal(page.message, timeout=20_000):
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert draft.read_bytes()[:2] == b"PK"
    survey = tmp_path / "survey.docx"
    page._save_path = lambda *_a: (str(survey), "")
    with qtbot.waitSignal(page.failed, timeout=20_000) as refused:
        qtbot.keyClick(page.table, Qt.Key.Key_R, CTRL)
    assert "nothing to report" in str(refused.args[0]) and not survey.exists()
    qtbot.waitUntil(lambda: "nothing to report" in window.statusBar().currentMessage())
    window.close()
    window.station.writer.close()
