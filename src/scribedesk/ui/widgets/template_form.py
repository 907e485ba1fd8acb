"""The template's fields as a form generated from its definition, checked as you type.

Each field type gets its editor: a date picker, a pick list (editable when the
template allows other values), check boxes for multiple choice, a number or currency
box, and person and account boxes that complete from the known names. Required fields
carry an asterisk; a problem shows under its field at once. Tab moves top to bottom.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.fields import check, parse_number
from scribedesk.domain.templates import FieldSpec, FieldType, Template
from scribedesk.ui.widgets.date_field import DateEditor as _Date
from scribedesk.ui.widgets.field_editor import FieldEditor


class _Text(FieldEditor):
    def __init__(self, spec: FieldSpec, completions: Sequence[str] = ()) -> None:
        super().__init__(spec)
        self.edit = QLineEdit(placeholderText=spec.placeholder or spec.help)
        if completions:
            completer = QCompleter(list(completions), self.edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.edit.setCompleter(completer)
        self.edit.textChanged.connect(self.changed)
        self.layout_.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class _Number(_Text):
    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        if spec.type is FieldType.CURRENCY:
            self.layout_.insertWidget(0, QLabel(spec.currency))
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)

    def value(self) -> Any:
        text = self.edit.text()
        number = parse_number(text)
        return text if number is None and text.strip() else number

    def set_value(self, value: Any) -> None:
        """A whole number shows as one: a rating of 3 comes back "3", not "3.0"."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        super().set_value(value)


class _LongText(FieldEditor):
    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.edit = QPlainTextEdit(placeholderText=spec.help)
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(64)
        self.edit.textChanged.connect(self.changed)
        self.layout_.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class _Choice(FieldEditor):
    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.box = QComboBox(editable=spec.allow_other)
        self.box.addItems(["", *spec.choices])
        self.box.currentTextChanged.connect(self.changed)
        self.layout_.addWidget(self.box)
        self.layout_.addStretch(1)

    def value(self) -> Any:
        return self.box.currentText()

    def set_value(self, value: Any) -> None:
        self.box.setCurrentText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.box


