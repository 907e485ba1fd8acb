"""The transcriptionist's Feedback page: reviewed jobs with their score, the differences
as tracked changes, the classified errors and the reviewer's feedback.

Keyboard: F5 reloads; in the errors list, D disputes the selected error (within the
team's window), asking for the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QListWidget,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.review import ReviewItem
from scribedesk.services.review import ReviewWork
from scribedesk.ui.tasks import Background
from scribedesk.ui.workstation import Workstation


class ErrorList(QListWidget):
    dispute = Signal()

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_D and not event.modifiers():
            self.dispute.emit()
        else:
            super().keyPressEvent(event)


class FeedbackPage(QWidget):
    """My reviewed jobs; dispute an error with D."""

    message = Signal(str, int)
    failed = Signal(object)
    loaded = Signal(object)  # the list of ReviewItems on screen

    def __init__(
        self, station: Workstation, ask: Callable[..., tuple[str, bool]] | None = None
    ) -> None:
        super().__init__()
        self.run = Background(self)
        self.station = station
        assert station.reviews is not None, "the workstation has no review calls"
        self.reviews = station.reviews
        self._ask = ask or QInputDialog.getText
        self.items: list[ReviewItem] = []
        self.list = QListWidget()
        self.list.setAccessibleName("Reviewed jobs")
        self.summary = QLabel("Reviewed jobs appear here.")
        self.summary.setWordWrap(True)
        self.diff = QTextBrowser()
        self.errors = ErrorList()
        self.errors.setAccessibleName("Errors: D disputes the selected one")
        right = QWidget()
        column = QVBoxLayout(right)
        for widget in (self.summary, self.diff, QLabel("Errors (D disputes)"), self.errors):
            column.addWidget(widget)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Feedback on my reviewed jobs (F5 reloads)"))
        layout.addWidget(split, 1)
        self.list.currentRowChanged.connect(self._show)
        self.errors.dispute.connect(self.dispute)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh)

    def refresh(self) -> None:
        self.run(self.reviews.mine, self._loaded, self.failed.emit)

    def _loaded(self, items: list[ReviewItem]) -> None:
        self.items = items
        self.list.clear()
        for item in items:
            score = item.score
            verdict = "passed" if score.get("passed") else "failed"
            self.list.addItem(
                f"Job {item.dictation_id} · {item.account} · {score.get('score', 0):g} {verdict}"
            )
        if items:
            self.list.setCurrentRow(0)
        self.loaded.emit(items)

    def selected(self) -> ReviewItem | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show(self, _row: int) -> None:
        item = self.selected()
        if item is None:
            return
        self.run(lambda: self.reviews.review(item.id), self._detail, self.failed.emit)

    def _detail(self, item: ReviewItem) -> None:
        score = item.score
        self.summary.setText(
            f"Job {item.dictation_id}, {item.account}: score {score.get('score', 0):g} "
            f"(pass mark {score.get('pass_mark', 98):g}), word accuracy "
            f"{score.get('word_accuracy', 0):g} %. Feedback: {item.feedback or '—'}"
        )
        template = self.station.templates.get(item.template_id)
        if template is not None and item.corrected is not None:
            work = ReviewWork(item, template)
            work.update(item.corrected.narrative, item.corrected.fields)
            self.diff.setHtml(work.diff_html())
        self.errors.clear()
        for error in item.errors:
            where = f"{error.field}: " if error.field else ""
            self.errors.addItem(
                f"[{error.severity} · {error.category} · {error.status}] {where}{error.words}"
                + (f" ({error.comment})" if error.comment else "")
            )

    def dispute(self) -> None:
        """Dispute the selected error (D), with a reason."""
        item, index = self.selected(), self.errors.currentRow()
        if item is None or index < 0:
            return
        reason, ok = self._ask(self, "Dispute", "Why is this not an error?")
        if not ok or not reason.strip():
            return

        def disputed(_answer: ReviewItem) -> None:
            self.message.emit("Your dispute is with the supervisor.", 6000)
            self.refresh()

        self.run(
            lambda: self.reviews.dispute(item.id, index + 1, reason), disputed, self.failed.emit
        )
