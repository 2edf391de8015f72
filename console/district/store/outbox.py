"""The uplink outbox: numbered records for the hub, written by the writer thread.

Every record gets the next ``seq`` of its stream inside the transaction that
writes it, so a record and its number exist together or not at all. The
uplink thread reads committed rows through its own connection and reports
acks; an ack only moves ``acked_seq`` (made durable by a writer job). Rows are
never deleted by delivery: the outbox is also the console's record of what it
told the city.

Summaries are appended by the minute tier's job (console.district.store.minutes)
in the transaction that closes their minute.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select

from console.district.store.schema import meta, outbox, outbox_streams
from transport.streams import Record

log = logging.getLogger(__name__)

NewRecord = tuple[str, int, bytes]
"""(kind, created ms, payload) before it has a seq."""
AckHook = Callable[[Connection, int], Callable[[], None] | None]
"""(transaction, acked through) → an optional after-commit callback (``Outbox.on_ack``)."""


@dataclass(frozen=True)
class StreamPosition:
    stream: str
    last_seq: int
    acked_seq: int
    backlog: int
    oldest_unsent_age_s: float | None


_INSERT_SQL = "INSERT INTO outbox (stream, seq, kind, created_ms, payload) VALUES (?, ?, ?, ?, ?)"
_READ_SQL = (
    "SELECT seq, kind, created_ms, payload FROM outbox "
    "WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?"
)


def _append(conn: Connection, stream: str, records: Sequence[NewRecord]) -> int:
    """Insert records with consecutive seqs; return the stream's new last seq."""
    row = conn.execute(
        select(outbox_streams.c.last_seq).where(outbox_streams.c.stream == stream)
    ).first()
    if row is None:
        conn.execute(
            outbox_streams.insert().values(stream=stream, last_seq=0, acked_seq=0, acked_ms=0)
        )
        last = 0
    else:
        last = int(row[0])
    if not records:
        return last
    # Plain driver parameters: SQLAlchemy's per-row processing doubled the cost.
    conn.exec_driver_sql(
        _INSERT_SQL,
        [(stream, last + i, k, ts, p) for i, (k, ts, p) in enumerate(records, start=1)],
    )
    last += len(records)
    conn.execute(
        outbox_streams.update().where(outbox_streams.c.stream == stream).values(last_seq=last)
    )
    return last


class Outbox:
    """Outbox positions in memory (moved only after commits) + reads for the uplink."""

    def __init__(
        self,
        engine: Engine,
        site_id: str,
        db_id: str,
        streams: Sequence[str],
        submit: Callable[[Callable[[Connection], Callable[[], None] | None]], None],
    ) -> None:
        """``streams``: highest priority first. ``submit`` hands a job to the store writer
        (acks are made durable that way)."""
        self.engine = engine
        self._submit = submit
        self.site_id = site_id
        self.db_id = db_id
        self._lock = threading.Lock()
        self._pos: dict[str, list[int]] = {str(s): [0, 0] for s in streams}
        self._ack_hooks: dict[str, list[AckHook]] = {}
        self._advanced: list[Callable[[str], None]] = []
        with engine.begin() as conn:
            for s in streams:
                _append(conn, s, [])
            for name, last, acked in conn.execute(
                select(
                    outbox_streams.c.stream, outbox_streams.c.last_seq, outbox_streams.c.acked_seq
                ).order_by(outbox_streams.c.stream)
            ):
                # Streams this build no longer writes (none yet) follow, by name.
                self._pos[name] = [int(last), int(acked)]

    # -- writer jobs -------------------------------------------------------------
    def append_job(
        self, stream: str, records: Sequence[NewRecord]
    ) -> Callable[[Connection], Callable[[], None]]:
        recs = list(records)

        def job(conn: Connection) -> Callable[[], None]:
            last = _append(conn, stream, recs)
            return lambda: self._advance(stream, last)

        return job

    def append_in(
        self, conn: Connection, stream: str, records: Sequence[NewRecord]
    ) -> Callable[[], None]:
        """Append inside a writer job's transaction; the callback moves the position."""
        return self.append_numbered(conn, stream, records)[1]

    def append_numbered(
        self, conn: Connection, stream: str, records: Sequence[NewRecord]
    ) -> tuple[int, Callable[[], None]]:
        """``append_in`` that also says the stream's new last seq (to remember which record
        carried what, e.g. an escalation's delivery state)."""
        last = _append(conn, stream, records)
        return last, lambda: self._advance(stream, last)

    def prune_job(self, before_ms: int) -> Callable[[Connection], None]:
        """Delete records the hub acknowledged that are older than ``before_ms``.

        Unacknowledged records are never touched, whatever their age.
        """

        def job(conn: Connection) -> None:
            conn.exec_driver_sql(
                "DELETE FROM outbox WHERE created_ms < ? AND seq <= "
                "(SELECT acked_seq FROM outbox_streams s WHERE s.stream = outbox.stream)",
                (before_ms,),
            )

        return job

    def ack_job(
        self, stream: str, through: int
    ) -> Callable[[Connection], Callable[[], None] | None]:
        hooks = list(self._ack_hooks.get(stream, ()))

        def job(conn: Connection) -> Callable[[], None] | None:
            conn.execute(
                outbox_streams.update()
                .where(outbox_streams.c.stream == stream, outbox_streams.c.acked_seq < through)
                .values(acked_seq=through, acked_ms=int(time.time() * 1000))
            )
            after = [cb for cb in (hook(conn, through) for hook in hooks) if cb is not None]
            if not after:
                return None

            def committed() -> None:
                for cb in after:
                    cb()

            return committed

        return job

    def on_ack(self, stream: str, hook: AckHook) -> None:
        """``hook(conn, through)`` runs in the transaction that records the hub's ack of
        ``stream`` through ``through`` (what the ack means for the records' owners commits
        with it); a callback it returns runs after that commit."""
        self._ack_hooks.setdefault(stream, []).append(hook)

    def on_advance(self, fn: Callable[[str], None]) -> None:
        """``fn(stream)`` after each commit that added records to ``stream`` (the writer's
        thread: keep it short): the uplink can send them at once, not at its next poll."""
        self._advanced.append(fn)

    def _advance(self, stream: str, last: int) -> None:
        with self._lock:
            p = self._pos.setdefault(stream, [0, 0])
            p[0] = max(p[0], last)
        for fn in self._advanced:
            fn(stream)

    # -- OutboxSource (uplink thread) --------------------------------------------
    def identity(self) -> tuple[str, str]:
        return self.site_id, self.db_id

    def positions(self) -> dict[str, tuple[int, int]]:
        """Per stream (last seq, acked seq), in priority order."""
        with self._lock:
            return {s: (p[0], p[1]) for s, p in self._pos.items()}

    def read(self, stream: str, after: int, limit: int) -> list[Record]:
        with self.engine.connect() as conn:
            return [
                (seq, kind, ts, bytes(p))
                for seq, kind, ts, p in conn.exec_driver_sql(_READ_SQL, (stream, after, limit))
            ]

    def acked(self, stream: str, through: int) -> None:
        with self._lock:
            p = self._pos.setdefault(stream, [0, 0])
            if through <= p[1]:
                return
            p[1] = through
        self._submit(self.ack_job(stream, through))

    def oldest_unsent_ms(self) -> int | None:
        oldest: int | None = None
        with self.engine.connect() as conn:
            for stream, (last, acked) in self.positions().items():
                if last <= acked:
                    continue
                ts = conn.execute(
                    select(outbox.c.created_ms).where(
                        outbox.c.stream == stream, outbox.c.seq == acked + 1
                    )
                ).scalar()
                if ts is not None and (oldest is None or ts < oldest):
                    oldest = int(ts)
        return oldest


