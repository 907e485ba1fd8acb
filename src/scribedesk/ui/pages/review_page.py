"""The supervisor's review page: the queue, then the review workspace.

The submitted transcript opens as an editable corrected copy (fields and narrative); the
differences update as you type, shown as tracked changes and listed one per line. In the
list, 1 / 2 / 3 classify the selected difference critical / non-critical / feedback (0
clears it), Enter plays the audio from where it is, and the score updates as you go.
Ctrl+N claims the next review, Ctrl+Return submits it with the feedback, Ctrl+D lists
the disputes waiting for a decision. The audio plays
on the window's player, so the pedal and the transport hotkeys work as on a job.

The logic is services.review.ReviewWork; the page shows it and forwards the keys.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.audio import AudioRef
from scribedesk.domain.review import ReviewItem
from scribedesk.domain.weighting import Severity
from scribedesk.services.review import Difference, ReviewWork
from scribedesk.ui.dialogs.disputes import DisputesDialog
from scribedesk.ui.tasks import Background
from scribedesk.ui.widgets.template_form import TemplateForm
from scribedesk.ui.workstation import Workstation

log = logging.getLogger(__name__)

SEVERITY_KEYS = {
    Qt.Key.Key_1: Severity.CRITICAL,
    Qt.Key.Key_2: Severity.NON_CRITICAL,
    Qt.Key.Key_3: Severity.FEEDBACK,
}
_LABEL = {
    Severity.CRITICAL: "CRITICAL",
    Severity.NON_CRITICAL: "non-critical",
    Severity.FEEDBACK: "feedback",
}


class DifferenceList(QListWidget):
    """The differences; 1/2/3/0 classify the selected one, Enter plays it."""

    classify = Signal(object)  # Severity | None
    play = Signal()

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]
        key = Qt.Key(event.key())
        if key in SEVERITY_KEYS and not event.modifiers():
            self.classify.emit(SEVERITY_KEYS[key])
        elif key == Qt.Key.Key_0 and not event.modifiers():
            self.classify.emit(None)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.play.emit()
        else:
            super().keyPressEvent(event)


class ReviewPage(QWidget):
    """Queue and review workspace for a supervisor."""

    message = Signal(str, int)
    failed = Signal(object)
    completed = Signal(object)  # the ReviewItem the service answered, with its score

    def __init__(self, station: Workstation) -> None:
        super().__init__()
        self.run = Background(self)
        self.station = station
        assert station.reviews is not None, "the workstation has no review calls"
        self.reviews = station.reviews
        self.work: ReviewWork | None = None
        self.queue_label = QLabel(
            "Reviews waiting: …   Ctrl+N claims the next one · Ctrl+D open disputes."
        )
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.narrative = QPlainTextEdit()
        self.narrative.setTabChangesFocus(True)
        self.narrative.setAccessibleName("Corrected narrative")
        self.form_holder = QScrollArea()
        self.form_holder.setWidgetResizable(True)
        self.form: TemplateForm | None = None
        self.diff = QTextBrowser()
        self.diff.setAccessibleName("Tracked changes")
        self.differences = DifferenceList()
        self.differences.setAccessibleName("Differences: 1 critical, 2 non-critical, 3 feedback")
        self.category = QLineEdit(placeholderText="Category of the selected difference")
        self.score = QLabel("Score: 100")
        self.feedback = QPlainTextEdit(placeholderText="Feedback for the transcriptionist")
        self.feedback.setTabChangesFocus(True)
        self.feedback.setFixedHeight(80)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.form_holder)
        left.addWidget(self.narrative)
        right = QWidget()
        column = QVBoxLayout(right)
        for widget in (
            QLabel("Tracked changes"),
            self.diff,
            QLabel(
                "Differences (1 critical · 2 non-critical · 3 feedback · 0 clear · Enter plays)"
            ),
            self.differences,
            self.category,
            self.score,
            self.feedback,
        ):
            column.addWidget(widget)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addWidget(self.queue_label)
        layout.addWidget(self.title)
        layout.addWidget(body, 1)
        self._debounce = QTimer(self, singleShot=True, interval=120)
        self._debounce.timeout.connect(self._recompute)
        self.narrative.textChanged.connect(self._debounce.start)
        self.differences.classify.connect(self._classify)
        self.differences.play.connect(self._play_selected)
        self.differences.currentRowChanged.connect(self._show_category)
        self.category.editingFinished.connect(self._category_edited)
        for keys, slot in (
            ("Ctrl+N", self.claim_next),
            ("Ctrl+Return", self.submit),
            ("Ctrl+D", self.open_disputes),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self._heartbeat = QTimer(self, interval=20_000)
        self._heartbeat.timeout.connect(self._beat)
        self._set_enabled(False)

    # -- the queue ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """How many reviews wait (background)."""
        self.run(self.reviews.queue, self._queue_loaded, self.failed.emit)

    def _queue_loaded(self, queue: list[ReviewItem]) -> None:
        self.queue_label.setText(f"Reviews waiting: {len(queue)}.   Ctrl+N claims the next one.")

    def claim_next(self) -> None:
        """Claim the oldest waiting review and open it."""
        if self.work is not None:
            self.message.emit("Finish or submit the review you hold first (Ctrl+Return).", 6000)
            return
        self.run(self.reviews.next_review, self._claimed, self.failed.emit)

    def _claimed(self, item: ReviewItem | None) -> None:
        if item is None:
            self.message.emit("No review is waiting.", 5000)
            return
        template = self.station.templates.get(item.template_id)
        if template is None:
            self.failed.emit(
                RuntimeError(f"This workstation lacks the template {item.template_id!r}.")
            )
            return
        self.show_review(item)
        self.refresh()

    def show_review(self, item: ReviewItem) -> None:
        """Open a claimed review in the workspace."""
        template = self.station.templates[item.template_id]
        self.work = ReviewWork(item, template)
        assert item.submitted is not None
        self.title.setText(
            f"Review {item.id}: job {item.dictation_id}, {item.account}, by "
            f"{item.transcriptionist}. Why: {item.reason}"
        )
        self.form = TemplateForm(template)
        self.form.set_values(dict(item.submitted.fields))
        self.form.changed.connect(self._debounce.start)
        self.form_holder.setWidget(self.form)
        self.narrative.setPlainText(item.submitted.narrative)
        self.feedback.clear()
        self._set_enabled(True)
        self._recompute()
        self.narrative.setFocus()
        self._heartbeat.start()
        self._load_audio(item)

    def _load_audio(self, item: ReviewItem) -> None:
        station = self.station
        if station.player is None or not item.audio_sha256:
            return
        ref = AudioRef(item.dictation_id, item.audio_sha256, item.audio_size)

        def loaded(path: Path) -> None:
            if station.player is not None and self.work is not None:
                station.player.load(path, item.audio_ms)

        self.run(lambda: station.cache.fetch(station.api, ref), loaded, self.failed.emit)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.narrative, self.differences, self.category, self.feedback):
            widget.setEnabled(on)

    def open_disputes(self) -> DisputesDialog:
        """The disputes waiting for a decision (Ctrl+D)."""
        dialog = DisputesDialog(self.reviews, self)
        dialog.decided.connect(
            lambda item: self.message.emit(
                f"Review {item.id}: score now {item.score.get('score', 0):g}.", 8000
            )
        )
        dialog.open()
        return dialog

    # -- the work -------------------------------------------------------------------------------

    def _recompute(self) -> None:
        work = self.work
        if work is None:
            return
        fields = self.form.values() if self.form is not None else work.fields
        work.update(self.narrative.toPlainText(), fields)
        self.diff.setHtml(work.diff_html())
        self._fill_list()

    def _fill_list(self) -> None:
        work = self.work
        assert work is not None
        row = self.differences.currentRow()
        self.differences.clear()
        for difference in work.differences:
            self.differences.addItem(QListWidgetItem(self._describe(difference)))
        if work.differences:
            self.differences.setCurrentRow(min(max(row, 0), len(work.differences) - 1))
        preview = work.preview()
        verdict = "passes" if preview.passed else "fails"
        self.score.setText(
            f"Score: {preview.score:g} ({verdict}; pass mark {work.template.scoring.pass_mark:g}); "
            f"{len(work.classified())} of {len(work.differences)} differences classified"
        )

    def _describe(self, difference: Difference) -> str:
        work = self.work
        assert work is not None
        severity = work.severity_of(difference)
        mark = f"[{_LABEL[severity]} · {work.category_of(difference)}] " if severity else "[ ] "
        where = f"{difference.field}: " if difference.field else ""
        if difference.kind == "omitted":
            change = f"missing: {difference.corrected}"
        elif difference.kind == "added":
            change = f"extra: {difference.submitted}"
        else:
            change = f"{difference.submitted or '(empty)'} → {difference.corrected or '(empty)'}"
        return f"{mark}{where}{change}"

    def selected(self) -> Difference | None:
        """The difference selected in the list."""
        work, row = self.work, self.differences.currentRow()
        if work is None or not 0 <= row < len(work.differences):
            return None
        return work.differences[row]

    def _classify(self, severity: Severity | None) -> None:
        difference = self.selected()
        if difference is None or self.work is None:
            return
        self.work.classify(difference, severity, self.category.text().strip())
        self._fill_list()

    def _show_category(self, _row: int) -> None:
        difference = self.selected()
        if difference is not None and self.work is not None:
            self.category.setText(self.work.category_of(difference))

    def _category_edited(self) -> None:
        difference, work = self.selected(), self.work
        if difference is None or work is None:
            return
        severity = work.severity_of(difference)
        if severity is not None:
            work.classify(difference, severity, self.category.text().strip())
            self._fill_list()

    def _play_selected(self) -> None:
        difference, work, player = self.selected(), self.work, self.station.player
        if difference is None or work is None or player is None:
            return
        player.seek_ms(max(0, work.audio_ms(difference) - 2000))
        player.play()

    def _beat(self) -> None:
        work = self.work
        if work is None or not work.item.lease_token:
            return
        token = work.item.lease_token
        self.run(lambda: self.reviews.heartbeat(work.item.id, token), on_error=self._lost)

    def _lost(self, error: Exception) -> None:
        self.message.emit(f"{error}", 15_000)

    def submit(self) -> None:
        """Send the review (Ctrl+Return); the service computes and stores the score."""
        work = self.work
        if work is None:
            return
        self._recompute()
        feedback = self.feedback.toPlainText().strip()
        self.run(lambda: work.complete(self.reviews, feedback), self._done, self.failed.emit)

    def _done(self, item: ReviewItem) -> None:
        self._heartbeat.stop()
        self.work = None
        self._set_enabled(False)
        score = item.score
        self.title.setText(
            f"Review {item.id} submitted: {score.get('score', 0):g} "
            f"({'passed' if score.get('passed') else 'failed'}). Ctrl+N claims the next one."
        )
        self.diff.clear()
        self.differences.clear()
        self.completed.emit(item)
        self.message.emit(f"Review {item.id} stored with score {score.get('score', 0):g}.", 8000)
        self.refresh()
