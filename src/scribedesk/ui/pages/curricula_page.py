"""The trainer's Curricula page: each curriculum's exercises in order with their pass
marks, its certification rule and the hints it allows.

Keyboard: F5 reloads; Ctrl+N starts a new curriculum; in the steps list Insert adds an
exercise from the library, Delete removes the selected one, Alt+Up / Alt+Down move it,
and the pass mark box edits its pass mark; Ctrl+S saves.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.certification import (
    DEFAULT_RULE,
    CertificationRule,
)
from scribedesk.domain.trainer_records import (
    CurriculumItem,
    ExerciseItem,
)
from scribedesk.domain.training import Hints
from scribedesk.services.training import CurriculumDraft, TrainingPort
from scribedesk.ui.tasks import Background
from scribedesk.ui.workstation import Workstation


class StepList(QListWidget):
    """The curriculum's exercises: Insert adds, Delete removes, Alt+Up/Down move."""

    add_requested = Signal()
    remove_requested = Signal()
    move_requested = Signal(int)

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]
        key, alt = event.key(), event.modifiers() & Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_Insert:
            self.add_requested.emit()
        elif key == Qt.Key.Key_Delete:
            self.remove_requested.emit()
        elif alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)


class CurriculaPage(QWidget):
    """Curricula and their editor."""

    message = Signal(str, int)
    failed = Signal(object)
    loaded = Signal(object)  # the list of CurriculumItems on screen

    def __init__(self, station: Workstation) -> None:
        super().__init__()
        self.run = Background(self)
        assert station.training is not None, "the workstation has no training calls"
        self.training: TrainingPort = station.training
        self.curricula: list[CurriculumItem] = []
        self.library: list[ExerciseItem] = []
        self.draft = CurriculumDraft()
        self.list = QListWidget()
        self.list.setAccessibleName("Curricula")
        self.name = QLineEdit()
        self.description = QLineEdit()
        self.steps = StepList()
        self.steps.setAccessibleName("Exercises in order: Insert adds, Delete removes")
        self.pass_mark = QDoubleSpinBox(minimum=0, maximum=100, decimals=1, value=98)
        rule = DEFAULT_RULE
        self.min_accuracy = QDoubleSpinBox(minimum=0, maximum=100, decimals=1)
        self.last_exercises = QSpinBox(minimum=0, maximum=100)
        self.no_critical_last = QSpinBox(minimum=0, maximum=100)
        self.min_pace = QDoubleSpinBox(minimum=0, maximum=10, decimals=2, singleStep=0.1)
        self.all_templates = QCheckBox("every template of the curriculum passed")
        self.complete = QCheckBox("every exercise passed")
        self.auto_certify = QCheckBox("certify automatically when the rule holds")
        self.peeks = QSpinBox(minimum=0, maximum=20)
        self.peek_points = QDoubleSpinBox(minimum=0, maximum=10, decimals=1, singleStep=0.5)
        self._show_rule(rule, Hints())
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for box in (self.name, self.description):
            box.setMinimumWidth(520)
        form.addRow("&Name", self.name)
        form.addRow("&Description", self.description)
        form.addRow("Pass &mark of the selected exercise", self.pass_mark)
        form.addRow(QLabel("<b>Certification rule</b>"))
        form.addRow("Weighted accuracy at least", self.min_accuracy)
        form.addRow("… on each of the last exercises", self.last_exercises)
        form.addRow("No critical error in the last attempts", self.no_critical_last)
        form.addRow("Pace at least (× real time)", self.min_pace)
        form.addRow("", self.all_templates)
        form.addRow("", self.complete)
        form.addRow("", self.auto_certify)
        form.addRow(QLabel("<b>Hints</b>"))
        form.addRow("Peeks at the gold per attempt", self.peeks)
        form.addRow("Points each peek costs", self.peek_points)
        editor = QWidget()
        column = QVBoxLayout(editor)
        column.addWidget(
            QLabel("Exercises in order (Insert adds · Delete removes · Alt+↑/↓ moves)")
        )
        column.addWidget(self.steps, 1)
        column.addLayout(form)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(editor)
        split.setSizes([380, 1220])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Curricula · Ctrl+N new · Ctrl+S saves · F5 reloads"))
        layout.addWidget(split, 1)
        self.list.currentRowChanged.connect(self._open)
        self.steps.currentRowChanged.connect(self._show_step)
        self.steps.add_requested.connect(self.add_step)
        self.steps.remove_requested.connect(self.remove_step)
        self.steps.move_requested.connect(self.move_step)
        self.pass_mark.valueChanged.connect(self._pass_mark_edited)
        for keys, slot in (("F5", self.refresh), ("Ctrl+N", self.new), ("Ctrl+S", self.save)):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    def refresh(self) -> None:
        def both() -> tuple[list[CurriculumItem], list[ExerciseItem]]:
            return self.training.curricula(), self.training.exercises()

        self.run(both, self._loaded, self.failed.emit)

    def _loaded(self, found: tuple[list[CurriculumItem], list[ExerciseItem]]) -> None:
        self.curricula, self.library = found
        self.draft.titles = {e.id: e.title for e in self.library}
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.curricula:
            self.list.addItem(f"{item.name} ({len(item.steps)} exercises)")
        self.list.blockSignals(False)
        if self.curricula:
            self.list.setCurrentRow(min(max(row, 0), len(self.curricula) - 1))
            self._open(self.list.currentRow())
        self.loaded.emit(self.curricula)

    def _open(self, row: int) -> None:
        if not 0 <= row < len(self.curricula):
            return
        item = self.curricula[row]
        self.draft = CurriculumDraft.of(item, {e.id: e.title for e in self.library})
        self.name.setText(item.name)
        self.description.setText(item.description)
        self._show_rule(self.draft.rule, self.draft.hints)
        self._fill_steps()

    def new(self) -> None:
        """An empty curriculum to fill (Ctrl+N)."""
        self.list.clearSelection()
        self.draft = CurriculumDraft(titles={e.id: e.title for e in self.library})
        self.name.setText("")
        self.description.setText("")
        self._show_rule(DEFAULT_RULE, Hints())
        self._fill_steps()
        self.name.setFocus()

    def _show_rule(self, rule: CertificationRule, hints: Hints) -> None:
        self.min_accuracy.setValue(rule.min_accuracy)
        self.last_exercises.setValue(rule.last_exercises)
        self.no_critical_last.setValue(rule.no_critical_last)
        self.min_pace.setValue(rule.min_pace)
        self.all_templates.setChecked(rule.all_templates)
        self.complete.setChecked(rule.complete)
        self.auto_certify.setChecked(rule.auto_certify)
        self.peeks.setValue(hints.peeks)
        self.peek_points.setValue(hints.peek_points)

    def _fill_steps(self, select: int = 0) -> None:
        self.steps.clear()
        for line in self.draft.lines():
            self.steps.addItem(line)
        if self.draft.steps:
            self.steps.setCurrentRow(min(select, len(self.draft.steps) - 1))

    def _show_step(self, row: int) -> None:
        if 0 <= row < len(self.draft.steps):
            self.pass_mark.blockSignals(True)
            self.pass_mark.setValue(self.draft.steps[row][1])
            self.pass_mark.blockSignals(False)

    def _pass_mark_edited(self, value: float) -> None:
        row = self.steps.currentRow()
        if self.draft.set_pass_mark(row, value):
            self.steps.item(row).setText(self.draft.lines()[row])

    def add_step(self) -> None:
        """Add an exercise of the library not yet in the curriculum (Insert)."""
        offered = [e for e in self.library if e.active and e.id not in self.draft.exercise_ids]
        if not offered:
            self.message.emit("Every exercise of the library is in the curriculum.", 5000)
            return
        labels = [f"{e.id} · {e.title} · {e.template_id} · {'●' * e.difficulty}" for e in offered]
        label, ok = QInputDialog.getItem(self, "Add an exercise", "Exercise", labels, 0, False)
        if ok:
            self.draft.add(offered[labels.index(label)].id, self.pass_mark.value())
            self._fill_steps(len(self.draft.steps) - 1)

    def remove_step(self) -> None:
        row = self.steps.currentRow()
        if self.draft.remove(row):
            self._fill_steps(row)

    def move_step(self, by: int) -> None:
        row = self.steps.currentRow()
        if self.draft.move(row, by):
            self._fill_steps(row + by)

    def rule(self) -> dict[str, Any]:
        return CertificationRule(
            min_accuracy=self.min_accuracy.value(),
            last_exercises=self.last_exercises.value(),
            all_templates=self.all_templates.isChecked(),
            no_critical_last=self.no_critical_last.value(),
            min_pace=self.min_pace.value(),
            complete=self.complete.isChecked(),
            auto_certify=self.auto_certify.isChecked(),
        ).to_dict()

    def save(self) -> None:
        """Save the curriculum (Ctrl+S); the service says what is wrong, if anything."""
        draft, name = self.draft, self.name.text().strip()
        hints = Hints(self.peeks.value(), self.peek_points.value()).to_dict()
        rule, description = self.rule(), self.description.text()

        def saved(item: CurriculumItem) -> None:
            self.message.emit(f"Curriculum {item.name!r} saved.", 6000)
            self.refresh()

        self.run(
            lambda: self.training.save_curriculum(
                name,
                draft.steps,
                curriculum_id=draft.curriculum_id,
                description=description,
                rule=rule,
                hints=hints,
            ),
            saved,
            self.failed.emit,
        )
