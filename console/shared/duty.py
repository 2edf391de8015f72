"""Who is on duty at a workstation, what they may do, and their accounts: both products.

The one permission check is ``authorize``: every command of every service
calls it with the acting ``Session`` before changing anything, and a refusal
(``PermissionDeniedError``) says why. An authenticated session is accepted
only while it is the one on duty and the screen is not locked; an
unauthenticated one (the CLI, a headless process, scripts acting as the OS
account) is judged by its roles alone. What the roles grant is the product's
``AccessPolicy``; where accounts and the action log live is given too
(``Accounts`` over the product's accounts table, its ``ActionChain``): the
district console binds its site log (console.district.services.access), the
city IOC its hub database (console.hub.services.access).

Duty: log-in puts a person on duty; log-out leaves nobody; a log-in while
someone is on duty is a hand-over (the workstation never has to be empty in
between); the idle lock (``check_idle``, called on the injected clock: the
console's scheduler, the IOC window's timer) keeps the person on duty but
refuses their commands until a log-in. Nothing here stops what runs without
a person (ingest, alarms, the link; the city picture).

Every change is written with its action-log entry in one transaction
(``Commit``). Methods that read the database or hash a password (``log_in``,
account changes) block for a fraction of a second: call them from a worker
thread, never the GUI thread. ``log_out``, ``lock``, ``touch``, ``duty`` and
``authorize`` do no I/O (their entries go through ``Commit.submit``).
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import NoReturn

from sqlalchemy import Connection, Engine

from console.shared.access import (
    AccessConfig,
    AccessPolicy,
    AccountError,
    LoginRefusedError,
    PermissionDeniedError,
    check_password,
    check_user_id,
    primary_role,
    roles_text,
)
from console.shared.accounts import Account, Accounts
from console.shared.action_chain import ActionChain
from console.shared.audit import ActionEntry, clean
from console.shared.clock import Clock, time_ms
from console.shared.commit import Commit
from console.shared.passwords import Passwords, one_time_password
from console.shared.session import Session
from console.shared.vocab import AuditAction, Permission, Role

log = logging.getLogger(__name__)

A = AuditAction


@dataclass(frozen=True)
class Duty:
    """The workstation's duty state, as the window shows it."""

    session: Session | None
    """The person on duty (also while the screen is locked); None: nobody."""
    locked: bool = False
    lock_reason: str = ""
    """``idle`` or ``manual``."""
    since_ms: int = 0
    """When this person went on duty (or the screen locked)."""


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="seconds")


