"""The incidents panel: the list (open first, by severity), its filters, one incident beside it.

The list is one page read in a worker (``IncidentService.page``: SQL,
100,000 incidents in tens of milliseconds); it is read again when a filter
changes or when the service says something changed (its ``version``), never
on a timer for nothing. The search matches without diacritics ("hoa xuan"
finds "Hòa Xuân"). Keyboard: Ctrl+Shift+I (window) shows the panel with the
search focused; arrows move in the list and show the incident; Ctrl+Shift+N
starts a new incident; in the incident, Ctrl+D does the selected step,
Ctrl+Shift+D skips it, Ctrl+Return adds the note.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from console.district.config import FeedConfig
from console.district.domain.incidents import IncidentDetail, IncidentFilter
from console.district.services.alarms import AlarmService
from console.district.services.incidents import IncidentPage, IncidentService
from console.district.services.live import LiveService
from console.district.ui.access_text import refusal_text
from console.district.ui.background import Background
from console.district.ui.incident_models import IncidentIdRole, IncidentListModel, alarm_label
from console.district.ui.incident_text import status_name
from console.district.ui.incident_view import IncidentView, NewIncidentForm, shortcut, table
from console.shared.clock import Clock, time_ms
from console.shared.errors import ActionRefusedError
from console.shared.session import Session
from console.shared.vocab import IncidentStatus

PAGE = 1000
"""Incidents listed at once (the count says how many match in all)."""
OPEN = "open"
ALL = "all"


class IncidentsPanel(QWidget):
    REFRESH_HZ = 1

    def __init__(
        self,
        service: IncidentService,
        alarms: AlarmService | None,
        live: LiveService,
        session: Callable[[], Session | None],
        selected_alarms: Callable[[], list[str]],
        feeds: Sequence[FeedConfig],
        tz: ZoneInfo,
        lang: str,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.alarms = alarms
        self.live = live
        self._session = session
        self.feeds = tuple(feeds)
        self.tz = tz
        self.lang = lang
        self.clock = clock
        self.jobs = Background(self)
        self._seen_version = -1
        self._want: str | None = None
        """The incident to show (kept across reloads of the list)."""
        self._shown_version = -1

        self.status = QComboBox()
        self.status.addItem(self.tr("Open"), OPEN)
        self.status.addItem(self.tr("All"), ALL)
        for s in IncidentStatus:
            self.status.addItem(status_name(s), s.value)
        self.type = QComboBox()
        self.type.addItem(self.tr("All types"), "")
        for sop in service.sops:
            self.type.addItem(sop.name.vi if lang == "vi" else sop.name.en, sop.id)
        self.ward = QComboBox()
        self.ward.addItem(self.tr("All wards"), "")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search id, title, ward (no diacritics needed)"))
        self.search.setClearButtonEnabled(True)
        self.newButton = QPushButton(self.tr("New incident (Ctrl+Shift+N)"))
        self.newButton.clicked.connect(self.newIncident)
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.message = QLabel()
        self.message.setObjectName("hint")
        for combo in (self.status, self.type, self.ward):
            combo.currentIndexChanged.connect(self.reload)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.reload)

        self.model = IncidentListModel(tz, lang, self._type_name, self.now_ms, self)
        self.table = table(self.model, (100, 120, 110, 110, 260, 100, 120, 100))
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.view = IncidentView(
            service,
            session,
            selected_alarms,
            tz,
            lang,
            self.now_ms,
            self.alarmName,
            self.feeds,
        )
        self.view.changed.connect(self._command_done)
        self.form = NewIncidentForm(service, session, tz, lang)
        self.form.opened.connect(self._opened)
        self.form.cancelled.connect(self._form_cancelled)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.form)

        for combo in (self.status, self.type, self.ward):
            # Narrow enough that list and incident fit side by side on a 1366-pixel screen.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(9)
        self.search.setMinimumWidth(160)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.newButton)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.status, 1)
        bar2.addWidget(self.type, 1)
        bar2.addWidget(self.ward, 1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(bar)
        ll.addLayout(bar2)
        ll.addWidget(self.table, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.count)
        foot.addWidget(self.message, 1)
        ll.addLayout(foot)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("incidentsSplitter")
        self.splitter.addWidget(left)
        # The incident view and the form scroll rather than set the dock's height: tabbed
        # with the alarms at the bottom, the tallest dock's minimum is the area's minimum,
        # and the window must still fit a 1366×768 screen.
        holder = QScrollArea()
        holder.setObjectName("incidentScroll")
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(self.stack)
        self.splitter.addWidget(holder)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.splitter)
        shortcut(self, "Ctrl+Shift+N", self.newIncident)
        self._wards_loaded = False

    # -- helpers ---------------------------------------------------------------------------
    def now_ms(self) -> int:
        return time_ms(self.clock)

    def _type_name(self, type_: str) -> str:
        n = self.service.type_names(type_)
        return n.vi if self.lang == "vi" else n.en

    def alarmName(self, alarm_id: str) -> str:
        """An alarm as people read it (a feed's name and rule, or a procedure step)."""
        if self.alarms is not None:
            try:
                return alarm_label(self.alarms.view(alarm_id), self.feeds, self.lang)
            except ValueError:
                pass
        return alarm_id

    def busy(self) -> bool:
        return self.jobs.busy() or self.view.busy() or self.form.busy()

    def setPermissions(self, allowed: Callable[[str], bool]) -> None:
        self.view.setPermissions(allowed)
        self.newButton.setEnabled(allowed("open_incident"))
        self.form.openButton.setEnabled(allowed("open_incident"))
        self.form.linkButton.setEnabled(allowed("work_incident"))

    def filter(self) -> IncidentFilter:
        status = str(self.status.currentData())
        statuses: tuple[IncidentStatus, ...] = ()
        if status not in (OPEN, ALL):
            statuses = (IncidentStatus(status),)
        t = str(self.type.currentData() or "")
        return IncidentFilter(
            statuses=statuses,
            types=(t,) if t else (),
            ward=str(self.ward.currentData() or ""),
            text=self.search.text().strip(),
            open_only=status == OPEN,
            limit=PAGE,
        )

    # -- loading (workers) -------------------------------------------------------------------
    def reload(self) -> None:
        """Read the page for the current filter again."""
        self.jobs.run(
            "page", self.service.page, self.filter(), done=self._page, failed=self._failed
        )
        if not self._wards_loaded:
            self._wards_loaded = True
            self.jobs.run("wards", self.service.wards, done=self._wards, failed=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ActionRefusedError):
            self.message.setText(refusal_text(exc, self.tz))
        else:
            self.message.setText(
                self.tr("Could not read the incidents: %1").replace("%1", str(exc))
            )

    def _wards(self, wards: list[str]) -> None:
        current = self.ward.currentData()
        self.ward.blockSignals(True)
        self.ward.clear()
        self.ward.addItem(self.tr("All wards"), "")
        for w in wards:
            self.ward.addItem(w, w)
        k = self.ward.findData(current)
        self.ward.setCurrentIndex(max(k, 0))
        self.ward.blockSignals(False)
        self.form.setWards(wards)

    def _page(self, page: IncidentPage) -> None:
        keep = self._want
        if self.model.setRows(page.rows):
            row = self.model.rowOf(keep) if keep else -1
            if row >= 0:
                self.table.selectionModel().blockSignals(True)
                self.table.selectRow(row)
                self.table.selectionModel().blockSignals(False)
        self.form.setOpenIncidents(page.rows)
        shown = len(page.rows)
        self.count.setText(
            self.tr("Incidents: %1").replace("%1", f"{page.total:,}")
            if shown == page.total
            else self.tr("Incidents: %1 of %2")
            .replace("%1", f"{shown:,}")
            .replace("%2", f"{page.total:,}")
        )

    def _selected(self, _sel: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows(0)
        if not rows:
            return
        iid = rows[0].data(IncidentIdRole)
        self.showIncident(str(iid))

    def showIncident(self, incident_id: str) -> None:
        """Show one incident (read in a worker); the form, if open, is put away."""
        self._want = incident_id
        self.stack.setCurrentWidget(self.view)
        self.jobs.run(
            "detail", self.service.get, incident_id, done=self._detail, failed=self._failed
        )

    def _detail(self, d: IncidentDetail | None) -> None:
        if d is None or d.incident.id != self._want:
            if d is None:
                self.view.show_detail(None)
            return
        self._shown_version = self.service.version
        self.view.show_detail(d)
        self._update_linked()

    def _command_done(self) -> None:
        self.refresh(force=True)

    def _opened(self, incident_id: str) -> None:
        self.message.setText(self.tr("%1 is open.").replace("%1", incident_id))
        self.stack.setCurrentWidget(self.view)
        self.showIncident(incident_id)
        self.reload()

    def _form_cancelled(self) -> None:
        self.stack.setCurrentWidget(self.view)
        self.table.setFocus()

    # -- commands from outside ---------------------------------------------------------------------
    def newIncident(self) -> None:
        self.form.start_blank()
        self.stack.setCurrentWidget(self.form)

    def openFromAlarms(self, alarm_ids: list[str]) -> bool:
        """Fill the form from the selected alarms (no I/O: the draft is made in memory)."""
        if not alarm_ids:
            self.message.setText(self.tr("Select alarms first."))
            return False
        try:
            draft = self.service.draft(alarm_ids)
        except ActionRefusedError as exc:
            self.message.setText(refusal_text(exc, self.tz))
            return False
        self.form.start_from(draft, self.alarmName)
        self.stack.setCurrentWidget(self.form)
        return True

    def focusSearch(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- refresh (GUI timer) ------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh(force=True)

    def refresh(self, *, force: bool = False) -> None:
        """Once a second: countdowns; the list and the incident again when something changed
        and the panel is on screen (a hidden panel reads nothing)."""
        if not force and not self.isVisible():
            return
        version = self.service.version
        if force or version != self._seen_version:
            self._seen_version = version
            self.reload()
            if self._want is not None and self.stack.currentWidget() is self.view:
                self.jobs.run(
                    "detail", self.service.get, self._want, done=self._detail, failed=self._failed
                )
        self.model.tick()
        self.view.tick()
        self._update_linked()

    def _update_linked(self) -> None:
        d = self.view.detail
        if d is None or self.alarms is None:
            self.view.setLinked([])
            return
        latest = self.live.latest()
        rows: list[tuple[str, Any, float]] = []
        for aid in d.alarms:
            try:
                v = self.alarms.view(aid)
            except ValueError:
                rows.append((aid, None, math.nan))
                continue
            value = float(latest.value[v.feed]) if 0 <= v.feed < len(self.feeds) else math.nan
            if 0 <= v.feed < len(self.feeds) and latest.count[v.feed] == 0:
                value = math.nan
            rows.append((aid, v, value))
        self.view.setLinked(rows)
