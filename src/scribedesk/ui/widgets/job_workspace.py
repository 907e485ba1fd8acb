"""The job workspace: transport bar, the template's fields, the narrative, submit and return.

A view only: it shows a job and reports what the user does. Keys: Ctrl+Return submits,
Ctrl+Shift+R returns the job, Ctrl+W goes back to the worklist, and the transport keys
(pedal and hotkeys) are wired by the main window.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.dictation import ReturnReason
from scribedesk.domain.job import Job
from scribedesk.domain.quality import Finding, QualityReport
from scribedesk.domain.templates import Template
from scribedesk.services.spelling import SpellChecker
from scribedesk.ui.widgets.findings import FindingsPanel
from scribedesk.ui.widgets.narrative_editor import NarrativeEditor
from scribedesk.ui.widgets.template_form import TemplateForm
from scribedesk.ui.widgets.transport_bar import TransportBar

REASONS = {
    ReturnReason.BAD_AUDIO: "Bad audio",
    ReturnReason.WRONG_TEMPLATE: "Wrong template",
    ReturnReason.NOT_A_DICTATION: "Not a dictation",
    ReturnReason.OTHER: "Other (say why)",
}


class ReturnDialog(QDialog):
    """Why the job goes back undone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Return job")
        self.reason = QComboBox()
        for reason, label in REASONS.items():
            self.reason.addItem(label, reason.value)
        self.reason.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.note = QLineEdit(placeholderText="What is wrong (required for Other)")
        # Sized for its text: the placeholder and a sentence of note fit without scrolling.
        self.note.setMinimumWidth(
            self.note.fontMetrics().horizontalAdvance(self.note.placeholderText()) * 3 // 2
        )
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setVisible(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Reason", self.reason)
        form.addRow("Note", self.note)
        form.addRow(self.problem)
        form.addRow(buttons)

    def accept(self) -> None:
        """Other needs a note (the service refuses it without): say so here instead."""
        if self.reason.currentData() == ReturnReason.OTHER.value and not self.note.text().strip():
            self.problem.setText("Say what is wrong: Other needs a note.")
            self.problem.setVisible(True)
            self.note.setFocus()
            return
        super().accept()

    @classmethod
    def prompt(cls, parent: QWidget | None = None) -> tuple[str, str] | None:
        """(reason, note), or None when cancelled."""
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return str(dialog.reason.currentData()), dialog.note.text().strip()


class JobWorkspace(QWidget):
    """Everything for one job on one screen."""

    submit_requested = Signal()
    return_requested = Signal(str, str)
    back_requested = Signal()
    peek_requested = Signal()  # a training exercise: the gold sentence I am at
    check_requested = Signal()
    changed = Signal()

    def __init__(
        self,
        job: Job,
        template: Template,
        checker: SpellChecker,
        expansions: dict[str, str],
        audio_position: Callable[[], int],
        known_accounts: Sequence[str] = (),
        known_people: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.job = job
        self._form_focus: QWidget | None = None  # where F6 returns to in the form
        title = job.title or template.name
        if job.training:  # the Training badge: this is practice, scored against a gold
            badge = (
                '<span style="background:#6a1b9a;color:white;padding:2px 6px">'
                "&nbsp;TRAINING&nbsp;</span> "
            )
            self.header = QLabel(
                f"{badge}<b>{html.escape(job.account)}</b> · {html.escape(title)} · "
                f"{template.name} · scored against the gold when you submit"
                " (Ctrl+Shift+H peeks at the gold, when your curriculum allows it)"
            )
        else:
            self.header = QLabel(
                f"<b>{job.priority.value.upper()}</b> · <b>{html.escape(job.account)}</b> · "
                f"{html.escape(title)} · {template.name} · dictated by {html.escape(job.author)}"
            )
        self.header.setAccessibleName("Training exercise" if job.training else "Job")
        self.lease_warning = QLabel()
        self.lease_warning.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.lease_warning.hide()
        self.transport = TransportBar()
        self.form = TemplateForm(template, known_accounts, known_people)
        self.narrative = NarrativeEditor(checker, expansions, audio_position)
        self.narrative_label = QLabel(
            f"<b>{template.narrative.label}</b> {template.narrative.prompt}"
        )
        self.narrative_label.setWordWrap(True)
        self.findings = FindingsPanel()
        self.findings.go_to.connect(self.go_to)
        back_to_text = QShortcut(QKeySequence("Escape"), self.findings.list)
        back_to_text.setContext(Qt.ShortcutContext.WidgetShortcut)
        back_to_text.activated.connect(lambda: self.narrative.setFocus())
        self.words = QLabel("0 words")
        self.narrative.word_count_changed.connect(lambda n: self.words.setText(f"{n} words"))
        self.note = QLineEdit(placeholderText="Note to the supervisor (optional)")
        self.submit_button = QPushButton("Submit  (Ctrl+Enter)")
        self.submit_button.clicked.connect(self.submit_requested)
        self.return_button = QPushButton("Return job…")
        self.return_button.clicked.connect(self._ask_return)
        self.back_button = QPushButton("Worklist  (Ctrl+W)")
        self.back_button.clicked.connect(self.back_requested)
        if job.training:  # an exercise is not returned, and no supervisor reads a note
            self.return_button.hide()
            self.note.hide()

        form_area = QScrollArea()
        form_area.setWidgetResizable(True)
        form_area.setWidget(self.form)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.narrative_label)
        column.addWidget(self.narrative, 1)
        column.addWidget(self.words, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(self.findings)
        split = QSplitter()
        split.addWidget(form_area)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.lease_warning)
        layout.addWidget(self.transport)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)

        self.chain_tabs()
        self.form.reshaped.connect(self.chain_tabs)
        self.form.changed.connect(self.changed)
        self.narrative.textChanged.connect(self.changed)
        self.narrative.cursorPositionChanged.connect(self.changed)
        self.note.textChanged.connect(self.changed)
        for keys, slot in (
            ("Ctrl+Return", self.submit_requested.emit),
            ("Ctrl+Enter", self.submit_requested.emit),
            ("Ctrl+Shift+R", self._ask_return if not job.training else lambda: None),
            ("Ctrl+W", self.back_requested.emit),
            ("F7", self.check_requested.emit),
            ("Ctrl+Shift+H", self.peek_requested.emit),
            ("F6", self.switch_pane),
            ("Shift+F6", self.first_problem),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def chain_tabs(self) -> None:
        """Tab goes down the form, top to bottom, then into the narrative, then to the
        actions (rebuilt when a field adds a row)."""
        actions = [self.note, self.return_button] if not self.job.training else []
        chain = [*self.form.focus_chain(), self.narrative, *actions, self.submit_button]
        chain.append(self.back_button)
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def switch_pane(self) -> None:
        """F6: from the narrative to the form (where the focus last was in it), and back."""
        if self.narrative.hasFocus():
            target = self._form_focus or (self.form.focus_chain() or [self.narrative])[0]
            target.setFocus()
        else:
            focused = QApplication.focusWidget()
            if focused is not None and self.form.isAncestorOf(focused):
                self._form_focus = focused
            self.narrative.setFocus()

    def first_problem(self) -> None:
        """Shift+F6: the first field with a problem."""
        widget = self.form.first_problem()
        if widget is not None:
            widget.setFocus()

    def content(self) -> dict[str, Any]:
        """What the user has typed: fields, narrative, cursor, note."""
        return {
            "fields": self.form.values(),
            "narrative": self.narrative.toPlainText(),
            "cursor": self.narrative.textCursor().position(),
            "note_to_supervisor": self.note.text(),
        }

    def restore(self, fields: dict[str, Any], narrative: str, cursor: int, note: str) -> None:
        """Put a saved draft back, cursor included."""
        self.form.set_values(fields)
        self.narrative.setPlainText(narrative)
        text_cursor = self.narrative.textCursor()
        text_cursor.setPosition(min(max(0, cursor), len(narrative)))
        self.narrative.setTextCursor(text_cursor)
        self.note.setText(note)

    def go_to(self, finding: Finding) -> None:
        """Put the cursor where a finding points: its field, or its words in the narrative."""
        if finding.field is not None and finding.field in self.form.editors:
            self.form.editors[finding.field].focus_widget().setFocus()
            return
        if finding.start is not None:
            length = len(self.narrative.toPlainText())
            cursor = self.narrative.textCursor()
            cursor.setPosition(min(finding.start, length))
            cursor.setPosition(
                min(finding.end or finding.start, length), QTextCursor.MoveMode.KeepAnchor
            )
            self.narrative.setTextCursor(cursor)
            self.narrative.setFocus()

    def show_findings(self, report: QualityReport, acknowledged: set[str], focus: bool) -> None:
        """Show a check's findings; with ``focus`` the first one is selected for Enter."""
        self.findings.show_report(report, acknowledged)
        if focus and report.findings:
            self.findings.list.setFocus()
            if self.findings.list.currentRow() < 0:
                self.findings.list.setCurrentRow(0)

    def show_lease_lost(self, message: str) -> None:
        """The job is no longer this user's: say so plainly; the text stays."""
        self.lease_warning.setText(f"{message} Your text is kept on this workstation.")
        self.lease_warning.show()
        self.submit_button.setEnabled(False)

    def _ask_return(self) -> None:
        answer = ReturnDialog.prompt(self)
        if answer is not None:
            self.return_requested.emit(*answer)
