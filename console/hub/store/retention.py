"""Retention of the hub's raw records (``hub_records``, ``hub_quarantine``); the city
picture is kept.

``hub_records`` holds every record as a console sent it (the audit trail): at
one summary per feed per minute it grows by ~2.9 million rows a day for a
2,000-feed site (docs/SIZING.md). ``hub_quarantine`` holds, the same way, what a
console sent that could not be stored as intended — as much as a console sending
garbage makes it. Rows of either received more than ``records_days`` ago are
deleted (the records first, then the quarantine, in one pass); ``site_status`` and
``feed_minutes`` (the city picture) and the dedupe marks in ``hub_streams`` are
never touched, so a console resending an old record is still recognized as a
duplicate.

Pruning runs on the hub loop's one-second tick, inside a small time budget,
in chunks of consecutive seqs of one stream (a range of the primary key: the
same cheap delete on SQLite and PostgreSQL). Within a stream records arrive in
seq order, so ``received_ms`` rises with ``seq``: a chunk that leaves a younger
record behind ends that stream's pass. Seqs have gaps (a quarantined record is
in ``hub_quarantine``, not here): the next chunk starts at the next record.

A pass that fails (the database unreachable) is logged and abandoned; the next
starts a period later, not on the next tick.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine, and_, delete, func, select

from console.hub.store.schema import hub_quarantine, hub_records, hub_streams
from console.shared.clock import Clock, SystemClock, time_ms

log = logging.getLogger(__name__)

_Key = tuple[str, str, str, str]
"""(table, console, database, stream): the records' streams, then the quarantine's."""
_TABLES = {"records": hub_records, "quarantine": hub_quarantine}


@dataclass
class HubPrunePass:
    cutoff_ms: int
    keys: list[_Key]
    index: int = 0
    next_seq: int | None = None
    deleted: int = 0
    quarantine_deleted: int = 0
    chunks: int = 0
    busy_s: float = 0.0
    done: bool = False
    started: float = field(default_factory=time.monotonic)


class HubRetention:
    def __init__(
        self,
        engine: Engine,
        records_days: float,
        *,
        clock: Clock | None = None,
        period_s: float = 600.0,
        chunk: int = 5000,
        budget_s: float = 0.05,
    ) -> None:
        self._engine = engine
        self.records_days = records_days
        self._clock = clock or SystemClock()
        self._period = period_s
        self._chunk = chunk
        self._budget = budget_s
        self._next_pass = self._clock.monotonic()
        self.current: HubPrunePass | None = None
        self.deleted_total = 0
        self.passes = 0
        self.failures = 0

    def tick(self) -> None:
        """Called on the hub loop's tick: start a pass when due, advance it within budget.
        Never raises: a failing pass is logged and retried a period later."""
        if self.records_days <= 0:
            return
        try:
            self._tick()
        except Exception as exc:
            log.error("hub retention pass failed (next try in %g s): %s", self._period, exc)
            self.current = None
            self.failures += 1
            self._next_pass = self._clock.monotonic() + self._period

    def _tick(self) -> None:
        if self.current is None:
            if self._clock.monotonic() < self._next_pass:
                return
            self.current = self.start()
        p = self.current
        t0 = time.perf_counter()
        while not p.done and time.perf_counter() - t0 < self._budget:
            self.step(p)
        p.busy_s += time.perf_counter() - t0
        if p.done:
            self.current = None
            self.passes += 1
            self.deleted_total += p.deleted
            self._next_pass = self._clock.monotonic() + self._period
            if p.deleted or p.quarantine_deleted:
                log.info(
                    "hub retention: %d records and %d quarantined older than %g days "
                    "deleted in %d chunks (%.2f s of the hub loop)",
                    p.deleted,
                    p.quarantine_deleted,
                    self.records_days,
                    p.chunks,
                    p.busy_s,
                )

    def start(self) -> HubPrunePass:
        cutoff = time_ms(self._clock) - int(self.records_days * 86_400_000)
        with self._engine.connect() as conn:
            streams = [
                (str(c), str(d), str(s))
                for c, d, s in conn.execute(
                    select(hub_streams.c.console_id, hub_streams.c.db_id, hub_streams.c.stream)
                )
            ]
        return HubPrunePass(cutoff, [(t, *k) for t in _TABLES for k in streams])

    def run_pass(self) -> HubPrunePass:
        """A whole pass now (tests, and ``opsconsole hub prune`` one day)."""
        p = self.start()
        while not p.done:
            self.step(p)
        self.deleted_total += p.deleted
        return p

    def step(self, p: HubPrunePass) -> None:
        """Delete one chunk of one stream of one table, in its own transaction."""
        if p.index >= len(p.keys):
            p.done = True
            return
        table_name, console_id, db_id, stream = p.keys[p.index]
        t = _TABLES[table_name]
        same = and_(t.c.console_id == console_id, t.c.db_id == db_id, t.c.stream == stream)
        with self._engine.begin() as conn:
            if p.next_seq is None:
                p.next_seq = conn.execute(select(func.min(t.c.seq)).where(same)).scalar()
                if p.next_seq is None:
                    p.index += 1
                    return
            lo = int(p.next_seq)
            hi = lo + self._chunk
            in_chunk = and_(same, t.c.seq >= lo, t.c.seq < hi)
            n = conn.execute(delete(t).where(in_chunk, t.c.received_ms < p.cutoff_ms)).rowcount
            # A younger record left in the chunk: the rest of the stream is younger too.
            younger = conn.execute(select(t.c.seq).where(in_chunk).limit(1)).first()
            following = (
                None
                if younger is not None
                else conn.execute(select(func.min(t.c.seq)).where(same, t.c.seq >= hi)).scalar()
            )
        if t is hub_records:
            p.deleted += max(n, 0)
        else:
            p.quarantine_deleted += max(n, 0)
        p.chunks += 1
        if following is None:
            p.index += 1  # this stream is done: the rest is younger, or there is no more
            p.next_seq = None
        else:
            p.next_seq = int(following)  # over any gap of quarantined seqs
