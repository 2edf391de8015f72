"""The escalation inbox: what the districts escalated, who at the IOC handles it, and the answers.

The list is the hub's (``EscalationWork.items`` through ``IocWorkstation.inbox_view``),
read in a worker whenever the hub's change counter moves, so every IOC
workstation shows the same states and people within a second of a change made
at any of them. A message that arrives while the window is open sounds once
(widgets/annunciator.py; a workstation without audio says so under the list)
and the banner flashes until someone — here or at another workstation — takes
it or assigns it. The chosen message's CAP is shown readably, Vietnamese first
(console/hub/ui/cap_text.py), with what the IOC did with it. Take, assign,
acknowledge (with a note that goes down to the district) run in a worker as the
person on duty; a refusal is shown in words and changes nothing. "Reply with a
directive" hands the site and the message's identifier to the directive page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.hub.services.escalations import MAX_NOTE
from console.hub.services.workstation import InboxView, IocWorkstation
from console.hub.ui.access_text import refusal_text
from console.hub.ui.cap_text import alert_html, events_html, msg_type_name
from console.hub.ui.city_warnings import severity_name
from console.hub.ui.reading import OneRead
from console.hub.ui.text import CITY_TZ, clock_time
from console.shared.errors import ActionRefusedError
from widgets.annunciator import Annunciator

translate = QCoreApplication.translate

KeyRole = Qt.ItemDataRole.UserRole + 1
STATE_COLOURS = {"open": "#ff8a80", "taken": "#f2c14e", "acknowledged": "#7bc96f"}
STATE_SYMBOLS = {"open": "●", "taken": "◐", "acknowledged": "✓"}
FLASH_MS = 500
COLUMNS = 8
ACTIONS_WIDTH = 270


def state_name(state: str) -> str:
    names = {
        "open": translate("Ioc", "new"),
        "taken": translate("Ioc", "being handled"),
        "acknowledged": translate("Ioc", "acknowledged"),
    }
    return names.get(state, state)


def _waiting(item: dict[str, Any]) -> bool:
    """A message nobody has taken that asks something of the IOC (a Cancel withdraws)."""
    return bool(item["state"] == "open" and item["msg_type"] != "Cancel")


class EscalationInbox(QWidget):
    """The list (top), the chosen message (below) and the commands beside it."""

    REFRESH_HZ = 1
    """Reloads when the hub's data moved (the window passes each snapshot's counter)."""
    replyRequested = Signal(str, str)
    """(site, escalation identifier): compose a directive answering it."""
    arrived = Signal(int)
    """New messages appeared in the list since the last read."""
    shown = Signal(object)
    """An ``InboxView`` is on screen (the bench times a new escalation by it)."""

    def __init__(
        self,
        desk: IocWorkstation,
        site_name: Callable[[str], str],
        lang: str,
        annunciator: Annunciator | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.siteName = site_name
        self.lang = lang
        self.annunciator = annunciator if annunciator is not None else Annunciator()
        self.view: InboxView | None = None
        self._reader = OneRead(self._read_job, self.applyView, self._read_failed)
        self._acting: Any = None
        self._seen: set[tuple[str, str]] | None = None
        self._chosen: tuple[str, str] | None = None
        self._flash_on = False

        # -- banner: new escalations nobody has taken --------------------------------
        self.banner = QLabel()
        self.banner.setObjectName("inboxBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.flash = QTimer(self, interval=FLASH_MS)
        self.flash.timeout.connect(self._toggle_flash)

        # -- the list -------------------------------------------------------------------
        self.table = QTableWidget(0, COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("State"),
                self.tr("Site"),
                self.tr("Event"),
                self.tr("Severity"),
                self.tr("Headline"),
                self.tr("Received"),
                self.tr("Handled by"),
                self.tr("Agency"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for col, w in ((0, 130), (1, 100), (2, 150), (3, 150), (5, 90), (6, 150), (7, 200)):
            self.table.setColumnWidth(col, w)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.listStatus = QLabel()
        self.listStatus.setObjectName("hint")
        self.listStatus.setWordWrap(True)
        self.sound = QLabel()
        self.sound.setObjectName("hint")
        self.sound.setWordWrap(True)
        if not self.annunciator.available:
            self.sound.setText(
                "✕♪ "
                + self.tr("No escalation sound on this workstation: %1").replace(
                    "%1", self.annunciator.reason
                )
            )
        self.sound.setVisible(not self.annunciator.available)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.listStatus)
        ll.addWidget(self.sound)

        # -- the chosen message and the commands ----------------------------------------
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText(self.tr("Choose an escalation in the list."))
        self.takeButton = QPushButton(self.tr("Take"))
        self.takeButton.setToolTip(self.tr("You handle this escalation from now (others see it)."))
        self.takeButton.clicked.connect(self.take)
        self.agency = QComboBox()
        for aid, names in sorted(desk.agencies.items()):
            self.agency.addItem(names.vi if lang == "vi" else names.en, aid)
        self.assignButton = QPushButton(self.tr("Assign"))
        self.assignButton.clicked.connect(self.assign)
        if not desk.agencies:
            self.agency.addItem(self.tr("no agencies in the hub file"), "")
            self.agency.setEnabled(False)
            self.assignButton.setEnabled(False)
            self.assignButton.setToolTip(
                self.tr("Add an [agencies] table to the hub file to assign escalations.")
            )
        self.note = QLineEdit()
        self.note.setMaxLength(MAX_NOTE)
        self.note.setPlaceholderText(
            self.tr("Note for the district (sent with the acknowledgement)")
        )
        self.ackButton = QPushButton(self.tr("Acknowledge"))
        self.ackButton.clicked.connect(self.acknowledge)
        self.replyButton = QPushButton(self.tr("Reply with a directive…"))
        self.replyButton.clicked.connect(self.reply)
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        # Commands in a column beside the message: the list above keeps the full width.
        panel = QWidget()
        panel.setFixedWidth(ACTIONS_WIDTH)
        al = QVBoxLayout(panel)
        al.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.takeButton,
            self.agency,
            self.assignButton,
            self.note,
            self.ackButton,
            self.replyButton,
            self.message,
        ):
            al.addWidget(widget)
        al.addStretch(1)
        bottom = QWidget()
        bl = QHBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.detail, 1)
        bl.addWidget(panel)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(left)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.banner)
        lay.addWidget(split, 1)
        self._enable()

    # -- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the list (and the chosen message) in a worker, one read at a time; a change
        during a read reads again after it."""
        self._reader.reload()

    def _read_job(self) -> Callable[[], InboxView]:
        chosen = self._chosen  # what is chosen when the read starts
        return lambda: self.desk.inbox_view(chosen)

    def busy(self) -> bool:
        return self._reader.reading or self._acting is not None

    def stop(self) -> None:
        self.flash.stop()
        self.annunciator.stop()

    def _read_failed(self, exc: BaseException) -> None:
        self.listStatus.setText(
            self.tr("Cannot read the escalations (retrying): %1").replace("%1", str(exc))
        )

    def applyView(self, view: InboxView) -> None:
        self.view = view
        keys = [(i["sender"], i["identifier"]) for i in view.items]
        if self._seen is None:  # the first read: what was there before the window opened
            self._seen = set(keys)
        else:
            new = [k for k, i in zip(keys, view.items, strict=True) if k not in self._seen]
            self._seen.update(new)
            if new:
                self.arrived.emit(len(new))
                if any(_waiting(i) for i in view.items if (i["sender"], i["identifier"]) in new):
                    self.annunciator.announce()
        self._fill(view.items)
        self._banner(view.items)
        self._show_detail()
        self._enable()
        self.shown.emit(view)

    def _fill(self, items: list[dict[str, Any]]) -> None:
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(items))
            now = self.desk.city.now_ms()
            agencies = self._agency_names()
            selected_row = -1
            for r, it in enumerate(items):
                key = (it["sender"], it["identifier"])
                if key == self._chosen:
                    selected_row = r
                handler = it["acknowledged_name"] or it["taken_name"] or it["taken_by"] or ""
                event = it["event"]
                if it["msg_type"] != "Alert":
                    event = f"{event} ({msg_type_name(it['msg_type'])})"
                cells = [
                    f"{STATE_SYMBOLS.get(it['state'], '')} {state_name(it['state'])}",
                    self.siteName(it["site"]),
                    event,
                    severity_name(it["severity"]),
                    it["headline"],
                    clock_time(it["received_ms"], now),
                    handler,
                    agencies.get(it["agency"] or "", it["agency"] or ""),
                ]
                for c, value in enumerate(cells):
                    item = self.table.item(r, c)
                    if item is None:
                        item = QTableWidgetItem()
                        self.table.setItem(r, c, item)
                    item.setText(value)
                    item.setToolTip(value if c != 4 else f"{value}\n{it['identifier']}")
                    item.setData(KeyRole, key)
                state_cell = self.table.item(r, 0)
                if state_cell is not None:
                    colour = STATE_COLOURS.get(it["state"], "#e8eaed")
                    state_cell.setForeground(QBrush(QColor(colour)))
            if selected_row >= 0:
                self.table.selectRow(selected_row)
            else:
                self.table.clearSelection()
        finally:
            self.table.blockSignals(False)
        counts = {s: sum(1 for i in items if i["state"] == s) for s in STATE_COLOURS}
        self.listStatus.setText(
            self.tr("Escalations: %1 · new %2 · being handled %3 · acknowledged %4")
            .replace("%1", str(len(items)))
            .replace("%2", str(counts["open"]))
            .replace("%3", str(counts["taken"]))
            .replace("%4", str(counts["acknowledged"]))
            if items
            else self.tr("No escalation has reached the hub.")
        )

    def _banner(self, items: list[dict[str, Any]]) -> None:
        waiting = [i for i in items if _waiting(i)]
        if not waiting:
            self.banner.setVisible(False)
            self.flash.stop()
            self._set_flash(False)
            return
        newest = waiting[0]
        self.banner.setText(
            "▲ "
            + self.tr("New escalations nobody has taken: %1 — newest: %2, %3")
            .replace("%1", str(len(waiting)))
            .replace("%2", self.siteName(newest["site"]))
            .replace("%3", newest["headline"] or newest["event"])
        )
        self.banner.setVisible(True)
        if not self.flash.isActive():
            self.flash.start()

    def flashing(self) -> bool:
        return self.flash.isActive()

    def _toggle_flash(self) -> None:
        self._set_flash(not self._flash_on)

    def _set_flash(self, on: bool) -> None:
        self._flash_on = on
        self.banner.setProperty("flash", on)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    # -- the chosen message ------------------------------------------------------------
    def chosen(self) -> dict[str, Any] | None:
        if self.view is None or self._chosen is None:
            return None
        return next(
            (i for i in self.view.items if (i["sender"], i["identifier"]) == self._chosen), None
        )

    def choose(self, sender: str, identifier: str) -> None:
        """Show this message (and read its CAP and events)."""
        self._chosen = (sender, identifier)
        self.reload()

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.table.item(rows[0].row(), 0)
        key = item.data(KeyRole) if item is not None else None
        if key and tuple(key) != self._chosen:
            self.message.clear()
            self.choose(str(key[0]), str(key[1]))

    def _show_detail(self) -> None:
        item = self.chosen()
        d = self.view.detail if self.view is not None else None
        if item is None or d is None or (d.sender, d.identifier) != self._chosen:
            if item is None:
                self.detail.clear()
            return
        body = ""
        if d.alert is not None:
            body = alert_html(d.alert)
        elif d.problem:
            body = self.tr("The message cannot be read again: %1").replace("%1", d.problem)
        now = self.desk.city.now_ms()
        html = body + events_html(d.events, item, self._agency_names(), now)
        if self.detail.toHtml() != html:
            bar = self.detail.verticalScrollBar()
            pos = bar.value()
            self.detail.setHtml(html)
            bar.setValue(pos)

    def detailText(self) -> str:
        return self.detail.toPlainText()

    def _agency_names(self) -> dict[str, str]:
        return {aid: n.vi if self.lang == "vi" else n.en for aid, n in self.desk.agencies.items()}

    def _enable(self) -> None:
        item = self.chosen()
        acting = self._acting is not None
        open_ = item is not None and item["state"] != "acknowledged"
        self.takeButton.setEnabled(open_ and not acting)
        self.assignButton.setEnabled(open_ and not acting and bool(self.desk.agencies))
        self.ackButton.setEnabled(open_ and not acting)
        self.note.setEnabled(open_)
        self.replyButton.setEnabled(item is not None)

    # -- commands -------------------------------------------------------------------------
    def take(self) -> None:
        self._act(self.desk.take_escalation, (), self.tr("You are handling %1."))

    def assign(self) -> None:
        agency = str(self.agency.currentData() or "")
        self._act(
            self.desk.assign_escalation,
            (agency,),
            self.tr("%1 assigned to %2.").replace("%2", self.agency.currentText()),
        )

    def acknowledge(self) -> None:
        note = " ".join(self.note.text().split())
        self._act(
            self.desk.acknowledge_escalation,
            (note,),
            self.tr("%1 acknowledged; the acknowledgement goes down to the district."),
            clear_note=True,
        )

    def reply(self) -> None:
        item = self.chosen()
        if item is not None:
            self.replyRequested.emit(item["site"], item["identifier"])

    def _act(
        self,
        fn: Callable[..., Any],
        extra: tuple[Any, ...],
        done_text: str,
        *,
        clear_note: bool = False,
    ) -> None:
        item = self.chosen()
        if item is None or self._acting is not None:
            return
        session = self.desk.access.duty().session
        ident = item["identifier"]

        def done(_: object = None) -> None:
            self._say(done_text.replace("%1", ident), bad=False)
            if clear_note:
                self.note.clear()
            self.reload()

        worker = create_worker(
            fn,
            session,
            item["sender"],
            ident,
            *extra,
            _start_thread=False,
            _connect={"returned": done, "errored": self._refused},
        )
        worker.finished.connect(self._act_done)
        self._acting = worker
        self._enable()
        self._say(self.tr("Sending…"), bad=False)
        worker.start()

    def _act_done(self, _: object = None) -> None:
        self._acting = None
        self._enable()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ActionRefusedError):
            self._say(refusal_text(exc, CITY_TZ), bad=True)
        else:
            self._say(self.tr("Not done: %1").replace("%1", str(exc)), bad=True)

    def _say(self, text: str, *, bad: bool) -> None:
        self.message.setText(text)
        self.message.setProperty("bad", bad)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
