"""Live trend of several feeds: one or two unit axes, follow/pause, cursor read-out.

The widget draws what it is given (``setSeriesData``); it owns no data
source. Two units get two y axes (left and right, each with its own view box
linked in x); a third unit is refused (``addSeries`` returns False) because
three scales on one plot mislead more than they show.

Read without doubt: the axes are in the feed's unit with its decimals (no SI
prefixes, widgets/axes.py); the legend sits in its own row above the plot, so
it never covers a curve; every curve has its own dash pattern as well as its
colour (``PENS``), so curves stay apart on a greyscale print or for a
colour-blind operator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from widgets.axes import UnitAxis
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

PENS: list[tuple[float, ...]] = [
    (),  # solid
    (6, 3),
    (1, 2),
    (6, 2, 1, 2),
    (6, 2, 1, 2, 1, 2),
    (12, 4),
    (12, 3, 2, 3),
    (1, 5),
    (4, 2, 4, 2, 1, 2),
    (10, 2, 3, 2),
]
"""Dash pattern per series slot (pixels: on, off, ...; () is solid), paired with
``PALETTE``: no two series share a pattern, so they are told apart without colour.
All one pixel wide: a wider line costs more than the whole refresh in software
rendering (docs/PERFORMANCE.md)."""

LEGEND_SAMPLE_PX = 40
"""Width of a legend entry's line sample and its gap."""


def series_pen(slot: int) -> pg.QtGui.QPen:
    pen = pg.mkPen(PALETTE[slot % len(PALETTE)], width=1)
    pattern = PENS[slot % len(PENS)]
    if pattern:
        pen.setDashPattern(list(pattern))
    return pen


