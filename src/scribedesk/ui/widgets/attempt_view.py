"""One scored attempt against its gold: the score line, the differences inline and side
by side, every error in a list (Enter plays its audio from just before it), the fields'
results and the trainer's comment. Shown to the trainee after a submission and to the
trainer from the grid.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.audio import AudioRef
from scribedesk.services.training import AttemptResult
from scribedesk.ui.tasks import Background
from scribedesk.ui.workstation import Workstation


class ErrorList(QListWidget):
    """The attempt's errors; Enter plays the selected one."""

    play = Signal()

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.play.emit()
        else:
            super().keyPressEvent(event)


class AttemptView(QWidget):
    """A scored attempt (``show_result``), with its audio on the window's player."""

    failed = Signal(object)

    def __init__(self, station: Workstation) -> None:
        super().__init__()
        self.run = Background(self)
        self.station = station
        self.result: AttemptResult | None = None
        self.summary = QLabel("Submit an exercise to see its score against the gold here.")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Score")
        self.inline = QTextBrowser()
        self.inline.setAccessibleName("The gold as tracked changes against what you typed")
        self.gold = QTextBrowser()
        self.gold.setAccessibleName("Gold")
        self.typed = QTextBrowser()
        self.typed.setAccessibleName("What was typed")
        pair = QSplitter(Qt.Orientation.Horizontal)
        for title, browser in (("Gold", self.gold), ("Typed", self.typed)):
            column = QWidget()
            box = QVBoxLayout(column)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(QLabel(f"<b>{title}</b>"))
            box.addWidget(browser)
            pair.addWidget(column)
        self.tabs = QTabWidget()
        self.tabs.addTab(pair, "Side by side")
        self.tabs.addTab(self.inline, "Inline")
        self.errors = ErrorList()
        self.errors.setAccessibleName("Errors: Enter plays the audio there")
        self.fields = QListWidget()
        self.fields.setAccessibleName("Field results")
        self.comment = QLabel()
        self.comment.setWordWrap(True)
        lists = QSplitter(Qt.Orientation.Horizontal)
        for title, widget in (
            ("Errors (Enter plays from just before)", self.errors),
            ("Fields", self.fields),
        ):
            column = QWidget()
            box = QVBoxLayout(column)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(QLabel(title))
            box.addWidget(widget)
            lists.addWidget(column)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(self.tabs)
        body.addWidget(lists)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(body, 1)
        layout.addWidget(self.comment)
        self.errors.play.connect(self.play_selected)
        self.errors.itemActivated.connect(lambda _item: self.play_selected())

    def show_result(self, result: AttemptResult) -> None:
        """Put a scored attempt on screen and load its audio."""
        self.result = result
        detail = result.detail
        score = detail.score
        passed = bool(score.get("passed"))
        colour = "#2e7d32" if passed else "#c62828"
        self.summary.setText(
            f'<span style="color:{colour};font-size:large"><b>'
            f"{score.get('score', 0):g}</b></span> · "
            f"{html.escape(detail.line.title)}, attempt {detail.line.number}. "
            f"{html.escape(result.summary())}"
        )
        self.inline.setHtml(result.inline_html())
        gold, typed = result.side_by_side()
        self.gold.setHtml(gold)
        self.typed.setHtml(typed)
        self.errors.clear()
        for difference in result.differences:
            item = QListWidgetItem(result.describe(difference))
            if difference.critical:
                item.setForeground(Qt.GlobalColor.red)
            self.errors.addItem(item)
        if not result.differences:
            self.errors.addItem("No errors: every word and field matches the gold.")
        self.fields.clear()
        for outcome in detail.fields:
            mark = "✓" if outcome.matches else "✗"
            text = f"{mark} {outcome.label}"
            if not outcome.matches:
                text += f": typed “{outcome.typed or '—'}”, gold “{outcome.gold or '—'}”"
            self.fields.addItem(text)
        comment = detail.line.comment
        self.comment.setText(
            f"<b>Trainer's comment</b> ({html.escape(detail.comment_by or '')}): "
            f"{html.escape(comment)}"
            if comment
            else ""
        )
        if self.errors.count():
            self.errors.setCurrentRow(0)
        self._load_audio()

    def _load_audio(self) -> None:
        station, result = self.station, self.result
        if station.player is None or result is None or not result.detail.audio_sha256:
            return
        detail = result.detail
        ref = AudioRef(detail.line.job_id, detail.audio_sha256, detail.audio_size)

        def loaded(path: Path) -> None:
            if station.player is not None and self.result is result:
                station.player.load(path, detail.audio_ms)

        self.run(lambda: station.cache.fetch(station.api, ref), loaded, self.failed.emit)

    def play_selected(self) -> None:
        """Play the audio from two seconds before the selected error."""
        result, player, row = self.result, self.station.player, self.errors.currentRow()
        if result is None or player is None or not 0 <= row < len(result.differences):
            return
        player.seek_ms(max(0, result.audio_ms(result.differences[row]) - 2000))
        player.play()
