"""Retention of the site log: prune in small steps through the writer.

One *pass* deletes, in this order:

1. raw readings older than ``raw_days`` — never a minute that is not yet in
   the minute tier (a pending ``summary_pending`` mark caps the cut-off), so
   history over long spans loses nothing;
2. minute-tier rows older than ``minute_days`` (0: kept for ever);
3. outbox records that the hub has acknowledged **and** that are older than
   the outbox retention — an unacknowledged record is never touched, whatever
   its age (the condition is on ``outbox_streams.acked_seq`` in the same
   transaction).

Alarm events, alarm state and everything else are never pruned.

A pass is a writer background task (``StoreWriter.run_in_background``): each
step runs inside one group transaction, deletes at most ``step_rows`` rows
and stops after ``step_s`` seconds, so ingest never waits for more than one
small step. Deleted pages go to SQLite's free list and are reused by new
rows: a log at its retention stays the same size on disk.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

_FAR = 2**62

_RAW_SQL = (
    "DELETE FROM readings WHERE feed_id = ? AND ts_ms < ? AND ts_ms < coalesce("
    "(SELECT ts_ms FROM readings WHERE feed_id = ? ORDER BY ts_ms LIMIT 1 OFFSET ?), ?)"
)
_MINUTE_SQL = (
    "DELETE FROM readings_minute WHERE feed_id = ? AND minute < ? AND minute < coalesce("
    "(SELECT minute FROM readings_minute WHERE feed_id = ? ORDER BY minute LIMIT 1 OFFSET ?), ?)"
)
_OUTBOX_SQL = (
    "DELETE FROM outbox WHERE stream = ? AND created_ms < ? "
    "AND seq <= (SELECT acked_seq FROM outbox_streams WHERE stream = ?) "
    "AND seq < coalesce((SELECT seq FROM outbox WHERE stream = ? ORDER BY seq LIMIT 1 OFFSET ?), ?)"
)


@dataclass(frozen=True)
class Cutoffs:
    """What one pass removes: everything strictly older than these (None: nothing)."""

    raw_before_ms: int | None
    minute_before: int | None
    """A minute number (``ts_ms // 60000``)."""
    outbox_before_ms: int | None


@dataclass
class PassStats:
    started_ms: int = 0
    finished_ms: int = 0
    """0 while the pass runs."""
    steps: int = 0
    readings: int = 0
    minutes: int = 0
    outbox: int = 0
    busy_s: float = 0.0
    """Time spent inside the writer's transactions (the cost to ingest)."""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Cursor:
    phase: int = 0
    """0 raw, 1 minute tier, 2 outbox, 3 done."""
    index: int = 0
    stats: PassStats = field(default_factory=PassStats)


class PrunePass:
    """One pass over the log, as a sequence of writer steps (``step`` is the task)."""

    def __init__(
        self,
        cutoffs: Cutoffs,
        feed_ids: Sequence[int],
        streams: Sequence[str],
        *,
        started_ms: int,
        step_rows: int = 5000,
        step_s: float = 0.02,
    ) -> None:
        self.cutoffs = cutoffs
        self._feeds = list(feed_ids)
        self._streams = list(streams)
        self._step_rows = step_rows
        self._step_s = step_s
        self._cur = _Cursor()
        self._cur.stats.started_ms = started_ms
        self.stats = self._cur.stats

    @property
    def done(self) -> bool:
        return self._cur.phase >= 3

    def step(self, conn: Connection) -> bool:
        """Delete up to ``step_rows`` rows (or for ``step_s``); True while more remains."""
        t0 = time.perf_counter()
        budget = self._step_rows
        cur = self._cur
        raw_cut = self._raw_cutoff(conn) if cur.phase == 0 else None
        while cur.phase < 3 and budget > 0 and time.perf_counter() - t0 < self._step_s:
            if cur.phase == 0:
                if raw_cut is None or cur.index >= len(self._feeds):
                    cur.phase, cur.index = 1, 0
                    continue
                f = self._feeds[cur.index]
                n = _delete(conn, _RAW_SQL, (f, raw_cut, f, budget, _FAR))
                self.stats.readings += n
            elif cur.phase == 1:
                cut = self.cutoffs.minute_before
                if cut is None or cur.index >= len(self._feeds):
                    cur.phase, cur.index = 2, 0
                    continue
                f = self._feeds[cur.index]
                n = _delete(conn, _MINUTE_SQL, (f, cut, f, budget, _FAR))
                self.stats.minutes += n
            else:
                cut = self.cutoffs.outbox_before_ms
                if cut is None or cur.index >= len(self._streams):
                    cur.phase, cur.index = 3, 0
                    continue
                s = self._streams[cur.index]
                n = _delete(conn, _OUTBOX_SQL, (s, cut, s, s, budget, _FAR))
                self.stats.outbox += n
            budget -= n
            if budget > 0:
                cur.index += 1  # this feed or stream has nothing more to prune
        self.stats.steps += 1
        self.stats.busy_s += time.perf_counter() - t0
        return not self.done

    def _raw_cutoff(self, conn: Connection) -> int | None:
        """The raw cut-off, capped at the oldest minute still waiting for the minute tier."""
        cut = self.cutoffs.raw_before_ms
        if cut is None:
            return None
        pending = conn.exec_driver_sql("SELECT min(minute) FROM summary_pending").scalar()
        if pending is not None:
            cut = min(cut, int(pending) * 60_000)
        return cut


def _delete(conn: Connection, sql: str, params: tuple[Any, ...]) -> int:
    return max(conn.exec_driver_sql(sql, params).rowcount, 0)


def cutoffs_at(
    now_ms: int, *, raw_days: float, minute_days: float, outbox_days: float | None
) -> Cutoffs:
    """The cut-offs of a pass starting at ``now_ms`` (a retention of 0 days keeps for ever)."""
    day = 86_400_000
    return Cutoffs(
        raw_before_ms=now_ms - int(raw_days * day) if raw_days > 0 else None,
        minute_before=(now_ms - int(minute_days * day)) // 60_000 if minute_days > 0 else None,
        outbox_before_ms=now_ms - int(outbox_days * day) if outbox_days else None,
    )
