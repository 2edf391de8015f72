"""Words for roles, duty and account actions and access refusals, in the UI language.

Both products' windows log people in the same way (console.shared.duty): the
services speak in codes — a refusal's ``code``, an action-log ``action``, the
notes they write themselves — and each code is turned into a translated
sentence here, once for both (context ``Access``). A product's own actions and
permissions are named by the product's window; what is not known here comes
back as ``None`` (or unchanged), never as English in the Vietnamese UI.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate

ROLE_ORDER = (
    "viewer",
    "operator",
    "supervisor",
    "ioc_viewer",
    "ioc_operator",
    "ioc_supervisor",
    "admin",
)
"""Display order (the products' vocabulary, console.shared.session, in the same order)."""


def role_name(role: str) -> str:
    names = {
        "viewer": translate("Access", "viewer"),
        "operator": translate("Access", "operator"),
        "supervisor": translate("Access", "supervisor"),
        "ioc_viewer": translate("Access", "IOC viewer"),
        "ioc_operator": translate("Access", "IOC operator"),
        "ioc_supervisor": translate("Access", "IOC supervisor"),
        "admin": translate("Access", "administrator"),
    }
    return names.get(role, role)


def roles_name(text: str) -> str:
    """``operator+supervisor`` or ``operator,supervisor`` in words."""
    parts = [p for p in text.replace("+", ",").split(",") if p]
    order = {r: i for i, r in enumerate(ROLE_ORDER)}
    return ", ".join(role_name(p) for p in sorted(parts, key=lambda p: order.get(p, 9)))


DUTY_ACTIONS = ("login", "logout", "handover", "lock", "login_failed", "login_refused")
ACCOUNT_ACTIONS = (
    "user_added",
    "user_password_reset",
    "user_disabled",
    "user_enabled",
    "password_changed",
)


def duty_action_name(action: str) -> str | None:
    """A log-in, shift or account action in words (None: not one of these)."""
    names = {
        "login": translate("Access", "logged in"),
        "logout": translate("Access", "logged out"),
        "handover": translate("Access", "took over the shift"),
        "lock": translate("Access", "screen locked"),
        "login_failed": translate("Access", "log-in failed"),
        "login_refused": translate("Access", "log-in refused"),
        "password_changed": translate("Access", "changed password"),
        "user_added": translate("Access", "added account"),
        "user_password_reset": translate("Access", "reset password"),
        "user_disabled": translate("Access", "disabled account"),
        "user_enabled": translate("Access", "enabled account"),
    }
    return names.get(action)


def duty_group_name(group: str) -> str | None:
    names = {
        "duty": translate("Access", "Log-ins and shifts"),
        "accounts": translate("Access", "Accounts"),
    }
    return names.get(group)


def duty_value_text(action: str, value: str) -> str:
    """A before/after value of a duty or account entry in words (else as written)."""
    words = {
        "locked": translate("Access", "locked"),
        "on_duty": translate("Access", "on duty"),
        "enabled": translate("Access", "enabled"),
        "disabled": translate("Access", "disabled"),
        "must_change": translate("Access", "must change password"),
    }
    if value in words:
        return words[value]
    if action == "user_added":
        return roles_name(value)
    return value


def duty_note_text(note: str, tz: ZoneInfo) -> str | None:
    """A note the service wrote itself (a code) in words; None: a person's note."""
    words = {
        "idle": translate("Access", "no activity"),
        "manual": translate("Access", "locked by the person on duty"),
        "wrong_password": translate("Access", "wrong password"),
        "unknown_user": translate("Access", "no such account"),
        "disabled": translate("Access", "account disabled"),
        "waiting": translate("Access", "account waiting after failed log-ins"),
        "first_admin": translate("Access", "first administrator"),
    }
    if note in words:
        return words[note]
    head, sep, until = note.partition("; waiting until ")
    if sep and head in words:
        return (
            words[head]
            + "; "
            + translate("Access", "waiting until %1").replace("%1", _local(until, tz))
        )
    return None


def _local(iso: str, tz: ZoneInfo) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(tz).strftime("%H:%M:%S %d/%m")
    except ValueError:
        return iso


def person_text(user: str, name: str, authenticated: bool) -> str:
    if not authenticated:
        return translate("Access", "%1 (OS account, not logged in)").replace("%1", user)
    return f"{name} ({user})" if name else user


def permission_verb(perm: str) -> str:
    verbs = {
        "view": translate("Access", "view the console"),
        "view_action_log": translate("Access", "read the action log"),
        "acknowledge": translate("Access", "acknowledge alarms"),
        "shelve": translate("Access", "shelve alarms"),
        "out_of_service": translate("Access", "take alarms out of service"),
        "open_incident": translate("Access", "open incidents"),
        "work_incident": translate("Access", "work on incidents"),
        "close_incident": translate("Access", "close incidents"),
        "shift_handover": translate("Access", "hand over the shift"),
        "escalate": translate("Access", "escalate to the city"),
        "manage_users": translate("Access", "manage accounts"),
        "edit_config": translate("Access", "edit the site configuration"),
        "handle_directives": translate("Access", "mark directives read or done"),
        "import_warnings": translate("Access", "import warnings"),
        "issue_directives": translate("Access", "send directives to the sites"),
        "issue_warnings": translate("Access", "send city warnings"),
        "handle_escalations": translate("Access", "take and acknowledge escalations"),
        "assign_escalations": translate("Access", "assign escalations to agencies"),
    }
    return verbs.get(perm, perm)


def permission_refusal(code: str, roles: str, perm: str) -> str | None:
    """Why a command was refused (``PermissionDeniedError.code``); ``roles`` in words."""
    texts = {
        "not_logged_in": translate("Access", "Refused: nobody is logged in. Log in first."),
        "locked": translate("Access", "Refused: the screen is locked. Log in to continue."),
        "not_on_duty": translate(
            "Access", "Refused: you are no longer on duty at this workstation."
        ),
        "role": translate("Access", "Refused: your role (%1) may not %2.")
        .replace("%1", roles)
        .replace("%2", permission_verb(perm)),
    }
    return texts.get(code)


def login_refusal(code: str, until: str) -> str | None:
    """Why a log-in did not happen (``LoginRefusedError.code``); ``until``: the wait's end."""
    texts = {
        "bad_credentials": translate("Access", "Wrong user id or password."),
        "disabled": translate("Access", "This account is disabled: ask an administrator."),
        "waiting": translate(
            "Access", "Too many failed log-ins: this account can try again at %1."
        ).replace("%1", until),
        "must_change_password": translate(
            "Access",
            "One-time password: choose a new one, type it twice and log in.",
        ),
        "weak_password": translate(
            "Access",
            "The new password needs at least 10 characters, must differ from the old "
            "one and must not be built on the user id.",
        ),
        "exists": translate("Access", "Accounts exist already: log in."),
    }
    return texts.get(code)


def account_refusal(code: str) -> str | None:
    """Why an account change did not happen (``AccountError.code``)."""
    texts = {
        "exists": translate("Access", "An account with this user id exists already."),
        "unknown": translate("Access", "There is no such account."),
        "bad_id": translate(
            "Access", "A user id has 1-64 characters from a-z 0-9 . _ - (lower case)."
        ),
        "bad_roles": translate("Access", "Choose at least one role."),
        "bad_name": translate("Access", "A full name is needed."),
        "weak_password": translate(
            "Access",
            "A password needs at least 10 characters and must not be built on the user id.",
        ),
        "last_admin": translate("Access", "This is the last administrator: add another one first."),
        "unchanged": translate("Access", "Nothing to change."),
    }
    return texts.get(code)
