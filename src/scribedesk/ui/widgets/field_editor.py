"""The base of every field editor of the template form."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from scribedesk.domain.templates import FieldSpec


class FieldEditor(QWidget):
    """One field's editor: ``value()``/``set_value()`` in the JSON form of domain.fields."""

    changed = Signal()
    reshaped = Signal()  # widgets were added (a person row): the tab order is rebuilt

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__()
        self.spec = spec
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        """The widget that takes the keyboard focus for this field."""
        return self

    def focus_chain(self) -> list[QWidget]:
        """Every widget of this field that Tab visits, in order."""
        return [self.focus_widget()]
