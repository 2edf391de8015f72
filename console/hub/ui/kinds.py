"""City-wide, per kind: which sites reached the highest values (e.g. river level, rainfall).

From the hub's hourly extremes (``kind_hours``), read in a superqt worker: on
the left the highest value per site over the range, highest first; on the
right the hourly highs of the top sites over time. Axes in the kind's unit
(no SI-prefix scaling), time in Asia/Ho_Chi_Minh, legend beside the plot,
curves told apart by line style and symbol as well as colour.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget
from superqt.utils import create_worker

from console.hub.services.ioc import CityService, KindView
from console.hub.ui import text
from console.hub.ui.detail import top_legend
from console.shared.kinds import decimals
from widgets.timeaxis import LocalTimeAxis
from widgets.trend import PALETTE

RANGES_S = (86_400, 7 * 86_400, 30 * 86_400)
BARS = 12
CURVES = 5
RELOAD_S = 60.0
SYMBOLS = ("o", "s", "t", "d", "+")
STYLES = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
)


def range_name(seconds: int) -> str:
    names = {
        86_400: QCoreApplication.translate("Ioc", "Last 24 h"),
        7 * 86_400: QCoreApplication.translate("Ioc", "Last 7 days"),
        30 * 86_400: QCoreApplication.translate("Ioc", "Last 30 days"),
    }
    return names[seconds]


class KindsPanel(QWidget):
    loaded = Signal(str)
    failed = Signal(str)
    REFRESH_HZ = 1

    def __init__(
        self,
        city: CityService,
        site_name: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._city = city
        self._site_name = site_name
        self._busy = False
        self._again = False
        self._loaded_at = -1e18
        self._view: KindView | None = None
        self._worker: Any = None
        self._kinds: list[tuple[str, str]] = []
        self.kind = QComboBox()
        self.kind.setMinimumWidth(220)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.range = QComboBox()
        for secs in RANGES_S:
            self.range.addItem(range_name(secs), secs)
        self.range.currentIndexChanged.connect(lambda _i: self.reload())
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("#101418")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Kind")))
        bar.addWidget(self.kind)
        bar.addWidget(self.range)
        bar.addWidget(self.status, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(self.plots, 1)

    def tick(self, changed: bool) -> None:
        due = self._city.clock.monotonic() - self._loaded_at >= RELOAD_S
        if changed and due and self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()

    def setKind(self, kind: str) -> bool:
        for i in range(self.kind.count()):
            if self.kind.itemData(i)[0] == kind:
                self.kind.setCurrentIndex(i)
                return True
        return False

    def setRangeSeconds(self, seconds: int) -> None:
        self.range.setCurrentIndex(RANGES_S.index(seconds))

    def view(self) -> KindView | None:
        return self._view

    # --- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._loaded_at = self._city.clock.monotonic()
        city = self._city
        wanted = self.kind.currentData()
        t1 = city.clock.time()
        t0 = t1 - int(self.range.currentData())

        def load() -> tuple[list[tuple[str, str]], KindView | None]:
            kinds = city.kinds()
            pick = tuple(wanted) if wanted and tuple(wanted) in kinds else None
            if pick is None and kinds:
                pick = next((k for k in kinds if k[0] == "river_level"), kinds[0])
            if pick is None:
                return kinds, None
            return kinds, city.kind_view(pick[0], pick[1], int(t0 * 1000), int(t1 * 1000))

        worker = create_worker(load, _start_thread=False, _ignore_errors=True)
        worker.returned.connect(self._draw)
        worker.errored.connect(self._error)
        worker.finished.connect(self._done)
        self._worker = worker
        worker.start()

    def _done(self, _: object = None) -> None:
        self._busy = False
        self._worker = None
        if self._again:
            self._again = False
            self.reload()

    def _error(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Could not read the hub database: %1").replace("%1", str(exc)))
        self.failed.emit(str(exc))

    # --- drawing ------------------------------------------------------------------------
    def _draw(self, result: tuple[list[tuple[str, str]], KindView | None]) -> None:
        kinds, view = result
        if kinds != self._kinds:
            self._kinds = kinds
            self.kind.blockSignals(True)
            self.kind.clear()
            for k, unit in kinds:
                self.kind.addItem(f"{text.kind_name(k)} ({text.unit_name(unit)})", [k, unit])
            self.kind.blockSignals(False)
        if view is not None:
            self.kind.blockSignals(True)
            self.setKind(view.kind)
            self.kind.blockSignals(False)
        self._view = view
        self.plots.clear()
        if view is None:
            self.status.setText(self.tr("No minute summaries at the hub yet."))
            return
        peaks = view.peaks()
        self._bars(view, peaks[:BARS])
        self._curves(view, [s for s, _ in peaks[:CURVES]])
        self.status.setText(
            self.tr("%1 sites reported %2; highest value per site and hour")
            .replace("%1", str(len(peaks)))
            .replace("%2", text.kind_name(view.kind))
        )
        self.loaded.emit(view.kind)

    def _bars(self, view: KindView, peaks: list[tuple[str, float]]) -> None:
        plot = self.plots.addPlot(row=0, col=0)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.setTitle(self.tr("Highest per site"), color="#aeb8c2", size="9pt")
        bottom = plot.getAxis("bottom")
        bottom.enableAutoSIPrefix(False)
        plot.setLabel("bottom", text.unit_name(view.unit))
        left = plot.getAxis("left")
        left.setWidth(120)
        n = len(peaks)
        ys = np.arange(n)[::-1].astype(float)  # highest at the top
        left.setTicks(
            [[(float(y), self._site_name(s)) for y, (s, _) in zip(ys, peaks, strict=True)]]
        )
        values = np.array([v for _, v in peaks], dtype=float)
        if n:
            plot.addItem(
                pg.BarGraphItem(
                    x0=np.minimum(0.0, values),
                    x1=values,
                    y=ys,
                    height=0.6,
                    brush=pg.mkBrush("#4fc3f7"),
                    pen=pg.mkPen("#9bdcff"),
                )
            )
            d = decimals(view.kind)
            hi = float(max(values.max(), 0.0))
            for y, v in zip(ys, values, strict=True):
                label = pg.TextItem(f"{v:.{d}f}", color="#f4f7fa", anchor=(0, 0.5))
                label.setPos(max(v, 0.0), y)
                plot.addItem(label)
            plot.setXRange(min(0.0, float(values.min())), hi * 1.25 if hi > 0 else 1.0, padding=0)
            plot.setYRange(-0.7, n - 0.3, padding=0)
        self.plots.ci.layout.setColumnStretchFactor(0, 2)

    def _curves(self, view: KindView, sites: list[str]) -> None:
        plot = self.plots.addPlot(row=0, col=1, axisItems={"bottom": LocalTimeAxis(text.CITY_TZ)})
        plot.setMenuEnabled(False)
        plot.setTitle(self.tr("Hourly highs, top sites"), color="#aeb8c2", size="9pt")
        plot.showGrid(x=True, y=False, alpha=0.15)
        left = plot.getAxis("left")
        left.enableAutoSIPrefix(False)
        left.setWidth(56)
        plot.setLabel("left", text.unit_name(view.unit))
        legend = pg.LegendItem(labelTextColor="#d8dee4", labelTextSize="8pt")
        self.plots.addItem(legend, row=0, col=2)
        top_legend(self.plots, legend)
        index = {s: i for i, s in enumerate(view.sites)}
        x = view.hours + 1800.0  # the middle of each hour
        for n, site in enumerate(sites):
            color = PALETTE[n % len(PALETTE)]
            item = plot.plot(
                x,
                view.vmax[index[site]],
                pen=pg.mkPen(color, width=2, style=STYLES[n % len(STYLES)]),
                symbol=SYMBOLS[n % len(SYMBOLS)],
                symbolSize=6,
                symbolBrush=color,
                symbolPen=None,
                connect="finite",
            )
            legend.addItem(item, self._site_name(site))
        if view.hours.size:
            plot.setXRange(float(view.hours[0]), float(view.hours[-1]) + 3600.0, padding=0.01)
        self.plots.ci.layout.setColumnStretchFactor(1, 3)
