"""One incident on screen, and the form that opens one.

``IncidentView``: the header (id, title, type, severity, status, ward, owner),
the status commands the lifecycle allows from where it is, the checklist with
its time limits counting down, the timeline, the linked alarms with their
live values, and a note field; a supervisor escalates it to the city from
here (a small dialog, ``escalation_dialog``) and the view says where the
escalation stands (queued, delivered to the hub, acknowledged by the IOC). ``NewIncidentForm``: an incident typed by hand
or drafted from selected alarms, or those alarms linked to one already open.

Commands go to the incident service in a worker (they wait for the commit)
with the session of whoever is on duty; a refusal is shown in the view's
message line in words. Nothing is modal, and text typed into a field stays
there through every refresh until the command that uses it succeeds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.district.config import FeedConfig
from console.district.domain.incidents import (
    TRANSITIONS,
    Draft,
    IncidentDetail,
    IncidentRow,
    NewIncident,
)
from console.district.services.escalations import EscalationService
from console.district.services.incidents import IncidentService
from console.district.ui.access_text import refusal_text
from console.district.ui.background import Background
from console.district.ui.escalation_dialog import EscalationDialog, state_text
from console.district.ui.incident_models import (
    ChecklistModel,
    LinkedAlarmsModel,
    TimelineModel,
    when,
)
from console.district.ui.incident_text import STATUS_SYMBOLS, status_name
from console.shared import cap
from console.shared.errors import ActionRefusedError
from console.shared.session import Session
from console.shared.vocab import IncidentStatus, StepState
from widgets.alarm_words import severity_name

S = IncidentStatus


def table(model: Any, widths: Sequence[int] = ()) -> QTableView:
    v = QTableView()
    v.setModel(model)
    v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    v.verticalHeader().setVisible(False)
    v.verticalHeader().setDefaultSectionSize(22)  # fixed row height: 10,000 rows stay cheap
    v.horizontalHeader().setStretchLastSection(True)
    v.setAlternatingRowColors(True)
    v.setWordWrap(False)
    for col, w in enumerate(widths):
        v.setColumnWidth(col, w)
    return v


def shortcut(widget: QWidget, keys: str, slot: Callable[[], Any]) -> QShortcut:
    """A shortcut active while the focus is inside ``widget`` (not over the alarm table)."""
    sc = QShortcut(QKeySequence(keys), widget)
    sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    sc.activated.connect(slot)
    return sc


class IncidentView(QWidget):
    changed = Signal()
    """A command succeeded (the panel reloads what it shows)."""

    def __init__(
        self,
        service: IncidentService,
        session: Callable[[], Session | None],
        alarms: Callable[[], list[str]],
        tz: ZoneInfo,
        lang: str,
        now_ms: Callable[[], int],
        alarm_name: Callable[[str], str],
        feeds: Sequence[FeedConfig],
        parent: QWidget | None = None,
        *,
        escalations: EscalationService | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.escalations = escalations
        self.dialog: EscalationDialog | None = None
        self._session = session
        self._selected_alarms = alarms
        self.tz = tz
        self.lang = lang
        self._now = now_ms
        self.jobs = Background(self)
        self.detail: IncidentDetail | None = None

        self.title = QLabel()
        self.title.setObjectName("incidentTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel()
        self.meta.setObjectName("hint")
        self.meta.setWordWrap(True)
        self.sample = QLabel(self.tr("⚠ sample procedure"))
        self.sample.setObjectName("sampleWarning")
        self.sample.setToolTip(
            self.tr("Sample procedure: to be replaced by the city's own before real use.")
        )
        self.sample.hide()

        self.ackButton = QPushButton(self.tr("Acknowledge"))
        self.startButton = QPushButton(self.tr("Start work"))
        # Only the status (the city was told by phone or radio); the CAP alert is cityButton.
        self.escalateButton = QPushButton(self.tr("Escalated by phone"))
        self.escalateButton.setToolTip(
            self.tr(
                "Mark the incident escalated without sending a CAP alert (the city was told "
                "by phone or radio)"
            )
        )
        self.resolveButton = QPushButton(self.tr("Resolve"))
        self.closeButton = QPushButton(self.tr("Close"))
        self.reopenButton = QPushButton(self.tr("Reopen"))
        self.takeButton = QPushButton(self.tr("Take over"))
        self.takeButton.setToolTip(self.tr("Become the owner of this incident"))
        self._targets = {
            self.ackButton: S.ACKNOWLEDGED,
            self.startButton: S.IN_PROGRESS,
            self.escalateButton: S.ESCALATED,
            self.resolveButton: S.RESOLVED,
            self.closeButton: S.CLOSED,
            self.reopenButton: S.IN_PROGRESS,
        }
        for b, target in self._targets.items():
            b.clicked.connect(lambda _c=False, t=target: self.setStatus(t))
        self.takeButton.clicked.connect(self.take)
        self.cityButton = QPushButton(self.tr("Escalate to the city…"))
        self.cityButton.setToolTip(
            self.tr("Send a CAP alert to the city IOC (supervisors): escalate, update, cancel")
        )
        self.cityButton.clicked.connect(self.escalateToCity)
        self.cityState = QLabel()
        self.cityState.setObjectName("cityState")
        self.cityState.setWordWrap(True)
        self.cityState.hide()
        self.statusNote = QLineEdit()
        self.statusNote.setPlaceholderText(self.tr("Why (with a status change; optional)"))
        self.severity = QComboBox()
        for n in (1, 2, 3):
            self.severity.addItem(f"{'▲' * n} {severity_name(n)}", n)
        self.severityButton = QPushButton(self.tr("Change severity"))
        self.severityButton.clicked.connect(self.changeSeverity)

        # Two rows of commands: the view fits beside the list on a 1366-pixel screen.
        bar = QGridLayout()
        bar.setHorizontalSpacing(4)
        bar.setVerticalSpacing(2)
        for k, b in enumerate(
            (
                self.ackButton,
                self.startButton,
                self.escalateButton,
                self.resolveButton,
                self.takeButton,
                self.reopenButton,
                self.closeButton,
                self.cityButton,
            )
        ):
            bar.addWidget(b, k // 4, k % 4)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.statusNote, 1)
        bar2.addWidget(self.severity)
        bar2.addWidget(self.severityButton)

        # Checklist
        self.checklist = ChecklistModel(tz, lang, now_ms, self)
        self.checklistView = table(self.checklist, (100, 380, 130, 80, 170))
        self.stepNote = QLineEdit()
        self.stepNote.setMinimumWidth(160)
        self.stepNote.setPlaceholderText(
            self.tr("Note on the step, or the reason to skip it (required to skip)")
        )
        self.doneButton = QPushButton(self.tr("Done (Ctrl+D)"))
        self.doneButton.clicked.connect(self.stepDone)
        self.skipButton = QPushButton(self.tr("Skip (Ctrl+Shift+D)"))
        self.skipButton.clicked.connect(self.stepSkip)
        cw = QWidget()
        cl = QVBoxLayout(cw)
        cl.setContentsMargins(2, 2, 2, 2)
        cl.addWidget(self.checklistView, 1)
        sb = QHBoxLayout()
        sb.addWidget(self.stepNote, 1)
        sb.addWidget(self.doneButton)
        sb.addWidget(self.skipButton)
        cl.addLayout(sb)

        # Timeline
        self._alarm_name = alarm_name
        self._feed_names: dict[str, str] = {
            f.id: (f.name.vi if lang == "vi" else f.name.en) for f in feeds
        }
        self.timeline = TimelineModel(tz, now_ms, self.nameOf, self)
        self.timelineView = table(self.timeline, (120, 120, 200, 260))
        self.timelineCount = QLabel()
        self.timelineCount.setObjectName("hint")
        tw = QWidget()
        tl = QVBoxLayout(tw)
        tl.setContentsMargins(2, 2, 2, 2)
        tl.addWidget(self.timelineView, 1)
        tl.addWidget(self.timelineCount)

        # Linked alarms
        self.linked = LinkedAlarmsModel(feeds, lang, self)
        self.linkedView = table(self.linked, (110, 190, 360))
        self.linkButton = QPushButton(self.tr("Link the alarms selected in the alarm table"))
        self.linkButton.clicked.connect(self.linkSelected)
        aw = QWidget()
        al = QVBoxLayout(aw)
        al.setContentsMargins(2, 2, 2, 2)
        al.addWidget(self.linkedView, 1)
        lb = QHBoxLayout()
        lb.addStretch(1)
        lb.addWidget(self.linkButton)
        al.addLayout(lb)

        self.tabs = QTabWidget()
        self.tabs.addTab(cw, self.tr("Checklist"))
        self.tabs.addTab(tw, self.tr("Timeline"))
        self.tabs.addTab(aw, self.tr("Alarms"))

        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Add a note to the timeline (Ctrl+Return)"))
        self.forHandover = QCheckBox(self.tr("For the handover"))
        self.note.setMinimumWidth(160)
        self.forHandover.setToolTip(self.tr("The shift handover report lists this note"))
        self.noteButton = QPushButton(self.tr("Add note"))
        self.noteButton.clicked.connect(self.addNote)
        self.note.returnPressed.connect(self.addNote)
        nb = QHBoxLayout()
        nb.addWidget(self.note, 1)
        nb.addWidget(self.forHandover)
        nb.addWidget(self.noteButton)
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.setSpacing(3)
        lay.addWidget(self.title)
        head = QHBoxLayout()
        head.addWidget(self.meta, 1)
        head.addWidget(self.sample, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        lay.addWidget(self.cityState)
        lay.addLayout(bar)
        lay.addLayout(bar2)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(nb)
        lay.addWidget(self.message)

        shortcut(self, "Ctrl+D", self.stepDone)
        shortcut(self, "Ctrl+Shift+D", self.stepSkip)
        shortcut(self, "Ctrl+Return", self.addNote)
        self._allowed: Callable[[str], bool] = lambda _what: True
        self._shown_severity: tuple[str, int] | None = None
        self.show_detail(None)

    # -- showing ----------------------------------------------------------------------
    def nameOf(self, what: str, ref: str) -> str:
        """An alarm, feed or step id as people read it (the id when it is unknown)."""
        if what == "alarm":
            return self._alarm_name(ref)
        if what == "feed":
            return self._feed_names.get(ref, ref)
        if what == "step" and self.detail is not None:
            for s in self.detail.steps:
                if s.step_id == ref:
                    return s.text.vi if self.lang == "vi" else s.text.en
        return ref

    @property
    def incident(self) -> IncidentRow | None:
        return None if self.detail is None else self.detail.incident

    def setPermissions(self, allowed: Callable[[str], bool]) -> None:
        """``allowed(permission value)``: whether the services would accept it now (buttons
        are enabled as a courtesy; the services check again)."""
        self._allowed = allowed
        self._enable()

    def show_detail(self, d: IncidentDetail | None) -> None:
        """Show ``d`` (None: nothing selected). Typed text is kept."""
        self.detail = d
        if d is None:
            self.title.setText(self.tr("No incident selected"))
            self.meta.setText("")
            self.sample.hide()
            self.checklist.setSteps([])
            self.timeline.setEntries("", [])
            self.timelineCount.setText("")
            self.cityState.hide()
            self._enable()
            return
        r = d.incident
        sop = self.service.sops.get(r.type) if r.type in self.service.sops else None
        type_name = (sop.name.vi if self.lang == "vi" else sop.name.en) if sop else r.type
        self.title.setText(f"{r.id} — {r.title}")
        parts = [
            type_name,
            f"{'▲' * r.severity} {severity_name(r.severity)}",
            f"{STATUS_SYMBOLS[r.status]} {status_name(r.status)}",
            r.ward or "—",
            self.tr("owner %1").replace("%1", r.owner_name or r.owner or "—"),
            self.tr("opened %1").replace("%1", when(r.opened_ms, self.tz, self._now())),
        ]
        if r.location:
            parts.insert(4, r.location)
        self.meta.setText(" · ".join(parts))
        self.sample.setVisible(bool(sop and sop.sample))
        self._show_city(r.id)
        current_step = self._selected_step()
        self.checklist.setSteps(d.steps)
        if current_step:
            row = self.checklist.rowOf(current_step)
            if row >= 0:
                self.checklistView.selectRow(row)
        added = self.timeline.setEntries(r.id, d.timeline)
        if added:
            self.timelineView.scrollToBottom()
        shown = len(d.timeline)
        self.timelineCount.setText(
            self.tr("%1 entries").replace("%1", f"{d.timeline_total:,}")
            if shown == d.timeline_total
            else self.tr("the newest %1 of %2 entries")
            .replace("%1", f"{shown:,}")
            .replace("%2", f"{d.timeline_total:,}")
        )
        # The severity chooser follows the incident only when the incident (or its severity)
        # changed: a choice the person made and has not applied yet survives refreshes.
        if self._shown_severity != (r.id, r.severity):
            self._shown_severity = (r.id, r.severity)
            self.severity.setCurrentIndex(max(self.severity.findData(r.severity), 0))
        self._enable()

    def _show_city(self, incident_id: str) -> None:
        """Where the incident's escalation stands (memory: no I/O on the GUI thread)."""
        text = ""
        if self.escalations is not None:
            esc = self.escalations.of_incident(incident_id)
            if esc.last is not None:
                text = state_text(
                    esc,
                    self.escalations.state(esc.last),
                    self.tz,
                    self.escalations.site.escalation.ioc_duty_phone,
                )
        self.cityState.setText(text)
        self.cityState.setVisible(bool(text))

    def tick(self) -> None:
        """Every second: countdowns, and the escalation's delivery state."""
        self.checklist.tick()
        if self.incident is not None:
            self._show_city(self.incident.id)

    def setLinked(self, rows: list[tuple[str, Any, float]]) -> None:
        self.linked.setAlarms(rows)

    def _enable(self) -> None:
        r = self.incident
        busy = self.jobs.busy("command")
        work = r is not None and not busy and self._allowed("work_incident")
        for b, target in self._targets.items():
            ok = r is not None and not busy and target in TRANSITIONS[r.status]
            if b is self.reopenButton:
                ok = ok and r is not None and not r.status.open
            elif r is not None and not r.status.open and target == S.IN_PROGRESS:
                ok = False
            need = {S.ESCALATED: "escalate", S.CLOSED: "close_incident"}.get(target)
            if b is self.reopenButton and r is not None and r.status == S.CLOSED:
                need = "close_incident"
            ok = ok and self._allowed(need or "work_incident")
            b.setEnabled(ok)
        open_ = r is not None and r.status != S.CLOSED
        for w in (
            self.takeButton,
            self.severityButton,
            self.doneButton,
            self.skipButton,
            self.noteButton,
            self.linkButton,
        ):
            w.setEnabled(work and open_)
        esc = self.escalations
        self.cityButton.setEnabled(
            esc is not None and esc.linked and open_ and not busy and self._allowed("escalate")
        )

    # -- commands -----------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message.setText(text)

    def _command(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None]) -> None:
        if self.jobs.busy("command"):
            self._say(self.tr("Still busy with the previous command…"))
            return

        def ok(result: Any) -> None:
            done(result)
            self._enable()
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ActionRefusedError):
                self._say(refusal_text(exc, self.tz))
            else:
                self._say(self.tr("The command failed: %1").replace("%1", str(exc)))
            self._enable()

        self._say(self.tr("Working…"))
        self.jobs.run("command", fn, self._session(), *args, done=ok, failed=failed)
        self._enable()

    def busy(self) -> bool:
        return self.jobs.busy()

    def setStatus(self, target: IncidentStatus) -> None:
        r = self.incident
        if r is None:
            return
        note = self.statusNote.text().strip()

        def done(_result: Any) -> None:
            self.statusNote.clear()
            self._say(
                self.tr("%1 is now %2.").replace("%1", r.id).replace("%2", status_name(target))
            )

        self._command(self.service.transition, r.id, target, note, done=done)

    def escalateToCity(self) -> None:
        """The dialog; the CAP message is built, validated and queued when it is accepted."""
        r, esc = self.incident, self.escalations
        if r is None or esc is None:
            return
        sop = self.service.sops.get(r.type) if r.type in self.service.sops else None
        dlg = EscalationDialog(esc, r.id, sop.ask_city if sop else None, self.lang, self)
        self.dialog = dlg

        def send() -> None:
            kind = dlg.msg_type()
            fn = {
                cap.MsgType.ALERT: esc.escalate,
                cap.MsgType.UPDATE: esc.update,
                cap.MsgType.CANCEL: esc.cancel,
            }[kind]

            def done(view: Any) -> None:
                self._say(
                    self.tr("%1 queued for the city as %2.")
                    .replace("%1", kind.value)
                    .replace("%2", view.identifier)
                )
                self._show_city(r.id)

            self._command(fn, r.id, dlg.request(), done=done)

        dlg.accepted.connect(send)
        dlg.finished.connect(dlg.deleteLater)
        dlg.setModal(False)  # nothing is modal: the alarms stay in reach
        dlg.show()

    def take(self) -> None:
        r = self.incident
        if r is not None:
            self._command(
                self.service.take,
                r.id,
                done=lambda _x: self._say(self.tr("You are the owner of %1.").replace("%1", r.id)),
            )

    def changeSeverity(self) -> None:
        r = self.incident
        if r is None:
            return
        sev = int(self.severity.currentData())
        if sev == r.severity:
            self._say(self.tr("The severity is %1 already.").replace("%1", severity_name(sev)))
            return

        def done(_x: Any) -> None:
            self._say(self.tr("Severity changed to %1.").replace("%1", severity_name(sev)))

        self._command(functools.partial(self.service.update, severity=sev), r.id, done=done)

    def _selected_step(self) -> str | None:
        rows = self.checklistView.selectionModel().selectedRows(0)
        return self.checklist.step(rows[0].row()).step_id if rows else None

    def _pending_step(self) -> str | None:
        step = self._selected_step()
        if step is None:
            # Nothing selected: the first step still to do.
            step = next(
                (s.step_id for s in self.checklist.steps() if s.state == StepState.PENDING), None
            )
        return step

    def stepDone(self) -> None:
        r = self.incident
        step = self._pending_step()
        if r is None or step is None:
            self._say(self.tr("Select a step first."))
            return
        note = self.stepNote.text().strip()

        def done(_x: Any) -> None:
            self.stepNote.clear()
            self._say(self.tr("Step done: %1").replace("%1", step))

        self._command(self.service.step_done, r.id, step, note, done=done)

    def stepSkip(self) -> None:
        r = self.incident
        step = self._pending_step()
        if r is None or step is None:
            self._say(self.tr("Select a step first."))
            return
        reason = self.stepNote.text().strip()
        if not reason:
            self._say(self.tr("Skipping a step needs a reason: type it in the field first."))
            self.stepNote.setFocus()
            return

        def done(_x: Any) -> None:
            self.stepNote.clear()
            self._say(self.tr("Step skipped: %1").replace("%1", step))

        self._command(self.service.step_skip, r.id, step, reason, done=done)

    def addNote(self) -> None:
        r = self.incident
        text = self.note.text().strip()
        if r is None:
            return
        if not text:
            self._say(self.tr("The note is empty."))
            self.note.setFocus()
            return
        handover = self.forHandover.isChecked()

        def done(_x: Any) -> None:
            self.note.clear()
            self.forHandover.setChecked(False)
            self._say(self.tr("Note added."))

        self._command(
            functools.partial(self.service.note, handover=handover), r.id, text, done=done
        )

    def linkSelected(self) -> None:
        r = self.incident
        ids = self._selected_alarms()
        if r is None:
            return
        if not ids:
            self._say(self.tr("Select alarms in the alarm table first."))
            return

        def done(new: Any) -> None:
            self._say(self.tr("%1 alarms linked.").replace("%1", str(len(new))))

        self._command(self.service.link_alarms, r.id, ids, done=done)


