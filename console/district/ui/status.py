"""The status bar: city link lamp, ingest rate, rejects by reason (click for details),
write lag, the log's disk (free space, log size, readings not stored), alarm sound, data dir.

Every item may shrink (its words elide, the whole text in its tooltip): on a
1366-pixel screen the bar must never make the window wider than the screen.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.district.services.app import IngestStats
from console.district.services.disk import format_size
from console.district.services.link import LinkView
from console.district.ui.i18n import reject_reason_name
from widgets.elided_label import ElidedLabel
from widgets.link_lamp import LinkLamp

ReasonCodeRole = Qt.ItemDataRole.UserRole


class RejectsDialog(QDialog):
    """Non-modal: the operator keeps working while it is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rejected input"))
        self.setModal(False)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Reason"), self.tr("Count"), self.tr("Last sample (as received)")]
        )
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 260)
        self.table.verticalHeader().setVisible(False)
        lay = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Readings and messages refused by the console, by reason (docs/PROTOCOL.md §1.5)."
            )
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        lay.addWidget(self.table)
        self.resize(760, 320)

    def setData(self, counts: dict[str, int], samples: dict[str, str]) -> None:
        rows = sorted(counts.items(), key=lambda kv: -kv[1])
        self.table.setRowCount(len(rows))
        for r, (reason, n) in enumerate(rows):
            item = QTableWidgetItem(reject_reason_name(reason))
            item.setToolTip(self.tr("Code: %1 (docs/PROTOCOL.md §1.5)").replace("%1", reason))
            item.setData(ReasonCodeRole, reason)
            self.table.setItem(r, 0, item)
            self.table.setItem(r, 1, QTableWidgetItem(f"{n:,}"))
            self.table.setItem(r, 2, QTableWidgetItem(samples.get(reason, "")))


