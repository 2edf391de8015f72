"""The IOC window's words for people, roles, its action log and refusals (UI language).

Log-ins, accounts and access refusals are said as at the district console
(widgets/access_words.py, shared); the IOC's own actions and the refusals of
its services are named here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from console.hub.services.downlink import DownlinkRefusedError
from console.hub.services.escalations import EscalationRefusedError
from console.shared.access import AccountError, LoginRefusedError, PermissionDeniedError
from console.shared.errors import ActionRefusedError
from console.shared.session import ROLE_ORDER, Session
from widgets import access_words as words

translate = QCoreApplication.translate

ACTION_GROUPS: dict[str, tuple[str, ...]] = {
    "duty": words.DUTY_ACTIONS,
    "accounts": words.ACCOUNT_ACTIONS,
    "sent": ("directive_issued", "warning_issued"),
    "escalations": ("escalation_taken", "escalation_assigned", "escalation_acknowledged"),
}


def session_roles(session: Session) -> str:
    return ", ".join(words.role_name(r.value) for r in ROLE_ORDER if r in session.roles)


def action_name(action: str) -> str:
    common = words.duty_action_name(action)
    if common is not None:
        return common
    names = {
        "directive_issued": translate("Ioc", "sent a directive"),
        "warning_issued": translate("Ioc", "sent a city warning"),
        "escalation_taken": translate("Ioc", "took an escalation"),
        "escalation_assigned": translate("Ioc", "assigned an escalation to an agency"),
        "escalation_acknowledged": translate("Ioc", "acknowledged an escalation"),
    }
    return names.get(action, action)


def group_name(group: str) -> str:
    common = words.duty_group_name(group)
    if common is not None:
        return common
    if group == "sent":
        return translate("Ioc", "Sent to the sites")
    if group == "escalations":
        return translate("Ioc", "Escalations")
    return group


def note_text(note: str, tz: ZoneInfo) -> str:
    common = words.duty_note_text(note, tz)
    return note if common is None else common


def refusal_text(exc: ActionRefusedError, tz: ZoneInfo) -> str:
    """Why a command of this window did not happen."""
    code = getattr(exc, "code", "")
    text: str | None = None
    if isinstance(exc, PermissionDeniedError):
        roles = session_roles(exc.session) if exc.session else ""
        text = words.permission_refusal(code, roles, exc.permission.value)
    elif isinstance(exc, LoginRefusedError):
        until = datetime.fromtimestamp(exc.until_ms / 1000, tz).strftime("%H:%M:%S")
        text = words.login_refusal(code, until)
    elif isinstance(exc, AccountError):
        text = words.account_refusal(code)
    elif isinstance(exc, EscalationRefusedError):
        text = escalation_refusal(exc)
    elif isinstance(exc, DownlinkRefusedError):
        # The service's one line names the site or limit; it is said as written.
        text = translate("Ioc", "Refused by the hub: %1").replace("%1", str(exc))
    return str(exc) if text is None else text


def escalation_refusal(exc: EscalationRefusedError) -> str:
    """The escalation service's refusals in the UI language."""
    if exc.code == "acknowledged":
        return translate(
            "Ioc", "Refused: this escalation was acknowledged already (by %1)."
        ).replace("%1", exc.who)
    if exc.code == "unknown":
        return translate("Ioc", "Refused: the hub has not received this escalation.")
    if exc.code == "agency":
        return translate("Ioc", "Refused: that agency is not in the hub file's [agencies].")
    if exc.code == "note":
        return translate("Ioc", "Refused: the note is too long.")
    return translate("Ioc", "Refused by the hub: %1").replace("%1", str(exc))


class IocLogWords:
    """The IOC's words for its log (``widgets.action_log.ActionLogWords``)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    @property
    def groups(self) -> Mapping[str, tuple[str, ...]]:
        return ACTION_GROUPS

    def group_name(self, group: str) -> str:
        return group_name(group)

    def action_name(self, action: str) -> str:
        return action_name(action)

    def roles_name(self, roles: str) -> str:
        return words.roles_name(roles)

    def value_text(self, action: str, value: str) -> str:
        return words.duty_value_text(action, value)

    def note_text(self, note: str, tz: ZoneInfo) -> str:
        return note_text(note, tz)

    def person_text(self, user: str, name: str, authenticated: bool) -> str:
        return words.person_text(user, name, authenticated)

    def refusal(self, exc: BaseException) -> str | None:
        return refusal_text(exc, self.tz) if isinstance(exc, ActionRefusedError) else None
