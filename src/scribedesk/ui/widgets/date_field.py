"""A date field typed as text, with a calendar one key away (F4 or Alt+Down)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QWidget

from scribedesk.domain.templates import FieldSpec
from scribedesk.ui.widgets.field_editor import FieldEditor


class _DateLine(QLineEdit):
    """A date typed as text: F4 or Alt+Down opens the calendar."""

    open_calendar = Signal()

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_F4 or (
            key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier
        ):
            self.open_calendar.emit()
        else:
            super().keyPressEvent(event)


class DateEditor(FieldEditor):
    """A date typed as ISO (2026-11-24) or in the locale's short form (11/24/26), Tab
    passes through like any text field, and F4 / Alt+Down opens a calendar (Enter picks,
    Esc closes). The value is ISO; text that is no date is kept as typed for the check
    to flag."""

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.edit = _DateLine(placeholderText="YYYY-MM-DD · F4 opens the calendar")
        self.edit.textChanged.connect(self.changed)
        self.edit.open_calendar.connect(self.open_calendar)
        self.edit.editingFinished.connect(self._tidy)
        hint = self.edit.fontMetrics().horizontalAdvance(self.edit.placeholderText())
        self.edit.setMinimumWidth(hint + 16)  # the whole hint shows, F4 included
        self.calendar: QCalendarWidget | None = None
        self.layout_.addWidget(self.edit)
        self.layout_.addStretch(1)

    def value(self) -> Any:
        text = self.edit.text().strip()
        parsed = _parse_date(text)
        return parsed.toString("yyyy-MM-dd") if parsed is not None else text

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit

    def _tidy(self) -> None:
        parsed = _parse_date(self.edit.text().strip())
        if parsed is not None:
            self.edit.setText(parsed.toString("yyyy-MM-dd"))

    def open_calendar(self) -> None:
        """The calendar under the field, on the typed date or today."""
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setSelectedDate(_parse_date(self.edit.text().strip()) or QDate.currentDate())
        calendar.activated.connect(self._picked)
        calendar.clicked.connect(self._picked)
        calendar.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus()
        self.calendar = calendar

    def _picked(self, chosen: QDate) -> None:
        self.edit.setText(chosen.toString("yyyy-MM-dd"))
        if self.calendar is not None:
            self.calendar.close()
        self.edit.setFocus()


def _parse_date(text: str) -> QDate | None:
    if not text:
        return None
    iso = QDate.fromString(text, "yyyy-MM-dd")
    if iso.isValid():
        return iso
    local = QLocale().toDate(text, QLocale.FormatType.ShortFormat)
    if local.isValid():
        if local.year() < 1950:  # a two-digit year is this century's
            local = local.addYears(100)
        return local
    return None
