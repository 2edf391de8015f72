"""One scheduler for every periodic job of a console, driven by an injected clock.

Services register what only time can trigger (alarm checks, closing minutes
into summaries, the site status, outbox pruning) with a period; nothing else
in the console keeps a timer thread of its own. With the ``SystemClock`` a
thread runs the jobs; with a ``SimClock`` a test calls ``advance`` and an
hour of timed behaviour runs in milliseconds, in order, deterministically.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from console.shared.clock import Clock, SimClock

log = logging.getLogger(__name__)

JobFn = Callable[[float], None]
"""Called with the clock's wall time (Unix seconds)."""


@dataclass
class _Job:
    name: str
    period_s: float
    fn: JobFn
    next_at: float
    """On the clock's monotonic scale."""
    runs: int = 0
    failures: int = 0


class Scheduler:
    def __init__(self, clock: Clock, *, name: str = "scheduler") -> None:
        self.clock = clock
        self._name = name
        self._jobs: list[_Job] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def every(self, period_s: float, fn: JobFn, *, name: str, first_after_s: float = 0.0) -> None:
        """Run ``fn`` every ``period_s`` seconds, the first time ``first_after_s`` from now."""
        if period_s <= 0:
            raise ValueError(f"job {name!r}: period must be positive")
        with self._lock:
            self._jobs.append(_Job(name, period_s, fn, self.clock.monotonic() + first_after_s))
        self._wake.set()

    def run_due(self) -> int:
        """Run every job that is due now, in registration order; return how many ran.

        A job that fails is logged and counted; it runs again at its next time
        (one broken job must not stop the alarm checks).
        """
        now_m = self.clock.monotonic()
        with self._lock:
            due = [j for j in self._jobs if j.next_at <= now_m]
        wall = self.clock.time()
        for job in due:
            try:
                job.fn(wall)
            except Exception:
                job.failures += 1
                log.exception("scheduled job %r failed", job.name)
            job.runs += 1
            # Keep the cadence, but never try to catch up on missed runs in a burst.
            job.next_at = max(job.next_at + job.period_s, now_m)
            if job.next_at <= now_m:
                job.next_at = now_m + job.period_s
        return len(due)

    def next_due_in(self) -> float:
        """Seconds until the next job is due (0 if one is due now, 1 if there are none)."""
        with self._lock:
            if not self._jobs:
                return 1.0
            nxt = min(j.next_at for j in self._jobs)
        return max(0.0, nxt - self.clock.monotonic())

    def stats(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {j.name: {"runs": j.runs, "failures": j.failures} for j in self._jobs}

    # -- real time ----------------------------------------------------------------
    def start(self) -> None:
        """Run due jobs in a thread of our own until ``stop`` (real clocks only)."""
        if isinstance(self.clock, SimClock):
            raise RuntimeError("a simulated clock is driven by advance(), not by a thread")
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_due()
            self._wake.clear()
            # Short cap: a job registered later, or a clock step, is picked up promptly.
            self._wake.wait(min(self.next_due_in(), 0.5))

    # -- simulated time -------------------------------------------------------------
    def advance(self, seconds: float, *, step_s: float | None = None) -> None:
        """Move a ``SimClock`` forward, running every job at each time it falls due.

        ``step_s`` bounds each clock step (default: straight to the next due job),
        for callers that interleave their own work, e.g. feeding readings.
        """
        clock = self.clock
        if not isinstance(clock, SimClock):
            raise RuntimeError("advance() needs a SimClock")
        remaining = seconds
        self.run_due()
        while remaining > 1e-9:
            dt = min(remaining, self.next_due_in())  # > 0: whatever was due has just run
            if step_s is not None:
                dt = min(dt, step_s)
            clock.advance(dt)
            remaining -= dt
            self.run_due()
