"""The city IOC's people: roles, permissions, accounts, duty and the IOC's action log.

The duty state machine (log-in with its failure wait, hand-over, idle lock,
log-out) and the account changes are the district console's
(console.shared.duty); here they are bound to the hub database — accounts in
``ioc_users``, entries in the hash-chained ``ioc_action_log`` — and to the
IOC's permission table. ``PERMISSIONS`` is the IOC table of docs/ROLES.md (a
test keeps the two equal). Every command of the IOC services takes the
acting ``Session`` and asks ``authorize`` before it writes; a refusal
(``PermissionDeniedError``) changes nothing and says why.

Where nobody logs in (the command line), a ``Checker`` judges a session by its
roles alone; the IOC window gives its ``IocAccess``, which also refuses a
session that is no longer on duty or whose screen is locked.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, select

from console.hub.store.schema import hub_meta, ioc_action_log, ioc_users
from console.shared.access import AccessConfig, AccessPolicy, PermissionDeniedError
from console.shared.accounts import Accounts
from console.shared.action_chain import ActionChain, VerifyReport
from console.shared.clock import Clock, SystemClock
from console.shared.commit import Commit
from console.shared.duty import AccessService
from console.shared.passwords import Passwords
from console.shared.session import Session, os_session
from console.shared.vocab import Permission, Role

P = Permission
_VIEW = frozenset({P.VIEW, P.VIEW_ACTION_LOG})

PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.IOC_VIEWER: _VIEW,
        Role.IOC_OPERATOR: _VIEW | {P.ISSUE_DIRECTIVES, P.HANDLE_ESCALATIONS},
        Role.IOC_SUPERVISOR: _VIEW
        | {P.ISSUE_DIRECTIVES, P.ISSUE_WARNINGS, P.HANDLE_ESCALATIONS, P.ASSIGN_ESCALATIONS},
        Role.ADMIN: _VIEW | {P.MANAGE_USERS},
    }
)
"""What each role may do at the city IOC. The city picture is shown before log-in and
while the screen is locked (the IOC never goes dark); every command needs a person on
duty whose role grants it."""

POLICY = AccessPolicy(PERMISSIONS)
ROLES = POLICY.roles
"""The roles an IOC account may hold: ioc_viewer, ioc_operator, ioc_supervisor, admin."""
IOC_PERMISSIONS: frozenset[Permission] = frozenset().union(*PERMISSIONS.values())

CHAIN_KEY = "ioc_chain"
"""``hub_meta`` key: the id of the IOC's action-log chain (made by migration h0006)."""


def chain_id(conn: Connection) -> str:
    return str(
        conn.execute(select(hub_meta.c.value).where(hub_meta.c.key == CHAIN_KEY)).scalar_one()
    )


ACCOUNTS = Accounts(ioc_users)
CHAIN = ActionChain(ioc_action_log, chain_id)
"""The IOC's action log (console.shared.action_chain: the district's chain code)."""


class Checker(Protocol):
    """What a hub service asks before it writes (``IocAccess`` or ``RolesOnly``)."""

    def authorize(self, session: Session | None, permission: Permission) -> None: ...


class RolesOnly:
    """The check where nobody logs in (the command line): the roles of the session alone.
    An authenticated session is refused: it belongs to a window's duty, not here."""

    def authorize(self, session: Session | None, permission: Permission) -> None:
        if session is None:
            raise PermissionDeniedError("not_logged_in", None, permission)
        if session.authenticated:
            raise PermissionDeniedError("not_on_duty", session, permission)
        if not POLICY.granted(session.roles, permission):
            raise PermissionDeniedError("role", session, permission)


def cli_session(role: Role = Role.IOC_SUPERVISOR) -> Session:
    """The OS account running ``opsconsole hub …``, not logged in. Whoever can write the hub
    database can change it anyway: the entry names that account honestly."""
    return os_session(role)


class IocAccess(AccessService):
    """Duty at one IOC workstation over the hub database (console.shared.duty)."""

    def __init__(
        self,
        engine: Engine,
        commit: Commit,
        clock: Clock | None = None,
        settings: AccessConfig | None = None,
        workstation: str = "",
        passwords: Passwords | None = None,
    ) -> None:
        super().__init__(
            engine,
            commit,
            clock or SystemClock(),
            settings or AccessConfig(),
            workstation or socket.gethostname(),
            passwords,
            policy=POLICY,
            accounts=ACCOUNTS,
            chain=CHAIN,
        )
        self.engine = engine
        self.clock: Clock = self._clock

    def clock_s(self) -> float:
        """Now, on the workstation's clock (seconds since the epoch)."""
        return self.clock.time()

    def search_log(
        self,
        session: Session | None,
        *,
        text: str = "",
        since_ms: int | None = None,
        actions: Sequence[str] = (),
        limit: int = 10_000,
    ) -> list[dict[str, Any]]:
        """Entries of the IOC's action log, newest first (needs ``view_action_log``)."""
        self.authorize(session, P.VIEW_ACTION_LOG)
        return CHAIN.search(self.engine, text=text, since_ms=since_ms, actions=actions, limit=limit)

    def verify_log(self, session: Session | None) -> VerifyReport:
        self.authorize(session, P.VIEW_ACTION_LOG)
        return verify(self.engine)


def verify(engine: Engine) -> VerifyReport:
    """Walk the IOC's chain; every problem in seq order (the first is the first bad entry)."""
    with engine.connect() as conn:
        return CHAIN.verify(conn)


__all__ = [
    "ACCOUNTS",
    "CHAIN",
    "IOC_PERMISSIONS",
    "PERMISSIONS",
    "POLICY",
    "ROLES",
    "Checker",
    "IocAccess",
    "RolesOnly",
    "cli_session",
    "verify",
]
