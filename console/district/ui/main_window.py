"""The operator window: feed browser, tile wall, live trend, history, status bar.

The window talks to the console's services façade only (``ConsoleServices``:
live values, alarms, history, link, ingest counters, access, audit), never to
the store or a socket. It runs before anyone logs in: the duty bar at the top
asks for a log-in, and every command carries whoever is on duty (the
services refuse when nobody is, or the screen is locked). One GUI timer at ``FRAME_HZ`` pulls what changed; each part declares
its own cadence (``REFRESH_HZ``) and runs on its own ticks so no single frame
pays for everything. No signal per reading crosses threads and nothing here
touches a socket or the database on the GUI thread (history queries, journal
searches and the start-up priming from the log run in workers).

Fit for a shift: the window opens on the whole available screen, reflows its
tiles to the width, lets every text shrink before a button leaves the screen,
grows what is read from two metres with the control-room scale (remembered
per workstation), shows a feed's alarm wherever the feed is shown, and after a
restart shows the last committed values at once.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QSettings,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.district.domain.access import PermissionDeniedError
from console.district.domain.feedstate import STATE_KEYS
from console.district.domain.ringbuffer import Latest
from console.district.services.alarms import FeedAlarm, alarms_by_feed
from console.district.services.app import ConsoleServices
from console.district.services.live import PrimeReport
from console.district.ui.actionlog_panel import ActionLogPanel
from console.district.ui.alarm_models import SEVERITY_COLORS, STATE_SYMBOLS
from console.district.ui.alarm_panel import AlarmBanner, AlarmPanel, Annunciator, banner_text
from console.district.ui.directives_panel import DirectivesPanel
from console.district.ui.escalations_panel import EscalationsPanel
from console.district.ui.feed_browser import FeedBrowser
from console.district.ui.feed_model import FeedIndexRole
from console.district.ui.handover_panel import HandoverPanel
from console.district.ui.history_panel import HistoryPanel
from console.district.ui.i18n import LANGUAGES, kind_name, state_name, unit_name
from console.district.ui.icons import kind_icon
from console.district.ui.incidents_panel import IncidentsPanel
from console.district.ui.login import ActivityFilter, DutyBar
from console.district.ui.status import StatusPanel
from console.district.ui.style import SCALES, style_sheet
from console.district.ui.tiles_panel import TilesPanel
from console.district.ui.trend_panel import FOLLOW_KEYS, TrendPanel
from console.district.ui.users_panel import UsersPanel
from console.district.ui.warnings_strip import WarningStrip
from console.shared.kinds import decimals
from console.shared.session import Session
from console.shared.text import format_value, humanize_seconds
from console.shared.vocab import AlarmState, Permission
from widgets.alarm_words import alarm_rule_name, severity_name
from widgets.tile import FeedTile

FRAME_HZ = 25
"""The GUI timer's rate: tile values and trend curves follow every tick."""
BROWSER_HZ = 1
"""The feed table (its ages have one-second resolution)."""
SPARK_SECONDS = 600.0
MAX_TILES = 24
"""More tiles than this no longer fit a control-room screen; a group that would pass
it is refused with the reason."""
NOTICE_MS = 10_000
"""How long a notice (why something was not done) stays beside the trend's controls."""

log = logging.getLogger(__name__)


def _ack_word(state: AlarmState) -> str:
    from PySide6.QtCore import QCoreApplication

    words = {
        AlarmState.ACTIVE_UNACK: QCoreApplication.translate("Tile", "unacknowledged"),
        AlarmState.ACTIVE_ACK: QCoreApplication.translate("Tile", "acknowledged"),
        AlarmState.CLEARED_UNACK: QCoreApplication.translate("Tile", "cleared, unacknowledged"),
    }
    return words.get(state, "")


