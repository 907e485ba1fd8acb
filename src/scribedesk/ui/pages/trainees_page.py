"""The trainer's Trainees page: trainees × the curriculum's exercises (score, attempts,
time and speed per cell), each trainee's recurring errors and certification rule, and
the transcriptionists whose review accuracy asks for re-certification.

Keyboard: F5 reloads; Ctrl+K picks the curriculum; in the grid Enter opens the cell's
latest attempt (its diff against the gold, and a comment the trainee sees), Ctrl+E
certifies the selected trainee (the evidence is shown first), Ctrl+Shift+A assigns a
curriculum to a trainee; in the alerts list Enter sends the transcriptionist back to
the curriculum, asking why.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.trainer_records import (
    CurriculumItem,
    Grid,
    GridRow,
    Person,
)
from scribedesk.domain.training_records import AttemptDetail
from scribedesk.services.training import AttemptResult, TrainingPort
from scribedesk.ui.tasks import Background
from scribedesk.ui.widgets.attempt_view import AttemptView
from scribedesk.ui.workstation import Workstation

PASSED, FAILED = QColor("#2e7d32"), QColor("#c62828")


class AttemptDialog(QDialog):
    """One attempt against its gold, and the trainer's comment (Ctrl+Return saves)."""

    def __init__(self, station: Workstation, result: AttemptResult, parent: QWidget) -> None:
        super().__init__(parent)
        detail = result.detail
        self.setWindowTitle(f"{detail.trainee}: {detail.line.title}, attempt {detail.line.number}")
        self.resize(1100, 760)
        self.view = AttemptView(station)
        self.view.show_result(result)
        self.comment = QPlainTextEdit(detail.line.comment)
        self.comment.setPlaceholderText("A comment the trainee sees with this attempt")
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(90)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(QLabel("Comment for the trainee (Ctrl+Return saves)"))
        layout.addWidget(self.comment)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.accept)
        self.view.errors.setFocus()


