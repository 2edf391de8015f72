"""What makes an escalation fast at the hub behind a summary backlog (docs/PROTOCOL.md §2.5
"Hub commit", §2.10): urgent DATA in a transaction of its own before the summaries already
read, summaries in bounded transactions, and the downlink noticing another process's write
at once (not at its periodic read)."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

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
        # The summaries: transactions of bulk_commit_records, a DATA cut where one ends and
        # acked after the transaction that holds its last record.
        bulk = h.server.settings.bulk_commit_records
        assert 1000 % bulk == 0
        assert store.commits[2:] == [[("summary", bulk)]] * (7000 // bulk)
        assert h.store.seqs("lien-chieu", "summary") == list(range(1, 7002))
        assert h.server.counters.snapshot()["rejected_messages"] == {}
    finally:
        raw.close()
        ctx.term()
        h.stop()


class _RefusingStore(_RecordingStore):
    """Commit number ``at`` (from 0) refuses its batches (``failed``) or, with ``down``,
    raises as a database that cannot commit."""

    def __init__(self, inner: Any, at: int, *, down: bool = False) -> None:
        super().__init__(inner)
        self.started.set()  # no gate
        self.at, self.down = at, down

    def commit(self, batches: list[Batch]) -> list[BatchResult]:
        if len(self.commits) != self.at:
            return super().commit(batches)
        self.commits.append([("refused", len(b.records)) for b in batches])
        if self.down:
            raise OSError("disk I/O error")
        held = self.inner.positions(batches[0].peer, batches[0].db)
        return [BatchResult(held.get(b.stream, 0), 0, 0, False, failed="no room") for b in batches]


S = TypeVar("S", bound=_RecordingStore)


@contextmanager
def _served(
    kit: LinkKit, bulk: int, store_of: Callable[[Any], S]
) -> Iterator[tuple[Hub, S, RawConsole]]:
    """A hub committing ``bulk`` summaries per transaction through ``store_of(its store)``,
    and a hand-driven console connected to it."""
    h = Hub(dataclasses.replace(load_hub_config(kit.hub_config), credit=8, max_records=2000))
    h.server.settings = dataclasses.replace(h.server.settings, bulk_commit_records=bulk)
    store = store_of(h.store)
    h.server.storage = store
    h.start()
    ctx = zmq.Context()
    raw = RawConsole(ctx, h.server.bound_endpoint, raw_keys(kit, "lien-chieu"))
    try:
        yield h, store, raw
    finally:
        raw.close()
        ctx.term()
        h.stop()


def test_a_summary_data_is_committed_in_parts_and_acked_once_after_its_last(
    kit: LinkKit,
) -> None:
    with _served(kit, 300, _RecordingStore) as (h, store, raw):
        raw.send(up.hello("lien-chieu", "lien-chieu", "db-1", {"summary": 0}, "t"))
        assert raw.recv()["t"] == up.WELCOME
        raw.send(up.data("summary", records(1, 1)))
        assert store.started.wait(10)
        raw.send(up.data("summary", records(2, 1001)))
        raw.send(up.data("summary", records(1002, 1501)))
        time.sleep(0.3)  # both wait in the hub's socket
        store.gate.set()
        acks = [raw.recv() for _ in range(3)]
        assert [(a["t"], a["through"], a["resend"]) for a in acks] == [
            (up.ACK, 1, False), (up.ACK, 1001, False), (up.ACK, 1501, False)
        ]  # fmt: skip
        s = ("summary", 300)
        # The 1,000: three transactions of 300, then its last 100 with 200 of the next.
        assert store.commits == [
            [("summary", 1)],
            [s],
            [s],
            [s],
            [("summary", 100), ("summary", 200)],
            [s],
        ]
        assert h.store.seqs("lien-chieu", "summary") == list(range(1, 1502))
        snap = h.server.counters.snapshot()
        assert (snap["batches"], snap["records_stored"]) == (3, 1501)
        assert raw.sock.poll(300) == 0, "one answer per DATA"


def test_a_part_the_store_refuses_ends_its_data_and_the_resend_completes_it(
    kit: LinkKit,
) -> None:
    with _served(kit, 250, lambda inner: _RefusingStore(inner, at=1)) as (h, store, raw):
        raw.send(up.hello("lien-chieu", "lien-chieu", "db-1", {"summary": 0}, "t"))
        assert raw.recv()["t"] == up.WELCOME
        raw.send(up.data("summary", records(1, 1000)))
        err = raw.recv()
        assert (err["t"], err["code"], err["first"], err["last"]) == (
            up.ERROR, "storage_unavailable", 1, 1000
        )  # fmt: skip
        assert raw.sock.poll(300) == 0, "one answer per DATA"
        # Its first part is stored; nothing after the refused one is tried.
        assert store.commits == [[("summary", 250)], [("refused", 250)]]
        assert h.store.seqs("lien-chieu", "summary") == list(range(1, 251))
        raw.send(up.data("summary", records(1, 1000)))  # from the last ACK, as a console does
        ack = raw.recv()
        assert (ack["t"], ack["through"], ack["resend"]) == (up.ACK, 1000, False)
        assert h.store.seqs("lien-chieu", "summary") == list(range(1, 1001))
        assert h.server.counters.snapshot()["duplicates"] == 250


def test_a_storage_failure_in_the_middle_of_a_data_answers_it_once(kit: LinkKit) -> None:
    with _served(kit, 250, lambda inner: _RefusingStore(inner, at=2, down=True)) as (
        h,
        _store,
        raw,
    ):
        raw.send(up.hello("lien-chieu", "lien-chieu", "db-1", {"summary": 0}, "t"))
        assert raw.recv()["t"] == up.WELCOME
        raw.send(up.data("summary", records(1, 1000)))
        err = raw.recv()
        assert (err["t"], err["code"], err["first"], err["last"]) == (
            up.ERROR, "storage_unavailable", 1, 1000
        )  # fmt: skip
        assert raw.recv()["t"] == up.CREDIT  # delivery paused for every console
        assert raw.sock.poll(300) == 0, "one answer per DATA"
        assert h.store.seqs("lien-chieu", "summary") == list(range(1, 501))
        assert h.server.counters.snapshot()["storage_errors"] == 1


def test_summaries_queued_for_a_session_that_said_hello_again_are_not_answered_to_the_new_one(
    kit: LinkKit,
) -> None:
    """A console that counts its unanswered DATA would be confused by an ACK of DATA its
    new session never sent: what is queued for an ended session is dropped (resent)."""
    hello = up.hello("lien-chieu", "lien-chieu", "db-1", {"summary": 1001}, "t")
    with _served(kit, 250, _RecordingStore) as (h, store, raw):
        raw.send(hello)
        assert raw.recv()["t"] == up.WELCOME
        raw.send(up.data("summary", records(1, 1)))
        assert store.started.wait(10)
        raw.send(up.data("summary", records(2, 1001)))
        raw.send(hello)  # the same connection starts over
        time.sleep(0.3)
        store.gate.set()
        ack, welcome = raw.recv(), raw.recv()
        assert (ack["t"], ack["through"]) == (up.ACK, 1)
        assert welcome["t"] == up.WELCOME, welcome
        assert welcome["acks"] == {"summary": 1}
        assert raw.sock.poll(500) == 0, "nothing for the DATA the ended session sent"
        assert h.store.seqs("lien-chieu", "summary") == [1]
        raw.send(up.data("summary", records(2, 1001)))  # resent from the WELCOME's acks
        ack = raw.recv()
        assert (ack["t"], ack["through"], ack["resend"]) == (up.ACK, 1001, False)
        assert h.store.seqs("lien-chieu", "summary") == list(range(1, 1002))


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
