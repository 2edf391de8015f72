"""The duty bar: who is on duty, log-in, hand-over, lock and log-out, inside the window.

Never a modal dialog: the bar sits above the live view (the district console's
tiles and alarms, the IOC's city picture), so it stays visible and live while
someone types a password. Both products use it over their access service
(console.shared.duty; any object with the ``DutyDesk`` methods): log-ins run
in a worker thread (a password check takes ~0.2 s and reads the database); the
bar only reads the duty state in memory on its refresh, so an idle lock shows
up at the next tick. A refresh never clears what is being typed; only a change
of mode does. What the product's codes mean in words comes from the caller
(``explain``, ``roles``): no application state here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import create_worker

from widgets.elided_label import ElidedLabel

log = logging.getLogger(__name__)


class DutySession(Protocol):
    """Who acts (console.shared.session.Session)."""

    @property
    def user_id(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def session_id(self) -> str: ...


S = TypeVar("S", bound=DutySession)
S_co = TypeVar("S_co", bound=DutySession, covariant=True)


class DutyState(Protocol[S_co]):
    """The workstation's duty (console.shared.duty.Duty)."""

    @property
    def session(self) -> S_co | None: ...
    @property
    def locked(self) -> bool: ...
    @property
    def lock_reason(self) -> str: ...
    @property
    def since_ms(self) -> int: ...


class DutyDesk(Protocol[S]):
    """The access service the bar drives (console.shared.duty.AccessService)."""

    def duty(self) -> DutyState[S]: ...
    def has_users(self) -> bool: ...
    def log_in(self, user_id: str, password: str, new_password: str | None = None) -> S: ...
    def create_first_admin(self, user_id: str, full_name: str, password: str) -> S: ...
    def lock(self, session: S, *, reason: str = "manual") -> None: ...
    def log_out(self, session: S) -> None: ...
    def touch(self) -> None: ...


