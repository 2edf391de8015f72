"""Vocabularies shared by both products, as ``StrEnum`` (they compare equal to their strings,
so the values stored in databases and sent on the link stay exactly what they were)."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Quality(IntEnum):
    """A reading's quality as gateways send it (docs/PROTOCOL.md)."""

    GOOD = 0
    UNCERTAIN = 1
    BAD = 2


class FeedState(StrEnum):
    """What an operator should believe about a feed right now."""

    NODATA = "nodata"
    GOOD = "good"
    UNCERTAIN = "uncertain"
    BAD = "bad"
    STALE = "stale"


class AlarmState(StrEnum):
    """ISA-18.2 alarm states."""

    NORMAL = "normal"
    ACTIVE_UNACK = "active_unack"
    ACTIVE_ACK = "active_ack"
    CLEARED_UNACK = "cleared_unack"
    SHELVED = "shelved"
    OUT_OF_SERVICE = "out_of_service"

    @property
    def unacknowledged(self) -> bool:
        """Needs an operator's acknowledgement (active or latched after clearing)."""
        return self in (AlarmState.ACTIVE_UNACK, AlarmState.CLEARED_UNACK)


class AlarmEvent(StrEnum):
    """What happened to an alarm (one journal row each)."""

    ACTIVATE = "activate"
    CLEAR = "clear"
    SEVERITY = "severity"
    ACK = "ack"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    REMOVE = "remove"
    RESTORE = "restore"


class AlarmRule(StrEnum):
    HIGH = "high"
    LOW = "low"
    ROC = "roc"
    STALE = "stale"
    FLATLINE = "flatline"
    DISK = "disk"
    """A system alarm (no feed): the log's disk is low on space or cannot be written."""
    PROCEDURE = "procedure"
    """Not a feed's: a step of an incident's procedure is overdue (docs/INCIDENTS.md)."""
    ESCALATION = "escalation"
    """Not a feed's: the city IOC has not acknowledged an escalation in time (docs/CAP.md)."""


FEED_RULES: frozenset[AlarmRule] = frozenset(
    {AlarmRule.HIGH, AlarmRule.LOW, AlarmRule.ROC, AlarmRule.STALE, AlarmRule.FLATLINE}
)
"""Rules evaluated on a feed's readings; any other rule is raised by a non-feed source."""


class Stream(StrEnum):
    """Numbered streams on the city link (docs/PROTOCOL.md §2.4): console → hub (uplink) and
    hub → console (downlink). The names of the two directions never overlap."""

    # uplink
    ESCALATION = "escalation"
    """CAP 1.2 alerts a supervisor escalates (Alert, Update, Cancel)."""
    STATUS = "status"
    DIRECTIVE_STATE = "dir_status"
    """What a person at the site did with a directive (read, done)."""
    ALARM = "alarm"
    """Every alarm transition (who acknowledged what, when)."""
    AUDIT = "audit"
    SUMMARY = "summary"
    # downlink
    ESCALATION_ACK = "esc_ack"
    """The IOC's acknowledgement of an escalation."""
    DIRECTIVE = "directive"
    WARNING = "warning"
    """City warnings, as CAP 1.2 (or 1.1) XML."""


UPLINK_PRIORITY: tuple[Stream, ...] = (
    Stream.ESCALATION,
    Stream.STATUS,
    Stream.DIRECTIVE_STATE,
    Stream.ALARM,
    Stream.AUDIT,
    Stream.SUMMARY,
)
"""The console always serves an earlier stream first: a summary backlog never delays status.

Escalations come first: a district asking the city for help must never wait. The
status is one small record that tells the city the site is alive and how its alarms
stand. A person's answer to a directive (``dir_status``: a few records a day) must not
wait behind an alarm flood, and each alarm transition (``alarm``) must not wait behind a
burst of action-log entries (a failed log-in storm) nor behind hours of summaries after
an outage. The action log (``audit``, a few records an hour) likewise sits above the
summaries.
"""

DOWNLINK_PRIORITY: tuple[Stream, ...] = (
    Stream.ESCALATION_ACK,
    Stream.DIRECTIVE,
    Stream.WARNING,
)
"""The hub serves an earlier stream first: the city's answer to an escalation, then its
directives, then city warnings (whose CAP XML may be large)."""