class MainWindow(QMainWindow):
    languageRequested = Signal(str)
    """The operator chose another language (the host rebuilds the window in it)."""

    def __init__(
        self,
        services: ConsoleServices,
        session: Session | None,
        settings: QSettings,
        lang: str = "vi",
        parent: QWidget | None = None,
        *,
        workstation: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.clock = services.clock
        self.site = services.site
        self.settings = settings
        self.workstation = workstation if workstation is not None else settings
        """Settings of this workstation (the control-room scale), not of the site's log."""
        self.lang = lang
        self.tz = ZoneInfo(self.site.timezone)
        self.feeds = self.site.feeds
        self.index = {f.id: i for i, f in enumerate(self.feeds)}
        # Words looked up once (tr() on every tick costs more than the drawing).
        self._units = [unit_name(f.unit) for f in self.feeds]
        self._state_words: dict[str, str] = {s.value: state_name(s) for s in STATE_KEYS.values()}
        self._alarm_words: dict[int, tuple[int, str, str, str]] = {}
        self._stale_s = services.live.stale_after_s
        self._latest: Latest = services.live.latest()
        self._seq = 0
        self._tick = 0
        self._pending: set[int] = set()
        self._by_feed: dict[int, FeedAlarm] = {}
        self._last_received = services.ingest.stats().readings_received
        self._last_status_t = time.monotonic()
        self._prime_worker: object | None = None
        self.primed: PrimeReport | None = None
        self.liveLanguage = False
        """Set by a host that rebuilds the window in another language on request."""
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
        self.browser = FeedBrowser(self.feeds, lang)
        self.search = self.browser.search
        self.feedModel = self.browser.model
        self.feedView = self.browser.view
        self.feedView.doubleClicked.connect(lambda _i: self.addSelectedToTrend())
        self.browserDock = QDockWidget(self.tr("Feeds"), self)
        self.browserDock.setObjectName("browserDock")
        self.browserDock.setWidget(self.browser)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.browserDock)

        # Alarm banner, tiles and trend
        self.tiles = TilesPanel()
        self.trend = TrendPanel(self.tz)
        self.trend.cleared.connect(self._save_selection)
        self.banner = AlarmBanner()
        central = QWidget()
        central.setObjectName("central")
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(3)
        cl.addWidget(self.banner)
        self.warningStrip = WarningStrip(services.warnings, self.tz, lang)
        cl.addWidget(self.warningStrip)
        cl.addWidget(self.tiles)
        cl.addWidget(self.trend, 1)
        self.trend.setMinimumHeight(150)
        central.installEventFilter(self)
        self.setCentralWidget(central)
        self._notice_timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._notice_timer.timeout.connect(lambda: self.trend.message.setText(""))

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
        # History and alarms share the bottom area as tabs (alarms in front); their
        # title bars would only repeat the tab names: the rows go to the alarm table.
        for dock in (self.historyDock, self.alarmDock):
            dock.setTitleBarWidget(QWidget())
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
        # The city IOC's directives (read / done go back up to the city)
        self.directives = DirectivesPanel(
            services.directives, self.currentSession, self.tz, self.clock
        )
        self.directivesDock = QDockWidget(self.tr("Directives"), self)
        self.directivesDock.setObjectName("directivesDock")
        self.directivesDock.setWidget(self.directives)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.directivesDock)
        self.tabifyDockWidget(self.alarmDock, self.directivesDock)
        self._make_incident_docks(services)
        self.alarmDock.raise_()

        # Status bar
        self.status = StatusPanel(str(services.ingest.data_dir), self.site.timezone)
        self.status.set_sound(self.annunciator.available, self.annunciator.reason)
        self.statusBar().addPermanentWidget(self.status, 1)
        self.statusBar().setSizeGripEnabled(False)

        self.scale = self._saved_scale()
        self._make_actions()
        self._restore()
        self._apply_scale(self.scale, save=False)
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
        self._every(DirectivesPanel.REFRESH_HZ, 8, lambda _now: self._update_directives())
        self._every(WarningStrip.REFRESH_HZ, 10, lambda _now: self.warningStrip.refresh())
        self._every(IncidentsPanel.REFRESH_HZ, 14, lambda _now: self.incidents.refresh())
        self._every(EscalationsPanel.REFRESH_HZ, 16, lambda _now: self._update_escalations())

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
            escalations=services.escalations,
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
        # What this console escalated to the city, each message's delivery state.
        self.escalationsPanel = EscalationsPanel(services.escalations, self.tz, self.openIncident)
        self.escalationsDock = QDockWidget(self.tr("Escalations"), self)
        self.escalationsDock.setObjectName("escalationsDock")
        self.escalationsDock.setWidget(self.escalationsPanel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.escalationsDock)
        self.tabifyDockWidget(self.handoverDock, self.escalationsDock)
        if self.alarmPanel is not None:
            self.alarmPanel.incidentRequested.connect(self.openIncidentFromAlarms)

    def _update_escalations(self) -> None:
        self.escalationsPanel.refresh()

    def openIncident(self, incident_id: str) -> None:
        """Show one incident in the incidents dock (from the escalations list)."""
        self.incidentsDock.show()
        self.incidentsDock.raise_()
        self.incidents.showIncident(incident_id)

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
        self.directives.setCommandsEnabled(self.can(Permission.HANDLE_DIRECTIVES))
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

    def showDirectives(self) -> None:
        self.directivesDock.show()
        self.directivesDock.raise_()

    def _update_directives(self) -> None:
        """New directives of high or urgent priority sound; the tab counts the unread."""
        self.annunciator.new_alarms(self.directives.refresh())
        unread = self.directives.unread()
        title = self.tr("Directives")
        self.directivesDock.setWindowTitle(f"{title} ({unread})" if unread else title)

    def _every(self, hz: int, phase: int, fn: Callable[[float], None]) -> None:
        every = max(1, FRAME_HZ // hz)
        self._refreshers.append((every, phase % every, fn))

    # --- actions ----------------------------------------------------------------
    def _make_actions(self) -> None:
        m = self.menuBar()
        view = m.addMenu(self.tr("&View"))

        def act(
            text: str, key: str | tuple[str, ...], slot: object, menu: object = view
        ) -> QAction:
            a = QAction(text, self)
            keys = (key,) if isinstance(key, str) else key
            a.setShortcuts([QKeySequence(k) for k in keys])
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
        self.actFollow = act(self.tr("Follow / pause trend"), FOLLOW_KEYS, self.trend.toggleFollow)
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
        self.actDirectives = act(
            self.tr("Directives of the city"), "Ctrl+Shift+C", self.showDirectives, alarms
        )
        view.addSeparator()
        scale_menu = view.addMenu(self.tr("Control-room scale"))
        self.scaleGroup = QActionGroup(self)
        self.scaleGroup.setExclusive(True)
        self.scaleActions: dict[int, QAction] = {}
        for pct in SCALES:
            a = QAction(f"{pct} %", self, checkable=True)
            a.setChecked(pct == round(self.scale * 100))
            a.triggered.connect(lambda _c=False, pct=pct: self.setScale(pct / 100))
            self.scaleGroup.addAction(a)
            scale_menu.addAction(a)
            self.scaleActions[pct] = a
        view.addSeparator()
        view.addAction(self.browserDock.toggleViewAction())
        view.addAction(self.historyDock.toggleViewAction())
        view.addAction(self.alarmDock.toggleViewAction())
        view.addAction(self.actionLogDock.toggleViewAction())
        view.addAction(self.directivesDock.toggleViewAction())
        view.addAction(self.incidentsDock.toggleViewAction())
        view.addAction(self.handoverDock.toggleViewAction())
        view.addAction(self.escalationsDock.toggleViewAction())
        lang = m.addMenu(self.tr("&Language"))
        self.languageGroup = QActionGroup(self)
        self.languageGroup.setExclusive(True)
        self.languageActions: dict[str, QAction] = {}
        for code, label in LANGUAGES.items():
            a = QAction(label, self, checkable=True)
            a.setChecked(code == self.lang)
            a.triggered.connect(lambda _c=False, code=code: self._set_language(code))
            self.languageGroup.addAction(a)
            lang.addAction(a)
            self.languageActions[code] = a
        act(self.tr("Quit"), "Ctrl+Q", self.close, m.addMenu(self.tr("&File")))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.centralWidget() and event.type() == QEvent.Type.Resize:
            assert isinstance(watched, QWidget)
            self.tiles.setAvailableHeight(watched.height())
        return super().eventFilter(watched, event)

    def _new_incident(self) -> None:
        self.incidentsDock.show()
        self.incidentsDock.raise_()
        self.incidents.newIncident()

    def _focus_search(self) -> None:
        self.browserDock.show()
        self.search.setFocus()
        self.search.selectAll()

    def _set_language(self, code: str) -> None:
        """Save the choice; apply it now when a host can rebuild the window, else say
        clearly (in both languages: the reader may not read the current one) that it
        applies at the next start."""
        self.settings.setValue("language", code)
        for c, a in self.languageActions.items():
            a.setChecked(c == code)
        if code == self.lang:
            return
        if self.liveLanguage:
            self.languageRequested.emit(code)
            return
        self.notice(
            "Ngôn ngữ sẽ đổi khi khởi động lại phần mềm. / The language changes at the next start."
        )

    def notice(self, text: str) -> None:
        """Tell the operator why something was not done (beside the trend's controls)."""
        self.trend.message.setText(text)
        self.trend.message.setToolTip(text)
        self._notice_timer.start()

    def selectedFeeds(self) -> list[str]:
        rows = self.feedView.selectionModel().selectedRows(0)
        out = []
        for idx in rows:
            i = idx.data(FeedIndexRole)
            if i is not None and i >= 0:
                out.append(self.feeds[i].id)
        return out

    def _selected_with_groups(self) -> tuple[list[str], int]:
        """Selected feeds, a selected group row standing for its feeds; and how many
        groups were among the selection."""
        out: list[str] = []
        groups = 0
        for idx in self.feedView.selectionModel().selectedRows(0):
            i = idx.data(FeedIndexRole)
            if i is not None and i < 0:
                groups += 1
            for feed in self.feedModel.feedsUnder(idx):
                key = self.feeds[feed].id
                if key not in out:
                    out.append(key)
        return out, groups

    def addSelectedToTiles(self) -> None:
        keys, groups = self._selected_with_groups()
        if not keys:
            self.notice(self.tr("Select feeds (or a group) in the browser first."))
            return
        new = [k for k in keys if self.tiles.tile(k) is None]
        room = MAX_TILES - len(self.tiles.keys())
        if groups and len(new) > room:
            self.notice(
                self.tr(
                    "Not added: the group has %1 feeds without a tile; at most %2 tiles fit (%3 free)."
                )
                .replace("%1", str(len(new)))
                .replace("%2", str(MAX_TILES))
                .replace("%3", str(max(room, 0)))
            )
            return
        for key in keys:
            self.addTile(key)

    def addSelectedToTrend(self) -> None:
        keys, _groups = self._selected_with_groups()
        if not keys:
            self.notice(self.tr("Select feeds (or a group) in the browser first."))
            return
        refused = [k for k in keys if not self.addTrend(k, quiet=True)]
        if refused:
            names = ", ".join(self._feed_name(k) for k in refused[:3])
            more = f" (+{len(refused) - 3})" if len(refused) > 3 else ""
            self.notice(
                self.tr("Not added to the trend (at most two units and ten feeds): %1").replace(
                    "%1", names + more
                )
            )

    def addSelectedToHistory(self) -> None:
        keys, _groups = self._selected_with_groups()
        self.historyDock.show()
        self.historyDock.raise_()
        if not keys:
            self.notice(self.tr("Select feeds (or a group) in the browser first."))
            return
        self.history.showFeeds(keys)

    def _feed_name(self, key: str) -> str:
        f = self.feeds[self.index[key]]
        return f.name.vi if self.lang == "vi" else f.name.en

    def addTile(self, key: str) -> None:
        if self.tiles.tile(key) is not None:
            self.tiles.ensureVisible(key)
            self.notice(self.tr("%1 is already a tile.").replace("%1", self._feed_name(key)))
            return
        if len(self.tiles.keys()) >= MAX_TILES:
            self.notice(self.tr("Not added: at most %1 tiles fit.").replace("%1", str(MAX_TILES)))
            return
        f = self.feeds[self.index[key]]
        tile = FeedTile(key)
        tile.setTitle(self._feed_name(key))
        tile.setIcon(kind_icon(f.kind))
        tile.setValueText("—", unit_name(f.unit))
        tile.setToolTip(f"{self._feed_name(key)}\n{kind_name(f.kind)} · {f.area}\n{f.id}")
        tile.activated.connect(self.addTrend)
        self.tiles.add(tile)
        self._update_tile(tile, self.clock.time(), self.services.live.latest(), spark=True)

    def addTrend(self, key: str, quiet: bool = False) -> bool:
        f = self.feeds[self.index[key]]
        label = self._feed_name(key)
        if not self.trend.plot.addSeries(
            key, label, f.unit, decimals=decimals(f.kind), unit_label=unit_name(f.unit)
        ):
            if not quiet:
                self.notice(
                    self.tr(
                        "Not added: the trend shows at most two units and ten feeds (%1 is in %2)."
                    )
                    .replace("%1", label)
                    .replace("%2", unit_name(f.unit))
                )
            return False
        if not quiet:
            self.trend.message.setText("")
        self._mark_trend(key)
        self._update_trend(key, self.clock.time())
        self._save_selection()
        return True

    # --- control-room scale -------------------------------------------------------
    def _saved_scale(self) -> float:
        try:
            pct = int(str(self.workstation.value("scale", 100)))
        except ValueError:
            pct = 100
        return (pct if pct in SCALES else 100) / 100

    def setScale(self, scale: float) -> None:
        """Grow tile values, the banner and alarm rows (remembered for this workstation)."""
        self._apply_scale(scale, save=True)

    def _apply_scale(self, scale: float, *, save: bool) -> None:
        self.scale = scale
        app = QApplication.instance()
        sheet = style_sheet(scale)
        if isinstance(app, QApplication) and app.styleSheet() != sheet:
            app.setStyleSheet(sheet)
        self.tiles.setScale(scale)
        if self.alarmPanel is not None:
            self.alarmPanel.setScale(scale)
        for pct, a in self.scaleActions.items():
            a.setChecked(pct == round(scale * 100))
        if save:
            self.workstation.setValue("scale", round(scale * 100))
            self.workstation.sync()

    # --- refresh ------------------------------------------------------------------
    def start(self) -> None:
        """Begin refreshing (call after show(): first-run dock sizes need a shown window);
        read the last minutes from the log in a worker, so a restart is never blank."""
        if self._fresh_layout:
            QTimer.singleShot(0, self._first_run_layout)
        self._prime()
        self.refresh()
        now = self.clock.time()
        for _n, _phase, fn in self._refreshers:  # everything once now, not at its phase
            fn(now)
        self.timer.start()

    def _prime(self) -> None:
        # _ignore_errors: ``_prime_failed`` handles them (superqt would re-raise in the GUI
        # thread otherwise).
        worker = create_worker(
            self.services.live.prime_from_log, _start_thread=False, _ignore_errors=True
        )
        worker.returned.connect(self._primed)
        worker.errored.connect(self._prime_failed)
        worker.start()
        self._prime_worker = worker

    def _prime_failed(self, exc: BaseException) -> None:
        """The trends then start from the live readings alone: say so, and go on."""
        log.error("the recent readings could not be read from the log: %s", exc)
        self.statusBar().showMessage(
            self.tr("The recent readings could not be read from the log: the trends start now"),
            120_000,
        )
        self._primed(PrimeReport(feeds=0, readings=0))

    def _primed(self, report: PrimeReport) -> None:
        self.primed = report
        self._pending |= set(range(len(self.feeds)))
        now = self.clock.time()
        self._latest = self.services.live.latest()
        self._update_tiles(now, slow=True)
        for key in self.trend.plot.seriesKeys():
            self._update_trend(key, now)
        self._update_browser(now)

    def waitPrimed(self, timeout_ms: int = 10_000) -> bool:
        """Wait for the start-up read of the log (tests, screenshots)."""
        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + timeout_ms / 1000
        while self.primed is None and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.005)
        return self.primed is not None

    def showOnScreen(self) -> None:
        """Show the window on the screen it belongs to, all of it visible: maximized
        over the available area on a first run or when it was left maximized (set
        explicitly as well, for an X display without a window manager, where a
        restored "maximized" would keep a stale offset), else as it was left, moved
        and shrunk into the available area."""
        screen = self.screen().availableGeometry()
        g = self.geometry()
        if (
            self._fresh_geometry
            or self.isMaximized()
            or (g.width() >= screen.width() and g.height() >= screen.height())
        ):
            self.setGeometry(screen)
            self.showMaximized()
            return
        w, h = min(g.width(), screen.width()), min(g.height(), screen.height())
        x = min(max(g.x(), screen.x()), screen.right() - w + 1)
        y = min(max(g.y(), screen.y()), screen.bottom() - h + 1)
        self.setGeometry(x, y, w, h)
        self.show()

    def _first_run_layout(self) -> None:
        w, h = self.width(), self.height()
        browser = int(min(max(0.25 * w, self.browser.preferredWidth()), 0.34 * w, 480))
        self.resizeDocks([self.browserDock], [browser], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.alarmDock], [int(min(max(0.3 * h, 210), 380))], Qt.Orientation.Vertical
        )

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
        unit = self._units[i]
        if latest.count[i] == 0:
            state, age = "nodata", math.nan
            tile.setValueText("—", unit)
        else:
            age = now - float(latest.ts[i])
            state = "stale" if age > self._stale_s[i] else STATE_KEYS[int(latest.quality[i]) + 1]
            tile.setValueText(format_value(float(latest.value[i]), f.kind), unit)
        tile.setState(state)
        if state == "nodata":
            tile.setStatusText(self._state_words[state])
        elif state == "stale":
            tile.setStatusText(
                self.tr("NO DATA for %1").replace("%1", humanize_seconds(age, self.lang))
            )
        else:
            tile.setStatusText(f"{self._state_words[state]} · {humanize_seconds(age, self.lang)}")
        words = self._alarm_words.get(i)
        if words is None:
            tile.setAlarm(0, "", "")
        else:
            tile.setAlarm(*words)
        if spark:
            t, v, _q = self.services.live.window(i, since_ts=now - SPARK_SECONDS)
            tile.setSparkline(t, v)

    def _alarm_texts(self, alarm: FeedAlarm) -> tuple[int, str, str, str]:
        """(severity, ack, status line, tooltip) of a tile showing ``alarm``."""
        ack = "cleared" if not alarm.active else "unack" if alarm.unacknowledged else "ack"
        rule = alarm_rule_name(alarm.rule)
        return (
            alarm.severity,
            ack,
            f"{STATE_SYMBOLS[alarm.state]} {'▲' * alarm.severity} {rule} · {_ack_word(alarm.state)}",
            f"{rule}: {severity_name(alarm.severity)}, {_ack_word(alarm.state)}",
        )

    def _update_alarms(self) -> None:
        assert self.alarmPanel is not None and self.services.alarms is not None
        service = self.services.alarms
        seq, transitions = service.recent_since(self._alarm_seq)
        self._alarm_seq = seq
        current = service.current()  # one pass per tick for table, tiles, browser, legend
        self.alarmPanel.refresh(transitions, current, self._latest.value)
        new = sum(1 for t in transitions if t.event == "activate" and t.state == "active_unack")
        self.annunciator.new_alarms(new)
        banner_text(self.alarmPanel, self.banner, transitions, self.feeds, self.lang)
        by_feed = alarms_by_feed(current)
        if by_feed != self._by_feed:
            changed = {
                i
                for i in set(by_feed) | set(self._by_feed)
                if by_feed.get(i) != self._by_feed.get(i)
            }
            self._by_feed = by_feed
            self._alarm_words = {i: self._alarm_texts(a) for i, a in by_feed.items()}
            self.feedModel.setAlarms(by_feed)
            now = self.clock.time()
            for tile in self.tiles.tiles():
                if self.index[tile.key] in changed:
                    self._update_tile(tile, now, self._latest, spark=False)
            for key in self.trend.plot.seriesKeys():
                if self.index[key] in changed:
                    self._mark_trend(key)

    def _mark_trend(self, key: str) -> None:
        alarm = self._by_feed.get(self.index[key])
        if alarm is None:
            self.trend.plot.setSeriesMark(key, "")
            return
        color = SEVERITY_COLORS[alarm.severity].name() if alarm.active else "#9aa4ae"
        self.trend.plot.setSeriesMark(
            key, f"{STATE_SYMBOLS[alarm.state]} {severity_name(alarm.severity)}", color
        )

    def feedAlarm(self, key: str) -> FeedAlarm | None:
        return self._by_feed.get(self.index[key])

    def nextAlarm(self) -> None:
        """Select the next alarm that waits for acknowledgement (active or cleared;
        they sort first)."""
        if self.alarmPanel is None:
            return
        self.alarmDock.show()
        self.alarmDock.raise_()
        table, model = self.alarmPanel.table, self.alarmPanel.model
        rows = [r for r, a in enumerate(model.alarms()) if a.state.unacknowledged]
        if not rows:
            self.alarmPanel.message.setText(self.tr("No alarm waits for acknowledgement."))
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
        self._fresh_geometry = not isinstance(geo, QByteArray)
        if isinstance(geo, QByteArray):
            self.restoreGeometry(geo)
        else:
            self.resize(self.screen().availableGeometry().size())
        state = s.value("windowState")
        self._fresh_layout = not isinstance(state, QByteArray)
        if isinstance(state, QByteArray):
            self.restoreState(state)
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
        if span is None:
            # 15 minutes of the site's time: under the demo's compressed time, the
            # shortest span that holds them.
            want = 900 / max(self.services.time_scale, 1e-9)
            fits = [
                k for k in range(self.trend.span.count()) if self.trend.span.itemData(k) >= want
            ]
            self.trend.span.setCurrentIndex(fits[0] if fits else self.trend.span.count() - 1)
        else:
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
        s.setValue("trendSpan", int(self.trend.span.currentData()))
        self._save_selection()
        s.sync()

    def stopWork(self) -> None:
        """Stop the timers and wait for the start-up read of the log."""
        self.timer.stop()
        self._notice_timer.stop()
        self.browser.stop()
        if self._prime_worker is not None:
            self.waitPrimed()
        self.history.cancel()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self._activity)
        # Queries in flight (journal, history, action log, a log-in) finish before the
        # window goes: none may answer a closed window or use a console being stopped.
        QThreadPool.globalInstance().waitForDone(10_000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stopWork()
        self.saveState_()
        super().closeEvent(event)


def _as_list(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]  # type: ignore[attr-defined]
