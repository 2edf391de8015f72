"""The operator window: feed browser, tile wall, live trend, history, status bar.

The window talks to the console's services façade only (``ConsoleServices``:
live values, alarms, history, link, ingest counters, access, audit), never to
the store or a socket. It runs before anyone logs in: the duty bar at the top
asks for a log-in, and every command carries whoever is on duty (the
services refuse when nobody is, or the screen is locked). One GUI timer at ``FRAME_HZ`` pulls what changed; each part declares
its own cadence (``REFRESH_HZ``) and runs on its own ticks so no single frame
pays for everything. No signal per reading crosses threads and nothing here
touches a socket or the database on the GUI thread (history queries and
journal searches run in workers).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.district.domain.access import PermissionDeniedError
from console.district.domain.alarms import ACTIVE_UNACK
from console.district.domain.feedstate import STATE_KEYS
from console.district.domain.ringbuffer import Latest
from console.district.services.app import ConsoleServices
from console.district.ui.actionlog_panel import ActionLogPanel
from console.district.ui.alarm_panel import AlarmBanner, AlarmPanel, Annunciator, banner_text
from console.district.ui.feed_model import (
    COL_AGE,
    COL_ID,
    COL_NAME,
    COL_UNIT,
    COL_VALUE,
    FeedIndexRole,
    FeedTreeModel,
)
from console.district.ui.handover_panel import HandoverPanel
from console.district.ui.history_panel import HistoryPanel
from console.district.ui.i18n import LANGUAGES, kind_name, state_name
from console.district.ui.icons import kind_icon
from console.district.ui.incidents_panel import IncidentsPanel
from console.district.ui.login import ActivityFilter, DutyBar
from console.district.ui.status import StatusPanel
from console.district.ui.tiles_panel import TilesPanel
from console.district.ui.trend_panel import TrendPanel
from console.district.ui.users_panel import UsersPanel
from console.shared.session import Session
from console.shared.text import format_value, humanize_seconds
from console.shared.vocab import Permission
from widgets.tile import FeedTile

FRAME_HZ = 25
"""The GUI timer's rate: tile values and trend curves follow every tick."""
BROWSER_HZ = 1
"""The feed table (its ages have one-second resolution)."""
SPARK_SECONDS = 600.0


