"""A site's alarm events in its drill-down: the newest transitions its console sent up
(raised, acknowledged, cleared, shelved…), newest first, with who acted and their note.

The words for rules, events and severities are the district's own
(widgets.alarm_words, context ``Alarm``), so an alarm reads the same at the
site and at the IOC; times are the city's, with the date when not today, as the
district's alarm table writes them. The model is a thin adapter over
``SiteAlarmEvents`` (no I/O): the drill-down's worker reads them with the trends.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.hub.services.ioc import AlarmEventInfo, FeedInfo, SiteAlarmEvents
from console.hub.ui.text import CITY_TZ, SEVERITY_SYMBOLS, unit_name
from console.shared.text import format_value
from console.shared.vocab import AlarmEvent, AlarmRule
from widgets.alarm_words import (
    SYSTEM,
    actor_name,
    alarm_event_name,
    alarm_rule_name,
    alarm_state_name,
    alarm_time,
    note_text,
    severity_name,
    system_name,
)
from widgets.headed_table import HeadedTableModel

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("time", "feed", "rule", "event", "severity", "user", "note")
SEVERITY_COLORS = {3: "#ff6b6b", 2: "#ffa94d", 1: "#ffe066"}
"""As the drill-down's status history draws them (the symbols say the same without colour)."""
ROW_HEIGHT = 22
FEED_MAX_PX = 260
"""The feed column fits the longest id shown, up to this (longer ones elide in the middle);
the note takes the rest."""


def severity_text(severity: int) -> str:
    """``▲▲▲ high``: the IOC's symbol and the word; "" for none."""
    word = severity_name(severity)
    return f"{SEVERITY_SYMBOLS[severity]} {word}" if word else ""


class SiteAlarmsModel(HeadedTableModel):
    """The rows of one ``SiteAlarmEvents``; new transitions are inserted on top (the view
    keeps its place), anything else resets."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AlarmEventInfo] = []
        self._feeds: Mapping[str, FeedInfo] = {}
        self._now_ms = 0
        self._headers = (
            QCoreApplication.translate("Ioc", "Time"),
            QCoreApplication.translate("Ioc", "Feed"),
            QCoreApplication.translate("Ioc", "Alarm"),
            QCoreApplication.translate("Ioc", "Event"),
            QCoreApplication.translate("Ioc", "Severity"),
            QCoreApplication.translate("Ioc", "By"),
            QCoreApplication.translate("Ioc", "Note"),
        )

    def headers(self) -> tuple[str, ...]:
        return tuple(self._headers)

    def setEvents(
        self, events: SiteAlarmEvents | None, feeds: Mapping[str, FeedInfo], now_ms: int
    ) -> None:
        new = list(events.events) if events is not None else []
        self._feeds = feeds
        day_moved = _day(now_ms) != _day(self._now_ms)
        self._now_ms = now_ms
        old = self._rows
        if new == old:
            if new and day_moved:  # "today" moved: times get their date
                self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, 0))
            return
        k = new.index(old[0]) if old and old[0] in new else -1
        if k > 0 and new[k:] == old[: len(new) - k] and not day_moved:
            self.beginInsertRows(QModelIndex(), 0, k - 1)
            self._rows = new[:k] + old
            self.endInsertRows()
            if len(self._rows) > len(new):
                self.beginRemoveRows(QModelIndex(), len(new), len(self._rows) - 1)
                del self._rows[len(new) :]
                self.endRemoveRows()
            return
        self.beginResetModel()
        self._rows = new
        self.endResetModel()

    def alarmEvent(self, row: int) -> AlarmEventInfo:
        return self._rows[row]

    def events(self) -> list[AlarmEventInfo]:
        return list(self._rows)

    def text(self, row: int, column: str) -> str:
        """What the cell of ``column`` (one of ``COLUMNS``) shows."""
        return str(self.data(self.index(row, COLUMNS.index(column))) or "")

    # -- QAbstractTableModel ----------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        col = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == "time":
                return alarm_time(
                    e.ts_ms, CITY_TZ, datetime.fromtimestamp(self._now_ms / 1000, CITY_TZ)
                )
            if col == "feed":
                return system_name() if e.feed_key == SYSTEM else e.feed_key
            if col == "rule":
                return alarm_rule_name(e.rule)
            if col == "event":
                return alarm_event_name(e.event)
            if col == "severity":
                return severity_text(e.severity)
            if col == "user":
                return actor_name(e.user, e.workstation)
            if col == "note":
                return note_text(e.note, e.user)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col == "severity":
            color = SEVERITY_COLORS.get(e.severity)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(e)
        return None

    def _tooltip(self, e: AlarmEventInfo) -> str:
        lines = [e.alarm_id]
        state = alarm_state_name(e.state)
        if e.prior:
            state = f"{alarm_state_name(e.prior)} → {state}"
        lines.append(QCoreApplication.translate("Ioc", "State: %1").replace("%1", state))
        if e.value is not None:
            feed = self._feeds.get(e.feed_key)
            value = format_value(e.value, feed.kind if feed else "")
            unit = unit_name(feed.unit) if feed else ""
            lines.append(
                QCoreApplication.translate("Ioc", "Value: %1").replace(
                    "%1", f"{value} {unit}".strip()
                )
            )
        if e.note:
            lines.append(note_text(e.note, e.user))
        return "\n".join(lines)


class ElideRight(QStyledItemDelegate):
    """A note is read from its start: cut at the end (the table cuts ids in the middle)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


