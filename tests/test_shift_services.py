"""What the window needs from Qt-free code to be right for a shift (issue 11).

A restart primes the ring buffers from the log; the alarm state of each feed
comes from one pass over the current alarms; the journal search ignores
diacritics; an unusable data dir, a type error in a [defaults.*] table and
the demo's story are what a person expects. All on simulated time or plain
files: no Qt, no sockets.
"""

from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest

from console.district.config import SiteConfig, load_site
from console.district.domain.alarms import AlarmView
from console.district.domain.ringbuffer import RingBuffers
from console.district.services.alarms import alarms_by_feed
from console.district.services.app import ConsoleApp
from console.district.services.live import LiveService
from console.district.store.database import open_site_database
from console.district.store.writer import StoreWriter
from console.shared.clock import SimClock
from console.shared.errors import ConfigError, DataDirError
from console.shared.paths import prepare_data_dir
from console.shared.session import Session
from console.shared.vocab import AlarmRule, AlarmState, Role
from console.sim.inprocess import InProcessGateway
from console.sim.scenarios import DEMO_SCENARIO, STORM_ONSET_MIN

START = 1_795_000_000.0

# --- the ring buffers take older readings from the log ------------------------------------


def test_backfill_puts_log_readings_before_live_ones_without_doubles() -> None:
    rb = RingBuffers(2, capacity=8)
    rb.extend([0, 0, 0], [100.0, 101.0, 102.0], [1.0, 1.1, 1.2], [0, 0, 0])
    seq0 = rb.seq
    # The log overlaps what arrived live while it was read: only older readings go in.
    taken = rb.backfill(0, [95.0, 96.0, 100.0, 101.0], [0.5, 0.6, 1.0, 1.1], [0, 1, 0, 0])
    assert taken == 2
    t, v, q = rb.window(0)
    assert t.tolist() == [95.0, 96.0, 100.0, 101.0, 102.0]
    assert v.tolist() == [0.5, 0.6, 1.0, 1.1, 1.2] and q.tolist() == [0, 1, 0, 0, 0]
    assert rb.latest().value[0] == 1.2, "the newest reading stays the latest"
    seq, changed = rb.changed_since(seq0)
    assert seq > seq0 and changed.tolist() == [0], "the window redraws the feed"
    # Live readings keep coming after a backfill.
    rb.extend([0], [103.0], [1.3], [0])
    assert rb.window(0)[0].tolist()[-2:] == [102.0, 103.0]


def test_backfill_keeps_the_newest_of_a_buffer_and_leaves_a_full_one_alone() -> None:
    rb = RingBuffers(1, capacity=4)
    assert rb.backfill(0, np.arange(10.0), np.arange(10.0), np.zeros(10)) == 4
    assert rb.window(0)[0].tolist() == [6.0, 7.0, 8.0, 9.0]
    rb.extend([0, 0, 0, 0], [20.0, 21.0, 22.0, 23.0], [1.0] * 4, [0] * 4)
    assert rb.backfill(0, [1.0], [1.0], [0]) == 0, "full of live readings: nothing older fits"


@pytest.fixture
def logged(tmp_path: Path, small_site: SiteConfig):
    """river-1: one reading a minute for 6 hours up to START; rain-1: one reading 2 days old."""
    db = open_site_database(
        tmp_path, small_site.id, [(f.id, f.kind, f.unit) for f in small_site.feeds]
    )
    w = StoreWriter(db.engine)
    w.start()
    end = int(START * 1000)
    rows = [(db.feed_ids["river-1"], end - k * 60_000, 1.0 + k / 1000, k % 2) for k in range(360)]
    rows.append((db.feed_ids["rain-1"], end - 2 * 86_400_000, 12.5, 0))
    w.submit_readings(rows)
    w.stop()
    yield db
    db.engine.dispose()


