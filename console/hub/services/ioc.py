"""The city as the IOC window sees it, read from the hub database (Qt-free).

``CityService`` reads through SQLAlchemy (SQLite or PostgreSQL, the hub's own
URL) and returns typed, immutable snapshots; the window never sees SQL. Link
state is *derived*, not stored: a site is silent once nothing has been heard
from it for ``SILENT_PERIODS`` × the status period it reported (60 s when it
did not say), measured on the injected clock against the hub's receive time.
So a snapshot can be re-judged as time passes without another query
(``SiteSnapshot.link(now_ms)``).

What the hub does not know is ``None`` here, never 0: open incidents (the hub
learns of an incident only when the district escalates it, so it cannot count
a site's open incidents), a backlog only from consoles that report it. The
window shows ``None`` as "—". Open escalations are counted from what the hub
received (``escalations``) and what the IOC did with each (``escalation_handling``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Engine, and_, case, func, select

from console.hub.config import HubConfig, SiteNames
from console.hub.registry import Registry
from console.hub.services.changes import POLL_S, ChangeFeed
from console.hub.store import alarm_events as alarm_log
from console.hub.store.schema import (
    escalation_handling,
    escalations,
    feed_minutes,
    hub_feeds,
    hub_streams,
    kind_hours,
    site_status,
    site_status_history,
)
from console.hub.store.store import make_hub_engine, migrate
from console.shared.clock import Clock, SystemClock, time_ms
from console.shared.series import Series

log = logging.getLogger(__name__)

DEFAULT_PERIOD_MS = 60_000
"""The status period assumed for a console that does not report its own (docs/PROTOCOL.md)."""
SILENT_PERIODS = 3
"""Silent after this many periods without a status (as a feed is stale after 3 intervals)."""
HOUR_MS = 3_600_000
ALARM_EVENTS = 200
"""A drill-down lists at most this many of the site's alarm transitions, the newest."""
BUCKETS_MS = (60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 86_400_000)
"""Trend buckets: whole minutes (the hub's resolution) up to days."""


class Link(StrEnum):
    ONLINE = "online"
    SILENT = "silent"
    """Was reporting; nothing heard for SILENT_PERIODS periods."""
    NEVER = "never"
    """Expected (registered or named in the hub file) but never reported."""


class Condition(IntEnum):
    """How much a site needs the IOC's attention; tiles sort by it, worst first."""

    NORMAL = 0
    NEVER = 1
    MINOR = 2
    """Low-severity alarms, or feeds bad or without data."""
    MAJOR = 3
    """Medium-severity alarms, or alarms nobody has acknowledged."""
    CRITICAL = 4
    """High-severity alarms active."""
    SILENT = 5
    """A site gone quiet is a blind spot: it may be the one in trouble."""


@dataclass(frozen=True)
class FeedHealth:
    total: int
    good: int
    uncertain: int
    bad: int
    stale: int
    nodata: int


@dataclass(frozen=True)
class AlarmCounts:
    sev1: int
    sev2: int
    sev3: int
    unack: int

    @property
    def active(self) -> int:
        return self.sev1 + self.sev2 + self.sev3


