"""Who is acting: every command that changes state takes a ``Session``, never a bare user name.

Until log-in exists (issue 12) the district console acts for the OS account of
the workstation (``os_session``) and says so (``authenticated`` is False); the
services, the action log and the journal already receive the person, role and
workstation from here, so log-in only has to fill it with real identities.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass

from console.shared.vocab import Role


@dataclass(frozen=True)
class Session:
    user_id: str
    display_name: str
    role: Role
    workstation: str
    authenticated: bool
    """False: an OS account or a script, not a person who logged in."""

    @property
    def label(self) -> str:
        """How the journal names the actor."""
        return self.user_id


def os_session(role: Role = Role.OPERATOR) -> Session:
    """The workstation's OS account: what the console acts as before log-in exists."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name on some service accounts
        user = "unknown"
    return Session(user, user, role, socket.gethostname(), authenticated=False)