class RecordKind(StrEnum):
    """The ``kind`` of a record on a stream (one typed schema each, console.shared.records)."""

    STATUS = "status"
    MINUTE = "minute"
    ENTRY = "entry"
    """One action-log entry (stream ``audit``)."""
    EVENT = "event"
    """One alarm transition (stream ``alarm``)."""
    STATE = "state"
    """A directive read or done at a site (stream ``dir_status``)."""
    ALERT = "alert"
    """A CAP alert escalated by a site (stream ``escalation``)."""
    ACK = "ack"
    """The IOC's acknowledgement of an escalation (stream ``esc_ack``)."""
    DIRECTIVE = "directive"
    """One directive of the IOC (stream ``directive``)."""
    CAP = "cap"
    """One city warning as CAP XML (stream ``warning``)."""


class DirectivePriority(StrEnum):
    """How urgent a directive is; ``high`` and ``urgent`` sound at the console."""

    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return {"normal": 0, "high": 1, "urgent": 2}[self.value]

    @property
    def sounds(self) -> bool:
        return self is not DirectivePriority.NORMAL


class DirectiveStep(StrEnum):
    """What a person at a site did with a directive (in this order)."""

    READ = "read"
    DONE = "done"


class Role(StrEnum):
    """What a person may do (docs/ROLES.md; the services enforce it)."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    IOC_VIEWER = "ioc_viewer"
    """At the city IOC: sees the city and reads the IOC's action log; sends nothing."""
    IOC_OPERATOR = "ioc_operator"
    """At the city IOC: takes escalations, sends directives (the IOC's table, docs/ROLES.md)."""
    IOC_SUPERVISOR = "ioc_supervisor"
    """At the city IOC: also assigns escalations to agencies and issues city warnings."""


class Permission(StrEnum):
    """One kind of action a role may be granted (the table is in docs/ROLES.md)."""

    VIEW = "view"
    """Live values, alarms, journal, history."""
    VIEW_ACTION_LOG = "view_action_log"
    ACKNOWLEDGE = "acknowledge"
    SHELVE = "shelve"
    """Shelve and unshelve an alarm."""
    OUT_OF_SERVICE = "out_of_service"
    """Take an alarm out of service and return it."""
    OPEN_INCIDENT = "open_incident"
    WORK_INCIDENT = "work_incident"
    """Acknowledge, take, progress and resolve an incident; do or skip its steps; notes;
    link alarms to it; reopen a resolved one."""
    CLOSE_INCIDENT = "close_incident"
    """Close an incident (and reopen a closed one)."""
    ESCALATE = "escalate"
    """Escalate an incident to the city IOC."""
    HANDLE_DIRECTIVES = "handle_directives"
    """Mark a directive of the city IOC read or done."""
    IMPORT_WARNINGS = "import_warnings"
    """Import a CAP warning from a file into the console's city warnings."""
    SHIFT_HANDOVER = "shift_handover"
    """Prepare the shift handover report, and acknowledge the one handed over."""
    MANAGE_USERS = "manage_users"
    EDIT_CONFIG = "edit_config"
    """Edit and reload the site configuration."""
    # -- the city IOC's (console.hub.services.access has its table) --------------------------
    ISSUE_DIRECTIVES = "issue_directives"
    """Send a directive of the IOC to sites."""
    ISSUE_WARNINGS = "issue_warnings"
    """Send a CAP city warning to sites (built at the IOC, or forwarded)."""
    HANDLE_ESCALATIONS = "handle_escalations"
    """Take an escalation of a site and acknowledge it (the answer goes down to the site)."""
    ASSIGN_ESCALATIONS = "assign_escalations"
    """Assign an escalation to an agency."""


