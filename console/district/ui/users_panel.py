"""Accounts in the window, for administrators: list, add, reset a password, disable.

Everything goes through ``AccessService`` in a worker thread (it hashes and
writes); the services refuse anyone without ``manage_users`` and the panel
shows why. A new or reset account's one-time password is shown once, in a
selectable field, to be read out to its owner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from console.district.domain.access import ROLES
from console.district.services.access import AccessService, Account
from console.district.ui.access_text import refusal_text, role_name, roles_name
from console.shared.errors import ActionRefusedError
from console.shared.session import Session


class UsersPanel(QWidget):
    def __init__(
        self,
        access: AccessService,
        session: Callable[[], Session | None],
        tz: ZoneInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.access = access
        self._session = session
        self.tz = tz
        self._worker: Any = None
        self._reload = False
        self._for = ""
        """The account whose one-time password is being made."""
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("User id"), self.tr("Full name"), self.tr("Roles"), self.tr("State")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate((120, 220, 220)):
            self.table.setColumnWidth(col, w)
        self.newId = QLineEdit()
        self.newId.setPlaceholderText(self.tr("User id"))
        self.newName = QLineEdit()
        self.newName.setPlaceholderText(self.tr("Full name"))
        self.roleBoxes = {r: QCheckBox(role_name(r.value)) for r in ROLES}
        self.addButton = QPushButton(self.tr("Add account"))
        self.addButton.clicked.connect(self.addUser)
        self.refreshButton = QPushButton(self.tr("Refresh"))
        self.refreshButton.clicked.connect(self.load)
        self.resetButton = QPushButton(self.tr("New one-time password"))
        self.resetButton.clicked.connect(self.resetSelected)
        self.disableButton = QPushButton(self.tr("Disable / enable"))
        self.disableButton.clicked.connect(self.toggleSelected)
        self.secret = QLineEdit()
        self.secret.setReadOnly(True)
        self.secret.setPlaceholderText(self.tr("one-time password appears here"))
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        add = QHBoxLayout()
        add.addWidget(self.newId)
        add.addWidget(self.newName, 1)
        for box in self.roleBoxes.values():
            add.addWidget(box)
        add.addWidget(self.addButton)
        sel = QHBoxLayout()
        sel.addWidget(self.refreshButton)
        sel.addWidget(self.resetButton)
        sel.addWidget(self.disableButton)
        sel.addWidget(self.secret, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.table, 1)
        lay.addLayout(sel)
        lay.addLayout(add)
        lay.addWidget(self.status)
        self._accounts: list[Account] = []

    def busy(self) -> bool:
        return self._worker is not None

    def _run(self, fn: Callable[..., Any], done: Callable[[Any], None], *args: Any) -> None:
        if self._worker is not None:
            return
        worker = create_worker(
            fn,
            self._session(),
            *args,
            _start_thread=False,
            _connect={"returned": done, "errored": self._refused, "finished": self._finished},
        )
        self._worker = worker
        self.status.setText(self.tr("Working…"))
        worker.start()

    def _finished(self) -> None:
        self._worker = None
        if self._reload:
            self._reload = False
            self.load()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ActionRefusedError):
            self.status.setText(refusal_text(exc, self.tz))
        else:
            self.status.setText(str(exc))

    def load(self) -> None:
        self._run(self.access.users, self._loaded)

    def _loaded(self, accounts: list[Account]) -> None:
        self._accounts = accounts
        self.table.setRowCount(len(accounts))
        for r, a in enumerate(accounts):
            state = self.tr("disabled") if a.disabled else self.tr("enabled")
            if a.must_change_password:
                state += ", " + self.tr("must change password")
            for c, text in enumerate((a.user_id, a.full_name, roles_name(a.roles), state)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.status.setText(self.tr("%1 accounts").replace("%1", str(len(accounts))))

    def _selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._accounts):
            self.status.setText(self.tr("Select an account first."))
            return None
        return self._accounts[rows[0].row()]

    # Results arrive through bound methods (queued to the GUI thread), never lambdas:
    # a lambda has no thread of its own and would run in the worker.
    def addUser(self) -> None:
        roles = ",".join(r.value for r, box in self.roleBoxes.items() if box.isChecked())
        self._for = self.newId.text().strip()
        self._run(self.access.add_user, self._secret, self._for, self.newName.text(), roles)

    def resetSelected(self) -> None:
        a = self._selected()
        if a is not None:
            self._for = a.user_id
            self._run(self.access.reset_password, self._secret, a.user_id)

    def toggleSelected(self) -> None:
        a = self._selected()
        if a is not None:
            self._run(self.access.set_disabled, self._toggled, a.user_id, not a.disabled)

    def _toggled(self, _result: object) -> None:
        self._reload = True

    def _secret(self, password: str) -> None:
        self.secret.setText(f"{self._for}: {password}")
        self.newId.clear()
        self.newName.clear()
        self.status.setText(
            self.tr(
                "Give this one-time password to its owner; it must be changed at the first log-in."
            )
        )
        self._reload = True
