"""The waveform overview: the whole dictation at a glance, heard parts shaded, click to seek."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from scribedesk.shared.peaks import peaks_for_view, render_waveform


class WaveformWidget(QWidget):
    """Draws peaks (from the service or computed locally) for [0, duration]."""

    seek_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the editor
        self.setToolTip("Click to jump there")
        self._peaks = np.zeros((0, 2), dtype=np.int16)
        self._duration = 0
        self._position = 0
        self._heard: list[tuple[int, int]] = []
        self._image: QImage | None = None
        self._pixels: np.ndarray | None = None

    def set_peaks(self, peaks: np.ndarray, duration_ms: int) -> None:
        """New audio: its peaks and length."""
        self._peaks, self._duration = peaks, max(0, duration_ms)
        self._render()

    def set_position(self, position_ms: int) -> None:
        """Move the cursor (repaints only the two thin strips that change)."""
        old = self._x(self._position)
        self._position = position_ms
        new = self._x(position_ms)
        if old != new:
            self.update(QRect(min(old, new) - 1, 0, abs(new - old) + 3, self.height()))

    def set_heard(self, spans: list[tuple[int, int]]) -> None:
        """Shade what was already played."""
        if spans != self._heard:
            self._heard = list(spans)
            self.update()

    def _x(self, ms: int) -> int:
        return 0 if self._duration <= 0 else int(ms / self._duration * max(1, self.width() - 1))

    def _render(self) -> None:
        width, height = max(1, self.width()), max(1, self.height())
        view = peaks_for_view(self._peaks, 0, max(1, self._duration), width)
        # The strip takes the theme's colours: the base behind, a blue that reads on it.
        base = self.palette().color(QPalette.ColorRole.Base)
        dark = base.lightness() < 128
        background = 0xFF000000 | (base.rgb() & 0xFFFFFF)
        foreground = 0xFF7FA7D6 if dark else 0xFF5C8DB8
        self._pixels = render_waveform(view, height, foreground=foreground, background=background)
        self._image = QImage(self._pixels.data, width, height, QImage.Format.Format_ARGB32)
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        """A theme switch (the application's palette changed) re-renders the strip."""
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._render()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._render()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._image is not None:
            painter.drawImage(0, 0, self._image)
        shade = QColor(76, 175, 80, 60)
        for start, end in self._heard:
            left, right = self._x(start), self._x(end)
            painter.fillRect(left, 0, max(1, right - left), self.height(), shade)
        painter.setPen(QPen(QColor("#d32f2f"), 2))
        x = self._x(self._position)
        painter.drawLine(x, 0, x, self.height())
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._duration > 0:
            fraction = min(1.0, max(0.0, event.position().x() / max(1, self.width() - 1)))
            self.seek_requested.emit(int(fraction * self._duration))
