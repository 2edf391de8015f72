"""Tiers and retention: the minute tier, pruning in steps through the writer, history by tier.

Time is simulated: the console runs on a ``SimClock`` and readings are handed
to ``accept`` with the timestamps a gateway would have sent, days apart, so
retention over months is tested in seconds.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from console.district.config import SiteConfig, StorageConfig
from console.district.services.app import ConsoleApp
from console.district.store.database import open_site_database
from console.district.store.history import TierPolicy, load_history
from console.district.store.minutes import summarize_job
from console.district.store.retention import PrunePass, cutoffs_at
from console.district.store.writer import StoreWriter
from console.shared.clock import SimClock
from console.shared.vocab import Stream
from tests.conftest import wait_until
from transport.feedproto import Decoded

DAY_S = 86_400
START = 1_795_000_000 - 1_795_000_000 % 3600  # an hour boundary, Unix seconds


def batch(rows: list[tuple[str, int, float, int]]) -> Decoded:
    return Decoded(readings=list(rows), frames=1)


def app_at(site: SiteConfig, data: Path, t: float, **storage: float) -> ConsoleApp:
    site = dataclasses.replace(site, storage=dataclasses.replace(site.storage, **storage))
    app = ConsoleApp(site, data, clock=SimClock(t), feeds_pull=[], feeds_sub=[])
    app.start(receive=False)
    return app


def rows_of(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_closed_minutes_go_into_the_minute_tier_without_a_city_link(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    app = app_at(small_site, tmp_path, START + 600)
    try:
        m = START * 1000
        app.accept(
            batch(
                [("river-1", m + 1_000 * i, 1.0 + i, i % 3) for i in range(6)]
                + [("river-1", m + 60_000, 9.0, 0)]
            )
        )
        app.scheduler.advance(3)
        assert app.flush(10)
        tier = rows_of(
            app.db.path,
            "SELECT minute, n, vmin, vmax, mean, last, q_good, q_uncertain, q_bad "
            "FROM readings_minute ORDER BY minute",
        )
        assert tier == [
            (m // 60_000, 6, 1.0, 6.0, 3.5, 6.0, 2, 2, 2),
            (m // 60_000 + 1, 1, 9.0, 9.0, 9.0, 9.0, 1, 0, 0),
        ]
        assert rows_of(app.db.path, "SELECT count(*) FROM summary_pending") == [(0,)]
        # A reading of an already summarized minute (delayed in transit) rewrites its row.
        app.accept(batch([("river-1", m + 61_000, 0.5, 0)]))
        app.scheduler.advance(3)
        assert app.flush(10)
        assert rows_of(
            app.db.path,
            f"SELECT n, vmin, last FROM readings_minute WHERE minute = {m // 60_000 + 1}",
        ) == [(2, 0.5, 0.5)]
    finally:
        app.stop()


def test_migration_fills_the_minute_tier_from_an_older_log(tmp_path: Path) -> None:
    """A log written before the minute tier existed gets its history summarized on upgrade."""
    from alembic import command

    from console.district.store.database import MIGRATIONS, make_engine
    from console.shared.sql import alembic_config

    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    cfg = alembic_config(MIGRATIONS)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.execute(
            text(
                "INSERT INTO feeds VALUES (1, 'a', 'river_level', 'm', 0), (2, 'b', 'pm25', 'x', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO readings VALUES (1, 60000, 1.0, 0), (1, 61000, 3.0, 1), "
                "(1, 119000, 2.0, 0), (2, 120500, 7.0, 2)"
            )
        )
    engine.dispose()
    db = open_site_database(tmp_path, "old", [])
    db.engine.dispose()
    assert rows_of(path, "SELECT * FROM readings_minute ORDER BY feed_id, minute") == [
        (1, 1, 3, 1.0, 3.0, 2.0, 2.0, 2, 1, 0),
        (2, 2, 1, 7.0, 7.0, 7.0, 7.0, 0, 0, 1),
    ]


def _fill(app: ConsoleApp, days: int, per_day: int = 24) -> int:
    """``days`` of readings of every feed, ``per_day`` a day, ending now; summarized."""
    now_ms = int(app.clock.time() * 1000)
    step = DAY_S * 1000 // per_day
    n = 0
    for k in range(days * per_day, 0, -1):
        t = now_ms - k * step
        app.accept(batch([(f.id, t, 1.0 + k % 5, 0) for f in app.site.feeds]))
        n += len(app.site.feeds)
    app.writer.submit_job(
        summarize_job(now_ms, {v: (k, "", "") for k, v in app.db.feed_ids.items()}), "summarize"
    )
    assert app.flush(30)
    return n


def test_retention_prunes_old_raw_readings_in_small_steps_and_keeps_their_minutes(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    app = app_at(small_site, tmp_path, START, raw_days=10, prune_step_rows=100)
    try:
        _fill(app, days=30)
        minutes_before = rows_of(app.db.path, "SELECT count(*) FROM readings_minute")[0][0]
        assert minutes_before == 30 * 24 * 3
        assert app.retention.start_pass(app.clock.time())
        assert not app.retention.start_pass(app.clock.time()), "one pass at a time"
        # No readings come in: the writer runs the steps on its own.
        wait_until(lambda: not app.retention.running, 30, "the pass to finish")
        cut_ms = (START - 10 * DAY_S) * 1000
        oldest = rows_of(app.db.path, "SELECT min(ts_ms), count(*) FROM readings")[0]
        assert oldest[0] >= cut_ms and oldest[1] == 10 * 24 * 3
        stats = app.retention.view()["current"]
        assert stats["readings"] == 20 * 24 * 3
        assert stats["steps"] >= 20 * 24 * 3 // 100, "at most prune_step_rows rows per step"
        assert rows_of(app.db.path, "SELECT count(*) FROM readings_minute")[0][0] == minutes_before
        # History before the raw retention still answers, from the minute tier.
        t0 = (START - 25 * DAY_S) * 1000
        (s,) = app.services.history.load(["river-1"], t0, t0 + 2 * DAY_S * 1000, max_points=100)
        assert app.services.history.tier(t0, t0 + 3_600_000) == "minute"
        assert s.aggregated and s.count.sum() == 48
    finally:
        app.stop()


def test_raw_readings_of_a_minute_not_yet_summarized_are_never_pruned(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    db = open_site_database(tmp_path, "s", [("a", "river_level", "m")])
    fid = db.feed_ids["a"]
    w = StoreWriter(db.engine)
    w.start()
    old = 1_000_000 * 60_000
    w.submit_readings([(fid, old + i, 1.0, 0) for i in range(10)], [(fid, old // 60_000)])
    assert w.flush(10)
    p = PrunePass(
        cutoffs_at(old + 100 * DAY_S * 1000, raw_days=1, minute_days=0, outbox_days=None),
        [fid],
        [],
        started_ms=0,
    )
    w.run_in_background("retention", p.step)
    w.submit_readings([(fid, old + 100 * DAY_S * 1000 - 2000, 1.0, 0)])
    wait_until(lambda: not w.background_running("retention"), 10, "the pass")
    assert rows_of(db.path, "SELECT count(*) FROM readings") == [(11,)], "still pending: kept"
    w.submit_job(summarize_job(old + 100 * DAY_S * 1000, {fid: ("a", "", "")}))
    p2 = PrunePass(p.cutoffs, [fid], [], started_ms=0)
    w.run_in_background("retention", p2.step)
    w.submit_readings([(fid, old + 100 * DAY_S * 1000 - 1000, 1.0, 0)])
    wait_until(lambda: not w.background_running("retention"), 10, "the second pass")
    assert w.flush(10)
    assert rows_of(db.path, "SELECT count(*) FROM readings") == [(2,)]
    assert rows_of(db.path, "SELECT n FROM readings_minute") == [(10,)]
    w.stop()
    db.engine.dispose()


def test_retention_never_removes_unacknowledged_outbox_records_or_alarm_events(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    from console.district.store.outbox import Outbox

    db = open_site_database(tmp_path, "s", [("a", "river_level", "m")])
    w = StoreWriter(db.engine)
    w.start()
    ob = Outbox(db.engine, "s", db.stream_id, [Stream.STATUS, Stream.SUMMARY], w.submit_job)
    old = 1_000 * DAY_S * 1000
    w.submit_job(ob.append_job(Stream.SUMMARY, [("minute", old + i, b"x") for i in range(50)]))
    w.submit_job(ob.append_job(Stream.STATUS, [("status", old + i, b"y") for i in range(5)]))
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO alarm_events (ts_ms, alarm_id, feed_key, rule, event, state, severity,"
                " value, user, workstation, note) VALUES (1, 'a:high', 'a', 'high', 'activate',"
                " 'active_unack', 3, 1.0, 'system', '', '')"
            )
        )
    assert w.flush(10)
    ob.acked(Stream.SUMMARY, 20)  # the hub has 1..20 of the summaries, no status
    assert w.flush(10)
    everything_old = cutoffs_at(old + 400 * DAY_S * 1000, raw_days=1, minute_days=1, outbox_days=1)
    p = PrunePass(everything_old, [1], ["status", "summary"], started_ms=0, step_rows=7)
    w.run_in_background("retention", p.step)
    w.submit_readings([(1, old, 1.0, 0)])  # ingest goes on meanwhile
    wait_until(lambda: not w.background_running("retention"), 10, "the pass")
    assert rows_of(db.path, "SELECT stream, min(seq), max(seq) FROM outbox GROUP BY stream") == [
        ("status", 1, 5),
        ("summary", 21, 50),
    ]
    assert p.stats.outbox == 20
    assert rows_of(db.path, "SELECT count(*) FROM alarm_events") == [(1,)]
    w.stop()
    db.engine.dispose()


def test_minute_tier_retention_is_off_by_default_and_prunes_when_set(tmp_path: Path) -> None:
    assert StorageConfig().minute_days == 0
    c = cutoffs_at(10 * DAY_S * 1000, raw_days=2, minute_days=0, outbox_days=None)
    assert c.minute_before is None and c.outbox_before_ms is None
    db = open_site_database(tmp_path, "s", [("a", "river_level", "m")])
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO readings_minute VALUES (1, 10, 1, 1, 1, 1, 1, 1, 0, 0), "
                "(1, 25000, 1, 1, 1, 1, 1, 1, 0, 0)"
            )
        )
    w = StoreWriter(db.engine)
    w.start()
    p = PrunePass(
        cutoffs_at(20 * DAY_S * 1000, raw_days=1, minute_days=5, outbox_days=None),
        [1],
        [],
        started_ms=0,
    )
    w.run_in_background("retention", p.step)
    w.submit_readings([(1, 1, 1.0, 0)])
    wait_until(lambda: not w.background_running("retention"), 10, "the pass")
    assert rows_of(db.path, "SELECT minute FROM readings_minute") == [(25000,)]
    w.stop()
    db.engine.dispose()


@pytest.fixture
def two_tier_db(tmp_path: Path):
    """Two hours of a feed at 1 reading/s (value = minute + second/100), the first 110
    minutes summarized into the tier, the last 10 still raw only (not summarized yet)."""
    db = open_site_database(tmp_path, "s", [("a", "river_level", "m")])
    fid = db.feed_ids["a"]
    w = StoreWriter(db.engine)
    w.start()
    t0 = START * 1000
    w.submit_readings(
        [(fid, t0 + s * 1000, s // 60 + (s % 60) / 100, 0) for s in range(7200)],
        [(fid, t0 // 60_000 + m) for m in range(120)],
    )
    w.submit_job(summarize_job(t0 + 110 * 60_000, {fid: ("a", "", "")}, grace_ms=0))
    w.stop()
    yield db, t0
    db.engine.dispose()


def test_minute_tier_history_matches_raw_aggregates_and_reaches_the_present(
    two_tier_db,
) -> None:
    db, t0 = two_tier_db
    assert rows_of(db.path, "SELECT count(*) FROM readings_minute") == [(110,)]
    raw_policy = TierPolicy(raw_max_ms=10**12)
    tier_policy = TierPolicy(raw_max_ms=1)
    (raw,) = load_history(db.engine, ["a"], t0, t0 + 7_200_000, 40, raw_policy)
    (tier,) = load_history(db.engine, ["a"], t0, t0 + 7_200_000, 40, tier_policy)
    assert tier.bucket_ms == raw.bucket_ms == 180_000
    assert len(tier.ts) == 40, "the raw tail fills the minutes not yet in the tier"
    assert np.allclose(tier.ts, raw.ts)
    assert np.allclose(tier.min, raw.min) and np.allclose(tier.max, raw.max)
    assert np.allclose(tier.mean, raw.mean)
    assert (tier.count == raw.count).all() and tier.count.sum() == 7200


def test_minute_buckets_are_whole_minutes_aligned_to_the_minute(two_tier_db) -> None:
    db, t0 = two_tier_db
    (s,) = load_history(
        db.engine, ["a"], t0 + 30_500, t0 + 7_200_000, 1000, TierPolicy(raw_max_ms=1)
    )
    assert s.bucket_ms == 60_000
    assert s.ts[0] == t0 / 1000 and len(s.ts) == 120
    assert s.count[0] == 60 and s.min[0] == 0.0


def test_tier_policy() -> None:
    p = TierPolicy(raw_max_ms=3_600_000, raw_since_ms=1_000_000)
    assert p.tier(2_000_000, 2_000_000 + 3_600_000) == "raw"
    assert p.tier(2_000_000, 2_000_000 + 3_600_001) == "minute"
    assert p.tier(999_999, 1_500_000) == "minute", "starts where raw may be pruned"


def test_ingest_always_marks_the_minutes_of_the_readings_it_hands_the_log(
    small_site: SiteConfig,
) -> None:
    """Ingest built with no options marks (feed, minute) with every batch of readings: an
    unmarked reading would be pruned by retention without ever reaching the minute tier."""
    from console.district.domain.ingest import Ingest
    from console.district.domain.rejects import RejectCounter
    from console.district.domain.ringbuffer import RingBuffers

    class Sink:
        def __init__(self) -> None:
            self.got: list[tuple[int, list[tuple[int, int]] | None]] = []

        def submit_readings(
            self,
            rows: list[tuple[int, int, float, int]],
            minutes: list[tuple[int, int]] | None = None,
            *,
            keep: bool = False,
        ) -> bool:
            self.got.append((len(rows), minutes))
            return True

    feeds = small_site.feeds[:2]
    ids = {f.id: i + 7 for i, f in enumerate(feeds)}
    sink = Sink()
    ingest = Ingest(feeds, ids, {}, RingBuffers(len(feeds)), sink, RejectCounter())
    t = START * 1000
    ingest.accept(
        batch(
            [(feeds[0].id, t, 1.0, 0), (feeds[0].id, t + 61_000, 1.0, 0), (feeds[1].id, t, 1.0, 0)]
        )
    )
    m = t // 60_000
    assert sink.got == [(3, [(7, m), (7, m + 1), (8, m)])]
