"""A site's drill-down: its feeds at the hub, their minute trends with min/max envelopes,
its status history (alarms and feeds in trouble over time) and, below them, its alarm
events (the newest transitions its console sent: who raised, acknowledged, shelved what).

Everything is read in a superqt worker (``CityService`` does I/O), again when
the hub's data moved; the panel only draws what the worker returns. One plot
per unit, stacked and linked in time, axes in the feed's own unit (no
SI-prefix scaling), time in Asia/Ho_Chi_Minh; legends sit beside the plots,
never over the data; curves differ by line style as well as colour.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.hub.services.ioc import (
    CityService,
    FeedInfo,
    SiteAlarmEvents,
    SiteSnapshot,
    StatusHistory,
)
from console.hub.ui import text
from console.hub.ui.models import (
    COL_FEED,
    COL_KIND,
    COL_MINUTE,
    COL_UNIT,
    COL_VALUE,
    SiteFeedsModel,
)
from console.hub.ui.site_alarms import SiteAlarmsPanel
from console.shared.series import Series
from widgets.alarm_words import severity_name
from widgets.timeaxis import LocalTimeAxis
from widgets.trend import PALETTE

RANGES_S = (3600, 6 * 3600, 86_400, 7 * 86_400, 30 * 86_400)
MAX_FEEDS = 6
MAX_POINTS = 720
"""Per curve: about one per pixel of a full-width plot (24 h → 5-minute envelopes)."""
RELOAD_S = 10.0
"""While following now, reload at most this often (the hub's data moves once a minute)."""
PEN_STYLES = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
    Qt.PenStyle.SolidLine,
)
BACKGROUND = "#101418"
ALARMS_SHARE = 0.3
"""Of the height under the header: the alarm events' (about five rows at 1366×768, nine at
1920×1080); the trends keep the rest."""


@dataclass(frozen=True)
class DetailData:
    site_id: str
    feeds: list[FeedInfo]
    chosen: list[str]
    series: list[Series]
    history: StatusHistory
    alarms: SiteAlarmEvents
    """The newest alarm events, whatever the range (``CityService.alarm_events`` says why)."""
    t0: float
    t1: float


