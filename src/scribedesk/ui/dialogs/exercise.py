"""A new exercise from an audio file: its title, template, account, difficulty, tags, and
its gold (the template's form, as a transcriptionist fills it, and the narrative)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.templates import Template
from scribedesk.ui.widgets.template_form import TemplateForm

AUDIO_FILTER = "Audio (*.wav *.mp3 *.m4a *.aac *.ogg *.opus *.flac *.amr *.dss *.ds2 *.wma)"


class ExerciseDialog(QDialog):
    """Fill in an exercise; ``form()`` is what the service takes (with ``audio``)."""

    def __init__(self, templates: dict[str, Template], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New exercise")
        self.resize(900, 760)
        self.templates = templates
        self.audio = QLineEdit(placeholderText="The recording (Ctrl+O chooses one)")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.choose_audio)
        audio_row = QHBoxLayout()
        audio_row.addWidget(self.audio, 1)
        audio_row.addWidget(browse)
        self.title = QLineEdit()
        self.template = QComboBox()
        for template in templates.values():
            self.template.addItem(template.name, template.id)
        self.account = QLineEdit()
        self.difficulty = QSpinBox(minimum=1, maximum=5, value=2)
        self.tags = QLineEdit(placeholderText="accent, noise, speed, vocabulary…")
        self.holder = QScrollArea()
        self.holder.setWidgetResizable(True)
        self.holder.setMinimumHeight(220)
        self.gold_form: TemplateForm | None = None
        self.narrative = QPlainTextEdit()
        self.narrative.setPlaceholderText("The gold narrative: exactly what is said")
        self.narrative.setTabChangesFocus(True)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        form = QFormLayout()
        form.addRow("&Audio", audio_row)
        form.addRow("&Title", self.title)
        form.addRow("Te&mplate", self.template)
        form.addRow("A&ccount", self.account)
        form.addRow("&Difficulty (1–5)", self.difficulty)
        form.addRow("Ta&gs (commas)", self.tags)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Gold fields"))
        layout.addWidget(self.holder, 1)
        layout.addWidget(QLabel("Gold &narrative"))
        layout.addWidget(self.narrative, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.template.currentIndexChanged.connect(lambda _i: self._build_form())
        QShortcut(QKeySequence("Ctrl+O"), self).activated.connect(self.choose_audio)
        self._build_form()

    def _build_form(self) -> None:
        template = self.templates.get(self.template.currentData())
        if template is None:
            return
        self.gold_form = TemplateForm(template, (), ())
        self.holder.setWidget(self.gold_form)

    def choose_audio(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Exercise audio", "", AUDIO_FILTER)
        if path:
            self.audio.setText(path)
            if not self.title.text():
                self.title.setText(Path(path).stem.replace("-", " ").capitalize())

    def form(self) -> dict[str, Any]:
        """The exercise as the training client uploads it."""
        return {
            "title": self.title.text().strip(),
            "template_id": self.template.currentData(),
            "account": self.account.text().strip(),
            "difficulty": self.difficulty.value(),
            "tags": [t.strip() for t in self.tags.text().split(",") if t.strip()],
            "gold_fields": self.gold_form.values() if self.gold_form else {},
            "gold_narrative": self.narrative.toPlainText(),
        }

    def _accept(self) -> None:
        missing = [
            what
            for what, empty in (
                ("the audio file", not Path(self.audio.text()).is_file()),
                ("a title", not self.title.text().strip()),
                ("the gold narrative", not self.narrative.toPlainText().strip()),
            )
            if empty
        ]
        if missing:
            self.problem.setText("Still needed: " + ", ".join(missing) + ".")
            return
        self.accept()
