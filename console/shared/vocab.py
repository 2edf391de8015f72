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
    SUMMARY = "summary"


UPLINK_PRIORITY: tuple[Stream, ...] = (Stream.STATUS, Stream.SUMMARY)
"""The console always serves an earlier stream first: a summary backlog never delays status."""


class RecordKind(StrEnum):
    """The ``kind`` of a record on a stream (one typed schema each, console.shared.records)."""

    STATUS = "status"
    MINUTE = "minute"


class Role(StrEnum):
    """What a person may do (docs/ROLES.md once log-in exists; the services enforce it)."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
