"""Escalating an incident to the city IOC, and what the city answers (docs/CAP.md).

A supervisor (``Permission.ESCALATE``, checked by ``AccessService.authorize``)
escalates an incident: the console builds a CAP 1.2 alert from the incident
(``console.district.domain.escalation``), validates it against the OASIS schema
(``cap.build_xml``), and in ONE transaction of the store writer stores it,
appends the ``Escalation`` record to the uplink's ``escalation`` stream (sent
before everything else), moves the incident to ``escalated`` with its timeline
entry and writes the action-log entry. An Update (new severity, area, text) and
a Cancel (the district withdraws it; the incident goes back to ``in_progress``)
take the same path, referencing the earlier messages of the escalation.

Each message then goes ``queued`` (in the outbox) → ``delivered`` (the hub's ACK
of its seq, stamped by the outbox's ack hook in the transaction that records the
ACK) → ``acknowledged`` (the IOC's ``EscalationAck`` on the downlink, applied by
the inbox). A message not acknowledged ``[escalation] ack_timeout_s`` after it was
sent raises an alarm, through the alarm engine's external alarms, telling the
supervisor to phone the IOC duty officer; it clears when the acknowledgement
arrives (``check``, a scheduler job on the console's clock).

The list the window shows is held in memory, reloaded (SQL) when the log's
escalation revision moves, so the window reads it without I/O. Commands wait for
the commit: call them from a worker, never the GUI thread.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine

from console.district.config import FeedConfig, Names, SiteConfig
from console.district.domain.alarms import AlarmEngine, AlarmOrigin
from console.district.domain.escalation import (
    EscalationRequest,
    Evidence,
    FeedValue,
    compose,
    sent_time,
)
from console.district.domain.incidents import IncidentError, incident_of, permission_for
from console.district.domain.ringbuffer import Latest
from console.district.domain.sops import SopLibrary
from console.district.services.access import AccessService
from console.district.services.incident_watch import timeline_row
from console.district.services.incidents import IncidentService
from console.district.store import escalations as store
from console.district.store import incidents as incident_store
from console.district.store.action_log import append
from console.district.store.commit import Commit
from console.district.store.outbox import Outbox
from console.shared import cap, records
from console.shared.audit import ActionEntry, clean
from console.shared.clock import Clock, time_ms
from console.shared.records import Escalation
from console.shared.session import Session
from console.shared.vocab import (
    AlarmRule,
    AuditAction,
    IncidentStatus,
    Permission,
    Quality,
    Stream,
    TimelineKind,
)

log = logging.getLogger(__name__)

S = IncidentStatus
CHECK_S = 1.0
"""How often the scheduler looks for escalations the IOC has not acknowledged in time."""
MAX_REASON = 1000
NOTES = 5

QUEUED = "queued"
DELIVERED = "delivered"
ACKNOWLEDGED = "acknowledged"


class EscalationError(IncidentError):
    """An escalation command that does not apply; nothing was written. ``code``:

    ``unknown_incident``, ``closed``, ``illegal_transition`` (the incident's status does not
    allow escalating), ``empty_reason``, ``no_city_link`` (the site file has no [uplink]),
    ``already_escalated`` (an Alert while one is active: send an Update),
    ``not_escalated`` (an Update or Cancel with no active escalation), ``invalid_cap`` (the
    alert did not validate: the element and rule are in the detail).
    """


@dataclass(frozen=True)
class EscalationView:
    """One CAP message this console escalated, and what became of it."""

    identifier: str
    number: int
    incident_id: str
    msg_type: cap.MsgType
    status: str
    sent_ms: int
    severity: str
    urgency: str
    certainty: str
    area: str
    reason: str
    refs: tuple[str, ...]
    by_user: str
    by_name: str
    out_seq: int
    delivered_ms: int
    ack_by: str
    ack_name: str
    ack_ms: int
    ack_note: str
    ack_received_ms: int
    overdue_ms: int

    def state(self, acked_seq: int = 0) -> str:
        """``queued`` (in the outbox) → ``delivered`` (the hub acknowledged its seq) →
        ``acknowledged`` (by the IOC)."""
        if self.ack_ms:
            return ACKNOWLEDGED
        if self.delivered_ms or (self.out_seq and self.out_seq <= acked_seq):
            return DELIVERED
        return QUEUED


@dataclass(frozen=True)
class IncidentEscalation:
    """An incident's escalation as the incident view shows it."""

    messages: tuple[EscalationView, ...]
    """Every message of the incident, oldest first."""

    @property
    def chain(self) -> tuple[EscalationView, ...]:
        """The messages since the latest Alert (the escalation now)."""
        starts = [i for i, m in enumerate(self.messages) if m.msg_type is cap.MsgType.ALERT]
        return self.messages[starts[-1] :] if starts else ()

    @property
    def active(self) -> bool:
        """Sent and not cancelled."""
        chain = self.chain
        return bool(chain) and chain[-1].msg_type is not cap.MsgType.CANCEL

    @property
    def last(self) -> EscalationView | None:
        return self.messages[-1] if self.messages else None

    def unacknowledged(self) -> list[EscalationView]:
        """Alert and Update messages of the active escalation the IOC has not acknowledged."""
        if not self.active:
            return []
        return [m for m in self.chain if m.msg_type is not cap.MsgType.CANCEL and not m.ack_ms]