class NewIncidentForm(QWidget):
    opened = Signal(str)
    """The incident's id, once it is open (or alarms were linked to it)."""
    cancelled = Signal()

    def __init__(
        self,
        service: IncidentService,
        session: Callable[[], Session | None],
        tz: ZoneInfo,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._session = session
        self.tz = tz
        self.lang = lang
        self.jobs = Background(self)
        self.alarm_ids: tuple[str, ...] = ()
        self.feed_keys: tuple[str, ...] = ()
        self.lat: float | None = None
        self.lon: float | None = None

        self.heading = QLabel(self.tr("New incident"))
        self.heading.setObjectName("incidentTitle")
        self.type = QComboBox()
        for sop in service.sops:
            self.type.addItem(sop.name.vi if lang == "vi" else sop.name.en, sop.id)
        self.severity = QComboBox()
        for n in (1, 2, 3):
            self.severity.addItem(f"{'▲' * n} {severity_name(n)}", n)
        self.titleEdit = QLineEdit()
        self.titleEdit.setPlaceholderText(self.tr("What is happening, where (required)"))
        self.titleEdit.setMaxLength(200)
        self.ward = QComboBox()
        self.ward.setEditable(True)
        self.location = QLineEdit()
        self.location.setPlaceholderText(self.tr("Street, landmark, other wards"))
        self.report = QLineEdit()
        self.report.setPlaceholderText(
            self.tr("What was reported or seen (a phone call, a camera…)")
        )
        self.alarms = QLabel()
        self.alarms.setObjectName("hint")
        self.alarms.setWordWrap(True)
        self.openButton = QPushButton(self.tr("Open incident (Ctrl+Return)"))
        self.openButton.clicked.connect(self.submit)
        self.cancelButton = QPushButton(self.tr("Cancel (Esc)"))
        self.cancelButton.clicked.connect(self.cancel)
        self.existing = QComboBox()
        self.linkButton = QPushButton(self.tr("Link to this incident instead"))
        self.linkButton.clicked.connect(self.linkToExisting)
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Type"), self.type)
        form.addRow(self.tr("Severity"), self.severity)
        form.addRow(self.tr("Title"), self.titleEdit)
        form.addRow(self.tr("Ward"), self.ward)
        form.addRow(self.tr("Location"), self.location)
        form.addRow(self.tr("Report"), self.report)
        form.addRow(self.tr("Alarms"), self.alarms)
        buttons = QHBoxLayout()
        buttons.addWidget(self.openButton)
        buttons.addWidget(self.cancelButton)
        buttons.addStretch(1)
        link = QHBoxLayout()
        link.addWidget(self.existing, 1)
        link.addWidget(self.linkButton)
        self.linkRow = QWidget()
        self.linkRow.setLayout(link)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.addWidget(self.heading)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addWidget(self.linkRow)
        lay.addWidget(self.message)
        lay.addStretch(1)
        shortcut(self, "Ctrl+Return", self.submit)
        shortcut(self, "Escape", self.cancel)

    def busy(self) -> bool:
        return self.jobs.busy()

    def setWards(self, wards: Sequence[str]) -> None:
        text = self.ward.currentText()
        self.ward.clear()
        self.ward.addItem("")
        self.ward.addItems(list(wards))
        self.ward.setCurrentText(text)

    def setOpenIncidents(self, rows: Sequence[IncidentRow]) -> None:
        """Incidents the alarms could be linked to instead (kept selected across refreshes)."""
        current = self.existing.currentData()
        items = [(r.id, f"{r.id} — {r.title}") for r in rows if r.status != S.CLOSED]
        if [self.existing.itemData(i) for i in range(self.existing.count())] == [
            i for i, _ in items
        ]:
            return
        self.existing.clear()
        for iid, text in items:
            self.existing.addItem(text, iid)
        k = self.existing.findData(current)
        if k >= 0:
            self.existing.setCurrentIndex(k)

    def start_blank(self) -> None:
        """A new incident typed by hand (a phone call, a camera)."""
        self.alarm_ids = self.feed_keys = ()
        self.lat = self.lon = None
        self.heading.setText(self.tr("New incident"))
        k = self.type.findData("general")
        self.type.setCurrentIndex(max(k, 0))
        self.severity.setCurrentIndex(1)
        for w in (self.titleEdit, self.location, self.report):
            w.clear()
        self.ward.setCurrentText("")
        self.alarms.setText(self.tr("none (opened by hand)"))
        self.linkRow.hide()
        self.message.setText("")
        self.titleEdit.setFocus()

    def start_from(self, draft: Draft, alarm_name: Callable[[str], str] = str) -> None:
        """Fill the form with what the selected alarms suggest."""
        self.alarm_ids = draft.alarm_ids
        self.feed_keys = draft.feed_keys
        self.lat, self.lon = draft.lat, draft.lon
        self.heading.setText(
            self.tr("New incident from %1 alarms").replace("%1", str(len(draft.alarm_ids)))
        )
        k = self.type.findData(draft.type)
        self.type.setCurrentIndex(max(k, 0))
        self.severity.setCurrentIndex(self.severity.findData(draft.severity))
        self.titleEdit.setText(draft.title.vi if self.lang == "vi" else draft.title.en)
        self.ward.setCurrentText(draft.ward)
        self.location.setText(draft.location)
        self.report.clear()
        self.alarms.setText("; ".join(alarm_name(a) for a in draft.alarm_ids))
        self.linkRow.setVisible(self.existing.count() > 0)
        self.message.setText("")
        self.titleEdit.setFocus()
        self.titleEdit.selectAll()

    def new_incident(self) -> NewIncident:
        return NewIncident(
            type=str(self.type.currentData()),
            severity=int(self.severity.currentData()),
            title=self.titleEdit.text(),
            ward=self.ward.currentText(),
            location=self.location.text(),
            lat=self.lat,
            lon=self.lon,
            alarm_ids=self.alarm_ids,
            feed_keys=self.feed_keys,
            note=self.report.text(),
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ActionRefusedError):
            self.message.setText(refusal_text(exc, self.tz))
        else:
            self.message.setText(self.tr("The command failed: %1").replace("%1", str(exc)))
        self.openButton.setEnabled(True)

    def submit(self) -> None:
        if not self.titleEdit.text().strip():
            self.message.setText(self.tr("An incident needs a title."))
            self.titleEdit.setFocus()
            return
        if self.jobs.busy():
            return
        self.openButton.setEnabled(False)
        self.message.setText(self.tr("Opening…"))

        def done(iid: Any) -> None:
            self.openButton.setEnabled(True)
            self.message.setText("")
            self.opened.emit(str(iid))

        self.jobs.run(
            "open",
            self.service.open,
            self._session(),
            self.new_incident(),
            done=done,
            failed=self._failed,
        )

    def linkToExisting(self) -> None:
        iid = self.existing.currentData()
        if not iid or not self.alarm_ids or self.jobs.busy():
            return
        self.message.setText(self.tr("Linking…"))

        def done(_new: Any) -> None:
            self.message.setText("")
            self.opened.emit(str(iid))

        self.jobs.run(
            "open",
            self.service.link_alarms,
            self._session(),
            str(iid),
            list(self.alarm_ids),
            done=done,
            failed=self._failed,
        )

    def cancel(self) -> None:
        self.cancelled.emit()
