"""My history: the jobs I submitted today or this week, with where each is now
(submitted, in review, reviewed), and a read-only copy of what I submitted.

Keyboard: F5 reloads; Ctrl+K switches between today and the last 7 days; Enter opens
the selected job's read-only copy (Esc closes it); Ctrl+D saves it as a Word document.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.job import Submitted
from scribedesk.domain.templates import Template
from scribedesk.services.outbox import counted
from scribedesk.ui.tasks import Background
from scribedesk.ui.widgets.tables import row_table
from scribedesk.ui.widgets.template_form import TemplateForm
from scribedesk.ui.word_document import save_word_document
from scribedesk.ui.workstation import Workstation

HEADERS = ["Submitted", "Job", "Account", "Title", "Template", "Status", "Version"]


class ReadOnlyCopy(QDialog):
    """What I submitted: the fields and the narrative, not editable."""

    def __init__(
        self, item: Submitted, version: dict[str, Any], template: Template, parent: QWidget
    ) -> None:
        super().__init__(parent)
        job = item.job
        self.setWindowTitle(
            f"Job {job.id}, {job.account}: version {version.get('number')} (read-only)"
        )
        self.resize(1100, 720)
        self.form = TemplateForm(template)
        self.form.set_values(dict(version.get("fields") or {}))
        self.form.setEnabled(False)
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setWidget(self.form)
        self.narrative = QPlainTextEdit(str(version.get("narrative", "")))
        self.narrative.setReadOnly(True)
        self.narrative.setAccessibleName("Submitted narrative (read-only)")
        split = QSplitter()
        split.addWidget(holder)
        split.addWidget(self.narrative)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"{job.title or template.name} · {job.status.value.replace('_', ' ')} · read-only"
            )
        )
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.narrative.setFocus()


class HistoryPage(QWidget):
    """The jobs I submitted lately."""

    message = Signal(str, int)
    failed = Signal(object)
    loaded = Signal(object)  # the list of Submitted on screen

    def __init__(self, station: Workstation) -> None:
        super().__init__()
        self.run = Background(self)
        self.station = station
        self.items: list[Submitted] = []
        self.span = QComboBox()
        self.span.addItem("Today", 1)
        self.span.addItem("The last 7 days", 7)
        self.span.setCurrentIndex(1)
        self.span.setAccessibleName("Since (Ctrl+K)")
        self.summary = QLabel()
        self.table = row_table(HEADERS, "My submitted jobs: Enter opens a read-only copy")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("My history · Ctrl+K today / this week · Enter opens · F5 reloads"))
        layout.addWidget(self.span)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.span.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.cellActivated.connect(lambda row, _c: self.open_copy(row))
        self._save_path = QFileDialog.getSaveFileName  # a test answers instead
        for keys, slot in (
            ("F5", self.refresh),
            ("Ctrl+K", self.span.setFocus),
            ("Ctrl+D", self.save_document),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    def refresh(self) -> None:
        days = int(self.span.currentData())
        api = self.station.api
        self.run(lambda: api.history(days), self._loaded, self.failed.emit)

    def _loaded(self, items: list[Submitted]) -> None:
        if int(self.span.currentData()) == 1:  # today: since local midnight
            midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0)
            items = [i for i in items if i.submitted_at >= midnight.astimezone(UTC)]
        self.items = items
        self.summary.setText(f"{counted(len(items), 'job')} submitted.")
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            job = item.job
            for column, text in enumerate(
                (
                    item.submitted_at.astimezone().strftime("%a %d %b %H:%M"),
                    str(job.id),
                    job.account,
                    job.title,
                    job.template_id.replace("-", " "),
                    job.status.value.replace("_", " "),
                    str(item.version),
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if items:
            self.table.selectRow(0)
        self.loaded.emit(items)

    def save_document(self) -> None:
        """The selected job as a Word document, where the user says (Ctrl+D)."""
        row = self.table.currentRow()
        if 0 <= row < len(self.items):
            job_id = self.items[row].job.id
            save_word_document(self, self.run, self.station.api, job_id, self._save_path)

    def open_copy(self, row: int) -> None:
        """The read-only copy of what I submitted (Enter)."""
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        template = self.station.templates.get(item.job.template_id)
        if template is None:
            self.message.emit(f"This workstation has no template {item.job.template_id!r}.", 8000)
            return
        api = self.station.api

        def mine(versions: list[dict[str, Any]]) -> None:
            found = next((v for v in versions if v.get("number") == item.version), None)
            if found is None:
                self.message.emit(f"Version {item.version} of job {item.job.id} is gone.", 8000)
                return
            self.copy = ReadOnlyCopy(item, found, template, self)
            self.copy.show()

        self.run(lambda: api.versions(item.job.id), mine, self.failed.emit)
