"""Roles, permissions and the refusals people see: plain Python, no I/O.

``PERMISSIONS`` is the table of docs/ROLES.md (a test keeps the two equal).
Roles are not a ladder: an administrator manages accounts and configuration
but does not operate the process (separation of duties); an account that
needs both holds both roles. Every command of the services goes through one
check (``AccessService.authorize``), which uses ``granted`` here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from console.shared.errors import ActionRefusedError
from console.shared.session import ROLE_ORDER, Session
from console.shared.vocab import Permission, Role

P = Permission
_VIEW = frozenset({P.VIEW, P.VIEW_ACTION_LOG})

PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.VIEWER: _VIEW,
        Role.OPERATOR: _VIEW
        | {
            P.ACKNOWLEDGE,
            P.SHELVE,
            P.OPEN_INCIDENT,
            P.WORK_INCIDENT,
            P.SHIFT_HANDOVER,
            P.HANDLE_DIRECTIVES,
            P.IMPORT_WARNINGS,
        },
        Role.SUPERVISOR: _VIEW
        | {
            P.ACKNOWLEDGE,
            P.SHELVE,
            P.OUT_OF_SERVICE,
            P.OPEN_INCIDENT,
            P.WORK_INCIDENT,
            P.CLOSE_INCIDENT,
            P.ESCALATE,
            P.HANDLE_DIRECTIVES,
            P.IMPORT_WARNINGS,
            P.SHIFT_HANDOVER,
        },
        Role.ADMIN: _VIEW | {P.MANAGE_USERS, P.EDIT_CONFIG},
    }
)
"""What each role may do. Viewing needs no permission before log-in (a control room
never goes dark); ``VIEW_ACTION_LOG`` needs a session."""


def granted(roles: frozenset[Role], permission: Permission) -> bool:
    return any(permission in PERMISSIONS[r] for r in roles)


class PermissionDeniedError(ActionRefusedError):
    """The acting session may not do this: its roles lack the permission, or it is no
    longer the one on duty (logged out, locked, handed over)."""

    def __init__(self, code: str, session: Session | None, permission: Permission) -> None:
        who = "nobody" if session is None else f"{session.user_id} ({session.roles_text})"
        reasons = {
            "not_logged_in": "nobody is logged in",
            "role": f"no role of {who} may {permission.value}",
            "locked": "the screen is locked: log in again",
            "not_on_duty": f"{who} is no longer on duty at this workstation",
        }
        super().__init__(f"refused: {reasons[code]}")
        self.code = code
        self.session = session
        self.permission = permission


class LoginRefusedError(ActionRefusedError):
    """A log-in or a password change that did not happen.

    Codes: ``bad_credentials`` (unknown user or wrong password: one message for
    both), ``disabled``, ``waiting`` (``until_ms`` set), ``must_change_password``
    (the password was right; choose a new one), ``weak_password``, ``no_users``,
    ``exists`` (first administrator: accounts already exist).
    """

    def __init__(self, code: str, detail: str, *, until_ms: int = 0, failures: int = 0) -> None:
        super().__init__(detail)
        self.code = code
        self.until_ms = until_ms
        self.failures = failures


class AccountError(ActionRefusedError):
    """An account change that does not apply (``exists``, ``unknown``, ``bad_id``,
    ``bad_roles``, ``weak_password``, ``last_admin``)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


MIN_PASSWORD = 10
USER_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


def check_user_id(user_id: str) -> None:
    if not (1 <= len(user_id) <= 64) or not set(user_id) <= USER_ID_CHARS:
        raise AccountError(
            "bad_id", f"user id {user_id!r}: use 1-64 characters from a-z 0-9 . _ - (lower case)"
        )


def check_password(user_id: str, password: str) -> None:
    """A password people can type in a hurry but not guess: length, and not built on the
    user id (contained, for ids of 4 characters or more: "an" is in too many words)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError("weak_password", f"a password needs at least {MIN_PASSWORD} characters")
    uid, pw = user_id.lower(), password.lower()
    if pw == uid or (len(uid) >= 4 and uid in pw):
        raise AccountError("weak_password", "a password must not contain the user id")


def parse_roles(text: str) -> frozenset[Role]:
    """``operator,supervisor`` as stored in the accounts table (or typed on the CLI)."""
    out = set()
    for raw in text.replace("+", ",").split(","):
        part = raw.strip()
        if not part:
            continue
        try:
            out.add(Role(part))
        except ValueError:
            known = ", ".join(r.value for r in ROLE_ORDER)
            raise AccountError("bad_roles", f"unknown role {part!r} (known: {known})") from None
    if not out:
        raise AccountError("bad_roles", "an account needs at least one role")
    return frozenset(out)


def roles_text(roles: frozenset[Role]) -> str:
    return ",".join(r.value for r in ROLE_ORDER if r in roles)


def primary_role(roles: frozenset[Role]) -> Role:
    return next(r for r in ROLE_ORDER if r in roles)