_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class ActivityFilter(QObject):
    """Keyboard and mouse input anywhere in the application restart the idle time."""

    def __init__(self, touch: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._touch = touch

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self._touch()
        return False


class DutyBar(QFrame, Generic[S]):
    """``dutyChanged(session or None)`` whenever the person who acts here changes.

    ``explain(exc)``: a refusal in words (None: not a refusal, an error to log);
    ``roles(session)``: the person's roles in words.
    """

    dutyChanged = Signal(object)
    REFRESH_HZ = 2

    def __init__(
        self,
        access: DutyDesk[S],
        tz: ZoneInfo,
        fixed: S | None = None,
        parent: QWidget | None = None,
        *,
        explain: Callable[[BaseException], str | None],
        roles: Callable[[S], str],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("DutyBar")
        self.access = access
        self.tz = tz
        self._explain = explain
        self._roles = roles
        self.fixed = fixed
        """An OS account given by the caller (scripts, benches): no log-in, no form."""
        self._key: tuple[str, bool] | None = None
        self._handover = False
        self._first_run = False
        self._worker: Any = None

        self.status = QLabel()
        self.status.setObjectName("dutyStatus")
        self.lockButton = QPushButton(self.tr("Lock (Ctrl+L)"))
        self.lockButton.clicked.connect(self.lockNow)
        self.handoverButton = QPushButton(self.tr("Hand over…"))
        self.handoverButton.clicked.connect(self.startHandover)
        self.logoutButton = QPushButton(self.tr("Log out"))
        self.logoutButton.clicked.connect(self.logOut)
        self.cancelButton = QPushButton(self.tr("Cancel"))
        self.cancelButton.clicked.connect(self.cancelHandover)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.status, 1)
        for b in (self.lockButton, self.handoverButton, self.logoutButton):
            top.addWidget(b)

        self.userId = QLineEdit()
        self.userId.setPlaceholderText(self.tr("User id"))
        self.fullName = QLineEdit()
        self.fullName.setPlaceholderText(self.tr("Full name"))
        self.password = QLineEdit()
        self.password.setPlaceholderText(self.tr("Password"))
        self.newPassword = QLineEdit()
        self.newPassword.setPlaceholderText(self.tr("New password"))
        self.repeatPassword = QLineEdit()
        self.repeatPassword.setPlaceholderText(self.tr("Repeat new password"))
        for f in (self.password, self.newPassword, self.repeatPassword):
            f.setEchoMode(QLineEdit.EchoMode.Password)
        for f, width in (
            (self.userId, 110),
            (self.fullName, 170),
            (self.password, 150),
            (self.newPassword, 150),
            (self.repeatPassword, 170),
        ):
            f.setMinimumWidth(width)  # placeholders readable in both languages
            f.returnPressed.connect(self.submit)
        self.loginButton = QPushButton(self.tr("Log in"))
        self.loginButton.setObjectName("loginButton")
        self.loginButton.clicked.connect(self.submit)
        # One line that shrinks (the whole text in its tooltip): a wrapping label would
        # change the bar's height, and the window's, with the width of the screen.
        self.message = ElidedLabel()
        self.message.setObjectName("dutyMessage")
        self.form = QWidget()
        fl = QHBoxLayout(self.form)
        fl.setContentsMargins(0, 0, 0, 0)
        for w in (
            self.userId,
            self.fullName,
            self.password,
            self.newPassword,
            self.repeatPassword,
            self.loginButton,
            self.cancelButton,
        ):
            fl.addWidget(w)
        fl.addWidget(self.message, 1)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 3, 8, 3)
        lay.setSpacing(3)
        lay.addLayout(top)
        lay.addWidget(self.form)
        self.refresh(force=True)
        if fixed is None:
            self._ask(self.access.has_users, self._users_known)

    # --- state ------------------------------------------------------------------------
    def session(self) -> S | None:
        """Who acts at this window now (also when locked: the services then say so)."""
        if self.fixed is not None:
            return self.fixed
        return self.access.duty().session

    def busy(self) -> bool:
        return self._worker is not None

    def refresh(self, *, force: bool = False) -> None:
        """Cheap (memory only): re-render when the duty changed (e.g. an idle lock)."""
        d = self.access.duty()
        key = (
            ("fixed", False)
            if self.fixed
            else (d.session.session_id if d.session else "", d.locked)
        )
        if key == self._key and not force:
            return
        changed = key != self._key
        self._key = key
        if self.fixed is not None:
            self._show_fixed(self.fixed)
        elif d.session is None:
            self._handover = False
            self._show_form("first_run" if self._first_run else "login")
            self.status.setText(
                self.tr("Nobody is on duty: log in to act. Alarms and feeds keep running.")
            )
        elif d.locked:
            self._handover = False
            self._show_form("locked")
            self.status.setText(
                self.tr("Screen locked (%1) — %2 is on duty. Log in to continue, or take over.")
                .replace("%1", self._lock_reason(d.lock_reason))
                .replace("%2", d.session.display_name or d.session.user_id)
            )
        else:
            self._show_duty(d.session, d.since_ms)
        if changed:
            self.dutyChanged.emit(self.session())

    def _lock_reason(self, reason: str) -> str:
        return self.tr("no activity") if reason == "idle" else self.tr("locked by hand")

    def _set_mode(self, mode: str) -> None:
        if self.property("mode") != mode:
            self.setProperty("mode", mode)
            self.style().unpolish(self)
            self.style().polish(self)

    def _show_fixed(self, s: S) -> None:
        self._set_mode("fixed")
        self.form.hide()
        for b in (self.lockButton, self.handoverButton, self.logoutButton):
            b.hide()
        self.status.setText(
            self.tr("Acting as %1 (OS account, not logged in) — %2")
            .replace("%1", s.user_id)
            .replace("%2", self._roles(s))
        )

    def _show_duty(self, s: S, since_ms: int) -> None:
        since = datetime.fromtimestamp(since_ms / 1000, self.tz).strftime("%H:%M")
        self.status.setText(
            self.tr("On duty: %1 (%2) — %3 — since %4")
            .replace("%1", s.display_name or s.user_id)
            .replace("%2", s.user_id)
            .replace("%3", self._roles(s))
            .replace("%4", since)
        )
        for b in (self.lockButton, self.handoverButton, self.logoutButton):
            b.show()
        if self._handover:
            self._show_form("handover")
        else:
            self._set_mode("duty")
            self.form.hide()

    def _show_form(self, mode: str) -> None:
        """Log-in fields (mode ``login``, ``locked``, ``handover``) or the first-run form."""
        self._set_mode(mode)
        on_duty = mode == "handover"
        for b in (self.lockButton, self.handoverButton, self.logoutButton):
            b.setVisible(on_duty)
        first = mode == "first_run"
        self.fullName.setVisible(first)
        self.newPassword.setVisible(first)
        self.repeatPassword.setVisible(first)
        self.cancelButton.setVisible(on_duty)
        if first:
            self.newPassword.setPlaceholderText(self.tr("Password"))
            self.password.hide()
            self.loginButton.setText(self.tr("Create administrator"))
            self.status.setText(
                self.tr("First start: no accounts yet. Create the first administrator.")
            )
        else:
            self.password.show()
            self.newPassword.setPlaceholderText(self.tr("New password"))
            self.loginButton.setText(self.tr("Take over") if on_duty else self.tr("Log in"))
        self.message.setText("")
        self.form.show()

    # --- commands -----------------------------------------------------------------------
    def _ask(self, fn: Any, done: Any, *args: Any) -> None:
        """Run ``fn(*args)`` in a worker; ``done(result)`` or a refusal shown in the bar."""
        if self._worker is not None:
            return
        # Errors are answers here (a refused log-in): handled, never re-raised in the loop.
        worker = create_worker(
            fn,
            *args,
            _start_thread=False,
            _connect={"returned": done, "errored": self._refused, "finished": self._finished},
        )
        self._worker = worker
        self.loginButton.setEnabled(False)
        worker.start()

    def _finished(self) -> None:
        self._worker = None
        self.loginButton.setEnabled(True)

    def _refused(self, exc: BaseException) -> None:
        text = self._explain(exc)
        if text is not None:
            if self._first_run and getattr(exc, "code", "") == "exists":
                self._first_run = False  # someone made accounts meanwhile (the CLI)
                self.refresh(force=True)
            if getattr(exc, "code", "") == "must_change_password":
                self.newPassword.show()
                self.repeatPassword.show()
                self.newPassword.setFocus()
            self.message.setText(text)
            self.password.selectAll()
        else:
            log.error("log-in failed: %s", exc, exc_info=exc)
            self.message.setText(self.tr("The log-in could not be recorded: see the log."))

    def _users_known(self, has_users: bool) -> None:
        self._first_run = not has_users
        self.refresh(force=True)

    def submit(self) -> None:
        if self.busy() or self.fixed is not None:
            return
        user = self.userId.text().strip()
        if not user:
            self.message.setText(self.tr("Type your user id."))
            self.userId.setFocus()
            return
        if self.property("mode") == "first_run":
            if self.newPassword.text() != self.repeatPassword.text():
                self.message.setText(self.tr("The two passwords differ."))
                return
            self._ask(
                self.access.create_first_admin,
                self._logged_in,
                user,
                self.fullName.text(),
                self.newPassword.text(),
            )
            return
        new: str | None = None
        if self.newPassword.isVisible():
            if self.newPassword.text() != self.repeatPassword.text():
                self.message.setText(self.tr("The two new passwords differ."))
                self.repeatPassword.setFocus()
                return
            new = self.newPassword.text()
        self._ask(self.access.log_in, self._logged_in, user, self.password.text(), new)

    def _logged_in(self, session: S) -> None:
        for f in (self.userId, self.fullName, self.password, self.newPassword, self.repeatPassword):
            f.clear()
        self._first_run = False
        self._handover = False
        self.refresh(force=True)

    def lockNow(self) -> None:
        s = self.access.duty().session
        if s is not None and self.fixed is None:
            self.access.lock(s, reason="manual")
            self.refresh()

    def logOut(self) -> None:
        s = self.access.duty().session
        if s is None or self.fixed is not None:
            return
        try:
            self.access.log_out(s)
        except Exception as exc:
            text = self._explain(exc)
            if text is None:
                raise
            self.message.setText(text)
            return
        self.refresh()

    def startHandover(self) -> None:
        if self.access.duty().session is None or self.fixed is not None:
            return
        self._handover = True
        self._show_form("handover")
        self.status.setText(
            self.status.text() + "  " + self.tr("— the next person logs in here to take over")
        )
        self.userId.setFocus()

    def cancelHandover(self) -> None:
        self._handover = False
        for f in (self.userId, self.password, self.newPassword, self.repeatPassword):
            f.clear()
        self.refresh(force=True)