class StatusPanel(QWidget):
    REFRESH_HZ = 1

    def __init__(
        self, data_dir: str, timezone: str = "Asia/Ho_Chi_Minh", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tz = ZoneInfo(timezone)
        self.link = LinkLamp()
        self.rate = QLabel()
        self.rejects = QPushButton()
        self.rejects.setFlat(True)
        self.rejects.setObjectName("rejectsButton")
        self.lag = ElidedLabel()
        # Never elided: free space and "readings NOT STORED" must be read whole; the
        # write lag and the data directory give way first.
        self.disk = QLabel()
        self.disk.setObjectName("diskLabel")
        self.sound = QLabel()
        self.sound.setObjectName("soundOff")
        self.sound.hide()
        self.dir = ElidedLabel(self.tr("Log: %1").replace("%1", data_dir))
        self.dir.setObjectName("hint")
        self.dir.setElideMode(Qt.TextElideMode.ElideMiddle)
        self.rate.setMinimumWidth(40)
        self.rejects.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.rejects.setMinimumWidth(60)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.addWidget(self.link)
        lay.addWidget(self.rate)
        lay.addWidget(self.rejects)
        lay.addWidget(self.lag, 2)
        lay.addWidget(self.disk)
        lay.addWidget(self.sound)
        lay.addWidget(self.dir, 1)
        self.dialog = RejectsDialog(self)
        self.rejects.clicked.connect(self.dialog.show)

    def set_sound(self, available: bool, reason: str) -> None:
        """Say in the bar, not only in a log line, that alarms make no sound here."""
        self.sound.setVisible(not available)
        if not available:
            self.sound.setText("✕♪ " + self.tr("No alarm sound"))
            self.sound.setToolTip(
                self.tr("Alarms are shown without sound on this workstation: %1").replace(
                    "%1", reason
                )
            )

    def update_stats(
        self, st: IngestStats, rate: float, samples: dict[str, str], since_commit: float
    ) -> None:
        self.rate.setText(self.tr("Ingest: %1 readings/s").replace("%1", f"{rate:,.0f}"))
        total = sum(st.readings_rejected.values())
        self.rejects.setText(self.tr("Rejected: %1").replace("%1", f"{total:,}"))
        self.rejects.setProperty("alert", total > 0)
        self.rejects.style().unpolish(self.rejects)
        self.rejects.style().polish(self.rejects)
        if st.readings_pending:
            self.lag.setText(
                self.tr("Write lag: %1 readings, %2 s")
                .replace("%1", f"{st.readings_pending:,}")
                .replace("%2", f"{since_commit:.1f}")
            )
        else:
            self.lag.setText(
                self.tr("Log: all committed (%1 stored)").replace("%1", f"{st.readings_stored:,}")
            )
        if st.commit_failures:
            self.lag.setText(
                self.lag.text()
                + " · "
                + self.tr("%1 commit retries").replace("%1", str(st.commit_failures))
            )
        self.update_disk(st)
        self.dialog.setData(st.readings_rejected, samples)

    def update_disk(self, st: IngestStats) -> None:
        """Free space and the log's size; loud when the log cannot take readings."""
        d = st.disk
        if not d.total_bytes:
            self.disk.setText("")
            return
        text = (
            self.tr("Disk: %1 free · log %2")
            .replace("%1", format_size(d.free_bytes))
            .replace("%2", format_size(d.log_bytes))
        )
        if d.state in ("full", "failing"):
            text = self.tr("LOG CANNOT WRITE") + " · " + text
        elif d.state in ("low", "critical"):
            text = self.tr("DISK LOW") + " · " + text
        if st.readings_dropped:
            text += " · " + self.tr("%1 readings NOT STORED").replace(
                "%1", f"{st.readings_dropped:,}"
            )
        self.disk.setText(text)
        self.disk.setToolTip(d.error)
        alert = d.state != "ok" or st.readings_dropped > 0
        if self.disk.property("alert") != alert:
            self.disk.setProperty("alert", alert)
            self.disk.style().unpolish(self.disk)
            self.disk.style().polish(self.disk)

    def _clock(self, ts: float, fmt: str) -> str:
        return dt.datetime.fromtimestamp(ts, self._tz).strftime(fmt)

    def update_link(self, v: LinkView, now: float) -> None:
        """Lamp state, backlog, oldest unsent age and last ack, in the site's time zone."""
        lamp = self.link
        if not v.configured:
            lamp.setState("off")
            lamp.setText(self.tr("IOC link: not configured"))
            lamp.setDetail("")
            lamp.setToolTip(self.tr("This site file has no [uplink] section (docs/CONFIG.md)."))
            return
        # "since 09:05", or with the date once the loss is most of a day old.
        since_fmt = "%d/%m %H:%M" if now - v.since > 20 * 3600 else "%H:%M"
        if v.state == "online":
            head = self.tr("IOC: online")
        elif v.state == "refused":
            head = self.tr("IOC: REFUSED since %1").replace("%1", self._clock(v.since, since_fmt))
        elif v.state == "offline":
            head = self.tr("IOC: OFFLINE since %1").replace("%1", self._clock(v.since, since_fmt))
        else:
            head = self.tr("IOC: connecting…")
        parts = [self.tr("backlog %1").replace("%1", f"{v.backlog:,}")]
        age = v.oldest_unsent_age_s
        if age is not None and v.backlog:
            if age < 90:
                parts.append(self.tr("oldest %1 s").replace("%1", f"{age:.0f}"))
            elif age < 90 * 60:
                parts.append(self.tr("oldest %1 min").replace("%1", f"{age / 60:.0f}"))
            else:
                parts.append(self.tr("oldest %1 h").replace("%1", f"{age / 3600:.1f}"))
        if v.last_ack:
            parts.append(self.tr("last ack %1").replace("%1", self._clock(v.last_ack, "%H:%M:%S")))
        else:
            parts.append(self.tr("no ack yet"))
        state = v.state if v.state in ("online", "connecting", "offline", "refused") else "off"
        if v.backlog_high and state == "online":
            state = "warning"
        if v.backlog_high:
            parts.insert(0, self.tr("BACKLOG ABOVE %1").replace("%1", f"{v.backlog_warn:,}"))
        lamp.setState(state)
        lamp.setText(head)
        lamp.setDetail(" · ".join(parts))
        lamp.setToolTip(f"{v.hub} ({v.console_id})\n{v.detail}")
