"""The hub's downlink in its database: numbered records per (site, stream), read by the hub.

Writers — the hub services, run by the command line now and by the IOC window
later, in processes of their own — ``append`` records inside the transaction of
what they describe (a directive and its targets, a warning): the stream's mark
is moved first (an upsert that takes the row's lock on PostgreSQL and the
database's write lock on SQLite), then the records get the seqs after it, so a
record and its number exist together or not at all, whoever writes.

The running hub reads them through ``HubDownlink``, the transport's
``Downlink`` port: ``poll`` learns the marks (one small query, when the cheap
``changed`` check says another process wrote, and once a second), ``open``
gives each console session an ``OutboxSource`` over its site's streams,
starting from what the console's inbox says it holds. A console's
ACK moves its mark (``down_acks``) and stamps ``delivered_ms`` on the records it
covers (and bumps the change counter, so the IOC's directive board moves);
neither decides what is sent — the console's own marks do.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from console.hub.store.schema import down_acks, down_records, down_streams, hub_meta
from console.hub.store.store import touch_city
from console.hub.store.wakeup import DOWNLINK_CHANNEL, WriteProbe
from console.shared.clock import Clock, SystemClock, time_ms
from console.shared.vocab import DOWNLINK_PRIORITY
from transport.streams import Record

log = logging.getLogger(__name__)

DOWNLINK_DB_KEY = "downlink_db"
"""``hub_meta`` key: the id consoles key their downlink marks by."""
READ_BUDGET = 2 * 2**20
"""Payload bytes per downlink DATA, at most (one record always goes, whatever its size)."""

NewRecord = tuple[str, int, bytes]
"""(kind, created ms, payload) before it has a seq."""


def _insert_fn(conn: Connection) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def append(conn: Connection, site: str, stream: str, records: Sequence[NewRecord]) -> list[int]:
    """Number ``records`` after the last of (``site``, ``stream``) and insert them, in the
    caller's transaction. Returns their seqs."""
    n = len(records)
    if not n:
        return []
    ins = _insert_fn(conn)(down_streams).values(site_id=site, stream=stream, last_seq=n)
    conn.execute(
        ins.on_conflict_do_update(
            index_elements=["site_id", "stream"],
            set_={"last_seq": down_streams.c.last_seq + n},
        )
    )
    last = int(
        conn.execute(
            select(down_streams.c.last_seq).where(
                down_streams.c.site_id == site, down_streams.c.stream == stream
            )
        ).scalar_one()
    )
    seqs = list(range(last - n + 1, last + 1))
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"NOTIFY {DOWNLINK_CHANNEL}")  # the hub wakes at our commit
    conn.execute(
        down_records.insert(),
        [
            {
                "site_id": site,
                "stream": stream,
                "seq": seq,
                "kind": kind,
                "created_ms": created,
                "payload": payload,
                "delivered_ms": 0,
            }
            for seq, (kind, created, payload) in zip(seqs, records, strict=True)
        ],
    )
    return seqs


def downlink_id(conn: Connection) -> str:
    return str(
        conn.execute(select(hub_meta.c.value).where(hub_meta.c.key == DOWNLINK_DB_KEY)).scalar_one()
    )


def new_downlink_id(engine: Engine) -> str:
    """Give the downlink a new id (a hub database restored from a backup: docs/PROTOCOL.md
    §2.10). Consoles then hold nothing of it and receive every record again; they apply a
    directive or a warning once whatever stream brings it. Run with the hub stopped."""
    new = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(update(hub_meta).where(hub_meta.c.key == DOWNLINK_DB_KEY).values(value=new))
    return new


class HubDownlink:
    """The ``Downlink`` port of the hub server (its thread only; ``poll`` under a lock for
    ``last`` readers elsewhere)."""

    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()
        with engine.connect() as conn:
            self._id = downlink_id(conn)
        self._lock = threading.Lock()
        self._last: dict[tuple[str, str], int] = {}
        self._probe = WriteProbe(engine, DOWNLINK_CHANNEL)
        self.poll()

    def identity(self) -> str:
        return self._id

    def streams(self) -> tuple[str, ...]:
        return tuple(s.value for s in DOWNLINK_PRIORITY)

    def poll(self) -> None:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(down_streams.c.site_id, down_streams.c.stream, down_streams.c.last_seq)
            ).all()
        with self._lock:
            self._last = {(str(site), str(stream)): int(last) for site, stream, last in rows}

    def changed(self) -> bool:
        """Cheap (``WriteProbe``): may another process have written records since?"""
        return self._probe.changed()

    def close(self) -> None:
        """Release the probe's connection (after the hub's thread ended)."""
        self._probe.close()

    def last(self, site: str, stream: str) -> int:
        with self._lock:
            return self._last.get((site, stream), 0)

    def open(self, peer: str, scope: str, held: Mapping[str, int]) -> ConsoleDownlink:
        return ConsoleDownlink(self, peer, scope, held)


class ConsoleDownlink:
    """One console session's downlink: its site's streams, from what its inbox holds
    (an ``OutboxSource``)."""

    def __init__(
        self, hub: HubDownlink, console_id: str, site: str, held: Mapping[str, int]
    ) -> None:
        self._hub = hub
        self.console_id = console_id
        self.site = site
        self._acked = {s: int(held.get(s, 0)) for s in hub.streams()}

    def identity(self) -> tuple[str, str]:
        return self.site, self._hub.identity()

    def positions(self) -> dict[str, tuple[int, int]]:
        return {s: (self._hub.last(self.site, s), a) for s, a in self._acked.items()}

    def read(self, stream: str, after: int, limit: int) -> list[Record]:
        with self._hub.engine.connect() as conn:
            rows = conn.execute(
                select(
                    down_records.c.seq,
                    down_records.c.kind,
                    down_records.c.created_ms,
                    down_records.c.payload,
                )
                .where(
                    down_records.c.site_id == self.site,
                    down_records.c.stream == stream,
                    down_records.c.seq > after,
                )
                .order_by(down_records.c.seq)
                .limit(limit)
            ).all()
        out: list[Record] = []
        size = 0
        for seq, kind, created, payload in rows:
            if out and size + len(payload) > READ_BUDGET:
                break
            out.append((int(seq), str(kind), int(created), bytes(payload)))
            size += len(payload)
        return out

    def acked(self, stream: str, through: int) -> None:
        if through <= self._acked.get(stream, 0):
            return
        self._acked[stream] = through
        now = time_ms(self._hub.clock)
        try:
            with self._hub.engine.begin() as conn:
                ins = _insert_fn(conn)(down_acks).values(
                    console_id=self.console_id,
                    stream=stream,
                    site_id=self.site,
                    acked_seq=through,
                    acked_ms=now,
                )
                conn.execute(
                    ins.on_conflict_do_update(
                        index_elements=["console_id", "stream"],
                        set_={"site_id": self.site, "acked_seq": through, "acked_ms": now},
                    )
                )
                stamped = conn.execute(
                    update(down_records)
                    .where(
                        down_records.c.site_id == self.site,
                        down_records.c.stream == stream,
                        down_records.c.seq <= through,
                        down_records.c.delivered_ms == 0,
                    )
                    .values(delivered_ms=now)
                )
                if stamped.rowcount:
                    touch_city(conn)  # the IOC's directive board shows the delivery
        except Exception as exc:
            # Bookkeeping only (the console's marks decide what is sent): the next ACK,
            # cumulative, records it again.
            log.error(
                "downlink ack of %s %s through %d not recorded: %s",
                self.console_id,
                stream,
                through,
                exc,
            )

    def oldest_unsent_ms(self) -> int | None:
        return None