@dataclass(frozen=True)
class SiteSnapshot:
    site_id: str
    names: SiteNames | None = None
    console_id: str | None = None
    heard_ms: int | None = None
    """Hub receive time of the newest status (None: never reported)."""
    status_ms: int | None = None
    """The newest status's own time (the console's clock)."""
    period_ms: int | None = None
    """The status period the console reported (None: not reported)."""
    feeds: FeedHealth | None = None
    alarms: AlarmCounts | None = None
    backlog: int | None = None
    incidents_open: int | None = None
    """Unknown to the hub: it hears of an incident only when the district escalates it."""
    escalations_open: int = 0
    """Escalation messages of the site (Alert, Update) the IOC has not acknowledged yet."""
    escalations_new: int = 0
    """Of those, the ones nobody at the IOC has taken or assigned yet."""

    def name(self, lang: str) -> str:
        if self.names is None:
            return self.site_id
        return self.names.vi if lang == "vi" else self.names.en

    @property
    def silent_after_ms(self) -> int:
        return SILENT_PERIODS * (self.period_ms or DEFAULT_PERIOD_MS)

    def quiet_ms(self, now_ms: int) -> int | None:
        """Time since the site was last heard (None: never)."""
        return None if self.heard_ms is None else max(0, now_ms - self.heard_ms)

    def link(self, now_ms: int) -> Link:
        quiet = self.quiet_ms(now_ms)
        if quiet is None:
            return Link.NEVER
        return Link.SILENT if quiet > self.silent_after_ms else Link.ONLINE

    def condition(self, now_ms: int) -> Condition:
        link = self.link(now_ms)
        if link is Link.SILENT:
            return Condition.SILENT
        if link is Link.NEVER or self.alarms is None or self.feeds is None:
            return Condition.NEVER
        a, f = self.alarms, self.feeds
        if a.sev3:
            return Condition.CRITICAL
        if a.sev2 or a.unack:
            return Condition.MAJOR
        if a.sev1 or f.bad or f.stale or f.nodata:
            return Condition.MINOR
        return Condition.NORMAL

    def rank(self, now_ms: int) -> tuple[int, ...]:
        """Sort key, worst first: condition, then escalations nobody took, high alarms,
        unacknowledged, medium,
        feeds in trouble, low; then longest quiet."""
        a = self.alarms or AlarmCounts(0, 0, 0, 0)
        f = self.feeds or FeedHealth(0, 0, 0, 0, 0, 0)
        return (
            -int(self.condition(now_ms)),
            -self.escalations_new,
            -a.sev3,
            -a.unack,
            -a.sev2,
            -(f.bad + f.stale),
            -a.sev1,
            -(self.quiet_ms(now_ms) or 0),
        )


@dataclass(frozen=True)
class CityStrip:
    """The line on top of the IOC window."""

    sites: int
    silent: int
    never: int
    unack: int
    """Unacknowledged alarms over the sites that reported (silent ones: as last heard)."""
    active: tuple[int, int, int]
    """Active alarms by severity 1..3, same sites."""
    escalations_open: int
    """Escalation messages not acknowledged by the IOC, over every site."""
    escalations_new: int
    """Of those, the ones nobody has taken or assigned yet."""


@dataclass(frozen=True)
class CitySnapshot:
    counter: int
    """The hub's change counter this snapshot was read at."""
    taken_ms: int
    sites: tuple[SiteSnapshot, ...]

    def ranked(self, now_ms: int) -> list[SiteSnapshot]:
        return sorted(self.sites, key=lambda s: (s.rank(now_ms), s.site_id))

    def site(self, site_id: str) -> SiteSnapshot | None:
        return next((s for s in self.sites if s.site_id == site_id), None)

    def strip(self, now_ms: int) -> CityStrip:
        links = [s.link(now_ms) for s in self.sites]
        alarms = [s.alarms for s in self.sites if s.alarms is not None]
        return CityStrip(
            sites=len(self.sites),
            silent=links.count(Link.SILENT),
            never=links.count(Link.NEVER),
            unack=sum(a.unack for a in alarms),
            active=(
                sum(a.sev1 for a in alarms),
                sum(a.sev2 for a in alarms),
                sum(a.sev3 for a in alarms),
            ),
            escalations_open=sum(s.escalations_open for s in self.sites),
            escalations_new=sum(s.escalations_new for s in self.sites),
        )


@dataclass(frozen=True)
class FeedInfo:
    """A site's feed and its newest minute at the hub."""

    site_id: str
    feed_key: str
    kind: str
    unit: str
    minute_ms: int
    mean: float
    vmin: float
    vmax: float
    last: float
    n: int


