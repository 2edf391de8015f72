"""Who may do what, in both products: roles, a permission table per product, the refusals
people see, the rules for user ids and passwords, the ``[access]`` settings. Plain Python.

Each product has its own table (``AccessPolicy``): the district console's in
``console.district.domain.access``, the city IOC's in
``console.hub.services.access`` (docs/ROLES.md has both, a test keeps each
equal to its code). Roles are not a ladder: an administrator manages accounts
but does not operate (separation of duties); an account that needs both holds
both roles. An account holds only the roles of its own product: a district
account cannot be an IOC supervisor, and the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from msgspec import Meta

from console.shared.configfile import Table
from console.shared.errors import ActionRefusedError
from console.shared.session import ROLE_ORDER, Session
from console.shared.vocab import Permission, Role


@dataclass(frozen=True)
class AccessConfig:
    """Log-in and the idle lock (``[access]`` of a site file or of the hub's file;
    docs/CONFIG.md, docs/ROLES.md)."""

    idle_lock_s: float = 600.0
    """No keyboard or mouse for this long locks the screen (0: never)."""
    max_failed_logins: int = 5
    """Failed log-ins in a row after which the account waits."""
    login_wait_s: float = 300.0
    """How long it waits: no log-in is even tried before then."""


class AccessTable(Table):
    """``[access]`` as declared in a configuration file."""

    idle_lock_s: Annotated[float, Meta(ge=0, le=86_400)] = AccessConfig.idle_lock_s
    max_failed_logins: Annotated[int, Meta(ge=1, le=100)] = AccessConfig.max_failed_logins
    login_wait_s: Annotated[float, Meta(ge=0, le=86_400)] = AccessConfig.login_wait_s

    def config(self) -> AccessConfig:
        return AccessConfig(self.idle_lock_s, self.max_failed_logins, self.login_wait_s)


# -- refusals ------------------------------------------------------------------------------
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


# -- user ids and passwords -----------------------------------------------------------------
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


# -- a product's roles and permissions -------------------------------------------------------
@dataclass(frozen=True)
class AccessPolicy:
    """The roles a product's accounts may hold and what each may do."""

    permissions: Mapping[Role, frozenset[Permission]]
    """The permission table; its keys are the product's roles."""

    @property
    def roles(self) -> tuple[Role, ...]:
        """The product's roles in display order."""
        return tuple(r for r in ROLE_ORDER if r in self.permissions)

    @property
    def admin(self) -> Role:
        return Role.ADMIN

    def granted(self, roles: frozenset[Role], permission: Permission) -> bool:
        """Roles of another product grant nothing here."""
        return any(permission in self.permissions.get(r, frozenset()) for r in roles)

    def parse_roles(self, text: str) -> frozenset[Role]:
        """``operator,supervisor`` as stored in an accounts table (or typed on the CLI)."""
        out = set()
        known = ", ".join(r.value for r in self.roles)
        for raw in text.replace("+", ",").split(","):
            part = raw.strip()
            if not part:
                continue
            try:
                role = Role(part)
            except ValueError:
                role = None
            if role is None or role not in self.permissions:
                raise AccountError("bad_roles", f"unknown role {part!r} (known: {known})")
            out.add(role)
        if not out:
            raise AccountError("bad_roles", "an account needs at least one role")
        return frozenset(out)


def roles_text(roles: frozenset[Role]) -> str:
    return ",".join(r.value for r in ROLE_ORDER if r in roles)


def primary_role(roles: frozenset[Role]) -> Role:
    return next(r for r in ROLE_ORDER if r in roles)
