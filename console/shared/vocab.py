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


class Stream(StrEnum):
    """Numbered streams on the city link, console → hub, highest priority first."""

    STATUS = "status"
    AUDIT = "audit"
    SUMMARY = "summary"


UPLINK_PRIORITY: tuple[Stream, ...] = (Stream.STATUS, Stream.AUDIT, Stream.SUMMARY)
"""The console always serves an earlier stream first: a summary backlog never delays status.

The action log (``audit``) sits between them: a few records an hour that say who did
what, so they must never wait behind hours of summaries after an outage; but below the
status, which is one small record that tells the city the site is alive and how its
alarms stand, and which a burst of action-log entries (a failed log-in storm) must not
delay. Escalations and incidents will go above ``status``.
"""


class RecordKind(StrEnum):
    """The ``kind`` of a record on a stream (one typed schema each, console.shared.records)."""

    STATUS = "status"
    MINUTE = "minute"
    ENTRY = "entry"
    """One action-log entry (stream ``audit``)."""


class Role(StrEnum):
    """What a person may do (docs/ROLES.md; the services enforce it)."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


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
    CLOSE_INCIDENT = "close_incident"
    ESCALATE = "escalate"
    """Escalate an incident to the city IOC."""
    MANAGE_USERS = "manage_users"
    EDIT_CONFIG = "edit_config"
    """Edit and reload the site configuration."""


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
