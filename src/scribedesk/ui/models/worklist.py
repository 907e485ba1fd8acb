"""The worklist as a Qt table model: jobs by urgency, with the time left ticking down."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from scribedesk.domain.dictation import Priority
from scribedesk.domain.job import NEVER, Job
from scribedesk.domain.transcript import format_time

COLUMNS = (
    "Priority",
    "Due in",
    "Length",
    "Author",
    "Account",
    "Title",
    "Template",
    "Status",
    "Audio",
)
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
    """Rows are the worklist's Jobs, plus a download state per job.

    Sorting and searching happen here, in Python on keys computed once per refresh: a
    QSortFilterProxyModel would call back into Python for every comparison, which takes
    seconds at 10,000 jobs.
    """

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__()
        self._all: list[Job] = []
        self._jobs: list[Job] = []  # shown, in order
        self._due: list[datetime] = []  # of shown rows
        self._downloads: dict[int, str] = {}
        self._now = now
        self._sort = (0, Qt.SortOrder.AscendingOrder)
        self._search = ""
        self._haystack: dict[int, str] | None = None  # id(job) -> its text, for the search

    def set_jobs(self, jobs: list[Job]) -> None:
        """Replace every row (search and sort order stay)."""
        self._all = list(jobs)
        self._haystack = None  # made at the first search of these jobs
        self._arrange()

    def _searchable(self) -> dict[int, str]:
        if self._haystack is None:
            self._haystack = {
                id(j): " ".join(
                    (j.priority, j.account, j.author, j.template_id, _status(j), j.title)
                )
                .replace("-", " ")
                .casefold()
                for j in self._all
            }
        return self._haystack

    def set_search(self, text: str) -> None:
        """Show only jobs whose text contains ``text`` (any column, any case)."""
        self._search = text.strip().casefold()
        self._arrange()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column`` (called by the view's header)."""
        self._sort = (column, order)
        self._arrange()

    def _arrange(self) -> None:
        self.beginResetModel()
        shown = list(self._all)
        if self._search:
            haystack = self._searchable()
            shown = [j for j in shown if self._search in haystack[id(j)]]
        column, order = self._sort
        name = COLUMNS[column] if 0 <= column < len(COLUMNS) else "Priority"
        due = {id(j): j.due_at for j in shown}
        shown.sort(
            key=lambda j: _key(j, name, due[id(j)], self._downloads),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._jobs = shown
        self._due = [due[id(j)] for j in shown]
        self.endResetModel()

    @property
    def total(self) -> int:
        """Jobs in the worklist, shown or not."""
        return len(self._all)

    @property
    def jobs(self) -> list[Job]:
        """Every job of the worklist (shown or not), in the order they came."""
        return list(self._all)

    def job(self, row: int) -> Job:
        """The job shown in ``row``."""
        return self._jobs[row]

    def row_of(self, job_id: int) -> int | None:
        """The row a job is shown in, if it is."""
        return next((i for i, j in enumerate(self._jobs) if j.id == job_id), None)

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
        if role == Qt.ItemDataRole.FontRole and job.priority is Priority.STAT:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "Due in" and not job.training and self._due[index.row()] < self._now():
                return QBrush(QColor("#c62828"))
            if column == "Priority" and job.priority is Priority.STAT:
                return QBrush(QColor("#c62828"))
            if column == "Priority" and job.training:
                return QBrush(QColor("#8e24aa"))
        return None

    def _text(self, row: int, job: Job, column: str) -> str:
        if column == "Priority":
            return "TRAINING" if job.training else job.priority.value.upper()
        if column == "Due in":
            if job.training or job.due_at == NEVER:  # practice has no deadline to show
                return ""
            return due_in(self._due[row], self._now())
        if column == "Length":
            return format_time(job.audio.duration_ms)
        if column == "Author":
            return job.author
        if column == "Account":
            return job.account
        if column == "Title":
            return job.title
        if column == "Template":
            return job.template_id.replace("-", " ").capitalize()
        if column == "Status":
            return _status(job)
        return self._downloads.get(job.id, "")


def _status(job: Job) -> str:
    return "sending" if job.sending else job.status.value.replace("_", " ")


def _key(job: Job, column: str, due: datetime, downloads: dict[int, str]) -> Any:
    if column == "Priority":
        return (job.priority.queue_order, due)
    if column == "Due in":
        return due
    if column == "Length":
        return job.audio.duration_ms
    if column == "Audio":
        return downloads.get(job.id, "")
    text = {
        "Author": job.author,
        "Account": job.account,
        "Title": job.title,
        "Template": job.template_id,
        "Status": _status(job),
    }[column]
    return text.casefold()
