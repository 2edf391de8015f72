"""The city model: how each kind of record changes the hub's picture of the city.

One registered fold per ``(stream, kind)`` (the record types of
console.shared.records): it takes a decoded, validated record and turns it
into rows of ``site_status`` / ``feed_minutes`` (and the IOC's views: status
history, feed catalog, hourly per-kind extremes), gathered in a ``CityChanges``
that the hub store writes in the same transaction as the records
themselves. ``fold`` decodes a payload and dispatches it; a payload that is
not a valid record raises ``RecordError`` with its code, and the caller
decides what happens to it (today: stored raw and counted; later: a
quarantine with the code as its reason).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec
from msgspec import UNSET

from console.shared import cap, records
from console.shared.audit import GENESIS, entry_hash
from console.shared.records import (
    AlarmTransition,
    AuditEntry,
    DirectiveState,
    Escalation,
    LinkRecord,
    MinuteSummary,
    RecordError,
    SiteStatus,
)

Row = dict[str, Any]

HOUR_MS = 3_600_000


@dataclass(frozen=True)
class Origin:
    """Where a record came from, as the hub authenticated it (never from the payload)."""

    console_id: str
    site: str
    """The site the console's key is registered for: the only site it may write."""
    stream: str
    seq: int
    received_ms: int
    db: str = ""
    """The console database the record came from (with ``console_id`` and ``seq``: its key)."""


@dataclass
class CityChanges:
    """The city-picture rows of one hub transaction, newest per key."""

    site_status: dict[str, Row] = field(default_factory=dict)
    feed_minutes: dict[tuple[str, str, int], Row] = field(default_factory=dict)
    audit_entries: dict[tuple[str, str, int], Row] = field(default_factory=dict)
    audit_heads: dict[tuple[str, str], Row] = field(default_factory=dict)
    """Per (site, chain): the head after this transaction (``audit_heads`` table)."""
    stored_audit_head: Callable[[str, str], Row | None] | None = None
    """Reads the stored head of a (site, chain), in the store's transaction (None: none)."""
    # What the IOC window reads (console.hub.services.ioc):
    status_history: dict[tuple[str, int], Row] = field(default_factory=dict)
    """Every status, by (site, ts)."""
    feeds: dict[tuple[str, str], tuple[int, str, str]] = field(default_factory=dict)
    """(newest minute, kind, unit) of each feed in this transaction, by (site, feed)."""
    kind_hours: dict[tuple[str, str, str, int], Row] = field(default_factory=dict)
    """Extremes per (kind, unit, site, UTC hour) of this transaction's minutes."""
    alarm_events: list[Row] = field(default_factory=list)
    directive_events: list[Row] = field(default_factory=list)
    escalations: list[Row] = field(default_factory=list)


R = TypeVar("R", bound=LinkRecord)
Fold = Callable[[CityChanges, Origin, Any], None]

FOLDS: dict[tuple[str, str], tuple[type[LinkRecord], Fold]] = {}
"""(stream, kind) → (record type, fold): how the city model reads each kind."""


def folds(cls: type[R]) -> Callable[[Callable[[CityChanges, Origin, R], None]], Fold]:
    """Register the fold of record type ``cls`` (one per (stream, kind))."""

    def register(fn: Callable[[CityChanges, Origin, R], None]) -> Fold:
        key = (cls.STREAM.value, cls.KIND.value)
        assert key not in FOLDS, f"two folds for {key}"
        FOLDS[key] = (cls, fn)
        return fn

    return register


def fold(changes: CityChanges, origin: Origin, kind: str, payload: bytes) -> bool:
    """Fold one record into ``changes``. True if folded; False for a (stream, kind) this
    hub has no model for (it is kept raw only). Raises RecordError for a bad payload."""
    entry = FOLDS.get((origin.stream, kind))
    if entry is None:
        records.check_msgpack(payload)
        return False
    cls, fn = entry
    fn(changes, origin, records.decode_as(cls, payload))
    return True


