"""A tiny line of the last minutes, painted directly (no plot machinery per tile)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget


class Sparkline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self._color = QColor("#7cc4ff")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(28)

    def sizeHint(self) -> QSize:
        return QSize(160, 32)

    def setColor(self, color: QColor | str) -> None:
        self._color = QColor(color)
        self.update()

    def setData(self, x: np.ndarray, y: np.ndarray) -> None:
        self._x = np.asarray(x, dtype=float)
        self._y = np.asarray(y, dtype=float)
        self.update()

    def points(self) -> int:
        return int(self._x.size)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._x.size < 2:
            return
        w, h = self.width() - 2, self.height() - 4
        x0, x1 = float(self._x[0]), float(self._x[-1])
        lo, hi = float(np.nanmin(self._y)), float(np.nanmax(self._y))
        if x1 <= x0:
            return
        if hi - lo < 1e-9:
            lo, hi = lo - 1.0, hi + 1.0
        step = max(1, self._x.size // max(1, 2 * w))  # no more points than pixels to draw
        xs, ys = self._x[::step], self._y[::step]
        px = 1 + (xs - x0) / (x1 - x0) * w
        py = 2 + (1 - (ys - lo) / (hi - lo)) * h
        poly = QPolygonF([QPointF(a, b) for a, b in zip(px, py, strict=True)])
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(self._color, 1.5, Qt.PenStyle.SolidLine))
        p.drawPolyline(poly)
        p.end()
