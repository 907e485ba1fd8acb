"""Light and dark themes (Fusion style with a palette)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

DARK_INDICATORS = """
QAbstractItemView::indicator, QCheckBox::indicator {
    width: 13px; height: 13px; border: 1px solid #a0a0a0; background: #2b2b2b;
}
QAbstractItemView::indicator:checked, QCheckBox::indicator:checked {
    background: #6fa8dc; border-color: #cfe3f7;
}
"""


def apply_theme(name: str) -> None:
    """Switch the whole application to "light" or "dark"."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    app.setStyle("Fusion")
    if name != "dark":
        app.setPalette(app.style().standardPalette())
        app.setStyleSheet("")
        return
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.Button, "#333333"),
        (QPalette.ColorRole.ButtonText, "#e6e6e6"),
        (QPalette.ColorRole.Highlight, "#3d7ab8"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.ToolTipBase, "#333333"),
        (QPalette.ColorRole.ToolTipText, "#e6e6e6"),
        (QPalette.ColorRole.PlaceholderText, "#8a8a8a"),
        # The shades Fusion draws frames and check boxes with: left at their light-theme
        # defaults, a check box's border vanished on the dark base.
        (QPalette.ColorRole.Light, "#6a6a6a"),
        (QPalette.ColorRole.Midlight, "#4a4a4a"),
        (QPalette.ColorRole.Mid, "#5a5a5a"),
        (QPalette.ColorRole.Dark, "#151515"),
        (QPalette.ColorRole.Shadow, "#000000"),
        (QPalette.ColorRole.BrightText, "#ffffff"),
        (QPalette.ColorRole.Link, "#6fa8dc"),
    ):
        palette.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    app.setPalette(palette)
    # Fusion draws a list's check box in the base colour, which is the list's own: on the
    # dark base the Competitors boxes vanished. A visible frame, filled when checked.
    app.setStyleSheet(DARK_INDICATORS)


def apply_text_size(points: int) -> None:
    """The text size of every field, list and label (not only the narrative's)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication) or points <= 0:
        return
    font = app.font()
    if font.pointSize() != points:
        font.setPointSize(points)
        app.setFont(font)
