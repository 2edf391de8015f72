"""Item models for the alarm console: current alarms and the journal.

Both are flat tables with fixed row heights and no proxy model: the current
table holds at most a few hundred alarms and is re-sorted in Python once per
tick; the journal is filtered in SQL and appended to once per tick with one
``beginInsertRows``, capped in memory (the log keeps everything).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from console.district.config import FeedConfig
from console.district.domain.alarms import (
    ACTIVE_ACK,
    ACTIVE_UNACK,
    CLEARED_UNACK,
    NORMAL,
    OUT_OF_SERVICE,
    SHELVED,
    SYSTEM,
    AlarmView,
    Transition,
)
from console.district.ui.i18n import unit_name
from console.district.ui.icons import icon
from console.shared.text import format_value
from console.shared.vocab import AlarmRule
from widgets.alarm_words import (
    actor_name,
    alarm_event_name,
    alarm_rule_name,
    alarm_state_name,
    alarm_time,
    note_text,
    severity_name,
    system_name,
    system_note_text,
)
from widgets.headed_table import HeadedTableModel

Index = QModelIndex | QPersistentModelIndex
AlarmIdRole = Qt.ItemDataRole.UserRole + 10
STATE_ORDER = {
    ACTIVE_UNACK: 0,
    CLEARED_UNACK: 1,
    ACTIVE_ACK: 2,
    SHELVED: 3,
    OUT_OF_SERVICE: 4,
    NORMAL: 5,
}
SEVERITY_COLORS = {
    3: QColor("#ff5d5d"),
    2: QColor("#ffa94d"),
    1: QColor("#f2d14e"),
    0: QColor("#8a949e"),
}
STATE_SYMBOLS = {
    ACTIVE_UNACK: "◆",
    ACTIVE_ACK: "◇",
    CLEARED_UNACK: "○",
    SHELVED: "‖",
    OUT_OF_SERVICE: "⊘",
    NORMAL: "·",
}
"""Shapes as well as words (all in DejaVu Sans and the Windows UI fonts; tests check)."""


def state_text(a: AlarmView, tz: ZoneInfo, today: datetime) -> str:
    """Symbol and state in words; a shelved alarm says until when."""
    text = f"{STATE_SYMBOLS[a.state]} {alarm_state_name(a.state)}"
    if a.state == SHELVED and a.shelved_until_ms:
        until = alarm_time(a.shelved_until_ms, tz, today)[:-3]  # to the minute
        text += " " + QCoreApplication.translate("Alarm", "until %1").replace("%1", until)
    return text


class AlarmTableModel(HeadedTableModel):
    COLUMNS = (
        "severity",
        "state",
        "time",
        "feed",
        "area",
        "rule",
        "now",
        "value",
        "acked",
        "note",
    )

    def __init__(
        self, feeds: Sequence[FeedConfig], tz: ZoneInfo, lang: str, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._feeds = list(feeds)
        self._tz = tz
        self._lang = lang
        self._rows: list[AlarmView] = []
        self._now_text = ["" for _ in self._feeds]
        self._units = [unit_name(f.unit) for f in self._feeds]
        self._bold = QFont()
        self._bold.setBold(True)

    def setAlarms(self, alarms: list[AlarmView]) -> None:
        """Replace the rows (sorted: unacknowledged first, then severity, newest)."""
        alarms = sorted(
            alarms, key=lambda a: (STATE_ORDER[a.state], -a.severity, -a.activated_ms, a.id)
        )
        if [(a.id, a.state, a.severity, a.since_ms, a.value) for a in alarms] == [
            (a.id, a.state, a.severity, a.since_ms, a.value) for a in self._rows
        ]:
            return
        self.beginResetModel()
        self._rows = alarms
        self.endResetModel()

    def setCurrentValues(self, values: npt.NDArray[np.float64]) -> None:
        """The latest values of the feeds in the table (the "now" column); repaints
        only what changed (called five times a second: formats only those feeds)."""
        col = self.COLUMNS.index("now")
        changed = set()
        for i in {a.feed for a in self._rows if a.feed >= 0}:  # (system alarms: no feed)
            v = float(values[i])
            kind = self._feeds[i].kind
            text = "" if math.isnan(v) else f"{format_value(v, kind)} {self._units[i]}"
            if text != self._now_text[i]:
                self._now_text[i] = text
                changed.add(i)
        for r, a in enumerate(self._rows):  # every row of the feed (it may have several alarms)
            if a.feed in changed:
                idx = self.index(r, col)
                self.dataChanged.emit(idx, idx)

    def alarm(self, row: int) -> AlarmView:
        return self._rows[row]

    def alarms(self) -> list[AlarmView]:
        return list(self._rows)

    def headers(self) -> list[str]:
        return [
            self.tr("Severity"),
            self.tr("State"),
            self.tr("Since"),
            self.tr("Feed"),
            self.tr("Area"),
            self.tr("Alarm"),
            self.tr("Now"),
            self.tr("At change"),
            self.tr("Acknowledged by"),
            self.tr("Note"),
        ]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        a = self._rows[index.row()]
        col = self.COLUMNS[index.column()]
        f = self._feeds[a.feed] if 0 <= a.feed < len(self._feeds) else None
        if role == AlarmIdRole:
            return a.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            today = datetime.now(self._tz)
            if col == "severity":
                return severity_name(a.severity)  # beside its icon: shape and number
            if col == "state":
                return state_text(a, self._tz, today)
            if col == "time":
                return alarm_time(a.activated_ms or a.since_ms, self._tz, today)
            if f is None:  # an external alarm: its source names it (an overdue step)
                o = a.origin
                if col == "feed":
                    return (o.name.vi if self._lang == "vi" else o.name.en) if o else a.feed_key
                if col == "area":
                    return o.area if o else ""
                if col == "value":  # the log's disk reports free MB
                    disk = a.rule == AlarmRule.DISK and not math.isnan(a.value)
                    return f"{a.value:,.0f} MB" if disk else ""
                if col == "now":
                    return ""
            if col == "feed":
                assert f is not None
                name = f.name.vi if self._lang == "vi" else f.name.en
                return name if role == Qt.ItemDataRole.DisplayRole else f"{name}\n{f.id}"
            if col == "area":
                assert f is not None
                return f.area
            if col == "rule":
                return alarm_rule_name(a.rule)
            if col == "now":
                return self._now_text[a.feed] if f is not None else ""
            if col == "value":
                assert f is not None
                return (
                    ""
                    if math.isnan(a.value)
                    else f"{format_value(a.value, f.kind)} {self._units[a.feed]}"
                )
            if col == "acked":
                # Only while acknowledged: a re-announced alarm (escalated, back from
                # the shelf) waits for a new acknowledgement, whoever gave the last one.
                if a.state != ACTIVE_ACK:
                    return ""
                return f"{a.acked_by} {alarm_time(a.acked_ms, self._tz, today)}".strip()
            if col == "note":
                # Who wrote the last note is not kept here: the console's own notes are
                # shown in the UI language (a person's words never take their exact form).
                return system_note_text(a.note)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == "severity":
                return QBrush(SEVERITY_COLORS.get(a.severity, SEVERITY_COLORS[0]))
            if a.state in (SHELVED, OUT_OF_SERVICE, CLEARED_UNACK):
                return QBrush(QColor("#9aa4ae"))
        if role == Qt.ItemDataRole.FontRole and a.state.unacknowledged:
            return self._bold
        if role == Qt.ItemDataRole.DecorationRole and col == "severity":
            return icon(f"severity_{a.severity}")
        return None


class JournalModel(HeadedTableModel):
    COLUMNS = ("time", "feed", "rule", "event", "state", "severity", "value", "user", "note")
    MAX_ROWS = 100_000

    def __init__(
        self, feeds: Sequence[FeedConfig], tz: ZoneInfo, lang: str, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._names = {f.id: (f.name.vi if lang == "vi" else f.name.en) for f in feeds}
        self._kinds = {f.id: (f.kind, unit_name(f.unit)) for f in feeds}
        self._tz = tz
        self._rows: list[dict[str, Any]] = []  # newest first

    def setRows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = rows[: self.MAX_ROWS]
        self.endResetModel()

    def prepend(self, transitions: list[Transition]) -> None:
        """New transitions on top: one insert per GUI tick, whatever the flood."""
        if not transitions:
            return
        new = [t.__dict__ | {"ts_ms": t.ts_ms} for t in reversed(transitions)][: self.MAX_ROWS]
        self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
        self._rows[0:0] = new
        self.endInsertRows()
        excess = len(self._rows) - self.MAX_ROWS
        if excess > 0:
            self.beginRemoveRows(QModelIndex(), self.MAX_ROWS, len(self._rows) - 1)
            del self._rows[self.MAX_ROWS :]
            self.endRemoveRows()

    def row(self, r: int) -> dict[str, Any]:
        return self._rows[r]

    def headers(self) -> list[str]:
        return [
            self.tr("Time"),
            self.tr("Feed"),
            self.tr("Alarm"),
            self.tr("Event"),
            self.tr("State"),
            self.tr("Severity"),
            self.tr("Value"),
            self.tr("User"),
            self.tr("Note"),
        ]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The tooltip is the cell's whole text: a long feed name, rule or note elides.
        if (
            role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            or not index.isValid()
            or index.row() >= len(self._rows)
        ):
            return None
        r = self._rows[index.row()]
        col = self.COLUMNS[index.column()]
        if col == "time":
            return datetime.fromtimestamp(r["ts_ms"] / 1000, self._tz).strftime("%d/%m %H:%M:%S")
        if col == "feed":
            if r["feed_key"] == SYSTEM:
                return system_name()
            return self._names.get(r["feed_key"], r["feed_key"])
        if col == "rule":
            return alarm_rule_name(r["rule"])
        if col == "event":
            return alarm_event_name(r["event"])
        if col == "state":
            return alarm_state_name(r["state"])
        if col == "severity":
            return severity_name(r["severity"]) if r["severity"] else ""
        if col == "value":
            v = r["value"]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return ""
            if r["rule"] == AlarmRule.DISK:  # the log's disk reports free MB
                return f"{float(v):,.0f} MB"
            kind, unit = self._kinds.get(r["feed_key"], ("", ""))
            return f"{format_value(float(v), kind)} {unit}".strip()
        if col == "user":  # the engine's own transitions: "System", in the UI language
            return actor_name(r["user"], r.get("workstation") or "")
        if col == "note":
            return note_text(r["note"], r["user"])
        return None
