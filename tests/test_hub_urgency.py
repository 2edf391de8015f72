"""What makes an escalation fast at the hub behind a summary backlog (docs/PROTOCOL.md §2.5
"Hub commit", §2.10): urgent DATA in a transaction of its own before the summaries already
read, summaries in bounded transactions, and the downlink noticing another process's write
at once (not at its periodic read)."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import zmq
from sqlalchemy import create_engine

from console.hub.config import load_hub_config
from console.hub.server import Hub
from console.hub.services.downlink import DownlinkService
from console.hub.store.wakeup import DOWNLINK_CHANNEL, WriteProbe
from console.shared.records import ActiveAlarms, AlarmCounts, FeedCounts, SiteStatus, encode
from console.shared.session import os_session
from console.shared.vocab import Role
from tests.linkkit import LinkKit, make_kit
from tests.test_uplink import RawConsole, raw_keys, records
from transport import uplinkproto as up
from transport.streams import Batch, BatchResult


@pytest.fixture
def kit(tmp_path: Path) -> LinkKit:
    return make_kit(tmp_path / "hub")


class _RecordingStore:
    """The hub's store; the first commit waits for the gate; every commit's DATA is noted."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.gate = threading.Event()
        self.started = threading.Event()
        self.commits: list[list[tuple[str, int]]] = []

    def commit(self, batches: list[Batch]) -> list[BatchResult]:
        if not self.started.is_set():
            self.started.set()
            self.gate.wait(10)
        self.commits.append([(b.stream, len(b.records)) for b in batches])
        return list(self.inner.commit(batches))

    def positions(self, peer: str, db: str) -> dict[str, int]:
        return dict(self.inner.positions(peer, db))

    def healthy(self) -> bool:
        return bool(self.inner.healthy())


def status_record(seq: int) -> up.Record:
    s = SiteStatus(
        site="lien-chieu",
        ts=1_790_000_000_000 + seq,
        feeds=FeedCounts(total=3, good=2, stale=1),
        alarms=AlarmCounts(active=ActiveAlarms(sev2=1), unack=1),
    )
    return (seq, s.KIND, s.ts, encode(s))


def test_urgent_data_is_committed_and_acked_before_the_summaries_already_read(
    kit: LinkKit,
) -> None:
    h = Hub(dataclasses.replace(load_hub_config(kit.hub_config), credit=8, max_records=2000))
    store = _RecordingStore(h.store)
    h.server.storage = store
    h.start()
    ctx = zmq.Context()
    raw = RawConsole(ctx, h.server.bound_endpoint, raw_keys(kit, "lien-chieu"))
    try:
        raw.send(up.hello("lien-chieu", "lien-chieu", "db-1", {"status": 0, "summary": 0}, "t"))
        assert raw.recv()["t"] == up.WELCOME
        raw.send(up.data("summary", records(1, 1)))
        assert store.started.wait(10)
        # While the hub commits that one, 7 DATA of 1,000 summaries arrive, then a status.
        for k in range(7):
            raw.send(up.data("summary", records(2 + 1000 * k, 1001 + 1000 * k)))
        raw.send(up.data("status", [status_record(1)]))
        time.sleep(0.3)  # all of it waits in the hub's socket
        store.gate.set()
        acks = [raw.recv() for _ in range(9)]
        assert [a["t"] for a in acks] == [up.ACK] * 9
        order = [(a["stream"], a["through"]) for a in acks]
        # The status goes right after the commit under way: before every summary read
        # with it, though it arrived after them.
        assert order[:2] == [("summary", 1), ("status", 1)]
        assert order[2:] == [("summary", 1 + 1000 * k) for k in range(1, 8)]
        assert store.commits[1] == [("status", 1)]
        # The summaries: transactions of about 2,000 records (bulk_commit_records), each
        # acked before the next begins.
        assert store.commits[2:] == [[("summary", 1000)] * 2] * 3 + [[("summary", 1000)]]
        assert h.store.seqs("lien-chieu", "summary") == list(range(1, 7002))
        assert h.server.counters.snapshot()["rejected_messages"] == {}
    finally:
        raw.close()
        ctx.term()
        h.stop()


def test_a_directive_written_by_another_process_goes_without_waiting_for_the_periodic_read(
    kit: LinkKit,
) -> None:
    """With the periodic read of the downlink positions an hour apart, only the write probe
    (SQLite's data_version) can tell the hub that a directive was written elsewhere."""
    cfg = load_hub_config(kit.hub_config)
    h = Hub(cfg)
    h.server.settings = dataclasses.replace(h.server.settings, down_poll_s=3600.0)
    h.start()
    ctx = zmq.Context()
    raw = RawConsole(ctx, h.server.bound_endpoint, raw_keys(kit, "lien-chieu"))
    other = create_engine(cfg.database)  # another connection pool, as the IOC window's
    try:
        raw.send(up.hello("lien-chieu", "lien-chieu", "db-1", {"summary": 0}, "t", down=("", {})))
        w = raw.recv()
        raw.send(
            up.hello(
                "lien-chieu", "lien-chieu", "db-1", {"summary": 0}, "t",
                down=(w["down_db"], {"directive": 0}),
            )
        )  # fmt: skip
        assert raw.recv()["down"] == {"directive": 0}
        time.sleep(0.2)  # the session's first downlink turns are past
        svc = DownlinkService(other, kit.registry)
        d = svc.issue_directive(os_session(Role.IOC_SUPERVISOR), "lien-chieu", "mở nhà tránh lũ")
        header = raw.recv(timeout=10)
        assert (header["t"], header["stream"], header["first"]) == (up.DATA, "directive", 1)
        assert d.id
    finally:
        other.dispose()
        raw.close()
        ctx.term()
        h.stop()


def test_the_sqlite_probe_sees_other_connections_commits_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    probe = WriteProbe(engine, DOWNLINK_CHANNEL)
    try:
        assert probe.changed()  # the first answer: unsure
        assert not probe.changed()
        with engine.begin() as c:
            c.exec_driver_sql("INSERT INTO t VALUES (1)")
        assert probe.changed()
        assert not probe.changed()
        with engine.connect() as c:  # a read changes nothing
            c.exec_driver_sql("SELECT * FROM t").all()
        assert not probe.changed()
    finally:
        probe.close()
        engine.dispose()


def test_an_in_memory_database_is_always_unsure() -> None:
    engine = create_engine("sqlite://")
    probe = WriteProbe(engine, DOWNLINK_CHANNEL)
    assert probe.changed() and probe.changed()
    probe.close()
    engine.dispose()


def test_the_postgresql_probe_hears_notify_at_commit(pg_url: str) -> None:
    engine = create_engine(pg_url)
    probe = WriteProbe(engine, DOWNLINK_CHANNEL)
    try:
        assert probe.changed()  # opening the listener: unsure
        assert not probe.changed()
        with engine.connect() as c:
            c.exec_driver_sql(f"NOTIFY {DOWNLINK_CHANNEL}")
            assert not probe.changed(), "not before the commit"
            c.commit()
        deadline = time.monotonic() + 10
        while not probe.changed():
            assert time.monotonic() < deadline, "no NOTIFY heard"
            time.sleep(0.01)
        assert not probe.changed()
    finally:
        probe.close()
        engine.dispose()
