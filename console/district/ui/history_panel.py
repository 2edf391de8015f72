"""History: chosen feeds over a time range, read from the local log off the GUI thread.

Short spans draw raw points; long spans draw min/max envelopes with the mean
(the history service buckets in SQL), never millions of raw points. The query
runs feed by feed in a superqt generator worker (a QThreadPool): a progress
bar counts the feeds and Cancel stops before the next one. The CSV export
runs in a worker too and proposes a file in the user's documents folder.
Plots are read like the trend: the unit's own decimals, no SI prefixes, the
legend above the plot, a line style per feed as well as a colour.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pyqtgraph as pg
from PySide6.QtCore import QDateTime, QStandardPaths, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.district.config import FeedConfig
from console.district.services.history import HistoryService, LoadCancelledError
from console.district.ui.i18n import unit_name
from console.shared.clock import Clock
from console.shared.kinds import decimals
from console.shared.series import Series
from widgets.axes import UnitAxis
from widgets.elided_label import ElidedLabel
from widgets.timeaxis import LocalTimeAxis
from widgets.trend import PALETTE, series_pen

RANGES = [("1h", 3600), ("24h", 86_400), ("7d", 7 * 86_400), ("custom", 0)]
FeedKeyRole = Qt.ItemDataRole.UserRole


def documents_dir() -> Path:
    """The user's documents folder (home when it does not exist): where exports go."""
    docs = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    return docs if docs.is_dir() else Path.home()


