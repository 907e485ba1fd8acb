"""The worklist as a Qt table model: jobs by urgency, with the time left ticking down."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from scribedesk.domain.transcript import format_time

COLUMNS = ("Priority", "Due in", "Length", "Author", "Account", "Template", "Status", "Audio")
PRIORITY_ORDER = {"stat": 0, "urgent": 1, "routine": 2}
Index = QModelIndex | QPersistentModelIndex


def due_in(due: datetime, now: datetime) -> str:
    """ "2 h 05 m", "12 m", or "overdue 7 m"."""
    seconds = int((due - now).total_seconds())
    late = seconds < 0
    seconds = abs(seconds)
    hours, minutes = seconds // 3600, seconds // 60 % 60
    text = f"{hours} h {minutes:02d} m" if hours else f"{minutes} m"
    return f"overdue {text}" if late else text


class WorklistModel(QAbstractTableModel):
    """Rows are job dicts as the API returns them, plus a download state per job."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__()
        self._jobs: list[dict[str, Any]] = []
        self._due: list[datetime] = []
        self._downloads: dict[int, str] = {}
        self._now = now

    def set_jobs(self, jobs: list[dict[str, Any]]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._jobs = list(jobs)
        self._due = [_parse_time(j.get("due_at")) for j in self._jobs]
        self.endResetModel()

    def job(self, row: int) -> dict[str, Any]:
        """The job shown in ``row`` (model order)."""
        return self._jobs[row]

    def row_of(self, job_id: int) -> int | None:
        """The model row of a job, if listed."""
        return next((i for i, j in enumerate(self._jobs) if j.get("id") == job_id), None)

    def set_download(self, job_id: int, state: str) -> None:
        """Show a job's download state ("downloading 40 %", "ready", "failed")."""
        self._downloads[job_id] = state
        row = self.row_of(job_id)
        if row is not None:
            index = self.index(row, COLUMNS.index("Audio"))
            self.dataChanged.emit(index, index)

    def tick(self) -> None:
        """Time moved on: refresh the due column."""
        if self._jobs:
            column = COLUMNS.index("Due in")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._jobs) - 1, column))

    # -- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job, column = self._jobs[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), job, column)
        if role == Qt.ItemDataRole.UserRole:  # sort key
            return self._sort_key(index.row(), job, column)
        if role == Qt.ItemDataRole.FontRole and job.get("priority") == "stat":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "Due in" and self._due[index.row()] < self._now():
                return QBrush(QColor("#c62828"))
            if column == "Priority" and job.get("priority") == "stat":
                return QBrush(QColor("#c62828"))
        return None

    def _text(self, row: int, job: dict[str, Any], column: str) -> str:
        if column == "Priority":
            return str(job.get("priority", "")).upper()
        if column == "Due in":
            return due_in(self._due[row], self._now())
        if column == "Length":
            return format_time(int(job.get("audio", {}).get("duration_ms", 0)))
        if column == "Author":
            return str(job.get("author", ""))
        if column == "Account":
            return str(job.get("account", ""))
        if column == "Template":
            return str(job.get("template_id", "")).replace("-", " ").capitalize()
        if column == "Status":
            return str(job.get("status", "")).replace("_", " ")
        return self._downloads.get(int(job.get("id", 0)), "")

    def _sort_key(self, row: int, job: dict[str, Any], column: str) -> Any:
        if column == "Priority":
            # One number (Qt compares numbers, not tuples): priority first, then due time.
            rank = PRIORITY_ORDER.get(str(job.get("priority")), 9)
            return rank * 1e11 + min(self._due[row].timestamp(), 9e10)
        if column == "Due in":
            return self._due[row].timestamp()
        if column == "Length":
            return int(job.get("audio", {}).get("duration_ms", 0))
        return self._text(row, job, column).lower()


def _parse_time(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
