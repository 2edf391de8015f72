"""Escalating an incident to the city IOC: the small dialog, and the delivery state in words.

``EscalationDialog`` asks what the CAP message needs from a person: Alert (or,
once escalated, Update or Cancel), Actual or Exercise, what is asked of the city
and why, whether lives are at risk, Public or Restricted. The incident view runs
the command in a worker (``EscalationService``); the dialog only collects.
``state_text`` says where the incident's latest message is: queued, delivered to
the hub, acknowledged by the IOC (who, when), or waiting too long.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from console.district.config import Names
from console.district.domain.escalation import EscalationRequest
from console.district.services.escalations import (
    ACKNOWLEDGED,
    DELIVERED,
    EscalationService,
    IncidentEscalation,
)
from console.shared import cap

translate = QCoreApplication.translate


def hhmm(ms: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(ms / 1000, tz).strftime("%H:%M")


def state_text(esc: IncidentEscalation, state: str, tz: ZoneInfo, phone: str) -> str:
    """One line for the incident view ("" when the incident was never escalated)."""
    m = esc.last
    if m is None:
        return ""
    kind = {
        cap.MsgType.ALERT: translate("Escalation", "Escalation"),
        cap.MsgType.UPDATE: translate("Escalation", "Update"),
        cap.MsgType.CANCEL: translate("Escalation", "Cancel"),
    }.get(m.msg_type, m.msg_type.value)
    head = translate("Escalation", "City: %1 %2").replace("%1", kind).replace("%2", m.identifier)
    if m.status == cap.Status.EXERCISE.value:
        head += " " + translate("Escalation", "(exercise)")
    if state == ACKNOWLEDGED:
        text = (
            translate("Escalation", "IOC received at %1, acknowledged by %2 at %3")
            .replace("%1", hhmm(m.delivered_ms or m.ack_ms, tz))
            .replace("%2", m.ack_name or m.ack_by)
            .replace("%3", hhmm(m.ack_ms, tz))
        )
        if m.ack_note:
            text += f": {m.ack_note}"
    elif state == DELIVERED:
        text = translate("Escalation", "delivered to the hub at %1; waiting for the IOC").replace(
            "%1", hhmm(m.delivered_ms, tz) if m.delivered_ms else "—"
        )
    else:
        text = translate("Escalation", "queued for the hub since %1").replace(
            "%1", hhmm(m.sent_ms, tz)
        )
    if m.overdue_ms and state != ACKNOWLEDGED:
        text += " — " + translate(
            "Escalation", "not acknowledged in time: phone the IOC duty officer %1"
        ).replace("%1", phone or "—")
    return f"{head}: {text}"


class EscalationDialog(QDialog):
    """What to send to the city about one incident (nothing is sent until the view runs it)."""

    def __init__(
        self,
        service: EscalationService,
        incident_id: str,
        ask: Names | None,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("escalationDialog")
        self.setWindowTitle(self.tr("Escalate %1 to the city").replace("%1", incident_id))
        esc = service.of_incident(incident_id)
        self.kind = QComboBox()
        if esc.active:
            self.kind.addItem(self.tr("Update (what changed)"), cap.MsgType.UPDATE.value)
            self.kind.addItem(self.tr("Cancel the escalation"), cap.MsgType.CANCEL.value)
        else:
            self.kind.addItem(self.tr("Escalate (new alert)"), cap.MsgType.ALERT.value)
        self.status = QComboBox()
        self.status.addItem(self.tr("Actual"), cap.Status.ACTUAL.value)
        self.status.addItem(self.tr("Exercise (training, demo)"), cap.Status.EXERCISE.value)
        self.status.setCurrentIndex(max(self.status.findData(service.site.escalation.status), 0))
        asked = (ask.vi if lang == "vi" else ask.en) if ask is not None else ""
        self.asked = QLabel(asked or self.tr("(the procedure says nothing: write it below)"))
        self.asked.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(
            self.tr("What you ask of the city and why; what changed; why it is withdrawn")
        )
        self.reason.setMaximumHeight(90)
        self.lifeAtRisk = QCheckBox(self.tr("Lives at risk"))
        self.public = QCheckBox(self.tr("Public (the city may inform residents)"))
        self.message = QLabel()
        self.message.setObjectName("hint")
        form = QFormLayout()
        form.addRow(self.tr("Send"), self.kind)
        form.addRow(self.tr("Status"), self.status)
        form.addRow(self.tr("The procedure asks"), self.asked)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow("", self.lifeAtRisk)
        form.addRow("", self.public)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Send to the city"))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)

    def _check(self) -> None:
        if not self.reason.toPlainText().strip():
            self.message.setText(self.tr("Say why: the reason goes to the city with the alert."))
            return
        self.accept()

    def msg_type(self) -> cap.MsgType:
        return cap.MsgType(self.kind.currentData())

    def request(self) -> EscalationRequest:
        return EscalationRequest(
            reason=self.reason.toPlainText().strip(),
            status=cap.Status(self.status.currentData()),
            life_at_risk=self.lifeAtRisk.isChecked(),
            public=self.public.isChecked(),
        )
