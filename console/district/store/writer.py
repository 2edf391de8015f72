"""The single writer thread: group commit of everything the site logs.

Producers hand the writer work through a bounded queue and never touch the
database themselves. The writer takes whatever has queued up (up to a cap),
applies it in one transaction and commits, so one fsync covers many batches
(group commit). A full queue blocks the producer: back-pressure reaches the
ZeroMQ socket and then the gateway, instead of memory growing without bound.

Counters are read from other threads without locks; each is written by this
thread only and ints are replaced atomically under the GIL.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.exc import OperationalError

from console.district.store.schema import readings, summary_pending

log = logging.getLogger(__name__)

ReadingRow = tuple[int, int, float, int]
"""(feed id, ts ms, value, quality) as stored."""

Job = Callable[[Connection], "Callable[[], None] | None"]
"""Low-rate work (alarms, outbox, summaries…) run inside the group transaction.

A job may return a callback; it runs after the commit succeeded (for in-memory
state that must only move once the rows are durable, e.g. outbox positions).
"""


@dataclass
class _Readings:
    rows: list[ReadingRow]
    minutes: list[tuple[int, int]] | None = None
    """(feed id, minute) pairs these rows fall in: marked for summarizing, same transaction."""


_STOP = object()


class StoreWriter:
    """Owns the only writing connection to the site log."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_rows_per_commit: int = 50_000,
        queue_batches: int = 256,
        on_commit: Callable[[list[ReadingRow], float], None] | None = None,
    ) -> None:
        self._engine = engine
        self._max_rows = max_rows_per_commit
        self._q: queue.Queue[Any] = queue.Queue(maxsize=queue_batches)
        self._on_commit = on_commit
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._idle = threading.Condition()
        self._sql = str(
            insert(readings)
            .prefix_with("OR IGNORE")
            .compile(dialect=engine.dialect, column_keys=["feed_id", "ts_ms", "value", "quality"])
        )
        self._pending_sql = str(
            insert(summary_pending)
            .prefix_with("OR IGNORE")
            .compile(dialect=engine.dialect, column_keys=["feed_id", "minute"])
        )
        self.rows_submitted = 0
        self.rows_committed = 0
        self.rows_ignored = 0
        """Rows the unique (feed, ts) index refused: already stored before."""
        self.commits = 0
        self.jobs_committed = 0
        self.last_commit_time = 0.0
        self.failed: BaseException | None = None
        self.commit_failures = 0
        self.last_error = ""

    def start(self) -> None:
        self._thread.start()

    def submit_readings(
        self, rows: list[ReadingRow], minutes: list[tuple[int, int]] | None = None
    ) -> None:
        """Queue rows for the next group commit (blocks while the queue is full)."""
        if not rows:
            return
        self._check()
        self.rows_submitted += len(rows)
        self._q.put(_Readings(rows, minutes))

    def submit_job(self, job: Job) -> None:
        self._check()
        self._q.put(job)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything submitted so far is committed."""
        target = self.rows_submitted
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._idle:
            while self.rows_committed + self.rows_ignored < target or self._q.unfinished_tasks:
                self._check()
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(0.05 if remaining is None else min(remaining, 0.05))
        return True

    def stop(self, timeout: float = 30.0) -> None:
        """Commit everything queued, then close the connection."""
        if self._thread.is_alive():
            self._q.put(_STOP)
            self._thread.join(timeout)

    @property
    def pending_rows(self) -> int:
        return self.rows_submitted - self.rows_committed - self.rows_ignored

    def _check(self) -> None:
        if self.failed is not None:
            raise RuntimeError(f"the store writer has stopped: {self.failed}") from self.failed

    def _run(self) -> None:
        try:
            with self._engine.connect() as conn:
                self._loop(conn)
        except BaseException as exc:
            self.failed = exc
            log.critical("store writer failed; nothing more is logged: %s", exc, exc_info=True)
        finally:
            with self._idle:
                self._idle.notify_all()

    def _loop(self, conn: Connection) -> None:
        stopping = False
        while not stopping:
            first = self._q.get()
            items = [first]
            rows_n = len(first.rows) if isinstance(first, _Readings) else 0
            while rows_n < self._max_rows:
                try:
                    item = self._q.get_nowait()
                except queue.Empty:
                    break
                items.append(item)
                if isinstance(item, _Readings):
                    rows_n += len(item.rows)
            work = [i for i in items if i is not _STOP]
            stopping = len(work) != len(items)
            if work:
                self._commit_with_retry(conn, work)
            for _ in items:
                self._q.task_done()
            with self._idle:
                self._idle.notify_all()

    def _commit_with_retry(self, conn: Connection, work: list[Any]) -> None:
        # A full disk or a lock held by a foreign process is survivable: keep the
        # batch, back off and retry. Producers block on the queue meanwhile.
        delay = 0.05
        while True:
            try:
                self._commit(conn, work)
                return
            except OperationalError as exc:
                conn.rollback()
                self.commit_failures += 1
                self.last_error = str(exc.orig)
                log.error("commit failed (%s); retrying in %.1f s", exc.orig, delay)
                time.sleep(delay)
                delay = min(delay * 2, 5.0)

    def _commit(self, conn: Connection, work: list[Any]) -> None:
        rows: list[ReadingRow] = []
        minutes: set[tuple[int, int]] = set()
        ignored = 0
        jobs = 0
        after: list[Callable[[], None]] = []
        for item in work:
            if isinstance(item, _Readings):
                rows.extend(item.rows)
                if item.minutes:
                    minutes.update(item.minutes)
                continue
            # Keep submission order: readings queued before a job are written first.
            ignored += self._insert(conn, rows, minutes)
            rows = []
            minutes = set()
            cb = item(conn)
            if callable(cb):
                after.append(cb)
            jobs += 1
        ignored += self._insert(conn, rows, minutes)
        conn.commit()
        for cb in after:
            cb()
        now = time.time()
        written = sum(len(w.rows) for w in work if isinstance(w, _Readings))
        self.rows_ignored += ignored
        self.rows_committed += written - ignored
        self.jobs_committed += jobs
        self.commits += 1
        self.last_commit_time = now
        if self._on_commit is not None:
            self._on_commit([r for w in work if isinstance(w, _Readings) for r in w.rows], now)

    def _insert(
        self, conn: Connection, rows: list[ReadingRow], minutes: set[tuple[int, int]]
    ) -> int:
        if minutes:
            conn.exec_driver_sql(self._pending_sql, list(minutes))
        if not rows:
            return 0
        result = conn.exec_driver_sql(self._sql, rows)
        return len(rows) - max(result.rowcount, 0)
