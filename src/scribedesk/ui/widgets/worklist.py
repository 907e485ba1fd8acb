"""The worklist: the user's jobs, searchable as you type, sortable, "Get next job" on one key."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
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

from scribedesk.ui.models.worklist import WorklistModel


class WorklistFilter(QSortFilterProxyModel):
    """Sorts by each column's key and matches the search text against every column."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)


class WorklistWidget(QWidget):
    """Search box, table and the "Get next job" button."""

    open_job = Signal(dict)
    next_job = Signal()

    def __init__(self, model: WorklistModel) -> None:
        super().__init__()
        self.model = model
        self.proxy = WorklistFilter()
        self.proxy.setSourceModel(model)
        self.search = QLineEdit(placeholderText="Search jobs (account, author, template…)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.next_button = QPushButton("Get next job  (Ctrl+N)")
        self.next_button.clicked.connect(self.next_job)
        self.count = QLabel()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.activated.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        for keys, slot in (("Ctrl+N", self.next_job.emit), ("Ctrl+F", self.search.setFocus)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)
        self.search.textChanged.connect(self._count)

    def set_jobs(self, jobs: list[dict[str, Any]]) -> None:
        """Show these jobs (keeps the sort order and the search)."""
        self.model.set_jobs(jobs)
        self.table.resizeColumnsToContents()
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def _count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} of {total} jobs" if shown != total else f"{total} jobs")

    def _activated(self, index: Any) -> None:
        source = self.proxy.mapToSource(index)
        self.open_job.emit(self.model.job(source.row()))
