"""City warnings out: write a CAP 1.2 warning for chosen sites, and what was sent.

The form asks for what a person knows (the event and the area in Vietnamese,
optionally in English, the severity, urgency, how long it holds, a headline
and an instruction); ``IocWorkstation.send_warning`` builds the CAP alert
(schema-valid, identifier from the hub id and the time) and queues it for the
sites as the person on duty — a supervisor's command (docs/ROLES.md). The
list of warnings sent, with their delivery per site, reloads with the hub's
change counter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
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
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.hub.services.downlink import Issued
from console.hub.services.workstation import IocWorkstation, WarningDraft, WarningView
from console.hub.ui.access_text import refusal_text
from console.hub.ui.directives import state_name
from console.hub.ui.reading import OneRead
from console.hub.ui.text import CITY_TZ
from console.shared import cap
from console.shared.errors import ActionRefusedError

translate = QCoreApplication.translate
EXPIRES_H = (1, 3, 6, 12, 24, 48)


def severity_name(s: str) -> str:
    names = {
        "Extreme": translate("Ioc", "extreme"),
        "Severe": translate("Ioc", "severe"),
        "Moderate": translate("Ioc", "moderate"),
        "Minor": translate("Ioc", "minor"),
    }
    return names.get(s, s)


def urgency_name(u: str) -> str:
    names = {
        "Immediate": translate("Ioc", "immediate"),
        "Expected": translate("Ioc", "expected (within the hour)"),
        "Future": translate("Ioc", "future"),
    }
    return names.get(u, u)


class WarningsPage(QWidget):
    REFRESH_HZ = 1
    """The list reloads at most once a second, and only when the hub's data moved."""

    def __init__(
        self, desk: IocWorkstation, site_name: Callable[[str], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.siteName = site_name
        self._reader = OneRead(lambda: self.desk.warning_view, self.applyView, self._read_failed)
        self._sending: Any = None

        self.sites = QListWidget()
        self.allSites = QCheckBox(self.tr("All sites"))
        self.allSites.toggled.connect(lambda on: self.sites.setEnabled(not on))
        self.sites.setMaximumHeight(110)
        self.eventVi = QLineEdit()
        self.eventVi.setPlaceholderText(self.tr("e.g. Lũ trên sông Hàn"))
        self.eventEn = QLineEdit()
        self.eventEn.setPlaceholderText(self.tr("optional, e.g. Flood on the Han river"))
        self.areaVi = QLineEdit()
        self.areaVi.setPlaceholderText(self.tr("wards, e.g. Hòa Xuân, Khuê Trung"))
        self.areaEn = QLineEdit()
        self.areaEn.setPlaceholderText(self.tr("optional"))
        self.severity = QComboBox()
        for s in (
            cap.Severity.EXTREME,
            cap.Severity.SEVERE,
            cap.Severity.MODERATE,
            cap.Severity.MINOR,
        ):
            self.severity.addItem(severity_name(s.value), s.value)
        self.severity.setCurrentIndex(1)
        self.urgency = QComboBox()
        for u in (cap.Urgency.IMMEDIATE, cap.Urgency.EXPECTED, cap.Urgency.FUTURE):
            self.urgency.addItem(urgency_name(u.value), u.value)
        self.urgency.setCurrentIndex(1)
        self.expires = QComboBox()
        for h in EXPIRES_H:
            self.expires.addItem(self.tr("%1 h").replace("%1", str(h)), h)
        self.expires.setCurrentIndex(2)
        self.headline = QLineEdit()
        self.headline.setPlaceholderText(self.tr("optional: one line for the banner"))
        self.instruction = QLineEdit()
        self.instruction.setPlaceholderText(self.tr("optional: what people should do"))
        self.exercise = QCheckBox(self.tr("Exercise (status Exercise, not Actual)"))
        self.sendButton = QPushButton(self.tr("Send city warning"))
        self.sendButton.setObjectName("sendWarning")
        self.sendButton.clicked.connect(self.send)
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        box = QGroupBox(self.tr("New city warning (CAP 1.2)"))
        form = QFormLayout(box)
        form.addRow(self.allSites)
        form.addRow(self.tr("To"), self.sites)
        form.addRow(self.tr("Event"), self.eventVi)
        form.addRow(self.tr("Event (English)"), self.eventEn)
        form.addRow(self.tr("Area"), self.areaVi)
        form.addRow(self.tr("Area (English)"), self.areaEn)
        form.addRow(self.tr("Severity"), self.severity)
        form.addRow(self.tr("Urgency"), self.urgency)
        form.addRow(self.tr("Holds for"), self.expires)
        form.addRow(self.tr("Headline"), self.headline)
        form.addRow(self.tr("Instruction"), self.instruction)
        form.addRow(self.exercise)
        form.addRow(self.sendButton)
        form.addRow(self.message)
        scroll = QScrollArea()  # the form fits 1366×768; a smaller window scrolls it
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Sent"), self.tr("Severity"), self.tr("Event"), self.tr("Sites")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, w in ((0, 110), (1, 100), (2, 260)):
            self.table.setColumnWidth(col, w)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("City warnings sent, and their delivery per site"))
        title.setObjectName("sectionTitle")
        rl.addWidget(title)
        rl.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([420, 900])
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(split)

    # -- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        self._reader.reload()

    def busy(self) -> bool:
        return self._reader.reading or self._sending is not None

    def _read_failed(self, exc: BaseException) -> None:
        self._say(self.tr("Cannot read the warnings (retrying): %1").replace("%1", str(exc)), True)

    def applyView(self, view: WarningView) -> None:
        have = [
            self.sites.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.sites.count())
        ]
        if have != view.sites:
            self.sites.clear()
            for sid in view.sites:
                name = self.siteName(sid)
                it = QListWidgetItem(name if name == sid else f"{name} ({sid})")
                it.setData(Qt.ItemDataRole.UserRole, sid)
                it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                it.setCheckState(Qt.CheckState.Unchecked)
                self.sites.addItem(it)
        self.table.setRowCount(len(view.warnings))
        for r, w in enumerate(view.warnings):
            sent = datetime.fromtimestamp(w["issued_ms"] / 1000, CITY_TZ).strftime("%d/%m %H:%M")
            sites = ", ".join(
                f"{self.siteName(s)}: {state_name(t['state'])}"
                for s, t in sorted(w["sites"].items())
            )
            event = w["event"] + (f" ({w['status']})" if w["status"] != "Actual" else "")
            for c, value in enumerate((sent, severity_name(w["severity"]), event, sites)):
                item = self.table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(r, c, item)
                item.setText(value)
                item.setToolTip(f"{w['sender']},{w['identifier']}\n{value}")

    # -- sending ------------------------------------------------------------------------
    def targets(self) -> list[str]:
        items = [self.sites.item(i) for i in range(self.sites.count())]
        return [
            str(it.data(Qt.ItemDataRole.UserRole))
            for it in items
            if self.allSites.isChecked() or it.checkState() == Qt.CheckState.Checked
        ]

    def send(self) -> None:
        if self._sending is not None:
            return
        sites = self.targets()
        if not sites:
            self._say(self.tr("Choose at least one site, or all sites."), True)
            return
        if not self.eventVi.text().strip() or not self.areaVi.text().strip():
            self._say(self.tr("A warning needs its event and its area (in Vietnamese)."), True)
            return
        draft = WarningDraft(
            event_vi=self.eventVi.text(),
            area_vi=self.areaVi.text(),
            severity=cap.Severity(self.severity.currentData()),
            urgency=cap.Urgency(self.urgency.currentData()),
            expires_h=float(self.expires.currentData()),
            event_en=self.eventEn.text(),
            area_en=self.areaEn.text(),
            headline_vi=self.headline.text(),
            instruction_vi=self.instruction.text(),
            exercise=self.exercise.isChecked(),
        )
        worker = create_worker(
            self.desk.send_warning,
            self.desk.access.duty().session,
            sites,
            draft,
            _start_thread=False,
            _connect={"returned": self._sent, "errored": self._refused},
        )
        worker.finished.connect(self._send_done)
        self._sending = worker
        self.sendButton.setEnabled(False)
        self._say(self.tr("Sending…"), False)
        worker.start()

    def _send_done(self, _: object = None) -> None:
        self._sending = None
        self.sendButton.setEnabled(True)

    def _sent(self, issued: Issued) -> None:
        names = ", ".join(self.siteName(s) for s in issued.seqs)
        self._say(
            self.tr("Warning %1 queued for %2; the hub delivers it.")
            .replace("%1", issued.id)
            .replace("%2", names),
            False,
        )
        for f in (
            self.eventVi,
            self.eventEn,
            self.areaVi,
            self.areaEn,
            self.headline,
            self.instruction,
        ):
            f.clear()
        self.reload()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ActionRefusedError):
            self._say(refusal_text(exc, CITY_TZ), True)
        else:
            self._say(self.tr("Not sent: %1").replace("%1", str(exc)), True)

    def _say(self, text: str, bad: bool) -> None:
        self.message.setText(text)
        self.message.setProperty("bad", bad)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