class _MultiChoice(FieldEditor):
    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.list = QListWidget()
        for choice in spec.choices:
            item = QListWidgetItem(choice)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setFixedHeight(min(6, len(spec.choices)) * 22 + 6)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        column = QVBoxLayout()
        column.addWidget(self.list)
        self.other = QLineEdit(placeholderText="Others, separated by commas")
        self.other.setVisible(spec.allow_other)
        self.other.textChanged.connect(self.changed)
        column.addWidget(self.other)
        self.layout_.addLayout(column)

    def value(self) -> Any:
        chosen = [
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
        return chosen + [o.strip() for o in self.other.text().split(",") if o.strip()]

    def set_value(self, value: Any) -> None:
        values = [str(v) for v in (value or [])] if isinstance(value, list) else []
        for i in range(self.list.count()):
            item = self.list.item(i)
            checked = item.text() in values
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.other.setText(", ".join(v for v in values if v not in self.spec.choices))

    def focus_widget(self) -> QWidget:
        return self.list

    def focus_chain(self) -> list[QWidget]:
        return [self.list, *([self.other] if self.spec.allow_other else [])]


class _Person(QWidget):
    """One person: a name that completes from the known people, and a role when asked for."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, completions: Sequence[str]) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit(placeholderText="Name")
        if completions:
            completer = QCompleter(list(completions), self.name)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.name.setCompleter(completer)
        self.name.textChanged.connect(self.changed)
        row.addWidget(self.name, 2)
        self.role: QComboBox | None = None
        if spec.roles:
            self.role = QComboBox()
            self.role.addItems(["", *spec.roles])
            self.role.currentTextChanged.connect(self.changed)
            row.addWidget(self.role, 1)

    def value(self) -> dict[str, str]:
        person = {"name": self.name.text().strip()}
        if self.role is not None:
            person["role"] = self.role.currentText()
        return person

    def set_value(self, value: Any) -> None:
        data = value if isinstance(value, dict) else {}
        self.name.setText(str(data.get("name", "")))
        if self.role is not None:
            self.role.setCurrentText(str(data.get("role", "")))


class _People(FieldEditor):
    """People with completion; a field that takes several adds a row per person ("Add person")."""

    def __init__(self, spec: FieldSpec, completions: Sequence[str]) -> None:
        super().__init__(spec)
        self.completions = list(completions)
        self.rows: list[_Person] = []
        self.column = QVBoxLayout()
        self.column.setContentsMargins(0, 0, 0, 0)
        self.layout_.addLayout(self.column)
        self.add_button: QPushButton | None = None
        if spec.multiple:
            self.add_button = QPushButton("Add person")
            self.add_button.clicked.connect(lambda: self.add_row().name.setFocus())
            self.column.addWidget(self.add_button)
        self.add_row()

    def add_row(self) -> _Person:
        """One more person row (before the Add button)."""
        person = _Person(self.spec, self.completions)
        person.changed.connect(self.changed)
        self.column.insertWidget(len(self.rows), person)
        self.rows.append(person)
        self.reshaped.emit()
        return person

    def value(self) -> Any:
        people = [row.value() for row in self.rows if row.value()["name"]]
        if self.spec.multiple:
            return people
        return people[0] if people else {"name": ""}

    def set_value(self, value: Any) -> None:
        people = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        while len(self.rows) < max(1, len(people)):
            self.add_row()
        for row, person in zip(self.rows, people + [{}] * len(self.rows), strict=False):
            row.set_value(person)

    def focus_widget(self) -> QWidget:
        return self.rows[0].name

    def focus_chain(self) -> list[QWidget]:
        widgets: list[QWidget] = []
        for row in self.rows:
            widgets += [row.name, *([row.role] if row.role is not None else [])]
        return widgets + ([self.add_button] if self.add_button is not None else [])


class TemplateForm(QWidget):
    """The fields of one template; emits ``changed`` on every edit."""

    changed = Signal()
    reshaped = Signal()  # a field added widgets: the tab order must be rebuilt

    def __init__(
        self,
        template: Template,
        known_accounts: Sequence[str] = (),
        known_people: Sequence[str] = (),
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.template = template
        self._today = today
        self.editors: dict[str, FieldEditor] = {}
        self.problems: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for spec in template.fields:
            editor = self._editor(spec, known_accounts, known_people)
            problem = QLabel()
            problem.setStyleSheet("color: #c62828;")
            problem.hide()
            cell = QWidget()
            # rows keep their own height: a tall window leaves its room below the form
            # instead of spreading it between a label and its field
            cell.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(editor)
            column.addWidget(problem)
            label = QLabel(f"{spec.label}{' *' if spec.required else ''}")
            label.setBuddy(editor.focus_widget())
            if spec.help:
                label.setToolTip(spec.help)
            form.addRow(label, cell)
            self.editors[spec.id] = editor
            self.problems[spec.id] = problem
            editor.changed.connect(lambda s=spec: self._edited(s))
            editor.reshaped.connect(self.reshaped)
        self.reshaped.connect(self.chain_tabs)
        self.chain_tabs()

    def _editor(
        self, spec: FieldSpec, accounts: Sequence[str], people: Sequence[str]
    ) -> FieldEditor:
        if spec.type in (FieldType.NUMBER, FieldType.CURRENCY):
            return _Number(spec)
        if spec.type is FieldType.LONG_TEXT:
            return _LongText(spec)
        if spec.type is FieldType.DATE:
            return _Date(spec)
        if spec.type is FieldType.SINGLE_CHOICE:
            return _Choice(spec)
        if spec.type is FieldType.MULTI_CHOICE:
            return _MultiChoice(spec)
        if spec.type is FieldType.PERSON:
            return _People(spec, people)
        if spec.type is FieldType.ACCOUNT:
            return _Text(spec, accounts)
        return _Text(spec)

    def focus_chain(self) -> list[QWidget]:
        """Every widget Tab visits in the form, top to bottom."""
        return [w for spec in self.template.fields for w in self.editors[spec.id].focus_chain()]

    def chain_tabs(self) -> None:
        """Tab visits every field's widgets top to bottom (a contact's role and "Add
        person" before the next field)."""
        chain = self.focus_chain()
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def first_problem(self) -> QWidget | None:
        """The editor of the first field with a problem, if any."""
        problems = self.problem_list()
        spec = next((s for s in self.template.fields if s.id in problems), None)
        return None if spec is None else self.editors[spec.id].focus_widget()

    def values(self) -> dict[str, Any]:
        """Every field's value, by field id."""
        return {field_id: editor.value() for field_id, editor in self.editors.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the form (e.g. from a restored draft) without reporting problems yet."""
        for field_id, editor in self.editors.items():
            if field_id in values:
                editor.blockSignals(True)
                editor.set_value(values[field_id])
                editor.blockSignals(False)

    def problem_list(self) -> dict[str, str]:
        """Every field with a problem and the sentence for it."""
        found = {}
        for spec in self.template.fields:
            message = check(spec, self.editors[spec.id].value(), self._today())
            if message:
                found[spec.id] = message
        return found

    def _edited(self, spec: FieldSpec) -> None:
        message = check(spec, self.editors[spec.id].value(), self._today())
        label = self.problems[spec.id]
        label.setText(message or "")
        label.setVisible(bool(message))
        self.changed.emit()