def stream_positions(engine: Engine) -> list[StreamPosition]:
    """For the CLI and tests: every stream's position, read from the database."""
    now_ms = int(time.time() * 1000)
    out = []
    with engine.connect() as conn:
        for stream, last, acked in conn.execute(
            select(
                outbox_streams.c.stream, outbox_streams.c.last_seq, outbox_streams.c.acked_seq
            ).order_by(outbox_streams.c.stream)
        ):
            ts = conn.execute(
                select(outbox.c.created_ms).where(
                    outbox.c.stream == stream, outbox.c.seq == acked + 1
                )
            ).scalar()
            age = None if ts is None else max(0.0, (now_ms - int(ts)) / 1000)
            out.append(StreamPosition(stream, int(last), int(acked), int(last - acked), age))
    return out


def new_database_id(engine: Engine) -> tuple[str, dict[str, tuple[int, int]]]:
    """Give the log a new database id and start every stream again at seq 1 (docs/PROTOCOL.md
    §2.4, "restored database"): what the hub acknowledged stays with the hub, under the old
    id, and leaves the outbox; what it did not is renumbered from 1, in order, to be sent
    under the new id. Returns (new id, per stream (records kept, records dropped))."""
    new = str(uuid.uuid4())
    out: dict[str, tuple[int, int]] = {}
    with engine.begin() as conn:
        conn.execute(meta.update().where(meta.c.key == "stream_id").values(value=new))
        streams = conn.execute(
            select(outbox_streams.c.stream, outbox_streams.c.last_seq, outbox_streams.c.acked_seq)
        ).all()
        for stream, last, acked in streams:
            dropped = conn.exec_driver_sql(
                "DELETE FROM outbox WHERE stream = ? AND seq <= ?", (stream, acked)
            ).rowcount
            # Two steps: the key (stream, seq) must stay unique row by row.
            conn.exec_driver_sql(
                "UPDATE outbox SET seq = -(seq - ?) WHERE stream = ?", (acked, stream)
            )
            conn.exec_driver_sql("UPDATE outbox SET seq = -seq WHERE stream = ?", (stream,))
            conn.execute(
                outbox_streams.update()
                .where(outbox_streams.c.stream == stream)
                .values(last_seq=int(last) - int(acked), acked_seq=0, acked_ms=0)
            )
            out[stream] = (int(last) - int(acked), max(dropped, 0))
    return new, out
