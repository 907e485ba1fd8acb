"""Reports: the survey report (Word or CSV) over a date range, the proposals with what is
dictated and missing and their compiled drafts, and (supervisors and administrators) the
export of delivered records as CSV or JSON for a CRM's import.

Keyboard: Ctrl+R saves the survey report as Word, Ctrl+Shift+R as CSV; Ctrl+E saves
the export; in the proposals, Enter (or Ctrl+D) saves the selected draft and Ctrl+O
edits its outline; F5 reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.filing import ProposalItem, outline_from_text
from scribedesk.ui.tasks import Background
from scribedesk.ui.widgets.tables import row_table
from scribedesk.ui.word_document import save_download
from scribedesk.ui.workstation import Workstation

HEADERS = ["Proposal", "Account", "Dictated", "Missing"]
DOCX = "Word document (*.docx)"


class OutlineDialog(QDialog):
    """A proposal's RFP outline, typed one section per line ("4.2 Data security")."""

    def __init__(self, item: ProposalItem, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Outline of {item.proposal}")
        self.text = QPlainTextEdit(item.outline_text())
        self.text.setAccessibleName("One section per line: its number, then its title")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("One section per line, in the RFP's order: 4.2 Data security"))
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self.text.setFocus()


class ReportsPage(QWidget):
    """Survey report, proposal drafts and the export of delivered records."""

    message = Signal(str, int)
    failed = Signal(object)
    loaded = Signal(object)  # the ProposalItems on screen

    def __init__(self, station: Workstation, can_export: bool) -> None:
        super().__init__()
        self.run = Background(self)
        self.station = station
        self.items: list[ProposalItem] = []
        today = date.today()
        self.since = QLineEdit((today - timedelta(days=30)).isoformat())
        self.until = QLineEdit(today.isoformat())
        for edit, name in ((self.since, "From (YYYY-MM-DD)"), (self.until, "To (YYYY-MM-DD)")):
            edit.setAccessibleName(name)
            edit.setMaximumWidth(140)
        span = QHBoxLayout()
        for text, edit in (("Received &from", self.since), ("t&o", self.until)):
            label = QLabel(text)
            label.setBuddy(edit)
            span.addWidget(label)
            span.addWidget(edit)
        reads = "the survey report and the export read" if can_export else "the survey report reads"
        span.addWidget(QLabel(f"({reads} this range)"))
        span.addStretch(1)
        self.template = QComboBox()
        self.format = QComboBox()
        for combo in (self.template, self.format):
            combo.setMaximumWidth(360)
        self.format.addItem("CSV", "csv")
        self.format.addItem("JSON", "json")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Reports · Ctrl+R survey report (Ctrl+Shift+R as CSV) · Enter saves a proposal "
                "draft, Ctrl+O edits its outline" + (" · Ctrl+E export" if can_export else "")
            )
        )
        layout.addLayout(span)
        if can_export:
            export = QFormLayout()
            export.addRow("Export &template", self.template)
            export.addRow("Export for&mat", self.format)
            layout.addLayout(export)
        layout.addWidget(QLabel("Proposals"))
        self.table = row_table(HEADERS, "Proposals: Enter saves the draft, Ctrl+O the outline")
        layout.addWidget(self.table, 1)
        self.table.cellActivated.connect(lambda _r, _c: self.save_draft())
        self._save_path = QFileDialog.getSaveFileName  # a test answers instead
        self._ask_outline: Callable[[ProposalItem], str | None] = lambda item: _ask(item, self)
        keys = [
            ("F5", self.refresh),
            ("Ctrl+R", lambda: self.save_survey("docx")),
            ("Ctrl+Shift+R", lambda: self.save_survey("csv")),
            ("Ctrl+D", self.save_draft),
            ("Ctrl+O", self.edit_outline),
        ]
        if can_export:
            keys.append(("Ctrl+E", self.save_export))
        for sequence, slot in keys:
            QShortcut(QKeySequence(sequence), self).activated.connect(slot)

    def refresh(self) -> None:
        if self.template.count() == 0:
            for template in self.station.templates.values():
                self.template.addItem(template.name, template.id)
        filing = self.station.filing
        assert filing is not None
        self.run(filing.proposals, self._loaded, self.failed.emit)

    def _loaded(self, items: list[ProposalItem]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            missing = ", ".join(item.missing) if item.missing else "nothing"
            for column, text in enumerate(
                (item.proposal, item.account, ", ".join(item.dictated) or "none yet", missing)
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if items and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self.loaded.emit(items)

    def _range(self) -> tuple[date, date] | None:
        try:
            return date.fromisoformat(self.since.text()), date.fromisoformat(self.until.text())
        except ValueError:
            self.message.emit("Type the dates as YYYY-MM-DD, for example 2026-11-01.", 8000)
            self.since.setFocus()
            return None

    def save_survey(self, fmt: str) -> None:
        """The survey report over the range, as Word (Ctrl+R) or CSV (Ctrl+Shift+R)."""
        span = self._range()
        filing = self.station.filing
        if span is None or filing is None:
            return
        kind = DOCX if fmt == "docx" else "CSV (*.csv)"
        name = f"survey-{span[0]}-{span[1]}.{fmt}"
        fetch = lambda: filing.survey_report(span[0], span[1], fmt)  # noqa: E731
        save_download(self, self.run, fetch, self._save_path, name, kind, "the survey report")

    def save_export(self) -> None:
        """The delivered records of the chosen template over the range (Ctrl+E)."""
        span = self._range()
        filing = self.station.filing
        if span is None or filing is None or self.template.currentData() is None:
            return
        template, fmt = str(self.template.currentData()), str(self.format.currentData())
        name = f"{template}-{span[0]}-{span[1]}.{fmt}"
        kind = "CSV (*.csv)" if fmt == "csv" else "JSON (*.json)"
        fetch = lambda: filing.export(template, span[0], span[1], fmt)  # noqa: E731
        save_download(self, self.run, fetch, self._save_path, name, kind, "the export")

    def _selected(self) -> ProposalItem | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def save_draft(self) -> None:
        """The selected proposal compiled from its newest sections (Enter, Ctrl+D)."""
        item, filing = self._selected(), self.station.filing
        if item is None or filing is None:
            return
        slug = "".join(c if c.isalnum() else "-" for c in item.proposal.lower()).strip("-")
        fetch = lambda: filing.proposal_draft(item.proposal)  # noqa: E731
        save_download(
            self, self.run, fetch, self._save_path, f"{slug}-draft.docx", DOCX, "the draft"
        )

    def edit_outline(self) -> None:
        """Type the selected proposal's RFP outline (Ctrl+O)."""
        item, filing = self._selected(), self.station.filing
        if item is None or filing is None:
            return
        text = self._ask_outline(item)
        if text is None:
            return
        sections = outline_from_text(text)
        self.run(
            lambda: filing.set_outline(item.proposal, item.account, sections),
            lambda _r: self._saved(f"Outline of {item.proposal} saved."),
            self.failed.emit,
        )

    def _saved(self, text: str) -> None:
        self.message.emit(text, 6000)
        self.refresh()


def _ask(item: ProposalItem, parent: QWidget) -> str | None:
    dialog = OutlineDialog(item, parent)
    return dialog.text.toPlainText() if dialog.exec() == QDialog.DialogCode.Accepted else None
