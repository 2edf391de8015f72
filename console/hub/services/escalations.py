"""The IOC's work on the districts' escalations: list them, take one, assign it to an agency,
acknowledge it (the acknowledgement goes down to the escalating site, once).

Qt-free; the command line calls it now (``opsconsole hub escalations|take|assign|ack``)
and the IOC window can call the same methods. The escalations themselves are what
the uplink stored (``escalations``, once per message); what the IOC does with each
is kept beside them (``escalation_handling``: one row per message, by CAP sender and
identifier; ``escalation_events``: who did what, when). An acknowledgement appends
an ``EscalationAck`` to the site's ``esc_ack`` downlink stream in the same
transaction as it is recorded (``console.hub.store.downlink.append``); the running
hub delivers it. The guard is one conditional UPDATE, which takes the database's
write lock: of two people acknowledging the same message at once, one wins and the
other is refused, so the site gets exactly one acknowledgement.

Refusals are ``EscalationRefusedError`` with one line saying why; they change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from console.hub.config import SiteNames
from console.hub.services.access import CHAIN, Checker, RolesOnly
from console.hub.store import downlink
from console.hub.store.schema import (
    down_records,
    escalation_events,
    escalation_handling,
    escalations,
)
from console.hub.store.store import touch_city
from console.shared import cap, records
from console.shared.audit import ActionEntry
from console.shared.clock import Clock, SystemClock, time_ms
from console.shared.errors import ActionRefusedError
from console.shared.records import EscalationAck
from console.shared.session import Session
from console.shared.sql import prompt_write
from console.shared.vocab import AuditAction, Permission, Stream

OPEN = "open"
TAKEN = "taken"
ACKNOWLEDGED = "acknowledged"
STATES = (OPEN, TAKEN, ACKNOWLEDGED)
MAX_NOTE = 1000


class EscalationRefusedError(ActionRefusedError):
    """An IOC action on an escalation that did not happen: nothing was written. ``code``:
    ``unknown`` (no such message received), ``sender`` (say which sender), ``agency`` (not
    in ``[agencies]``), ``note`` (too long), ``acknowledged`` (already, by ``who``),
    ``state`` (a wrong state filter), ``invalid``; the message is the English line."""

    def __init__(self, message: str, code: str = "refused", who: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.who = who


@dataclass(frozen=True)
class Acknowledged:
    """What ``acknowledge`` wrote: the message and its ``esc_ack`` seq on the site's downlink."""

    sender: str
    identifier: str
    site: str
    seq: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "identifier": self.identifier,
            "site": self.site,
            "seq": self.seq,
        }


