"""The IOC window: every site at a glance, worst first; a site's drill-down; the city per kind.

Pages are tabs under the city strip; ``addPage`` is how further pages join.
Given an ``IocWorkstation`` (``opsconsole ioc``), the window has a duty bar
above the strip (log-in, hand-over, lock, log-out; the city stays on screen
and live while nobody is on duty or the screen is locked), the *Escalations*
inbox (console/hub/ui/inbox.py: sound and a flash for a new one until someone
takes it — the strip's escalation counter and the tab flash with it, whatever
page is open), the *Directives* page (compose, delivery board; "Reply with a
directive" in the inbox opens it filled in), *City warnings* (compose a CAP 1.2
warning, what was sent) and the IOC's *Action log*.
The window reads only ``CityService`` snapshots, which a worker delivers when
the hub's change counter moves; the inbox is read again as each new snapshot
arrives (a new escalation is on screen within a second of the hub's commit); a
one-second tick re-judges link states and ages from the snapshot on screen,
checks the idle lock and reloads the other open pages when the counter moved
(no I/O on the GUI thread).
"""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from console.hub.services.ioc import CityService, CitySnapshot
from console.hub.services.workstation import IocWorkstation
from console.hub.ui.city_warnings import WarningsPage
from console.hub.ui.detail import SiteDetail
from console.hub.ui.directives import DirectivesPage
from console.hub.ui.inbox import EscalationInbox
from console.hub.ui.kinds import KindsPanel
from console.hub.ui.people import IocActionLog, IocDutyBar
from console.hub.ui.sites import SiteWall
from console.hub.ui.strip import CityStripBar
from console.hub.ui.text import CITY_TZ
from console.hub.ui.updates import CityUpdates
from widgets.duty_bar import ActivityFilter


