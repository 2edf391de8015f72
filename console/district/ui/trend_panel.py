"""The trend panel: a TrendPlot with its controls (span, follow/pause, clear)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from widgets.trend import TrendPlot

SPANS = [(60, "1 min"), (300, "5 min"), (900, "15 min"), (3600, "1 h"), (4 * 3600, "4 h")]


class TrendPanel(QWidget):
    cleared = Signal()

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = TrendPlot(tz)
        self.span = QComboBox()
        for secs, label in SPANS:
            self.span.addItem(label, secs)
        self.span.setCurrentIndex(2)
        self.span.currentIndexChanged.connect(
            lambda _i: self.plot.setSpan(float(self.span.currentData()))
        )
        self.plot.setSpan(float(self.span.currentData()))
        self.follow = QPushButton()
        self.follow.setCheckable(True)
        self.follow.setChecked(True)
        self.follow.toggled.connect(self.plot.setFollow)
        self.plot.followChanged.connect(self._follow_changed)
        self._follow_changed(True)
        self.clear = QPushButton(self.tr("Clear"))
        self.clear.clicked.connect(self._clear)
        self.message = QLabel()
        self.message.setObjectName("hint")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Span")))
        bar.addWidget(self.span)
        bar.addWidget(self.follow)
        bar.addWidget(self.clear)
        bar.addWidget(self.message, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.plot, 1)

    def _follow_changed(self, on: bool) -> None:
        self.follow.blockSignals(True)
        self.follow.setChecked(on)
        self.follow.blockSignals(False)
        self.follow.setText("▶ " + self.tr("Following (F)") if on else "‖ " + self.tr("Paused (F)"))

    def toggleFollow(self) -> None:
        self.plot.setFollow(not self.plot.follow())

    def _clear(self) -> None:
        for key in self.plot.seriesKeys():
            self.plot.removeSeries(key)
        self.cleared.emit()
