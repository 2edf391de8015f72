"""The composition root of a district console: builds the parts, wires them, runs them.

``ConsoleApp`` owns the threads (receiver, writer, uplink, scheduler) and
registers every periodic job with one ``Scheduler`` driven by the injected
clock. What the window and the CLIs use is ``ConsoleApp.services``, a
Qt-free façade of named services; nothing outside this package reaches into
the parts (the SQLAlchemy engine, the sockets, the ring buffers).
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from console.district.config import SiteConfig, UplinkConfig
from console.district.domain.alarms import AlarmEngine
from console.district.domain.ingest import Ingest, ReadingRow
from console.district.domain.rejects import RejectCounter
from console.district.domain.ringbuffer import RingBuffers
from console.district.domain.site_status import SiteStatusReporter
from console.district.domain.sops import load_sops
from console.district.services.access import AccessService
from console.district.services.alarms import AlarmService
from console.district.services.audit import AuditService, record_config_load
from console.district.services.city_warnings import WarningService
from console.district.services.directives import DirectiveService
from console.district.services.disk import CHECK_S as DISK_CHECK_S
from console.district.services.disk import DiskMonitor, DiskView
from console.district.services.escalations import CHECK_S as ESCALATION_CHECK_S
from console.district.services.escalations import EscalationService, values_from
from console.district.services.handover import HandoverService
from console.district.services.history import HistoryService
from console.district.services.incidents import CHECK_S as INCIDENT_CHECK_S
from console.district.services.incidents import IncidentService
from console.district.services.link import Link, LinkService, LinkView, link_settings
from console.district.services.live import LiveService
from console.district.services.retention import PERIOD_S as RETENTION_S
from console.district.services.retention import RetentionService
from console.district.services.scheduler import Scheduler
from console.district.store.action_log import forward_job
from console.district.store.alarm_log import Forward, alarm_job, load_alarm_state
from console.district.store.commit import DirectCommit, WriterCommit
from console.district.store.database import (
    SiteDatabase,
    database_path,
    last_timestamps,
    open_site_database,
)
from console.district.store.inbox import ConsoleInbox, read_rev
from console.district.store.minutes import summarize_job
from console.district.store.outbox import NewRecord, Outbox
from console.district.store.writer import StopReport, StoreWriter
from console.shared import records
from console.shared.clock import Clock, SimClock, SystemClock, time_ms
from console.shared.instance import InstanceLock
from console.shared.passwords import Passwords
from console.shared.vocab import UPLINK_PRIORITY, Stream
from transport.feed_receiver import FeedReceiver, TransportError
from transport.feedproto import Decoded, FrameLimits

log = logging.getLogger(__name__)

ALARM_CHECK_S = 0.5
"""Stale feeds, on-delays with no new reading and shelving expiry are checked this often."""
SUMMARIZE_S = 2.0
STATUS_CHECK_S = 0.5
SUMMARY_GRACE_S = 5.0
"""Without a city link, a minute goes into the minute tier this long after it ends."""
STOP_TIMEOUT_S = 20.0
"""``stop`` gives up on commits that keep failing (a full disk) after this long."""
IDLE_CHECK_S = 1.0
AUDIT_FORWARD_S = 1.0
INBOX_WATCH_S = 1.0
"""Directives and warnings (downlink, or a CAP import by the CLI) are picked up this often."""


@dataclass(frozen=True)
class IngestStats:
    frames_received: int
    readings_received: int
    """Readings accepted (valid, known feed, in range, newer than the last)."""
    readings_stored: int
    readings_pending: int
    """Accepted, waiting in memory for a commit."""
    readings_rejected: dict[str, int]
    feeds_seen: int
    commits: int
    commit_failures: int
    last_commit_time: float
    feed_disconnects: int = 0
    """Gateway connections that ended (closed, or dropped for a frame above 4 × the limit)."""
    decode_s: float = 0.0
    """Seconds the receiver spent decoding frames."""
    readings_dropped: int = 0
    """Accepted and shown live, but never stored: the log could not take them (disk full)."""
    disk: DiskView = field(default_factory=DiskView)
    """Free space, the log's size and the disk state, from the last check."""

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["disk"] = self.disk.as_dict()
        return d