@folds(SiteStatus)
def _site_status(changes: CityChanges, o: Origin, rec: SiteStatus) -> None:
    """The newest status per site (by its own ``ts``) wins."""
    f, a = rec.feeds, rec.alarms
    row = {
        "site_id": o.site,
        "console_id": o.console_id,
        "ts_ms": rec.ts,
        "seq": o.seq,
        "feeds_total": f.total,
        "feeds_good": f.good,
        "feeds_uncertain": f.uncertain,
        "feeds_bad": f.bad,
        "feeds_stale": f.stale,
        "feeds_nodata": f.nodata,
        "alarms_sev1": a.active.sev1,
        "alarms_sev2": a.active.sev2,
        "alarms_sev3": a.active.sev3,
        "alarms_unack": a.unack,
        "received_ms": o.received_ms,
        "backlog": None if rec.backlog is UNSET else rec.backlog,
        "period_ms": None if rec.period is UNSET else rec.period,
    }
    old = changes.site_status.get(o.site)
    if old is None or rec.ts >= old["ts_ms"]:
        changes.site_status[o.site] = row
    changes.status_history.setdefault((o.site, rec.ts), row)


@folds(MinuteSummary)
def _feed_minute(changes: CityChanges, o: Origin, rec: MinuteSummary) -> None:
    """One row per (site, feed, minute); a later record (a revision) replaces it."""
    changes.feed_minutes[(o.site, rec.feed, rec.minute)] = {
        "site_id": o.site,
        "feed_key": rec.feed,
        "minute_ms": rec.minute,
        "kind": rec.kind,
        "unit": rec.unit,
        "n": rec.n,
        "vmin": rec.min,
        "vmax": rec.max,
        "mean": rec.mean,
        "last": rec.last,
        "q_good": rec.q[0],
        "q_uncertain": rec.q[1],
        "q_bad": rec.q[2],
        "seq": o.seq,
    }
    newest = changes.feeds.get((o.site, rec.feed))
    if newest is None or rec.minute >= newest[0]:
        changes.feeds[(o.site, rec.feed)] = (rec.minute, rec.kind, rec.unit)
    hour = rec.minute - rec.minute % HOUR_MS
    peak = changes.kind_hours.get((rec.kind, rec.unit, o.site, hour))
    if peak is None:
        changes.kind_hours[(rec.kind, rec.unit, o.site, hour)] = {
            "kind": rec.kind,
            "unit": rec.unit,
            "site_id": o.site,
            "hour_ms": hour,
            "vmin": rec.min,
            "vmax": rec.max,
        }
    else:
        peak["vmin"] = min(peak["vmin"], rec.min)
        peak["vmax"] = max(peak["vmax"], rec.max)


AUDIT_REASON_MAX = 200


@folds(AuditEntry)
def _audit_entry(changes: CityChanges, o: Origin, rec: AuditEntry) -> None:
    """Keep every action-log entry and each chain's head; check the chain as it arrives.

    The first entry that does not continue the chain (a seq not head + 1, a ``prev``
    not the head's hash, a ``hash`` that is not the entry's) is remembered in the
    head (``first_bad_seq``, ``bad_reason``): what a console's log looked like when
    it was forwarded stays visible at the city whatever happens to the console.
    A chain is one console database; a console whose log was deleted starts a new
    chain, and the site then has two heads.
    """
    key = (o.site, rec.chain)
    head = changes.audit_heads.get(key)
    if head is None:
        stored = changes.stored_audit_head(*key) if changes.stored_audit_head else None
        head = (
            dict(stored)
            if stored is not None
            else {
                "site_id": o.site,
                "chain": rec.chain,
                "seq": 0,
                "hash": GENESIS,
                "ts_ms": 0,
                "entries": 0,
                "first_bad_seq": 0,
                "bad_reason": "",
            }
        )
    problem = ""
    if rec.seq <= head["seq"]:
        problem = f"entry {rec.seq} arrived again after entry {head['seq']} (the first is kept)"
    elif rec.seq != head["seq"] + 1:
        problem = f"entries {head['seq'] + 1}-{rec.seq - 1} never arrived before entry {rec.seq}"
    elif rec.prev != head["hash"]:
        problem = f"entry {rec.seq} does not link to entry {head['seq']}"
    hash_ok = entry_hash(msgspec.structs.asdict(rec)) == rec.hash
    if not hash_ok and not problem:
        problem = f"entry {rec.seq} does not match its hash"
    if problem and not head["first_bad_seq"]:
        head["first_bad_seq"] = rec.seq
        head["bad_reason"] = problem[:AUDIT_REASON_MAX]
    if rec.seq > head["seq"]:
        head.update(seq=rec.seq, hash=rec.hash, ts_ms=rec.ts)
        head["entries"] += 1
        changes.audit_entries.setdefault(
            (o.site, rec.chain, rec.seq),
            {
                "site_id": o.site,
                "chain": rec.chain,
                "seq": rec.seq,
                "console_id": o.console_id,
                "ts_ms": rec.ts,
                "user_id": rec.user,
                "user_name": rec.name,
                "roles": rec.roles,
                "authenticated": rec.auth,
                "workstation": rec.ws,
                "action": rec.action,
                "object_id": rec.object,
                "before_value": rec.before,
                "after_value": rec.after,
                "note": rec.note,
                "prev_hash": rec.prev,
                "hash": rec.hash,
                "hash_ok": hash_ok,
                "received_ms": o.received_ms,
            },
        )
    head["console_id"] = o.console_id
    head["received_ms"] = o.received_ms
    changes.audit_heads[key] = head