def _view(r: Any) -> EscalationView:
    return EscalationView(
        identifier=r.identifier,
        number=int(r.number),
        incident_id=r.incident_id,
        msg_type=cap.MsgType(r.msg_type),
        status=r.status,
        sent_ms=int(r.sent_ms),
        severity=r.severity,
        urgency=r.urgency,
        certainty=r.certainty,
        area=r.area,
        reason=r.reason,
        refs=tuple(x for x in r.refs.split() if x),
        by_user=r.by_user,
        by_name=r.by_name,
        out_seq=int(r.out_seq),
        delivered_ms=int(r.delivered_ms),
        ack_by=r.ack_by,
        ack_name=r.ack_name,
        ack_ms=int(r.ack_ms),
        ack_note=r.ack_note,
        ack_received_ms=int(r.ack_received_ms),
        overdue_ms=int(r.overdue_ms),
    )


def alarm_id(incident_id: str) -> str:
    """The no-acknowledgement alarm of an incident: ``HC-2026-0042/ioc:escalation``."""
    return f"{incident_id}/ioc:{AlarmRule.ESCALATION.value}"


def values_from(
    latest: Callable[[], Latest], feeds: Sequence[FeedConfig]
) -> Callable[[Sequence[str]], dict[str, FeedValue]]:
    """The linked feeds' newest readings from the ring buffers (what the window shows)."""
    index = {f.id: i for i, f in enumerate(feeds)}

    def values(ids: Sequence[str]) -> dict[str, FeedValue]:
        now = latest()
        out: dict[str, FeedValue] = {}
        for fid in ids:
            i = index.get(fid)
            if i is None:
                continue
            if int(now.count[i]) == 0 or not math.isfinite(float(now.value[i])):
                out[fid] = FeedValue(None)
                continue
            out[fid] = FeedValue(
                float(now.value[i]), Quality(int(now.quality[i])), int(float(now.ts[i]))
            )
        return out

    return values


