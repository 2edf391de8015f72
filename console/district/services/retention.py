"""Retention on the scheduler: a prune pass every ``PERIOD_S``, run by the writer in steps."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from console.district.config import StorageConfig
from console.district.store.retention import PassStats, PrunePass, cutoffs_at
from console.district.store.writer import StoreWriter

log = logging.getLogger(__name__)

PERIOD_S = 600.0
"""A pass starts this often (when the previous one has finished)."""
TASK = "retention"


class RetentionService:
    def __init__(
        self,
        writer: StoreWriter,
        storage: StorageConfig,
        feed_ids: Sequence[int],
        *,
        outbox_days: float | None,
        streams: Sequence[str],
    ) -> None:
        self._writer = writer
        self._storage = storage
        self._feeds = list(feed_ids)
        self._outbox_days = outbox_days
        self._streams = list(streams)
        self._lock = threading.Lock()
        self._current: PrunePass | None = None
        self.last: PassStats | None = None
        self.passes = 0

    def start_pass(self, now: float) -> bool:
        """Start a pass with cut-offs at ``now`` (Unix s); False while one is still running."""
        with self._lock:
            if self._current is not None:
                if not self._current.done or self._writer.background_running(TASK):
                    return False
                self._finish(self._current, now)
            now_ms = int(now * 1000)
            p = PrunePass(
                cutoffs_at(
                    now_ms,
                    raw_days=self._storage.raw_days,
                    minute_days=self._storage.minute_days,
                    outbox_days=self._outbox_days,
                ),
                self._feeds,
                self._streams,
                started_ms=now_ms,
                step_rows=self._storage.prune_step_rows,
            )
            self._current = p
        self._writer.run_in_background(TASK, p.step)
        return True

    def _finish(self, p: PrunePass, now: float) -> None:
        p.stats.finished_ms = int(now * 1000)
        self.last = p.stats
        self.passes += 1
        s = p.stats
        if s.readings or s.minutes or s.outbox:
            log.info(
                "retention: pruned %d readings, %d minute rows, %d acknowledged outbox records "
                "in %d steps (%.2f s in the writer)",
                s.readings,
                s.minutes,
                s.outbox,
                s.steps,
                s.busy_s,
            )

    def tick(self, now: float) -> None:
        """The scheduler's job: close a finished pass, start the next."""
        self.start_pass(now)

    @property
    def running(self) -> bool:
        """A pass is under way (its last step may be done but not yet committed)."""
        with self._lock:
            cur = self._current
        return cur is not None and (not cur.done or self._writer.background_running(TASK))

    def view(self) -> dict[str, Any]:
        running = self.running
        with self._lock:
            cur = self._current
            return {
                "raw_days": self._storage.raw_days,
                "minute_days": self._storage.minute_days,
                "outbox_days": self._outbox_days,
                "running": running,
                "current": cur.stats.as_dict() if cur is not None else None,
                "passes": self.passes,
            }
