"""The read-only, row-selecting table the pages list their items in."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableWidget


def row_table(headers: list[str], name: str) -> QTableWidget:
    """A table of whole rows, one selected at a time, not editable, its last column
    stretched, with ``name`` for screen readers."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table
