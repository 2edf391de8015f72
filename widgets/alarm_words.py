"""Words for alarms — rules, events, states, severities — in the UI language.

Both products show the same alarms: the district console its own, the IOC
window each site's as they came up the ``alarm`` stream (docs/PROTOCOL.md).
The codes are the shared vocabulary (console.shared.vocab: AlarmRule,
AlarmEvent, AlarmState); the words are here, once for both, in the Qt
translation context ``Alarm`` (resources/i18n). A code not known here comes
back unchanged (readers keep unknown rules and events), never dropped.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate

SYSTEM = "system"
"""In the ``alarm`` stream: the ``user`` of what the alarm engine did itself, and the
``feed`` of a system alarm (the log's disk), which has no feed."""


def severity_name(severity: int) -> str:
    """1-3 in words; "" for 0 (no severity: an alarm back to normal)."""
    names = {
        1: translate("Alarm", "low"),
        2: translate("Alarm", "medium"),
        3: translate("Alarm", "high"),
    }
    return names.get(severity, "")


def alarm_state_name(state: str) -> str:
    names = {
        "active_unack": translate("Alarm", "active, unacknowledged"),
        "active_ack": translate("Alarm", "active, acknowledged"),
        "cleared_unack": translate("Alarm", "cleared, unacknowledged"),
        "shelved": translate("Alarm", "shelved"),
        "out_of_service": translate("Alarm", "out of service"),
        "normal": translate("Alarm", "normal"),
    }
    return names.get(state, state)


def alarm_rule_name(rule: str) -> str:
    names = {
        "high": translate("Alarm", "high level"),
        "low": translate("Alarm", "low level"),
        "roc": translate("Alarm", "rising fast"),
        "stale": translate("Alarm", "no data"),
        "flatline": translate("Alarm", "stuck value"),
        "disk": translate("Alarm", "log disk space"),
        "procedure": translate("Alarm", "procedure step overdue"),
        "escalation": translate("Alarm", "no IOC acknowledgement"),
    }
    return names.get(rule, rule)


def system_name() -> str:
    """What the feed column shows for a system alarm (one without a feed), and who acted
    when the alarm engine did."""
    return translate("Alarm", "System")


def alarm_event_name(event: str) -> str:
    names = {
        "activate": translate("Alarm", "activated"),
        "clear": translate("Alarm", "cleared"),
        "severity": translate("Alarm", "severity changed"),
        "ack": translate("Alarm", "acknowledged"),
        "shelve": translate("Alarm", "shelved"),
        "unshelve": translate("Alarm", "unshelved"),
        "remove": translate("Alarm", "out of service"),
        "restore": translate("Alarm", "back in service"),
    }
    return names.get(event, event)


def alarm_time(ms: int, tz: ZoneInfo, today: datetime) -> str:
    """An alarm's time to the second, with the date when it is not ``today``'s ("" for 0)."""
    if not ms:
        return ""
    t = datetime.fromtimestamp(ms / 1000, tz)
    return t.strftime("%H:%M:%S") if t.date() == today.date() else t.strftime("%d/%m %H:%M:%S")


def actor_name(user: str, workstation: str = "") -> str:
    """Who caused a transition: ``user@workstation`` (as the district's journal writes it),
    or the system for the alarm engine (``system`` or no user)."""
    if not user or user == SYSTEM:
        return system_name()
    return f"{user}@{workstation}" if workstation else user


_DISK_NOTE = re.compile(
    r"free (?P<free>[\d.,]+ [MG]B) of (?P<total>[\d.,]+ [MG]B); log (?P<log>[\d.,]+ [MG]B)"
    r"(?:; cannot commit: (?P<error>.+?))?(?:; (?P<dropped>[\d,]+) readings not stored)?"
)
"""The disk check's note (``console.district.services.disk.describe``: the journal keeps it
as written, the window shows it in its language; tests/test_alarm_words.py ties the two)."""


def note_text(note: str, user: str = "") -> str:
    """A transition's note: a person's words as written; the notes the console writes
    itself (the alarm engine's, the disk check's) in the UI language."""
    if user in ("", SYSTEM):
        return system_note_text(note)
    return note


def system_note_text(note: str) -> str:
    """A note the console wrote itself, in the UI language; any other text as written."""
    if note == "shelving expired":
        return translate("Alarm", "shelving expired")
    m = _DISK_NOTE.fullmatch(note)
    if m is None:
        return note
    parts = [
        translate("Alarm", "free %1 of %2").replace("%1", m["free"]).replace("%2", m["total"]),
        translate("Alarm", "log %1").replace("%1", m["log"]),
    ]
    if m["error"]:
        parts.append(translate("Alarm", "cannot commit: %1").replace("%1", m["error"]))
    if m["dropped"]:
        parts.append(translate("Alarm", "%1 readings not stored").replace("%1", m["dropped"]))
    return "; ".join(parts)
