"""The status bar: ingest rate, rejects by reason (click for details), write lag, data dir."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.core.engine import EngineStats


class RejectsDialog(QDialog):
    """Non-modal: the operator keeps working while it is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rejected input"))
        self.setModal(False)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Reason"), self.tr("Count"), self.tr("Last sample")]
        )
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 170)
        self.table.verticalHeader().setVisible(False)
        lay = QVBoxLayout(self)
        lay.addWidget(
            QLabel(
                self.tr(
                    "Readings and messages refused by the console, by reason (docs/PROTOCOL.md §1.5)."
                )
            )
        )
        lay.addWidget(self.table)
        self.resize(760, 320)

    def setData(self, counts: dict[str, int], samples: dict[str, str]) -> None:
        rows = sorted(counts.items(), key=lambda kv: -kv[1])
        self.table.setRowCount(len(rows))
        for r, (reason, n) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(reason))
            self.table.setItem(r, 1, QTableWidgetItem(f"{n:,}"))
            self.table.setItem(r, 2, QTableWidgetItem(samples.get(reason, "")))


class StatusPanel(QWidget):
    def __init__(self, data_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rate = QLabel()
        self.rejects = QPushButton()
        self.rejects.setFlat(True)
        self.rejects.setObjectName("rejectsButton")
        self.lag = QLabel()
        self.dir = QLabel(self.tr("Log: %1").replace("%1", data_dir))
        self.dir.setObjectName("hint")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        for w in (self.rate, self.rejects, self.lag):
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addWidget(self.dir)
        self.dialog = RejectsDialog(self)
        self.rejects.clicked.connect(self.dialog.show)

    def update_stats(
        self, st: EngineStats, rate: float, samples: dict[str, str], since_commit: float
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
        self.dialog.setData(st.readings_rejected, samples)
