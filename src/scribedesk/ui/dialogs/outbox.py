"""Submissions: what waits to be sent, why, and what will happen; Send now; dismiss a read one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class SubmissionRow:
    """One outbox entry as the dialog shows it."""

    entry_id: int
    job_id: int
    state: str
    description: str


STATE_NAMES = {
    "pending": "Waiting",
    "sign_in": "Waiting for sign-in",
    "conflict": "Needs attention",
    "rejected": "Refused",
}


class OutboxDialog(QDialog):
    """The outbox's entries; Send now retries every waiting one at once (Ctrl+Shift+S)."""

    def __init__(
        self,
        rows: list[SubmissionRow],
        send_now: Callable[[], None],
        dismiss: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Submissions")
        self.resize(860, 320)
        self._dismiss = dismiss
        self.rows = list(rows)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Job", "State", "What happens"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for index, row in enumerate(rows):
            for column, text in enumerate(
                (f"Job {row.job_id}", STATE_NAMES.get(row.state, row.state), row.description)
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(row.description)
                self.table.setItem(index, column, item)
        self.table.resizeRowsToContents()
        empty = QLabel("Every submission has arrived at the service.")
        empty.setVisible(not rows)
        self.send_now = QPushButton("&Send now")
        self.send_now.setShortcut("Ctrl+Shift+S")
        self.send_now.setEnabled(any(r.state in ("pending", "sign_in") for r in rows))
        self._send_now = send_now
        self.send_now.clicked.connect(self._send)
        self.dismiss = QPushButton("&Dismiss")
        self.dismiss.setToolTip("Remove a conflict or refusal you have read (the draft stays)")
        self.dismiss.clicked.connect(self._dismiss_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.send_now, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.dismiss, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        if rows:
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._selection_changed()

    def _send(self) -> None:
        self._send_now()
        self.accept()

    def _selected(self) -> SubmissionRow | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _selection_changed(self) -> None:
        row = self._selected()
        self.dismiss.setEnabled(row is not None and row.state in ("conflict", "rejected"))

    def _dismiss_selected(self) -> None:
        row = self._selected()
        if row is None or row.state not in ("conflict", "rejected"):
            return
        self._dismiss(row.entry_id)
        index = self.rows.index(row)
        self.rows.pop(index)
        self.table.removeRow(index)
        self._selection_changed()