@dataclass(frozen=True)
class StatusHistory:
    """A site's statuses over a range: raw (``bucket_ms`` 0) or the worst of each bucket."""

    site_id: str
    bucket_ms: int
    ts: npt.NDArray[np.float64]
    """Seconds since the epoch (the status's own time, or the bucket's start)."""
    counts: Mapping[str, npt.NDArray[np.float64]]
    """feeds_uncertain/bad/stale/nodata, alarms_sev1..3, alarms_unack; backlog (NaN where
    not reported)."""


@dataclass(frozen=True)
class KindView:
    """One kind (in one unit) across the city: per site, the extremes of each hour."""

    kind: str
    unit: str
    hours: npt.NDArray[np.float64]
    """Hour starts, seconds since the epoch."""
    sites: tuple[str, ...]
    vmax: npt.NDArray[np.float64]
    """sites × hours; NaN where a site reported nothing that hour."""
    vmin: npt.NDArray[np.float64]

    def peaks(self) -> list[tuple[str, float]]:
        """(site, highest value over the range), highest first; sites with no data left out."""
        out = []
        for i, s in enumerate(self.sites):
            row = self.vmax[i]
            if np.isfinite(row).any():
                out.append((s, float(np.nanmax(row))))
        return sorted(out, key=lambda p: (-p[1], p[0]))


@dataclass(frozen=True)
class AlarmEventInfo:
    """One alarm transition of a site as its console sent it (the ``alarm`` stream)."""

    ts_ms: int
    """When, on the site's clock."""
    alarm_id: str
    feed_key: str
    """The feed, or the alarm's source when it has none (``system``, an incident id)."""
    rule: str
    event: str
    state: str
    """The alarm's state after it."""
    prior: str
    """The state before a person's command ("" for what the process did)."""
    severity: int
    value: float | None
    user: str
    """Who commanded it (``system`` or "": the alarm engine)."""
    workstation: str
    note: str
    console_id: str


@dataclass(frozen=True)
class SiteAlarmEvents:
    site_id: str
    events: tuple[AlarmEventInfo, ...]
    """Newest first."""
    more: bool
    """The hub holds older transitions of the site than these."""


HISTORY_COUNTS = (
    "feeds_uncertain",
    "feeds_bad",
    "feeds_stale",
    "feeds_nodata",
    "alarms_sev1",
    "alarms_sev2",
    "alarms_sev3",
    "alarms_unack",
)


