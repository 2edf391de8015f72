"""Qt item models over the hub services' snapshots (thin adapters: no I/O, no state of their own)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from console.hub.services.ioc import FeedInfo
from console.hub.ui.text import clock_time, kind_name, unit_name
from console.shared.kinds import decimals
from widgets.headed_table import HeadedTableModel

Index = QModelIndex | QPersistentModelIndex

COL_FEED, COL_KIND, COL_VALUE, COL_UNIT, COL_MINUTE = range(5)
FeedKeyRole = Qt.ItemDataRole.UserRole + 1


class SiteFeedsModel(HeadedTableModel):
    """A site's feeds with their newest minute at the hub (mean, and min–max in the tooltip)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FeedInfo] = []
        self._now_ms = 0
        self._headers = (
            QCoreApplication.translate("Ioc", "Feed"),
            QCoreApplication.translate("Ioc", "Kind"),
            QCoreApplication.translate("Ioc", "Mean"),
            QCoreApplication.translate("Ioc", "Unit"),
            QCoreApplication.translate("Ioc", "Minute"),
        )

    def setFeeds(self, feeds: Sequence[FeedInfo], now_ms: int) -> None:
        """Replace the rows: a reset when the feeds differ, else one dataChanged."""
        self._now_ms = now_ms
        new = list(feeds)
        if [f.feed_key for f in new] != [f.feed_key for f in self._rows]:
            self.beginResetModel()
            self._rows = new
            self.endResetModel()
        elif new:
            self._rows = new
            self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, COL_MINUTE))

    def feed(self, row: int) -> FeedInfo:
        return self._rows[row]

    def keys(self) -> list[str]:
        return [f.feed_key for f in self._rows]

    def rowOf(self, key: str) -> int:
        return next((i for i, f in enumerate(self._rows) if f.feed_key == key), -1)

    # -- QAbstractTableModel ----------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        f = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_FEED:
                return f.feed_key
            if col == COL_KIND:
                return kind_name(f.kind)
            if col == COL_VALUE:
                return f"{f.mean:.{decimals(f.kind)}f}"
            if col == COL_UNIT:
                return unit_name(f.unit)
            if col == COL_MINUTE:
                return clock_time(f.minute_ms, self._now_ms, seconds=False)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            d = decimals(f.kind)
            return f"{f.feed_key} · {kind_name(f.kind)}\n" + (
                QCoreApplication.translate("Ioc", "min %1 · max %2 · last %3 %4 (%5 readings)")
                .replace("%1", f"{f.vmin:.{d}f}")
                .replace("%2", f"{f.vmax:.{d}f}")
                .replace("%3", f"{f.last:.{d}f}")
                .replace("%4", unit_name(f.unit))
                .replace("%5", str(f.n))
            )
        if role == FeedKeyRole:
            return f.feed_key
        return None
