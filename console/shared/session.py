"""Who is acting: every command that changes state takes a ``Session``, never a bare user name.

A person who logged in at the window gets an authenticated session
(``authenticated`` True, a ``session_id``). The CLI, the headless console and
scripts act for the OS account of the host (``os_session``) and say so
(``authenticated`` False): whoever can write the data directory can change the
log anyway, so the record names that account honestly instead of pretending.
The services check permissions on ``roles``; the action log records who,
with which roles, from which workstation.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass

from console.shared.vocab import Role

ROLE_ORDER: tuple[Role, ...] = (
    Role.VIEWER,
    Role.OPERATOR,
    Role.SUPERVISOR,
    Role.IOC_VIEWER,
    Role.IOC_OPERATOR,
    Role.IOC_SUPERVISOR,
    Role.ADMIN,
)
"""Display order of roles (not a hierarchy: see docs/ROLES.md). Each product's accounts hold
only its own roles (console.shared.access.AccessPolicy)."""


@dataclass(frozen=True)
class Session:
    user_id: str
    display_name: str
    role: Role
    """The account's first role in ``ROLE_ORDER`` (what the window shows first)."""
    workstation: str
    authenticated: bool
    """False: an OS account or a script, not a person who logged in."""
    extra_roles: frozenset[Role] = frozenset()
    """Further roles of the account (one person may be supervisor and admin)."""
    session_id: str = ""
    """Set by log-in; the services accept an authenticated session only while it is on duty."""
    started_ms: int = 0

    @property
    def label(self) -> str:
        """How the journal names the actor."""
        return self.user_id

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset({self.role}) | self.extra_roles

    @property
    def roles_text(self) -> str:
        """The roles as the action log records them: ``supervisor+admin``."""
        return "+".join(r.value for r in ROLE_ORDER if r in self.roles)


def os_session(role: Role = Role.OPERATOR) -> Session:
    """The host's OS account, not logged in (headless console, CLI, tests)."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name on some service accounts
        user = "unknown"
    return Session(user, user, role, socket.gethostname(), authenticated=False)
