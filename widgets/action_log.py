"""An action log in the window: search who did what, and check the hash chain.

Both products show their log this way (the district console's site log, the
city IOC's in the hub database): queries and the chain check read SQL, so
they run in a worker thread; the table is a plain model with fixed row heights
(a log grows for years; a search returns at most ``LIMIT`` rows, newest
first). Reading it needs a session (the services refuse otherwise and the
panel says so). The product gives the calls and its words (``ActionLogWords``):
no application state here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from widgets.headed_table import HeadedTableModel


class ActionLogWords(Protocol):
    """A product's words for its log (the codes its services write)."""

    @property
    def groups(self) -> Mapping[str, tuple[str, ...]]:
        """Filter choices: group → the actions in it."""
        ...

    def group_name(self, group: str) -> str: ...
    def action_name(self, action: str) -> str: ...
    def roles_name(self, roles: str) -> str: ...
    def value_text(self, action: str, value: str) -> str: ...
    def note_text(self, note: str, tz: ZoneInfo) -> str: ...
    def person_text(self, user: str, name: str, authenticated: bool) -> str: ...
    def refusal(self, exc: BaseException) -> str | None:
        """A refusal in words (None: an error, not a refusal)."""
        ...


class ChainHeadLike(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def hash(self) -> str: ...


class ProblemLike(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def kind(self) -> str: ...


class VerifyReportLike(Protocol):
    """What a chain check says (console.shared.action_chain.VerifyReport)."""

    @property
    def ok(self) -> bool: ...
    @property
    def entries(self) -> int: ...
    @property
    def head(self) -> ChainHeadLike: ...
    @property
    def first_bad(self) -> ProblemLike | None: ...
    @property
    def problems(self) -> list[Any]: ...


LIMIT = 5000
AnyIndex = QModelIndex | QPersistentModelIndex


class ActionLogModel(HeadedTableModel):
    def __init__(self, tz: ZoneInfo, words: ActionLogWords, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.words = words
        self._rows: list[dict[str, Any]] = []
        self._headers = [
            self.tr("No."),
            self.tr("Time"),
            self.tr("Person"),
            self.tr("Roles"),
            self.tr("Workstation"),
            self.tr("Action"),
            self.tr("Object"),
            self.tr("Change"),
            self.tr("Note"),
        ]

    def setRows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row(self, r: int) -> dict[str, Any]:
        return self._rows[r]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        e = self._rows[index.row()]
        c = index.column() - 1  # column 0 is the entry's number
        action = str(e["action"])
        if c == -1:
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"SHA-256 {e['hash']}\nprev {e['prev_hash']}"
            return str(e["seq"])
        if c == 0:
            t = datetime.fromtimestamp(e["ts_ms"] / 1000, self.tz)
            return t.strftime("%d/%m %H:%M:%S")
        if c == 1:
            return self.words.person_text(e["user_id"], e["user_name"], bool(e["authenticated"]))
        if c == 2:
            return self.words.roles_name(str(e["roles"]))
        if c == 3:
            return e["workstation"]
        if c == 4:
            return self.words.action_name(action)
        if c == 5:
            return e["object_id"]
        if c == 6:
            before, after = str(e["before_value"]), str(e["after_value"])
            if not before and not after:
                return ""
            b = self.words.value_text(action, before) if before else "—"
            return f"{b} → {self.words.value_text(action, after) if after else '—'}"
        if c == 7:
            return self.words.note_text(str(e["note"]), self.tz)
        return None


class ActionLogPanel(QWidget):
    """``search(session, text=, since_ms=, actions=, limit=)`` returns entries newest first
    (dicts with the columns of console.shared.action_chain); ``verify(session)`` a report;
    ``now_s()`` the time (the product's clock)."""

    def __init__(
        self,
        search: Callable[..., list[dict[str, Any]]],
        verify: Callable[[Any], VerifyReportLike],
        session: Callable[[], Any],
        tz: ZoneInfo,
        now_s: Callable[[], float],
        words: ActionLogWords,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._verify = verify
        self._session = session
        self._now_s = now_s
        self.words = words
        self.tz = tz
        self._worker: Any = None
        self.model = ActionLogModel(tz, words, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        for col, w in enumerate((50, 110, 220, 120, 100, 170, 130, 230, 220)):
            self.table.setColumnWidth(col, w)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("Search the action log: user, name, alarm, note, workstation")
        )
        self.search.returnPressed.connect(self.load)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("All actions"), "")
        for g in words.groups:
            self.kind.addItem(words.group_name(g), g)
        self.range = QComboBox()
        for label, secs in (
            (self.tr("Last hour"), 3600),
            (self.tr("Last 24 h"), 86_400),
            (self.tr("Last 7 days"), 7 * 86_400),
            (self.tr("All"), 0),
        ):
            self.range.addItem(label, secs)
        self.range.setCurrentIndex(1)
        self.searchButton = QPushButton(self.tr("Search"))
        self.searchButton.clicked.connect(self.load)
        self.verifyButton = QPushButton(self.tr("Check the chain"))
        self.verifyButton.setToolTip(
            self.tr("Recompute every entry's SHA-256 and its link to the previous one")
        )
        self.verifyButton.clicked.connect(self.verify)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.kind)
        bar.addWidget(self.range)
        bar.addWidget(self.searchButton)
        bar.addWidget(self.verifyButton)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)

    def busy(self) -> bool:
        return self._worker is not None

    def _run(self, fn: Callable[..., Any], done: Callable[[Any], None], **kw: Any) -> None:
        if self._worker is not None:
            return
        worker = create_worker(
            fn,
            self._session(),
            _start_thread=False,
            _connect={"returned": done, "errored": self._refused, "finished": self._finished},
            **kw,
        )
        self._worker = worker
        self.status.setText(self.tr("Loading…"))
        worker.start()

    def _finished(self) -> None:
        self._worker = None

    def _refused(self, exc: BaseException) -> None:
        text = self.words.refusal(exc)
        if text is not None:
            self.status.setText(text)
        else:
            self.status.setText(
                self.tr("The action log could not be read: %1").replace("%1", str(exc))
            )

    def load(self) -> None:
        secs = int(self.range.currentData())
        group = str(self.kind.currentData())
        since = int((self._now_s() - secs) * 1000) if secs else None
        self._run(
            self._search,
            self._loaded,
            text=self.search.text().strip(),
            since_ms=since,
            actions=self.words.groups.get(group, ()),
            limit=LIMIT,
        )

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        self.model.setRows(rows)
        self.status.setText(self.tr("%1 entries").replace("%1", f"{len(rows):,}"))

    def verify(self) -> None:
        self._run(self._verify, self._verified)

    def _verified(self, report: VerifyReportLike) -> None:
        if report.ok:
            self.status.setText(
                self.tr("Chain intact: %1 entries, head no. %2, SHA-256 %3…")
                .replace("%1", f"{report.entries:,}")
                .replace("%2", str(report.head.seq))
                .replace("%3", report.head.hash[:16])
            )
            self.status.setProperty("bad", False)
        else:
            bad = report.first_bad
            assert bad is not None
            kinds = {
                "edited": self.tr("changed after it was written"),
                "missing": self.tr("an entry before it is missing"),
                "relinked": self.tr("does not link to the entry before it"),
                "misnumbered": self.tr("numbered out of order"),
                "cut": self.tr("entries sent to the city are missing from the end"),
                "differs_from_sent": self.tr("differs from the copy sent to the city"),
            }
            self.status.setText(
                self.tr("Chain BROKEN: first bad entry no. %1 — %2 (%3 problems).")
                .replace("%1", str(bad.seq))
                .replace("%2", kinds.get(bad.kind, bad.kind))
                .replace("%3", str(len(report.problems)))
            )
            self.status.setProperty("bad", True)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
