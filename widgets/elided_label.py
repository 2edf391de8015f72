"""A one-line label that shrinks: elided text, the whole of it in the tooltip.

A plain QLabel is as wide as its text, so one long translated string (a feed
name, a banner line) can make the whole window wider than the screen. This
label asks for its text's width but accepts any width down to a few
characters, eliding where told (the end by default, the middle for names
whose distinctive part is at the end).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(text, parent)
        self._mode = mode
        self._own_tip = ""
        # Asks for its whole text, accepts a few characters: it can never force a width.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def setElideMode(self, mode: Qt.TextElideMode) -> None:
        self._mode = mode
        self.update()

    def setToolTip(self, tip: str) -> None:
        """A tooltip of our own (shown instead of the full text when set)."""
        self._own_tip = tip
        super().setToolTip(tip)

    def isElided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def minimumSizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(fm.horizontalAdvance("…") * 4, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        m = self.contentsMargins()
        return QSize(
            fm.horizontalAdvance(self.text()) + m.left() + m.right() + 2,
            super().sizeHint().height(),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), self._mode, rect.width())
        if not self._own_tip:
            tip = self.text() if text != self.text() else ""
            if tip != self.toolTip():
                QLabel.setToolTip(self, tip)
        p = QPainter(self)
        self.drawFrame(p)  # the style sheet's background and border
        self.style().drawItemText(
            p,
            rect,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            text,
            self.foregroundRole(),
        )
        p.end()
