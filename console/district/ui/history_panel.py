"""History: chosen feeds over a time range, read from the local log off the GUI thread.

Short spans draw raw points; long spans draw min/max envelopes with the mean
(the history service buckets in SQL), never millions of raw points.
The query and the CSV export run in superqt workers (a QThreadPool); the
panel only reacts to their ``returned`` / ``errored`` signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import pyqtgraph as pg
from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.district.config import FeedConfig
from console.district.services.history import HistoryService
from console.shared.clock import Clock
from console.shared.series import Series
from widgets.timeaxis import LocalTimeAxis
from widgets.trend import PALETTE

RANGES = [("1h", 3600), ("24h", 86_400), ("7d", 7 * 86_400), ("custom", 0)]


class HistoryPanel(QWidget):
    loaded = Signal(int)
    """Emitted with the number of series drawn after a load."""
    exported = Signal(str, int)
    failed = Signal(str)

    def __init__(
        self,
        history: HistoryService,
        feeds: Sequence[FeedConfig],
        tz: ZoneInfo,
        lang: str,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._history = history
        self._clock = clock
        self._feeds = {f.id: f for f in feeds}
        self._tz = tz
        self._lang = lang
        self._series: list[Series] = []
        self._busy = False
        self.feedList = QListWidget()
        self.feedList.setMaximumWidth(260)
        self.range = QComboBox()
        labels = {
            "1h": self.tr("Last hour"),
            "24h": self.tr("Last 24 h"),
            "7d": self.tr("Last 7 days"),
            "custom": self.tr("Custom…"),
        }
        for key, secs in RANGES:
            self.range.addItem(labels[key], secs)
        self.fromEdit = QDateTimeEdit()
        self.toEdit = QDateTimeEdit()
        self._qtz = QTimeZone(tz.key.encode())
        for e in (self.fromEdit, self.toEdit):
            e.setTimeZone(self._qtz)  # the site's time, whatever the workstation's clock zone
            e.setDisplayFormat("dd/MM/yyyy HH:mm")
            e.setCalendarPopup(True)
        now = QDateTime.currentDateTime(self._qtz)
        self.fromEdit.setDateTime(now.addSecs(-3600))
        self.toEdit.setDateTime(now)
        self.range.currentIndexChanged.connect(self._range_changed)
        self._range_changed()
        self.loadButton = QPushButton(self.tr("Load"))
        self.loadButton.clicked.connect(self.load)
        self.exportButton = QPushButton(self.tr("Export CSV…"))
        self.exportButton.clicked.connect(self._ask_export)
        self.exportButton.setEnabled(False)
        self.removeButton = QPushButton(self.tr("Remove feed"))
        self.removeButton.clicked.connect(self._remove_selected)
        self.status = QLabel()
        self.status.setObjectName("hint")
        # One plot per unit, stacked and linked in time: a river in metres and a
        # rain gauge in mm/h never share a scale.
        self.plot = pg.GraphicsLayoutWidget()
        self.plot.setBackground("#101418")
        self._plots: dict[str, pg.PlotItem] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.range)
        bar.addWidget(self.fromEdit)
        bar.addWidget(QLabel("→"))
        bar.addWidget(self.toEdit)
        bar.addWidget(self.loadButton)
        bar.addWidget(self.exportButton)
        bar.addWidget(self.status, 1)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Feeds (Ctrl+H adds the selected ones)")))
        left.addWidget(self.feedList, 1)
        left.addWidget(self.removeButton)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addWidget(self.plot, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addLayout(body, 1)

    # --- feeds ----------------------------------------------------------------------
    def addFeed(self, key: str) -> None:
        if key in self.feedKeys() or key not in self._feeds:
            return
        f = self._feeds[key]
        item = QListWidgetItem(f"{f.name.vi if self._lang == 'vi' else f.name.en} ({f.unit})")
        item.setData(256, key)
        self.feedList.addItem(item)

    def feedKeys(self) -> list[str]:
        return [self.feedList.item(i).data(256) for i in range(self.feedList.count())]

    def _remove_selected(self) -> None:
        for item in self.feedList.selectedItems():
            self.feedList.takeItem(self.feedList.row(item))

    # --- range ------------------------------------------------------------------------
    def _range_changed(self) -> None:
        custom = self.range.currentData() == 0
        self.fromEdit.setEnabled(custom)
        self.toEdit.setEnabled(custom)

    def setRangeSeconds(self, seconds: int) -> None:
        for i in range(self.range.count()):
            if self.range.itemData(i) == seconds:
                self.range.setCurrentIndex(i)
                return
        raise ValueError(seconds)

    def setCustomRange(self, t0: float, t1: float) -> None:
        self.range.setCurrentIndex(self.range.count() - 1)
        self.fromEdit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t0), self._qtz))
        self.toEdit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t1), self._qtz))

    def timeRange(self) -> tuple[float, float]:
        secs = self.range.currentData()
        if secs:
            now = self._clock.time()
            return now - secs, now
        return float(self.fromEdit.dateTime().toSecsSinceEpoch()), float(
            self.toEdit.dateTime().toSecsSinceEpoch()
        )

    # --- load & draw ---------------------------------------------------------------------
    def load(self) -> None:
        keys = self.feedKeys()
        if not keys or self._busy:
            if not keys:
                self.status.setText(self.tr("Add feeds first."))
            return
        t0, t1 = self.timeRange()
        if t1 <= t0:
            self.status.setText(self.tr("The end must be after the start."))
            return
        self._busy = True
        self.loadButton.setEnabled(False)
        self.status.setText(self.tr("Loading…"))
        worker = create_worker(
            self._history.load, keys, int(t0 * 1000), int(t1 * 1000), _start_thread=False
        )
        worker.returned.connect(self._draw)
        worker.errored.connect(self._error)
        worker.finished.connect(lambda *_: self._done())
        worker.start()
        self._worker = worker

    def _done(self) -> None:
        self._busy = False
        self.loadButton.setEnabled(True)

    def _error(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Failed: %1").replace("%1", str(exc)))
        self.failed.emit(str(exc))

    def _plot_for(self, unit: str) -> pg.PlotItem:
        item = self._plots.get(unit)
        if item is None:
            item = self.plot.addPlot(
                row=len(self._plots), col=0, axisItems={"bottom": LocalTimeAxis(self._tz)}
            )
            item.showGrid(x=True, y=False, alpha=0.15)
            item.setLabel("left", unit)
            item.addLegend(offset=(10, 10), labelTextColor="#d8dee4")
            first = next(iter(self._plots.values()), None)
            if first is not None:
                item.setXLink(first)
            self._plots[unit] = item
        return item

    def plotUnits(self) -> list[str]:
        return list(self._plots)

    def _draw(self, series: list[Series]) -> None:
        self._series = series
        self.plot.clear()
        self._plots = {}
        points = 0
        agg = False
        t0, t1 = self.timeRange()
        for n, s in enumerate(series):
            color = PALETTE[n % len(PALETTE)]
            f = self._feeds.get(s.feed_key)
            name = (f.name.vi if self._lang == "vi" else f.name.en) if f else s.feed_key
            plot = self._plot_for(f.unit if f else "?")
            if s.aggregated:
                agg = True
                x = s.ts + s.bucket_ms / 2000.0
                edge = pg.mkColor(color)
                edge.setAlpha(110)
                shade = pg.mkColor(color)
                shade.setAlpha(55)
                lo = pg.PlotDataItem(x, s.min, pen=pg.mkPen(edge, width=1))
                hi = pg.PlotDataItem(x, s.max, pen=pg.mkPen(edge, width=1))
                plot.addItem(lo)
                plot.addItem(hi)
                plot.addItem(pg.FillBetweenItem(lo, hi, brush=pg.mkBrush(shade)))
                plot.plot(x, s.mean, pen=pg.mkPen(color, width=1.5), name=f"{name} (min/max/mean)")
            else:
                plot.plot(s.ts, s.mean, pen=pg.mkPen(color, width=1), name=name)
            points += len(s.ts)
        for plot in self._plots.values():
            plot.setXRange(t0, t1, padding=0.01)
        self.exportButton.setEnabled(any(len(s.ts) for s in series))
        kind = self.tr("min/max/mean per bucket") if agg else self.tr("raw readings")
        self.status.setText(self.tr("%1 points, %2").replace("%1", str(points)).replace("%2", kind))
        self.loaded.emit(len(series))

    def series(self) -> list[Series]:
        return list(self._series)

    # --- export -----------------------------------------------------------------------
    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export CSV"), "history.csv", "CSV (*.csv)"
        )
        if path:
            self.exportTo(Path(path))

    def exportTo(self, path: Path) -> None:
        worker = create_worker(
            self._history.export_csv, list(self._series), path, _start_thread=False
        )

        def exported(n: int) -> None:
            self.status.setText(
                self.tr("Exported %1 rows to %2").replace("%1", str(n)).replace("%2", str(path))
            )
            self.exported.emit(str(path), n)

        worker.returned.connect(exported)
        worker.errored.connect(self._error)
        worker.start()
        self._export_worker = worker
