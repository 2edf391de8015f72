"""A full disk loses nothing silently: the writer's bounded queue, counted drops, a bounded
stop, the disk monitor and its system alarm. (tests/test_disk_full.py does the same with real
processes on a small file system.)"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from console.district.config import SiteConfig
from console.district.services.app import ConsoleApp
from console.district.services.disk import MB, DiskMonitor
from console.district.store import writer as writer_mod
from console.district.store.database import open_site_database
from console.district.store.writer import StoreWriter
from console.shared.clock import SimClock
from console.shared.session import os_session
from console.shared.vocab import AlarmRule
from tests.conftest import wait_until
from transport.feedproto import Decoded

FEEDS = [("a", "river_level", "m")]
START = 1_795_000_000.0


class Disk:
    """A disk whose commits fail with SQLite's 'full' error while ``full`` is set."""

    def __init__(self) -> None:
        self.full = threading.Event()

    def job(self, conn: Connection) -> None:
        if self.full.is_set():
            raise OperationalError(
                "INSERT", {}, sqlite3.OperationalError("database or disk is full")
            )


def count(db: Path, table: str) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def test_a_full_disk_drops_and_counts_readings_instead_of_blocking_and_resumes_by_itself(
    tmp_path: Path,
) -> None:
    db = open_site_database(tmp_path, "s", FEEDS)
    disk = Disk()
    disk.full.set()
    w = StoreWriter(db.engine, max_queued_rows=10, max_block_s=30)
    w.start()
    w.submit_job(disk.job, "probe")
    wait_until(lambda: w.failing_since > 0, 10, "the first failed commit")
    w.submit_readings([(1, t, 1.0, 0) for t in range(10)])  # fits in the queue
    t0 = time.monotonic()
    w.submit_readings([(1, 100 + t, 1.0, 0) for t in range(5)])  # no room: dropped at once
    assert time.monotonic() - t0 < 1.0, "a failing writer never blocks the receiver"
    assert w.rows_dropped == 5 and w.pending_rows == 10
    marker = []
    w.submit_job(lambda conn: marker.append(1), "alarm")  # jobs are never refused
    disk.full.clear()  # space returns
    wait_until(lambda: w.rows_committed == 10, 20, "commits to resume by themselves")
    assert w.flush(10)
    assert w.failing_since == 0 and w.commit_failures >= 1 and marker == [1]
    assert "full" in w.last_error
    assert count(db.path, "readings") == 10
    report = w.stop()
    assert report.clean and report.readings_uncommitted == 0
    db.engine.dispose()


def test_a_slow_but_healthy_writer_blocks_the_producer_for_a_bounded_time(tmp_path: Path) -> None:
    db = open_site_database(tmp_path, "s", FEEDS)
    gate, busy = threading.Event(), threading.Event()
    w = StoreWriter(db.engine, max_queued_rows=2, max_block_s=0.3)
    w.start()
    w.submit_job(lambda conn: (busy.set(), gate.wait(10)))
    assert busy.wait(10)
    w.submit_readings([(1, 1, 1.0, 0), (1, 2, 1.0, 0)])
    t0 = time.monotonic()
    w.submit_readings([(1, 3, 1.0, 0)])
    waited = time.monotonic() - t0
    assert 0.25 <= waited < 5 and w.rows_dropped == 1
    gate.set()
    w.stop()
    assert count(db.path, "readings") == 2
    db.engine.dispose()


def test_stop_is_bounded_on_a_full_disk_and_says_what_was_not_committed(tmp_path: Path) -> None:
    db = open_site_database(tmp_path, "s", FEEDS)
    disk = Disk()
    disk.full.set()
    w = StoreWriter(db.engine)
    w.start()
    w.submit_readings([(1, 1, 1.0, 0), (1, 2, 1.0, 0)])
    w.submit_job(disk.job, "probe")
    w.submit_job(lambda conn: None, "alarm")
    w.submit_readings([(1, 3, 1.0, 0)])
    w.submit_job(lambda conn: None, "outbox")
    wait_until(lambda: w.failing_since > 0, 10, "the first failed commit")
    t0 = time.monotonic()
    report = w.stop(timeout=1.0)
    assert time.monotonic() - t0 < 4
    assert not report.clean and "full" in report.last_error
    assert report.readings_uncommitted == 3
    assert report.jobs_uncommitted == {"probe": 1, "alarm": 1, "outbox": 1}
    assert w.stop_report is report
    con = sqlite3.connect(db.path)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("SELECT count(*) FROM readings").fetchone() == (0,)
    con.close()
    db.engine.dispose()