class TraineesPage(QWidget):
    """The grid of a curriculum's trainees, certification and re-certification."""

    message = Signal(str, int)
    failed = Signal(object)
    loaded = Signal(object)  # the Grid on screen
    alerted = Signal(str, str)  # title, text: a transcriptionist newly under the threshold

    def __init__(
        self,
        station: Workstation,
        ask: Callable[..., tuple[str, bool]] | None = None,
        confirm: Callable[[QWidget, str, str], bool] | None = None,
    ) -> None:
        super().__init__()
        self.run = Background(self)
        self.station = station
        assert station.training is not None, "the workstation has no training calls"
        self.training: TrainingPort = station.training
        self._ask = ask or QInputDialog.getText
        self._confirm = confirm or _confirm
        self.grid: Grid | None = None
        self._alerted: set[str] = set()  # told about already
        self.curricula: list[CurriculumItem] = []
        self.picker = QComboBox()
        self.picker.setAccessibleName("Curriculum (Ctrl+K)")
        self.table = QTableWidget(0, 0)
        self.table.setAccessibleName("Trainees by exercise: Enter opens the latest attempt")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail = QLabel("Select a trainee to see their rule and recurring errors.")
        self.detail.setWordWrap(True)
        self.alerts = QListWidget()
        self.alerts.setAccessibleName("Re-certification alerts: Enter sends back to training")
        self.alerts.setMaximumHeight(120)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Curriculum (Ctrl+K) · Enter opens an attempt · Ctrl+E certifies · "
                "Ctrl+Shift+A assigns a curriculum · F5 reloads"
            )
        )
        layout.addWidget(self.picker)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(QLabel("Transcriptionists under the re-certification threshold"))
        layout.addWidget(self.alerts)
        self.picker.currentIndexChanged.connect(lambda _i: self._load_grid())
        self.table.currentCellChanged.connect(lambda row, *_: self._show_row(row))
        self.table.cellActivated.connect(lambda row, column: self.open_cell(row, column))
        self.alerts.itemActivated.connect(lambda _i: self.send_back())
        for keys, slot in (
            ("F5", self.refresh),
            ("Ctrl+K", self.picker.setFocus),
            ("Ctrl+E", self.certify),
            ("Ctrl+Shift+A", self.assign),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.run(self.training.curricula, self._curricula, self.failed.emit)

    def _curricula(self, curricula: list[CurriculumItem]) -> None:
        chosen = self.picker.currentData()
        self.curricula = curricula
        self.picker.blockSignals(True)
        self.picker.clear()
        for item in curricula:
            self.picker.addItem(f"{item.name} ({len(item.steps)} exercises)", item.id)
        index = self.picker.findData(chosen)
        self.picker.setCurrentIndex(index if index >= 0 else 0)
        self.picker.blockSignals(False)
        self._load_grid()

    def _load_grid(self) -> None:
        curriculum_id = self.picker.currentData()
        if curriculum_id is None:
            return
        self.run(lambda: self.training.grid(curriculum_id), self._show_grid, self.failed.emit)

    def _show_grid(self, grid: Grid) -> None:
        self.grid = grid
        table = self.table
        table.clear()
        table.setRowCount(len(grid.rows))
        table.setColumnCount(len(grid.exercises) + 2)
        table.setHorizontalHeaderLabels(
            [
                "Trainee",
                *[f"{n}. {title}" for n, (_e, title, _t) in enumerate(grid.exercises, 1)],
                "Rule",
            ]
        )
        for row, trainee in enumerate(grid.rows):
            name = QTableWidgetItem(trainee.display_name or trainee.username)
            table.setItem(row, 0, name)
            for column, cell in enumerate(trainee.cells, start=1):
                if cell.attempts == 0:
                    text = "open" if cell.state == "open" else "—"
                else:
                    minutes = cell.time_spent_s / 60
                    text = (
                        f"{cell.last:g} ({cell.attempts}×, best {cell.best:g}) · "
                        f"{minutes:.0f} min · {cell.audio_minutes_per_hour:g} min/h"
                    )
                item = QTableWidgetItem(text)
                if cell.state in ("passed", "failed"):
                    item.setForeground(QBrush(PASSED if cell.state == "passed" else FAILED))
                table.setItem(row, column, item)
            rule = "ready to certify (Ctrl+E)" if trainee.rule_holds else "in training"
            if trainee.status != "active":
                rule = trainee.status
            table.setItem(row, len(grid.exercises) + 1, QTableWidgetItem(rule))
        table.resizeColumnsToContents()
        self.alerts.clear()
        for alert in grid.alerts:
            self.alerts.addItem(
                f"{alert.username}: rolling accuracy {alert.rolling_accuracy:g} under "
                f"{alert.threshold:g}. Enter sends back to {grid.curriculum}."
            )
        if grid.rows:
            table.setCurrentCell(0, 1 if grid.exercises else 0)
        new = [a for a in grid.alerts if a.username not in self._alerted]
        if new:
            self._alerted |= {a.username for a in new}
            names = ", ".join(f"{a.username} ({a.rolling_accuracy:g})" for a in new)
            self.alerted.emit(
                "Re-certification",
                f"Review accuracy under {new[0].threshold:g}: {names}. Ctrl+1, then Enter "
                "in the alerts list sends one back to training.",
            )
        self.loaded.emit(grid)

    def _row(self, row: int) -> GridRow | None:
        grid = self.grid
        return grid.rows[row] if grid is not None and 0 <= row < len(grid.rows) else None

    def _show_row(self, row: int) -> None:
        trainee = self._row(row)
        if trainee is None:
            return
        criteria = "; ".join(
            f"{'✓' if c.met else '✗'} {c.name}: {c.detail}" for c in trainee.criteria
        )
        recurring = ", ".join(f"{kind} ×{count}" for kind, count in trainee.recurring) or "none"
        self.detail.setText(
            f"<b>{html.escape(trainee.username)}</b>: {html.escape(criteria)}. "
            f"Recurring errors: {html.escape(recurring)}."
        )

    # -- actions ------------------------------------------------------------------------------

    def open_cell(self, row: int, column: int) -> None:
        """The cell's latest attempt against its gold, with a comment for the trainee."""
        trainee = self._row(row)
        if trainee is None or not 1 <= column <= len(trainee.cells):
            return
        attempt_id = trainee.cells[column - 1].last_attempt_id
        if attempt_id is None:
            self.message.emit("No attempt is scored in that cell yet.", 5000)
            return
        self.run(lambda: self.training.attempt(attempt_id), self._open_attempt, self.failed.emit)

    def _open_attempt(self, detail: AttemptDetail) -> None:
        template = self.station.templates.get(detail.template_id)
        if template is None:
            self.failed.emit(RuntimeError(f"Unknown template {detail.template_id!r}."))
            return
        dialog = AttemptDialog(self.station, AttemptResult(detail, template), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        text = dialog.comment.toPlainText().strip()
        if text == detail.line.comment:
            return
        self.run(
            lambda: self.training.comment(detail.line.id, text),
            lambda _d: self._done("Comment saved: the trainee sees it."),
            self.failed.emit,
        )

    def certify(self) -> None:
        """Certify the selected trainee when the rule holds, after showing the evidence."""
        trainee = self._row(self.table.currentRow())
        if trainee is None:
            return
        if not trainee.rule_holds:
            unmet = "; ".join(f"{c.name}: {c.detail}" for c in trainee.criteria if not c.met)
            self.message.emit(f"{trainee.username} cannot be certified yet: {unmet}.", 10_000)
            return
        evidence = "\n".join(f"✓ {c.name}: {c.detail}" for c in trainee.criteria)
        if not self._confirm(self, "Certify", f"Certify {trainee.username}?\n\n{evidence}"):
            return

        def done(certificate: dict[str, object]) -> None:
            templates = ", ".join(map(str, certificate.get("templates") or []))  # type: ignore[call-overload]
            self.message.emit(f"{trainee.username} is certified for {templates}.", 10_000)
            self._load_grid()

        self.run(lambda: self.training.certify(trainee.enrolment_id), done, self.failed.emit)

    def assign(self) -> None:
        """Assign the chosen curriculum to a trainee who has none active."""
        curriculum_id = self.picker.currentData()
        if curriculum_id is None:
            return

        def pick(people: list[Person]) -> None:
            trainees = [p for p in people if p.enrolment_id is None and p.role == "trainee"]
            if not trainees:
                self.message.emit("Every trainee already works through a curriculum.", 6000)
                return
            names = [p.username for p in trainees]
            name, ok = QInputDialog.getItem(self, "Assign curriculum", "Trainee", names, 0, False)
            if not ok:
                return
            person = trainees[names.index(name)]
            self.run(
                lambda: self.training.enrol(curriculum_id, person.id),
                lambda _r: self._done(f"{name} has the curriculum."),
                self.failed.emit,
            )

        self.run(self.training.people, pick, self.failed.emit)

    def _done(self, text: str) -> None:
        self.message.emit(text, 6000)
        self._load_grid()

    def send_back(self) -> None:
        """Send the selected alert's transcriptionist back to the chosen curriculum."""
        grid, row = self.grid, self.alerts.currentRow()
        if grid is None or not 0 <= row < len(grid.alerts):
            return
        alert = grid.alerts[row]
        reason, ok = self._ask(
            self,
            "Send back to training",
            f"Why does {alert.username} go back to {grid.curriculum}? (Their production work "
            "stops until they pass.)",
            text=f"Rolling review accuracy {alert.rolling_accuracy:g} under {alert.threshold:g}.",
        )
        if not ok or not reason.strip():
            return
        self.run(
            lambda: self.training.enrol(grid.curriculum_id, alert.user_id, reason),
            lambda _r: self._done(f"{alert.username} is back in training."),
            self.failed.emit,
        )


def _confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes
