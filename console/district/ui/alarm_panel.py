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
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.district.config import FeedConfig
from console.district.domain.alarms import ACTIVE_UNACK, AlarmCommandError, AlarmView, Transition
from console.district.services.alarms import AlarmService
from console.district.ui.access_text import refusal_text
from console.district.ui.alarm_models import (
    STATE_SYMBOLS,
    AlarmIdRole,
    AlarmTableModel,
    JournalModel,
)
from console.district.ui.i18n import kind_name, span_name, unit_name
from console.shared.errors import ActionRefusedError
from console.shared.kinds import decimals
from console.shared.session import Session
from console.shared.text import fold, matches
from console.shared.vocab import AlarmEvent, AlarmState
from widgets.alarm_words import alarm_event_name, alarm_rule_name, alarm_state_name, severity_name
from widgets.annunciator import Annunciator as SoundPlayer
from widgets.elided_label import ElidedLabel

log = logging.getLogger(__name__)

SHELVE_DURATIONS = [15 * 60, 3600, 4 * 3600, 8 * 3600]
"""Seconds a shelf lasts (the combo box shows them in words of the UI language)."""
FEED_MIN_PX = 190
"""The alarm table's feed name keeps at least this much; area, 'acknowledged by' and the
note give way first."""
ROW_HEIGHT = 22
"""Alarm table row height at 100 % (fixed: no per-row measuring); grows with the scale."""
FLOOD_THRESHOLD = 5
"""New alarms within one refresh window above which the banner summarises instead of listing."""


def _table(model: object) -> QTableView:
    v = QTableView()
    v.setModel(model)  # type: ignore[arg-type]
    v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    v.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    v.verticalHeader().setVisible(False)
    v.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)  # fixed row height: no per-row measuring
    v.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    v.horizontalHeader().setStretchLastSection(True)
    v.setAlternatingRowColors(True)
    v.setWordWrap(False)
    return v


class Annunciator(SoundPlayer):
    """Sound for new alarms, silenced until the next one (widgets.annunciator plays it, quiet
    where there is no audio, with a ``reason`` the window shows)."""

    def __init__(self) -> None:
        super().__init__()
        self.silenced = False

    def new_alarms(self, n: int) -> None:
        if n <= 0:
            return
        self.silenced = False
        self.announce()

    def silence(self) -> None:
        self.silenced = True
        self.stop()


class AlarmBanner(QFrame):
    """Always visible: counts by severity, the newest unacknowledged alarm, flood summary.

    Its labels elide (the full text in the tooltip) so a long feed name or a long
    translation never makes the window wider than the screen."""

    silenceRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AlarmBanner")
        self.counts = ElidedLabel()
        self.counts.setObjectName("bannerCounts")
        self.newest = ElidedLabel()
        self.newest.setObjectName("bannerNewest")
        self.summary = ElidedLabel()
        self.summary.setObjectName("bannerSummary")
        self.summary.setWordWrap(True)  # a flood summary must not widen the window either
        self.silence = QPushButton(self.tr("Silence (Ctrl+M)"))
        self.silence.clicked.connect(self.silenceRequested.emit)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 2, 4, 2)
        lay.addWidget(self.counts)
        lay.addWidget(self.newest, 3)
        lay.addWidget(self.summary, 1)
        lay.addWidget(self.silence)
        self.setProperty("level", 0)

    def setLevel(self, level: int) -> None:
        if self.property("level") != level:
            self.setProperty("level", level)
            self.style().unpolish(self)
            self.style().polish(self)
            for w in (self.counts, self.newest, self.summary):
                w.style().unpolish(w)
                w.style().polish(w)


class AlarmPanel(QWidget):
    REFRESH_HZ = 5
    incidentRequested = Signal(list)
    """The operator asked to open an incident from (or link) the selected alarms' ids."""

    def __init__(
        self,
        alarms: AlarmService,
        session: Callable[[], Session | None],
        feeds: tuple[FeedConfig, ...],
        tz: ZoneInfo,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = alarms
        self._session = session
        """Who is acting now (asked at each command: the person on duty can change; None:
        nobody, and the service refuses with a reason shown in ``message``)."""
        self.feeds = feeds
        self.tz = tz
        self.lang = lang
        self.model = AlarmTableModel(feeds, tz, lang, self)
        self.table = _table(self.model)
        self.table.setObjectName("alarmTable")
        self.table.viewport().installEventFilter(self)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._size_columns()
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note (optional)"))
        self.ackButton = QPushButton(self.tr("Acknowledge (Ctrl+K)"))
        self.ackButton.clicked.connect(self.acknowledgeSelected)
        self.ackAllButton = QPushButton(self.tr("Acknowledge all (Ctrl+Shift+K)"))
        self.ackAllButton.clicked.connect(self.acknowledgeAll)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(
            self.tr("Reason (required to shelve or take out of service)")
        )
        self.duration = QComboBox()
        for secs in SHELVE_DURATIONS:
            self.duration.addItem(span_name(secs), secs)
        self.duration.setToolTip(self.tr("How long the shelf lasts"))
        self.shelveButton = QPushButton(self.tr("Shelve"))
        self.shelveButton.clicked.connect(self.shelveSelected)
        self.unshelveButton = QPushButton(self.tr("Unshelve"))
        self.unshelveButton.clicked.connect(self.unshelveSelected)
        self.oosButton = QPushButton(self.tr("Out of service"))
        self.oosButton.clicked.connect(self.removeSelected)
        self.risButton = QPushButton(self.tr("Return to service"))
        self.risButton.clicked.connect(self.restoreSelected)
        self.incidentButton = QPushButton(self.tr("Open incident… (Ctrl+I)"))
        self.incidentButton.setToolTip(
            self.tr("An incident from the selected alarms, or link them to an open one")
        )
        self.incidentButton.clicked.connect(self.requestIncident)
        self.message = ElidedLabel()
        self.message.setObjectName("alarmMessage")
        # Two rows of commands under the table: acknowledging, then shelving and
        # service; text fields shrink first so every button stays on screen.
        for field in (self.note, self.reason):
            field.setMinimumWidth(120)
        bar1 = QHBoxLayout()
        bar1.addWidget(self.note, 1)
        bar1.addWidget(self.ackButton)
        bar1.addWidget(self.ackAllButton)
        bar1.addWidget(self.incidentButton)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.reason, 1)
        bar2.addWidget(self.duration)
        bar2.addWidget(self.shelveButton)
        bar2.addWidget(self.unshelveButton)
        bar2.addWidget(self.oosButton)
        bar2.addWidget(self.risButton)
        current = QWidget()
        cl = QVBoxLayout(current)
        cl.setContentsMargins(2, 2, 2, 2)
        cl.setSpacing(3)
        cl.addWidget(self.table, 1)
        cl.addLayout(bar1)
        cl.addLayout(bar2)

        self.journal = JournalModel(feeds, tz, lang, self)
        self.journalView = _table(self.journal)
        self.journalView.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search the journal: feed id, user, note, event"))
        self.search.setMinimumWidth(120)
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
        self.journalStatus = ElidedLabel()
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

        self._size_journal_columns()
        self.tabs = QTabWidget()
        self.tabs.addTab(current, self.tr("Current alarms"))
        self.tabs.addTab(jw, self.tr("Journal"))
        # What the last command did, beside the tabs (no row of its own).
        self.message.setMinimumWidth(80)
        self.tabs.setCornerWidget(self.message, Qt.Corner.TopRightCorner)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)

    # --- commands ---------------------------------------------------------------------
    def _size_columns(self) -> None:
        """Severity, state, times and values as wide as their longest words in this
        language (never cut); the feed name takes the room left, the note a fair share."""
        bold = self.table.font()
        bold.setBold(True)  # unacknowledged rows are bold: measure them so
        fm = QFontMetrics(bold)
        pad = 28  # cell margins, the severity icon's share is added below

        def widest(texts: list[str]) -> int:
            return max(fm.horizontalAdvance(t) for t in texts) + pad

        cols = AlarmTableModel.COLUMNS
        headers = self.model.headers()
        sev = [severity_name(s) for s in (1, 2, 3)]
        states = [f"{STATE_SYMBOLS[s]} {alarm_state_name(s)}" for s in AlarmState]
        states.append(
            f"{STATE_SYMBOLS[AlarmState.SHELVED]} {alarm_state_name(AlarmState.SHELVED)} "
            + QCoreApplication.translate("Alarm", "until %1").replace("%1", "00/00 00:00")
        )
        values = [f"{f.valid_max:.{decimals(f.kind)}f} {unit_name(f.unit)}" for f in self.feeds]
        fixed = {
            "severity": widest([*sev, headers[0]]) + 20,
            "state": widest([*states, headers[1]]),
            "time": widest(["00/00 00:00:00", headers[2]]),
            "area": widest([f.area for f in self.feeds] + [headers[4]]),
            "rule": widest([alarm_rule_name(r) for r in ("high", "low", "roc", "stale")]),
            "now": min(widest([*values, headers[6]]), 125),
            "value": min(widest([*values, headers[7]]), 125),
            "acked": widest(["operator 00:00:00", headers[8]]),
        }
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        for name, width in fixed.items():
            c = cols.index(name)
            self.table.setColumnWidth(c, width)
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(cols.index("feed"), QHeaderView.ResizeMode.Stretch)
        # Never cut: severity, state, time, rule, values. These may give way (their
        # text elides, whole in the tooltip) before the feed name gets too narrow.
        self._natural = {name: w for name, w in fixed.items()}
        self._natural["note"] = min(260, widest([headers[9]]) + 120)
        self._least = {
            "area": widest([headers[4]]) - 8,
            "acked": widest([headers[8]]) - 8,
            "note": widest([headers[9]]),
        }
        self._share_rest()

    def _share_rest(self) -> None:
        """Give the feed name at least FEED_MIN_PX: the flexible columns (area,
        acknowledged by, note) shrink towards their headers' width first; a note gets
        more room only when the name has plenty (it is often empty)."""
        cols = AlarmTableModel.COLUMNS
        avail = self.table.viewport().width()
        widths = dict(self._natural)
        deficit = sum(widths.values()) + FEED_MIN_PX - avail
        for name in ("note", "acked", "area"):
            if deficit <= 0:
                break
            give = min(deficit, widths[name] - self._least[name])
            widths[name] -= give
            deficit -= give
        for name, w in widths.items():
            c = cols.index(name)
            if self.table.columnWidth(c) != w:
                self.table.setColumnWidth(c, w)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The table's viewport, once it has its new width (the panel's own resize
        # comes before its children are laid out).
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._share_rest()
        return False

    def _size_journal_columns(self) -> None:
        """As the alarm table: words never cut, the feed name takes the rest."""
        bold = self.journalView.font()
        bold.setBold(True)
        fm = QFontMetrics(bold)
        pad = 24
        headers = self.journal.headers()
        cols = JournalModel.COLUMNS

        def widest(texts: list[str]) -> int:
            return max(fm.horizontalAdvance(t) for t in texts) + pad

        values = [f"{f.valid_max:.{decimals(f.kind)}f} {unit_name(f.unit)}" for f in self.feeds]
        fixed = {
            "time": widest(["00/00 00:00:00", headers[0]]),
            "rule": widest([alarm_rule_name(r) for r in ("high", "low", "roc", "stale")]),
            "event": widest([alarm_event_name(e) for e in AlarmEvent] + [headers[3]]),
            "state": widest([alarm_state_name(s) for s in AlarmState] + [headers[4]]),
            "severity": widest([severity_name(s) for s in (1, 2, 3)] + [headers[5]]),
            "value": min(widest([*values, headers[6]]), 150),
            "user": widest(["operator@workstation", headers[7]]),
            "note": widest([headers[8]]) + 80,
        }
        header = self.journalView.horizontalHeader()
        header.setStretchLastSection(False)
        for name, width in fixed.items():
            self.journalView.setColumnWidth(cols.index(name), width)
        header.setSectionResizeMode(cols.index("feed"), QHeaderView.ResizeMode.Stretch)

    def setScale(self, scale: float) -> None:
        """Control-room scale: taller rows (the font grows with the style sheet)."""
        self.table.verticalHeader().setDefaultSectionSize(round(ROW_HEIGHT * scale))
        self._size_columns()

    # --- commands ---------------------------------------------------------------------
    def selectedIds(self) -> list[str]:
        return [i.data(AlarmIdRole) for i in self.table.selectionModel().selectedRows(0)]

    def _report(self, text: str, detail: str = "") -> None:
        self.message.setText(text)
        self.message.setToolTip(detail)

    def requestIncident(self) -> None:
        ids = self.selectedIds()
        if not ids:
            self._report(self.tr("Select alarms first."))
            return
        self.incidentRequested.emit(ids)

    def acknowledgeSelected(self) -> list[str]:
        return self._ack(self.selectedIds())

    def acknowledgeAll(self) -> list[str]:
        """Acknowledge every alarm the table shows that waits for it; say which."""
        waiting = [a.id for a in self.model.alarms() if a.state.unacknowledged]
        if not waiting:
            self._report(self.tr("Nothing to acknowledge: no alarm waits for it."))
            return []
        return self._ack(waiting, everything=True)

    def _describe(self, ids: list[str]) -> list[str]:
        by_id = {a.id: a for a in self.model.alarms()}
        out = []
        for alarm_id in ids:
            a = by_id.get(alarm_id)
            if a is None:
                out.append(alarm_id)
                continue
            if 0 <= a.feed < len(self.feeds):
                f = self.feeds[a.feed]
                name = f.name.vi if self.lang == "vi" else f.name.en
            else:  # an external alarm (an overdue procedure step): its source names it
                o = a.origin
                name = (o.name.vi if self.lang == "vi" else o.name.en) if o else a.id
            out.append(f"{name}: {alarm_rule_name(a.rule)} ({severity_name(a.severity)})")
        return out

    def _ack(self, ids: list[str], *, everything: bool = False) -> list[str]:
        if not ids:
            self._report(self.tr("Select alarms first."))
            return []
        described = self._describe(ids)
        try:
            done = self.service.acknowledge(self._session(), ids, self.note.text().strip())
        except ActionRefusedError as exc:
            self._report(refusal_text(exc, self.tz))
            return []
        self.model.setAlarms(self.service.current())  # show it now, not at the next tick
        what = "; ".join(d for d, i in zip(described, ids, strict=True) if i in set(done))
        if everything and not done:
            self._report(self.tr("Nothing to acknowledge: no alarm waits for it."))
            return []
        if everything:
            text = self.tr("Acknowledged %1: %2").replace("%1", str(len(done))).replace("%2", what)
        else:
            text = (
                self.tr("Acknowledged %1 of %2 selected.")
                .replace("%1", str(len(done)))
                .replace("%2", str(len(ids)))
            )
            if done:
                text += " " + what
        self._report(text, "\n".join(d for d, i in zip(described, ids, strict=True) if i in done))
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
        except ActionRefusedError as exc:
            self._report(refusal_text(exc, self.tz))
            return
        finally:
            self.model.setAlarms(self.service.current())
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
    def refresh(
        self,
        transitions: list[Transition],
        current: list[AlarmView] | None = None,
        values: npt.NDArray[np.float64] | None = None,
    ) -> None:
        """New rows and journal entries; ``current`` is the service's alarm list when the
        caller already has it (one ``current()`` per tick for the whole window)."""
        self.model.setAlarms(self.service.current() if current is None else current)
        if values is not None:
            self.model.setCurrentValues(values)
        if transitions and not self._filtered:
            self.journal.prepend(transitions)
            self.journalStatus.setText(
                self.tr("%1 entries").replace("%1", f"{self.journal.rowCount():,}")
            )

    def journalQuery(self) -> dict[str, Any]:
        """What the journal search asks the service: words matched, with or without
        diacritics, against feed names (both languages), areas, event names in this
        language, and in SQL against alarm id, user and note."""
        text = self.search.text().strip()
        feeds = []
        events = []
        if text:
            feeds = [
                f.id
                for f in self.feeds
                if matches(text, fold(" ".join((f.id, f.name.vi, f.name.en, f.area))))
            ]
            events = [e.value for e in AlarmEvent if matches(text, fold(alarm_event_name(e)))]
        return {
            "text": text,
            "text_feeds": feeds,
            "text_events": events,
            "min_severity": int(self.minSeverity.currentData()),
            "last_s": float(self.journalRange.currentData()),
        }

    def loadJournal(self) -> None:
        query = self.journalQuery()
        # New transitions are always inside a 'last N' range; text and severity filters
        # would need re-querying, so live appends pause while those are set.
        self._filtered = bool(query["text"] or query["min_severity"])
        # _ignore_errors: ``_journal_failed`` handles them (superqt would re-raise each
        # one in the GUI thread otherwise).
        worker = create_worker(
            self.service.journal, **query, _start_thread=False, _ignore_errors=True
        )
        worker.returned.connect(self._journal_loaded)
        worker.errored.connect(self._journal_failed)
        worker.start()
        self._worker = worker
        self.journalStatus.setText(self.tr("Loading…"))
        self.journalStatus.setToolTip("")

    def _journal_loaded(self, rows: list[dict[str, Any]]) -> None:
        self.journal.setRows(rows)
        self.journalStatus.setText(self.tr("%1 entries").replace("%1", f"{len(rows):,}"))

    def _journal_failed(self, exc: BaseException) -> None:
        """The rows shown stay; the operator learns they are not the ones asked for."""
        log.error("alarm journal not loaded: %s", exc)
        self.journalStatus.setText(
            self.tr("The journal could not be read; the rows shown are from before")
        )
        self.journalStatus.setToolTip(str(exc))


def banner_text(
    panel: AlarmPanel,
    banner: AlarmBanner,
    new: list[Transition],
    feeds: tuple[FeedConfig, ...],
    lang: str,
) -> None:
    """Fill the banner from the current alarms and this tick's new activations.

    "Unacknowledged" counts every alarm that waits for an operator: active ones and
    those that cleared before anyone acknowledged them (latched, ISA-18.2)."""
    alarms = panel.model.alarms()
    unack = [a for a in alarms if a.state.unacknowledged]
    by_sev = Counter(a.severity for a in alarms if a.active)
    banner.counts.setText(
        "   ".join(f"{'▲' * s} {severity_name(s)}: {by_sev.get(s, 0)}" for s in (3, 2, 1))
        + "   "
        + QCoreApplication.translate("AlarmBanner", "unacknowledged: %1").replace(
            "%1", str(len(unack))
        )
    )
    if unack:
        # The newest announced: a clearing later on is not a new alarm.
        newest = max(unack, key=lambda a: (a.activated_ms or a.since_ms, a.since_ms))
        if 0 <= newest.feed < len(feeds):
            f = feeds[newest.feed]
            name = f.name.vi if lang == "vi" else f.name.en
        else:  # an external alarm (an overdue procedure step)
            o = newest.origin
            name = (o.name.vi if lang == "vi" else o.name.en) if o else newest.id
        state = "" if newest.state == ACTIVE_UNACK else f", {alarm_state_name(newest.state)}"
        banner.newest.setText(
            f"{STATE_SYMBOLS[newest.state]} {name} — {alarm_rule_name(newest.rule)} "
            f"({severity_name(newest.severity)}{state})"
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
