"""Open disputes for a supervisor (Ctrl+D on the Review page): each disputed error with
the transcriptionist's reason; U upholds it, W withdraws it (the score is computed again),
each with a note; Esc closes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QListWidget, QVBoxLayout, QWidget

from scribedesk.domain.review import ReviewItem
from scribedesk.services.review import ReviewPort
from scribedesk.ui.tasks import Background


class _List(QListWidget):
    decide = Signal(bool)

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]
        key = event.key()
        if key in (Qt.Key.Key_U, Qt.Key.Key_W) and not event.modifiers():
            self.decide.emit(key == Qt.Key.Key_U)
        else:
            super().keyPressEvent(event)


class DisputesDialog(QDialog):
    """The disputes waiting for a decision."""

    loaded = Signal(int)  # how many are listed
    decided = Signal(object)  # the ReviewItem with its score computed again

    def __init__(
        self,
        reviews: ReviewPort,
        parent: QWidget | None = None,
        ask: Callable[..., tuple[str, bool]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open disputes")
        self.resize(900, 500)
        self.run = Background(self)
        self.reviews = reviews
        self._ask = ask or QInputDialog.getText
        self.entries: list[tuple[ReviewItem, int]] = []  # (review, 1-based error index)
        self.list = _List()
        self.list.setAccessibleName("Open disputes: U upholds, W withdraws")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("U upholds the error · W withdraws it (the score is recomputed)"))
        layout.addWidget(self.list)
        self.list.decide.connect(self._decide)
        self.refresh()

    def refresh(self) -> None:
        self.run(self.reviews.disputes, self._loaded)

    def _loaded(self, items: list[ReviewItem]) -> None:
        self.entries = [
            (item, index)
            for item in items
            for index, error in enumerate(item.errors, start=1)
            if error.status == "disputed"
        ]
        self.list.clear()
        for item, index in self.entries:
            error = item.errors[index - 1]
            reason = (error.dispute or {}).get("reason", "")
            self.list.addItem(
                f"Job {item.dictation_id} ({item.transcriptionist}), error {index}: "
                f"[{error.severity} · {error.category}] {error.words} — “{reason}”"
            )
        if self.entries:
            self.list.setCurrentRow(0)
        self.list.setFocus()
        self.loaded.emit(len(self.entries))

    def _decide(self, uphold: bool) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.entries):
            return
        item, index = self.entries[row]
        note, ok = self._ask(self, "Uphold" if uphold else "Withdraw", "Note for the record:")
        if not ok:
            return

        def done(answer: ReviewItem) -> None:
            self.decided.emit(answer)
            self.refresh()

        self.run(lambda: self.reviews.decide(item.id, index, uphold, note), done)
