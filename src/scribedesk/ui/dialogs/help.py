"""Help inside the app: F1 opens the guide at the current page's section; Ctrl+/ lists
every key of the desk, printable. The guides are the ones in docs/, shipped with the
package, so help works offline and says what the documentation says."""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import scribedesk

SCREENSHOT = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$", re.MULTILINE)


def docs_dir() -> Path:
    """``docs/``: inside the installed package, or at the top of a source checkout."""
    packaged = Path(scribedesk.__file__).parent / "docs"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[4] / "docs"


class HelpDialog(QDialog):
    """A guide, opened at one of its sections."""

    def __init__(self, guide: str, section: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("ScribeDesk help")
        self.resize(980, 760)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setAccessibleName("Help")
        path = docs_dir() / guide
        self.browser.setSearchPaths([str(path.parent)])
        try:
            # The guide's words; its screenshots (full-size pictures of the window the
            # user is looking at) are left out, so the text fits the dialog.
            text = SCREENSHOT.sub("", path.read_text(encoding="utf-8"))
            self.browser.setMarkdown(text)
        except OSError:
            self.browser.setPlainText(
                f"The guide {guide} is not installed with this copy of ScribeDesk. "
                "Ctrl+/ lists every key."
            )
        self.section = section
        self._go_to(section)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.browser.setFocus()

    def _go_to(self, section: str) -> None:
        """Scroll so that the section's heading is at the top."""
        if not section:
            return
        document = self.browser.document()
        cursor = document.find(section)
        while not cursor.isNull() and cursor.block().blockFormat().headingLevel() == 0:
            cursor = document.find(section, cursor)
        if cursor.isNull():
            return
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)  # no selection shown
        self.browser.setTextCursor(cursor)
        self._heading = cursor.position()

    def showEvent(self, event: QShowEvent) -> None:
        """Once laid out: the section's heading at the top of the view."""
        super().showEvent(event)
        QTimer.singleShot(0, self._scroll_to_heading)  # after the first layout

    def _scroll_to_heading(self) -> None:
        heading = getattr(self, "_heading", None)
        if heading is None:
            return
        block = self.browser.document().findBlock(heading)
        layout = self.browser.document().documentLayout()
        top = int(layout.blockBoundingRect(block).top())
        self.browser.verticalScrollBar().setValue(max(0, top - 4))


class ShortcutsDialog(QDialog):
    """Every key of the desk, grouped; Print… prints the list."""

    def __init__(
        self, groups: list[tuple[str, list[tuple[str, str]]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(760, 760)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Keyboard shortcuts")
        self.browser.setHtml(shortcuts_html(groups))
        printing = QPushButton("&Print…")
        printing.clicked.connect(self.print_list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(printing, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Print, self).activated.connect(self.print_list)
        self.browser.setFocus()

    def document(self) -> QTextDocument:
        return self.browser.document()

    def print_list(self) -> None:
        """The list on paper (or to PDF) through the system's print dialog."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.document().print_(printer)


def shortcuts_html(groups: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """The keys as HTML tables, one per group (also what is printed)."""
    parts = ["<h2>ScribeDesk keyboard shortcuts</h2>"]
    for title, keys in groups:
        if not keys:
            continue
        parts.append(f"<h3>{html.escape(title)}</h3><table cellpadding='3'>")
        for chord, what in keys:
            parts.append(
                f"<tr><td><b><code>{html.escape(chord)}</code></b></td>"
                f"<td>{html.escape(what)}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)
