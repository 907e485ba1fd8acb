"""The Check panel: the quality findings of the open job, each a key away from its place."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from scribedesk.domain.quality import Finding, QualityReport, Severity
from scribedesk.services.outbox import counted


class FindingsPanel(QWidget):
    """A title with the counts and the list of findings; Enter or a click goes to one."""

    go_to = Signal(object)  # the Finding

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel()
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self.report: QualityReport | None = None
        self.hide()

    def show_report(self, report: QualityReport, acknowledged: set[str]) -> None:
        """Replace the list; keep the selection on the same finding where it still exists."""
        current = self.list.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole).key if current else None
        self.report = report
        errors, warnings = len(report.errors), len(report.warnings)
        if not report.findings:
            self.title.setText("<b>Check</b> (F7): no findings. Ready to submit.")
        else:
            self.title.setText(
                f"<b>Check</b> (F7): <span style='color:#c62828'>{counted(errors, 'error')}"
                f"</span> to fix, {counted(warnings, 'warning')} to confirm. Enter goes to one."
            )
        self.list.clear()
        for finding in report.findings:
            error = finding.severity is Severity.ERROR
            mark = "✖" if error else "⚠"
            note = " (confirmed)" if finding.key in acknowledged else ""
            item = QListWidgetItem(f"{mark}  {finding.message}{note}")
            item.setData(Qt.ItemDataRole.UserRole, finding)
            item.setForeground(QColor("#c62828") if error else QColor("#8d6e00"))
            self.list.addItem(item)
            if finding.key == keep:
                self.list.setCurrentItem(item)
        self.show()

    def _activated(self, item: QListWidgetItem) -> None:
        finding: Finding = item.data(Qt.ItemDataRole.UserRole)
        self.go_to.emit(finding)
