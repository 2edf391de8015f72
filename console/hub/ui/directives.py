"""Directives out: compose one to one, several or all sites, and the per-site delivery board.

The board has one row per (directive, site): queued (in the hub, not yet in the
console's inbox), delivered (when), read (by whom), done (by whom, with their
note). It reloads in a worker when the hub's change counter moves (a new
directive, a console's ACK, a site's read or done mark all bump it), so every
IOC workstation sees the same board within a second. Sending runs in a worker
too, as the person on duty; a refusal (nobody on duty, locked, a role that may
not, an unknown site) is shown under the form and nothing is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.hub.services.downlink import Issued
from console.hub.services.workstation import DirectiveView, IocWorkstation
from console.hub.ui.access_text import refusal_text
from console.hub.ui.reading import OneRead
from console.hub.ui.text import CITY_TZ
from console.shared.errors import ActionRefusedError
from console.shared.records import MAX_DIRECTIVE_TEXT
from console.shared.vocab import DirectivePriority

translate = QCoreApplication.translate

DUE_CHOICES_MIN = (0, 30, 60, 120, 240, 480, 1440)
"""The due-time choices, in minutes from sending (0: none)."""
STATE_COLOURS = {"queued": "#c9a227", "delivered": "#8ab4f8", "read": "#7bc96f", "done": "#9aa0a6"}


class DirectivesPage(QWidget):
    """Compose (left) and the delivery board (right)."""

    REFRESH_HZ = 1
    """The board reloads at most once a second, and only when the hub's data moved."""

    def __init__(
        self,
        desk: IocWorkstation,
        site_name: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.siteName = site_name
        self._reader = OneRead(lambda: self.desk.directive_view, self.applyView, self._read_failed)
        self._sending: Any = None
        self.view: DirectiveView | None = None

        # -- compose ------------------------------------------------------------------
        self.allSites = QCheckBox(self.tr("All sites"))
        self.allSites.toggled.connect(self._all_toggled)
        self.sites = QListWidget()
        self.sites.setMinimumHeight(90)
        self.priority = QComboBox()
        for p in DirectivePriority:
            self.priority.addItem(priority_name(p.value), p.value)
        self.due = QComboBox()
        for minutes in DUE_CHOICES_MIN:
            self.due.addItem(due_choice_name(minutes), minutes)
        self.ref = QLineEdit()
        self.ref.setPlaceholderText(self.tr("optional: the escalation answered (CAP identifier)"))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(
            self.tr(
                "What the sites are asked to do (Vietnamese or English), e.g. Kiểm tra trạm bơm"
            )
        )
        self.sendButton = QPushButton(self.tr("Send directive"))
        self.sendButton.setObjectName("sendDirective")
        self.sendButton.clicked.connect(self.send)
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        box = QGroupBox(self.tr("New directive"))
        form = QFormLayout(box)
        form.addRow(self.allSites)
        form.addRow(self.tr("To"), self.sites)
        form.addRow(self.tr("Priority"), self.priority)
        form.addRow(self.tr("Due"), self.due)
        form.addRow(self.tr("Escalation"), self.ref)
        form.addRow(self.text)
        form.addRow(self.sendButton)
        form.addRow(self.message)

        # -- board --------------------------------------------------------------------
        self.board = QTableWidget(0, 7)
        self.board.setHorizontalHeaderLabels(
            [
                self.tr("Sent"),
                self.tr("Priority"),
                self.tr("Directive"),
                self.tr("Site"),
                self.tr("State"),
                self.tr("Read by"),
                self.tr("Done"),
            ]
        )
        self.board.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.board.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.board.verticalHeader().setVisible(False)
        self.board.verticalHeader().setDefaultSectionSize(22)
        self.board.setWordWrap(False)
        header = self.board.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the text takes the rest
        header.setStretchLastSection(False)
        for col, w in ((0, 80), (1, 100), (3, 100), (4, 115), (5, 150), (6, 170)):
            self.board.setColumnWidth(col, w)
        self.boardStatus = QLabel()
        self.boardStatus.setObjectName("hint")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Delivery board: per site, queued → delivered → read → done"))
        title.setObjectName("sectionTitle")
        rl.addWidget(title)
        rl.addWidget(self.board, 1)
        rl.addWidget(self.boardStatus)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(box)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([360, 900])
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(split)

    # -- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the sites and the board in a worker (one at a time; a change during a read
        reads again after it)."""
        self._reader.reload()

    def busy(self) -> bool:
        return self._reader.reading or self._sending is not None

    def _read_failed(self, exc: BaseException) -> None:
        self.boardStatus.setText(
            self.tr("Cannot read the board (retrying): %1").replace("%1", str(exc))
        )

    def applyView(self, view: DirectiveView) -> None:
        self.view = view
        self._fill_sites(view.sites)
        self._fill_board(view.board)

    def _fill_sites(self, sites: list[str]) -> None:
        current = [
            self.sites.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.sites.count())
        ]
        if current == sites:
            for i in range(self.sites.count()):  # names may arrive after the ids
                it = self.sites.item(i)
                it.setText(self._site_label(str(it.data(Qt.ItemDataRole.UserRole))))
            return
        checked = set(self.checkedSites())
        self.sites.clear()
        for sid in sites:
            it = QListWidgetItem(self._site_label(sid))
            it.setData(Qt.ItemDataRole.UserRole, sid)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if sid in checked else Qt.CheckState.Unchecked)
            self.sites.addItem(it)
        if not sites:
            self.message.setText(
                self.tr("No console is allowed in the hub's registry: there is no site to send to.")
            )

    def _site_label(self, sid: str) -> str:
        name = self.siteName(sid)
        return name if name == sid else f"{name} ({sid})"

    def _fill_board(self, board: list[dict[str, Any]]) -> None:
        rows = [(d, sid, t) for d in board for sid, t in sorted(d["sites"].items())]
        self.board.setRowCount(len(rows))
        now = self.desk.city.now_ms()
        for r, (d, sid, t) in enumerate(rows):
            read = ", ".join(_who(x) for x in t["read"])
            done = t["done"]
            cells = [
                _when(d["issued_ms"], now),
                priority_name(d["priority"]),
                d["text"],
                self.siteName(sid),
                state_name(t["state"]),
                read,
                "" if done is None else _who(done) + (f": {done['note']}" if done["note"] else ""),
            ]
            for c, value in enumerate(cells):
                item = self.board.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.board.setItem(r, c, item)
                item.setText(value)
                item.setToolTip(_tooltip(d, sid, t) if c in (2, 4) else value)
            colours = {4: STATE_COLOURS.get(t["state"], "#e8eaed")}
            if d["priority"] != DirectivePriority.NORMAL.value:
                colours[1] = "#f28b82"
            for c, colour in colours.items():
                cell = self.board.item(r, c)
                if cell is not None:
                    cell.setForeground(QBrush(QColor(colour)))
        counts = {s: 0 for s in STATE_COLOURS}
        for _, _, t in rows:
            counts[t["state"]] = counts.get(t["state"], 0) + 1
        self.boardStatus.setText(
            self.tr("%1 directives · %2 queued · %3 delivered · %4 read · %5 done")
            .replace("%1", str(len(board)))
            .replace("%2", str(counts["queued"]))
            .replace("%3", str(counts["delivered"]))
            .replace("%4", str(counts["read"]))
            .replace("%5", str(counts["done"]))
        )

    # -- sending ------------------------------------------------------------------------
    def prefill(self, sites: list[str], ref: str) -> None:
        """Address the form to ``sites`` answering escalation ``ref`` (the inbox's reply);
        the text stays for the person to write."""
        self.allSites.setChecked(False)
        for i in range(self.sites.count()):
            it = self.sites.item(i)
            on = it.data(Qt.ItemDataRole.UserRole) in sites
            it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.ref.setText(ref)
        self._say(
            self.tr("Answering escalation %1: write the directive and send it.").replace("%1", ref),
            bad=False,
        )
        self.text.setFocus()

    def _all_toggled(self, on: bool) -> None:
        self.sites.setEnabled(not on)

    def checkedSites(self) -> list[str]:
        return [
            str(self.sites.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.sites.count())
            if self.sites.item(i).checkState() == Qt.CheckState.Checked
        ]

    def targets(self) -> list[str]:
        if self.allSites.isChecked():
            return [
                str(self.sites.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.sites.count())
            ]
        return self.checkedSites()

    def send(self) -> None:
        """Check the form here (the service checks again), then send in a worker."""
        if self._sending is not None:
            return
        sites = self.targets()
        body = " ".join(self.text.toPlainText().split())
        problem = None
        if not sites:
            problem = self.tr("Choose at least one site, or all sites.")
        elif not body:
            problem = self.tr("Write what the sites are asked to do.")
        elif len(body) > MAX_DIRECTIVE_TEXT:
            problem = self.tr("The text is too long: at most %1 characters.").replace(
                "%1", str(MAX_DIRECTIVE_TEXT)
            )
        if problem:
            self._say(problem, bad=True)
            return
        minutes = int(self.due.currentData())
        due_ms = self.desk.city.now_ms() + minutes * 60_000 if minutes else None
        session = self.desk.access.duty().session
        worker = create_worker(
            self.desk.send_directive,
            session,
            sites,
            body,
            priority=DirectivePriority(self.priority.currentData()),
            due_ms=due_ms,
            ref=self.ref.text().strip(),
            _start_thread=False,
            _connect={"returned": self._sent, "errored": self._refused},
        )
        worker.finished.connect(self._send_done)
        self._sending = worker
        self.sendButton.setEnabled(False)
        self._say(self.tr("Sending…"), bad=False)
        worker.start()

    def _send_done(self, _: object = None) -> None:
        self._sending = None
        self.sendButton.setEnabled(True)

    def _sent(self, issued: Issued) -> None:
        names = ", ".join(self.siteName(s) for s in issued.seqs)
        self._say(
            self.tr("Directive %1 queued for %2; the hub delivers it.")
            .replace("%1", issued.id)
            .replace("%2", names),
            bad=False,
        )
        self.text.clear()
        self.ref.clear()
        self.reload()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ActionRefusedError):
            self._say(refusal_text(exc, CITY_TZ), bad=True)
        else:
            self._say(self.tr("Not sent: %1").replace("%1", str(exc)), bad=True)

    def _say(self, text: str, *, bad: bool) -> None:
        self.message.setText(text)
        self.message.setProperty("bad", bad)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)


def priority_name(p: str) -> str:
    names = {
        "normal": translate("Ioc", "normal"),
        "high": translate("Ioc", "high"),
        "urgent": translate("Ioc", "urgent"),
    }
    return names.get(p, p)


def state_name(state: str) -> str:
    names = {
        "queued": translate("Ioc", "queued"),
        "delivered": translate("Ioc", "delivered"),
        "read": translate("Ioc", "read"),
        "done": translate("Ioc", "done"),
    }
    return names.get(state, state)


def due_choice_name(minutes: int) -> str:
    if minutes == 0:
        return translate("Ioc", "no due time")
    if minutes < 60:
        return translate("Ioc", "in %1 min").replace("%1", str(minutes))
    return translate("Ioc", "in %1 h").replace("%1", str(minutes // 60))


def _who(x: dict[str, Any]) -> str:
    name = x.get("name") or x["user"]
    return f"{name} ({x['user']})" if name != x["user"] else name


def _when(ms: int, now_ms: int) -> str:
    t = datetime.fromtimestamp(ms / 1000, CITY_TZ)
    today = datetime.fromtimestamp(now_ms / 1000, CITY_TZ).date()
    return t.strftime("%H:%M:%S") if t.date() == today else t.strftime("%d/%m %H:%M")


def _tooltip(d: dict[str, Any], sid: str, t: dict[str, Any]) -> str:
    lines = [d["text"], f"{d['id']} · {d['issued_name'] or d['issued_by']} → {sid}"]
    if d["due_ms"]:
        due = datetime.fromtimestamp(d["due_ms"] / 1000, CITY_TZ).strftime("%H:%M %d/%m")
        lines.append(translate("Ioc", "due at %1").replace("%1", due))
    if d["ref"]:
        lines.append(translate("Ioc", "answers escalation %1").replace("%1", d["ref"]))
    return "\n".join(lines)
