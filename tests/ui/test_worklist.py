"""The worklist table: urgency order, search as you type, overdue in red, keyboard only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from scribedesk.domain.job import Job, job_from_record
from scribedesk.ui.models.worklist import COLUMNS, WorklistModel, due_in
from scribedesk.ui.widgets.worklist import WorklistWidget

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def job(job_id: int, priority: str, due_minutes: int, account: str) -> Job:
    return job_from_record(
        {
            "id": job_id,
            "priority": priority,
            "account": account,
            "author": "alex",
            "template_id": "sales-call-report",
            "status": "assigned",
            "due_at": (NOW + timedelta(minutes=due_minutes)).isoformat(),
            "audio": {"duration_ms": 95_000, "working_sha256": "0" * 64, "working_size": 1},
        }
    )


JOBS = [
    job(1, "routine", 600, "Initech"),
    job(2, "stat", 40, "Acme Logistics"),
    job(3, "urgent", -7, "Globex"),
    job(4, "routine", 30, "Northwind"),
]


def shown(widget: WorklistWidget, column: str = "Account") -> list[str]:
    col = COLUMNS.index(column)
    return [widget.model.index(r, col).data() for r in range(widget.model.rowCount())]


def test_stat_first_then_urgent_then_due_time(qtbot):
    """Sorted by priority: STAT, urgent, then routine by due time; STAT in bold red."""
    widget = WorklistWidget(WorklistModel(now=lambda: NOW))
    qtbot.addWidget(widget)
    widget.set_jobs(JOBS)
    assert shown(widget) == ["Acme Logistics", "Globex", "Northwind", "Initech"]
    stat = widget.model.index(0, 0)
    assert stat.data() == "STAT" and stat.data(Qt.ItemDataRole.FontRole).bold()


def test_due_countdown_and_overdue_in_red():
    """Time left reads naturally; an overdue job says so in red."""
    assert due_in(NOW + timedelta(minutes=125), NOW) == "2 h 05 m"
    assert due_in(NOW - timedelta(minutes=7), NOW) == "overdue 7 m"
    model = WorklistModel(now=lambda: NOW)
    model.set_jobs(JOBS)
    late = model.index(model.row_of(3), COLUMNS.index("Due in"))
    assert late.data() == "overdue 7 m"
    assert late.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"


def test_search_filters_as_you_type(qtbot):
    """Typing narrows the list to matching jobs, in any column; clearing brings all back."""
    widget = WorklistWidget(WorklistModel(now=lambda: NOW))
    qtbot.addWidget(widget)
    widget.set_jobs(JOBS)
    qtbot.keyClicks(widget.search, "glob")
    assert shown(widget) == ["Globex"] and widget.count.text() == "1 of 4 jobs"
    widget.search.clear()
    assert len(shown(widget)) == 4


def test_keyboard_opens_jobs_and_asks_for_the_next(qtbot, activate):
    """Enter on a row opens that job; Ctrl+N asks for the next job."""
    widget = activate(WorklistWidget(WorklistModel(now=lambda: NOW)))
    widget.set_jobs(JOBS)
    widget.table.setFocus()
    with qtbot.waitSignal(widget.open_job) as opened:
        qtbot.keyClick(widget.table, Qt.Key.Key_Return)
    assert opened.args[0].id == 2
    with qtbot.waitSignal(widget.next_job_requested):
        qtbot.keyClick(widget.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)


def test_enter_in_the_search_opens_the_first_match(qtbot, activate):
    """Focus starts in the search: type a few letters, Enter opens the job they found;
    one job is "1 job", not "1 jobs"."""
    widget = activate(WorklistWidget(WorklistModel(now=lambda: NOW)))
    widget.set_jobs(JOBS)
    widget.search.setFocus()
    qtbot.keyClicks(widget.search, "glob")
    with qtbot.waitSignal(widget.open_job) as opened:
        qtbot.keyClick(widget.search, Qt.Key.Key_Return)
    assert opened.args[0].account == "Globex"
    widget.set_jobs(JOBS[:1])
    widget.search.clear()
    assert widget.count.text() == "1 job"


def test_the_title_the_author_gave_is_a_column():
    """The dictation's title shows in its own column (and sorts, and is searched)."""
    titled = job_from_record(
        {**JOBS[0].to_record(), "id": 9, "title": "Renewal at risk", "account": "Zeta"}
    )
    model = WorklistModel(now=lambda: NOW)
    model.set_jobs([titled, *JOBS])
    column = COLUMNS.index("Title")
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Title"
    assert model.index(model.row_of(9), column).data() == "Renewal at risk"
    model.set_search("renewal")
    assert model.rowCount() == 1