def _key(o: Origin) -> Row:
    return {"console_id": o.console_id, "db_id": o.db, "seq": o.seq, "site_id": o.site}


@folds(AlarmTransition)
def _alarm_event(changes: CityChanges, o: Origin, rec: AlarmTransition) -> None:
    """Every alarm transition of every site, kept (the site is the key's, not the payload's)."""
    changes.alarm_events.append(
        {
            **_key(o),
            "ts_ms": rec.ts,
            "alarm_id": rec.alarm,
            "feed_key": rec.feed,
            "rule": rec.rule,
            "event": rec.event,
            "state": rec.state,
            "prior_state": rec.prior,
            "severity": rec.severity,
            "value": rec.value,
            "user_id": rec.user,
            "workstation": rec.ws,
            "note": rec.note,
            "received_ms": o.received_ms,
        }
    )


@folds(DirectiveState)
def _directive_step(changes: CityChanges, o: Origin, rec: DirectiveState) -> None:
    """A directive read or done at a site: kept as it came (the board reads the first of each
    step per site); a directive this hub does not know is kept too, and shown as such."""
    changes.directive_events.append(
        {
            **_key(o),
            "directive_id": rec.id,
            "step": rec.step.value,
            "user_id": rec.user,
            "user_name": rec.name,
            "roles": rec.roles,
            "workstation": rec.ws,
            "note": rec.note,
            "ts_ms": rec.ts,
            "received_ms": o.received_ms,
        }
    )


ESCALATION_CAP = "1.2"


@folds(Escalation)
def _escalation(changes: CityChanges, o: Origin, rec: Escalation) -> None:
    """An escalation is kept once with its CAP XML, which must be a valid CAP 1.2 alert
    whose sender is the escalating site (else the record is quarantined as ``invalid``)."""
    try:
        version, alert = cap.parse_versioned(rec.cap, max_bytes=records.MAX_CAP_BYTES)
    except cap.CapError as exc:
        raise RecordError("invalid", f"Escalation: cap: {exc}") from None
    if version != ESCALATION_CAP:
        raise RecordError("invalid", f"Escalation: cap: CAP {version}; escalations are CAP 1.2")
    if alert.sender != o.site:
        raise RecordError(
            "invalid", f"Escalation: cap: sender {alert.sender!r} is not the site {o.site!r}"
        )
    changes.escalations.append(
        {
            **_key(o),
            "identifier": alert.identifier,
            "sender": alert.sender,
            "sent_ms": int(alert.sent.timestamp() * 1000),
            "msg_type": alert.msg_type.value,
            "status": alert.status.value,
            "incident": rec.incident,
            "xml": rec.cap,
            "received_ms": o.received_ms,
        }
    )


__all__ = ["FOLDS", "CityChanges", "Origin", "RecordError", "fold", "folds"]