class EscalationWork:
    def __init__(
        self,
        engine: Engine,
        agencies: Mapping[str, SiteNames] | None = None,
        *,
        clock: Clock | None = None,
        access: Checker | None = None,
    ) -> None:
        """``agencies``: the hub file's ``[agencies]`` (id → names), those an escalation may
        be assigned to. ``access`` judges who may act (the IOC window's duty; the command
        line: the roles of the person it names)."""
        self.engine = engine
        self.agencies = dict(agencies or {})
        self.clock = clock or SystemClock()
        self.access: Checker = access or RolesOnly()

    # -- reading ------------------------------------------------------------------------
    def items(self, *, state: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """The escalation messages received, newest first, each with its site, what the CAP
        says (event, severity, headline, in Vietnamese) and its handling: ``open`` (nobody
        took it), ``taken`` (someone took it or assigned it), ``acknowledged`` (who, when,
        the note, and whether the site has the acknowledgement yet)."""
        if state is not None and state not in STATES:
            raise EscalationRefusedError(f"state {state!r}: one of {', '.join(STATES)}", "state")
        e, h = escalations, escalation_handling
        mine = [
            h.c[n]
            for n in ("handler", "handler_name", "taken_ms", "agency", "acked_by", "acked_name")
        ] + [h.c.acked_ms, h.c.ack_note, h.c.ack_seq]
        q = (
            select(e, *mine)
            .select_from(
                e.outerjoin(h, (h.c.sender == e.c.sender) & (h.c.identifier == e.c.identifier))
            )
            .order_by(e.c.received_ms.desc(), e.c.seq.desc())
        )
        out: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        with self.engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
            for r in rows:
                key = (r["sender"], r["identifier"])
                if key in seen:  # the same message from a resending console's new log
                    continue
                seen.add(key)
                item = self._item(conn, r)
                if state is None or item["state"] == state:
                    out.append(item)
                if len(out) >= limit:
                    break
        return out

    def _item(self, conn: Connection, r: Any) -> dict[str, Any]:
        try:
            alert = cap.parse(bytes(r["xml"]), max_bytes=records.MAX_CAP_BYTES)
            info = next(
                (i for i in alert.infos if i.language.lower().startswith("vi")),
                alert.infos[0] if alert.infos else None,
            )
            refs = [x.identifier for x in alert.references]
        except cap.CapError:  # stored only after validation: a changed schema, not data
            info, refs = None, []
        acked_ms = int(r["acked_ms"] or 0)
        handler = r["handler"] or ""
        agency = r["agency"] or ""
        state = ACKNOWLEDGED if acked_ms else TAKEN if handler or agency else OPEN
        delivered: int | None = None
        if acked_ms:
            delivered = conn.execute(
                select(down_records.c.delivered_ms).where(
                    down_records.c.site_id == r["site_id"],
                    down_records.c.stream == Stream.ESCALATION_ACK.value,
                    down_records.c.seq == r["ack_seq"],
                )
            ).scalar()
        return {
            "site": r["site_id"],
            "console_id": r["console_id"],
            "sender": r["sender"],
            "identifier": r["identifier"],
            "msg_type": r["msg_type"],
            "status": r["status"],
            "incident": r["incident"],
            "sent_ms": int(r["sent_ms"]),
            "received_ms": int(r["received_ms"]),
            "references": refs,
            "event": info.event if info else "",
            "severity": info.severity.value if info else "",
            "urgency": info.urgency.value if info else "",
            "headline": (info.headline or "") if info else "",
            "area": "; ".join(a.area_desc for a in info.areas) if info else "",
            "state": state,
            "taken_by": handler or None,
            "taken_name": (r["handler_name"] or None) if handler else None,
            "taken_ms": int(r["taken_ms"]) if handler else None,
            "agency": agency or None,
            "acknowledged_by": r["acked_by"] if acked_ms else None,
            "acknowledged_name": r["acked_name"] if acked_ms else None,
            "acknowledged_ms": acked_ms or None,
            "note": r["ack_note"] if acked_ms else None,
            "ack_seq": int(r["ack_seq"]) if acked_ms else None,
            "ack_delivered_ms": int(delivered) if delivered else None,
        }

    def events(self, identifier: str, sender: str | None = None) -> list[dict[str, Any]]:
        """Who did what with one message, oldest first."""
        with self.engine.connect() as conn:
            snd, ident, _site = self._find(conn, identifier, sender)
            rows = conn.execute(
                select(escalation_events)
                .where(escalation_events.c.sender == snd, escalation_events.c.identifier == ident)
                .order_by(escalation_events.c.id)
            ).all()
        return [
            {
                "action": r.action,
                "user": r.user_id,
                "name": r.user_name,
                "roles": r.roles,
                "authenticated": bool(r.authenticated),
                "workstation": r.workstation,
                "ts_ms": int(r.ts_ms),
                "detail": r.detail,
            }
            for r in rows
        ]

    def alert(self, identifier: str, sender: str | None = None) -> cap.CapAlert:
        """The CAP alert of one message as received (parsed; it was validated on receipt)."""
        with self.engine.connect() as conn:
            snd, ident, _site = self._find(conn, identifier, sender)
            xml = conn.execute(
                select(escalations.c.xml)
                .where(escalations.c.sender == snd, escalations.c.identifier == ident)
                .limit(1)
            ).scalar_one()
        return cap.parse(bytes(xml), max_bytes=records.MAX_CAP_BYTES)

    # -- commands -------------------------------------------------------------------------
    def take(self, session: Session, identifier: str, *, sender: str | None = None) -> None:
        """``session`` handles this message from now (another may take it over)."""
        self.access.authorize(session, Permission.HANDLE_ESCALATIONS)
        now = time_ms(self.clock)
        with prompt_write(self.engine) as conn:
            snd, ident, site = self._find(conn, identifier, sender)
            self._row(conn, snd, ident, site)
            self._open(conn, snd, ident)
            conn.execute(
                update(escalation_handling)
                .where(self._is(snd, ident))
                .values(
                    handler=session.user_id,
                    handler_name=_line(session.display_name)[:128],
                    taken_ms=now,
                )
            )
            self._event(conn, snd, ident, "take", session, now, "")

    def assign(
        self, session: Session, identifier: str, agency: str, *, sender: str | None = None
    ) -> None:
        """Assign the message to one of the hub file's agencies (it counts as taken)."""
        self.access.authorize(session, Permission.ASSIGN_ESCALATIONS)
        if agency not in self.agencies:
            known = ", ".join(sorted(self.agencies)) or "none: add [agencies] to the hub file"
            raise EscalationRefusedError(f"unknown agency {agency!r} (known: {known})", "agency")
        now = time_ms(self.clock)
        with prompt_write(self.engine) as conn:
            snd, ident, site = self._find(conn, identifier, sender)
            self._row(conn, snd, ident, site)
            self._open(conn, snd, ident)
            conn.execute(
                update(escalation_handling)
                .where(self._is(snd, ident))
                .values(agency=agency, agency_by=session.user_id, agency_ms=now)
            )
            self._event(conn, snd, ident, "assign", session, now, agency)

    def acknowledge(
        self, session: Session, identifier: str, note: str = "", *, sender: str | None = None
    ) -> Acknowledged:
        """Acknowledge the message: recorded here and an ``EscalationAck`` queued on the
        site's ``esc_ack`` downlink stream, in one transaction, once."""
        self.access.authorize(session, Permission.HANDLE_ESCALATIONS)
        body = _line(note)
        if len(body) > MAX_NOTE:
            raise EscalationRefusedError(
                f"the note has {len(body)} characters; at most {MAX_NOTE}", "note"
            )
        name = _line(session.display_name)[:128]
        now = time_ms(self.clock)
        with prompt_write(self.engine) as conn:
            snd, ident, site = self._find(conn, identifier, sender)
            try:
                rec = EscalationAck(ref=ident, by=session.user_id, name=name, ts=now, note=body)
            except (TypeError, ValueError) as exc:
                raise EscalationRefusedError(
                    f"not a valid acknowledgement: {exc}", "invalid"
                ) from None
            self._row(conn, snd, ident, site)
            won = conn.execute(
                update(escalation_handling)
                .where(self._is(snd, ident), escalation_handling.c.acked_ms == 0)
                .values(acked_by=rec.by, acked_name=rec.name, acked_ms=now, ack_note=body)
            ).rowcount
            if not won:
                raise self._acked_already(conn, snd, ident)
            (seq,) = downlink.append(
                conn,
                site,
                Stream.ESCALATION_ACK,
                [(EscalationAck.KIND.value, now, records.encode(rec))],
            )
            conn.execute(
                update(escalation_handling).where(self._is(snd, ident)).values(ack_seq=seq)
            )
            self._event(conn, snd, ident, "acknowledge", session, now, body)
        return Acknowledged(snd, ident, site, seq)

    # -- helpers ------------------------------------------------------------------------
    @staticmethod
    def _is(sender: str, identifier: str) -> Any:
        h = escalation_handling
        return (h.c.sender == sender) & (h.c.identifier == identifier)

    def _find(self, conn: Connection, identifier: str, sender: str | None) -> tuple[str, str, str]:
        """(sender, identifier, site) of a message received; refused when unknown, or when
        the identifier names messages of more than one sender and ``sender`` is not given."""
        ident = identifier.strip()
        q = select(escalations.c.sender, escalations.c.site_id).where(
            escalations.c.identifier == ident
        )
        if sender:
            q = q.where(escalations.c.sender == sender)
        found = sorted({(str(s), str(site)) for s, site in conn.execute(q)})
        if not found:
            raise EscalationRefusedError(f"no escalation {ident!r} was received", "unknown")
        if len({s for s, _ in found}) > 1:
            raise EscalationRefusedError(
                f"{ident!r} names escalations of {', '.join(s for s, _ in found)}: say --sender",
                "sender",
            )
        snd, site = found[0]
        return snd, ident, site

    def _row(self, conn: Connection, sender: str, identifier: str, site: str) -> None:
        """The handling row of the message, made empty on first use (whoever comes first:
        an insert that does nothing when the row exists, so two people acting at once do
        not fail on each other)."""
        ins = _insert_fn(conn)(escalation_handling).values(
            sender=sender,
            identifier=identifier,
            site_id=site,
            handler="",
            handler_name="",
            taken_ms=0,
            agency="",
            agency_by="",
            agency_ms=0,
            acked_by="",
            acked_name="",
            acked_ms=0,
            ack_note="",
            ack_seq=0,
        )
        conn.execute(ins.on_conflict_do_nothing(index_elements=["sender", "identifier"]))

    def _open(self, conn: Connection, sender: str, identifier: str) -> None:
        acked = conn.execute(
            select(escalation_handling.c.acked_ms).where(self._is(sender, identifier))
        ).scalar()
        if acked:
            raise self._acked_already(conn, sender, identifier)

    def _acked_already(
        self, conn: Connection, sender: str, identifier: str
    ) -> EscalationRefusedError:
        r = conn.execute(
            select(escalation_handling.c.acked_name, escalation_handling.c.acked_ms).where(
                self._is(sender, identifier)
            )
        ).first()
        who = r.acked_name if r is not None else "?"
        return EscalationRefusedError(
            f"{identifier} was acknowledged already (by {who})", "acknowledged", who
        )

    @staticmethod
    def _event(
        conn: Connection,
        sender: str,
        identifier: str,
        action: str,
        session: Session,
        now: int,
        detail: str,
    ) -> None:
        conn.execute(
            escalation_events.insert().values(
                sender=sender,
                identifier=identifier,
                action=action,
                user_id=session.user_id,
                user_name=_line(session.display_name)[:128],
                roles=session.roles_text,
                authenticated=session.authenticated,
                workstation=session.workstation[:64],
                ts_ms=now,
                detail=detail[:MAX_NOTE],
            )
        )
        # The IOC's action log and the change counter, in the transaction of the change.
        entry = ActionEntry.of(
            session, _LOGGED[action], now, obj=identifier, after=sender, note=detail
        )
        CHAIN.append(conn, [entry])
        touch_city(conn)


_LOGGED = {
    "take": AuditAction.ESCALATION_TAKEN,
    "assign": AuditAction.ESCALATION_ASSIGNED,
    "acknowledge": AuditAction.ESCALATION_ACKNOWLEDGED,
}


def _insert_fn(conn: Connection) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _line(text: str) -> str:
    """Printable text on one line."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())
