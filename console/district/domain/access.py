"""The district console's roles and permissions: plain Python, no I/O.

``PERMISSIONS`` is the district's table of docs/ROLES.md (a test keeps the two
equal). Roles are not a ladder: an administrator manages accounts and
configuration but does not operate the process (separation of duties); an
account that needs both holds both roles. Every command of the services goes
through one check (``AccessService.authorize``), which asks ``POLICY``. The
refusals, the user-id and password rules and the role parsing are shared with
the city IOC (console.shared.access) and re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from console.shared.access import (
    MIN_PASSWORD,
    USER_ID_CHARS,
    AccessPolicy,
    AccountError,
    LoginRefusedError,
    PermissionDeniedError,
    check_password,
    check_user_id,
    primary_role,
    roles_text,
)
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
"""What each role may do at a district console; the IOC's roles are not here (their
accounts live in the hub database). Viewing needs no permission before log-in (a
control room never goes dark); ``VIEW_ACTION_LOG`` needs a session."""

POLICY = AccessPolicy(PERMISSIONS)
ROLES = POLICY.roles
"""The roles a district account may hold: viewer, operator, supervisor, admin."""
DISTRICT_PERMISSIONS: frozenset[Permission] = frozenset().union(*PERMISSIONS.values())
"""The permissions the district console knows (its table's rows in docs/ROLES.md)."""


def granted(roles: frozenset[Role], permission: Permission) -> bool:
    return POLICY.granted(roles, permission)


def parse_roles(text: str) -> frozenset[Role]:
    """``operator,supervisor`` as stored in the accounts table (or typed on the CLI)."""
    return POLICY.parse_roles(text)


__all__ = [
    "DISTRICT_PERMISSIONS",
    "MIN_PASSWORD",
    "PERMISSIONS",
    "POLICY",
    "ROLES",
    "USER_ID_CHARS",
    "AccountError",
    "LoginRefusedError",
    "PermissionDeniedError",
    "check_password",
    "check_user_id",
    "granted",
    "parse_roles",
    "primary_role",
    "roles_text",
]
