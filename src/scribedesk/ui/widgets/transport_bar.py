"""The transport bar: play/pause, position and length, speed, volume, waveform, pedal state."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from scribedesk.domain.transcript import format_tenths, format_time
from scribedesk.ui.widgets.waveform import WaveformWidget


class TransportBar(QWidget):
    """Shows the player's state and offers mouse control; the keyboard and pedal do the rest."""

    play_pause = Signal()
    speed_changed = Signal(float)
    volume_changed = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.play_button = QPushButton("▶ Play")
        self.play_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.play_button.clicked.connect(self.play_pause)
        self.position = QLabel("00:00:00.0 / 00:00:00")
        # A font, not a style sheet: a styled label kept its colour through a theme switch.
        self.position.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.position.setAccessibleName("Position")
        self.speed = QDoubleSpinBox(
            minimum=0.5, maximum=3.0, singleStep=0.1, decimals=2, suffix="×"
        )
        self.speed.setValue(1.0)
        self.speed.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.speed.setToolTip("Speed (pitch is kept)")
        self.speed.valueChanged.connect(self.speed_changed)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(100)
        self.volume.setFixedWidth(100)
        self.volume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume.valueChanged.connect(self.volume_changed)
        self.pedal = QLabel("Pedal: not connected")
        self._pedal_name: str | None = None
        self.waveform = WaveformWidget()
        row = QHBoxLayout()
        row.addWidget(self.play_button)
        row.addWidget(self.position)
        row.addStretch(1)
        row.addWidget(QLabel("Speed"))
        row.addWidget(self.speed)
        row.addWidget(QLabel("Volume"))
        row.addWidget(self.volume)
        row.addWidget(self.pedal)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.waveform)

    def show_state(self, position_ms: int, duration_ms: int, playing: bool, rate: float) -> None:
        """Refresh from the player (called at ~30-60 Hz)."""
        self.position.setText(f"{format_tenths(position_ms)} / {format_time(duration_ms)}")
        self.play_button.setText("❚❚ Pause" if playing else "▶ Play")
        if abs(self.speed.value() - rate) > 0.001:
            self.speed.blockSignals(True)
            self.speed.setValue(rate)
            self.speed.blockSignals(False)
        self.waveform.set_position(position_ms)

    def show_pedal(self, name: str | None) -> None:
        """Which pedal is connected, or that none is."""
        self._pedal_name = name
        self.pedal.setText(f"Pedal: {name}" if name else "Pedal: not connected")
        self.pedal.setStyleSheet("" if name else "color: #8a6d00;")

    def show_pedals_down(self, down: list[str]) -> None:
        """The pedals held down right now, lit while they are (the user sees the pedal
        answer before the audio does)."""
        name = self._pedal_name or "pedal"
        if down:
            self.pedal.setText(f"Pedal: {name} · ▼ {' + '.join(down)}")
            self.pedal.setStyleSheet(
                "background: #2e7d32; color: white; padding: 0 4px; font-weight: bold;"
            )
        else:
            self.show_pedal(self._pedal_name)
