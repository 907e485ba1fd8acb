"""The author's page: upload a recording (Ctrl+U, or drop audio files on the page) with its
account, template, priority and title; my dictations with their status through to
"delivered"; and the filed record of the selected one: where it was delivered (with the
receiver's record id) and its Word document (Ctrl+D).

Keyboard: Ctrl+U uploads; F5 reloads; in the list, Ctrl+D saves the selected dictation's
Word document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.dictation import Priority
from scribedesk.domain.job import Job
from scribedesk.ui.dialogs.exercise import AUDIO_FILTER
from scribedesk.ui.tasks import Background
from scribedesk.ui.widgets.tables import row_table
from scribedesk.ui.word_document import save_word_document
from scribedesk.ui.workstation import Workstation

HEADERS = ["Job", "Account", "Title", "Template", "Priority", "Status", "Delivered"]
#: The delivery column, as the author reads it.
DELIVERY = {
    "delivered": "delivered",
    "waiting": "on its way",
    "held": "waiting for the CRM account to be picked",
    "failed": "not delivered: the administrator is told",
}


class AuthorPage(QWidget):
    """Upload and follow my dictations."""

    message = Signal(str, int)
    failed = Signal(object)
    loaded = Signal(object)  # the list of Jobs on screen
    uploaded = Signal(object)  # the Job the service made of an upload

    def __init__(self, station: Workstation) -> None:
        super().__init__()
        self.run = Background(self)
        self.station = station
        self.items: list[Job] = []
        self.setAcceptDrops(True)
        self.account = QLineEdit(placeholderText="The customer's account, as the CRM names it")
        self.template = QComboBox()
        self.priority = QComboBox()
        for priority in Priority:
            self.priority.addItem(priority.value, priority.value)
        self.priority.setCurrentIndex(self.priority.findData(Priority.ROUTINE.value))
        self.title = QLineEdit(placeholderText="A few words: what the meeting was about")
        form = QFormLayout()
        form.addRow("&Account", self.account)
        form.addRow("&Template", self.template)
        form.addRow("&Priority", self.priority)
        form.addRow("T&itle", self.title)
        self.table = row_table(HEADERS, "My dictations: Ctrl+D saves the Word document")
        self.record = QLabel("Select a dictation to see where it was filed.")
        self.record.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "New dictation: fill in the account, then Ctrl+U (or drop audio files here) · "
                "F5 reloads · Ctrl+D saves the selected one as Word"
            )
        )
        layout.addLayout(form)
        layout.addWidget(QLabel("My dictations"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.record)
        self._pick = QFileDialog.getOpenFileNames  # a test answers instead
        self._save_path = QFileDialog.getSaveFileName
        self.table.currentCellChanged.connect(lambda row, *_a: self._show_record(row))
        for keys, slot in (
            ("Ctrl+U", self.choose),
            ("F5", self.refresh),
            ("Ctrl+D", self.save_document),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    def refresh(self) -> None:
        if not self.template.count():
            for template in self.station.templates.values():
                self.template.addItem(template.name, template.id)
            # The template reps use most comes first to hand.
            self.template.setCurrentIndex(max(0, self.template.findData("sales-call-report")))
        api = self.station.api
        self.run(api.my_dictations, self._loaded, self.failed.emit)

    def _loaded(self, items: list[Job]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for row, job in enumerate(items):
            template = self.station.templates.get(job.template_id)
            for column, text in enumerate(
                (
                    str(job.id),
                    job.account,
                    job.title,
                    template.name if template else job.template_id,
                    job.priority.value,
                    job.status.value.replace("_", " "),
                    DELIVERY.get(job.delivery, job.delivery),
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if items and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self.loaded.emit(items)

    # -- uploading ------------------------------------------------------------------------

    def choose(self) -> None:
        """Pick recordings and upload them with the form's account and template (Ctrl+U)."""
        paths, _filter = self._pick(self, "Upload recordings", "", AUDIO_FILTER)
        for path in paths:
            self.upload(Path(path))

    def upload(self, audio: Path) -> None:
        """Send one recording; the form says what it is about."""
        account = self.account.text().strip()
        if not account:
            self.message.emit("Name the account the dictation is about first.", 8000)
            self.account.setFocus()
            return
        form = {
            "account": account,
            "template_id": str(self.template.currentData()),
            "priority": str(self.priority.currentData()),
            "title": self.title.text().strip(),
        }
        api = self.station.api
        self.message.emit(f"Uploading {audio.name}…", 0)

        def done(job: Job) -> None:
            self.message.emit(f"{audio.name} is dictation {job.id}: it waits for a typist.", 8000)
            self.uploaded.emit(job)
            self.refresh()

        self.run(lambda: api.upload(audio, form), done, self.failed.emit)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Dropped audio files are uploaded as the form says."""
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.upload(Path(url.toLocalFile()))
        event.acceptProposedAction()

    # -- the filed record -------------------------------------------------------------------

    def selected(self) -> Job | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show_record(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        job = self.items[row]
        api = self.station.api

        def shown(rows: list[dict[str, Any]]) -> None:
            if not rows:
                state = job.status.value.replace("_", " ")
                final = job.status.value in ("submitted", "reviewed")
                why = " (no CRM destination was set up when it became final)." if final else " yet."
                self.record.setText(
                    f"Dictation {job.id} is {state}; no delivery is recorded for it{why}"
                )
                return
            lines = []
            for delivery in rows:
                answer = delivery.get("answer") or {}
                found = answer.get("record_id") or answer.get("id")
                record = f", record {found}" if found else ""
                lines.append(f"{delivery['destination']}: {delivery['state']}{record}")
            self.record.setText(f"Dictation {job.id}, filed: " + "; ".join(lines) + ".")

        self.run(lambda: api.deliveries(job.id), shown, self.failed.emit)

    def save_document(self) -> None:
        """The selected dictation's Word document, where I say (Ctrl+D)."""
        job = self.selected()
        if job is not None:
            save_word_document(self, self.run, self.station.api, job.id, self._save_path)
