"""A big counter with a caption, for summary strips: "3 ✕ sites silent".

No application state: the owner sets the value text (with its symbol: the
state is never colour alone) and whether it calls for attention (the
``alert`` property drives the style sheet, ``Counter[alert="true"]``).
"""

from __future__ import annotations

from PySide6.QtCore import Property, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class Counter(QFrame):
    def __init__(self, caption: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Counter")
        self._alert = False
        self._value = QLabel("—")
        self._value.setObjectName("counterValue")
        self._value.setTextFormat(Qt.TextFormat.PlainText)
        self._value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._caption = QLabel(caption)
        self._caption.setObjectName("counterCaption")
        self._caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._caption.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 3, 10, 3)
        lay.setSpacing(0)
        lay.addWidget(self._value)
        lay.addWidget(self._caption)

    def setCaption(self, text: str) -> None:
        self._caption.setText(text)

    def caption(self) -> str:
        return self._caption.text()

    def setValueText(self, text: str) -> None:
        if text != self._value.text():
            self._value.setText(text)

    def valueText(self) -> str:
        return self._value.text()

    def getAlert(self) -> bool:
        return self._alert

    def setAlert(self, alert: bool) -> None:
        if alert == self._alert:
            return
        self._alert = alert
        for w in (self, self._value, self._caption):
            w.style().unpolish(w)
            w.style().polish(w)

    alert = Property(bool, getAlert, setAlert)
