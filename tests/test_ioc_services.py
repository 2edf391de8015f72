"""The IOC's view of the city, against a real hub database (SQLite and PostgreSQL): what the
hub's commit writes for it, snapshots and their order, drill-down series, per-kind views,
the change counter and its wake-ups."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, func, select, text

from console.hub.config import SiteNames
from console.hub.services.ioc import (
    CityService,
    Condition,
    Link,
)
from console.hub.store.schema import hub_feeds, kind_hours, site_status_history
from console.hub.store.store import STATUS_HISTORY_DAYS, HubStore
from console.shared.clock import SimClock
from console.sim.city import CityFeeder

T0 = 1_767_225_600_000  # 2026-01-01T00:00Z, a whole hour


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def clock() -> SimClock:
    return SimClock(T0 / 1000)


@pytest.fixture
def store(db_url: str, clock: SimClock) -> Iterator[HubStore]:
    s = HubStore(db_url, clock=clock)
    yield s
    s.close()


@pytest.fixture
def city(store: HubStore, clock: SimClock) -> Iterator[CityService]:
    c = CityService(
        store.engine,
        clock,
        names={
            "cam-le": SiteNames("Cẩm Lệ", "Cam Le"),
            "hoa-vang": SiteNames("Hòa Vang", "Hoa Vang"),
        },
        poll_s=0.02,
    )
    yield c


def test_tiles_sort_worst_first_and_a_silent_site_stands_out(
    store: HubStore, city: CityService, clock: SimClock
) -> None:
    feed = CityFeeder(store, ["hai-chau", "son-tra", "cam-le", "lien-chieu"], 12, period_ms=10_000)
    now = T0
    feed.status("lien-chieu", now - 5_000)  # heard, then silent (clock moves on below)
    clock.advance(40)  # > 3 × its 10 s period
    now = T0 + 40_000
    feed.status("hai-chau", now, sev=(1, 0, 0))
    feed.status("son-tra", now, unack=2, sev=(0, 1, 0))
    feed.status("cam-le", now, sev=(0, 0, 2), unack=2, stale=3, backlog=None)
    snap = city.snapshot()
    order = [s.site_id for s in snap.ranked(now)]
    # silent > high alarms > medium/unacknowledged > low > expected but never reported
    assert order == ["lien-chieu", "cam-le", "son-tra", "hai-chau", "hoa-vang"]
    by = {s.site_id: s for s in snap.sites}
    assert by["lien-chieu"].link(now) is Link.SILENT
    assert by["lien-chieu"].condition(now) is Condition.SILENT
    assert by["lien-chieu"].quiet_ms(now) == 40_000
    assert by["hoa-vang"].link(now) is Link.NEVER and by["hoa-vang"].feeds is None
    assert by["cam-le"].name("vi") == "Cẩm Lệ" and by["son-tra"].name("vi") == "son-tra"
    # Unknown is None, never a made-up 0.
    assert by["cam-le"].backlog is None and by["hai-chau"].backlog == 0
    # The hub hears of an incident only when it is escalated: never counted.
    assert by["cam-le"].incidents_open is None and by["cam-le"].escalations_open == 0
    assert by["cam-le"].feeds is not None and by["cam-le"].feeds.stale == 3
    strip = snap.strip(now)
    assert (strip.sites, strip.silent, strip.never, strip.unack) == (5, 1, 1, 4)
    assert strip.active == (1, 1, 2) and strip.escalations_open == 0
    # A site is judged again as time passes, without another read.
    later = now + 31_000
    assert by["hai-chau"].link(later) is Link.SILENT
    assert snap.strip(later).silent == 4


def test_open_escalations_per_site_count_what_the_ioc_has_not_acknowledged(
    store: HubStore, city: CityService, clock: SimClock
) -> None:
    from msgspec.structs import replace

    from console.bench.cap import escalation_alert
    from console.hub.services.escalations import EscalationWork
    from console.shared import cap
    from console.shared.session import Session
    from console.shared.vocab import Role

    feed = CityFeeder(store, ["hai-chau", "cam-le"], 3)
    for site in ("hai-chau", "cam-le"):
        feed.status(site, T0)
    first = escalation_alert(1, "cam-le")
    feed.escalation("cam-le", cap.build_xml(first), "CL-1")
    feed.escalation("cam-le", cap.build_xml(escalation_alert(2, "cam-le")), "CL-2")
    cancel = replace(
        escalation_alert(3, "cam-le"),
        msg_type=cap.MsgType.CANCEL,
        references=(cap.reference_to(first),),
    )
    feed.escalation("cam-le", cap.build_xml(cancel), "CL-1")  # asks nothing of the IOC
    snap = city.snapshot()
    by = {s.site_id: s for s in snap.sites}
    assert (by["cam-le"].escalations_open, by["cam-le"].escalations_new) == (2, 2)
    assert (by["hai-chau"].escalations_open, by["hai-chau"].escalations_new) == (0, 0)
    # The site asking for help comes first among sites in the same condition.
    order = [s.site_id for s in snap.ranked(T0)]
    assert order.index("cam-le") < order.index("hai-chau")
    ioc = Session("minh", "Lê Văn Minh", Role.IOC_SUPERVISOR, "ioc-1", authenticated=False)
    work = EscalationWork(store.engine)
    work.take(ioc, first.identifier)
    by = {s.site_id: s for s in city.snapshot().sites}
    assert (by["cam-le"].escalations_open, by["cam-le"].escalations_new) == (2, 1)
    work.acknowledge(ioc, first.identifier, "đã nhận")
    strip = city.snapshot().strip(T0)
    assert (strip.escalations_open, strip.escalations_new) == (1, 1)


def test_a_console_without_period_is_judged_on_the_default_minute(
    store: HubStore, city: CityService, clock: SimClock
) -> None:
    CityFeeder(store, ["s1"], 3, period_ms=None).status("s1", T0)
    s = city.snapshot().site("s1")
    assert s is not None and s.period_ms is None and s.silent_after_ms == 180_000
    assert s.link(T0 + 179_000) is Link.ONLINE and s.link(T0 + 181_000) is Link.SILENT


def test_status_history_is_kept_with_the_fold_and_pruned_by_receive_time(
    store: HubStore, city: CityService, clock: SimClock, db_url: str
) -> None:
    feed = CityFeeder(store, ["s1"], 4)
    for i in range(6):
        feed.status("s1", T0 + i * 60_000, sev=(0, 0, i % 2), unack=i)
        clock.advance(60)
    # An older status does not replace the newest, but it is history all the same.
    feed.status("s1", T0 - 60_000, unack=9)
    h = city.status_history("s1", T0 - 120_000, T0 + 3_600_000)
    assert h.bucket_ms == 0
    assert list(h.ts) == [(T0 + i * 60_000) / 1000 for i in range(-1, 6)]
    assert list(h.counts["alarms_unack"]) == [9, 0, 1, 2, 3, 4, 5]
    assert list(h.counts["alarms_sev3"]) == [0, 0, 1, 0, 1, 0, 1]
    newest = city.snapshot().site("s1")
    assert newest is not None and newest.alarms is not None and newest.alarms.unack == 5
    # More rows than asked for: the worst of each bucket.
    b = city.status_history("s1", T0 - 120_000, T0 + 3_600_000, max_points=3)
    assert b.bucket_ms == 1_800_000 and list(b.counts["alarms_unack"]) == [9, 5]
    # Pruned by the hub's receive time once older than the retention (checked hourly).
    clock.advance(STATUS_HISTORY_DAYS * 86_400 + 3_600)
    feed.status("s1", T0 + STATUS_HISTORY_DAYS * 86_400_000 + 7_200_000)
    with store.engine.connect() as conn:
        left = conn.execute(select(func.count()).select_from(site_status_history)).scalar()
    assert left == 1


def test_drill_down_draws_minute_envelopes_bucketed_to_the_span(
    store: HubStore, city: CityService
) -> None:
    feed = CityFeeder(store, ["s1"], 6)
    river = next(f for f in feed.feeds["s1"] if f.kind == "river_level")
    for m in range(180):  # three hours of minutes
        v = 1.0 + m / 100
        feed.minutes("s1", T0 + m * 60_000, {river.key: (v - 0.1, v + 0.2, v)})
    infos = {f.feed_key: f for f in city.feeds("s1")}
    assert len(infos) == 6 and infos[river.key].unit == "m"
    assert infos[river.key].minute_ms == T0 + 179 * 60_000 and infos[
        river.key
    ].mean == pytest.approx(2.79)
    (raw,) = city.feed_series("s1", [river.key], T0, T0 + 3 * 3_600_000)
    assert raw.bucket_ms == 60_000 and raw.ts.size == 180
    assert raw.max[0] == pytest.approx(1.2) and raw.min[-1] == pytest.approx(2.69)
    (hourly,) = city.feed_series("s1", [river.key], T0, T0 + 3 * 3_600_000, max_points=3)
    assert hourly.bucket_ms == 3_600_000 and list(hourly.ts) == [
        (T0 + h * 3_600_000) / 1000 for h in range(3)
    ]
    assert hourly.min[1] == pytest.approx(1.5) and hourly.max[1] == pytest.approx(2.39)
    assert hourly.mean[0] == pytest.approx(np.mean([1 + m / 100 for m in range(60)]))
    assert list(hourly.count) == [360, 360, 360]
    (none,) = city.feed_series("s1", ["no-such-feed"], T0, T0 + 3_600_000)
    assert none.ts.size == 0


def test_city_wide_view_per_kind_has_each_sites_hourly_extremes(
    store: HubStore, city: CityService
) -> None:
    feed = CityFeeder(store, ["a", "b"], 6)
    ra = next(f.key for f in feed.feeds["a"] if f.kind == "river_level")
    rb = next(f.key for f in feed.feeds["b"] if f.kind == "river_level")
    feed.minutes("a", T0, {ra: (1.0, 2.0, 1.5)})
    feed.minutes("a", T0 + 60_000, {ra: (0.5, 3.5, 1.5)})
    feed.minutes("b", T0 + 3_600_000, {rb: (0.2, 0.9, 0.5)})
    # A revision of a minute only adds readings: the extremes stay exact.
    feed.minutes("a", T0 + 60_000, {ra: (0.4, 3.6, 1.5)})
    assert ("river_level", "m") in city.kinds()
    view = city.kind_view("river_level", "m", T0 - 1800_000, T0 + 2 * 3_600_000)
    assert view.sites == ("a", "b") and view.hours.size == 3
    assert view.peaks() == [("a", pytest.approx(3.6)), ("b", pytest.approx(0.9))]
    assert np.isnan(view.vmax[1, 1]) and view.vmin[0, 1] == pytest.approx(0.4)


def test_the_change_counter_moves_only_when_records_are_stored(
    store: HubStore, city: CityService
) -> None:
    feed = CityFeeder(store, ["s1"], 2)
    v0 = city.changes.value()
    batch = feed.status_batch("s1", T0)
    store.commit([batch])
    v1 = city.changes.value()
    assert v1 == v0 + 1
    store.commit([batch])  # a resend: nothing new to show
    assert city.changes.value() == v1


def test_a_commit_wakes_a_waiting_window_within_a_second(
    store: HubStore, city: CityService, db_url: str
) -> None:
    feed = CityFeeder(store, ["s1"], 2)
    city.changes.poll_s = 0.5  # slow polling: on PostgreSQL the NOTIFY must win
    got: list[tuple[int, float]] = []
    start = city.changes.value()

    def waiter() -> None:
        v = city.changes.wait(start, timeout=5.0)
        got.append((v, time.monotonic()))
        city.changes.release()

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(0.6)  # the waiter is listening by now
    committed = time.monotonic()
    feed.status("s1", T0)
    t.join(5)
    assert got and got[0][0] == start + 1
    assert got[0][1] - committed < 1.0
    if db_url.startswith("postgresql"):
        assert city.changes.notifications >= 1
        assert got[0][1] - committed < 0.4  # woken by NOTIFY, not the 0.5 s poll


def test_watch_yields_a_snapshot_now_and_after_each_change_until_stopped(
    store: HubStore, city: CityService
) -> None:
    feed = CityFeeder(store, ["s1"], 2)
    stop = threading.Event()
    it = city.watch(stop, min_gap_s=0.0)
    first = next(it)
    assert [s.site_id for s in first.sites] == ["cam-le", "hoa-vang"]
    feed.status("s1", T0, unack=3)
    second = next(it)
    assert second.counter > first.counter and second.site("s1") is not None
    stop.set()
    assert next(it, None) is None


def test_migrating_a_hub_that_already_has_minutes_fills_the_ioc_views(tmp_path: Path) -> None:
    from alembic import command

    from console.hub.store.store import MIGRATIONS
    from console.shared.sql import alembic_config

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    cfg = alembic_config(MIGRATIONS)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "h0001")
        for m, v in ((0, 1.0), (1, 4.0), (60, 2.0)):
            conn.execute(
                text(
                    "INSERT INTO feed_minutes VALUES ('s1', 'r1', :m, 'river_level', 'm', 1, "
                    ":v, :v, :v, :v, 1, 0, 0, 1)"
                ),
                {"m": T0 + m * 60_000, "v": v},
            )
    engine.dispose()
    store = HubStore(url)
    try:
        with store.engine.connect() as conn:
            feeds = conn.execute(select(hub_feeds.c.feed_key, hub_feeds.c.kind)).all()
            peaks = conn.execute(
                select(kind_hours.c.hour_ms, kind_hours.c.vmax).order_by(kind_hours.c.hour_ms)
            ).all()
        assert feeds == [("r1", "river_level")]
        assert peaks == [(T0, 4.0), (T0 + 3_600_000, 2.0)]
    finally:
        store.close()
