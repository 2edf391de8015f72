"""The console engine: receiver → ingest → ring buffers + writer, assembled and run.

Everything a console does without a window. The Qt window, the headless
server mode, the demo and the benchmarks all drive this one object.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.config import SiteConfig
from console.core.alarms import AlarmEngine
from console.core.ingest import Ingest
from console.core.rejects import RejectCounter
from console.core.ringbuffer import RingBuffers
from console.store.alarm_log import alarm_job, load_alarm_state
from console.store.database import SiteDatabase, last_timestamps, open_site_database
from console.store.writer import ReadingRow, StoreWriter
from transport.feed_receiver import FeedReceiver
from transport.feedproto import Decoded, FrameLimits

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineStats:
    frames_received: int
    readings_received: int
    readings_stored: int
    readings_pending: int
    readings_rejected: dict[str, int]
    feeds_seen: int
    commits: int
    commit_failures: int
    last_commit_time: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Engine:
    def __init__(
        self,
        site: SiteConfig,
        data_dir: Path,
        *,
        feeds_pull: Sequence[str] | None = None,
        feeds_sub: Sequence[str] | None = None,
        ring_capacity: int = 4096,
        on_commit: Callable[[list[ReadingRow], float], None] | None = None,
        alarms: bool = True,
        time_scale: float = 1.0,
    ) -> None:
        self.site = site
        self.feeds = site.feeds
        self.data_dir = data_dir
        self._pull = list(site.endpoints.feeds_pull if feeds_pull is None else feeds_pull)
        self._sub = list(site.endpoints.feeds_sub if feeds_sub is None else feeds_sub)
        self.limits = FrameLimits(
            max_frame_bytes=site.limits.max_frame_bytes,
            max_batch=site.limits.max_batch,
            max_future_ms=int(site.limits.max_future_s * 1000),
            max_past_ms=int(site.limits.max_past_s * 1000),
        )
        self.db: SiteDatabase = open_site_database(
            data_dir, site.id, [(f.id, f.kind, f.unit) for f in site.feeds]
        )
        self.buffers = RingBuffers(len(site.feeds), ring_capacity)
        self.rejects = RejectCounter()
        self.writer = StoreWriter(self.db.engine, on_commit=on_commit)
        self.time_scale = time_scale
        self.alarms: AlarmEngine | None = None
        if alarms:
            self.alarms = AlarmEngine(
                site.feeds,
                sink=lambda trs, rows: self.writer.submit_job(alarm_job(trs, rows)),
                time_scale=time_scale,
                workstation=socket.gethostname(),
                restored=load_alarm_state(self.db.engine),
            )
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="alarm-clock", daemon=True)
        self._ingest = Ingest(
            site.feeds,
            self.db.feed_ids,
            last_timestamps(self.db.engine),
            self.buffers,
            self.writer,
            self.rejects,
            self.alarms,
        )
        self.receiver = FeedReceiver(
            sink=self._sink,
            limits=self.limits,
            pull_binds=self._pull,
            sub_connects=self._sub,
        )
        self.started_at = 0.0

    def _tick(self) -> None:
        """Time-driven alarm checks (stale feeds, on-delays, shelving expiry), twice a second."""
        assert self.alarms is not None
        while not self._stop.wait(0.5):
            try:
                self.alarms.check(int(time.time() * 1000))
            except Exception:
                log.exception("alarm check failed")

    def _sink(self, batch: Decoded) -> None:
        try:
            self._ingest.accept(batch)
        except Exception:
            n = len(batch.readings)
            self.rejects.add({"internal_error": max(n, 1)}, {"internal_error": "ingest failed"})
            raise

    @property
    def endpoints(self) -> list[str]:
        """The bound PULL endpoints (with real ports when configured as ``:*``)."""
        return list(self.receiver.bound_endpoints)

    def start(self) -> None:
        self.writer.start()
        try:
            self.receiver.start()
        except BaseException:
            self.writer.stop()
            self.db.engine.dispose()
            raise
        self.started_at = time.time()
        if self.alarms is not None:
            self._ticker.start()
        log.info(
            "site %s: %d feeds, log %s, listening on %s%s",
            self.site.id,
            len(self.feeds),
            self.db.path,
            ", ".join(self.endpoints) or "-",
            f", subscribed to {', '.join(self._sub)}" if self._sub else "",
        )

    def stop(self) -> None:
        """Stop receiving, commit everything accepted, close the log."""
        self._stop.set()
        if self._ticker.is_alive():
            self._ticker.join(5)
        self.receiver.stop()
        self.writer.stop()
        self.db.engine.dispose()

    def flush(self, timeout: float | None = None) -> bool:
        return self.writer.flush(timeout)

    def stats(self) -> EngineStats:
        w = self.writer
        return EngineStats(
            frames_received=self.receiver.frames_received,
            readings_received=self._ingest.accepted,
            readings_stored=w.rows_committed,
            readings_pending=w.pending_rows,
            readings_rejected=self.rejects.snapshot(),
            feeds_seen=int((self.buffers.latest().count > 0).sum()),
            commits=w.commits,
            commit_failures=w.commit_failures,
            last_commit_time=w.last_commit_time,
        )