def test_priming_reads_a_bounded_window_and_each_feeds_last_value(
    logged, small_site: SiteConfig
) -> None:
    buffers = RingBuffers(len(small_site.feeds), capacity=100)
    live = LiveService(buffers, small_site.feeds, log=logged.engine, clock=SimClock(START + 30))
    assert live.latest().count.tolist() == [0, 0, 0]
    report = live.prime_from_log(window_s=4 * 3600)
    t, v, q = live.window(0, since_ts=0)
    # Four hours at one a minute is 241 readings; the buffer bounds it to its 100 newest.
    assert len(t) == 100 and report.readings == 101 and report.feeds == 2
    assert t[-1] == START and v[-1] == 1.0 and np.all(np.diff(t) == 60.0)
    assert q.tolist()[-2:] == [1, 0]
    # A feed with nothing that recent still shows its last value (and will show its age).
    latest = live.latest()
    assert latest.count[1] == 1 and latest.value[1] == 12.5
    assert latest.ts[1] == START - 2 * 86_400
    assert latest.count[2] == 0, "a feed the log never saw stays 'never reported'"


def test_a_restarted_console_has_the_last_values_in_its_buffers(
    demo_site: SiteConfig, tmp_path: Path
) -> None:
    clock = SimClock(START)
    first = ConsoleApp(demo_site, tmp_path, clock=clock, feeds_pull=[], feeds_sub=[])
    first.start(receive=False)
    try:
        InProcessGateway(first, "storm").run(30 * 60, step_s=5.0)
        assert first.flush(30)
        before = first.services.live.latest()
    finally:
        first.stop()
    second = ConsoleApp(
        demo_site, tmp_path, clock=SimClock(clock.time() + 5), feeds_pull=[], feeds_sub=[]
    )
    second.start(receive=False)
    try:
        assert (second.services.live.latest().count == 0).all()
        report = second.services.live.prime_from_log()
        after = second.services.live.latest()
        assert report.feeds == len(demo_site.feeds)
        assert np.array_equal(after.value, before.value) and np.array_equal(after.ts, before.ts)
        t, _v, _q = second.services.live.window(0, since_ts=clock.time() - 600)
        assert len(t) >= 10, "the sparkline's ten minutes are there"
    finally:
        second.stop()


# --- alarm state per feed, in one pass ----------------------------------------------------------


def view(feed: int, state: AlarmState, severity: int, rule: str = "high") -> AlarmView:
    return AlarmView(
        f"f{feed}:{rule}", feed, f"f{feed}", AlarmRule(rule), state, severity,
        state in (AlarmState.ACTIVE_UNACK, AlarmState.ACTIVE_ACK), 1, 1, 2.5, "", 0, 0, "",
    )  # fmt: skip


def test_each_feed_shows_its_most_important_alarm_and_whether_any_waits() -> None:
    shown = alarms_by_feed(
        [
            view(0, AlarmState.ACTIVE_ACK, 3),
            view(0, AlarmState.CLEARED_UNACK, 1, "roc"),
            view(1, AlarmState.SHELVED, 3),
            view(2, AlarmState.CLEARED_UNACK, 2),
            view(3, AlarmState.OUT_OF_SERVICE, 2),
            view(4, AlarmState.ACTIVE_UNACK, 1, "stale"),
            view(4, AlarmState.CLEARED_UNACK, 3),
        ]
    )
    assert set(shown) == {0, 2, 4}, "shelved and out-of-service alarms stay quiet on the feed"
    f0 = shown[0]
    assert (f0.severity, f0.state, f0.active, f0.unacknowledged, f0.count) == (
        3, AlarmState.ACTIVE_ACK, True, True, 2,
    )  # fmt: skip
    assert not shown[2].active and shown[2].unacknowledged
    # An active alarm outranks a cleared one of higher severity.
    assert (shown[4].severity, shown[4].rule) == (1, AlarmRule.STALE)


