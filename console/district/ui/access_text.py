"""Words for people, roles, actions and refusals, in the UI language.

The services speak in codes (``PermissionDeniedError.code``, action-log
actions, the notes the console writes itself); the window turns each into a
translated sentence here, so no English reaches the Vietnamese UI.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from console.district.domain.access import (
    AccountError,
    LoginRefusedError,
    PermissionDeniedError,
)
from console.district.domain.incidents import IncidentError
from console.district.ui.i18n import alarm_state_name
from console.district.ui.incident_text import incident_value_text
from console.district.ui.incident_text import refusal as incident_refusal
from console.shared.errors import ActionRefusedError
from console.shared.session import ROLE_ORDER, Session
from console.shared.vocab import Role

translate = QCoreApplication.translate


def role_name(role: str) -> str:
    names = {
        "viewer": translate("Access", "viewer"),
        "operator": translate("Access", "operator"),
        "supervisor": translate("Access", "supervisor"),
        "admin": translate("Access", "administrator"),
    }
    return names.get(role, role)


def roles_name(text: str) -> str:
    """``operator+supervisor`` or ``operator,supervisor`` in words."""
    parts = [p for p in text.replace("+", ",").split(",") if p]
    order = {r.value: i for i, r in enumerate(ROLE_ORDER)}
    return ", ".join(role_name(p) for p in sorted(parts, key=lambda p: order.get(p, 9)))


def session_roles(session: Session) -> str:
    return ", ".join(role_name(r.value) for r in ROLE_ORDER if r in session.roles)


def action_name(action: str) -> str:
    names = {
        "login": translate("Access", "logged in"),
        "logout": translate("Access", "logged out"),
        "handover": translate("Access", "took over the shift"),
        "lock": translate("Access", "screen locked"),
        "login_failed": translate("Access", "log-in failed"),
        "login_refused": translate("Access", "log-in refused"),
        "password_changed": translate("Access", "changed password"),
        "acknowledge": translate("Access", "acknowledged alarm"),
        "shelve": translate("Access", "shelved alarm"),
        "unshelve": translate("Access", "unshelved alarm"),
        "out_of_service": translate("Access", "took alarm out of service"),
        "return_to_service": translate("Access", "returned alarm to service"),
        "user_added": translate("Access", "added account"),
        "user_password_reset": translate("Access", "reset password"),
        "user_disabled": translate("Access", "disabled account"),
        "user_enabled": translate("Access", "enabled account"),
        "config_loaded": translate("Access", "loaded site configuration"),
        "incident_opened": translate("Access", "opened incident"),
        "incident_closed": translate("Access", "closed incident"),
        "escalated": translate("Access", "escalated to the city"),
        "directive_read": translate("Access", "read a directive of the city"),
        "directive_done": translate("Access", "did a directive of the city"),
        "warning_imported": translate("Access", "imported a CAP warning"),
        "incident_status": translate("Access", "changed incident status"),
        "incident_updated": translate("Access", "changed incident"),
        "incident_note": translate("Access", "noted on incident"),
        "incident_linked": translate("Access", "linked to incident"),
        "step_done": translate("Access", "did procedure step"),
        "step_skipped": translate("Access", "skipped procedure step"),
        "handover_prepared": translate("Access", "prepared shift handover"),
        "handover_acknowledged": translate("Access", "took over shift handover"),
    }
    return names.get(action, action)


ACTION_GROUPS: dict[str, tuple[str, ...]] = {
    "duty": ("login", "logout", "handover", "lock", "login_failed", "login_refused"),
    "alarms": ("acknowledge", "shelve", "unshelve", "out_of_service", "return_to_service"),
    "accounts": (
        "user_added",
        "user_password_reset",
        "user_disabled",
        "user_enabled",
        "password_changed",
    ),
    "config": ("config_loaded",),
    "city": ("directive_read", "directive_done", "warning_imported"),
    "incidents": (
        "incident_opened",
        "incident_status",
        "incident_updated",
        "incident_note",
        "incident_linked",
        "step_done",
        "step_skipped",
        "escalated",
        "incident_closed",
        "handover_prepared",
        "handover_acknowledged",
    ),
}


def group_name(group: str) -> str:
    names = {
        "duty": translate("Access", "Log-ins and shifts"),
        "alarms": translate("Access", "Alarm commands"),
        "accounts": translate("Access", "Accounts"),
        "config": translate("Access", "Configuration"),
        "city": translate("Access", "City IOC"),
        "incidents": translate("Access", "Incidents and handovers"),
    }
    return names.get(group, group)


def value_text(action: str, value: str) -> str:
    """A before/after value in words where the console wrote a code."""
    if action in ACTION_GROUPS["alarms"]:
        return alarm_state_name(value)
    if action in ACTION_GROUPS["incidents"]:
        return incident_value_text(value)
    words = {
        "locked": translate("Access", "locked"),
        "on_duty": translate("Access", "on duty"),
        "enabled": translate("Access", "enabled"),
        "disabled": translate("Access", "disabled"),
        "must_change": translate("Access", "must change password"),
        "unread": translate("Access", "unread"),
        "read": translate("Access", "read"),
        "done": translate("Access", "done"),
    }
    if value in words:
        return words[value]
    if action == "user_added":
        return roles_name(value)
    return value


def note_text(note: str, tz: ZoneInfo) -> str:
    """A note the console wrote itself (a code) in words; a person's note as typed."""
    words = {
        "idle": translate("Access", "no activity"),
        "manual": translate("Access", "locked by the person on duty"),
        "wrong_password": translate("Access", "wrong password"),
        "unknown_user": translate("Access", "no such account"),
        "disabled": translate("Access", "account disabled"),
        "waiting": translate("Access", "account waiting after failed log-ins"),
        "first_admin": translate("Access", "first administrator"),
        "console_start": translate("Access", "console started"),
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
    return note


def _local(iso: str, tz: ZoneInfo) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(tz).strftime("%H:%M:%S %d/%m")
    except ValueError:
        return iso


def person_text(user: str, name: str, authenticated: bool) -> str:
    if not authenticated:
        return translate("Access", "%1 (OS account, not logged in)").replace("%1", user)
    return f"{name} ({user})" if name else user


def refusal_text(exc: ActionRefusedError, tz: ZoneInfo) -> str:
    """Why an action was refused, in the UI language."""
    code = getattr(exc, "code", "")
    if isinstance(exc, IncidentError):
        return incident_refusal(code)
    if isinstance(exc, PermissionDeniedError):
        perm = exc.permission.value
        texts = {
            "not_logged_in": translate("Access", "Refused: nobody is logged in. Log in first."),
            "locked": translate("Access", "Refused: the screen is locked. Log in to continue."),
            "not_on_duty": translate(
                "Access", "Refused: you are no longer on duty at this workstation."
            ),
            "role": translate("Access", "Refused: your role (%1) may not %2.")
            .replace("%1", session_roles(exc.session) if exc.session else "")
            .replace("%2", permission_verb(perm)),
        }
        return texts.get(code, str(exc))
    if isinstance(exc, LoginRefusedError):
        until = datetime.fromtimestamp(exc.until_ms / 1000, tz).strftime("%H:%M:%S")
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
        return texts.get(code, str(exc))
    if isinstance(exc, AccountError):
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
            "last_admin": translate(
                "Access", "This is the last administrator: add another one first."
            ),
            "unchanged": translate("Access", "Nothing to change."),
        }
        return texts.get(code, str(exc))
    return str(exc)


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
    }
    return verbs.get(perm, perm)


ALL_ROLES = tuple(Role)
