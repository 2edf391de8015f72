"""The trend panel: a TrendPlot with its controls (span, follow/pause, clear)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from console.district.ui.i18n import span_name
from widgets.elided_label import ElidedLabel
from widgets.trend import TrendPlot

SPANS = [60, 300, 900, 3600, 4 * 3600]
"""Seconds the trend shows (named in the UI language's words)."""

FOLLOW_KEYS = ("F", "Ctrl+Shift+F")
"""Follow / pause: F where no text field has the keyboard, Ctrl+Shift+F everywhere
(typing "f" into the search box must stay typing)."""


class TrendPanel(QWidget):
    cleared = Signal()

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = TrendPlot(tz)
        self.span = QComboBox()
        for secs in SPANS:
            self.span.addItem(span_name(secs), secs)
        self.span.setCurrentIndex(2)
        self.span.currentIndexChanged.connect(
            lambda _i: self.plot.setSpan(float(self.span.currentData()))
        )
        self.plot.setSpan(float(self.span.currentData()))
        self.follow = QPushButton()
        self.follow.setCheckable(True)
        self.follow.setChecked(True)
        self.follow.setToolTip(
            self.tr("Follow the newest readings, or pause to look back (%1 or %2)")
            .replace("%1", FOLLOW_KEYS[0])
            .replace("%2", FOLLOW_KEYS[1])
        )
        self.follow.toggled.connect(self.plot.setFollow)
        self.plot.followChanged.connect(self._follow_changed)
        self._follow_changed(True)
        self.clear = QPushButton(self.tr("Clear"))
        self.clear.clicked.connect(self._clear)
        self.message = ElidedLabel()
        self.message.setObjectName("hint")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Span")))
        bar.addWidget(self.span)
        bar.addWidget(self.follow)
        bar.addWidget(self.clear)
        bar.addWidget(self.message, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
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