def test_a_stop_that_outlasts_its_deadline_inside_one_commit_is_not_reported_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One commit attempt that does not return (a foreign lock: SQLite's busy wait): stop
    returns in bounded time and says what the writer still holds, never "clean"."""
    monkeypatch.setattr(writer_mod, "STOP_GRACE_S", 0.2)
    db = open_site_database(tmp_path, "s", FEEDS)
    gate, busy = threading.Event(), threading.Event()
    w = StoreWriter(db.engine)
    w.start()
    w.submit_readings([(1, 1, 1.0, 0), (1, 2, 1.0, 0)])

    def stuck(_conn: Connection) -> None:
        busy.set()
        gate.wait(30)

    w.submit_job(stuck, "alarm")
    assert busy.wait(10)
    w.submit_readings([(1, 3, 1.0, 0)])
    t0 = time.monotonic()
    report = w.stop(timeout=0.3)
    try:
        assert time.monotonic() - t0 < 3
        assert not report.clean and "still committing" in report.last_error
        assert report.readings_uncommitted == 3
        assert report.jobs_uncommitted == {"alarm": 1}
    finally:
        gate.set()
        assert w.stop(timeout=10).clean  # the commit went through after all: joined
    assert count(db.path, "readings") == 3
    db.engine.dispose()


def test_coalesced_jobs_do_not_pile_up(tmp_path: Path) -> None:
    db = open_site_database(tmp_path, "s", FEEDS)
    gate, busy = threading.Event(), threading.Event()
    ran: list[str] = []
    w = StoreWriter(db.engine)
    w.start()
    w.submit_job(lambda conn: (busy.set(), gate.wait(10)))
    assert busy.wait(10)
    for _ in range(5):
        w.submit_job(lambda conn: ran.append("s"), "summarize", coalesce=True)
    w.submit_job(lambda conn: ran.append("a"), "alarm")
    gate.set()
    w.stop()
    assert ran == ["s", "a"]
    db.engine.dispose()


def batch(rows: list[tuple[str, int, float, int]]) -> Decoded:
    return Decoded(readings=rows, frames=1)


def test_the_console_keeps_showing_live_data_while_the_log_cannot_commit(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    app = ConsoleApp(small_site, tmp_path, clock=SimClock(START), feeds_pull=[], feeds_sub=[])
    app.start(receive=False)
    disk = Disk()
    try:
        disk.full.set()
        app.writer.submit_job(disk.job, "probe")
        wait_until(lambda: app.writer.failing_since > 0, 10, "the first failed commit")
        t = int(START * 1000)
        n = 0
        for k in range(30):  # 300,000 readings: more than the writer's queue holds
            app.accept(batch([("river-1", t + k * 10_000 + i, 2.0, 0) for i in range(10_000)]))
            n += 10_000
        app.accept(batch([("river-1", t + 400_000, 4.25, 0)]))
        live = app.services.live.latest()
        assert live.value[0] == 4.25, "the window still sees the newest reading"
        st = app.stats()
        assert st.readings_received == n + 1
        assert st.readings_dropped > 0
        assert st.readings_dropped + st.readings_pending == n + 1
        app.disk.check(START)
        assert app.stats().disk.state == "full"
        (alarm,) = [a for a in app.services.alarms.current() if a.rule == AlarmRule.DISK]
        assert alarm.severity == 3 and alarm.feed == -1 and alarm.feed_key == "system"
        disk.full.clear()
        assert app.flush(60)
        st = app.stats()
        assert st.readings_stored == n + 1 - st.readings_dropped
    finally:
        app.stop()
    assert count(app.db.path, "readings") == st.readings_stored
    journal = sqlite3.connect(app.db.path).execute(
        "SELECT event, severity, note FROM alarm_events WHERE alarm_id = 'system:disk'"
    )
    (event, severity, note) = journal.fetchone()
    assert (event, severity) == ("activate", 3)
    assert "readings not stored" in note and "cannot commit" in note


@pytest.fixture
def monitored(small_site: SiteConfig, tmp_path: Path):
    site = dataclasses.replace(
        small_site,
        storage=dataclasses.replace(
            small_site.storage, disk_warn_free_mb=100, disk_critical_free_mb=10
        ),
    )
    app = ConsoleApp(site, tmp_path, clock=SimClock(START), feeds_pull=[], feeds_sub=[])
    app.start(receive=False)
    free = [1000 * MB]
    assert app.alarms is not None
    app.disk = DiskMonitor(
        app.db.path,
        app.writer,
        site.storage,
        app.alarms,
        usage=lambda _p: (2000 * MB, free[0]),
    )
    yield app, free
    app.stop()


def test_low_disk_space_raises_a_system_alarm_that_escalates_and_clears_with_hysteresis(
    monitored,
) -> None:
    app, free = monitored
    alarms = app.services.alarms

    def disk_alarm() -> tuple[str, int] | None:
        found = [a for a in alarms.current() if a.rule == AlarmRule.DISK]
        return (found[0].state, found[0].severity) if found else None

    assert app.disk.check(START).state == "ok" and disk_alarm() is None
    free[0] = 99 * MB
    v = app.disk.check(START + 5)
    assert v.state == "low" and v.free_bytes == 99 * MB and v.log_bytes > 0
    assert disk_alarm() == ("active_unack", 2)
    free[0] = 9 * MB
    assert app.disk.check(START + 10).state == "critical"
    assert disk_alarm() == ("active_unack", 3)
    alarms.acknowledge(os_session(), ["system:disk"])
    assert disk_alarm() == ("active_ack", 3)
    free[0] = 10 * MB + 1  # above the threshold, not above the hysteresis
    assert app.disk.check(START + 15).state == "critical"
    free[0] = 11 * MB
    assert app.disk.check(START + 20).state == "low"
    assert disk_alarm() == ("active_ack", 2)
    free[0] = 104 * MB
    assert app.disk.check(START + 25).state == "low"
    free[0] = 106 * MB
    assert app.disk.check(START + 30).state == "ok"
    assert disk_alarm() is None, "acknowledged and cleared: back to normal"
    assert app.flush(10)
    events = sqlite3.connect(app.db.path).execute(
        "SELECT event, severity FROM alarm_events WHERE alarm_id = 'system:disk' ORDER BY id"
    )
    assert events.fetchall() == [
        ("activate", 2),
        ("severity", 3),
        ("ack", 3),
        ("severity", 2),
        ("clear", 2),
    ]


def test_the_disk_alarm_is_restored_after_a_restart_and_counted_in_the_site_status(
    monitored, small_site: SiteConfig, tmp_path: Path
) -> None:
    from console.district.domain.site_status import SiteStatusReporter

    app, free = monitored
    free[0] = 5 * MB
    app.disk.check(START)
    reporter = SiteStatusReporter(app.site.id, app.site.feeds, app.buffers, app.alarms, period_s=60)
    assert reporter.snapshot(START).alarms.active.sev3 == 1
    assert app.flush(10)
    app.stop()
    again = ConsoleApp(small_site, tmp_path, clock=SimClock(START), feeds_pull=[], feeds_sub=[])
    try:
        assert again.alarms is not None
        assert again.alarms.view("system:disk").state == "active_unack"
    finally:
        again.db.engine.dispose()


def test_status_bar_shows_free_space_log_size_and_readings_not_stored(qtbot, tmp_path) -> None:
    from console.district.services.app import IngestStats
    from console.district.services.disk import DiskView
    from console.district.ui.status import StatusPanel

    panel = StatusPanel(str(tmp_path))
    qtbot.addWidget(panel)
    base = IngestStats(1, 1, 1, 0, {}, 1, 1, 0, 0.0)
    panel.update_stats(
        dataclasses.replace(
            base, disk=DiskView("ok", 40 * 2**30, 100 * 2**30, 3 * 2**20, 0, 0, "", 0.0)
        ),
        0.0,
        {},
        0.0,
    )
    assert panel.disk.text() == "Disk: 40 GB free · log 3.0 MB"
    assert panel.disk.property("alert") is False
    panel.update_stats(
        dataclasses.replace(
            base,
            readings_dropped=1234,
            disk=DiskView("full", 0, 100 * 2**30, 5 * 2**30, 1234, 10, "database or disk is full"),
        ),
        0.0,
        {},
        0.0,
    )
    assert panel.disk.text() == (
        "LOG CANNOT WRITE · Disk: 0.0 MB free · log 5.0 GB · 1,234 readings NOT STORED"
    )
    assert panel.disk.property("alert") is True
    assert "full" in panel.disk.toolTip()


def test_system_alarm_in_the_alarm_table_names_the_system(qtbot, small_site: SiteConfig) -> None:
    from zoneinfo import ZoneInfo

    from console.district.domain.alarms import SYSTEM, AlarmEngine
    from console.district.services.disk import DISK_ALARM, SYSTEM_ORIGIN
    from console.district.ui.alarm_models import AlarmTableModel

    engine = AlarmEngine(small_site.feeds)
    engine.define_external(DISK_ALARM, SYSTEM, AlarmRule.DISK, SYSTEM_ORIGIN)
    engine.set_external(DISK_ALARM, True, 3, 1_000, 12.0, "free 12 MB")
    model = AlarmTableModel(small_site.feeds, ZoneInfo("Asia/Ho_Chi_Minh"), "en")
    model.setAlarms(engine.current())
    cols = model.COLUMNS
    row = {c: model.data(model.index(0, i)) for i, c in enumerate(cols)}
    assert row["feed"] == "System" and row["rule"] == "log disk space"
    assert row["value"] == "12 MB" and row["area"] == ""
    with pytest.raises(Exception, match="no alarm"):
        AlarmEngine(small_site.feeds).set_external(DISK_ALARM, True, 2, 1, 1.0)


def test_retries_back_off_while_readings_keep_arriving(tmp_path: Path) -> None:
    """Producers' wake-ups must not turn the back-off into a busy loop on a full disk."""
    db = open_site_database(tmp_path, "s", FEEDS)
    disk = Disk()
    disk.full.set()
    w = StoreWriter(db.engine, max_queued_rows=1000)
    w.start()
    w.submit_job(disk.job, "probe")
    t_end = time.monotonic() + 2.0
    t = 0
    while time.monotonic() < t_end:
        w.submit_readings([(1, t, 1.0, 0)])  # each submission wakes the writer
        t += 1
        time.sleep(0.001)
    # Back-off 0.05, 0.1, 0.2, 0.4, 0.8 … : about 5 retries in 2 s, not hundreds.
    assert 2 <= w.commit_failures <= 8, w.commit_failures
    disk.full.clear()
    assert w.flush(20)
    w.stop()
    db.engine.dispose()


def test_acknowledged_mode_batches_are_kept_not_dropped_and_acked_after_the_commit(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    site = dataclasses.replace(
        small_site, storage=dataclasses.replace(small_site.storage, write_queue_rows=1000)
    )
    app = ConsoleApp(site, tmp_path, clock=SimClock(START), feeds_pull=[], feeds_sub=[])
    app.start(receive=False)
    disk = Disk()
    acked: list[int] = []
    try:
        disk.full.set()
        app.writer.submit_job(disk.job, "probe")
        wait_until(lambda: app.writer.failing_since > 0, 10, "the first failed commit")
        t = int(START * 1000)
        for k in range(5):  # 5,000 readings: five times the queue, in acknowledged mode
            rows = [("river-1", t + k * 1000 + i, 2.0, 0) for i in range(1000)]
            app.accept(Decoded(readings=rows, frames=1, on_committed=lambda k=k: acked.append(k)))
        app.accept(batch([("river-1", t + 10_000, 2.0, 0)]))  # a PUSH batch: no room, dropped
        st = app.stats()
        assert st.readings_dropped == 1 and st.readings_pending == 5000
        assert acked == [], "nothing is acknowledged before it is committed"
        disk.full.clear()
        assert app.flush(30)
        wait_until(lambda: acked == [0, 1, 2, 3, 4], 10, "the acks, in order")
        assert app.stats().readings_stored == 5000
    finally:
        app.stop()


def test_one_size_format_for_the_journal_and_the_status_bar() -> None:
    from console.district.services.disk import format_size

    assert [format_size(n) for n in (5 * MB // 2, 1024 * MB, 15 * 1024 * MB)] == [
        "2.5 MB",
        "1.0 GB",
        "15 GB",
    ]
