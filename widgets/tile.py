"""A feed tile: one big number an operator can read from across the room.

The tile shows what it is told: title, value, unit, age, a sparkline and a
state (good / uncertain / bad / stale / nodata). The state is a Qt property
so the style sheet can restyle it (``FeedTile[state="stale"]``), and it is
always spelled out in text and a symbol too, never by colour alone.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Property, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from widgets.sparkline import Sparkline

STATE_SYMBOLS = {"good": "●", "uncertain": "▲", "bad": "■", "stale": "◌", "nodata": "○"}


class FeedTile(QFrame):
    closeRequested = Signal(str)
    activated = Signal(str)

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._state = "nodata"
        self.setObjectName("FeedTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumSize(QSize(220, 150))
        self.setMaximumWidth(300)
        self._icon = QLabel()
        self._icon.setFixedSize(20, 20)
        self._title = QLabel()
        self._title.setObjectName("tileTitle")
        self._title.setWordWrap(True)
        self._close = QToolButton()
        self._close.setText("✕")
        self._close.setAutoRaise(True)
        self._close.clicked.connect(lambda: self.closeRequested.emit(self.key))
        self._value = QLabel("—")
        self._value.setObjectName("tileValue")
        self._value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBaseline)
        self._unit = QLabel()
        self._unit.setObjectName("tileUnit")
        self._status = QLabel()
        self._status.setObjectName("tileStatus")
        self._spark = Sparkline()
        top = QHBoxLayout()
        top.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self._title, 1)
        top.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        mid = QHBoxLayout()
        mid.addWidget(self._value, 1)
        mid.addWidget(self._unit, 0, Qt.AlignmentFlag.AlignBottom)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 8, 8)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addLayout(mid)
        lay.addWidget(self._spark)
        lay.addWidget(self._status)

    # --- Qt-style API -------------------------------------------------------
    def setTitle(self, text: str) -> None:
        self._title.setText(text)
        self.setToolTip(f"{text}\n{self.key}")

    def setIcon(self, icon: QIcon) -> None:
        self._icon.setPixmap(icon.pixmap(20, 20))

    def setValueText(self, value: str, unit: str) -> None:
        self._value.setText(value)
        self._unit.setText(unit)

    def valueText(self) -> str:
        return self._value.text()

    def setStatusText(self, text: str) -> None:
        self._status.setText(f"{STATE_SYMBOLS.get(self._state, '')} {text}")

    def statusText(self) -> str:
        return self._status.text()

    def setSparkline(self, x: np.ndarray, y: np.ndarray) -> None:
        self._spark.setData(x, y)

    def sparkline(self) -> Sparkline:
        return self._spark

    def getState(self) -> str:
        return self._state

    def setState(self, state: str) -> None:
        if state == self._state:
            return
        self._state = state
        # Re-polish so attribute selectors in the style sheet apply.
        for w in (self, self._value, self._status):
            w.style().unpolish(w)
            w.style().polish(w)
        self._spark.setColor("#6b7580" if state in ("stale", "nodata") else "#7cc4ff")

    state = Property(str, getState, setState)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.key)
        super().mouseDoubleClickEvent(event)
