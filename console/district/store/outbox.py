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

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select

from console.district.store.schema import meta, outbox, outbox_streams
from transport.streams import Record

log = logging.getLogger(__name__)

NewRecord = tuple[str, int, bytes]
"""(kind, created ms, payload) before it has a seq."""


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


RESTORE_POINTS = "restore_points"
"""meta key written by ``opsconsole restore``: JSON {stream: last seq of the backup}, kept
until the first session has compared them with the hub's marks (``Outbox.reconcile``)."""


def _shift_job(
    held: Mapping[str, object], points: dict[str, int], done: Callable[[dict[str, list[int]]], None]
) -> Callable[[Connection], Callable[[], None]]:
    """Take up the hub's marks after a restore: renumber what was written since the
    restore after the hub's mark where the hub holds more than the backup had."""

    def job(conn: Connection) -> Callable[[], None]:
        row = conn.execute(select(meta.c.value).where(meta.c.key == RESTORE_POINTS)).scalar()
        pos: dict[str, list[int]] = {}
        if row is not None:  # (else: already done by an earlier job)
            for stream, point in json.loads(row).items():
                h = held.get(stream, 0)
                hub = h if isinstance(h, int) else 0
                last, acked = conn.execute(
                    select(outbox_streams.c.last_seq, outbox_streams.c.acked_seq).where(
                        outbox_streams.c.stream == stream
                    )
                ).one()
                delta = max(0, hub - int(point))
                if delta:
                    # Two statements: a one-step shift would collide with itself in the key.
                    conn.exec_driver_sql(
                        "UPDATE outbox SET seq = -seq WHERE stream = ? AND seq > ?", (stream, point)
                    )
                    conn.exec_driver_sql(
                        "UPDATE outbox SET seq = ? - seq WHERE stream = ? AND seq < 0",
                        (delta, stream),
                    )
                    log.warning(
                        "restored log: the hub holds %s up to seq %d, beyond the backup's %d "
                        "(written by the lost log after the backup); %d record(s) written since "
                        "the restore are renumbered after %d",
                        stream,
                        hub,
                        point,
                        int(last) - int(point),
                        hub,
                    )
                pos[stream] = [int(last) + delta, max(int(acked), min(hub, int(last) + delta))]
                conn.execute(
                    outbox_streams.update()
                    .where(outbox_streams.c.stream == stream)
                    .values(last_seq=pos[stream][0], acked_seq=pos[stream][1])
                )
            conn.execute(meta.delete().where(meta.c.key == RESTORE_POINTS))
        return lambda: done(pos)

    return job


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
            points = conn.execute(select(meta.c.value).where(meta.c.key == RESTORE_POINTS)).scalar()
        self._restore_points: dict[str, int] = json.loads(points) if points else {}
        self._reconciling = False

    # -- after a restore ------------------------------------------------------------
    @property
    def restored(self) -> bool:
        """Restored from a backup and not yet reconciled with the hub's marks."""
        with self._lock:
            return bool(self._restore_points)

    def reconcile(self, held: Mapping[str, object]) -> bool:
        """On WELCOME (uplink thread), with the hub's marks: True to go on with the session.

        A log restored from a backup must not reuse numbers the hub may hold from the
        lost log: the first time, the hub's marks are taken up by a writer job
        (``_shift_job``) and False asks for a new session once it has committed.
        """
        with self._lock:
            if not self._restore_points:
                return True
            if self._reconciling:
                return False
            self._reconciling = True
            points = dict(self._restore_points)
        self._submit(_shift_job(dict(held), points, self._reconciled))
        return False

    def _reconciled(self, pos: dict[str, list[int]]) -> None:
        with self._lock:
            for stream, p in pos.items():
                self._pos[stream] = p
            self._restore_points = {}
            self._reconciling = False

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
        last = _append(conn, stream, records)
        return lambda: self._advance(stream, last)

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

    def ack_job(self, stream: str, through: int) -> Callable[[Connection], None]:
        def job(conn: Connection) -> None:
            conn.execute(
                outbox_streams.update()
                .where(outbox_streams.c.stream == stream, outbox_streams.c.acked_seq < through)
                .values(acked_seq=through, acked_ms=int(time.time() * 1000))
            )

        return job

    def _advance(self, stream: str, last: int) -> None:
        with self._lock:
            self._pos.setdefault(stream, [0, 0])[0] = last

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
