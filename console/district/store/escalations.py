"""Escalations in the site log: the CAP messages sent, their delivery and the IOC's answers.

Writers call these inside their own transaction: the escalation service (a message
with its incident's status change, timeline and action-log entries, and its outbox
record), the outbox's ack hook (delivered to the hub), the inbox's applier (the
IOC's acknowledgement, from the downlink). Each change bumps ``meta.escalation_rev``
so the running console's escalation list reloads only when something changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from console.district.store import incidents as incident_store
from console.district.store.schema import escalations, incident_timeline, incidents, meta
from console.shared.vocab import TimelineKind

REV_KEY = "escalation_rev"

DELIVERED = "delivered"
ACKNOWLEDGED = "acknowledged"
SENT = "sent"
OVERDUE = "overdue"
"""``after`` of the escalation's timeline entries."""


def bump_rev(conn: Connection) -> None:
    done = conn.exec_driver_sql(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = ?",
        (REV_KEY,),
    )
    if not done.rowcount:
        conn.execute(meta.insert().values(key=REV_KEY, value="1"))


def read_rev(engine: Engine) -> int:
    with engine.connect() as conn:
        v = conn.execute(select(meta.c.value).where(meta.c.key == REV_KEY)).scalar()
    try:
        return int(v) if v is not None else 0
    except ValueError:
        return 0


def next_number(conn: Connection) -> int:
    return (
        int(conn.execute(select(func.coalesce(func.max(escalations.c.number), 0))).scalar_one()) + 1
    )


def insert(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(escalations.insert().values(**row))
    bump_rev(conn)


_LISTED = [c for c in escalations.c if c.name != "xml"]
"""What a message's view needs: every column but the CAP XML (a few KB each, kept as the
record of what was sent; reading it back for every list made an escalation's own call
slower the more had been sent)."""


def of_incident(conn: Connection, incident_id: str) -> list[Any]:
    """The incident's messages, oldest first (without their XML)."""
    return list(
        conn.execute(
            select(*_LISTED)
            .where(escalations.c.incident_id == incident_id)
            .order_by(escalations.c.number)
        ).all()
    )


def newest(engine: Engine, limit: int = 1000) -> list[Any]:
    """Every message, newest first (at most ``limit``; without their XML)."""
    with engine.connect() as conn:
        return list(
            conn.execute(select(*_LISTED).order_by(escalations.c.number.desc()).limit(limit)).all()
        )


def _timeline(
    incident_id: str, ts_ms: int, identifier: str, msg_type: str, after: str, **who: str
) -> dict[str, Any]:
    return {
        "incident_id": incident_id,
        "ts_ms": ts_ms,
        "kind": TimelineKind.ESCALATION.value,
        "user_id": who.get("user_id", "system"),
        "user_name": who.get("user_name", ""),
        "roles": who.get("roles", ""),
        "workstation": who.get("workstation", ""),
        "ref": identifier,
        "before": msg_type,
        "after": after,
        "text": who.get("text", ""),
        "handover": False,
    }


def mark_delivered(conn: Connection, through: int, now_ms: int) -> list[str]:
    """The hub acknowledged the escalation stream through ``through``: stamp the messages it
    covers and note it on their incidents' timelines. Returns the incidents touched."""
    rows = conn.execute(
        select(escalations.c.identifier, escalations.c.incident_id, escalations.c.msg_type).where(
            escalations.c.out_seq > 0,
            escalations.c.out_seq <= through,
            escalations.c.delivered_ms == 0,
        )
    ).all()
    if not rows:
        return []
    conn.execute(
        update(escalations)
        .where(
            escalations.c.out_seq > 0,
            escalations.c.out_seq <= through,
            escalations.c.delivered_ms == 0,
        )
        .values(delivered_ms=now_ms)
    )
    incident_store.add_timeline(
        conn, [_timeline(iid, now_ms, ident, mt, DELIVERED) for ident, iid, mt in rows]
    )
    bump_rev(conn)
    return list(dict.fromkeys(iid for _i, iid, _m in rows))


def apply_ack(
    conn: Connection, ref: str, by: str, name: str, ts_ms: int, note: str, now_ms: int
) -> str | None:
    """The IOC acknowledged message ``ref``: keep the first acknowledgement, note it on the
    incident's timeline. Returns the incident id, or None when it was acknowledged already
    or is not a message of this console (``unknown`` is then raised by the caller)."""
    row = conn.execute(
        select(
            escalations.c.incident_id,
            escalations.c.msg_type,
            escalations.c.ack_ms,
            escalations.c.delivered_ms,
        ).where(escalations.c.identifier == ref)
    ).first()
    if row is None:
        raise LookupError(ref)
    if row.ack_ms:
        return None
    values: dict[str, Any] = {
        "ack_by": by,
        "ack_name": name,
        "ack_ms": ts_ms,
        "ack_note": note,
        "ack_received_ms": now_ms,
    }
    entries = []
    if not row.delivered_ms:
        # The IOC cannot have acknowledged what the hub did not hold: it was delivered (the
        # hub's ACK of it was lost with a connection); say so when the answer comes.
        values["delivered_ms"] = now_ms
        entries.append(_timeline(row.incident_id, now_ms, ref, row.msg_type, DELIVERED))
    conn.execute(update(escalations).where(escalations.c.identifier == ref).values(**values))
    entries.append(
        _timeline(
            row.incident_id,
            now_ms,
            ref,
            row.msg_type,
            ACKNOWLEDGED,
            user_id=by,
            user_name=name,
            roles="ioc",
            text=note,
        )
    )
    incident_store.add_timeline(conn, entries)
    bump_rev(conn)
    return str(row.incident_id)


def mark_overdue(conn: Connection, identifiers: Sequence[str], now_ms: int) -> None:
    """Their no-acknowledgement alarm was raised now (each once): stamped, on the timeline."""
    rows = conn.execute(
        select(escalations.c.identifier, escalations.c.incident_id, escalations.c.msg_type).where(
            escalations.c.identifier.in_(list(identifiers)), escalations.c.overdue_ms == 0
        )
    ).all()
    if not rows:
        return
    conn.execute(
        update(escalations)
        .where(escalations.c.identifier.in_([r[0] for r in rows]))
        .values(overdue_ms=now_ms)
    )
    incident_store.add_timeline(
        conn, [_timeline(iid, now_ms, ident, mt, OVERDUE) for ident, iid, mt in rows]
    )
    bump_rev(conn)


def timeline_sent(
    incident_id: str, ts_ms: int, identifier: str, msg_type: str, who: dict[str, str], text: str
) -> dict[str, Any]:
    """The timeline entry of a message sent (the escalation service adds it with the message)."""
    return _timeline(incident_id, ts_ms, identifier, msg_type, SENT, **who, text=text)


def notes_of(conn: Connection, incident_id: str, limit: int) -> list[str]:
    """The incident's newest notes, newest first (the escalation's description quotes them)."""
    t = incident_timeline
    return [
        str(r[0])
        for r in conn.execute(
            select(t.c.text)
            .where(t.c.incident_id == incident_id, t.c.kind == TimelineKind.NOTE.value)
            .order_by(t.c.id.desc())
            .limit(limit)
        )
    ]


def incident_states(engine: Engine, incident_ids: Sequence[str]) -> dict[str, tuple[str, int, str]]:
    """(status, severity, ward) of these incidents."""
    t = incidents
    if not incident_ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.c.id, t.c.status, t.c.severity, t.c.ward).where(t.c.id.in_(list(incident_ids)))
        ).all()
    return {str(r[0]): (str(r[1]), int(r[2]), str(r[3])) for r in rows}