class HistoryPanel(QWidget):
    loaded = Signal(int)
    """Emitted with the number of series drawn after a load."""
    cancelled = Signal()
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
        self._cancel = threading.Event()
        self._worker: object | None = None
        self._export_worker: object | None = None
        self.feedList = QListWidget()
        self.feedList.setMaximumWidth(260)
        self.feedList.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.feedList.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        self.range.currentIndexChanged.connect(self._range_changed)
        self.nowLabel = ElidedLabel()
        self.nowLabel.setObjectName("hint")
        self.loadButton = QPushButton(self.tr("Load"))
        self.loadButton.clicked.connect(self.load)
        self.cancelButton = QPushButton(self.tr("Cancel"))
        self.cancelButton.clicked.connect(self.cancel)
        self.cancelButton.hide()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setFormat(self.tr("%v of %m feeds"))
        self.progress.hide()
        self.exportButton = QPushButton(self.tr("Export CSV…"))
        self.exportButton.clicked.connect(self._ask_export)
        self.exportButton.setEnabled(False)
        self.removeButton = QPushButton(self.tr("Remove feed"))
        self.removeButton.clicked.connect(self._remove_selected)
        self.status = ElidedLabel()
        self.status.setObjectName("hint")
        # One plot per unit, stacked and linked in time: a river in metres and a
        # rain gauge in mm/h never share a scale.
        self.plot = pg.GraphicsLayoutWidget()
        self.plot.setBackground("#101418")
        self._plots: dict[str, pg.PlotItem] = {}
        self._legends: dict[str, pg.LegendItem] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.range)
        bar.addWidget(self.fromEdit)
        bar.addWidget(QLabel("→"))
        bar.addWidget(self.toEdit)
        bar.addWidget(self.nowLabel)
        bar.addWidget(self.loadButton)
        bar.addWidget(self.cancelButton)
        bar.addWidget(self.progress)
        bar.addWidget(self.exportButton)
        bar.addWidget(self.status, 1)
        left = QVBoxLayout()
        hint = ElidedLabel(self.tr("Feeds (Ctrl+H adds the selected ones)"))
        left.addWidget(hint)
        left.addWidget(self.feedList, 1)
        left.addWidget(self.removeButton)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addWidget(self.plot, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addLayout(body, 1)
        self._range_changed()

    # --- feeds ----------------------------------------------------------------------
    def _name(self, f: FeedConfig) -> str:
        return f.name.vi if self._lang == "vi" else f.name.en

    def addFeed(self, key: str) -> None:
        if key in self.feedKeys() or key not in self._feeds:
            return
        f = self._feeds[key]
        item = QListWidgetItem(f"{self._name(f)} ({unit_name(f.unit)})")
        item.setData(FeedKeyRole, key)
        item.setToolTip(f"{self._name(f)}\n{f.id}")
        self.feedList.addItem(item)

    def showFeeds(self, keys: Sequence[str]) -> None:
        """Ctrl+H: these feeds, drawn at once for the chosen span."""
        for key in keys:
            self.addFeed(key)
        if self.feedKeys():
            self.load()

    def feedKeys(self) -> list[str]:
        return [self.feedList.item(i).data(FeedKeyRole) for i in range(self.feedList.count())]

    def _remove_selected(self) -> None:
        for item in self.feedList.selectedItems():
            self.feedList.takeItem(self.feedList.row(item))

    # --- range ------------------------------------------------------------------------
    def _range_changed(self) -> None:
        custom = self.range.currentData() == 0
        self.fromEdit.setEnabled(custom)
        self.toEdit.setEnabled(custom)
        if not custom:
            self._show_preset_range()
        self.nowLabel.setText("" if custom else self.tr("(to now)"))

    def _show_preset_range(self) -> None:
        """From/To show what a preset span means now (refreshed at each load)."""
        t0, t1 = self.timeRange()
        self.fromEdit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t0), self._qtz))
        self.toEdit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t1), self._qtz))

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
    def isLoading(self) -> bool:
        return self._busy

    def load(self) -> None:
        keys = self.feedKeys()
        if not keys:
            self.status.setText(self.tr("Add feeds first."))
            return
        if self._busy:
            self.cancel()  # Load while loading stops the load (Cancel does the same)
            return
        if self.range.currentData():
            self._show_preset_range()
        t0, t1 = self.timeRange()
        if t1 <= t0:
            self.status.setText(self.tr("The end must be after the start."))
            return
        self._busy = True
        self._cancel = threading.Event()
        self.loadButton.setEnabled(False)
        self.cancelButton.show()
        self.progress.setRange(0, len(keys))
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(self.tr("Loading…"))
        cancel = self._cancel

        def run() -> Generator[int, None, list[Series]]:
            out: list[Series] = []
            for s in self._history.iter_load(keys, int(t0 * 1000), int(t1 * 1000), cancel=cancel):
                out.append(s)
                yield len(out)
            return out

        # _ignore_errors: ``_error`` handles them (a cancel the generator sees first is a
        # LoadCancelledError); without it superqt would also re-raise each in the GUI thread.
        worker = create_worker(run, _start_thread=False, _ignore_errors=True)
        worker.yielded.connect(self.progress.setValue)
        worker.returned.connect(self._draw)
        worker.errored.connect(self._error)
        worker.aborted.connect(lambda *_: self._aborted())
        worker.finished.connect(lambda *_: self._done())
        worker.start()
        self._worker = worker

    def cancel(self) -> None:
        """Stop a load before its next feed (what is drawn stays)."""
        if not self._busy:
            return
        self._cancel.set()
        quit_ = getattr(self._worker, "quit", None)
        if quit_ is not None:
            quit_()

    def _aborted(self) -> None:
        self.status.setText(self.tr("Cancelled."))
        self.cancelled.emit()

    def _done(self) -> None:
        self._busy = False
        self.loadButton.setEnabled(True)
        self.cancelButton.hide()
        self.progress.hide()

    def _error(self, exc: BaseException) -> None:
        if isinstance(exc, LoadCancelledError):
            self._aborted()
            return
        self.status.setText(self.tr("Failed: %1").replace("%1", str(exc)))
        self.failed.emit(str(exc))

    def _plot_for(self, unit: str) -> tuple[pg.PlotItem, pg.LegendItem]:
        item = self._plots.get(unit)
        if item is None:
            row = 2 * len(self._plots)
            legend = pg.LegendItem(colCount=3, labelTextColor="#d8dee4", verSpacing=-6)
            self.plot.addItem(legend, row=row, col=0)
            kind = next((f.kind for f in self._feeds.values() if f.unit == unit), "")
            item = self.plot.addPlot(
                row=row + 1,
                col=0,
                axisItems={
                    "bottom": LocalTimeAxis(self._tz),
                    "left": UnitAxis("left", decimals(kind)),
                },
            )
            item.showGrid(x=True, y=False, alpha=0.15)
            item.setMenuEnabled(False)  # pyqtgraph's English menu (see widgets/trend.py)
            item.getViewBox().setMenuEnabled(False)
            item.setLabel("left", unit_name(unit))
            first = next(iter(self._plots.values()), None)
            if first is not None:
                item.setXLink(first)
            self._plots[unit] = item
            self._legends[unit] = legend
        return item, self._legends[unit]

    def plotUnits(self) -> list[str]:
        return list(self._plots)

    def plotItems(self) -> list[pg.PlotItem]:
        return list(self._plots.values())

    def _draw(self, series: list[Series]) -> None:
        self._series = series
        self.plot.clear()
        self._plots = {}
        self._legends = {}
        points = 0
        agg = False
        t0, t1 = self.timeRange()
        for n, s in enumerate(series):
            color = PALETTE[n % len(PALETTE)]
            f = self._feeds.get(s.feed_key)
            name = self._name(f) if f else s.feed_key
            plot, legend = self._plot_for(f.unit if f else "?")
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
                curve = plot.plot(x, s.mean, pen=series_pen(n))
                legend.addItem(curve, self.tr("%1 (min/max/mean)").replace("%1", name))
            else:
                curve = plot.plot(s.ts, s.mean, pen=series_pen(n))
                legend.addItem(curve, name)
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
    def suggestedExportPath(self) -> Path:
        """history-<feeds>-<local time>.csv in the documents folder."""
        stamp = datetime.fromtimestamp(self._clock.time(), self._tz).strftime("%Y%m%d-%H%M")
        keys = [s.feed_key for s in self._series] or self.feedKeys()
        what = keys[0] if len(keys) == 1 else f"{len(keys)}-feeds"
        return documents_dir() / f"history-{what}-{stamp}.csv"

    def exportDialog(self) -> QFileDialog:
        """Qt's own file dialog (its words translated with ours: ui/qt_strings.py)."""
        dialog = QFileDialog(self, self.tr("Export CSV"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        path = self.suggestedExportPath()
        dialog.setDirectory(str(path.parent))
        dialog.selectFile(path.name)
        return dialog

    def _ask_export(self) -> None:
        dialog = self.exportDialog()
        if dialog.exec() and dialog.selectedFiles():
            self.exportTo(Path(dialog.selectedFiles()[0]))

    def exportTo(self, path: Path) -> None:
        worker = create_worker(
            self._history.export_csv,
            list(self._series),
            path,
            self._lang,
            _start_thread=False,
            _ignore_errors=True,  # ``_error`` handles them (below)
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
