"""The supervisor's Team page: who holds what, today's output and accuracy, and the pool
with the jobs that will miss their due time at the team's pace highlighted.

Keyboard: F5 reloads. In the jobs table (every job in hand, then the pool's jobs at
risk): Ctrl+P changes the priority, Ctrl+Shift+A reassigns, Ctrl+R puts it back into the
pool, Ctrl+Delete cancels; each asks for the reason, which the audit log keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.review import TeamView
from scribedesk.ui.tasks import Background
from scribedesk.ui.widgets.tables import row_table
from scribedesk.ui.workstation import Workstation

AT_RISK = QColor("#c62828")


def _minutes(ms: int) -> str:
    return f"{ms / 60_000:.1f}"


def _age(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "—"
    minutes = int((now - then).total_seconds() // 60)
    return f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago"


class TeamPage(QWidget):
    """The team, the pool and the moves a supervisor makes on work in flight."""

    message = Signal(str, int)
    failed = Signal(object)
    loaded = Signal(object)  # the TeamView on screen

    def __init__(
        self, station: Workstation, ask: Callable[..., tuple[str, bool]] | None = None
    ) -> None:
        super().__init__()
        self.run = Background(self)
        assert station.reviews is not None, "the workstation has no review calls"
        self.reviews = station.reviews
        self._ask = ask or QInputDialog.getText
        self.view: TeamView | None = None
        self.people = row_table(
            [
                "Transcriptionist",
                "In hand",
                "In progress",
                "Audio in hand (min)",
                "Done today",
                "Rolling accuracy",
            ],
            "Team",
        )
        self.pool = QLabel("Loading the team…")
        self.jobs = row_table(
            ["Job", "Who", "Status", "Priority", "Account", "Due", "Last activity / expected"],
            "Jobs in hand and at risk",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Team (F5 reloads)"))
        layout.addWidget(self.people, 2)
        layout.addWidget(self.pool)
        layout.addWidget(
            QLabel(
                "Jobs: Ctrl+P priority · Ctrl+Shift+A reassign · Ctrl+R to the pool · "
                "Ctrl+Delete cancel"
            )
        )
        layout.addWidget(self.jobs, 3)
        for keys, slot in (
            ("F5", self.refresh),
            ("Ctrl+P", self.change_priority),
            ("Ctrl+Shift+A", self.reassign),
            ("Ctrl+R", self.requeue),
            ("Ctrl+Delete", self.cancel),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self._rows: list[int] = []  # job id per row of the jobs table

    def refresh(self) -> None:
        """Reload the team (background)."""
        self.run(self.reviews.team, self.show_team, self.failed.emit)

    def show_team(self, view: TeamView) -> None:
        """Fill the tables from one answer of the service."""
        self.view = view
        now = datetime.now(UTC)
        self.people.setRowCount(len(view.members))
        for row, member in enumerate(view.members):
            accuracy = "—" if member.rolling_accuracy is None else f"{member.rolling_accuracy:.1f}"
            for column, text in enumerate(
                (
                    member.display_name,
                    member.in_hand,
                    member.in_progress,
                    _minutes(member.audio_ms_in_hand),
                    member.done_today,
                    accuracy,
                )
            ):
                self.people.setItem(row, column, QTableWidgetItem(str(text)))
        self.people.resizeColumnsToContents()
        waiting = view.waiting
        pace = f"{view.pace_per_hour:g} audio min/h" + ("" if view.pace_measured else " (assumed)")
        self.pool.setText(
            f"Pool: {waiting.get('stat', 0)} STAT, {waiting.get('urgent', 0)} urgent, "
            f"{waiting.get('routine', 0)} routine · {_minutes(view.pool_audio_ms)} audio min · "
            f"team pace {pace} · {view.at_risk_total} will miss their due time"
        )
        rows = [
            (
                job.id,
                member.display_name,
                job.status,
                job.priority,
                job.account,
                job.due_at,
                _age(job.last_activity_at, now),
                False,
            )
            for member in view.members
            for job in member.jobs
        ] + [
            (
                risk.id,
                "pool",
                "waiting",
                risk.priority,
                risk.account,
                risk.due_at,
                f"expected {risk.expected_at:%a %H:%M}",
                True,
            )
            for risk in view.at_risk
        ]
        self.jobs.setRowCount(len(rows))
        self._rows = [r[0] for r in rows]
        for row, (job_id, who, status, priority, account, due, when, risky) in enumerate(rows):
            cells = (
                job_id,
                who,
                status,
                priority.upper() if priority == "stat" else priority,
                account,
                f"{due:%a %H:%M}",
                when,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                if risky:
                    item.setForeground(QBrush(AT_RISK))
                self.jobs.setItem(row, column, item)
        self.jobs.resizeColumnsToContents()
        self.loaded.emit(view)

    def selected_job(self) -> int | None:
        """The job id of the selected row of the jobs table."""
        row = self.jobs.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _reason(self, title: str) -> str | None:
        text, ok = self._ask(self, title, "Reason (kept in the audit log):")
        return text if ok else None

    def _move(self, job_id: int, action: str, done: str, **body: object) -> None:
        def moved(_result: object) -> None:
            self.message.emit(done, 6000)
            self.refresh()

        self.run(lambda: self.reviews.move(job_id, action, **body), moved, self.failed.emit)

    def change_priority(self) -> None:
        job_id = self.selected_job()
        if job_id is None:
            return
        choice, ok = QInputDialog.getItem(
            self, "Priority", f"Job {job_id}:", ["stat", "urgent", "routine"], 0, False
        )
        reason = self._reason("Why") if ok else None
        if reason is not None:
            self._move(
                job_id, "priority", f"Job {job_id} is now {choice}.", priority=choice, reason=reason
            )

    def reassign(self) -> None:
        job_id = self.selected_job()
        if job_id is None or self.view is None:
            return
        names = [m.username for m in self.view.members]
        who, ok = QInputDialog.getItem(self, "Reassign", f"Job {job_id} to:", names, 0, False)
        if not ok:
            return
        reason = self._reason("Why")
        if reason is None:
            return
        reviews = self.reviews

        def assign() -> None:  # off the GUI thread: the user list and the move
            reviews.move(job_id, "assign", user_id=reviews.transcriptionists()[who], reason=reason)

        def moved(_result: object) -> None:
            self.message.emit(f"Job {job_id} is now {who}'s.", 6000)
            self.refresh()

        self.run(assign, moved, self.failed.emit)

    def requeue(self) -> None:
        job_id = self.selected_job()
        reason = self._reason("Back to the pool") if job_id is not None else None
        if job_id is not None and reason is not None:
            self._move(job_id, "requeue", f"Job {job_id} is back in the pool.", reason=reason)

    def cancel(self) -> None:
        job_id = self.selected_job()
        reason = self._reason("Cancel the dictation") if job_id is not None else None
        if job_id is not None and reason is not None:
            self._move(job_id, "cancel", f"Job {job_id} is cancelled.", reason=reason)
