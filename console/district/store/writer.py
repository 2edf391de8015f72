"""The single writer thread: group commit of everything the site log stores.

Producers hand the writer work and never touch the database themselves. The
writer takes whatever has queued up (up to a cap), applies it in one
transaction and commits, so one fsync covers many batches (group commit).

Two kinds of work, two rules:

- **readings** wait in a queue bounded in rows (``max_queued_rows``). A full
  queue blocks the producer for at most ``max_block_s`` (back-pressure reaches
  the ZeroMQ socket and the gateway while the disk is merely slow); while
  commits are failing (a full disk) it does not block at all. Readings that
  find no room are **dropped and counted** (``rows_dropped``, logged): the
  receiver keeps running, so the window keeps showing live data, and memory
  stays bounded.
- **jobs** (alarm transitions, outbox records, acks, summaries…) are few and
  never refused or dropped: they queue without bound and are committed in
  submission order with the readings around them.

A failed commit (full disk, a lock held by a foreign process) is rolled back
and retried with back-off, for ever, so committing resumes by itself when
space returns. ``stop`` is bounded: it commits what it can until its
deadline, then gives up on the rest, says what was not committed, and closes
the connection; SQLite's transaction guarantees leave the log consistent. A
commit attempt still running ``STOP_GRACE_S`` past the deadline (a foreign
lock) is not waited for: the report says what it and the queue hold.

**Background tasks** (retention pruning) advance one small step per commit,
inside the group transaction: they never hold the log for long and never
make ingest wait more than one step.

Counters are read from other threads without locks; each is written by one
thread and ints are replaced atomically under the GIL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
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

Step = Callable[[Connection], bool]
"""One small step of a background task inside a group transaction; True while more remains."""

DROP_LOG_S = 10.0
"""Dropped readings are logged at once, then summarized at most this often."""
BACKGROUND_DUTY = 0.25
"""Background steps take at most this share of the writer's time (pruning never starves
ingest: after a step of d seconds the next waits 3·d)."""
FAIL_LOG_S = 30.0
"""Failing commits: the first is logged at once, then a summary at most this often."""
STOP_GRACE_S = 5.0
"""``stop`` waits this long past its deadline for a commit attempt under way (one attempt
may wait for SQLite's busy timeout); a writer still busy then is reported, not waited for."""


@dataclass
class _Readings:
    rows: list[ReadingRow]
    minutes: list[tuple[int, int]] | None = None
    """(feed id, minute) pairs these rows fall in: marked for summarizing, same transaction."""


@dataclass
class _Job:
    fn: Job
    label: str


@dataclass
class StopReport:
    """What ``stop`` could not commit (all zero after a clean stop)."""

    clean: bool = True
    readings_uncommitted: int = 0
    jobs_uncommitted: dict[str, int] = field(default_factory=dict)
    """Label → count (e.g. ``alarm`` 3, ``outbox`` 2)."""
    last_error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class StoreWriter:
    """Owns the only writing connection to the site log."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_rows_per_commit: int = 50_000,
        max_queued_rows: int = 200_000,
        max_block_s: float = 10.0,
        on_commit: Callable[[list[ReadingRow], float], None] | None = None,
    ) -> None:
        self._engine = engine
        self._max_rows = max_rows_per_commit
        self._max_queued = max_queued_rows
        self._max_block_s = max_block_s
        self._on_commit = on_commit
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._cv = threading.Condition()
        self._items: deque[_Readings | _Job] = deque()
        self._queued_rows = 0
        self._queued_labels: Counter[str] = Counter()
        self._background: dict[str, Step] = {}
        self._background_at = 0.0
        """Monotonic time before which no background step runs (the duty cycle)."""
        self._inflight: list[_Readings | _Job] = []
        """Items taken from the queue whose commit has not finished yet."""
        self._stopping = False
        self._stop_deadline = 0.0
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
        self.rows_dropped = 0
        """Rows refused for lack of queue room (commits failing or stalled): never stored."""
        self.commits = 0
        self.jobs_committed = 0
        self.background_steps = 0
        self.last_commit_time = 0.0
        self.failed: BaseException | None = None
        self.commit_failures = 0
        self.failing_since = 0.0
        """Monotonic time of the first failed commit since the last good one (0: healthy)."""
        self.last_error = ""
        self.stop_report: StopReport | None = None
        self._drop_logged_at = 0.0
        self._drop_logged_n = 0
        self._fail_logged_at = 0.0

    def start(self) -> None:
        self._thread.start()

    # -- producers ------------------------------------------------------------------
    def submit_readings(
        self,
        rows: list[ReadingRow],
        minutes: list[tuple[int, int]] | None = None,
        *,
        keep: bool = False,
    ) -> bool:
        """Queue rows for the next group commit; drop and count them if there is no room.

        ``keep``: never drop them (a gateway in acknowledged mode holds what is not
        acknowledged, and its window bounds how much can wait here). Returns False when
        the rows were dropped."""
        if not rows:
            return True
        self._check()
        n = len(rows)
        with self._cv:
            deadline = time.monotonic() + self._max_block_s
            while not keep and self._queued_rows and self._queued_rows + n > self._max_queued:
                remaining = deadline - time.monotonic()
                if self.failing_since or self._stopping or remaining <= 0:
                    self.rows_dropped += n
                    self._log_drop(n)
                    return False
                self._cv.wait(min(remaining, 0.1))
            self.rows_submitted += n
            self._queued_rows += n
            self._items.append(_Readings(rows, minutes))
            self._cv.notify_all()
        return True

    def submit_job(self, job: Job, label: str = "job", *, coalesce: bool = False) -> None:
        """Queue a job (never refused, never dropped); ``label`` names it in stop reports.

        ``coalesce``: skip it if a job with the same label is still waiting (periodic
        idempotent jobs, e.g. summarizing, must not pile up while the disk is full).
        """
        self._check()
        with self._cv:
            if coalesce and self._queued_labels[label]:
                return
            self._queued_labels[label] += 1
            self._items.append(_Job(job, label))
            self._cv.notify_all()

    def run_in_background(self, name: str, step: Step) -> None:
        """Run ``step`` once per commit until it returns False (replaces a task of that name)."""
        with self._cv:
            self._background[name] = step
            self._cv.notify_all()

    def background_running(self, name: str) -> bool:
        with self._cv:
            return name in self._background

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything submitted so far is committed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cv:
            target = self.rows_submitted
            while self.rows_committed + self.rows_ignored < target or self._items or self._inflight:
                self._check()
                if not self._thread.is_alive():
                    return False
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cv.wait(0.05 if remaining is None else min(remaining, 0.05))
        return True

    def stop(self, timeout: float = 30.0) -> StopReport:
        """Commit everything queued, then close the connection: within ``timeout`` seconds.

        With commits failing (a full disk) the writer gives up at the deadline and
        reports what it could not commit; nothing half-written reaches the log.
        """
        if self._thread.is_alive():
            with self._cv:
                self._stopping = True
                self._stop_deadline = time.monotonic() + timeout
                self._cv.notify_all()
            self._thread.join(timeout + STOP_GRACE_S)
        if self._thread.is_alive():
            # Still inside one commit attempt (e.g. waiting on a foreign lock): say so,
            # with what it holds and what is queued, rather than call the stop clean.
            with self._cv:
                report = self._report(clean=False, work=list(self._inflight))
            report.last_error = f"still committing {timeout + STOP_GRACE_S:g} s after stop" + (
                f" ({self.last_error})" if self.last_error else ""
            )
            log.error(
                "stop: the log writer is still busy; NOT known to be committed: %d readings, "
                "jobs %s",
                report.readings_uncommitted,
                report.jobs_uncommitted or "none",
            )
            return report
        if self.stop_report is None:
            self.stop_report = self._report(clean=self.failed is None, work=[])
        return self.stop_report

    # -- state --------------------------------------------------------------------------
    @property
    def pending_rows(self) -> int:
        return self.rows_submitted - self.rows_committed - self.rows_ignored

    @property
    def queued_rows(self) -> int:
        return self._queued_rows

    def _check(self) -> None:
        if self.failed is not None:
            raise RuntimeError(f"the store writer has stopped: {self.failed}") from self.failed

    def _log_drop(self, n: int) -> None:
        """Every drop is counted; the log gets the first at once, then a sum every DROP_LOG_S."""
        now = time.monotonic()
        self._drop_logged_n += n
        if self._drop_logged_at and now - self._drop_logged_at < DROP_LOG_S:
            return
        log.error(
            "%d readings NOT STORED (%d in all): the log cannot keep up%s; "
            "the window still shows them live",
            self._drop_logged_n,
            self.rows_dropped,
            f" ({self.last_error})" if self.failing_since else "",
        )
        self._drop_logged_at = now
        self._drop_logged_n = 0

    def _report(self, *, clean: bool, work: list[_Readings | _Job]) -> StopReport:
        rest = [*work, *self._items]
        jobs = Counter(i.label for i in rest if isinstance(i, _Job))
        return StopReport(
            clean=clean,
            readings_uncommitted=sum(len(i.rows) for i in rest if isinstance(i, _Readings)),
            jobs_uncommitted=dict(jobs),
            last_error=self.last_error if not clean else "",
        )

    # -- the thread -------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            with self._engine.connect() as conn:
                self._loop(conn)
        except BaseException as exc:
            self.failed = exc
            log.critical("store writer failed; nothing more is logged: %s", exc, exc_info=True)
        finally:
            with self._cv:
                self._cv.notify_all()

    def _take(self) -> tuple[list[_Readings | _Job], Step | None, str] | None:
        """The next group of work (None: stop now). Waits while there is nothing to do."""
        with self._cv:
            while not self._items:
                if self._stopping:
                    return None
                wait: float | None = None
                if self._background:
                    # Background work waits for its duty cycle, and after failures
                    # for a good commit of real work.
                    wait = max(0.0, self._background_at - time.monotonic())
                    if not wait and not self.failing_since:
                        break
                    wait = wait or 1.0
                self._cv.wait(wait)
            work: list[_Readings | _Job] = []
            rows_n = 0
            while self._items and rows_n < self._max_rows:
                item = self._items.popleft()
                work.append(item)
                if isinstance(item, _Readings):
                    rows_n += len(item.rows)
                else:
                    self._queued_labels[item.label] -= 1
            self._queued_rows -= rows_n
            self._inflight = work
            step_name, step = "", None
            if (
                self._background
                and not self.failing_since
                and not self._stopping
                and time.monotonic() >= self._background_at
            ):
                step_name = next(iter(self._background))
                step = self._background.pop(step_name)
                self._background[step_name] = step  # round robin: to the back
            self._cv.notify_all()
            return work, step, step_name

    def _loop(self, conn: Connection) -> None:
        while True:
            taken = self._take()
            if taken is None:
                self.stop_report = self._report(clean=True, work=[])
                return
            work, step, step_name = taken
            if not self._commit_with_retry(conn, work, step, step_name):
                self.stop_report = self._report(clean=False, work=work)
                r = self.stop_report
                log.error(
                    "stopping with the log unwritable (%s): NOT committed: %d readings, jobs %s; "
                    "the log is consistent up to its last commit",
                    r.last_error,
                    r.readings_uncommitted,
                    r.jobs_uncommitted or "none",
                )
                with self._cv:
                    self._items.clear()
                    self._queued_labels.clear()
                    self._queued_rows = 0
                    self._inflight = []
                return
            with self._cv:
                self._inflight = []
                self._cv.notify_all()

    def _commit_with_retry(
        self, conn: Connection, work: list[_Readings | _Job], step: Step | None, step_name: str
    ) -> bool:
        """Commit ``work``; retry failures with back-off. False: gave up (stopping)."""
        delay = 0.05
        while True:
            try:
                self._commit(conn, work, step, step_name)
                if self.failing_since:
                    log.warning(
                        "the log commits again after %.0f s of failures (%d retries)",
                        time.monotonic() - self.failing_since,
                        self.commit_failures,
                    )
                self.failing_since = 0.0
                return True
            except OperationalError as exc:
                conn.rollback()
                self.commit_failures += 1
                self.last_error = str(exc.orig)
                now = time.monotonic()
                if not self.failing_since:
                    self.failing_since = now
                    self._fail_logged_at = now
                    log.error("commit failed (%s); retrying until it succeeds", exc.orig)
                elif now - self._fail_logged_at >= FAIL_LOG_S:
                    self._fail_logged_at = now
                    log.error(
                        "commits still failing after %.0f s (%d retries; %s); %d readings queued",
                        now - self.failing_since,
                        self.commit_failures,
                        exc.orig,
                        self._queued_rows,
                    )
                step = None  # keep a retry as small as possible
            with self._cv:
                # Back off for ``delay`` (producers' notifications do not cut it short),
                # waking early only for a stop request, and never past its deadline.
                retry_at = time.monotonic() + delay
                while True:
                    now = time.monotonic()
                    if self._stopping:
                        if now >= self._stop_deadline:
                            return False
                        retry_at = min(retry_at, self._stop_deadline)
                    if now >= retry_at:
                        break
                    self._cv.wait(retry_at - now)
            delay = min(delay * 2, 5.0)

    def _commit(
        self, conn: Connection, work: list[_Readings | _Job], step: Step | None, step_name: str
    ) -> None:
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
            cb = item.fn(conn)
            if callable(cb):
                after.append(cb)
            jobs += 1
        ignored += self._insert(conn, rows, minutes)
        t_step = time.monotonic()
        more = step(conn) if step is not None else True
        conn.commit()
        if step is not None:
            end = time.monotonic()
            self._background_at = end + (end - t_step) * (1 / BACKGROUND_DUTY - 1)
            self.background_steps += 1
            if not more:
                with self._cv:
                    if self._background.get(step_name) is step:
                        del self._background[step_name]
        for cb in after:
            cb()
        now = time.time()
        written = sum(len(w.rows) for w in work if isinstance(w, _Readings))
        self.rows_ignored += ignored
        self.rows_committed += written - ignored
        self.jobs_committed += jobs
        self.commits += 1
        self.last_commit_time = now
        if self._on_commit is not None and written:
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
