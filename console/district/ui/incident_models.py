"""Item models of the incidents panel: the list, an incident's checklist, timeline and alarms.

Flat tables with fixed row heights and no proxy model. The list holds one page
(filtered and ordered in SQL); an incident's timeline may hold ten thousand
entries and grows by one ``beginInsertRows`` per refresh. Countdowns change
only the due-time column (one ``dataChanged`` per second), never the rows, so
a selection and the text typed beside the tables survive every refresh.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from console.district.config import FeedConfig
from console.district.domain.alarms import AlarmView
from console.district.domain.incidents import IncidentRow, StepRow, TimelineEntry
from console.district.ui.alarm_models import SEVERITY_COLORS, STATE_SYMBOLS
from console.district.ui.icons import icon
from console.district.ui.incident_text import (
    STATUS_SYMBOLS,
    STEP_SYMBOLS,
    change_text,
    entry_text,
    field_name,
    role_needed,
    status_name,
    step_state_name,
    timeline_kind_name,
)
from console.shared.text import format_value, humanize_seconds
from console.shared.vocab import IncidentStatus, StepState, TimelineKind
from widgets.access_words import roles_name
from widgets.alarm_words import alarm_rule_name, alarm_state_name, severity_name
from widgets.headed_table import HeadedTableModel

Index = QModelIndex | QPersistentModelIndex
IncidentIdRole = Qt.ItemDataRole.UserRole + 20
StepIdRole = Qt.ItemDataRole.UserRole + 21
DISPLAY = Qt.ItemDataRole.DisplayRole
GREY = QColor("#9aa4ae")
LATE = QColor("#ff7b7b")


def when(ms: int, tz: ZoneInfo, now_ms: int) -> str:
    """Local time; with the date when it is not today."""
    if not ms:
        return ""
    t = datetime.fromtimestamp(ms / 1000, tz)
    today = datetime.fromtimestamp(now_ms / 1000, tz).date()
    return t.strftime("%H:%M:%S") if t.date() == today else t.strftime("%d/%m/%Y %H:%M")


def countdown(due_ms: int, now_ms: int, lang: str) -> tuple[str, bool]:
    """("in 4 min" | "3 min overdue", late) for a time limit."""
    left = (due_ms - now_ms) / 1000
    if left >= 0:
        return (
            QCoreApplication.translate("Incident", "in %1").replace(
                "%1", humanize_seconds(left, lang)
            ),
            False,
        )
    return (
        QCoreApplication.translate("Incident", "%1 overdue").replace(
            "%1", humanize_seconds(-left, lang)
        ),
        True,
    )


class _Table(HeadedTableModel):
    def _valid(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self._rows)


class IncidentListModel(_Table):
    COLUMNS = ("severity", "status", "id", "type", "title", "ward", "owner", "opened", "steps")

    def __init__(
        self,
        tz: ZoneInfo,
        lang: str,
        type_name: Callable[[str], str],
        now_ms: Callable[[], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tz = tz
        self._lang = lang
        self._type_name = type_name
        self._now = now_ms
        self._rows: list[IncidentRow] = []

    def headers(self) -> list[str]:
        return [
            self.tr("Severity"),
            self.tr("Status"),
            self.tr("Incident"),
            self.tr("Type"),
            self.tr("Title"),
            self.tr("Ward"),
            self.tr("Owner"),
            self.tr("Opened"),
            self.tr("Steps"),
        ]

    def setRows(self, rows: list[IncidentRow]) -> bool:
        """Replace the page; False (and no reset) when nothing changed."""
        if rows == self._rows:
            return False
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()
        return True

    def rows(self) -> list[IncidentRow]:
        return list(self._rows)

    def row(self, r: int) -> IncidentRow:
        return self._rows[r]

    def rowOf(self, incident_id: str) -> int:
        return next((k for k, r in enumerate(self._rows) if r.id == incident_id), -1)

    def tick(self) -> None:
        """Countdowns moved: only the steps column changes."""
        if self._rows:
            col = self.COLUMNS.index("steps")
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not self._valid(index):
            return None
        r = self._rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == IncidentIdRole:
            return r.id
        if role == DISPLAY:
            if col == "severity":
                return f"{'▲' * r.severity} {severity_name(r.severity)}"
            if col == "status":
                return f"{STATUS_SYMBOLS[r.status]} {status_name(r.status)}"
            if col == "id":
                return r.id
            if col == "type":
                return self._type_name(r.type)
            if col == "title":
                return r.title
            if col == "ward":
                return r.ward
            if col == "owner":
                return r.owner_name or r.owner
            if col == "opened":
                return when(r.opened_ms, self._tz, self._now())
            if col == "steps":
                if not r.status.open:
                    return ""
                text = self.tr("%1 to do").replace("%1", str(r.steps_open)) if r.steps_open else ""
                if r.next_due_ms:
                    due, _late = countdown(r.next_due_ms, self._now(), self._lang)
                    text = f"{text} · {due}" if text else due
                return text
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == "severity":
                return QBrush(SEVERITY_COLORS.get(r.severity, SEVERITY_COLORS[0]))
            if col == "steps" and r.next_due_ms and r.next_due_ms <= self._now() and r.status.open:
                return QBrush(LATE)
            if not r.status.open:
                return QBrush(GREY)
        if role == Qt.ItemDataRole.FontRole and r.status == IncidentStatus.NEW:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.DecorationRole and col == "severity":
            return icon(f"severity_{r.severity}")
        if role == Qt.ItemDataRole.ToolTipRole and col == "title":
            return f"{r.title}\n{r.location}" if r.location else r.title
        return None


class ChecklistModel(_Table):
    COLUMNS = ("state", "step", "due", "role", "by", "note")

    def __init__(
        self, tz: ZoneInfo, lang: str, now_ms: Callable[[], int], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tz = tz
        self._lang = lang
        self._now = now_ms
        self._rows: list[StepRow] = []

    def headers(self) -> list[str]:
        return [
            self.tr("State"),
            self.tr("Step"),
            self.tr("Time limit"),
            self.tr("Role"),
            self.tr("By"),
            self.tr("Note or reason"),
        ]

    def setSteps(self, steps: Sequence[StepRow]) -> bool:
        if list(steps) == self._rows:
            return False
        self.beginResetModel()
        self._rows = list(steps)
        self.endResetModel()
        return True

    def step(self, r: int) -> StepRow:
        return self._rows[r]

    def steps(self) -> list[StepRow]:
        return list(self._rows)

    def rowOf(self, step_id: str) -> int:
        return next((k for k, s in enumerate(self._rows) if s.step_id == step_id), -1)

    def tick(self) -> None:
        if self._rows:
            col = self.COLUMNS.index("due")
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not self._valid(index):
            return None
        s = self._rows[index.row()]
        col = self.COLUMNS[index.column()]
        pending = s.state == StepState.PENDING
        late = pending and 0 < s.due_ms <= self._now()
        if role == StepIdRole:
            return s.step_id
        if role == DISPLAY:
            if col == "state":
                return f"{STEP_SYMBOLS[s.state]} {step_state_name(s.state)}"
            if col == "step":
                text = s.text.vi if self._lang == "vi" else s.text.en
                optional = self.tr("optional")
                return text if s.required else f"{text} ({optional})"
            if col == "due":
                if not s.due_ms:
                    return "—"
                if not pending:
                    return when(s.due_ms, self._tz, self._now())
                return countdown(s.due_ms, self._now(), self._lang)[0]
            if col == "role":
                return role_needed(s.role)
            if col == "by":
                if not s.by_user:
                    return ""
                return f"{s.by_name or s.by_user} {when(s.at_ms, self._tz, self._now())}"
            if col == "note":
                return s.note
        if role == Qt.ItemDataRole.ForegroundRole:
            if late and col in ("state", "due", "step"):
                return QBrush(LATE)
            if not pending:
                return QBrush(GREY)
        if role == Qt.ItemDataRole.FontRole and late:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole and col == "step":
            return s.text.vi if self._lang == "vi" else s.text.en
        return None


class TimelineModel(_Table):
    COLUMNS = ("time", "kind", "person", "change", "text")

    def __init__(
        self,
        tz: ZoneInfo,
        now_ms: Callable[[], int],
        name_of: Callable[[str, str], str],
        parent: QObject | None = None,
    ) -> None:
        """``name_of(what, ref)``: an ``alarm``, ``feed`` or ``step`` id as people read it."""
        super().__init__(parent)
        self._tz = tz
        self._now = now_ms
        self._name = name_of
        self._rows: list[TimelineEntry] = []
        self._incident = ""

    def headers(self) -> list[str]:
        return [
            self.tr("Time"),
            self.tr("What"),
            self.tr("Person"),
            self.tr("Change"),
            self.tr("Note"),
        ]

    def setEntries(self, incident_id: str, entries: Sequence[TimelineEntry]) -> int:
        """Show ``entries`` (oldest first); entries after the ones shown are appended in one
        insert; anything else resets. Return how many rows were added."""
        old = self._rows
        new = list(entries)
        if (
            incident_id == self._incident
            and old
            and len(new) > len(old)
            and new[len(old) - 1].id == old[-1].id
            and new[0].id == old[0].id
        ):
            self.beginInsertRows(QModelIndex(), len(old), len(new) - 1)
            self._rows = new
            self.endInsertRows()
            return len(new) - len(old)
        if incident_id == self._incident and [e.id for e in new] == [e.id for e in old]:
            return 0
        self.beginResetModel()
        self._incident = incident_id
        self._rows = new
        self.endResetModel()
        return len(new)

    def entry(self, r: int) -> TimelineEntry:
        return self._rows[r]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not self._valid(index):
            return None
        e = self._rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == DISPLAY:
            if col == "time":
                return when(e.ts_ms, self._tz, self._now())
            if col == "kind":
                return timeline_kind_name(e.kind)
            if col == "person":
                if e.user_id == "system":
                    return self.tr("console")
                name = f"{e.user_name} ({e.user_id})" if e.user_name else e.user_id
                return f"{name}, {roles_name(e.roles)}" if e.roles else name
            if col == "change":
                return self._change(e)
            if col == "text":
                text = entry_text(e.kind, e.text)
                return f"✉ {text}" if e.handover else text
        if role == Qt.ItemDataRole.ToolTipRole and col in ("text", "change"):
            return entry_text(e.kind, e.text) or None
        return None

    def _change(self, e: TimelineEntry) -> str:
        """What changed, with ids (alarms, feeds, steps) named as people read them."""
        k = e.kind
        if k == TimelineKind.ALARM:
            text = change_text(k, e.ref, e.before, e.after)
            return f"{self._name('alarm', e.ref)}: {text}"
        if k in (TimelineKind.STEP_DONE, TimelineKind.STEP_SKIPPED, TimelineKind.STEP_OVERDUE):
            return self._name("step", e.ref)
        if k == TimelineKind.LINKED:
            what = e.before if e.before in ("alarm", "feed") else "alarm"
            return f"{field_name(what)}: {self._name(what, e.ref)}"
        if k == TimelineKind.STEPS_ADDED:
            return "; ".join(self._name("step", s) for s in e.after.split(", ") if s)
        return change_text(k, e.ref, e.before, e.after)


class LinkedAlarmsModel(_Table):
    """The incident's alarms with their state and the feed's live value."""

    COLUMNS = ("severity", "state", "alarm", "value")

    def __init__(self, feeds: Sequence[FeedConfig], lang: str, parent: QObject | None = None):
        super().__init__(parent)
        self._feeds = list(feeds)
        self._lang = lang
        self._rows: list[tuple[str, AlarmView | None, float]] = []

    def headers(self) -> list[str]:
        return [self.tr("Severity"), self.tr("State"), self.tr("Alarm"), self.tr("Live value")]

    def setAlarms(self, rows: list[tuple[str, AlarmView | None, float]]) -> None:
        """(alarm id, its view or None when gone, the feed's latest value or NaN)."""
        if len(rows) != len(self._rows) or [r[0] for r in rows] != [r[0] for r in self._rows]:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        self._rows = rows
        if rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(rows) - 1, len(self.COLUMNS) - 1)
            )

    def alarmId(self, r: int) -> str:
        return self._rows[r][0]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not self._valid(index):
            return None
        aid, v, value = self._rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == DISPLAY:
            if v is None:
                return aid if col == "alarm" else ""
            if col == "severity":
                return f"{'▲' * v.severity} {severity_name(v.severity)}" if v.severity else ""
            if col == "state":
                return f"{STATE_SYMBOLS.get(v.state, '')} {alarm_state_name(v.state)}"
            if col == "alarm":
                return alarm_label(v, self._feeds, self._lang)
            if col == "value":
                if not 0 <= v.feed < len(self._feeds) or math.isnan(value):
                    return ""
                f = self._feeds[v.feed]
                return f"{format_value(value, f.kind)} {f.unit}"
        if role == Qt.ItemDataRole.ForegroundRole and col == "severity" and v is not None:
            return QBrush(SEVERITY_COLORS.get(v.severity, SEVERITY_COLORS[0]))
        return None


def alarm_label(v: AlarmView, feeds: Sequence[FeedConfig], lang: str) -> str:
    """A feed's alarm: the feed's name and the rule; an external one: its own label."""
    if 0 <= v.feed < len(feeds):
        f = feeds[v.feed]
        return f"{f.name.vi if lang == 'vi' else f.name.en} — {alarm_rule_name(v.rule)}"
    if v.origin is not None:
        return v.origin.name.vi if lang == "vi" else v.origin.name.en
    return v.id