class ShareSplitter(QSplitter):
    """Vertical: the trends over the alarm events. The lower part gets ``share`` of the height
    (never less than its minimum) as the window is resized; once the operator drags the
    handle, it keeps the height they gave it and the trends take the change."""

    def __init__(self, share: float, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.share = share
        self.byHand = False
        self._low = 0
        self.setChildrenCollapsible(False)
        self.splitterMoved.connect(self._moved)

    def _moved(self, _pos: int, _index: int) -> None:
        self.byHand = True
        self._low = self.sizes()[-1]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        lower = self.widget(1)
        if lower is None:
            return
        total = sum(self.sizes())
        least = lower.minimumSizeHint().height()
        low = max(least, self._low if self.byHand else round(total * self.share))
        if total > low:
            self.setSizes([total - low, low])


def top_legend(layout: pg.GraphicsLayoutWidget, legend: pg.LegendItem) -> None:
    """Keep a legend in its own cell at its natural height, at the top (not spread out)."""
    legend.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    layout.ci.layout.setAlignment(legend, Qt.AlignmentFlag.AlignTop)


def default_feeds(feeds: Sequence[FeedInfo]) -> list[str]:
    """The first feed of each of the first two kinds (river level and rainfall first)."""
    order = {"river_level": 0, "rainfall": 1}
    kinds = sorted({f.kind for f in feeds}, key=lambda k: (order.get(k, 9), k))[:2]
    return [next(f.feed_key for f in feeds if f.kind == k) for k in kinds]


def range_name(seconds: int) -> str:
    names = {
        3600: QCoreApplication.translate("Ioc", "Last hour"),
        6 * 3600: QCoreApplication.translate("Ioc", "Last 6 h"),
        86_400: QCoreApplication.translate("Ioc", "Last 24 h"),
        7 * 86_400: QCoreApplication.translate("Ioc", "Last 7 days"),
        30 * 86_400: QCoreApplication.translate("Ioc", "Last 30 days"),
    }
    return names[seconds]


class SiteDetail(QWidget):
    back = Signal()
    loaded = Signal(str)
    """Emitted with the site id after a load was drawn."""
    failed = Signal(str)
    REFRESH_HZ = 1

    def __init__(self, city: CityService, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._city = city
        self.lang = lang
        self.site_id = ""
        self._snapshot: SiteSnapshot | None = None
        self._chosen: list[str] = []
        self._busy = False
        self._again = False
        self._loaded_at = -1e18
        self._data: DetailData | None = None
        self._worker: Any = None
        self._curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem, pg.PlotDataItem]] = {}
        self._history_curves: dict[str, pg.PlotDataItem] = {}
        self._history_plot: pg.PlotItem | None = None
        self._layout: tuple[tuple[str, tuple[str, ...]], ...] | None = None
        self.draw_ms: deque[float] = deque(maxlen=1000)
        """Time to build each drawing's plot items (the bench adds the paint)."""

        self.backButton = QPushButton("◀ " + self.tr("All sites"))
        self.backButton.clicked.connect(self.back)
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        self.link = QLabel()
        self.link.setObjectName("detailLink")
        self.summary = QLabel()
        self.summary.setObjectName("detailSummary")
        self.summary.setWordWrap(True)
        self.range = QComboBox()
        for secs in RANGES_S:
            self.range.addItem(range_name(secs), secs)
        self.range.currentIndexChanged.connect(lambda _i: self.reload())
        self.status = QLabel()
        self.status.setObjectName("hint")

        self.model = SiteFeedsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # ids differ at the end
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_FEED, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_KIND, 118), (COL_VALUE, 90), (COL_UNIT, 100), (COL_MINUTE, 68)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        hint = QLabel(self.tr("Select up to 6 feeds to plot (Ctrl+click)."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground(BACKGROUND)
        self._units: list[str] = []

        head = QHBoxLayout()
        head.addWidget(self.backButton)
        head.addWidget(self.title)
        head.addWidget(self.link, 1)
        head.addWidget(self.range)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addWidget(hint)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.plots, 1)
        rl.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([580, 780])
        # The alarm events under the trends, the whole width (seven columns of words need
        # it); the operator drags the handle, the trends keep most of the height.
        self.alarms = SiteAlarmsPanel()
        self.vsplit = ShareSplitter(ALARMS_SHARE)
        self.vsplit.addWidget(split)
        self.vsplit.addWidget(self.alarms)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(head)
        lay.addWidget(self.summary)
        lay.addWidget(self.vsplit, 1)

    # --- what to show --------------------------------------------------------------
    def showSite(self, site_id: str, snap: SiteSnapshot | None, now_ms: int) -> None:
        if site_id != self.site_id:
            self.site_id = site_id
            self._chosen = []
            self._data = None
            self.model.setFeeds([], now_ms)
            self.alarms.setEvents(None, {}, now_ms)
            self.plots.clear()
            self._layout = None
        self.applySite(snap, now_ms)
        self.reload()

    def applySite(self, snap: SiteSnapshot | None, now_ms: int) -> None:
        """The header from the latest city snapshot (no I/O); reloads while following."""
        self._snapshot = snap
        if snap is None:
            self.title.setText(self.site_id)
            self.link.setText("")
            self.summary.setText("")
            return
        name = snap.name(self.lang)
        self.title.setText(name if name == snap.site_id else f"{name}  ({snap.site_id})")
        self.link.setText(text.link_line(snap, now_ms))
        self.link.setProperty("silent", snap.link(now_ms).value == "silent")
        self.link.style().unpolish(self.link)
        self.link.style().polish(self.link)
        parts = [text.alarm_line(snap), text.unack_line(snap), text.feeds_line(snap)]
        parts.append(text.other_line(snap))
        self.summary.setText("     ".join(p for p in parts if p))

    def tick(self, changed: bool) -> None:
        """Called once a second; ``changed``: the hub's data moved since the last tick."""
        due = self._city.clock.monotonic() - self._loaded_at >= RELOAD_S
        if self.site_id and changed and due and self.isVisible():
            self.reload()

    def rangeSeconds(self) -> int:
        return int(self.range.currentData())

    def setRangeSeconds(self, seconds: int) -> None:
        self.range.setCurrentIndex(RANGES_S.index(seconds))

    def chosen(self) -> list[str]:
        return list(self._chosen)

    def setChosen(self, keys: Sequence[str]) -> None:
        self._chosen = list(keys)[:MAX_FEEDS]
        self._select_rows()
        self.reload()

    # --- loading -----------------------------------------------------------------------
    def reload(self) -> None:
        if not self.site_id:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._loaded_at = self._city.clock.monotonic()
        site, chosen, city = self.site_id, list(self._chosen), self._city
        t1 = city.clock.time()
        t0 = t1 - self.rangeSeconds()

        def load() -> DetailData:
            feeds = city.feeds(site)
            known = {f.feed_key for f in feeds}
            keys = [k for k in chosen if k in known] or default_feeds(feeds)
            series = city.feed_series(
                site, keys, int(t0 * 1000), int(t1 * 1000), max_points=MAX_POINTS
            )
            hist = city.status_history(site, int(t0 * 1000), int(t1 * 1000))
            alarms = city.alarm_events(site)
            return DetailData(site, feeds, keys, series, hist, alarms, t0, t1)

        self.status.setText(self.tr("Loading…"))
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
    def _draw(self, data: DetailData) -> None:
        if data.site_id != self.site_id:
            return
        t0 = time.perf_counter()
        self._data = data
        now_ms = self._city.now_ms()
        self.model.setFeeds(data.feeds, now_ms)
        self._chosen = list(data.chosen)
        self._select_rows()
        feeds = {f.feed_key: f for f in data.feeds}
        self.alarms.setEvents(data.alarms, feeds, now_ms)
        by_unit: dict[str, list[Series]] = {}
        for s in data.series:
            by_unit.setdefault(feeds[s.feed_key].unit if s.feed_key in feeds else "?", []).append(s)
        layout = tuple((unit, tuple(s.feed_key for s in ss)) for unit, ss in by_unit.items())
        if layout != self._layout:
            self._build(by_unit, feeds)
            self._layout = layout
        points = 0
        for s in data.series:  # one setData per curve; the fill follows its two edges
            x = s.ts + s.bucket_ms / 2000.0
            lo, mean, hi = self._curves[s.feed_key]
            lo.setData(x, s.min, skipFiniteCheck=True)
            hi.setData(x, s.max, skipFiniteCheck=True)
            mean.setData(x, s.mean, skipFiniteCheck=True)
            points += int(s.ts.size)
        self._set_history(data.history, data.t1)
        for item in self._plot_items():
            item.setXRange(data.t0, data.t1, padding=0.01)
        bucket = data.series[0].bucket_ms // 60_000 if data.series else 1
        self.status.setText(
            self.tr("%1 feeds, %2 points (min/max/mean per %3 min); %4 statuses")
            .replace("%1", str(len(data.series)))
            .replace("%2", str(points))
            .replace("%3", str(bucket))
            .replace("%4", str(data.history.ts.size))
        )
        self.draw_ms.append((time.perf_counter() - t0) * 1000)
        self.loaded.emit(data.site_id)

    def _build(self, by_unit: dict[str, list[Series]], feeds: dict[str, FeedInfo]) -> None:
        """Plots, legends and (empty) curves for this set of feeds: rebuilt only when the
        feeds or their units change, so a reload while following is only setData."""
        self.plots.clear()
        self._units = []
        self._curves = {}
        self._history_curves = {}
        first: pg.PlotItem | None = None
        n = 0
        for row, (unit, series) in enumerate(by_unit.items()):
            plot, legend = self._plot_row(row, unit, first)
            first = first or plot
            for s in series:
                self._envelope(plot, legend, s.feed_key, feeds.get(s.feed_key), n)
                n += 1
            self._units.append(unit)
        plot, legend = self._plot_row(len(by_unit), "count", first)
        self._history_plot = plot
        for key, name, color, style, width in self._history_styles():
            item = plot.plot(pen=pg.mkPen(color, width=width, style=style))
            legend.addItem(item, name)
            self._history_curves[key] = item

    def _plot_items(self) -> list[pg.PlotItem]:
        out = []
        for r in range(len(self._units) + 1):
            item = self.plots.ci.getItem(r, 0)
            if item is not None:
                out.append(item)
        return out

    def _plot_row(
        self, row: int, unit: str, link: pg.PlotItem | None
    ) -> tuple[pg.PlotItem, pg.LegendItem]:
        plot = self.plots.addPlot(row=row, col=0, axisItems={"bottom": LocalTimeAxis(text.CITY_TZ)})
        plot.showGrid(x=True, y=False, alpha=0.15)
        left = plot.getAxis("left")
        left.enableAutoSIPrefix(False)
        left.setWidth(56)
        plot.setLabel("left", text.unit_name(unit))
        plot.setMenuEnabled(False)
        if link is not None:
            plot.setXLink(link)
        legend = pg.LegendItem(labelTextColor="#d8dee4", labelTextSize="8pt")
        self.plots.addItem(legend, row=row, col=1)
        top_legend(self.plots, legend)
        return plot, legend

    def _envelope(
        self,
        plot: pg.PlotItem,
        legend: pg.LegendItem,
        key: str,
        feed: FeedInfo | None,
        n: int,
    ) -> None:
        color = PALETTE[n % len(PALETTE)]
        style = PEN_STYLES[n % len(PEN_STYLES)]
        edge = pg.mkColor(color)
        edge.setAlpha(110)
        shade = pg.mkColor(color)
        shade.setAlpha(50)
        lo = pg.PlotDataItem(pen=pg.mkPen(edge, width=1))
        hi = pg.PlotDataItem(pen=pg.mkPen(edge, width=1))
        plot.addItem(lo)
        plot.addItem(hi)
        plot.addItem(pg.FillBetweenItem(lo, hi, brush=pg.mkBrush(shade)))
        mean = plot.plot(pen=pg.mkPen(color, width=2, style=style))
        self._curves[key] = (lo, mean, hi)
        kind = text.kind_name(feed.kind) if feed else ""
        legend.addItem(mean, f"{key}<br>{kind}" if kind else key)

    def _history_styles(self) -> tuple[tuple[str, str, str, Qt.PenStyle, float], ...]:
        return (
            ("alarms_sev3", "▲▲▲ " + severity_name(3), "#ff6b6b", Qt.PenStyle.SolidLine, 2.5),
            ("alarms_sev2", "▲▲ " + severity_name(2), "#ffa94d", Qt.PenStyle.DashLine, 2),
            ("alarms_sev1", "▲ " + severity_name(1), "#ffe066", Qt.PenStyle.DotLine, 2),
            (
                "alarms_unack",
                "◆ " + self.tr("unacknowledged"),
                "#e599f7",
                Qt.PenStyle.DashDotLine,
                1.5,
            ),
            (
                "feeds_stale",
                "◌ " + self.tr("feeds without data"),
                "#adb5bd",
                Qt.PenStyle.SolidLine,
                1,
            ),
            ("feeds_bad", "■ " + self.tr("bad feeds"), "#74c0fc", Qt.PenStyle.DashDotDotLine, 1),
        )

    def _set_history(self, h: StatusHistory, t1: float) -> None:
        """Counts hold until the next status: steps, the last one drawn to the range's end."""
        if h.ts.size == 0:
            for item in self._history_curves.values():
                item.clear()
            return
        x = np.append(h.ts, max(float(h.ts[-1]), t1))
        top = 1.0
        for key, item in self._history_curves.items():
            y = h.counts[key]
            item.setData(x, y, stepMode="center")
            top = max(top, float(np.nanmax(y)))
        if self._history_plot is not None:
            self._history_plot.setYRange(0, top * 1.15, padding=0)

    def _select_rows(self) -> None:
        sel = self.table.selectionModel()
        sel.blockSignals(True)
        sel.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for key in self._chosen:
            row = self.model.rowOf(key)
            if row >= 0:
                sel.select(self.model.index(row, 0), flags)
        sel.blockSignals(False)
        self.table.viewport().update()

    def _selection_changed(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        keys = [self.model.feed(r).feed_key for r in rows][:MAX_FEEDS]
        if keys and keys != self._chosen:
            self._chosen = keys
            self.reload()

    def plotUnits(self) -> list[str]:
        return list(self._units)

    def curve(self, feed_key: str) -> tuple[pg.PlotDataItem, pg.PlotDataItem, pg.PlotDataItem]:
        """The (min, mean, max) curves drawn for ``feed_key``."""
        return self._curves[feed_key]

    def historyCurve(self, key: str) -> pg.PlotDataItem:
        """The status-history step curve of ``key`` (e.g. ``alarms_sev3``)."""
        return self._history_curves[key]

    def data(self) -> DetailData | None:
        return self._data
