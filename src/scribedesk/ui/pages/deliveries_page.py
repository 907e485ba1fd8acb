"""Deliveries (supervisors and administrators): where each final transcript is on its way
to the CRM and the webhook, what a destination refused and why in its own words, the
dead letters, and the deliveries waiting for a person to pick the CRM account.

Keyboard: F5 reloads; Ctrl+K chooses which deliveries are shown; in the list, Enter
answers the selected one (picks the account of a held delivery, sends a failed or dead
one again) and Ctrl+D saves its job's Word document.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.filing import STATE_WORDS, DeliveryItem
from scribedesk.ui.tasks import Background
from scribedesk.ui.widgets.tables import row_table
from scribedesk.ui.word_document import save_word_document
from scribedesk.ui.workstation import Workstation

HEADERS = ["Delivery", "Job", "Version", "To", "State", "Attempts", "Record", "What it said"]
SHOWN = [
    ("Needing attention (held, refused, given up)", ("held", "failed", "dead")),
    ("On the way", ("pending", "sending")),
    ("Delivered", ("delivered",)),
    ("All", ()),
]


class AccountDialog(QDialog):
    """Which CRM account a held delivery goes to: one of the candidates, or a new one."""

    def __init__(self, item: DeliveryItem, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Job {item.dictation_id}: which {item.destination} account?")
        self.choices = QListWidget()
        self.choices.setAccessibleName("Accounts: Enter chooses")
        for candidate in item.candidates:
            entry = QListWidgetItem(f"{candidate.name} ({candidate.id})")
            entry.setData(256, candidate.id)
            self.choices.addItem(entry)
        new = QListWidgetItem("Create it in the CRM as a new account")
        new.setData(256, "")
        self.choices.addItem(new)
        self.choices.setCurrentRow(0)
        self.choices.itemActivated.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        why = QLabel(item.message)
        why.setWordWrap(True)
        layout.addWidget(why)
        layout.addWidget(self.choices)
        layout.addWidget(buttons)
        self.resize(560, 320)
        self.choices.setFocus()

    def account_id(self) -> str | None:
        """The chosen account's id; None: create a new one."""
        entry = self.choices.currentItem()
        return str(entry.data(256)) or None if entry else None


class DeliveriesPage(QWidget):
    """Deliveries, and what to do about the ones that did not go."""

    message = Signal(str, int)
    failed = Signal(object)
    loaded = Signal(object)  # the DeliveryItems on screen

    def __init__(self, station: Workstation) -> None:
        super().__init__()
        self.run = Background(self)
        self.station = station
        self.items: list[DeliveryItem] = []
        self.shown = QComboBox()
        for title, states in SHOWN:
            self.shown.addItem(title, states)
        self.shown.setAccessibleName("Show (Ctrl+K)")
        self.table = row_table(HEADERS, "Deliveries: Enter picks the account or sends again")
        self.detail = QLabel("Select a delivery to read what its destination said.")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Deliveries · Ctrl+K shows · Enter picks the account or sends again · "
                "Ctrl+D saves the job as Word · F5"
            )
        )
        layout.addWidget(self.shown)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        self.shown.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.currentCellChanged.connect(lambda row, *_a: self._describe(row))
        self.table.cellActivated.connect(lambda row, _c: self.answer(row))
        # a test answers instead
        self._ask_account: Callable[[DeliveryItem], str | bool | None] = lambda i: _ask(i, self)
        self._save_path = QFileDialog.getSaveFileName
        for keys, slot in (
            ("F5", self.refresh),
            ("Ctrl+K", self.shown.setFocus),
            ("Ctrl+D", self.save_document),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    def refresh(self) -> None:
        filing = self.station.filing
        assert filing is not None
        states = tuple(self.shown.currentData() or ())
        self.run(lambda: filing.deliveries(states), self._loaded, self.failed.emit)

    def _loaded(self, items: list[DeliveryItem]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            for column, text in enumerate(
                (
                    str(item.id),
                    str(item.dictation_id),
                    str(item.version),
                    item.destination,
                    STATE_WORDS.get(item.state, item.state),
                    str(item.attempts),
                    item.record_id,
                    item.message.splitlines()[0][:160] if item.message else "",
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if items and self.table.currentRow() < 0:
            self.table.selectRow(0)
        if not items:
            self.detail.setText("No delivery to show here.")
        self._describe(self.table.currentRow())
        self.loaded.emit(items)

    def _describe(self, row: int) -> None:
        if 0 <= row < len(self.items):
            item = self.items[row]
            said = item.message or "Nothing went wrong."
            when = ""
            if item.next_attempt_at is not None and item.state == "pending":
                when = f" Next attempt at {item.next_attempt_at.astimezone():%H:%M:%S}."
            self.detail.setText(
                f"Delivery {item.id} of job {item.dictation_id} to {item.destination}: "
                f"{STATE_WORDS.get(item.state, item.state)}. {said}{when}"
            )

    def answer(self, row: int) -> None:
        """Enter: pick the account of a held delivery; send a failed or dead one again."""
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        filing = self.station.filing
        assert filing is not None
        if item.state == "held":
            chosen = self._ask_account(item)
            if chosen is False:
                return
            account = chosen if isinstance(chosen, str) else None
            where = f"account {account}" if account else "a new account"
            done = f"Delivery {item.id} goes to {where}."
            self.run(
                lambda: filing.choose_account(item.id, account),
                lambda _r: self._done(done),
                self.failed.emit,
            )
        elif item.replayable:
            self.run(
                lambda: filing.replay(item.id),
                lambda _r: self._done(f"Delivery {item.id} will be sent again."),
                self.failed.emit,
            )
        else:
            self.message.emit(
                f"Delivery {item.id} is {STATE_WORDS.get(item.state, item.state)}: nothing to do.",
                5000,
            )

    def save_document(self) -> None:
        """The selected delivery's job as a Word document (Ctrl+D)."""
        row = self.table.currentRow()
        if 0 <= row < len(self.items):
            job_id = self.items[row].dictation_id
            save_word_document(self, self.run, self.station.api, job_id, self._save_path)

    def _done(self, text: str) -> None:
        self.message.emit(text, 8000)
        self.refresh()


def _ask(item: DeliveryItem, parent: QWidget) -> str | bool | None:
    """The account chosen (None: create it); False when the dialog was cancelled."""
    dialog = AccountDialog(item, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return dialog.account_id()
