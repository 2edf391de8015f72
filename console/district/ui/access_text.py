"""Words for people, roles, actions and refusals, in the UI language.

The services speak in codes (``PermissionDeniedError.code``, action-log
actions, the notes the console writes itself); the window turns each into a
translated sentence here, so no English reaches the Vietnamese UI. What the
city IOC's window says the same way (log-ins, accounts, refusals of access)
is in widgets/access_words.py, shared by both windows; the district's own
actions are named here.
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
from console.district.ui.incident_text import incident_value_text
from console.district.ui.incident_text import refusal as incident_refusal
from console.shared.errors import ActionRefusedError
from console.shared.session import ROLE_ORDER, Session
from widgets import access_words as words
from widgets.access_words import permission_verb, person_text, role_name, roles_name
from widgets.alarm_words import alarm_state_name

translate = QCoreApplication.translate

__all__ = [
    "ACTION_GROUPS",
    "action_name",
    "group_name",
    "note_text",
    "permission_verb",
    "person_text",
    "refusal_text",
    "role_name",
    "roles_name",
    "session_roles",
    "value_text",
]


def session_roles(session: Session) -> str:
    return ", ".join(role_name(r.value) for r in ROLE_ORDER if r in session.roles)


def action_name(action: str) -> str:
    common = words.duty_action_name(action)
    if common is not None:
        return common
    names = {
        "acknowledge": translate("Access", "acknowledged alarm"),
        "shelve": translate("Access", "shelved alarm"),
        "unshelve": translate("Access", "unshelved alarm"),
        "out_of_service": translate("Access", "took alarm out of service"),
        "return_to_service": translate("Access", "returned alarm to service"),
        "config_loaded": translate("Access", "loaded site configuration"),
        "incident_opened": translate("Access", "opened incident"),
        "incident_closed": translate("Access", "closed incident"),
        "escalated": translate("Access", "escalated to the city"),
        "escalation_updated": translate("Access", "sent an update to the city"),
        "escalation_cancelled": translate("Access", "cancelled the escalation to the city"),
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
    "duty": words.DUTY_ACTIONS,
    "alarms": ("acknowledge", "shelve", "unshelve", "out_of_service", "return_to_service"),
    "accounts": words.ACCOUNT_ACTIONS,
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
        "escalation_updated",
        "escalation_cancelled",
        "incident_closed",
        "handover_prepared",
        "handover_acknowledged",
    ),
}


def group_name(group: str) -> str:
    common = words.duty_group_name(group)
    if common is not None:
        return common
    names = {
        "alarms": translate("Access", "Alarm commands"),
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
    directive = {
        "unread": translate("Access", "unread"),
        "read": translate("Access", "read"),
        "done": translate("Access", "done"),
    }
    if value in directive:
        return directive[value]
    return words.duty_value_text(action, value)


def note_text(note: str, tz: ZoneInfo) -> str:
    """A note the console wrote itself (a code) in words; a person's note as typed."""
    if note == "console_start":
        return translate("Access", "console started")
    common = words.duty_note_text(note, tz)
    return note if common is None else common


def refusal_text(exc: ActionRefusedError, tz: ZoneInfo) -> str:
    """Why an action was refused, in the UI language."""
    code = getattr(exc, "code", "")
    text: str | None = None
    if isinstance(exc, IncidentError):
        return incident_refusal(code)
    if isinstance(exc, PermissionDeniedError):
        roles = session_roles(exc.session) if exc.session else ""
        text = words.permission_refusal(code, roles, exc.permission.value)
    elif isinstance(exc, LoginRefusedError):
        until = datetime.fromtimestamp(exc.until_ms / 1000, tz).strftime("%H:%M:%S")
        text = words.login_refusal(code, until)
    elif isinstance(exc, AccountError):
        text = words.account_refusal(code)
    return str(exc) if text is None else text
