"""Words for incidents in the UI language: statuses, steps, timeline entries, refusals.

The services speak in codes (``IncidentStatus``, ``TimelineKind``,
``IncidentError.code``); the window, the handover report and its PDF turn each
into a translated phrase here, so no English reaches the Vietnamese UI.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from console.shared.vocab import IncidentStatus, StepState, TimelineKind
from widgets.alarm_words import alarm_event_name, alarm_state_name

translate = QCoreApplication.translate


def status_name(status: str) -> str:
    names = {
        "new": translate("Incident", "new"),
        "acknowledged": translate("Incident", "acknowledged"),
        "in_progress": translate("Incident", "in progress"),
        "escalated": translate("Incident", "escalated"),
        "resolved": translate("Incident", "resolved"),
        "closed": translate("Incident", "closed"),
    }
    return names.get(status, status)


STATUS_SYMBOLS = {
    IncidentStatus.NEW: "●",
    IncidentStatus.ACKNOWLEDGED: "◐",
    IncidentStatus.IN_PROGRESS: "▶",
    IncidentStatus.ESCALATED: "⇧",
    IncidentStatus.RESOLVED: "✓",
    IncidentStatus.CLOSED: "■",
}
"""Status by shape as well as by word (never by colour alone)."""


def step_state_name(state: str) -> str:
    names = {
        "pending": translate("Incident", "to do"),
        "done": translate("Incident", "done"),
        "skipped": translate("Incident", "skipped"),
    }
    return names.get(state, state)


STEP_SYMBOLS = {StepState.PENDING: "☐", StepState.DONE: "☑", StepState.SKIPPED: "⊘"}


def role_needed(role: str) -> str:
    return translate("Incident", "supervisor") if role == "supervisor" else ""


def field_name(name: str) -> str:
    names = {
        "owner": translate("Incident", "owner"),
        "severity": translate("Incident", "severity"),
        "title": translate("Incident", "title"),
        "ward": translate("Incident", "ward"),
        "location": translate("Incident", "location"),
        "alarm": translate("Incident", "alarm"),
        "feed": translate("Incident", "feed"),
    }
    return names.get(name, name)


def timeline_kind_name(kind: str) -> str:
    names: dict[TimelineKind, str] = {
        TimelineKind.OPENED: translate("Incident", "opened"),
        TimelineKind.STATUS: translate("Incident", "status"),
        TimelineKind.NOTE: translate("Incident", "note"),
        TimelineKind.UPDATED: translate("Incident", "changed"),
        TimelineKind.LINKED: translate("Incident", "linked"),
        TimelineKind.ALARM: translate("Incident", "alarm"),
        TimelineKind.STEPS_ADDED: translate("Incident", "steps added"),
        TimelineKind.STEP_DONE: translate("Incident", "step done"),
        TimelineKind.STEP_SKIPPED: translate("Incident", "step skipped"),
        TimelineKind.STEP_OVERDUE: translate("Incident", "step overdue"),
        TimelineKind.ESCALATION: translate("Incident", "escalation"),
    }
    return names.get(TimelineKind(kind), kind) if kind in _KINDS else kind


_KINDS = frozenset(k.value for k in TimelineKind)


def change_text(kind: str, ref: str, before: str, after: str) -> str:
    """The ``before → after`` of an entry in words."""
    if kind in (TimelineKind.STATUS, TimelineKind.OPENED):
        b = status_name(before) if before else ""
        return f"{b} → {status_name(after)}" if b else status_name(after)
    if kind == TimelineKind.ALARM:
        b = alarm_state_name(before) if before else ""
        a = alarm_state_name(after)
        return f"{b} → {a}" if b else a
    if kind == TimelineKind.UPDATED:
        return f"{field_name(ref)}: {before or '—'} → {after or '—'}"
    if kind == TimelineKind.LINKED:
        return f"{field_name(before)} {ref}"
    if kind == TimelineKind.STEPS_ADDED:
        return after
    if kind == TimelineKind.ESCALATION:
        return f"{escalation_message_name(before)}: {escalation_step_name(after)}"
    if before or after:
        return f"{before} → {after}"
    return ""


def escalation_message_name(msg_type: str) -> str:
    """A CAP msgType of an escalation in words."""
    names = {
        "Alert": translate("Incident", "escalation to the city"),
        "Update": translate("Incident", "update to the city"),
        "Cancel": translate("Incident", "escalation cancelled"),
    }
    return names.get(msg_type, msg_type)


def escalation_step_name(step: str) -> str:
    """Where an escalation message got to (the ``after`` of its timeline entries)."""
    names = {
        "sent": translate("Incident", "queued for the hub"),
        "delivered": translate("Incident", "delivered to the hub"),
        "acknowledged": translate("Incident", "acknowledged by the IOC"),
        "overdue": translate("Incident", "not acknowledged in time"),
    }
    return names.get(step, step)


def entry_text(kind: str, text: str) -> str:
    """An entry's text; an alarm entry's event code (``activate: note``) in words."""
    if kind == TimelineKind.ALARM:
        event, _sep, note = text.partition(": ")
        return f"{alarm_event_name(event)}: {note}" if note else alarm_event_name(event)
    return text


def refusal(code: str) -> str:
    """An ``IncidentError`` code as a sentence."""
    texts = {
        "unknown_incident": translate("Incident", "No such incident."),
        "unknown_type": translate("Incident", "There is no procedure for this incident type."),
        "illegal_transition": translate(
            "Incident", "The incident cannot go to that status from where it is."
        ),
        "required_steps": translate(
            "Incident", "Required steps are not done or skipped yet: the incident cannot close."
        ),
        "unknown_step": translate("Incident", "No such step."),
        "step_not_pending": translate("Incident", "That step is done or skipped already."),
        "needs_reason": translate("Incident", "Skipping a step needs a reason."),
        "step_role": translate("Incident", "That step is a supervisor's."),
        "empty_note": translate("Incident", "The note is empty."),
        "empty_title": translate("Incident", "An incident needs a title."),
        "bad_severity": translate("Incident", "Severity must be 1, 2 or 3."),
        "unknown_alarm": translate("Incident", "An alarm selected no longer exists."),
        "unknown_feed": translate("Incident", "A feed named is not in this site."),
        "closed": translate("Incident", "The incident is closed: reopen it first."),
        "nothing_to_link": translate("Incident", "Select alarms first."),
        "unknown_handover": translate("Incident", "No such handover report."),
        "already_acknowledged": translate("Incident", "This handover was acknowledged already."),
        "empty_reason": translate(
            "Incident", "Say why: the reason goes to the city with the alert."
        ),
        "no_city_link": translate(
            "Incident", "This console has no city link: phone the IOC duty officer."
        ),
        "already_escalated": translate(
            "Incident", "The incident is escalated already: send an update."
        ),
        "not_escalated": translate(
            "Incident", "The incident has no escalation to update or cancel."
        ),
        "invalid_cap": translate("Incident", "The alert is not valid CAP 1.2 and was not sent."),
        "own_handover": translate(
            "Incident", "The person taking over acknowledges the handover, not its author."
        ),
    }
    return texts.get(code, code)


def incident_value_text(value: str) -> str:
    """An action-log before/after value of an incident action: a status or a step state in
    words; ``field=value`` with the field named; anything else as written."""
    if value in {s.value for s in IncidentStatus}:
        return status_name(value)
    if value in {s.value for s in StepState}:
        return step_state_name(value)
    name, sep, rest = value.partition("=")
    if sep and name in ("owner", "severity", "title", "ward", "location"):
        return f"{field_name(name)}: {rest}"
    if value == "handover":
        return translate("Incident", "for handover")
    return value
