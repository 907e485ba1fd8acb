"""The narrative editor: spell check as you type, text expansion, markers, click-to-seek.

Keyboard: Ctrl+T inserts [hh:mm:ss] at the current audio position, Ctrl+I an
[inaudible hh:mm:ss], Ctrl+U an [unclear hh:mm:ss]; Ctrl+= / Ctrl+- change the font
size; Ctrl+Z / Ctrl+Shift+Z undo and redo (an expansion undoes in one step). A click on
a marker (or Ctrl+J with the cursor in one) jumps the audio there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QShortcut,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from scribedesk.domain.spelling import words
from scribedesk.domain.transcript import find_markers, marker_text
from scribedesk.services.spelling import SpellChecker

_ENDERS = {" ", ".", ",", ";", ":", "!", "?", "\n", ")"}


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines unknown words in red, paragraph by paragraph (Qt re-checks only edits)."""

    def __init__(self, document: QTextDocument, checker: SpellChecker) -> None:
        super().__init__(document)
        self.checker = checker
        #: Words never flagged in this job: its names (account, people, field values) and
        #: the words the transcriptionist chose to ignore here (casefolded).
        self.exempt: set[str] = set()
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(QColor("#d32f2f"))
        self._marker = QTextCharFormat()
        self._marker.setForeground(QColor("#1565c0"))

    def exempt_names(self, names: Iterable[str]) -> None:
        """Never flag the words of these names in this job; re-checks when that changes."""
        added = {w.casefold() for name in names for _s, _e, w in words(str(name))} - self.exempt
        if added:
            self.exempt |= added
            self.rehighlight()

    def flags(self, word: str) -> bool:
        """Whether ``word`` is underlined here."""
        return word.casefold() not in self.exempt and not self.checker.is_correct(word)

    def highlightBlock(self, text: str) -> None:
        for start, end, word in words(text):
            if self.flags(word):
                self.setFormat(start, end - start, self._format)
        for marker in find_markers(text):
            self.setFormat(marker.start, marker.end - marker.start, self._marker)


class NarrativeEditor(QPlainTextEdit):
    """Plain-text narrative with the transcription tools."""

    seek_requested = Signal(int)
    word_count_changed = Signal(int)

    def __init__(
        self,
        checker: SpellChecker,
        expansions: Mapping[str, str] | None = None,
        audio_position: Callable[[], int] = lambda: 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.expansions = {k.casefold(): v for k, v in (expansions or {}).items()}
        self.audio_position = audio_position
        self.highlighter = SpellHighlighter(self.document(), checker)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setPlaceholderText("Type the narrative here…")
        self._words = 0
        # Counting 20,000 words takes longer than a keystroke may: count once typing pauses.
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(300)
        self._count_timer.timeout.connect(self._count_words)
        self.textChanged.connect(self._count_timer.start)
        for keys, action in (
            ("Ctrl+T", lambda: self.insert_marker("timestamp")),
            ("Ctrl+I", lambda: self.insert_marker("inaudible")),
            ("Ctrl+U", lambda: self.insert_marker("unclear")),
            ("Ctrl+=", lambda: self.change_font_size(1)),
            ("Ctrl++", lambda: self.change_font_size(1)),
            ("Ctrl+-", lambda: self.change_font_size(-1)),
            ("Ctrl+J", self._jump_to_marker_at_cursor),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(action)

    # -- tools ---------------------------------------------------------------------------------

    def insert_marker(self, kind: str) -> None:
        """Insert a timestamp, [inaudible …] or [unclear …] at the audio's current position."""
        text = marker_text(kind, self.audio_position())
        cursor = self.textCursor()
        before = self.document().characterAt(cursor.position() - 1)
        if cursor.position() > 0 and before not in (" ", "\n", "\u2029"):
            text = " " + text
        self.insertPlainText(text + " ")

    def change_font_size(self, step: int) -> None:
        """Bigger or smaller text (6-40 pt)."""
        font = self.font()
        font.setPointSize(min(40, max(6, font.pointSize() + step)))
        self.setFont(font)

    def set_font_size(self, size: int) -> None:
        """Set the text size in points."""
        font = self.font()
        font.setPointSize(min(40, max(6, size)))
        self.setFont(font)

    @property
    def word_count(self) -> int:
        """Words in the narrative (markers not counted)."""
        return self._words

    # -- events ----------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text and text in _ENDERS and self._expand_word_before_cursor(text):
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            self._jump_to_marker_at_cursor()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu()
        cursor = self.cursorForPosition(event.pos())
        found = self._word_at(cursor.position())
        checker = self.highlighter.checker
        if found and self.highlighter.flags(found[2]):
            start, end, word = found
            actions = []
            for suggestion in checker.suggestions(word):
                action = QAction(suggestion, menu)
                action.triggered.connect(lambda _=False, s=suggestion: self._replace(start, end, s))
                actions.append(action)
            ignore = QAction(f"Ignore “{word}” in this job", menu)
            ignore.triggered.connect(lambda _=False: self.highlighter.exempt_names([word]))
            actions.append(ignore)
            learn = QAction(f"Add “{word}” to the team dictionary", menu)
            learn.triggered.connect(lambda _=False: self._learn(word))
            actions.append(learn)
            first = menu.actions()[0] if menu.actions() else None
            if first is None:
                menu.addActions(actions)
            else:
                menu.insertActions(first, actions)
                menu.insertSeparator(first)
        menu.exec(event.globalPos())

    # -- internals ------------------------------------------------------------------------------

    def _expand_word_before_cursor(self, ender: str) -> bool:
        cursor = self.textCursor()
        if cursor.hasSelection():
            return False
        block_text = cursor.block().text()
        column = cursor.positionInBlock()
        start = column
        while start > 0 and (block_text[start - 1].isalnum() or block_text[start - 1] == "'"):
            start -= 1
        word = block_text[start:column]
        phrase = self.expansions.get(word.casefold()) if word else None
        if not phrase:
            return False
        if word[0].isupper():
            phrase = phrase[0].upper() + phrase[1:]
        cursor.beginEditBlock()  # one undo step for the whole expansion
        cursor.movePosition(
            QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, column - start
        )
        cursor.insertText(phrase + ender)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        return True

    def _jump_to_marker_at_cursor(self) -> None:
        position = self.textCursor().position()
        for marker in find_markers(self.toPlainText()):
            if marker.start <= position <= marker.end:
                self.seek_requested.emit(marker.at_ms)
                return

    def _word_at(self, position: int) -> tuple[int, int, str] | None:
        text = self.toPlainText()
        for start, end, word in words(text):
            if start <= position <= end:
                return start, end, word
        return None

    def _replace(self, start: int, end: int, text: str) -> None:
        cursor = self.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)

    def _learn(self, word: str) -> None:
        self.highlighter.checker.learn(word)
        self.highlighter.rehighlight()

    def _count_words(self) -> None:
        count = sum(1 for _ in words(self.toPlainText()))
        if count != self._words:
            self._words = count
            self.word_count_changed.emit(count)