class IngestService:
    """Counters of the ingest path and the log, for the status bar and the headless JSON."""

    def __init__(self, app: ConsoleApp) -> None:
        self._app = app

    @property
    def data_dir(self) -> Path:
        return self._app.data_dir

    @property
    def database(self) -> Path:
        return self._app.db.path

    def stats(self) -> IngestStats:
        return self._app.stats()

    def reject_samples(self) -> dict[str, str]:
        """The latest sampled detail per reject reason."""
        return dict(self._app.rejects.samples)


@dataclass(frozen=True)
class ConsoleServices:
    """Everything the window (and the CLIs) may use; no store, no sockets, no Qt."""

    site: SiteConfig
    clock: Clock
    time_scale: float
    """Simulated time per real time (the demo compresses rule durations by it)."""
    live: LiveService
    alarms: AlarmService | None
    """None when the console runs without alarms (benchmarks)."""
    history: HistoryService
    link: LinkService
    ingest: IngestService
    access: AccessService
    """Who is on duty, the one permission check, accounts."""
    audit: AuditService
    """The action log: search, verify, append."""
    disk: DiskMonitor
    """Free space, the log's size and the disk state (``view()`` is in memory)."""
    retention: RetentionService
    """The prune passes (``view()``: what the current or last pass removed)."""
    directives: DirectiveService
    """The city IOC's directives: the inbox list, marking read/done."""
    warnings: WarningService
    """City warnings (CAP): the active ones, importing a file."""
    incidents: IncidentService
    """Incidents, their procedures and timelines."""
    handover: HandoverService
    """The shift handover report and its acknowledgement."""
    escalations: EscalationService
    """Escalations to the city IOC (CAP) and what the city answers."""