def test_the_journal_search_ignores_case_and_diacritics(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    app = ConsoleApp(small_site, tmp_path, clock=SimClock(START), feeds_pull=[], feeds_sub=[])
    app.start(receive=False)
    try:
        assert app.alarms is not None and app.services.alarms is not None
        app.alarms.on_readings(np.array([0]), np.array([int(START * 1000)]), np.array([2.5]))
        who = Session(
            "lan", "Lan", Role.OPERATOR, "ws-7", authenticated=False
        )  # a script, not a log-in
        app.services.alarms.acknowledge(who, ["river-1:high"], "Đã báo đội ứng cứu")
        assert app.flush(10)
        journal = app.services.alarms.journal
        for words in ("da bao doi", "ĐÃ BÁO", "ung cuu"):
            rows = journal(text=words)
            assert [r["event"] for r in rows] == ["ack"], words
        assert journal(text="khong co") == []
        # Feed names and event names the window matched in its language are OR-ed in.
        assert {r["event"] for r in journal(text="zzz", text_events=["activate"])} == {"activate"}
        assert len(journal(text="zzz", text_feeds=["river-1"])) == 2
    finally:
        app.stop()


# --- a data directory that cannot be used is one line -------------------------------------------


def test_an_unusable_data_dir_is_named_with_its_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "log.txt"
    a_file.write_text("x")
    with pytest.raises(DataDirError, match=r"log.txt: is a file, not a directory"):
        prepare_data_dir(a_file)
    with pytest.raises(DataDirError, match=r"the parent directory .*usb does not exist .*mounted"):
        prepare_data_dir(tmp_path / "usb" / "opsconsole")
    deep = tmp_path / "a" / "b" / "opsconsole"
    assert prepare_data_dir(deep, explicit=False) == deep and deep.is_dir(), "the default is made"

    def refuse(code: int):
        def mkstemp(*_a: object, **_k: object) -> None:
            raise OSError(code, "refused")

        return mkstemp

    monkeypatch.setattr(tempfile, "mkstemp", refuse(errno.EROFS))
    with pytest.raises(
        DataDirError, match=r"cannot write the log here: the file system is read-only"
    ):
        prepare_data_dir(deep)
    monkeypatch.setattr(tempfile, "mkstemp", refuse(errno.EACCES))
    with pytest.raises(DataDirError, match="permission denied"):
        prepare_data_dir(deep)
    monkeypatch.setattr(tempfile, "mkstemp", refuse(errno.ENOSPC))
    with pytest.raises(DataDirError, match="no space left on the device"):
        prepare_data_dir(deep)
    monkeypatch.undo()
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage._replace(free=5 * 2**20))
    with pytest.raises(DataDirError, match=r"only 5 MiB free"):
        prepare_data_dir(deep)


def test_the_cli_says_it_in_one_line_without_a_traceback(
    tmp_path: Path, demo_site: SiteConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    from console.cli.main import main

    a_file = tmp_path / "not-a-dir"
    a_file.write_text("x")
    rc = main(["console", "--site", str(demo_site.path), "--headless", "--data-dir", str(a_file)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 3 and err == [
        f"opsconsole: {a_file}: is a file, not a directory (choose another --data-dir)"
    ]


# --- the site file --------------------------------------------------------------------------------


def test_a_type_error_in_a_defaults_table_names_that_table_and_its_line(tmp_path: Path) -> None:
    from console.district.config import default_site_path

    text = default_site_path().read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines.index("[defaults.river_level]")
    assert lines[header + 1] == "interval_s = 60"
    lines[header + 1] = 'interval_s = "60"'
    bad = tmp_path / "hai-chau.toml"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_site(bad)
    msg = str(err.value)
    assert "defaults.river_level.interval_s: expected a finite number, got '60'" in msg
    assert msg.endswith(f"(line {header + 2})") and "feeds[" not in msg


# --- the demo tells a story -------------------------------------------------------------------------


def test_the_demo_storm_starts_quiet_and_raises_river_alarms_within_a_minute(
    demo_site: SiteConfig, tmp_path: Path
) -> None:
    from console.cli.main import build_parser

    demo = build_parser().parse_args(["demo"])
    assert demo.scenario == DEMO_SCENARIO == "storm"
    app = ConsoleApp(demo_site, tmp_path, clock=SimClock(START), feeds_pull=[], feeds_sub=[])
    app.start(receive=False)
    try:
        gw = InProcessGateway(app, "storm")
        assert app.services.alarms is not None

        def river_alarms() -> list[AlarmView]:
            return [
                a
                for a in app.services.alarms.current()  # type: ignore[union-attr]
                if a.feed_key.startswith("hc-river") and a.rule == "high" and a.active
            ]

        gw.run(STORM_ONSET_MIN * 60 - 60, step_s=5.0)
        assert river_alarms() == [], "an ordinary day first"
        gw.run(25 * 60, step_s=5.0)
        rivers = river_alarms()
        assert len(rivers) == 6 and max(a.severity for a in rivers) >= 2
    finally:
        app.stop()
    # At the demo's speed the storm's alarms come within the first minute of real time.
    assert (STORM_ONSET_MIN + 25) * 60 / demo.speed <= 60
