"""The trainee's Training page: the assigned curriculum with progress, every attempt, the
certification rule as it stands, and the scored result of an attempt against its gold.

After an exercise is submitted the page comes forward with its result (``show_job``).
Keyboard: F5 reloads; Enter in the exercises list (or Ctrl+O) opens the current
exercise; in the attempts list Enter shows that attempt's result; in the errors list
Enter plays the audio from just before the error.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QListWidget, QMessageBox, QSplitter, QVBoxLayout, QWidget

from scribedesk.domain.training_records import (
    AttemptDetail,
    MyTraining,
    Progress,
)
from scribedesk.services.training import AttemptResult, TrainingPort
from scribedesk.ui.tasks import Background
from scribedesk.ui.widgets.attempt_view import AttemptView
from scribedesk.ui.workstation import Workstation

_MARK = {"passed": "✓", "current": "▶", "locked": "·", "open": "○"}


class TrainingPage(QWidget):
    """My curriculum, my attempts, and the result of one."""

    message = Signal(str, int)
    failed = Signal(object)
    loaded = Signal(object)  # the MyTraining on screen
    open_job_requested = Signal(int)  # the current exercise's job id
    result_shown = Signal(object)  # the AttemptResult on screen

    def __init__(self, station: Workstation) -> None:
        super().__init__()
        self.run = Background(self)
        self.station = station
        assert station.training is not None, "the workstation has no training calls"
        self.training: TrainingPort = station.training
        self.state: MyTraining | None = None
        self.heading = QLabel("Your training appears here.")
        self.heading.setWordWrap(True)
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.steps = QListWidget()
        self.steps.setWordWrap(True)
        self.steps.setAccessibleName("Exercises of the curriculum: Enter opens the current one")
        self.attempts = QListWidget()
        self.attempts.setWordWrap(True)
        self.attempts.setAccessibleName("My attempts: Enter shows the result")
        self.view = AttemptView(station)
        left = QWidget()
        left.setMinimumWidth(420)
        column = QVBoxLayout(left)
        for widget in (
            QLabel("Exercises (Enter opens the current one)"),
            self.steps,
            QLabel("Attempts (Enter shows the result)"),
            self.attempts,
            self.rule,
        ):
            column.addWidget(widget)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.view)
        split.setSizes([460, 1140])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        self.steps.itemActivated.connect(lambda _i: self.open_current())
        self.attempts.itemActivated.connect(lambda _i: self.show_selected())
        self.view.failed.connect(self.failed.emit)
        for keys, slot in (("F5", self.refresh), ("Ctrl+O", self.open_current)):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    @property
    def progress(self) -> Progress | None:
        if self.state is None:
            return None
        return self.state.active or (self.state.enrolments[0] if self.state.enrolments else None)

    def refresh(self) -> None:
        self.run(self.training.mine, self._loaded, self.failed.emit)

    def _loaded(self, state: MyTraining) -> None:
        self.state = state
        progress = self.progress
        if progress is None:
            self.heading.setText(
                "No curriculum is assigned to you. Your trainer assigns one; it appears here."
            )
            self.steps.clear()
            self.attempts.clear()
            self.rule.setText("")
            self.loaded.emit(state)
            return
        passed = sum(s.state == "passed" for s in progress.steps)
        status = {
            "active": f"exercise {min(passed + 1, len(progress.steps))} of {len(progress.steps)}",
            "certified": "certified: production work is open to you",
            "withdrawn": "withdrawn",
        }.get(progress.status, progress.status)
        hold = f" {state.production_hold}." if state.production_hold else ""
        hints = (
            f" You may peek at the gold {progress.peeks_allowed} time(s) per attempt "
            f"(Ctrl+Shift+H in the exercise; {progress.peek_points:g} point(s) each)."
            if progress.peeks_allowed
            else ""
        )
        self.heading.setText(
            f"<b>{html.escape(progress.curriculum)}</b>: {status}.{html.escape(hold)}{hints}"
        )
        self.steps.clear()
        for number, step in enumerate(progress.steps, start=1):
            best = f", best {step.best:g}" if step.best is not None else ""
            tries = f", {step.attempts} attempt(s)" if step.attempts else ""
            self.steps.addItem(
                f"{_MARK.get(step.state, '·')} {number}. {step.title} · "
                f"{step.template_id.replace('-', ' ')} · pass mark {step.pass_mark:g}"
                f"{tries}{best}"
            )
        current = next((i for i, s in enumerate(progress.steps) if s.state == "current"), 0)
        self.steps.setCurrentRow(current)
        self.attempts.clear()
        for line in reversed(progress.attempts):
            if line.status != "scored":
                self.attempts.addItem(f"{line.title}, attempt {line.number}: open")
                continue
            verdict = "passed" if line.passed else "not passed"
            note = " · trainer's comment" if line.comment else ""
            self.attempts.addItem(
                f"{line.title}, attempt {line.number}: {line.score:g} {verdict}{note}"
            )
        met = "; ".join(f"{'✓' if c.met else '✗'} {c.name}: {c.detail}" for c in progress.criteria)
        holds = "holds: your trainer can certify you" if progress.rule_holds else "not met yet"
        self.rule.setText(f"Certification rule {holds}. {met}")
        self.loaded.emit(state)

    def _lines(self) -> list[int]:
        """Attempt ids in the order the list shows them (newest first)."""
        progress = self.progress
        return [a.id for a in reversed(progress.attempts)] if progress else []

    def open_current(self) -> None:
        """Open the exercise to do now (Enter, Ctrl+O)."""
        progress = self.progress
        if progress is None or progress.open_job_id is None:
            self.message.emit("There is no exercise to do: your curriculum is complete.", 6000)
            return
        self.open_job_requested.emit(progress.open_job_id)

    def show_selected(self) -> None:
        progress, row = self.progress, self.attempts.currentRow()
        ids = self._lines()
        if progress is None or not 0 <= row < len(ids):
            return
        line = next(a for a in progress.attempts if a.id == ids[row])
        if line.status != "scored":
            self.open_job_requested.emit(line.job_id)
            return
        self.show_attempt(line.id)

    def show_attempt(self, attempt_id: int) -> None:
        self.run(lambda: self.training.attempt(attempt_id), self._detail, self.failed.emit)

    def show_job(self, job_id: int) -> None:
        """The result of the attempt submitted as ``job_id`` (after the outbox sent it)."""

        def found(state: MyTraining) -> None:
            self._loaded(state)
            for progress in state.enrolments:
                for line in progress.attempts:
                    if line.job_id == job_id and line.status == "scored":
                        self.show_attempt(line.id)
                        return

        self.run(self.training.mine, found, self.failed.emit)

    def peek(self, job_id: int, token: str, narrative: str) -> None:
        """The gold sentence the trainee is at (Ctrl+Shift+H in an exercise), in a box
        Enter closes; the service counts the peek against the attempt's score."""

        def shown(answer: tuple[str, int, int]) -> None:
            sentence, used, allowed = answer
            QMessageBox.information(
                self, f"Peek at the gold ({used} of {allowed})", sentence or "(nothing left)"
            )

        training = self.training
        self.run(lambda: training.peek(job_id, token, narrative), shown, self.failed.emit)

    def _detail(self, detail: AttemptDetail) -> None:
        template = self.station.templates.get(detail.template_id)
        if template is None:
            self.failed.emit(RuntimeError(f"Unknown template {detail.template_id!r}."))
            return
        result = AttemptResult(detail, template)
        self.view.show_result(result)
        self.view.errors.setFocus()
        self.result_shown.emit(result)