class AuditAction(StrEnum):
    """What an action-log entry records (docs/ROLES.md lists them with their fields)."""

    LOGIN = "login"
    LOGOUT = "logout"
    HANDOVER = "handover"
    """A person took over the workstation from the one on duty."""
    LOCK = "lock"
    """The screen locked (idle, or on request); the person stays on duty, actions wait."""
    LOGIN_FAILED = "login_failed"
    LOGIN_REFUSED = "login_refused"
    """A log-in not even tried: the account is disabled or waiting after failures."""
    PASSWORD_CHANGED = "password_changed"
    ACKNOWLEDGE = "acknowledge"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    OUT_OF_SERVICE = "out_of_service"
    RETURN_TO_SERVICE = "return_to_service"
    USER_ADDED = "user_added"
    USER_PASSWORD_RESET = "user_password_reset"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    CONFIG_LOADED = "config_loaded"
    """The console started with a site file other than the last one it recorded."""
    INCIDENT_OPENED = "incident_opened"
    INCIDENT_CLOSED = "incident_closed"
    ESCALATED = "escalated"
    """An incident escalated to the city IOC (a CAP Alert sent)."""
    ESCALATION_UPDATED = "escalation_updated"
    """A CAP Update of an escalation sent (new severity, area, text)."""
    ESCALATION_CANCELLED = "escalation_cancelled"
    """A CAP Cancel sent: the district withdrew its escalation."""
    DIRECTIVE_READ = "directive_read"
    DIRECTIVE_DONE = "directive_done"
    WARNING_IMPORTED = "warning_imported"
    """A CAP warning imported from a file (``opsconsole cap import``)."""
    INCIDENT_STATUS = "incident_status"
    """Any other status change of an incident (acknowledged, in progress, resolved, reopened)."""
    INCIDENT_UPDATED = "incident_updated"
    """Owner, severity, title or location changed."""
    INCIDENT_NOTE = "incident_note"
    INCIDENT_LINKED = "incident_linked"
    """Alarms (or feeds) linked to an incident."""
    STEP_DONE = "step_done"
    STEP_SKIPPED = "step_skipped"
    HANDOVER_PREPARED = "handover_prepared"
    HANDOVER_ACKNOWLEDGED = "handover_acknowledged"
    # -- the city IOC's own log (hub database, table ioc_action_log) -------------------------
    DIRECTIVE_ISSUED = "directive_issued"
    WARNING_ISSUED = "warning_issued"
    ESCALATION_TAKEN = "escalation_taken"
    ESCALATION_ASSIGNED = "escalation_assigned"
    ESCALATION_ACKNOWLEDGED = "escalation_acknowledged"


IOC_ACTIONS: frozenset[AuditAction] = frozenset(
    {
        AuditAction.DIRECTIVE_ISSUED,
        AuditAction.WARNING_ISSUED,
        AuditAction.ESCALATION_TAKEN,
        AuditAction.ESCALATION_ASSIGNED,
        AuditAction.ESCALATION_ACKNOWLEDGED,
    }
)
"""Actions only the city IOC's log records (never sent on the link: docs/ROLES.md)."""


class IncidentStatus(StrEnum):
    """An incident's lifecycle (docs/INCIDENTS.md has the transitions)."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def open(self) -> bool:
        """Still being handled (not resolved or closed)."""
        return self not in (IncidentStatus.RESOLVED, IncidentStatus.CLOSED)

    @property
    def rank(self) -> int:
        """Where the incidents panel lists it: open 0, resolved 1, closed 2."""
        return {IncidentStatus.RESOLVED: 1, IncidentStatus.CLOSED: 2}.get(self, 0)


class StepState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"


class TimelineKind(StrEnum):
    """What an entry of an incident's timeline records (docs/INCIDENTS.md)."""

    OPENED = "opened"
    STATUS = "status"
    NOTE = "note"
    UPDATED = "updated"
    """Owner, severity, title or location changed (``before`` → ``after``)."""
    LINKED = "linked"
    """An alarm or a feed was linked to the incident."""
    ALARM = "alarm"
    """A linked alarm changed (activated, cleared, acknowledged…)."""
    STEPS_ADDED = "steps_added"
    """A higher severity brought steps of the procedure that did not apply before."""
    STEP_DONE = "step_done"
    STEP_SKIPPED = "step_skipped"
    STEP_OVERDUE = "step_overdue"
    ESCALATION = "escalation"
    """The escalation to the city: a CAP message sent (Alert, Update, Cancel), delivered to
    the hub, acknowledged by the IOC, or not acknowledged in time (``after`` says which)."""