@dataclass
class _Series:
    label: str
    unit: str
    slot: int
    color: str
    decimals: int
    curve: pg.PlotDataItem
    box: pg.ViewBox
    x: np.ndarray
    y: np.ndarray
    mark: str = ""


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
        self._unit_labels: dict[str, str] = {}
        self._plot = pg.GraphicsLayoutWidget()
        self._plot.setBackground("#101418")
        self._plot.ci.setContentsMargins(2, 2, 2, 2)
        self._plot.ci.setSpacing(0)
        self._legend = pg.LegendItem(colCount=2, labelTextColor="#d8dee4", verSpacing=-6)
        self._plot.addItem(self._legend, row=0, col=0)
        self._axis_l = UnitAxis("left")
        self._axis_r = UnitAxis("right")
        self._item = self._plot.addPlot(
            row=1,
            col=0,
            axisItems={"bottom": LocalTimeAxis(tz), "left": self._axis_l, "right": self._axis_r},
        )
        # Vertical (time) grid only: a y grid costs ~25 ms a frame in software
        # rendering when the y range moves (docs/PERFORMANCE.md).
        self._item.showGrid(x=True, y=False, alpha=0.15)
        # No pyqtgraph right-click menu: an English engineering tool (log scale, FFT,
        # export) an operator does not need; the panel has its own controls.
        self._item.setMenuEnabled(False)
        self._item.getViewBox().setMenuEnabled(False)
        self._item.setClipToView(True)
        self._item.setDownsampling(auto=True, mode="peak")
        self._left = self._item.getViewBox()
        self._right = pg.ViewBox()
        self._item.scene().addItem(self._right)
        self._item.getAxis("right").linkToView(self._right)
        self._right.setXLink(self._item)
        self._left.sigResized.connect(self._sync_right)
        self._left.sigRangeChangedManually.connect(self._manual_range)
        self._cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#8899aa", width=1))
        self._cursor.setVisible(False)
        self._item.addItem(self._cursor, ignoreBounds=True)
        self._item.hideAxis("right")
        self._readout = QLabel()
        self._readout.setObjectName("trendReadout")
        # Never let a long read-out widen the window: clip instead.
        self._readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._mouse = pg.SignalProxy(
            self._item.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved
        )
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self._plot, 1)
        lay.addWidget(self._readout)

    # --- series ---------------------------------------------------------------
    def addSeries(
        self,
        key: str,
        label: str,
        unit: str,
        *,
        decimals: int = 2,
        unit_label: str | None = None,
    ) -> bool:
        """Add a curve; ``unit_label`` is how the axis and legend write the unit (the
        UI language's word for it), ``decimals`` the unit's display decimals."""
        if key in self._series:
            return True
        if len(self._series) >= self.maxSeries:
            return False
        if unit not in self._units:
            if len(self._units) == 2:
                return False
            self._units.append(unit)
            self._unit_labels[unit] = unit_label or unit
            self._label_axes()
        used = {s.slot for s in self._series.values()}
        slot = next(i for i in range(self.maxSeries) if i not in used)
        box = self._left if self._units.index(unit) == 0 else self._right
        curve = pg.PlotDataItem(pen=series_pen(slot), antialias=False)
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        box.addItem(curve)
        s = _Series(
            label, unit, slot, PALETTE[slot], decimals, curve, box, np.zeros(0), np.zeros(0)
        )
        self._series[key] = s
        self._legend.addItem(curve, self._legend_text(s))
        self._fit_legend()
        if self._units.index(unit) == 0:
            self._axis_l.setDecimals(decimals)
        else:
            self._axis_r.setDecimals(decimals)
        return True

    def removeSeries(self, key: str) -> None:
        s = self._series.pop(key, None)
        if s is None:
            return
        s.box.removeItem(s.curve)
        self._legend.removeItem(s.curve)
        self._fit_legend()
        if not any(o.unit == s.unit for o in self._series.values()):
            self._units.remove(s.unit)
            # Keep the remaining unit on the left axis.
            for o in self._series.values():
                if o.box is not self._left:
                    o.box.removeItem(o.curve)
                    self._left.addItem(o.curve)
                    o.box = self._left
                    self._axis_l.setDecimals(o.decimals)
            self._label_axes()

    def seriesKeys(self) -> list[str]:
        return list(self._series)

    def seriesColor(self, key: str) -> str:
        return self._series[key].color

    def seriesPen(self, key: str) -> tuple[float, ...]:
        """The dash pattern of a series (() for solid): what tells it apart without colour."""
        pen = self._series[key].curve.opts["pen"]
        if pen.style() == Qt.PenStyle.SolidLine:
            return ()
        return tuple(pen.dashPattern())

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

    def setSeriesMark(self, key: str, mark: str, color: str | None = None) -> None:
        """A prefix for the series' legend entry (its alarm, e.g. "◆ cao"), in ``color``."""
        s = self._series.get(key)
        if s is None or s.mark == mark:
            return
        s.mark = mark
        label = self._legend.getLabel(s.curve)
        if label is not None:
            label.setText(self._legend_text(s, color))
            self._fit_legend()

    def seriesMark(self, key: str) -> str:
        return self._series[key].mark

    def legendTexts(self) -> list[str]:
        return [label.text for _sample, label in self._legend.items]

    def legendItem(self) -> pg.LegendItem:
        return self._legend

    def _legend_text(self, s: _Series, color: str | None = None) -> str:
        text = f"{s.label} ({self._unit_labels.get(s.unit, s.unit)})"
        if s.mark:
            mark = f"<b>{s.mark}</b>"
            if color:
                mark = f"<span style='color:{color}'>{mark}</span>"
            text = f"{mark} {text}"
        return text

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

    def axes(self) -> tuple[UnitAxis, UnitAxis]:
        return self._axis_l, self._axis_r

    def readoutText(self) -> str:
        return self._readout.text()

    # --- internals ---------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_legend()

    def _fit_legend(self) -> None:
        """As many legend columns as the entries fit side by side (fewer rows above the
        plot, more room for the curves)."""
        items = self._legend.items
        width = self.width() - 20
        widths = [LEGEND_SAMPLE_PX + label.item.boundingRect().width() for _s, label in items]
        cols = 1
        for n in range(len(widths), 1, -1):
            per_col = [max(widths[k::n]) for k in range(n)]
            if sum(per_col) + 10 * n <= width:
                cols = n
                break
        if cols != self._legend.columnCount:
            self._legend.setColumnCount(cols)

    def _label_axes(self) -> None:
        labels = [self._unit_labels.get(u, u) for u in self._units]
        self._item.setLabel("left", labels[0] if labels else "")
        if len(labels) > 1:
            self._item.showAxis("right")
            self._item.setLabel("right", labels[1])
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
            unit = self._unit_labels.get(s.unit, s.unit)
            parts.append(
                f"<span style='color:{s.color}'>{s.label}: "
                f"<b>{s.y[i]:.{s.decimals}f}</b> {unit}</span>"
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