class EscalationService:
    def __init__(
        self,
        engine: Engine,
        commit: Commit,
        clock: Clock,
        access: AccessService,
        site: SiteConfig,
        sops: SopLibrary,
        incidents: IncidentService,
        alarms: AlarmEngine | None,
        outbox: Outbox | None,
        values: Callable[[Sequence[str]], Mapping[str, FeedValue]],
        log_id: str,
    ) -> None:
        """``outbox``: the uplink's (None: the site has no city link, escalating is refused);
        ``values``: the linked feeds' newest readings; ``log_id``: the site log's stream id
        (in every CAP identifier)."""
        self._engine = engine
        self._commit = commit
        self._clock = clock
        self._access = access
        self.site = site
        self._sops = sops
        self._incidents = incidents
        self._alarms = alarms
        self._outbox = outbox
        self._values = values
        self._log_id = log_id
        self._console_id = site.uplink.console_id if site.uplink is not None else site.id
        """The first part of every CAP identifier (unique per console with the log id)."""
        self._feeds = {f.id: f for f in site.feeds}
        self._check_lock = threading.Lock()
        self._tz = ZoneInfo(site.timezone)
        self._lock = threading.Lock()
        self._items: list[EscalationView] = []
        self._rows: dict[str, tuple[Any, ...]] = {}
        """The row each view in ``_items`` was built from, by identifier."""
        self._reload_lock = threading.Lock()
        self._incident_state: dict[str, tuple[str, int, str]] = {}
        self._seen_rev = -1
        self.rev = 0
        """Moves whenever the list changes (the window redraws then)."""
        if outbox is not None:
            outbox.on_ack(Stream.ESCALATION, self._delivered)

    # -- reading (memory; reloaded off the GUI thread) -------------------------------------
    def start(self) -> None:
        """Load the list; put restored no-acknowledgement alarms back under their names."""
        self.reload(force=True)
        self.check(time_ms(self._clock))

    def reload(self, *, force: bool = False) -> bool:
        """Read the list again if the log's escalation revision moved (SQL). True: changed.
        (One reload at a time: the link's thread, the scheduler and commands all call it.)"""
        with self._reload_lock:
            changed, touched = self._reload(force)
        for iid in sorted(touched):
            self._incidents.after_commit(iid)
        return changed

    def _reload(self, force: bool) -> tuple[bool, set[str]]:
        rev = store.read_rev(self._engine)
        if not force and rev == self._seen_rev:
            return False, set()
        self._seen_rev = rev
        rows = store.newest(self._engine)
        with self._lock:
            before = {i.identifier: i for i in self._items}
        # A message's row rarely changes once its acknowledgement is in: the view of an
        # unchanged row is the one already built (the list is reread after every change).
        items = []
        rows_by_id: dict[str, tuple[Any, ...]] = {}
        for r in rows:
            row = tuple(r)
            old = before.get(r.identifier)
            same = old is not None and self._rows.get(r.identifier) == row
            items.append(old if same and old is not None else _view(r))
            rows_by_id[r.identifier] = row
        states = store.incident_states(self._engine, list({i.incident_id for i in items}))
        with self._lock:
            changed = items != self._items or states != self._incident_state
            self._items = items
            self._rows = rows_by_id
            self._incident_state = states
            if changed:
                self.rev += 1
        if not changed:
            return False, set()
        listed = set(rows_by_id)
        touched = {i.incident_id for i in items if before.get(i.identifier) is not i} | {
            i.incident_id for i in before.values() if i.identifier not in listed
        }
        return True, touched

    def items(self) -> list[EscalationView]:
        """Every message, newest first."""
        with self._lock:
            return list(self._items)

    def of_incident(self, incident_id: str) -> IncidentEscalation:
        with self._lock:
            mine = [i for i in self._items if i.incident_id == incident_id]
        return IncidentEscalation(tuple(sorted(mine, key=lambda m: m.number)))

    def acked_seq(self) -> int:
        """The hub's acknowledged seq of the escalation stream (0 without a city link)."""
        if self._outbox is None:
            return 0
        return self._outbox.positions().get(Stream.ESCALATION.value, (0, 0))[1]

    def state(self, view: EscalationView) -> str:
        return view.state(self.acked_seq())

    @property
    def linked(self) -> bool:
        """Whether this console has a city link to escalate through."""
        return self._outbox is not None

    # -- commands ---------------------------------------------------------------------
    def escalate(
        self, session: Session | None, incident_id: str, request: EscalationRequest
    ) -> EscalationView:
        """Escalate the incident (CAP ``Alert``): it goes to ``escalated``."""
        return self._send(session, incident_id, request, cap.MsgType.ALERT)

    def update(
        self, session: Session | None, incident_id: str, request: EscalationRequest
    ) -> EscalationView:
        """Send what the incident is now (CAP ``Update``: new severity, area, text)."""
        return self._send(session, incident_id, request, cap.MsgType.UPDATE)

    def cancel(
        self, session: Session | None, incident_id: str, request: EscalationRequest
    ) -> EscalationView:
        """Withdraw the escalation (CAP ``Cancel``); an escalated incident goes back to
        ``in_progress``."""
        return self._send(session, incident_id, request, cap.MsgType.CANCEL)

    def preview(
        self, incident_id: str, request: EscalationRequest, msg_type: cap.MsgType
    ) -> cap.CapAlert:
        """The alert that would be sent now (not stored, not sent; SQL: not on the GUI thread)."""
        with self._engine.connect() as conn:
            row = self._incident(conn, incident_id)
            prior = [_view(r) for r in store.of_incident(conn, incident_id)]
            ev = self._evidence(conn, row)
        chain = IncidentEscalation(tuple(prior)).chain
        return compose(
            site=self.site,
            evidence=ev,
            request=request,
            identifier=cap.make_identifier(self._console_id, self._log_id, 1),
            msg_type=msg_type,
            now_ms=time_ms(self._clock),
            references=[_reference(m, self.site.id, self._tz) for m in chain]
            if msg_type != cap.MsgType.ALERT
            else [],
            last=_last(chain[-1]) if chain else None,
        )

    def _incident(self, conn: Connection, incident_id: str) -> Any:
        raw = incident_store.get(conn, incident_id)
        if raw is None:
            raise EscalationError("unknown_incident", f"no incident {incident_id!r}")
        return incident_of(raw)

    def _evidence(self, conn: Connection, row: Any) -> Evidence:
        feeds = tuple(
            self._feeds[k]
            for k in sorted(incident_store.linked(conn, row.id, "feed"))
            if k in self._feeds
        )
        alarm_ids = sorted(incident_store.linked(conn, row.id, "alarm"))
        views = []
        if self._alarms is not None:
            for aid in alarm_ids:
                if aid in self._alarms.alarms:
                    views.append(self._alarms.view(aid))
        return Evidence(
            incident=row,
            sop=self._sops.get(row.type) if row.type in self._sops else None,
            feeds=feeds,
            alarms=tuple(views),
            values=dict(self._values([f.id for f in feeds])),
            notes=tuple(store.notes_of(conn, row.id, NOTES)),
        )

    def _send(
        self,
        session: Session | None,
        incident_id: str,
        request: EscalationRequest,
        msg_type: cap.MsgType,
    ) -> EscalationView:
        self._access.authorize(session, Permission.ESCALATE)
        assert session is not None
        s = session
        self._access.touch()
        reason = clean(request.reason.strip(), MAX_REASON)
        if not reason:
            raise EscalationError(
                "empty_reason", "say why (the reason goes to the city with the alert)"
            )
        outbox = self._outbox
        if outbox is None:
            raise EscalationError(
                "no_city_link",
                "this console has no city link ([uplink] in the site file): phone the IOC",
            )
        request = EscalationRequest(**{**request.__dict__, "reason": reason})
        now = time_ms(self._clock)

        def job(conn: Connection) -> tuple[EscalationView, Callable[[], None]]:
            row = self._incident(conn, incident_id)
            if row.status == S.CLOSED:
                raise EscalationError("closed", f"{incident_id} is closed: reopen it first")
            prior = IncidentEscalation(
                tuple(_view(r) for r in store.of_incident(conn, incident_id))
            )
            target: IncidentStatus | None = None
            if msg_type is cap.MsgType.ALERT:
                if prior.active:
                    raise EscalationError(
                        "already_escalated",
                        f"{incident_id} is escalated already ({prior.chain[0].identifier}): "
                        "send an update",
                    )
                if row.status != S.ESCALATED:
                    permission_for(row.status, S.ESCALATED)  # raises illegal_transition
                    target = S.ESCALATED
            else:
                if not prior.active:
                    raise EscalationError(
                        "not_escalated", f"{incident_id} has no escalation to update or cancel"
                    )
                if msg_type is cap.MsgType.CANCEL and row.status == S.ESCALATED:
                    target = S.IN_PROGRESS
            chain = prior.chain if msg_type is not cap.MsgType.ALERT else ()
            number = store.next_number(conn)
            identifier = cap.make_identifier(self._console_id, self._log_id, number)
            evidence = self._evidence(conn, row)
            try:
                alert = compose(
                    site=self.site,
                    evidence=evidence,
                    request=request,
                    identifier=identifier,
                    msg_type=msg_type,
                    now_ms=now,
                    references=[_reference(m, self.site.id, self._tz) for m in chain],
                    last=_last(chain[-1]) if chain else None,
                )
                xml = cap.build_xml(alert)  # checked against the OASIS CAP 1.2 schema
            except cap.CapError as exc:
                raise EscalationError(
                    "invalid_cap", f"the alert is not valid CAP 1.2: {exc}"
                ) from None
            payload = records.encode(Escalation(cap=xml, incident=incident_id))
            out_seq, advance = outbox.append_numbered(
                conn, Stream.ESCALATION, [(Escalation.KIND.value, now, payload)]
            )
            info = alert.infos[0]
            store.insert(
                conn,
                {
                    "identifier": identifier,
                    "number": number,
                    "incident_id": incident_id,
                    "msg_type": msg_type.value,
                    "status": alert.status.value,
                    "sent_ms": now,
                    "severity": info.severity.value,
                    "urgency": info.urgency.value,
                    "certainty": info.certainty.value,
                    "area": "; ".join(a.area_desc for a in info.areas),
                    "reason": reason,
                    "refs": " ".join(m.identifier for m in chain),
                    "by_user": s.user_id,
                    "by_name": clean(s.display_name, 128),
                    "xml": xml,
                    "out_seq": out_seq,
                    "delivered_ms": 0,
                    "ack_by": "",
                    "ack_name": "",
                    "ack_ms": 0,
                    "ack_note": "",
                    "ack_received_ms": 0,
                    "overdue_ms": 0,
                },
            )
            who = {
                "user_id": s.user_id,
                "user_name": s.display_name,
                "roles": s.roles_text,
                "workstation": s.workstation,
            }
            entries = []
            if target is not None:
                entries.append(
                    timeline_row(
                        incident_id,
                        now,
                        TimelineKind.STATUS,
                        s,
                        before=row.status.value,
                        after=target.value,
                        text=reason,
                    )
                )
                incident_store.set_fields(conn, incident_id, status=target.value, updated_ms=now)
            else:
                incident_store.set_fields(conn, incident_id, updated_ms=now)
            entries.append(
                store.timeline_sent(incident_id, now, identifier, msg_type.value, who, reason)
            )
            incident_store.add_timeline(conn, entries)
            note = f"{identifier}: {reason}"
            if msg_type is cap.MsgType.ALERT:
                action = ActionEntry.of(
                    s,
                    AuditAction.ESCALATED,
                    now,
                    obj=incident_id,
                    before=row.status.value,
                    after=S.ESCALATED.value,
                    note=note,
                )
            else:
                action = ActionEntry.of(
                    s,
                    AuditAction.ESCALATION_UPDATED
                    if msg_type is cap.MsgType.UPDATE
                    else AuditAction.ESCALATION_CANCELLED,
                    now,
                    obj=incident_id,
                    before=chain[-1].identifier,
                    after=identifier,
                    note=note,
                )
            append(conn, [action])
            new = store.of_incident(conn, incident_id)[-1]
            return _view(new), advance

        view, advance = self._commit.run(job)
        advance()  # the outbox's known position moves only after the commit
        self.reload()
        self._incidents.after_commit(incident_id)
        self.check(now)
        log.info(
            "%s: %s %s %s (%s)",
            s.user_id,
            incident_id,
            msg_type.value,
            view.identifier,
            "queued for the hub",
        )
        return view

    # -- delivery (the outbox's ack hook, in the transaction recording the hub's ACK) -------
    def _delivered(self, conn: Connection, through: int) -> Callable[[], None] | None:
        touched = store.mark_delivered(conn, through, time_ms(self._clock))
        if not touched:
            return None

        def after() -> None:
            self.reload()

        return after

    # -- the IOC's acknowledgement is late: an alarm ---------------------------------------
    def check(self, now_ms: int) -> int:
        """Scheduler job: raise the no-acknowledgement alarm of each incident whose escalation
        the IOC has not acknowledged ``ack_timeout_s`` after a message was sent; clear it when
        the acknowledgement is in. Returns how many alarms are active. (Called by the
        scheduler and by the link's thread when an acknowledgement arrives: one at a time.)"""
        with self._check_lock:
            return self._check(now_ms)

    def _check(self, now_ms: int) -> int:
        self.reload()
        timeout_ms = int(self.site.escalation.ack_timeout_s * 1000)
        with self._lock:
            items = list(self._items)
            states = dict(self._incident_state)
        by_incident: dict[str, list[EscalationView]] = {}
        for i in sorted(items, key=lambda m: m.number):
            by_incident.setdefault(i.incident_id, []).append(i)
        late: dict[str, list[EscalationView]] = {}
        for iid, msgs in by_incident.items():
            status = states.get(iid, ("", 0, ""))[0]
            if status == S.CLOSED.value or timeout_ms <= 0:
                continue
            waiting = IncidentEscalation(tuple(msgs)).unacknowledged()
            overdue = [m for m in waiting if m.sent_ms + timeout_ms <= now_ms]
            if overdue:
                late[iid] = overdue
        fresh = [m.identifier for ms in late.values() for m in ms if not m.overdue_ms]
        if fresh:
            self._commit.run(lambda conn: store.mark_overdue(conn, fresh, now_ms))
            self.reload()
            for iid in late:
                self._incidents.after_commit(iid)
        if self._alarms is None:
            return len(late)
        for iid in late:
            _status, severity, ward = states.get(iid, ("", 2, ""))
            aid = alarm_id(iid)
            self._alarms.define_external(
                aid, iid, AlarmRule.ESCALATION, AlarmOrigin(self._label(iid), ward)
            )
            self._alarms.set_external(aid, True, max(2, min(3, severity)), now_ms)
        for view in self._alarms.current():
            if view.rule != AlarmRule.ESCALATION or view.feed_key in late:
                continue
            if view.origin is None:  # restored after a restart: its name again
                _s, _sev, ward = states.get(view.feed_key, ("", 2, ""))
                self._alarms.define_external(
                    view.id, view.feed_key, AlarmRule.ESCALATION,
                    AlarmOrigin(self._label(view.feed_key), ward),
                )  # fmt: skip
            if view.active:
                self._alarms.set_external(view.id, False, view.severity, now_ms)
        return len(late)

    def _label(self, incident_id: str) -> Names:
        phone = self.site.escalation.ioc_duty_phone
        return Names(
            vi=f"{incident_id}: IOC chưa xác nhận — gọi trực ban IOC {phone}".rstrip(),
            en=f"{incident_id}: no IOC acknowledgement — phone the IOC duty officer {phone}".rstrip(),
        )


def _reference(m: EscalationView, sender: str, tz: ZoneInfo) -> cap.CapReference:
    """How a later message names ``m``: ``sender,identifier,sent`` (``sent`` as its CAP had
    it: the stored time in the site's zone, whole seconds)."""
    return cap.CapReference(sender, m.identifier, sent_time(m.sent_ms, tz))


def _last(m: EscalationView) -> tuple[cap.Severity, cap.Certainty]:
    return cap.Severity(m.severity), cap.Certainty(m.certainty)
