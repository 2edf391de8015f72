"""What the shift handover report reads from the log besides incidents: alarm state, who
shelved or removed each alarm, each feed's last reading, the outbox backlog."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from console.district.store.schema import (
    alarm_events,
    alarm_state,
    feeds,
    outbox_streams,
    readings,
)


def alarm_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every alarm not in plain normal, as stored (the console may not be running)."""
    q = select(alarm_state).where(alarm_state.c.state != "normal")
    return [dict(r._mapping) for r in conn.execute(q)]


def last_commands(
    conn: Connection, alarm_ids: Sequence[str], events: Sequence[str]
) -> dict[str, tuple[str, int]]:
    """alarm id → (user, ts ms) of its latest journal row with one of ``events``."""
    out: dict[str, tuple[str, int]] = {}
    for aid in alarm_ids:
        r = conn.execute(
            select(alarm_events.c.user, alarm_events.c.ts_ms)
            .where(alarm_events.c.alarm_id == aid, alarm_events.c.event.in_(list(events)))
            .order_by(alarm_events.c.id.desc())
            .limit(1)
        ).first()
        if r is not None:
            out[aid] = (str(r[0]), int(r[1]))
    return out


def last_readings(conn: Connection) -> dict[str, tuple[int, int]]:
    """feed key → (ts ms, quality) of its newest stored reading (one seek per feed)."""
    out: dict[str, tuple[int, int]] = {}
    for fid, key in conn.execute(select(feeds.c.id, feeds.c.feed_key)):
        r = conn.execute(
            select(readings.c.ts_ms, readings.c.quality)
            .where(readings.c.feed_id == fid)
            .order_by(readings.c.ts_ms.desc())
            .limit(1)
        ).first()
        if r is not None:
            out[str(key)] = (int(r[0]), int(r[1]))
    return out


def outbox_backlog(conn: Connection) -> tuple[int, int]:
    """(streams the console has written to the city, records not yet acknowledged)."""
    n, backlog = conn.execute(
        select(func.count(), func.sum(outbox_streams.c.last_seq - outbox_streams.c.acked_seq))
    ).one()
    return int(n or 0), int(backlog or 0)