class SiteAlarmsPanel(QWidget):
    """A caption (how many, newest first) over the table of the site's alarm events."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setObjectName("detailSection")
        self.model = SiteAlarmsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # ids differ at the end
        self.table.setItemDelegateForColumn(COLUMNS.index("note"), ElideRight(self.table))
        self.table.setMinimumHeight(ROW_HEIGHT * 4 + 6)  # the header and three rows
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.caption)
        lay.addWidget(self.table, 1)
        self.setEvents(None, {}, 0)
        self._size_columns()

    def setEvents(
        self, events: SiteAlarmEvents | None, feeds: Mapping[str, FeedInfo], now_ms: int
    ) -> None:
        self.model.setEvents(events, feeds, now_ms)
        n = self.model.rowCount()
        self._size_feed_column()
        if events is None:
            text = self.tr("Alarm events")
        elif n == 0:
            text = self.tr("Alarm events: none received from this site")
        elif events.more:
            text = self.tr("Alarm events, newest first: the latest %1").replace("%1", str(n))
        else:
            text = self.tr("Alarm events, newest first: %1").replace("%1", str(n))
        self.caption.setText(text)

    def _size_columns(self) -> None:
        """Words never cut: every fixed column fits its widest word (and its header); the
        feed and the note share the rest."""
        bold = self.table.font()
        bold.setBold(True)
        fm = QFontMetrics(bold)
        headers = self.model.headers()

        def widest(texts: list[str]) -> int:
            return max(fm.horizontalAdvance(t) for t in texts) + 24

        fixed = {
            "time": widest(["00/00 00:00:00", headers[0]]),
            "rule": widest([alarm_rule_name(r) for r in AlarmRule] + [headers[2]]),
            "event": widest([alarm_event_name(e) for e in AlarmEvent] + [headers[3]]),
            "severity": widest([severity_text(s) for s in (1, 2, 3)] + [headers[4]]),
            "user": widest(["operator@workstation", system_name(), headers[5]]),
        }
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for name, width in fixed.items():
            self.table.setColumnWidth(COLUMNS.index(name), width)
        header.setSectionResizeMode(COLUMNS.index("note"), QHeaderView.ResizeMode.Stretch)
        self._size_feed_column()

    def _size_feed_column(self) -> None:
        """The longest feed id on the list (or the header), at most ``FEED_MAX_PX``."""
        fm = self.table.fontMetrics()
        col = COLUMNS.index("feed")
        texts = [self.model.text(r, "feed") for r in range(self.model.rowCount())]
        bold = self.table.font()
        bold.setBold(True)
        head = QFontMetrics(bold).horizontalAdvance(self.model.headers()[col]) + 24
        want = max([head] + [fm.horizontalAdvance(t) + 16 for t in set(texts)])
        width = min(want, FEED_MAX_PX)
        if self.table.columnWidth(col) != width:
            self.table.setColumnWidth(col, width)


def _day(ms: int) -> date:
    return datetime.fromtimestamp(ms / 1000, CITY_TZ).date()
