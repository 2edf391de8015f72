"""The alarm console: current alarms with commands, the journal, the banner and the annunciator.

Commands go to the alarm service with the acting session (it takes the
engine's lock and hands the transition to the writer queue; no I/O here).
Journal searches run in a worker. Nothing is modal: notes and shelving
reasons are typed into fields of the panel, which a refresh never clears.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from importlib import resources as importlib_resources
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.district.config import FeedConfig
from console.district.domain.alarms import ACTIVE_UNACK, AlarmCommandError, Transition
from console.district.services.alarms import AlarmService
from console.district.ui.alarm_models import AlarmIdRole, AlarmTableModel, JournalModel
from console.district.ui.i18n import alarm_rule_name, kind_name, severity_name, system_name
from console.shared.session import Session

log = logging.getLogger(__name__)

SHELVE_DURATIONS = [(15 * 60, "15 min"), (3600, "1 h"), (4 * 3600, "4 h"), (8 * 3600, "8 h")]
FLOOD_THRESHOLD = 5
"""New alarms within one refresh window above which the banner summarises instead of listing."""


def _table(model: object) -> QTableView:
    v = QTableView()
    v.setModel(model)  # type: ignore[arg-type]
    v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    v.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    v.verticalHeader().setVisible(False)
    v.verticalHeader().setDefaultSectionSize(22)  # fixed row height: no per-row measuring
    v.horizontalHeader().setStretchLastSection(True)
    v.setAlternatingRowColors(True)
    v.setWordWrap(False)
    return v


class Annunciator:
    """Sound for new alarms, silenced until the next one; quiet where there is no audio."""

    def __init__(self) -> None:
        self.silenced = False
        self.sounds_played = 0
        self._effect = None
        try:
            from PySide6.QtMultimedia import QSoundEffect

            effect = QSoundEffect()
            effect.setSource(
                QUrl.fromLocalFile(
                    str(importlib_resources.files("resources") / "sounds" / "alarm.wav")
                )
            )
            effect.setVolume(0.8)
            self._effect = effect
        except Exception as exc:  # no QtMultimedia backend / no audio libraries on this machine
            log.info("alarm sound unavailable (%s); alarms are shown without sound", exc)

    @property
    def available(self) -> bool:
        return self._effect is not None

    def new_alarms(self, n: int) -> None:
        if n <= 0:
            return
        self.silenced = False
        self.sounds_played += 1
        if self._effect is not None:
            self._effect.play()

    def silence(self) -> None:
        self.silenced = True
        if self._effect is not None:
            self._effect.stop()


class AlarmBanner(QFrame):
    """Always visible: counts by severity, the newest unacknowledged alarm, flood summary."""

    silenceRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AlarmBanner")
        self.counts = QLabel()
        self.counts.setObjectName("bannerCounts")
        self.newest = QLabel()
        self.newest.setObjectName("bannerNewest")
        self.summary = QLabel()
        self.summary.setObjectName("bannerSummary")
        self.silence = QPushButton(self.tr("Silence (Ctrl+M)"))
        self.silence.clicked.connect(self.silenceRequested.emit)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(self.counts)
        lay.addWidget(self.newest, 1)
        lay.addWidget(self.summary)
        lay.addWidget(self.silence)
        self.setProperty("level", 0)

    def setLevel(self, level: int) -> None:
        if self.property("level") != level:
            self.setProperty("level", level)
            self.style().unpolish(self)
            self.style().polish(self)


class AlarmPanel(QWidget):
    REFRESH_HZ = 5

    def __init__(
        self,
        alarms: AlarmService,
        session: Callable[[], Session],
        feeds: tuple[FeedConfig, ...],
        tz: ZoneInfo,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = alarms
        self._session = session
        """Who is acting now (asked at each command: the person on duty can change)."""
        self.feeds = feeds
        self.tz = tz
        self.lang = lang
        self.model = AlarmTableModel(feeds, tz, lang, self)
        self.table = _table(self.model)
        for col, w in enumerate((130, 190, 80, 280, 120, 110, 100, 150)):
            self.table.setColumnWidth(col, w)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note (optional)"))
        self.ackButton = QPushButton(self.tr("Acknowledge (Ctrl+K)"))
        self.ackButton.clicked.connect(self.acknowledgeSelected)
        self.ackAllButton = QPushButton(self.tr("Acknowledge all (Ctrl+Shift+K)"))
        self.ackAllButton.clicked.connect(self.acknowledgeAll)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Shelving reason (required)"))
        self.duration = QComboBox()
        for secs, label in SHELVE_DURATIONS:
            self.duration.addItem(label, secs)
        self.shelveButton = QPushButton(self.tr("Shelve"))
        self.shelveButton.clicked.connect(self.shelveSelected)
        self.unshelveButton = QPushButton(self.tr("Unshelve"))
        self.unshelveButton.clicked.connect(self.unshelveSelected)
        self.oosButton = QPushButton(self.tr("Out of service"))
        self.oosButton.clicked.connect(self.removeSelected)
        self.risButton = QPushButton(self.tr("Return to service"))
        self.risButton.clicked.connect(self.restoreSelected)
        self.message = QLabel()
        self.message.setObjectName("hint")
        bar1 = QHBoxLayout()
        bar1.addWidget(self.note, 1)
        bar1.addWidget(self.ackButton)
        bar1.addWidget(self.ackAllButton)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.reason, 1)
        bar2.addWidget(self.duration)
        bar2.addWidget(self.shelveButton)
        bar2.addWidget(self.unshelveButton)
        bar3 = QHBoxLayout()
        bar3.addWidget(self.message, 1)
        bar3.addWidget(self.oosButton)
        bar3.addWidget(self.risButton)
        current = QWidget()
        cl = QVBoxLayout(current)
        cl.setContentsMargins(2, 2, 2, 2)
        cl.addWidget(self.table, 1)
        cl.addLayout(bar1)
        cl.addLayout(bar2)
        cl.addLayout(bar3)

        self.journal = JournalModel(feeds, tz, lang, self)
        self.journalView = _table(self.journal)
        for col, w in enumerate((120, 280, 110, 80, 180, 90, 70, 150)):
            self.journalView.setColumnWidth(col, w)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search the journal: feed id, user, note, event"))
        self.minSeverity = QComboBox()
        self.minSeverity.addItem(self.tr("All severities"), 0)
        for s in (1, 2, 3):
            self.minSeverity.addItem(f"≥ {severity_name(s)}", s)
        self.journalRange = QComboBox()
        for label, secs in (
            (self.tr("Last hour"), 3600),
            (self.tr("Last 24 h"), 86_400),
            (self.tr("Last 7 days"), 7 * 86_400),
            (self.tr("All"), 0),
        ):
            self.journalRange.addItem(label, secs)
        self.journalRange.setCurrentIndex(1)
        self.searchButton = QPushButton(self.tr("Search"))
        self.searchButton.clicked.connect(self.loadJournal)
        self.search.returnPressed.connect(self.loadJournal)
        self.journalStatus = QLabel()
        self.journalStatus.setObjectName("hint")
        jbar = QHBoxLayout()
        jbar.addWidget(self.search, 1)
        jbar.addWidget(self.minSeverity)
        jbar.addWidget(self.journalRange)
        jbar.addWidget(self.searchButton)
        jw = QWidget()
        jl = QVBoxLayout(jw)
        jl.setContentsMargins(2, 2, 2, 2)
        jl.addLayout(jbar)
        jl.addWidget(self.journalView, 1)
        jl.addWidget(self.journalStatus)
        self._filtered = False

        self.tabs = QTabWidget()
        self.tabs.addTab(current, self.tr("Current alarms"))
        self.tabs.addTab(jw, self.tr("Journal"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)

    # --- commands ---------------------------------------------------------------------
    def selectedIds(self) -> list[str]:
        return [i.data(AlarmIdRole) for i in self.table.selectionModel().selectedRows(0)]

    def _report(self, text: str) -> None:
        self.message.setText(text)

    def acknowledgeSelected(self) -> list[str]:
        return self._ack(self.selectedIds())

    def acknowledgeAll(self) -> list[str]:
        return self._ack([a.id for a in self.model.alarms()])

    def _ack(self, ids: list[str]) -> list[str]:
        if not ids:
            self._report(self.tr("Select alarms first."))
            return []
        done = self.service.acknowledge(self._session(), ids, self.note.text().strip())
        self._report(
            self.tr("Acknowledged %1 of %2 selected.")
            .replace("%1", str(len(done)))
            .replace("%2", str(len(ids)))
        )
        if done:
            self.note.clear()
        return done

    def _each(self, fn: Callable[[str], None]) -> None:
        ids = self.selectedIds()
        if not ids:
            self._report(self.tr("Select alarms first."))
            return
        try:
            for alarm_id in ids:
                fn(alarm_id)
        except AlarmCommandError as exc:
            self._report(str(exc))
            return
        self._report("")

    def shelveSelected(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self._report(self.tr("Shelving needs a reason."))
            self.reason.setFocus()
            return
        session, secs = self._session(), float(self.duration.currentData())
        self._each(lambda a: self.service.shelve(session, a, reason, secs))

    def unshelveSelected(self) -> None:
        session = self._session()
        self._each(lambda a: self.service.unshelve(session, a))

    def removeSelected(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self._report(self.tr("Taking an alarm out of service needs a reason."))
            return
        session = self._session()
        self._each(lambda a: self.service.remove_from_service(session, a, reason))

    def restoreSelected(self) -> None:
        session = self._session()
        self._each(lambda a: self.service.return_to_service(session, a))

    # --- refresh ------------------------------------------------------------------------
    def refresh(self, transitions: list[Transition]) -> None:
        self.model.setAlarms(self.service.current())
        if transitions and not self._filtered:
            self.journal.prepend(transitions)
            self.journalStatus.setText(
                self.tr("%1 entries").replace("%1", f"{self.journal.rowCount():,}")
            )

    def loadJournal(self) -> None:
        secs = int(self.journalRange.currentData())
        text = self.search.text().strip()
        sev = int(self.minSeverity.currentData())
        # New transitions are always inside a 'last N' range; text and severity filters
        # would need re-querying, so live appends pause while those are set.
        self._filtered = bool(text or sev)
        keys = [
            f.id
            for f in self.feeds
            if text
            and (
                text in f.id or text.lower() in f.name.vi.lower() or text.lower() in f.area.lower()
            )
        ]
        worker = create_worker(
            self.service.journal,
            text="" if keys else text,
            feed_keys=keys,
            min_severity=sev,
            last_s=float(secs),
            _start_thread=False,
        )
        worker.returned.connect(self._journal_loaded)
        worker.start()
        self._worker = worker
        self.journalStatus.setText(self.tr("Loading…"))

    def _journal_loaded(self, rows: list[dict[str, Any]]) -> None:
        self.journal.setRows(rows)
        self.journalStatus.setText(self.tr("%1 entries").replace("%1", f"{len(rows):,}"))


def banner_text(
    panel: AlarmPanel,
    banner: AlarmBanner,
    new: list[Transition],
    feeds: tuple[FeedConfig, ...],
    lang: str,
) -> None:
    """Fill the banner from the current alarms and this tick's new activations."""
    alarms = panel.model.alarms()
    unack = [a for a in alarms if a.state == ACTIVE_UNACK]
    by_sev = Counter(a.severity for a in alarms if a.active)
    banner.counts.setText(
        "   ".join(f"{'▲' * s} {severity_name(s)}: {by_sev.get(s, 0)}" for s in (3, 2, 1))
        + "   "
        + QCoreApplication.translate("AlarmBanner", "unacknowledged: %1").replace(
            "%1", str(len(unack))
        )
    )
    if unack:
        newest = max(unack, key=lambda a: a.since_ms)
        f = feeds[newest.feed] if newest.feed >= 0 else None  # -1: a system alarm
        name = system_name() if f is None else f.name.vi if lang == "vi" else f.name.en
        banner.newest.setText(
            f"◆ {name} — {alarm_rule_name(newest.rule)} ({severity_name(newest.severity)})"
        )
    else:
        banner.newest.setText(QCoreApplication.translate("AlarmBanner", "No unacknowledged alarms"))
    banner.setLevel(max((a.severity for a in unack), default=0))
    activations = [t for t in new if t.event == "activate"]
    if len(activations) >= FLOOD_THRESHOLD:
        idx = {f.id: f for f in feeds}
        areas = Counter(idx[t.feed_key].area for t in activations if t.feed_key in idx)
        kinds = Counter(idx[t.feed_key].kind for t in activations if t.feed_key in idx)
        area, n_area = areas.most_common(1)[0]
        kind_text = ", ".join(f"{n} {kind_name(k).lower()}" for k, n in kinds.most_common(2))
        banner.summary.setText(
            QCoreApplication.translate("AlarmBanner", "%1 new alarms (%2 in %3): %4")
            .replace("%1", str(len(activations)))
            .replace("%2", str(n_area))
            .replace("%3", area)
            .replace("%4", kind_text)
        )
    elif activations:
        banner.summary.setText("")