class AccessService:
    def __init__(
        self,
        engine: Engine,
        commit: Commit,
        clock: Clock,
        settings: AccessConfig,
        workstation: str,
        passwords: Passwords | None = None,
        *,
        policy: AccessPolicy,
        accounts: Accounts,
        chain: ActionChain,
    ) -> None:
        self.policy = policy
        self._accounts = accounts
        self._chain = chain
        self._engine = engine
        self._commit = commit
        self._clock = clock
        self.settings = settings
        self.workstation = workstation
        self._passwords = passwords or Passwords()
        self._lock = threading.Lock()
        self._duty = Duty(None)
        self._last_activity = clock.monotonic()
        self.failed_logins = 0
        """Failed or refused log-ins since start (the status bar may show it)."""

    # -- duty (memory only: any thread) -------------------------------------------------
    def duty(self) -> Duty:
        with self._lock:
            return self._duty

    def authorize(self, session: Session | None, permission: Permission) -> None:
        """The one permission check: raise PermissionDeniedError unless ``session`` may act."""
        if session is None:
            raise PermissionDeniedError("not_logged_in", None, permission)
        if session.authenticated:
            with self._lock:
                d = self._duty
            if d.session is None or d.session.session_id != session.session_id:
                raise PermissionDeniedError("not_on_duty", session, permission)
            if d.locked:
                raise PermissionDeniedError("locked", session, permission)
        if not self.policy.granted(session.roles, permission):
            raise PermissionDeniedError("role", session, permission)

    def touch(self) -> None:
        """Someone used the keyboard or mouse (or sent a command): the idle time restarts."""
        self._last_activity = self._clock.monotonic()

    def idle_s(self) -> float:
        return self._clock.monotonic() - self._last_activity

    def check_idle(self) -> bool:
        """Scheduler job: lock the screen after ``idle_lock_s`` without activity."""
        limit = self.settings.idle_lock_s
        with self._lock:
            d = self._duty
        if limit <= 0 or d.session is None or d.locked or self.idle_s() < limit:
            return False
        self.lock(d.session, reason="idle")
        return True

    def lock(self, session: Session, *, reason: str = "manual") -> None:
        """Lock the screen: the person stays on duty, their commands wait for a log-in."""
        now = time_ms(self._clock)
        with self._lock:
            d = self._duty
            if d.session is None or d.locked or d.session.session_id != session.session_id:
                return
            self._duty = replace(d, locked=True, lock_reason=reason, since_ms=now)
        entry = ActionEntry.of(session, A.LOCK, now, obj=session.user_id, note=reason)
        self._commit.submit(lambda conn: self._chain.append(conn, [entry]))
        log.info("screen locked (%s); %s stays on duty", reason, session.user_id)

    def log_out(self, session: Session) -> None:
        """End the duty of ``session`` (nobody is on duty afterwards)."""
        now = time_ms(self._clock)
        with self._lock:
            d = self._duty
            if d.session is None or d.session.session_id != session.session_id or d.locked:
                raise PermissionDeniedError(
                    "locked" if d.locked else "not_on_duty", session, Permission.VIEW
                )
            self._duty = Duty(None, since_ms=now)
        entry = ActionEntry.of(session, A.LOGOUT, now, obj=session.user_id)
        self._commit.submit(lambda conn: self._chain.append(conn, [entry]))
        log.info("%s logged out", session.user_id)

    # -- log-in (SQL and hashing: a worker thread) -----------------------------------------
    def has_users(self) -> bool:
        with self._engine.connect() as conn:
            return self._accounts.count(conn) > 0

    def _claimant(self, user_id: str, account: Account | None) -> Session:
        """Who a log-in attempt claims to be (not authenticated), for its entry."""
        uid = clean(user_id, 64) or "?"
        if account is None:
            return Session(uid, "", Role.VIEWER, self.workstation, False)
        roles = self.policy.parse_roles(account.roles)
        return Session(uid, account.full_name, primary_role(roles), self.workstation, False, roles)

    def log_in(self, user_id: str, password: str, new_password: str | None = None) -> Session:
        """Put ``user_id`` on duty (a hand-over if someone is). Raises LoginRefusedError.

        An account that must change its password is refused with
        ``must_change_password`` (its password was right) until ``new_password`` is given.
        """
        user_id = user_id.strip()
        now = time_ms(self._clock)
        with self._engine.connect() as conn:
            acct = self._accounts.get(conn, user_id)
        who = self._claimant(user_id, acct)

        def refuse(action: AuditAction, note: str, err: LoginRefusedError, **kw: str) -> NoReturn:
            entry = ActionEntry.of(who, action, now, obj=user_id, note=note, **kw)
            self._commit.run(lambda conn: self._chain.append(conn, [entry]))
            self.failed_logins += 1
            log.warning("log-in as %r refused: %s", user_id, note)
            raise err

        if acct is None:
            self._passwords.verify_nobody(password)
            refuse(A.LOGIN_FAILED, "unknown_user", _bad_credentials())
        if acct.disabled:
            refuse(
                A.LOGIN_REFUSED,
                "disabled",
                LoginRefusedError("disabled", f"the account {user_id} is disabled"),
            )
        if acct.wait_until_ms > now:
            refuse(
                A.LOGIN_REFUSED,
                "waiting",
                _waiting(user_id, acct.wait_until_ms),
                after=_iso(acct.wait_until_ms),
            )
        if not self._passwords.verify(acct.password_hash, password):
            self._failed(who, user_id, now)
        if acct.must_change_password and new_password is None:
            raise LoginRefusedError(
                "must_change_password", f"{user_id} must choose a new password before starting"
            )
        new_hash = None
        if new_password is not None:
            try:
                check_password(user_id, new_password)
            except AccountError as exc:
                raise LoginRefusedError("weak_password", str(exc)) from None
            if new_password == password:
                raise LoginRefusedError(
                    "weak_password", "the new password must differ from the old one"
                )
            new_hash = self._passwords.hash(new_password)
        elif self._passwords.needs_rehash(acct.password_hash):
            new_hash = self._passwords.hash(password)
        return self._start_duty(acct, now, new_hash, password_changed=new_password is not None)

    def _failed(self, who: Session, user_id: str, now: int) -> NoReturn:
        cfg = self.settings
        wait_ms = int(cfg.login_wait_s * 1000)

        def job(conn: Connection) -> tuple[int, int]:
            a = self._accounts.get(conn, user_id)
            failures = (a.failed_logins if a else 0) + 1
            until = now + wait_ms if failures >= cfg.max_failed_logins and wait_ms > 0 else 0
            self._accounts.update(
                conn,
                user_id,
                failed_logins=0 if until else failures,
                wait_until_ms=until or (a.wait_until_ms if a else 0),
            )
            entry = ActionEntry.of(
                who,
                A.LOGIN_FAILED,
                now,
                obj=user_id,
                before=str(failures - 1),
                after=str(failures),
                note="wrong_password" + (f"; waiting until {_iso(until)}" if until else ""),
            )
            self._chain.append(conn, [entry])
            return failures, until

        failures, until = self._commit.run(job)
        self.failed_logins += 1
        log.warning("log-in as %r failed (%d in a row)", user_id, failures)
        if until:
            raise _waiting(user_id, until, failures)
        raise _bad_credentials(failures)

    def _start_duty(
        self, acct: Account, now: int, new_hash: str | None, *, password_changed: bool
    ) -> Session:
        roles = self.policy.parse_roles(acct.roles)
        session = Session(
            acct.user_id,
            acct.full_name,
            primary_role(roles),
            self.workstation,
            True,
            roles,
            session_id=secrets.token_hex(8),
            started_ms=now,
        )
        with self._lock:
            prev = self._duty
        entries = []
        if password_changed:
            entries.append(ActionEntry.of(session, A.PASSWORD_CHANGED, now, obj=acct.user_id))
        if prev.session is not None and prev.session.user_id != acct.user_id:
            entries.append(
                ActionEntry.of(
                    session,
                    A.HANDOVER,
                    now,
                    obj=prev.session.user_id,
                    before=prev.session.user_id,
                    after=acct.user_id,
                )
            )
        else:
            entries.append(
                ActionEntry.of(
                    session,
                    A.LOGIN,
                    now,
                    obj=acct.user_id,
                    before="locked" if prev.locked else "",
                    after="on_duty" if prev.locked else "",
                )
            )

        def job(conn: Connection) -> None:
            a = self._accounts.get(conn, acct.user_id)
            if a is None or a.disabled:
                raise LoginRefusedError("disabled", f"the account {acct.user_id} is disabled")
            values: dict[str, object] = {"failed_logins": 0, "wait_until_ms": 0}
            values["last_login_ms"] = now
            if new_hash is not None:
                values["password_hash"] = new_hash
            if password_changed:
                values["must_change_password"] = False
                values["password_changed_ms"] = now
            self._accounts.update(conn, acct.user_id, **values)
            self._chain.append(conn, entries)

        self._commit.run(job)
        with self._lock:
            self._duty = Duty(session, since_ms=now)
        self.touch()
        log.info(
            "%s (%s) on duty at %s%s",
            acct.user_id,
            session.roles_text,
            self.workstation,
            f", taking over from {prev.session.user_id}" if prev.session else "",
        )
        return session

    def create_first_admin(self, user_id: str, full_name: str, password: str) -> Session:
        """First run: the first account, an administrator who chose their own password,
        is created and put on duty. Refused once any account exists."""
        check_user_id(user_id)
        check_password(user_id, password)
        now = time_ms(self._clock)
        name = clean(full_name.strip(), 128)
        if not name:
            raise AccountError("bad_name", "a full name is needed")
        creator = Session(user_id, name, Role.ADMIN, self.workstation, False)
        hashed = self._passwords.hash(password)

        def job(conn: Connection) -> Account:
            if self._accounts.count(conn):
                raise LoginRefusedError("exists", "accounts exist already: log in")
            acct = _new_account(user_id, name, "admin", hashed, now, user_id, must_change=False)
            self._accounts.insert(conn, acct)
            self._chain.append(
                conn,
                [
                    ActionEntry.of(
                        creator, A.USER_ADDED, now, obj=user_id, after="admin", note="first_admin"
                    )
                ],
            )
            return acct

        acct = self._commit.run(job)
        return self._start_duty(acct, now, None, password_changed=False)

    # -- accounts (MANAGE_USERS; SQL and hashing: a worker thread or the CLI) ------------------
    def users(self, session: Session) -> list[Account]:
        self.authorize(session, Permission.MANAGE_USERS)
        with self._engine.connect() as conn:
            return self._accounts.all(conn)

    def add_user(
        self,
        session: Session,
        user_id: str,
        full_name: str,
        roles: str,
        *,
        note: str = "",
    ) -> str:
        """Create an account; return its one-time password (changed at first log-in)."""
        self.authorize(session, Permission.MANAGE_USERS)
        check_user_id(user_id)
        role_set = self.policy.parse_roles(roles)
        name = clean(full_name.strip(), 128)
        if not name:
            raise AccountError("bad_name", "a full name is needed")
        password = one_time_password()
        hashed = self._passwords.hash(password)
        now = time_ms(self._clock)
        self.touch()

        def job(conn: Connection) -> None:
            if self._accounts.get(conn, user_id) is not None:
                raise AccountError("exists", f"an account {user_id!r} exists already")
            self._accounts.insert(
                conn,
                _new_account(
                    user_id, name, roles_text(role_set), hashed, now, session.user_id, True
                ),
            )
            entry = ActionEntry.of(
                session, A.USER_ADDED, now, obj=user_id, after=roles_text(role_set), note=note
            )
            self._chain.append(conn, [entry])

        self._commit.run(job)
        return password

    def reset_password(self, session: Session, user_id: str, *, note: str = "") -> str:
        """A new one-time password (changed at the next log-in); ends any wait."""
        self.authorize(session, Permission.MANAGE_USERS)
        password = one_time_password()
        hashed = self._passwords.hash(password)
        now = time_ms(self._clock)
        self.touch()

        def job(conn: Connection) -> None:
            if self._accounts.get(conn, user_id) is None:
                raise AccountError("unknown", f"no account {user_id!r}")
            self._accounts.update(
                conn,
                user_id,
                password_hash=hashed,
                must_change_password=True,
                password_changed_ms=now,
                failed_logins=0,
                wait_until_ms=0,
            )
            entry = ActionEntry.of(
                session, A.USER_PASSWORD_RESET, now, obj=user_id, after="must_change", note=note
            )
            self._chain.append(conn, [entry])

        self._commit.run(job)
        return password

    def set_disabled(
        self, session: Session, user_id: str, disabled: bool, *, note: str = ""
    ) -> None:
        self.authorize(session, Permission.MANAGE_USERS)
        now = time_ms(self._clock)
        self.touch()

        def job(conn: Connection) -> None:
            a = self._accounts.get(conn, user_id)
            if a is None:
                raise AccountError("unknown", f"no account {user_id!r}")
            if a.disabled == disabled:
                raise AccountError(
                    "unchanged", f"{user_id} is {'disabled' if disabled else 'enabled'} already"
                )
            if disabled and Role.ADMIN in self.policy.parse_roles(a.roles):
                admins = [
                    x
                    for x in self._accounts.all(conn)
                    if not x.disabled and Role.ADMIN in self.policy.parse_roles(x.roles)
                ]
                if len(admins) <= 1:
                    raise AccountError(
                        "last_admin", f"{user_id} is the last administrator: add another first"
                    )
            self._accounts.update(
                conn, user_id, disabled=disabled, disabled_ms=now if disabled else 0
            )
            entry = ActionEntry.of(
                session,
                A.USER_DISABLED if disabled else A.USER_ENABLED,
                now,
                obj=user_id,
                before="enabled" if disabled else "disabled",
                after="disabled" if disabled else "enabled",
                note=note,
            )
            self._chain.append(conn, [entry])

        self._commit.run(job)
        with self._lock:
            d = self._duty
            if disabled and d.session is not None and d.session.user_id == user_id:
                self._duty = Duty(None, since_ms=now)  # a disabled account leaves duty


def _new_account(
    user_id: str,
    name: str,
    roles: str,
    hashed: str,
    now: int,
    by: str,
    must_change: bool,
) -> Account:
    return Account(
        user_id=user_id,
        full_name=name,
        roles=roles,
        password_hash=hashed,
        must_change_password=must_change,
        disabled=False,
        created_ms=now,
        created_by=by,
        disabled_ms=0,
        password_changed_ms=now,
        failed_logins=0,
        wait_until_ms=0,
        last_login_ms=0,
    )


def _bad_credentials(failures: int = 0) -> LoginRefusedError:
    return LoginRefusedError("bad_credentials", "wrong user id or password", failures=failures)


def _waiting(user_id: str, until_ms: int, failures: int = 0) -> LoginRefusedError:
    return LoginRefusedError(
        "waiting",
        f"too many failed log-ins: {user_id} can try again at {_iso(until_ms)}",
        until_ms=until_ms,
        failures=failures,
    )


__all__ = ["AccessService", "Account", "Duty"]