class CityService:
    """Reads the hub database for the IOC window. Every method but ``now_ms`` does I/O:
    call from a worker thread, never the GUI thread."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock | None = None,
        *,
        names: Mapping[str, SiteNames] | None = None,
        registry: Registry | None = None,
        poll_s: float = POLL_S,
    ) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self.names: Mapping[str, SiteNames] = names or {}
        self.registry = registry
        self.changes = ChangeFeed(engine, poll_s=poll_s)

    @classmethod
    def open(
        cls, cfg: HubConfig, *, clock: Clock | None = None, poll_s: float = POLL_S
    ) -> CityService:
        """The hub database of ``cfg`` (brought to this build's schema, or refused with
        HubStoreError as the hub itself would), its site names and its console registry."""
        engine = make_hub_engine(cfg.database)
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(
            engine,
            clock,
            names=cfg.sites,
            registry=Registry(cfg.registry),
            poll_s=poll_s,
        )

    def close(self) -> None:
        """Dispose of the engine (stop ``watch`` first)."""
        self.engine.dispose()

    def now_ms(self) -> int:
        return time_ms(self.clock)

    def source(self) -> str:
        """Where this reads from (the database URL without its password)."""
        return self.engine.url.render_as_string(hide_password=True)

    # -- the overview ------------------------------------------------------------------
    def snapshot(self, counter: int | None = None) -> CitySnapshot:
        """Every known site's latest status (``counter``: the change counter already read)."""
        if counter is None:
            counter = self.changes.value()
        st = hub_streams.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(site_status)).mappings().all()
            # Heard = any delivery from any of the site's consoles (resends included).
            heard = {
                site: int(ms)
                for site, ms in conn.execute(
                    select(st.site_id, func.max(st.updated_ms)).group_by(st.site_id)
                )
            }
            esc = _open_escalations(conn)
        sites: dict[str, SiteSnapshot] = {}
        for r in rows:
            sid = r["site_id"]
            sites[sid] = SiteSnapshot(
                site_id=sid,
                names=self.names.get(sid),
                console_id=r["console_id"],
                heard_ms=max(int(r["received_ms"]), heard.get(sid, 0)),
                status_ms=int(r["ts_ms"]),
                period_ms=None if r["period_ms"] is None else int(r["period_ms"]),
                feeds=FeedHealth(
                    int(r["feeds_total"]),
                    int(r["feeds_good"]),
                    int(r["feeds_uncertain"]),
                    int(r["feeds_bad"]),
                    int(r["feeds_stale"]),
                    int(r["feeds_nodata"]),
                ),
                alarms=AlarmCounts(
                    int(r["alarms_sev1"]),
                    int(r["alarms_sev2"]),
                    int(r["alarms_sev3"]),
                    int(r["alarms_unack"]),
                ),
                backlog=None if r["backlog"] is None else int(r["backlog"]),
                escalations_open=esc.get(sid, (0, 0))[0],
                escalations_new=esc.get(sid, (0, 0))[1],
            )
        for sid, ms in heard.items():  # delivering, but no status yet
            if sid not in sites:
                sites[sid] = SiteSnapshot(
                    site_id=sid,
                    names=self.names.get(sid),
                    heard_ms=ms,
                    escalations_open=esc.get(sid, (0, 0))[0],
                    escalations_new=esc.get(sid, (0, 0))[1],
                )
        for sid in self._expected():
            if sid not in sites:
                sites[sid] = SiteSnapshot(site_id=sid, names=self.names.get(sid))
        return CitySnapshot(counter, self.now_ms(), tuple(sorted(sites.values(), key=_by_id)))

    def watch(self, stop: threading.Event, *, min_gap_s: float = 0.1) -> Iterator[CitySnapshot]:
        """A snapshot now, then one after each change of the hub's counter, until ``stop``.

        Changes closer than ``min_gap_s`` are read together (a hub committing 100 times a
        second costs the window a few reads, not 100). Runs in a worker thread; the
        LISTEN connection (PostgreSQL) lives and dies in it.
        """
        try:
            last = self.changes.value()
            yield self.snapshot(last)
            while not stop.is_set():
                v = self.changes.wait(last, 1.0, stop)
                if v == last or stop.is_set():
                    continue
                stop.wait(min_gap_s)
                last = self.changes.value()
                yield self.snapshot(last)
        finally:
            self.changes.release()

    def _expected(self) -> set[str]:
        """Sites the IOC expects to hear from: named in the hub file or allowed to report."""
        out = set(self.names)
        if self.registry is not None:
            out |= {e.allowed_site for e in self.registry.entries() if not e.revoked}
            if self.registry.load_error:
                log.warning("console registry not read: %s", self.registry.load_error)
        return out

    # -- drill-down ---------------------------------------------------------------------
    def feeds(self, site_id: str) -> list[FeedInfo]:
        """The site's feeds as the hub knows them, each with its newest minute (one index
        seek per feed on ``feed_minutes``' primary key)."""
        f, m = hub_feeds.c, feed_minutes.c
        x = feed_minutes.alias("x")
        newest = (
            select(func.max(x.c.minute_ms))
            .where(x.c.site_id == f.site_id, x.c.feed_key == f.feed_key)
            .scalar_subquery()
        )
        q = (
            select(f.feed_key, f.kind, f.unit, m.minute_ms, m.mean, m.vmin, m.vmax, m.last, m.n)
            .select_from(hub_feeds)
            .join(
                feed_minutes,
                and_(m.site_id == f.site_id, m.feed_key == f.feed_key, m.minute_ms == newest),
            )
            .where(f.site_id == site_id)
            .order_by(f.kind, f.feed_key)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [
            FeedInfo(
                site_id,
                k,
                kind,
                unit,
                int(t),
                float(mean),
                float(lo),
                float(hi),
                float(last),
                int(n),
            )
            for k, kind, unit, t, mean, lo, hi, last, n in rows
        ]

    def feed_series(
        self,
        site_id: str,
        feed_keys: Sequence[str],
        t0_ms: int,
        t1_ms: int,
        *,
        max_points: int = 1500,
    ) -> list[Series]:
        """Each feed's minutes over [t0, t1) as min/max envelopes with the mean, in buckets
        of whole minutes chosen so no series has more than ``max_points`` (hours to weeks
        read the same way; the database does the bucketing)."""
        bucket = next((b for b in BUCKETS_MS if (t1_ms - t0_ms) / b <= max_points), BUCKETS_MS[-1])
        m = feed_minutes.c
        start = (m.minute_ms // bucket) * bucket
        q = (
            select(
                m.feed_key,
                start.label("t"),
                func.min(m.vmin),
                func.max(m.vmax),
                func.sum(m.mean * m.n),
                func.sum(m.n),
                func.avg(m.mean),
            )
            .where(
                m.site_id == site_id,
                m.feed_key.in_(list(feed_keys)),
                m.minute_ms >= t0_ms,
                m.minute_ms < t1_ms,
            )
            .group_by(m.feed_key, start)
            .order_by(m.feed_key, start)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        by_feed: dict[str, list[Any]] = {k: [] for k in feed_keys}
        for r in rows:
            by_feed[r[0]].append(r[1:])
        out = []
        for key in feed_keys:
            got = by_feed[key]
            if not got:
                out.append(Series(key, bucket, *(np.zeros(0),) * 4, np.zeros(0, dtype=np.int64)))
                continue
            a = np.array([[float(x) if x is not None else np.nan for x in g] for g in got])
            n = a[:, 4]
            mean = np.where(n > 0, a[:, 3] / np.where(n > 0, n, 1), a[:, 5])
            out.append(
                Series(key, bucket, a[:, 0] / 1000.0, mean, a[:, 1], a[:, 2], n.astype(np.int64))
            )
        return out

    def status_history(
        self, site_id: str, t0_ms: int, t1_ms: int, *, max_points: int = 2000
    ) -> StatusHistory:
        """The site's statuses over [t0, t1): every one, or when there are more than
        ``max_points``, the worst (highest count) of each bucket."""
        h = site_status_history.c
        where = and_(h.site_id == site_id, h.ts_ms >= t0_ms, h.ts_ms < t1_ms)
        with self.engine.connect() as conn:
            n = int(conn.execute(select(func.count()).where(where)).scalar() or 0)
            cols = [h[c] for c in HISTORY_COUNTS]
            if n <= max_points:
                bucket = 0
                rows = conn.execute(
                    select(h.ts_ms, *cols, h.backlog).where(where).order_by(h.ts_ms)
                ).all()
            else:
                bucket = next(
                    (b for b in BUCKETS_MS if (t1_ms - t0_ms) / b <= max_points), BUCKETS_MS[-1]
                )
                start = (h.ts_ms // bucket) * bucket
                rows = conn.execute(
                    select(start, *[func.max(c) for c in cols], func.max(h.backlog))
                    .where(where)
                    .group_by(start)
                    .order_by(start)
                ).all()
        a = np.array(
            [[np.nan if x is None else float(x) for x in r] for r in rows], dtype=np.float64
        ).reshape(len(rows), len(HISTORY_COUNTS) + 2)
        counts = {c: a[:, i + 1] for i, c in enumerate(HISTORY_COUNTS)}
        counts["backlog"] = a[:, -1]
        return StatusHistory(site_id, bucket, a[:, 0] / 1000.0, counts)

    def alarm_events(self, site_id: str, *, limit: int = ALARM_EVENTS) -> SiteAlarmEvents:
        """The site's newest ``limit`` alarm transitions, newest first, whatever range the
        trends show.

        An IOC operator who opens a site asks what happened to its alarms lately and who
        dealt with them: an alarm raised yesterday and still standing, or acknowledged an
        hour ago, matters whichever span the trends cover, and a quiet last hour would
        otherwise show an empty list that reads as "nothing happened". So the list is
        the newest transitions (as the district's journal, newest first); each row's date
        says where it falls against the trends. The same query as ``opsconsole hub alarms``
        (console.hub.store.alarm_events)."""
        with self.engine.connect() as conn:
            rows = alarm_log.newest(conn, site=site_id, limit=limit + 1)
        events = tuple(
            AlarmEventInfo(
                ts_ms=int(r.ts_ms),
                alarm_id=r.alarm_id,
                feed_key=r.feed_key,
                rule=r.rule,
                event=r.event,
                state=r.state,
                prior=r.prior_state,
                severity=int(r.severity),
                value=None if r.value is None else float(r.value),
                user=r.user_id,
                workstation=r.workstation,
                note=r.note,
                console_id=r.console_id,
            )
            for r in rows[:limit]
        )
        return SiteAlarmEvents(site_id, events, more=len(rows) > limit)

    # -- city-wide, per kind --------------------------------------------------------------
    def kinds(self) -> list[tuple[str, str]]:
        """(kind, unit) pairs the city has reported, most common kinds first."""
        k = kind_hours.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(k.kind, k.unit, func.count(func.distinct(k.site_id)))
                .group_by(k.kind, k.unit)
                .order_by(func.count(func.distinct(k.site_id)).desc(), k.kind, k.unit)
            ).all()
        return [(kind, unit) for kind, unit, _ in rows]

    def kind_view(self, kind: str, unit: str, t0_ms: int, t1_ms: int) -> KindView:
        """Per site, the lowest and highest value of ``kind`` in each hour of [t0, t1)."""
        k = kind_hours.c
        first = t0_ms - t0_ms % HOUR_MS
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(k.site_id, k.hour_ms, k.vmin, k.vmax)
                .where(k.kind == kind, k.unit == unit, k.hour_ms >= first, k.hour_ms < t1_ms)
                .order_by(k.site_id, k.hour_ms)
            ).all()
        hours = np.arange(first, t1_ms, HOUR_MS, dtype=np.int64)
        sites = tuple(sorted({r[0] for r in rows}))
        index = {s: i for i, s in enumerate(sites)}
        vmax = np.full((len(sites), hours.size), np.nan)
        vmin = np.full((len(sites), hours.size), np.nan)
        for site, hour, lo, hi in rows:
            j = (int(hour) - first) // HOUR_MS
            vmin[index[site], j] = lo
            vmax[index[site], j] = hi
        return KindView(kind, unit, hours / 1000.0, sites, vmax, vmin)


def _open_escalations(conn: Connection) -> dict[str, tuple[int, int]]:
    """Per site: (escalation messages not acknowledged, of which nobody took or assigned).
    A Cancel withdraws and asks nothing of the IOC, so it is not counted; a message a
    console resent from a new log counts once (by sender and identifier)."""
    e, h = escalations, escalation_handling
    msgs = (
        select(e.c.site_id, e.c.sender, e.c.identifier)
        .where(e.c.msg_type != "Cancel")
        .distinct()
        .subquery()
    )
    untouched = and_(func.coalesce(h.c.handler, "") == "", func.coalesce(h.c.agency, "") == "")
    q = (
        select(
            msgs.c.site_id,
            func.count(),
            func.sum(case((untouched, 1), else_=0)),
        )
        .select_from(
            msgs.outerjoin(h, (h.c.sender == msgs.c.sender) & (h.c.identifier == msgs.c.identifier))
        )
        .where(func.coalesce(h.c.acked_ms, 0) == 0)
        .group_by(msgs.c.site_id)
    )
    return {str(site): (int(n), int(new or 0)) for site, n, new in conn.execute(q)}


def _by_id(s: SiteSnapshot) -> str:
    return s.site_id
