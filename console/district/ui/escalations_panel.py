"""The escalations this console sent to the city IOC, newest first, each with its delivery state.

One row per CAP message (Alert, Update, Cancel): when it was sent, the incident, what
was sent and by whom, and where it stands — queued (in the outbox) → delivered to the
hub (when) → acknowledged by the IOC (who, when, their note) — with the late ones
marked (not acknowledged in time: phone the IOC duty officer). The list is the
service's memory (``EscalationService.items``: no I/O on a refresh); the panel redraws
when the list or the hub's acknowledged position moves. Double-clicking a row opens
its incident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from console.district.services.escalations import (
    ACKNOWLEDGED,
    DELIVERED,
    EscalationService,
    EscalationView,
)
from console.district.ui.escalation_dialog import hhmm
from console.shared import cap
from widgets.headed_table import HeadedTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
IncidentRole = Qt.ItemDataRole.UserRole + 1


class EscalationModel(HeadedTableModel):
    COLUMNS = 6

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self._rows: list[tuple[EscalationView, str]] = []
        self._headers = [
            self.tr("State"),
            self.tr("Sent"),
            self.tr("Incident"),
            self.tr("Message"),
            self.tr("By"),
            self.tr("City"),
        ]

    def setRows(self, rows: list[tuple[EscalationView, str]]) -> None:
        """(message, its delivery state) pairs, newest first."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def stateText(self, m: EscalationView, state: str) -> str:
        # Shape and word, never colour alone.
        if state == ACKNOWLEDGED:
            return "✔ " + self.tr("acknowledged")
        text = ("◐ " + self.tr("delivered")) if state == DELIVERED else ("○ " + self.tr("queued"))
        if m.msg_type is not cap.MsgType.CANCEL and m.overdue_ms:
            text += " · " + self.tr("LATE")
        return text

    def messageText(self, m: EscalationView) -> str:
        kind = {
            cap.MsgType.ALERT: self.tr("Alert"),
            cap.MsgType.UPDATE: self.tr("Update"),
            cap.MsgType.CANCEL: self.tr("Cancel"),
        }[m.msg_type]
        severity = {
            cap.Severity.EXTREME.value: self.tr("extreme"),
            cap.Severity.SEVERE.value: self.tr("severe"),
            cap.Severity.MODERATE.value: self.tr("moderate"),
            cap.Severity.MINOR.value: self.tr("minor"),
        }.get(m.severity, m.severity)
        text = f"{kind} · {severity}"
        if m.status == cap.Status.EXERCISE.value:
            text += " · " + self.tr("exercise")
        return f"{text} · {m.reason}"

    def cityText(self, m: EscalationView, state: str) -> str:
        if state == ACKNOWLEDGED:
            text = (
                self.tr("acknowledged by %1 at %2")
                .replace("%1", m.ack_name or m.ack_by)
                .replace("%2", hhmm(m.ack_ms, self.tz))
            )
            return f"{text}: {m.ack_note}" if m.ack_note else text
        if state == DELIVERED:
            at = hhmm(m.delivered_ms, self.tz) if m.delivered_ms else "—"
            return self.tr("at the hub since %1").replace("%1", at)
        return self.tr("waiting for the link")

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m, state = self._rows[index.row()]
        c = index.column()
        if role == IncidentRole:
            return m.incident_id
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{m.identifier}\n{self.messageText(m)}\n{m.area}"
            if m.refs:
                tip += "\n" + self.tr("Refers to %1").replace("%1", ", ".join(m.refs))
            return tip
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if c == 0:
            return self.stateText(m, state)
        if c == 1:
            return hhmm(m.sent_ms, self.tz)
        if c == 2:
            return m.incident_id
        if c == 3:
            return self.messageText(m)
        if c == 4:
            return m.by_name or m.by_user
        if c == 5:
            return self.cityText(m, state)
        return None


class EscalationsPanel(QWidget):
    REFRESH_HZ = 1

    def __init__(
        self,
        escalations: EscalationService,
        tz: ZoneInfo,
        open_incident: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.escalations = escalations
        self._open = open_incident
        self._seen: tuple[int, int] = (-1, -1)
        self.model = EscalationModel(tz, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        for col, w in enumerate((195, 55, 115, 300, 125)):
            self.table.setColumnWidth(col, w)
        self.table.doubleClicked.connect(self._activated)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.hint)

    def refresh(self) -> bool:
        """Redraw if the list or the hub's acknowledged position moved. True: redrawn."""
        esc = self.escalations
        acked = esc.acked_seq()
        if (esc.rev, acked) == self._seen:
            return False
        self._seen = (esc.rev, acked)
        items = esc.items()
        self.model.setRows([(m, m.state(acked)) for m in items])
        if not esc.linked:
            self.hint.setText(self.tr("This console has no city link: phone the IOC."))
        elif not items:
            self.hint.setText(
                self.tr("Nothing escalated yet (an incident's view: Escalate to the city…).")
            )
        else:
            waiting = sum(
                1
                for m in items
                if m.state(acked) != ACKNOWLEDGED and m.msg_type is not cap.MsgType.CANCEL
            )
            self.hint.setText(
                self.tr("%1 message(s) not yet acknowledged by the IOC.").replace(
                    "%1", str(waiting)
                )
                if waiting
                else ""
            )
        return True

    def _activated(self, index: QModelIndex) -> None:
        incident = index.data(IncidentRole)
        if incident:
            self._open(str(incident))
