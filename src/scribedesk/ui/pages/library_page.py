"""The trainer's Library page: every exercise with its template, difficulty, tags, length
and where it came from.

Keyboard: F5 reloads; Ctrl+U adds an exercise from a recording and its gold; Ctrl+I
imports a manifest of exercises (the demo's format); Ctrl+P promotes a reviewed
production transcript (its corrected version becomes the gold, the names can be
replaced by invented ones); F2 edits the selected exercise's tags and difficulty;
Delete retires it from new curricula (or offers it again).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.trainer_records import ExerciseItem
from scribedesk.services.training import TrainingPort, manifest_exercises
from scribedesk.ui.dialogs.exercise import ExerciseDialog
from scribedesk.ui.tasks import Background
from scribedesk.ui.widgets.tables import row_table
from scribedesk.ui.workstation import Workstation

HEADERS = [
    "#",
    "Title",
    "Template",
    "Difficulty",
    "Tags",
    "Length",
    "Gold words",
    "Source",
    "Offered",
]


class LibraryPage(QWidget):
    """The exercise library and the ways exercises come into it."""

    message = Signal(str, int)
    failed = Signal(object)
    loaded = Signal(object)  # the list of ExerciseItems on screen

    def __init__(self, station: Workstation) -> None:
        super().__init__()
        self.run = Background(self)
        self.station = station
        assert station.training is not None, "the workstation has no training calls"
        self.training: TrainingPort = station.training
        self.items: list[ExerciseItem] = []
        self.table = row_table(HEADERS, "Exercises: F2 edits, Delete retires")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Exercise library · Ctrl+U new from a recording · Ctrl+I import a manifest · "
                "Ctrl+P promote a reviewed transcript · F2 edit · Delete retire · F5 reload"
            )
        )
        layout.addWidget(self.table, 1)
        for keys, slot in (
            ("F5", self.refresh),
            ("Ctrl+U", self.add),
            ("Ctrl+I", self.import_manifest),
            ("Ctrl+P", self.promote),
            ("F2", self.edit),
            ("Delete", self.toggle_offered),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    def refresh(self) -> None:
        self.run(self.training.exercises, self._loaded, self.failed.emit)

    def _loaded(self, items: list[ExerciseItem]) -> None:
        row_before = max(0, self.table.currentRow())
        self.items = items
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            seconds = item.audio_ms // 1000
            for column, text in enumerate(
                (
                    str(item.id),
                    item.title,
                    item.template_id.replace("-", " "),
                    "●" * item.difficulty,
                    ", ".join(item.tags),
                    f"{seconds // 60}:{seconds % 60:02d}",
                    str(item.gold_words),
                    item.source,
                    "yes" if item.active else "retired",
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if items:
            self.table.selectRow(min(row_before, len(items) - 1))
        self.loaded.emit(items)

    def selected(self) -> ExerciseItem | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def add(self) -> None:
        """A new exercise from a recording and its gold (Ctrl+U)."""
        dialog = ExerciseDialog(self.station.templates, self)
        if dialog.exec() != ExerciseDialog.DialogCode.Accepted:
            return
        audio, form = Path(dialog.audio.text()), dialog.form()
        self.message.emit(f"Uploading {audio.name}…", 0)
        self.run(
            lambda: self.training.create_exercise(audio, form),
            lambda item: self._done(f"Exercise {item.id} added."),
            self.failed.emit,
        )

    def import_manifest(self) -> None:
        """Every entry of a manifest (audio file, template, script, fields) as an exercise."""
        path, _filter = QFileDialog.getOpenFileName(
            self, "Import exercises", "", "Exercise manifest (*.json)"
        )
        if not path:
            return
        training = self.training

        def upload() -> int:
            entries = manifest_exercises(Path(path))  # ValueError names a bad entry
            for audio, form in entries:
                training.create_exercise(audio, form)
            return len(entries)

        self.message.emit("Importing…", 0)
        self.run(
            upload,
            lambda n: self._done(f"{n} exercises imported."),
            self.failed.emit,
        )

    def promote(self) -> None:
        """A reviewed production transcript becomes an exercise (Ctrl+P)."""

        def pick(rows: list[dict[str, object]]) -> None:
            if not rows:
                self.message.emit("No reviewed transcript is waiting to be promoted.", 6000)
                return
            labels = [
                f"{r['dictation_id']} · {r['account']} · {r['title'] or r['template_id']} "
                f"(reviewed {r['score']})"
                for r in rows
            ]
            label, ok = QInputDialog.getItem(
                self, "Promote a reviewed transcript", "Transcript", labels, 0, False
            )
            if not ok:
                return
            chosen = rows[labels.index(label)]
            invent = (
                QMessageBox.question(
                    self,
                    "Invented names",
                    "Replace the account and the people's names with invented ones?",
                )
                == QMessageBox.StandardButton.Yes
            )
            dictation_id = int(str(chosen["dictation_id"]))
            self.run(
                lambda: self.training.promote(dictation_id, "", invent),
                lambda item: self._done(f"Exercise {item.id} made from job {dictation_id}."),
                self.failed.emit,
            )

        self.run(self.training.promotable, pick, self.failed.emit)

    def _done(self, text: str) -> None:
        self.message.emit(text, 8000)
        self.refresh()

    def edit(self) -> None:
        """The selected exercise's tags and difficulty (F2)."""
        item = self.selected()
        if item is None:
            return
        tags, ok = QInputDialog.getText(
            self, f"Exercise {item.id}", "Tags (commas):", text=", ".join(item.tags)
        )
        if not ok:
            return
        level, ok = QInputDialog.getInt(
            self, f"Exercise {item.id}", "Difficulty (1 easy – 5 hard):", item.difficulty, 1, 5
        )
        if not ok:
            return
        changes = {"tags": [t.strip() for t in tags.split(",") if t.strip()], "difficulty": level}
        self.run(
            lambda: self.training.edit_exercise(item.id, **changes),
            lambda _i: self.refresh(),
            self.failed.emit,
        )

    def toggle_offered(self) -> None:
        item = self.selected()
        if item is None:
            return
        self.run(
            lambda: self.training.edit_exercise(item.id, active=not item.active),
            lambda _i: self.refresh(),
            self.failed.emit,
        )
