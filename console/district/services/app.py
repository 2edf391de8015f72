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

from console.district.config import SiteConfig, UplinkConfig
from console.district.domain.alarms import AlarmEngine
from console.district.domain.ingest import Ingest
from console.district.domain.rejects import RejectCounter
from console.district.domain.ringbuffer import RingBuffers
from console.district.domain.site_status import SiteStatusReporter
from console.district.services.link import Link, LinkView, link_settings
from console.district.store.alarm_log import alarm_job, load_alarm_state
from console.district.store.database import SiteDatabase, last_timestamps, open_site_database
from console.district.store.outbox import Outbox
from console.district.store.writer import ReadingRow, StoreWriter
from console.shared import records
from console.shared.vocab import UPLINK_PRIORITY, Stream
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
        uplink: UplinkConfig | None = None,
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
        uplink = uplink or site.uplink
        # Keys are checked before anything is opened: a wrong path fails fast and clearly.
        settings = link_settings(uplink, site.path) if uplink else None
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
        self.link: Link | None = None
        self.outbox: Outbox | None = None
        self.status_reporter: SiteStatusReporter | None = None
        if uplink is not None and settings is not None:
            self.outbox = Outbox(
                self.db.engine, site.id, self.db.stream_id, UPLINK_PRIORITY, self.writer.submit_job
            )
            self.link = Link(uplink, settings, self.outbox)
            self.status_reporter = SiteStatusReporter(
                site.id, site.feeds, self.buffers, self.alarms, period_s=uplink.status_period_s
            )
            self._summary_feeds = {
                self.db.feed_ids[f.id]: (f.id, f.kind, f.unit) for f in site.feeds
            }
        self._uplink_lock = threading.Lock()
        self._backlog_high = False
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="engine-clock", daemon=True)
        self._ingest = Ingest(
            site.feeds,
            self.db.feed_ids,
            last_timestamps(self.db.engine),
            self.buffers,
            self.writer,
            self.rejects,
            self.alarms,
            mark_minutes=self.link is not None,
        )
        self.receiver = FeedReceiver(
            sink=self._sink,
            limits=self.limits,
            pull_binds=self._pull,
            sub_connects=self._sub,
        )
        self.started_at = 0.0

    def _tick(self) -> None:
        """Time-driven work, twice a second: alarm checks (stale feeds, on-delays,
        shelving expiry), closing minutes into summaries, the site status."""
        n = 0
        while not self._stop.wait(0.5):
            n += 1
            now = time.time()
            try:
                if self.alarms is not None:
                    self.alarms.check(int(now * 1000))
                if self.link is not None:
                    self._tick_uplink(now, summarize=n % 4 == 0)
                    if n % 7200 == 1:  # at start, then hourly
                        keep_ms = self.link.cfg.outbox_retention_days * 86_400_000
                        assert self.outbox is not None
                        self.writer.submit_job(self.outbox.prune_job(int(now * 1000 - keep_ms)))
            except Exception:
                log.exception("engine clock: time-driven work failed")

    def _tick_uplink(self, now: float, *, summarize: bool) -> None:
        with self._uplink_lock:
            self._tick_uplink_locked(now, summarize)

    def _tick_uplink_locked(self, now: float, summarize: bool) -> None:
        assert self.outbox is not None and self.status_reporter is not None
        assert self.link is not None
        if summarize:
            self.writer.submit_job(
                self.outbox.summarize_job(
                    int(now * 1000),
                    self._summary_feeds,
                    grace_ms=int(self.link.cfg.summary_grace_s * 1000),
                )
            )
        view = self.link.view(now)
        if view.backlog_high != self._backlog_high:
            self._backlog_high = view.backlog_high
            if view.backlog_high:
                log.warning(
                    "uplink backlog %d records is above backlog_warn=%d (link %s); "
                    "nothing is discarded, delivery resumes when the hub is reachable",
                    view.backlog,
                    view.backlog_warn,
                    view.state,
                )
            else:
                log.info("uplink backlog back below %d", view.backlog_warn)
        status = self.status_reporter.due(now)
        if status is not None:
            payload = records.encode(status)
            self.writer.submit_job(
                self.outbox.append_job(Stream.STATUS, [(status.KIND, int(now * 1000), payload)])
            )

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
        self._ticker.start()
        if self.link is not None:
            self.link.start()
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
        if self.link is not None:
            self.link.stop()
        self.receiver.stop()
        self.writer.stop()
        self.db.engine.dispose()

    def flush(self, timeout: float | None = None) -> bool:
        return self.writer.flush(timeout)

    def flush_uplink(self, timeout: float) -> bool:
        """Summarize closed minutes now and wait until the hub acknowledged everything."""
        if self.link is None:
            return True
        self._tick_uplink(time.time(), summarize=True)
        deadline = time.monotonic() + timeout
        if not self.writer.flush(timeout):
            return False
        while self.link.view().backlog > 0:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def link_view(self) -> LinkView:
        return self.link.view() if self.link is not None else LinkView(configured=False)

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
