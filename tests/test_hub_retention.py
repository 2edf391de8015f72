"""Hub retention on SQLite and PostgreSQL: old raw records go, the city picture and the
dedupe marks stay (an old record resent is still a duplicate)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.hub.config import load_hub_config
from console.hub.store.retention import HubRetention
from console.hub.store.schema import feed_minutes, hub_quarantine, hub_records, site_status
from console.hub.store.store import HubStore
from console.shared.clock import SimClock
from tests.test_hub_store import MIN, minute, status
from transport.streams import Batch

DAY_S = 86_400


@pytest.fixture(params=["sqlite", "postgresql"])
def store_and_clock(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[HubStore, SimClock]]:
    url = (
        f"sqlite:///{tmp_path / 'hub.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    clock = SimClock(1_795_000_000.0)
    s = HubStore(url, clock=clock)
    yield s, clock
    s.close()


def count(store: HubStore, table) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(table)).scalar_one())


def test_old_records_are_pruned_in_chunks_and_the_city_picture_is_kept(store_and_clock) -> None:
    store, clock = store_and_clock
    old = [minute(k, f"rain-{k}", MIN + k, float(k)) for k in range(1, 24)]
    store.commit([Batch("c1", "s1", "db1", "summary", old)])
    store.commit([Batch("c1", "s1", "db1", "status", [status(1, 1000, 0)])])
    clock.advance(100 * DAY_S)
    young = [minute(k, f"rain-{k}", MIN + k, float(k)) for k in range(24, 30)]
    store.commit([Batch("c1", "s1", "db1", "summary", young)])
    minutes_before = count(store, feed_minutes)
    r = HubRetention(store.engine, 90, clock=clock, chunk=5)
    p = r.run_pass()
    assert p.deleted == 24 and p.chunks >= 24 // 5
    assert store.seqs("c1", "summary") == list(range(24, 30))
    assert store.seqs("c1", "status") == []
    assert count(store, feed_minutes) == minutes_before == 29
    assert count(store, site_status) == 1
    # The dedupe marks stay: an old record resent is dropped as a duplicate, not stored again.
    (res,) = store.commit([Batch("c1", "s1", "db1", "summary", [old[3]])])
    assert (res.stored, res.duplicates, res.through) == (0, 1, 29)
    assert count(store, hub_records) == 6
    assert r.run_pass().deleted == 0


def test_retention_zero_keeps_everything_and_the_tick_is_time_boxed(store_and_clock) -> None:
    store, clock = store_and_clock
    store.commit([Batch("c1", "s1", "db1", "summary", [minute(1, "r", MIN, 1.0)])])
    clock.advance(1000 * DAY_S)
    keep = HubRetention(store.engine, 0, clock=clock)
    keep.tick()
    assert count(store, hub_records) == 1
    r = HubRetention(store.engine, 1, clock=clock, period_s=600)
    r.tick()  # due at once: the pass runs within the tick's budget
    assert r.passes == 1 and r.deleted_total == 1 and count(store, hub_records) == 0
    store.commit([Batch("c1", "s1", "db1", "summary", [minute(2, "r", MIN + 1, 1.0)])])
    clock.advance(599)
    r.tick()  # the next pass is not due before 600 s
    assert r.passes == 1 and count(store, hub_records) == 1
    clock.advance(2 * DAY_S)
    r.tick()
    assert r.passes == 2 and count(store, hub_records) == 0


def test_hub_file_sets_records_days(tmp_path: Path) -> None:
    p = tmp_path / "hub.toml"
    p.write_text('[hub]\nbind = "tcp://*:5700"\nsecret_key = "k"\nrecords_days = 30\n', "utf-8")
    assert load_hub_config(p).records_days == 30
    p.write_text('[hub]\nbind = "tcp://*:5700"\nsecret_key = "k"\n', "utf-8")
    assert load_hub_config(p).records_days == 90


def test_gaps_left_by_quarantined_records_do_not_end_a_streams_pass(store_and_clock) -> None:
    """Quarantined records live in hub_quarantine: the seqs in hub_records have gaps. A
    chunk with a gap is not "partly young": the pass goes on past it in the same pass."""
    store, clock = store_and_clock
    recs = [
        (k, "minute", 0, b"\xc1") if k in (3, 8, 14) else minute(k, f"rain-{k}", MIN + k, 1.0)
        for k in range(1, 21)
    ]
    (res,) = store.commit([Batch("c1", "s1", "db1", "summary", recs)])
    assert (res.stored, res.quarantined) == (20, 3)
    clock.advance(100 * DAY_S)
    store.commit([Batch("c1", "s1", "db1", "summary", [minute(21, "rain-x", MIN + 21, 1.0)])])
    p = HubRetention(store.engine, 90, clock=clock, chunk=5).run_pass()
    assert p.deleted == 17
    assert store.seqs("c1", "summary", quarantined=False) == [21]
    assert p.quarantine_deleted == 3 and count(store, hub_quarantine) == 0


def test_the_quarantine_is_pruned_like_the_records(store_and_clock) -> None:
    """A console that sends garbage fills hub_quarantine; it must not grow for ever."""
    store, clock = store_and_clock
    bad = [(k, "minute", 0, b"\xc1") for k in range(1, 13)]
    (res,) = store.commit([Batch("c1", "s1", "db1", "summary", bad)])
    assert res.quarantined == 12
    clock.advance(100 * DAY_S)
    young = [(k, "minute", 0, b"\xc1") for k in range(13, 16)]
    store.commit([Batch("c1", "s1", "db1", "summary", young)])
    store.commit([Batch("c2", "s2", "db2", "status", [(1, "status", 0, b"\xc1")])])
    p = HubRetention(store.engine, 90, clock=clock, chunk=5).run_pass()
    assert (p.deleted, p.quarantine_deleted) == (0, 12)
    with store.engine.connect() as c:
        left = c.execute(
            select(hub_quarantine.c.console_id, hub_quarantine.c.seq).order_by(
                hub_quarantine.c.console_id, hub_quarantine.c.seq
            )
        ).all()
    assert [tuple(r) for r in left] == [("c1", 13), ("c1", 14), ("c1", 15), ("c2", 1)]


def test_a_failing_pass_is_logged_and_retried_a_period_later_not_every_tick(
    store_and_clock, caplog: pytest.LogCaptureFixture
) -> None:
    store, clock = store_and_clock
    r = HubRetention(store.engine, 90, clock=clock, period_s=600)
    tries = []

    def broken() -> None:
        tries.append(1)
        raise RuntimeError("the database went away")

    r.start = broken  # type: ignore[method-assign,assignment]
    r.tick()  # logged, not raised (the hub loop goes on)
    clock.advance(1)
    r.tick()
    assert len(tries) == 1 and r.failures == 1
    assert "the database went away" in caplog.text
    clock.advance(600)
    r.tick()
    assert len(tries) == 2
