"""A site tile for a city overview: one site's condition readable from across the room.

The tile shows what it is told: a title (the key goes in the tooltip), a condition (a Qt property the
style sheet restyles, ``SiteTile[condition="silent"]``), and five lines of
text the owner writes (link, alarms, unacknowledged, feeds, other). The
condition is always carried by a symbol and words as well, never colour
alone: the owner passes the symbol with it and spells the state out in the
link line. Click or Enter/Space opens the site (``activated``).
"""

from __future__ import annotations

from PySide6.QtCore import Property, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

CONDITIONS = ("normal", "never", "minor", "major", "critical", "silent")

LINES = ("link", "alarms", "unack", "feeds", "other")


class SiteTile(QFrame):
    activated = Signal(str)

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._condition = "normal"
        self.setObjectName("SiteTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._symbol = QLabel()
        self._symbol.setObjectName("siteSymbol")
        self._symbol.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._symbol.setMinimumWidth(28)
        self._title = QLabel()
        self._title.setObjectName("siteTitle")
        self._title.setTextFormat(Qt.TextFormat.PlainText)
        self._title.setWordWrap(True)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self._symbol)
        top.addWidget(self._title, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(1)
        lay.addLayout(top)
        self._lines: dict[str, QLabel] = {}
        for name in LINES:
            label = QLabel()
            label.setObjectName(f"site_{name}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)  # a long line (Vietnamese, a long silence) wraps, never clips
            self._lines[name] = label
            lay.addWidget(label)

    def sizeHint(self) -> QSize:
        return QSize(250, super().sizeHint().height())

    # --- Qt-style API -------------------------------------------------------
    def setTitle(self, text: str) -> None:
        self._title.setText(text)

    def title(self) -> str:
        return self._title.text()

    def setLine(self, name: str, text: str) -> None:
        """Set one of LINES; an empty text hides the line."""
        label = self._lines[name]
        if label.text() != text:
            label.setText(text)
        label.setVisible(bool(text))

    def line(self, name: str) -> str:
        return self._lines[name].text()

    def getCondition(self) -> str:
        return self._condition

    def setCondition(self, condition: str, symbol: str = "") -> None:
        if condition not in CONDITIONS:
            raise ValueError(f"unknown condition {condition!r}")
        self._symbol.setText(symbol)
        if condition == self._condition:
            return
        self._condition = condition
        # Re-polish so attribute selectors in the style sheet apply.
        for w in (self, self._symbol, *self._lines.values()):
            w.style().unpolish(w)
            w.style().polish(w)

    condition = Property(str, getCondition, setCondition)

    def symbol(self) -> str:
        return self._symbol.text()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.activated.emit(self.key)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.key)
            return
        super().keyPressEvent(event)