class ConsoleApp:
    def __init__(
        self,
        site: SiteConfig,
        data_dir: Path,
        *,
        clock: Clock | None = None,
        feeds_pull: Sequence[str] | None = None,
        feeds_sub: Sequence[str] | None = None,
        feeds_ack: Sequence[str] | None = None,
        ring_capacity: int = 4096,
        on_commit: Callable[[list[ReadingRow], float], None] | None = None,
        alarms: bool = True,
        time_scale: float = 1.0,
        uplink: UplinkConfig | None = None,
        instance: str = "opsconsole console",
        passwords: Passwords | None = None,
    ) -> None:
        """``instance`` names this process to a second one refused on the same log;
        ``passwords``: the hasher of account passwords (tests pass a fast one)."""
        self.site = site
        self.feeds = site.feeds
        self.data_dir = data_dir
        self.clock: Clock = clock or SystemClock()
        self.time_scale = time_scale
        self._pull = list(site.endpoints.feeds_pull if feeds_pull is None else feeds_pull)
        self._sub = list(site.endpoints.feeds_sub if feeds_sub is None else feeds_sub)
        self._ack = list(site.endpoints.feeds_ack if feeds_ack is None else feeds_ack)
        self.limits = FrameLimits(
            max_frame_bytes=site.limits.max_frame_bytes,
            max_batch=site.limits.max_batch,
            max_future_ms=int(site.limits.max_future_s * 1000),
            max_past_ms=int(site.limits.max_past_s * 1000),
        )
        uplink = uplink or site.uplink
        # Keys are checked before anything is opened: a wrong path fails fast and clearly.
        settings = link_settings(uplink, site.path) if uplink else None
        # One console per log: a second one is refused here, naming the first.
        log_path = database_path(data_dir, site.id)
        self.instance_lock = InstanceLock(
            log_path.with_name(log_path.name + ".lock"), instance, target=log_path
        )
        self.instance_lock.acquire("stop it first, or use another --data-dir")
        try:
            self.db: SiteDatabase = open_site_database(
                data_dir, site.id, [(f.id, f.kind, f.unit) for f in site.feeds]
            )
            # Before the writer runs: the only writer now is this transaction.
            DirectCommit(self.db.engine).run(
                lambda conn: record_config_load(conn, site.path, time_ms(self.clock))
            )
        except BaseException:
            self.instance_lock.release()
            raise
        try:
            self.sops = load_sops(site.sops_dir)
        except BaseException:
            self.db.engine.dispose()
            self.instance_lock.release()
            raise
        self.buffers = RingBuffers(len(site.feeds), ring_capacity)
        self.rejects = RejectCounter()
        self.writer = StoreWriter(
            self.db.engine, on_commit=on_commit, max_queued_rows=site.storage.write_queue_rows
        )
        self.scheduler = Scheduler(self.clock, name="console-scheduler")
        self.stop_report: StopReport | None = None
        workstation = socket.gethostname()
        commit = WriterCommit(self.writer)
        self.access = AccessService(
            self.db.engine, commit, self.clock, site.access, workstation, passwords
        )
        access = self.access

        def idle_lock(_now: float) -> None:
            access.check_idle()

        self.scheduler.every(IDLE_CHECK_S, idle_lock, name="idle-lock")
        self.link: Link | None = None
        self.outbox: Outbox | None = None
        self.inbox: ConsoleInbox | None = None
        if uplink is not None and settings is not None:
            self.outbox = Outbox(
                self.db.engine, site.id, self.db.stream_id, UPLINK_PRIORITY, self.writer.submit_job
            )
            self.inbox = ConsoleInbox(self.db.engine, commit, self.clock)
            self.link = Link(uplink, settings, self.outbox, self.clock, self.inbox)
        self.alarms: AlarmEngine | None = None
        self._alarm_forward: Forward | None = None
        if alarms:
            forward: Forward | None = None
            if self.outbox is not None:
                append_alarms = self.outbox.append_job

                def forward(conn: Any, recs: list[NewRecord]) -> Callable[[], None]:
                    # Each transition goes up in the transaction of its journal row.
                    return append_alarms(Stream.ALARM, recs)(conn)

            self._alarm_forward = forward

            self.alarms = AlarmEngine(
                site.feeds,
                sink=self._alarm_sink,
                time_scale=time_scale,
                workstation=workstation,
                restored=load_alarm_state(self.db.engine),
            )
            engine = self.alarms
            self.scheduler.every(
                ALARM_CHECK_S, lambda now: engine.check(int(now * 1000)), name="alarm-check"
            )
        if self.link is not None and self.outbox is not None and uplink is not None:
            self._register_link_jobs(self.link, self.outbox, uplink)
        self._register_storage_jobs(uplink)
        self.directives = DirectiveService(
            self.db.engine, commit, self.access, self.clock, self.outbox
        )
        self.warnings = WarningService(self.db.engine, commit, self.access, self.clock)
        self._inbox_rev = -1

        def watch_inbox(_now: float) -> None:
            rev = read_rev(self.db.engine)
            if rev != self._inbox_rev:
                self._inbox_rev = rev
                self.directives.reload()
                self.warnings.reload()

        self._watch_inbox = watch_inbox
        self.scheduler.every(INBOX_WATCH_S, watch_inbox, name="inbox-watch")
        self._ingest = Ingest(
            site.feeds,
            self.db.feed_ids,
            last_timestamps(self.db.engine),
            self.buffers,
            self.writer,
            self.rejects,
            self.alarms,
        )
        # No endpoints: batches come through ``accept`` (an in-process gateway).
        self.receiver: FeedReceiver | None = None
        if self._pull or self._sub or self._ack:
            self.receiver = FeedReceiver(
                sink=self._sink,
                limits=self.limits,
                pull_binds=self._pull,
                sub_connects=self._sub,
                ack_binds=self._ack,
            )
        self.started_at = 0.0
        live = LiveService(
            self.buffers, site.feeds, time_scale, log=self.db.engine, clock=self.clock
        )
        link_service = LinkService(self.link)
        self.incidents = IncidentService(
            self.db.engine,
            commit,
            self.clock,
            self.access,
            site,
            self.sops,
            self.alarms,
            time_scale=time_scale,
        )
        incidents = self.incidents

        def incident_check(now: float) -> None:
            incidents.check(int(now * 1000))

        self.scheduler.every(INCIDENT_CHECK_S, incident_check, name="incident-check")
        self.escalations = EscalationService(
            self.db.engine,
            commit,
            self.clock,
            self.access,
            site,
            self.sops,
            self.incidents,
            self.alarms,
            self.outbox,
            values_from(live.latest, site.feeds),
            self.db.stream_id,
        )
        escalations = self.escalations

        def escalation_check(now: float) -> None:
            escalations.check(int(now * 1000))

        self.scheduler.every(ESCALATION_CHECK_S, escalation_check, name="escalation-check")
        if self.inbox is not None:
            clock = self.clock

            def answered(streams: frozenset[str]) -> None:
                # The IOC's acknowledgement is shown (and its alarm cleared) at once, not at
                # the next check.
                if Stream.ESCALATION_ACK.value in streams:
                    escalations.check(time_ms(clock))

            self.inbox.listen(answered)
        self.services = ConsoleServices(
            site=site,
            clock=self.clock,
            time_scale=time_scale,
            live=live,
            alarms=(
                AlarmService(self.alarms, self.db.engine, self.clock, self.access)
                if self.alarms
                else None
            ),
            history=HistoryService(
                self.db.engine, ZoneInfo(site.timezone), site.feeds, site.storage, self.clock
            ),
            link=link_service,
            ingest=IngestService(self),
            access=self.access,
            audit=AuditService(self.db.engine, commit, self.access, self.clock),
            disk=self.disk,
            retention=self.retention,
            directives=self.directives,
            warnings=self.warnings,
            incidents=self.incidents,
            handover=HandoverService(
                self.db.engine,
                commit,
                self.clock,
                self.access,
                site,
                self.sops,
                self.alarms,
                live,
                link_service,
            ),
            escalations=self.escalations,
        )

    def _alarm_sink(self, transitions: list[Any], rows: list[dict[str, Any]]) -> None:
        """Alarm transitions, their state rows and the linked incidents' timeline entries:
        one writer job, one transaction."""
        job = alarm_job(transitions, rows, self._alarm_forward, self.site.id)
        incidents = getattr(self, "incidents", None)
        extra = incidents.alarm_timeline(transitions) if incidents is not None else None
        if extra is None:
            self.writer.submit_job(job, "alarm")
            return

        def both(conn: Any) -> Callable[[], None] | None:
            after = [cb for cb in (job(conn), extra(conn)) if callable(cb)]
            if not after:
                return None

            def committed() -> None:
                for cb in after:
                    cb()

            return committed

        self.writer.submit_job(both, "alarm")

    # -- periodic work of the city link ----------------------------------------------
    def _register_link_jobs(self, link: Link, outbox: Outbox, cfg: UplinkConfig) -> None:
        reporter = SiteStatusReporter(
            self.site.id,
            self.site.feeds,
            self.buffers,
            self.alarms,
            period_s=cfg.status_period_s,
            backlog=lambda: link.view().backlog,
        )
        backlog_high = False

        def status(now: float) -> None:
            snap = reporter.due(now)
            if snap is not None:
                self.writer.submit_job(
                    outbox.append_job(
                        Stream.STATUS,
                        [(snap.KIND, int(now * 1000), records.encode(snap))],
                    ),
                    "outbox",
                )

        def watch_backlog(now: float) -> None:
            nonlocal backlog_high
            view = link.view(now)
            if view.backlog_high == backlog_high:
                return
            backlog_high = view.backlog_high
            if backlog_high:
                log.warning(
                    "uplink backlog %d records is above backlog_warn=%d (link %s); "
                    "nothing is discarded, delivery resumes when the hub is reachable",
                    view.backlog,
                    view.backlog_warn,
                    view.state,
                )
            else:
                log.info("uplink backlog back below %d", view.backlog_warn)

        def forward_audit(_now: float) -> None:
            self.writer.submit_job(forward_job(outbox), "audit", coalesce=True)

        self._forward_audit = forward_audit
        self.scheduler.every(AUDIT_FORWARD_S, forward_audit, name="audit-forward")
        self.scheduler.every(STATUS_CHECK_S, status, name="site-status")
        self.scheduler.every(STATUS_CHECK_S, watch_backlog, name="backlog-watch")

    # -- periodic work of the log: minute tier, retention, disk ------------------------------
    def _register_storage_jobs(self, uplink: UplinkConfig | None) -> None:
        summary_feeds = {self.db.feed_ids[f.id]: (f.id, f.kind, f.unit) for f in self.site.feeds}
        grace_ms = int((uplink.summary_grace_s if uplink else SUMMARY_GRACE_S) * 1000)
        outbox = self.outbox
        lock = threading.Lock()  # flush_uplink may summarize from another thread

        def summarize(now: float) -> None:
            with lock:
                self.writer.submit_job(
                    summarize_job(int(now * 1000), summary_feeds, sink=outbox, grace_ms=grace_ms),
                    "summarize",
                    coalesce=True,
                )

        self._summarize = summarize
        self.scheduler.every(SUMMARIZE_S, summarize, name="summarize", first_after_s=SUMMARIZE_S)
        self.retention = RetentionService(
            self.writer,
            self.site.storage,
            sorted(self.db.feed_ids.values()),
            outbox_days=uplink.outbox_retention_days if uplink else None,
            streams=[str(s) for s in UPLINK_PRIORITY] if uplink else [],
        )
        self.scheduler.every(RETENTION_S, self.retention.tick, name="retention", first_after_s=60)
        self.disk = DiskMonitor(self.db.path, self.writer, self.site.storage, self.alarms)
        disk = self.disk

        def check_disk(now: float) -> None:
            disk.check(now)

        self.scheduler.every(DISK_CHECK_S, check_disk, name="disk-check")

    # -- ingest ------------------------------------------------------------------------------
    def _sink(self, batch: Decoded) -> None:
        try:
            self._ingest.accept(batch)
        except Exception:
            n = len(batch.readings)
            self.rejects.add({"internal_error": max(n, 1)}, {"internal_error": "ingest failed"})
            raise
        done = batch.on_committed
        if done is not None:
            # Acknowledged-mode gateways hear back after the writer's commit of this
            # batch (the writer keeps submission order), never on receipt.
            self.writer.submit_job(lambda _conn: done, "feed_ack")

    def accept(self, batch: Decoded) -> None:
        """Hand a decoded batch to ingest as the receiver would (in-process gateways, tests)."""
        self._sink(batch)

    @property
    def endpoints(self) -> list[str]:
        """The bound PULL endpoints (with real ports when configured as ``:*``)."""
        return list(self.receiver.bound_endpoints) if self.receiver is not None else []

    @property
    def ack_endpoints(self) -> list[str]:
        """The bound acknowledged-mode (ROUTER) endpoints."""
        return list(self.receiver.ack_endpoints) if self.receiver is not None else []

    # -- life cycle ---------------------------------------------------------------------
    def start(self, *, receive: bool = True) -> None:
        """Start the writer, the receiver (unless ``receive`` is False: batches then come
        through ``accept``), the uplink and, on a real clock, the scheduler thread."""
        self.writer.start()
        self.incidents.start()
        self.escalations.start()
        if receive:
            try:
                if self.receiver is None:
                    raise TransportError(
                        "no feed endpoint configured (need a PULL bind or a SUB connect)"
                    )
                self.receiver.start()
            except BaseException:
                self.writer.stop()
                self.db.engine.dispose()
                self.instance_lock.release()
                raise
        self.started_at = self.clock.time()
        self.disk.check(self.started_at)
        if not isinstance(self.clock, SimClock):
            self.scheduler.start()
        if self.link is not None:
            self.link.start()
        log.info(
            "site %s: %d feeds, log %s, listening on %s%s",
            self.site.id,
            len(self.feeds),
            self.db.path,
            ", ".join(self.endpoints + self.ack_endpoints) or "-",
            f", subscribed to {', '.join(self._sub)}" if self._sub else "",
        )

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> StopReport:
        """Stop receiving, commit everything accepted, close the log.

        Bounded: if commits keep failing (a full disk) the writer gives up after
        ``timeout`` seconds; the report says what was not committed.
        """
        self.scheduler.stop()
        if self.link is not None:
            self.link.stop()
        if self.receiver is not None:
            self.receiver.stop()
        self.stop_report = self.writer.stop(timeout)
        self.db.engine.dispose()
        self.instance_lock.release()
        return self.stop_report

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything accepted so far is committed."""
        return self.writer.flush(timeout)

    def flush_uplink(self, timeout: float) -> bool:
        """Summarize closed minutes now and wait until the hub acknowledged everything.

        False at once while the log cannot commit (nothing new could reach the hub)."""
        if self.link is None:
            return True
        if self.writer.failing_since:
            return False
        self._forward_audit(self.clock.time())
        self._summarize(self.clock.time())
        if not self.writer.flush(timeout):
            return False
        return self.link.wait_delivered(timeout)

    def link_view(self) -> LinkView:
        return self.services.link.view()

    def stats(self) -> IngestStats:
        w = self.writer
        return IngestStats(
            frames_received=self.receiver.frames_received if self.receiver else self._ingest.frames,
            readings_received=self._ingest.accepted,
            readings_stored=w.rows_committed,
            readings_pending=w.pending_rows,
            readings_rejected=self.rejects.snapshot(),
            feeds_seen=int((self.buffers.latest().count > 0).sum()),
            commits=w.commits,
            commit_failures=w.commit_failures,
            last_commit_time=w.last_commit_time,
            feed_disconnects=self.receiver.disconnects if self.receiver else 0,
            decode_s=round(self.receiver.decode_s, 3) if self.receiver else 0.0,
            readings_dropped=w.rows_dropped,
            disk=self.disk.view(),
        )