class MainWindow(QMainWindow):
    def __init__(
        self,
        services: ConsoleServices,
        session: Session | None,
        settings: QSettings,
        lang: str = "vi",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.clock = services.clock
        self.site = services.site
        self.settings = settings
        self.lang = lang
        self.tz = ZoneInfo(self.site.timezone)
        self.feeds = self.site.feeds
        self.index = {f.id: i for i, f in enumerate(self.feeds)}
        self._stale_s = services.live.stale_after_s
        self._latest: Latest = services.live.latest()
        self._seq = 0
        self._tick = 0
        self._pending: set[int] = set()
        self._last_received = 0
        self._last_status_t = time.monotonic()
        self.frame_ms: deque[float] = deque(maxlen=10_000)
        self.setObjectName("MainWindow")
        name = self.site.name.vi if lang == "vi" else self.site.name.en
        self.setWindowTitle(f"opsconsole — {name}")

        # Who is on duty: log-in, hand-over, lock, log-out (a session given here is an OS
        # account acting without log-in, as scripts and benches do).
        self.duty = DutyBar(services.access, self.tz, fixed=session)
        self.duty.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.dutyToolBar = QToolBar(self.tr("Duty"), self)
        self.dutyToolBar.setObjectName("dutyToolBar")
        self.dutyToolBar.setMovable(False)
        self.dutyToolBar.setFloatable(False)
        self.dutyToolBar.toggleViewAction().setVisible(False)  # it cannot be hidden
        self.dutyToolBar.addWidget(self.duty)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.dutyToolBar)
        self._activity = ActivityFilter(services.access, self)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self._activity)

        # Feed browser
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search feeds by id or name (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.feedModel = FeedTreeModel(self.feeds, lang, self)
        self.feedView = QTreeView()
        self.feedView.setModel(self.feedModel)
        self.feedView.setUniformRowHeights(True)
        self.feedView.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.feedView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.feedView.setAlternatingRowColors(True)
        self.feedView.expandAll()
        for col, width in ((COL_NAME, 250), (COL_VALUE, 62), (COL_UNIT, 72), (COL_AGE, 72)):
            self.feedView.setColumnWidth(col, width)
        self.feedView.setColumnHidden(COL_ID, True)
        self.feedView.doubleClicked.connect(lambda _i: self.addSelectedToTrend())
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        browser = QWidget()
        browser.setMinimumWidth(300)
        bl = QVBoxLayout(browser)
        bl.setContentsMargins(4, 4, 4, 4)
        bl.addWidget(self.search)
        bl.addWidget(self.feedView, 1)
        self.browserDock = QDockWidget(self.tr("Feeds"), self)
        self.browserDock.setObjectName("browserDock")
        self.browserDock.setWidget(browser)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.browserDock)

        # Tiles and trend
        self.tiles = TilesPanel()
        self.trend = TrendPanel(self.tz)
        self.trend.cleared.connect(self._save_selection)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("centralSplitter")
        split.addWidget(self.tiles)
        split.addWidget(self.trend)
        split.setSizes([330, 420])
        self.splitter = split
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(2)
        self.banner = AlarmBanner()
        cl.addWidget(self.banner)
        cl.addWidget(split, 1)
        self.setCentralWidget(central)

        # History
        self.history = HistoryPanel(services.history, self.feeds, self.tz, lang, self.clock)
        self.historyDock = QDockWidget(self.tr("History"), self)
        self.historyDock.setObjectName("historyDock")
        self.historyDock.setWidget(self.history)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.historyDock)
        self.historyDock.hide()

        # Alarms: the table operators work from, the journal, the annunciator
        self.annunciator = Annunciator()
        self.banner.silenceRequested.connect(self.annunciator.silence)
        self.alarmPanel: AlarmPanel | None = None
        self._alarm_seq = 0
        if services.alarms is not None:
            self.alarmPanel = AlarmPanel(
                services.alarms, lambda: self.session, self.feeds, self.tz, lang
            )
            self._alarm_seq = services.alarms.seq
            self.alarmPanel.loadJournal()
        else:
            self.banner.hide()
        self.alarmDock = QDockWidget(self.tr("Alarms"), self)
        self.alarmDock.setObjectName("alarmDock")
        self.alarmDock.setWidget(self.alarmPanel or QWidget())
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.alarmDock)
        # History and alarms share the bottom area as tabs (alarms in front).
        self.tabifyDockWidget(self.historyDock, self.alarmDock)
        self.alarmDock.raise_()

        # Who did what, and the accounts (administrators)
        self.actionLog = ActionLogPanel(services.audit, self.currentSession, self.tz, self.clock)
        self.actionLogDock = QDockWidget(self.tr("Action log"), self)
        self.actionLogDock.setObjectName("actionLogDock")
        self.actionLogDock.setWidget(self.actionLog)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.actionLogDock)
        self.tabifyDockWidget(self.alarmDock, self.actionLogDock)
        self.users = UsersPanel(services.access, self.currentSession, self.tz)
        self.usersDock = QDockWidget(self.tr("Accounts"), self)
        self.usersDock.setObjectName("usersDock")
        self.usersDock.setWidget(self.users)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.usersDock)
        self.tabifyDockWidget(self.actionLogDock, self.usersDock)
        self.usersDock.hide()
        self._make_incident_docks(services)
        self.alarmDock.raise_()

        # Status bar
        self.status = StatusPanel(str(services.ingest.data_dir), self.site.timezone)
        self.statusBar().addPermanentWidget(self.status, 1)

        self._make_actions()
        self._restore()
        self.tiles.changed.connect(self._save_selection)
        self.duty.dutyChanged.connect(self._duty_changed)
        self._duty_changed(self.duty.session())

        # Each part at its own cadence, on ticks spread apart (phase) so that no
        # frame pays for the feed table, the status bar and the alarms at once.
        self._refreshers: list[tuple[int, int, Callable[[float], None]]] = []
        self._every(TilesPanel.REFRESH_HZ, 2, lambda now: self._update_tiles(now, slow=True))
        self._every(BROWSER_HZ, 0, self._update_browser)
        self._every(StatusPanel.REFRESH_HZ, 12, lambda _now: self._update_status())
        if self.alarmPanel is not None:
            self._every(AlarmPanel.REFRESH_HZ, 4, lambda _now: self._update_alarms())
        self._every(DutyBar.REFRESH_HZ, 6, lambda _now: self.duty.refresh())
        self._every(IncidentsPanel.REFRESH_HZ, 8, lambda _now: self.incidents.refresh())

        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1000 // FRAME_HZ)
        self.timer.timeout.connect(self.refresh)

    def _make_incident_docks(self, services: ConsoleServices) -> None:
        """Incidents and the shift handover: docks beside the alarms (docs/INCIDENTS.md)."""
        self.incidents = IncidentsPanel(
            services.incidents,
            services.alarms,
            services.live,
            self.currentSession,
            self.alarmPanel.selectedIds if self.alarmPanel is not None else list,
            self.feeds,
            self.tz,
            self.lang,
            self.clock,
        )
        self.incidentsDock = QDockWidget(self.tr("Incidents"), self)
        self.incidentsDock.setObjectName("incidentsDock")
        self.incidentsDock.setWidget(self.incidents)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.incidentsDock)
        self.tabifyDockWidget(self.alarmDock, self.incidentsDock)
        self.handover = HandoverPanel(
            services.handover, self.currentSession, services.ingest.data_dir, self.tz, self.lang
        )
        self.handoverDock = QDockWidget(self.tr("Shift handover"), self)
        self.handoverDock.setObjectName("handoverDock")
        self.handoverDock.setWidget(self.handover)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.handoverDock)
        self.tabifyDockWidget(self.incidentsDock, self.handoverDock)
        if self.alarmPanel is not None:
            self.alarmPanel.incidentRequested.connect(self.openIncidentFromAlarms)

    def showIncidents(self) -> None:
        self.incidentsDock.show()
        self.incidentsDock.raise_()
        self.incidents.refresh(force=True)
        self.incidents.focusSearch()

    def openIncidentFromAlarms(self, ids: list[str] | None = None) -> None:
        """The selected alarms (or ``ids``) pre-fill a new incident beside the alarm table."""
        if ids is None:
            ids = self.alarmPanel.selectedIds() if self.alarmPanel is not None else []
        if not ids:
            if self.alarmPanel is not None:
                self.alarmPanel.message.setText(self.tr("Select alarms first."))
            return
        self.incidentsDock.show()
        self.incidentsDock.raise_()
        if self.incidents.openFromAlarms(ids):
            self.incidents.refresh(force=True)

    def showHandover(self) -> None:
        self.handoverDock.show()
        self.handoverDock.raise_()
        self.handover.load()

    @property
    def session(self) -> Session | None:
        """Who acts now: every command the window sends carries it (None: nobody)."""
        return self.duty.session()

    def currentSession(self) -> Session | None:
        return self.duty.session()

    def can(self, permission: Permission) -> bool:
        """Whether the services would accept ``permission`` from whoever acts now."""
        try:
            self.services.access.authorize(self.session, permission)
        except PermissionDeniedError:
            return False
        return True

    def _duty_changed(self, _session: Session | None) -> None:
        """Commands are enabled for what the person on duty may do (the services check
        again: this only spares people buttons that would be refused)."""
        p = self.alarmPanel
        if p is not None:
            ack = self.can(Permission.ACKNOWLEDGE)
            for w in (p.ackButton, p.ackAllButton):
                w.setEnabled(ack)
            self.actAck.setEnabled(ack)
            self.actAckAll.setEnabled(ack)
            for w in (p.shelveButton, p.unshelveButton):
                w.setEnabled(self.can(Permission.SHELVE))
            for w in (p.oosButton, p.risButton):
                w.setEnabled(self.can(Permission.OUT_OF_SERVICE))
        duty = self.duty.fixed is None and self.services.access.duty().session is not None
        self.actLock.setEnabled(duty)
        self.actHandover.setEnabled(duty)
        self.actLogout.setEnabled(duty)
        if not self.can(Permission.VIEW_ACTION_LOG):
            self.actionLog.model.setRows([])  # the next person searches again
        if not self.can(Permission.MANAGE_USERS):
            self.users.table.setRowCount(0)
            self.users.secret.clear()
        self.incidents.setPermissions(lambda p: self.can(Permission(p)))
        if self.alarmPanel is not None:
            self.alarmPanel.incidentButton.setEnabled(self.can(Permission.OPEN_INCIDENT))
        hand = self.can(Permission.SHIFT_HANDOVER)
        self.handover.prepareButton.setEnabled(hand)
        self.handover.previewButton.setEnabled(hand)
        self.handover.load()

    def showActionLog(self) -> None:
        self.actionLogDock.show()
        self.actionLogDock.raise_()
        self.actionLog.load()

    def showUsers(self) -> None:
        self.usersDock.show()
        self.usersDock.raise_()
        self.users.load()

    def _every(self, hz: int, phase: int, fn: Callable[[float], None]) -> None:
        every = max(1, FRAME_HZ // hz)
        self._refreshers.append((every, phase % every, fn))

    # --- actions ----------------------------------------------------------------
    def _make_actions(self) -> None:
        m = self.menuBar()
        view = m.addMenu(self.tr("&View"))

        def act(text: str, key: str, slot: object, menu: object = view) -> QAction:
            a = QAction(text, self)
            a.setShortcut(QKeySequence(key))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.triggered.connect(slot)
            menu.addAction(a)  # type: ignore[attr-defined]
            self.addAction(a)
            return a

        self.actAddTile = act(
            self.tr("Add selected feeds to tiles"), "Ctrl+T", self.addSelectedToTiles
        )
        self.actAddTrend = act(
            self.tr("Add selected feeds to trend"), "Ctrl+R", self.addSelectedToTrend
        )
        self.actHistory = act(
            self.tr("Show history of selected feeds"), "Ctrl+H", self.addSelectedToHistory
        )
        self.actSearch = act(self.tr("Search feeds"), "Ctrl+F", self._focus_search)
        self.actFollow = act(self.tr("Follow / pause trend"), "F", self.trend.toggleFollow)
        alarms = m.addMenu(self.tr("&Alarms"))
        if self.alarmPanel is not None:
            p = self.alarmPanel
            self.actAck = act(
                self.tr("Acknowledge selected alarms"), "Ctrl+K", p.acknowledgeSelected, alarms
            )
            self.actAckAll = act(
                self.tr("Acknowledge all shown alarms"), "Ctrl+Shift+K", p.acknowledgeAll, alarms
            )
            self.actNextAlarm = act(
                self.tr("Next unacknowledged alarm"), "Ctrl+N", self.nextAlarm, alarms
            )
        self.actSilence = act(self.tr("Silence"), "Ctrl+M", self.annunciator.silence, alarms)
        incidents = m.addMenu(self.tr("&Incidents"))
        self.actIncidents = act(self.tr("Incidents"), "Ctrl+Shift+I", self.showIncidents, incidents)
        self.actIncidentFromAlarms = act(
            self.tr("Open incident from selected alarms"),
            "Ctrl+I",
            lambda: self.openIncidentFromAlarms(None),
            incidents,
        )
        self.actNewIncident = act(
            self.tr("New incident (phone call, camera)"), "", self._new_incident, incidents
        )
        incidents.addSeparator()
        self.actShiftReport = act(
            self.tr("Shift handover report"), "Ctrl+Shift+H", self.showHandover, incidents
        )
        duty = m.addMenu(self.tr("&Duty"))
        self.actLock = act(self.tr("Lock the screen"), "Ctrl+L", self.duty.lockNow, duty)
        self.actHandover = act(self.tr("Hand over…"), "", self.duty.startHandover, duty)
        self.actLogout = act(self.tr("Log out"), "", self.duty.logOut, duty)
        duty.addSeparator()
        self.actActionLog = act(self.tr("Action log"), "Ctrl+J", self.showActionLog, duty)
        self.actUsers = act(self.tr("Accounts"), "", self.showUsers, duty)
        view.addSeparator()
        view.addAction(self.browserDock.toggleViewAction())
        view.addAction(self.historyDock.toggleViewAction())
        view.addAction(self.alarmDock.toggleViewAction())
        view.addAction(self.actionLogDock.toggleViewAction())
        view.addAction(self.incidentsDock.toggleViewAction())
        view.addAction(self.handoverDock.toggleViewAction())
        lang = m.addMenu(self.tr("&Language"))
        for code, label in LANGUAGES.items():
            a = QAction(label, self, checkable=True)
            a.setChecked(code == self.lang)
            a.triggered.connect(lambda _c=False, code=code: self._set_language(code))
            lang.addAction(a)
        act(self.tr("Quit"), "Ctrl+Q", self.close, m.addMenu(self.tr("&File")))

    def _new_incident(self) -> None:
        self.incidentsDock.show()
        self.incidentsDock.raise_()
        self.incidents.newIncident()

    def _focus_search(self) -> None:
        self.browserDock.show()
        self.search.setFocus()
        self.search.selectAll()

    def _set_language(self, code: str) -> None:
        self.settings.setValue("language", code)
        self.statusBar().showMessage(
            self.tr("Language saved: restart the console to apply it."), 8000
        )

    def _apply_search(self) -> None:
        self.feedModel.setFilterText(self.search.text())
        self.feedView.expandAll()

    def selectedFeeds(self) -> list[str]:
        rows = self.feedView.selectionModel().selectedRows(0)
        out = []
        for idx in rows:
            i = idx.data(FeedIndexRole)
            if i is not None and i >= 0:
                out.append(self.feeds[i].id)
        return out

    def addSelectedToTiles(self) -> None:
        for key in self.selectedFeeds():
            self.addTile(key)

    def addSelectedToTrend(self) -> None:
        for key in self.selectedFeeds():
            self.addTrend(key)

    def addSelectedToHistory(self) -> None:
        for key in self.selectedFeeds():
            self.history.addFeed(key)
        self.historyDock.show()
        self.historyDock.raise_()

    def addTile(self, key: str) -> None:
        f = self.feeds[self.index[key]]
        tile = FeedTile(key)
        tile.setTitle(f.name.vi if self.lang == "vi" else f.name.en)
        tile.setIcon(kind_icon(f.kind))
        tile.setValueText("—", f.unit)
        tile.setToolTip(f"{kind_name(f.kind)} · {f.area}\n{f.id}")
        tile.activated.connect(self.addTrend)
        self.tiles.add(tile)
        self._update_tile(tile, self.clock.time(), self.services.live.latest(), spark=True)

    def addTrend(self, key: str) -> None:
        f = self.feeds[self.index[key]]
        label = f.name.vi if self.lang == "vi" else f.name.en
        if not self.trend.plot.addSeries(key, label, f.unit):
            self.trend.message.setText(
                self.tr("Not added: the trend shows at most two units and ten feeds (%1 is in %2).")
                .replace("%1", label)
                .replace("%2", f.unit)
            )
            return
        self.trend.message.setText("")
        self._update_trend(key, self.clock.time())
        self._save_selection()

    # --- refresh ------------------------------------------------------------------
    def start(self) -> None:
        """Begin refreshing (call after show(): first-run dock sizes need a shown window)."""
        if self._fresh_layout:
            QTimer.singleShot(0, self._first_run_layout)
        self.refresh()
        self.timer.start()

    def _first_run_layout(self) -> None:
        self.resizeDocks([self.browserDock], [560], Qt.Orientation.Horizontal)
        self.resizeDocks([self.alarmDock], [330], Qt.Orientation.Vertical)

    def refresh(self) -> None:
        """One GUI tick: tile values and trend curves that changed, then whatever part
        is due on this tick (see ``_every``)."""
        t0 = time.perf_counter()
        now = self.clock.time()
        self._tick += 1
        live = self.services.live
        seq, changed = live.changed_since(self._seq)
        self._seq = seq
        self._pending |= set(changed.tolist())
        self._latest = live.latest()
        self._update_tiles(now, slow=False)
        for key in self.trend.plot.seriesKeys():
            if self.index[key] in self._pending:
                self._update_trend(key, now)
        self.trend.plot.advance(now)
        self._pending = set()
        for every, phase, fn in self._refreshers:
            if self._tick % every == phase:
                fn(now)
        self.frame_ms.append((time.perf_counter() - t0) * 1000.0)

    def _update_tiles(self, now: float, *, slow: bool) -> None:
        """Changed values every tick; all tiles' ages and sparklines on slow ticks."""
        for tile in self.tiles.tiles():
            if slow or self.index[tile.key] in self._pending:
                self._update_tile(tile, now, self._latest, spark=slow)

    def _update_browser(self, now: float) -> None:
        states, ages = self.services.live.states(now, self._latest)
        self.feedModel.updateValues(self._latest.value, ages, states)

    def _update_tile(self, tile: FeedTile, now: float, latest: Latest, spark: bool) -> None:
        i = self.index[tile.key]
        f = self.feeds[i]
        if latest.count[i] == 0:
            state, age = "nodata", math.nan
            tile.setValueText("—", f.unit)
        else:
            age = now - float(latest.ts[i])
            state = "stale" if age > self._stale_s[i] else STATE_KEYS[int(latest.quality[i]) + 1]
            tile.setValueText(format_value(float(latest.value[i]), f.kind), f.unit)
        tile.setState(state)
        if state == "nodata":
            tile.setStatusText(state_name(state))
        elif state == "stale":
            tile.setStatusText(
                self.tr("NO DATA for %1").replace("%1", humanize_seconds(age, self.lang))
            )
        else:
            tile.setStatusText(f"{state_name(state)} · {humanize_seconds(age, self.lang)}")
        if spark:
            t, v, _q = self.services.live.window(i, since_ts=now - SPARK_SECONDS)
            tile.setSparkline(t, v)

    def _update_alarms(self) -> None:
        assert self.alarmPanel is not None and self.services.alarms is not None
        seq, transitions = self.services.alarms.recent_since(self._alarm_seq)
        self._alarm_seq = seq
        self.alarmPanel.refresh(transitions)
        new = sum(1 for t in transitions if t.event == "activate" and t.state == ACTIVE_UNACK)
        self.annunciator.new_alarms(new)
        banner_text(self.alarmPanel, self.banner, transitions, self.feeds, self.lang)

    def nextAlarm(self) -> None:
        """Select the next unacknowledged alarm (they sort first)."""
        if self.alarmPanel is None:
            return
        self.alarmDock.show()
        self.alarmDock.raise_()
        table, model = self.alarmPanel.table, self.alarmPanel.model
        rows = [r for r, a in enumerate(model.alarms()) if a.state == ACTIVE_UNACK]
        if not rows:
            return
        cur = table.currentIndex().row()
        nxt = next((r for r in rows if r > cur), rows[0])
        table.selectRow(nxt)
        table.setFocus()

    def _update_trend(self, key: str, now: float) -> None:
        i = self.index[key]
        span = self.trend.plot.span()
        t, v, _q = self.services.live.window(i, since_ts=now - span - 60)
        self.trend.plot.setSeriesData(key, t, v)

    def _update_status(self) -> None:
        ingest = self.services.ingest
        st = ingest.stats()
        t = time.monotonic()
        rate = (st.readings_received - self._last_received) / max(t - self._last_status_t, 1e-6)
        self._last_received, self._last_status_t = st.readings_received, t
        now = self.clock.time()
        since = now - st.last_commit_time if st.last_commit_time else 0.0
        self.status.update_stats(st, rate, ingest.reject_samples(), since)
        self.status.update_link(self.services.link.view(), now)

    # --- persistence ------------------------------------------------------------------
    def _restore(self) -> None:
        s = self.settings
        geo = s.value("geometry")
        if isinstance(geo, QByteArray):
            self.restoreGeometry(geo)
        else:
            self.resize(1500, 900)
        state = s.value("windowState")
        self._fresh_layout = not isinstance(state, QByteArray)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        split = s.value("splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)
        tiles = _as_list(s.value("tiles"))
        trend = _as_list(s.value("trend"))
        if s.value("tiles") is None:
            tiles, trend = self._default_selection()
        for key in tiles:
            if key in self.index:
                self.addTile(key)
        for key in trend:
            if key in self.index:
                self.addTrend(key)
        span = s.value("trendSpan")
        if span is not None:
            i = self.trend.span.findData(int(span))
            if i >= 0:
                self.trend.span.setCurrentIndex(i)

    def _default_selection(self) -> tuple[list[str], list[str]]:
        by_kind: dict[str, list[str]] = {}
        for f in self.feeds:
            by_kind.setdefault(f.kind, []).append(f.id)
        want = [
            ("river_level", 3),
            ("rainfall", 1),
            ("pm25", 1),
            ("traffic_flow", 1),
            ("traffic_speed", 1),
            ("cctv_events", 1),
        ]
        tiles = [k for kind, n in want for k in by_kind.get(kind, [])[:n]]
        trend = by_kind.get("river_level", [])[:2] + by_kind.get("rainfall", [])[:1]
        return tiles, trend

    def _save_selection(self) -> None:
        self.settings.setValue("tiles", self.tiles.keys())
        self.settings.setValue("trend", self.trend.plot.seriesKeys())

    def saveState_(self) -> None:
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        s.setValue("splitter", self.splitter.saveState())
        s.setValue("trendSpan", int(self.trend.span.currentData()))
        self._save_selection()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self._activity)
        # Queries in flight (journal, history, action log, a log-in) finish before the
        # window goes: none may answer a closed window or use a console being stopped.
        QThreadPool.globalInstance().waitForDone(10_000)
        self.saveState_()
        super().closeEvent(event)


def _as_list(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]  # type: ignore[attr-defined]
