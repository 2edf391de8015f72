"""A feed tile: one big number an operator can read from across the room.

The tile shows what it is told: title, value, unit, age, a sparkline, a state
(good / uncertain / bad / stale / nodata) and an alarm. State and alarm are Qt
properties so the style sheet can restyle them (``FeedTile[state="stale"]``,
``FeedTile[alarm="3"][ack="unack"]``), and both are always spelled out in text
and a symbol too, never by colour alone. The status line carries the alarm
when there is one (a feed in alarm never reads "good"), else the quality.

Compact by design: four lines (title, value, sparkline, status) so that eight
tiles fit in two rows of a 1366×768 screen; ``setScale`` grows it for reading
from two metres (the fonts grow with the style sheet).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Property, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from widgets.elided_label import ElidedLabel
from widgets.sparkline import Sparkline

STATE_SYMBOLS = {"good": "●", "uncertain": "▲", "bad": "■", "stale": "◌", "nodata": "○"}

BASE_SIZE = QSize(196, 112)
"""Minimum tile size at 100 %: the value's digits, a unit and a readable sparkline."""


class FeedTile(QFrame):
    closeRequested = Signal(str)
    activated = Signal(str)

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._state = "nodata"
        self._alarm = 0
        self._ack = ""
        self._scale = 1.0
        self._status_text = ""
        self._alarm_text = ""
        self.setObjectName("FeedTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._icon = QLabel()
        self._icon.setFixedSize(18, 18)
        self._title = ElidedLabel()
        self._title.setObjectName("tileTitle")
        self._close = QToolButton()
        self._close.setText("✕")
        self._close.setAutoRaise(True)
        self._close.clicked.connect(lambda: self.closeRequested.emit(self.key))
        self._value = QLabel("—")
        self._value.setObjectName("tileValue")
        self._value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBaseline)
        self._unit = QLabel()
        self._unit.setObjectName("tileUnit")
        self._status = ElidedLabel()
        self._status.setObjectName("tileStatus")
        self._spark = Sparkline()
        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self._title, 1)
        top.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        mid = QHBoxLayout()
        mid.addWidget(self._value, 1)
        mid.addWidget(self._unit, 0, Qt.AlignmentFlag.AlignBottom)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 6, 6)
        lay.setSpacing(1)
        lay.addLayout(top)
        lay.addLayout(mid, 1)
        lay.addWidget(self._spark)
        lay.addWidget(self._status)
        self.setScale(1.0)

    # --- Qt-style API -------------------------------------------------------
    def setTitle(self, text: str) -> None:
        self._title.setText(text)
        self.setToolTip(f"{text}\n{self.key}")

    def title(self) -> str:
        return self._title.text()

    def setIcon(self, icon: QIcon) -> None:
        self._icon.setPixmap(icon.pixmap(18, 18))

    def setValueText(self, value: str, unit: str) -> None:
        if value != self._value.text():
            self._value.setText(value)
        if unit != self._unit.text():
            self._unit.setText(unit)

    def valueText(self) -> str:
        return self._value.text()

    def valueLabel(self) -> QLabel:
        return self._value

    def setStatusText(self, text: str) -> None:
        """The feed's quality and age in words (the symbol is added here)."""
        status = f"{STATE_SYMBOLS.get(self._state, '')} {text}"
        if status != self._status_text:
            self._status_text = status
            self._show_status()

    def statusText(self) -> str:
        """What the status line says now (the alarm first when there is one)."""
        return self._status.text()

    def setAlarm(self, severity: int, ack: str, text: str, tip: str = "") -> None:
        """Show an alarm on the status line: ``severity`` 1-3 (0: none), ``ack`` one of
        "unack", "ack", "cleared" (cleared, still unacknowledged), ``text`` its words,
        ``tip`` the same at length (the line's tooltip)."""
        if (severity, ack if severity else "", text if severity else "") == (
            self._alarm,
            self._ack,
            self._alarm_text,
        ):
            return
        changed = (severity, ack) != (self._alarm, self._ack)
        self._alarm, self._ack = severity, ack if severity else ""
        self._alarm_text = text if severity else ""
        self._status.setToolTip(tip if severity else "")
        if changed:
            self._repolish()
        self._show_status()

    def alarm(self) -> tuple[int, str]:
        return self._alarm, self._ack

    def _show_status(self) -> None:
        text = self._status_text
        if self._alarm:
            quality = self._state not in ("good", "nodata")
            text = self._alarm_text + (f"  {self._status_text}" if quality else "")
        if text != self._status.text():
            self._status.setText(text)
            self._status.update()

    def setSparkline(self, x: np.ndarray, y: np.ndarray) -> None:
        self._spark.setData(x, y)

    def sparkline(self) -> Sparkline:
        return self._spark

    def setScale(self, scale: float) -> None:
        """Control-room scale (1.0 = 100 %): the tile's minimum size grows with its fonts."""
        self._scale = scale
        self.setMinimumSize(
            QSize(round(BASE_SIZE.width() * scale), round(BASE_SIZE.height() * scale))
        )
        self._spark.setMinimumHeight(round(20 * scale))

    def getState(self) -> str:
        return self._state

    def setState(self, state: str) -> None:
        if state == self._state:
            return
        self._state = state
        self._repolish()
        self._spark.setColor("#6b7580" if state in ("stale", "nodata") else "#7cc4ff")

    def _repolish(self) -> None:
        self.setProperty("alarm", str(self._alarm))
        self.setProperty("ack", self._ack)
        # Re-polish so attribute selectors in the style sheet apply.
        for w in (self, self._value, self._status):
            w.style().unpolish(w)
            w.style().polish(w)

    state = Property(str, getState, setState)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.key)
        super().mouseDoubleClickEvent(event)
