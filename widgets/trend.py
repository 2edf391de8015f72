"""Live trend of several feeds: one or two unit axes, follow/pause, cursor read-out.

The widget draws what it is given (``setSeriesData``); it owns no data
source. Two units get two y axes (left and right, each with its own view box
linked in x); a third unit is refused (``addSeries`` returns False) because
three scales on one plot mislead more than they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from widgets.timeaxis import LocalTimeAxis

PALETTE = [
    "#4fc3f7",
    "#ffb74d",
    "#81c784",
    "#f06292",
    "#ba68c8",
    "#fff176",
    "#4db6ac",
    "#e57373",
    "#90a4ae",
    "#aed581",
]


@dataclass
class _Series:
    label: str
    unit: str
    color: str
    curve: pg.PlotDataItem
    box: pg.ViewBox
    x: np.ndarray
    y: np.ndarray


class TrendPlot(QWidget):
    followChanged = Signal(bool)
    maxSeries = 10

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self._span = 600.0
        self._follow = True
        self._series: dict[str, _Series] = {}
        self._units: list[str] = []
        self._plot = pg.PlotWidget(axisItems={"bottom": LocalTimeAxis(tz)})
        self._plot.setBackground("#101418")
        # Vertical (time) grid only: a y grid costs ~25 ms a frame in software
        # rendering when the y range moves (docs/PERFORMANCE.md).
        self._plot.showGrid(x=True, y=False, alpha=0.15)
        self._plot.setClipToView(True)
        self._plot.setDownsampling(auto=True, mode="peak")
        self._item = self._plot.getPlotItem()
        self._left = self._item.getViewBox()
        self._legend = self._item.addLegend(offset=(10, 10), labelTextColor="#d8dee4")
        self._right = pg.ViewBox()
        self._item.scene().addItem(self._right)
        self._item.getAxis("right").linkToView(self._right)
        self._right.setXLink(self._item)
        self._left.sigResized.connect(self._sync_right)
        self._left.sigRangeChangedManually.connect(self._manual_range)
        self._cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#8899aa", width=1))
        self._cursor.setVisible(False)
        self._plot.addItem(self._cursor, ignoreBounds=True)
        self._readout = QLabel()
        self._readout.setObjectName("trendReadout")
        self._mouse = pg.SignalProxy(
            self._item.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved
        )
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self._plot, 1)
        lay.addWidget(self._readout)

    # --- series ---------------------------------------------------------------
    def addSeries(self, key: str, label: str, unit: str) -> bool:
        if key in self._series:
            return True
        if len(self._series) >= self.maxSeries:
            return False
        if unit not in self._units:
            if len(self._units) == 2:
                return False
            self._units.append(unit)
            self._label_axes()
        used = {s.color for s in self._series.values()}
        color = next(c for c in PALETTE if c not in used)
        box = self._left if self._units.index(unit) == 0 else self._right
        curve = pg.PlotDataItem(
            pen=pg.mkPen(color, width=1), name=f"{label} ({unit})", antialias=False
        )
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        box.addItem(curve)
        self._legend.addItem(curve, curve.name())
        self._series[key] = _Series(label, unit, color, curve, box, np.zeros(0), np.zeros(0))
        return True

    def removeSeries(self, key: str) -> None:
        s = self._series.pop(key, None)
        if s is None:
            return
        s.box.removeItem(s.curve)
        self._legend.removeItem(s.curve)
        if not any(o.unit == s.unit for o in self._series.values()):
            self._units.remove(s.unit)
            # Keep the remaining unit on the left axis.
            for o in self._series.values():
                if o.box is not self._left:
                    o.box.removeItem(o.curve)
                    self._left.addItem(o.curve)
                    o.box = self._left
            self._label_axes()

    def seriesKeys(self) -> list[str]:
        return list(self._series)

    def seriesColor(self, key: str) -> str:
        return self._series[key].color

    def units(self) -> list[str]:
        return list(self._units)

    def setSeriesData(self, key: str, x: np.ndarray, y: np.ndarray) -> None:
        s = self._series.get(key)
        if s is None:
            return
        s.x, s.y = x, y
        s.curve.setData(x, y, skipFiniteCheck=True)

    def seriesData(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        s = self._series[key]
        return s.x, s.y

    # --- view -------------------------------------------------------------------
    def setSpan(self, seconds: float) -> None:
        self._span = float(seconds)

    def span(self) -> float:
        return self._span

    def setFollow(self, follow: bool) -> None:
        if follow != self._follow:
            self._follow = follow
            self.followChanged.emit(follow)

    def follow(self) -> bool:
        return self._follow

    def advance(self, now: float) -> None:
        """In follow mode, show the last ``span`` seconds up to ``now``."""
        if self._follow:
            self._left.setXRange(now - self._span, now, padding=0)
            self._left.enableAutoRange(axis=pg.ViewBox.YAxis)
            self._right.enableAutoRange(axis=pg.ViewBox.YAxis)

    def plotItem(self) -> pg.PlotItem:
        return self._item

    def readoutText(self) -> str:
        return self._readout.text()

    # --- internals ---------------------------------------------------------------
    def _label_axes(self) -> None:
        self._item.setLabel("left", self._units[0] if self._units else "")
        if len(self._units) > 1:
            self._item.showAxis("right")
            self._item.setLabel("right", self._units[1])
        else:
            self._item.hideAxis("right")

    def _sync_right(self) -> None:
        self._right.setGeometry(self._left.sceneBoundingRect())
        self._right.linkedViewChanged(self._left, self._right.XAxis)

    def _manual_range(self, *_args: object) -> None:
        # Zooming or panning by hand pauses following, as an operator expects.
        self.setFollow(False)

    def readoutAt(self, t: float) -> str:
        parts = [datetime.fromtimestamp(t, self.tz).strftime("%d/%m %H:%M:%S")]
        for s in self._series.values():
            if s.x.size == 0:
                continue
            i = int(np.clip(np.searchsorted(s.x, t), 1, s.x.size - 1)) if s.x.size > 1 else 0
            if s.x.size > 1 and abs(s.x[i - 1] - t) < abs(s.x[i] - t):
                i -= 1
            parts.append(
                f"<span style='color:{s.color}'>{s.label}: <b>{s.y[i]:.2f}</b> {s.unit}</span>"
            )
        return "  ".join(parts)

    def _mouse_moved(self, event: tuple[QPointF]) -> None:
        pos = event[0]
        if not self._left.sceneBoundingRect().contains(pos):
            self._cursor.setVisible(False)
            return
        t = self._left.mapSceneToView(pos).x()
        self._cursor.setPos(t)
        self._cursor.setVisible(True)
        self._readout.setText(self.readoutAt(t))
