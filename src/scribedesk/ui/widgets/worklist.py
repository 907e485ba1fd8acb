"""The worklist: the user's jobs, searchable as you type, sortable, "Get next job" on one key."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.job import Job
from scribedesk.ui.models.worklist import WorklistModel


class WorklistWidget(QWidget):
    """Search box, table and the "Get next job" button."""

    open_job = Signal(object)  # a domain.job.Job
    next_job_requested = Signal()

    def __init__(self, model: WorklistModel) -> None:
        super().__init__()
        self.model = model
        self.search = QLineEdit(placeholderText="Search jobs (account, author, template…)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(model.set_search)
        self.search.returnPressed.connect(self.open_selected)
        self.next_button = QPushButton("Get next job  (Ctrl+N)")
        self.next_button.clicked.connect(self.next_job_requested)
        self.count = QLabel()
        self.pool = QLabel()
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(100)  # size columns from the first rows only
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.activated.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pool)
        layout.addWidget(self.table, 1)
        for keys, slot in (
            ("Ctrl+N", self.next_job_requested.emit),
            ("Ctrl+F", self.search.setFocus),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        model.modelReset.connect(self._count)

    def set_jobs(self, jobs: list[Job]) -> None:
        """Show these jobs (keeps the sort order and the search)."""
        first = not self.model.total
        self.model.set_jobs(jobs)
        if first:
            self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)

    def open_selected(self) -> None:
        """Open the selected job, or the first one the search shows (Enter in the search)."""
        if not self.model.rowCount():
            return
        selected = self.table.selectionModel().selectedRows()
        row = selected[0].row() if selected else 0
        self.open_job.emit(self.model.job(row))

    def _count(self, *_args: object) -> None:
        shown, total = self.model.rowCount(), self.model.total
        jobs = "job" if total == 1 else "jobs"
        self.count.setText(f"{shown} of {total} {jobs}" if shown != total else f"{total} {jobs}")
        if shown and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)  # Enter in the search opens the first match

    def _activated(self, index: Any) -> None:
        self.open_job.emit(self.model.job(index.row()))
