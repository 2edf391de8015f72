"""The city IOC's directives: an inbox, unread first; a person marks each read or done.

The list comes from ``DirectiveService`` (in memory: no I/O on a refresh); the
panel redraws only when its revision moved, keeping the selection and the typed
note. Marking waits for the log's commit, so it runs in a worker; a refusal
(no permission, locked screen, already done) is shown in the panel. New
directives of high or urgent priority are counted for the annunciator.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.district.services.directives import DirectiveError, DirectiveService, DirectiveView
from console.district.ui.access_text import refusal_text
from console.shared.clock import Clock, time_ms
from console.shared.errors import ActionRefusedError
from console.shared.session import Session
from console.shared.vocab import DirectivePriority, DirectiveStep
from widgets.headed_table import HeadedTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1


class DirectiveModel(HeadedTableModel):
    COLUMNS = 6

    def __init__(self, tz: ZoneInfo, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.clock = clock
        self._rows: list[DirectiveView] = []
        self._headers = [
            self.tr("Priority"),
            self.tr("State"),
            self.tr("Issued"),
            self.tr("Directive"),
            self.tr("Due"),
            self.tr("From"),
        ]

    def setRows(self, rows: list[DirectiveView]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[DirectiveView]:
        return list(self._rows)

    def priorityText(self, p: DirectivePriority) -> str:
        # Shape and word, never colour alone.
        return {
            DirectivePriority.URGENT: "‼ " + self.tr("urgent"),
            DirectivePriority.HIGH: "! " + self.tr("high"),
            DirectivePriority.NORMAL: self.tr("normal"),
        }[p]

    def stateText(self, d: DirectiveView) -> str:
        if d.done:
            text = "✔ " + self.tr("done by %1").replace("%1", d.done_name or d.done_by)
        elif d.unread:
            text = "● " + self.tr("unread")
        else:
            text = "○ " + self.tr("read by %1").replace("%1", d.read_name or d.read_by)
        if d.overdue(time_ms(self.clock)):
            text += " · " + self.tr("OVERDUE")
        return text

    def _time(self, ms: int) -> str:
        return datetime.fromtimestamp(ms / 1000, self.tz).strftime("%H:%M %d/%m")

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        d = self._rows[index.row()]
        c = index.column()
        if role == IdRole:
            return d.id
        if role == Qt.ItemDataRole.FontRole and d.unread:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{d.id}\n{d.text}"
            if d.ref:
                tip += "\n" + self.tr("Answers escalation %1").replace("%1", d.ref)
            if d.done_note:
                tip += "\n" + self.tr("Note: %1").replace("%1", d.done_note)
            return tip
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if c == 0:
            return self.priorityText(d.priority)
        if c == 1:
            return self.stateText(d)
        if c == 2:
            return self._time(d.issued_ms)
        if c == 3:
            return d.text
        if c == 4:
            return self._time(d.due_ms) if d.due_ms is not None else "—"
        if c == 5:
            return d.issued_name or d.issued_by
        return None


class DirectivesPanel(QWidget):
    REFRESH_HZ = 1

    def __init__(
        self,
        directives: DirectiveService,
        session: Callable[[], Session | None],
        tz: ZoneInfo,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.directives = directives
        self._session = session
        self.tz = tz
        self._rev = -1
        self._seen: set[str] = set()
        self._worker: Any = None
        self.model = DirectiveModel(tz, clock, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        for col, w in enumerate((90, 190, 95, 520, 95, 160)):
            self.table.setColumnWidth(col, w)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note when done (what was done, by whom)"))
        self.readButton = QPushButton(self.tr("Mark read"))
        self.readButton.clicked.connect(lambda: self.mark(DirectiveStep.READ))
        self.doneButton = QPushButton(self.tr("Mark done"))
        self.doneButton.clicked.connect(lambda: self.mark(DirectiveStep.DONE))
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.note, 1)
        bar.addWidget(self.readButton)
        bar.addWidget(self.doneButton)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.table, 1)
        lay.addLayout(bar)
        lay.addWidget(self.status)

    def setCommandsEnabled(self, enabled: bool) -> None:
        self.readButton.setEnabled(enabled)
        self.doneButton.setEnabled(enabled)

    def refresh(self) -> int:
        """Redraw if the list changed; return how many new directives should sound."""
        rev = self.directives.rev
        if rev == self._rev:
            return 0
        self._rev = rev
        selected = self.selectedId()
        rows = self.directives.items()
        self.model.setRows(rows)
        if selected is not None:
            self.select(selected)
        new = [d for d in rows if d.id not in self._seen]
        self._seen.update(d.id for d in new)
        return sum(1 for d in new if d.unread and d.priority.sounds)

    def unread(self) -> int:
        return sum(1 for d in self.model.rows() if d.unread)

    def selectedId(self) -> str | None:
        rows = self.table.selectionModel().selectedRows(0)
        if not rows:
            return None
        value = rows[0].data(IdRole)
        return str(value) if value is not None else None

    def select(self, directive_id: str) -> None:
        for r, d in enumerate(self.model.rows()):
            if d.id == directive_id:
                self.table.selectRow(r)
                return

    def busy(self) -> bool:
        return self._worker is not None

    def mark(self, step: DirectiveStep) -> None:
        directive_id = self.selectedId()
        if directive_id is None:
            self.status.setText(self.tr("Select a directive first."))
            return
        if self._worker is not None:
            return
        note = self.note.text().strip() if step is DirectiveStep.DONE else ""
        worker = create_worker(
            self.directives.mark,
            self._session(),
            directive_id,
            step,
            note,
            _start_thread=False,
            _connect={"returned": self._marked, "errored": self._refused, "finished": self._done},
        )
        self._worker = worker
        worker.start()

    def _marked(self, d: DirectiveView) -> None:
        if d.done:
            self.note.clear()
        self.status.setText(
            (self.tr("Marked done: %1") if d.done else self.tr("Marked read: %1")).replace(
                "%1", d.id
            )
        )

    def _done(self) -> None:
        self._worker = None

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, DirectiveError):
            self.status.setText(
                self.tr("Already marked: %1").replace("%1", str(exc))
                if exc.code == "already"
                else self.tr("This directive is not at this console.")
            )
        elif isinstance(exc, ActionRefusedError):
            self.status.setText(refusal_text(exc, self.tz))
        else:
            self.status.setText(self.tr("Not saved: %1").replace("%1", str(exc)))