class IocWindow(QMainWindow):
    applied = Signal(object)
    """Emitted after a new snapshot is on screen (the bench and tests time it)."""
    TICK_HZ = 1

    def __init__(
        self,
        city: CityService,
        lang: str = "vi",
        *,
        title: str = "",
        source: str = "",
        desk: IocWorkstation | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.city = city
        self.desk = desk
        self.lang = lang
        self.snapshot: CitySnapshot | None = None
        self._shown_counter = -1
        self.frame_ms: deque[float] = deque(maxlen=10_000)
        self.setObjectName("IocWindow")
        self.setWindowTitle(
            self.tr("opsconsole — city operations centre") + (f" — {title}" if title else "")
        )
        self.strip = CityStripBar()
        self.sites = SiteWall(lang)
        self.detail = SiteDetail(city, lang)
        self.kinds = KindsPanel(city, self.siteName)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.sites, self.tr("Sites"))
        self.tabs.addTab(self.detail, self.tr("Site detail"))
        self.tabs.addTab(self.kinds, self.tr("City by kind"))
        self.sites.siteActivated.connect(self.openSite)
        self.detail.back.connect(lambda: self.tabs.setCurrentWidget(self.sites))
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(4, 4, 4, 0)
        lay.setSpacing(4)
        self.duty: IocDutyBar | None = None
        self.directives: DirectivesPage | None = None
        self.inbox: EscalationInbox | None = None
        self._inbox_counter = -1
        self.warnings: WarningsPage | None = None
        self.actionLog: IocActionLog | None = None
        self._activity: ActivityFilter | None = None
        if desk is not None:
            self.duty = IocDutyBar(desk.access, CITY_TZ)
            lay.addWidget(self.duty)
            self.inbox = EscalationInbox(desk, self.siteName, lang)
            self.tabs.addTab(self.inbox, self.tr("Escalations"))
            self.inbox.flash.timeout.connect(self._flash_tab)
            self.strip.flashDriven = True
            self.directives = DirectivesPage(desk, self.siteName)
            self.inbox.replyRequested.connect(self.replyToEscalation)
            self.tabs.addTab(self.directives, self.tr("Directives"))
            self.warnings = WarningsPage(desk, self.siteName)
            self.tabs.addTab(self.warnings, self.tr("City warnings"))
            self.actionLog = IocActionLog(desk.access, CITY_TZ)
            self.tabs.addTab(self.actionLog, self.tr("Action log"))
            self._activity = ActivityFilter(desk.access.touch, self)
            QShortcut(QKeySequence("Ctrl+L"), self, self.duty.lockNow)
        lay.addWidget(self.strip)
        lay.addWidget(self.tabs, 1)
        self.setCentralWidget(body)
        self.sourceLabel = QLabel(source)
        self.sourceLabel.setObjectName("hint")
        self.statusBar().addPermanentWidget(self.sourceLabel)
        for n in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Alt+{n + 1}"), self, lambda n=n: self.tabs.setCurrentIndex(n))
        self.updates = CityUpdates(city, self)
        self.updates.snapshot.connect(self.applySnapshot)
        self.updates.failed.connect(self._failed)
        self.timer = QTimer(self, interval=1000 // self.TICK_HZ)
        self.timer.timeout.connect(self.tick)

    # --- pages -----------------------------------------------------------------------
    def addPage(self, page: QWidget, title: str) -> int:
        """Add a page (the escalation inbox, the directive board) after the city pages."""
        return self.tabs.addTab(page, title)

    def openSite(self, site_id: str) -> None:
        snap = self.snapshot.site(site_id) if self.snapshot else None
        self.detail.showSite(site_id, snap, self.city.now_ms())
        self.tabs.setCurrentWidget(self.detail)

    def replyToEscalation(self, site_id: str, identifier: str) -> None:
        """The directive page, addressed to the site, answering the escalation."""
        if self.directives is not None:
            self.directives.prefill([site_id], identifier)
            self.tabs.setCurrentWidget(self.directives)

    def _flash_tab(self) -> None:
        """While a new escalation waits, the strip's counter and the tab flash too."""
        if self.inbox is None:
            return
        on = bool(self.inbox.banner.property("flash"))
        self.strip.escalations.setAlert(on)
        i = self.tabs.indexOf(self.inbox)
        self.tabs.tabBar().setTabTextColor(i, QColor("#ff8a80") if on else QColor())  # default

    def siteName(self, site_id: str) -> str:
        snap = self.snapshot.site(site_id) if self.snapshot else None
        return snap.name(self.lang) if snap else site_id

    # --- life cycle --------------------------------------------------------------------
    def start(self) -> None:
        self.updates.start()
        self.timer.start()
        app = QApplication.instance()
        if self._activity is not None and app is not None:
            app.installEventFilter(self._activity)
        for page in (self.inbox, self.directives, self.warnings):
            if page is not None:
                page.reload()

    def stop(self) -> None:
        """Stop the tick and the snapshot worker, and wait for every read in flight (the
        duty bar's, the board's and the action log's workers too)."""
        self.timer.stop()
        if self.inbox is not None:
            self.inbox.stop()
        app = QApplication.instance()
        if self._activity is not None and app is not None:
            app.removeEventFilter(self._activity)
        self.updates.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)

    # --- refresh ----------------------------------------------------------------------
    def applySnapshot(self, snap: CitySnapshot) -> None:
        """A new snapshot from the worker: on screen now (one frame)."""
        self.snapshot = snap
        self._render()
        if self.inbox is not None and snap.counter != self._inbox_counter:
            self._inbox_counter = snap.counter
            self.inbox.reload()
        self.applied.emit(snap)

    def refresh(self) -> None:
        """Redraw the city pages from the snapshot on screen (no I/O)."""
        if self.snapshot is not None:
            self._render()

    def tick(self) -> None:
        """Once a second: the idle lock; ages and link states move with the clock; open
        pages reload when the hub's data moved."""
        if self.desk is not None and self.duty is not None:
            self.desk.access.check_idle()
            self.duty.refresh()
        if self.snapshot is None:
            return
        self._render()
        changed = self.snapshot.counter != self._shown_counter
        self._shown_counter = self.snapshot.counter
        self.detail.tick(changed)
        self.kinds.tick(changed)
        if changed:
            for page in (self.directives, self.warnings):
                if page is not None:
                    page.reload()

    def _render(self) -> None:
        assert self.snapshot is not None
        t0 = time.perf_counter()
        now = self.city.now_ms()
        snap = self.snapshot
        self.strip.apply(snap.strip(now), snap.taken_ms, now)
        if self.inbox is not None and not self.inbox.flashing():
            self._flash_tab()
        self.sites.apply(snap, now)
        if self.detail.site_id:
            self.detail.applySite(snap.site(self.detail.site_id), now)
        self.frame_ms.append((time.perf_counter() - t0) * 1000.0)

    def _failed(self, detail: str) -> None:
        self.strip.setStale(detail)
        if detail:
            self.statusBar().showMessage(
                self.tr("Cannot read the hub database (retrying): %1").replace("%1", detail)
            )
        else:
            self.statusBar().clearMessage()
