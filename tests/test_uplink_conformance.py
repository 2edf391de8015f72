"""The uplink exactly as docs/PROTOCOL.md part 2 says: types, HELLO streams, credit, ERROR
fields, refusals read before WELCOME, not_welcomed after a hub restart, quarantine."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack
import pytest
import zmq

from console.hub.config import load_hub_config
from console.hub.server import Hub
from console.shared.vocab import Stream
from tests.conftest import wait_until
from tests.linkkit import LinkKit, make_kit
from tests.test_uplink import (
    OutboxConsole,
    RawConsole,
    minute_payload,
    raw_keys,
    records,
    rejected,
    settings_for,
)
from transport import uplinkproto as up
from transport.streams import Batch, BatchResult
from transport.uplink_client import ONLINE, REFUSED


@pytest.fixture
def kit(tmp_path: Path) -> LinkKit:
    return make_kit(tmp_path / "hub")


@pytest.fixture
def hub(kit: LinkKit) -> Iterator[Hub]:
    h = Hub(load_hub_config(kit.hub_config))
    h.start()
    yield h
    h.stop()


@pytest.fixture
def raw(kit: LinkKit, hub: Hub) -> Iterator[RawConsole]:
    ctx = zmq.Context()
    r = RawConsole(ctx, hub.server.bound_endpoint, raw_keys(kit, "lien-chieu"))
    yield r
    r.close()
    ctx.term()


def welcome(raw: RawConsole, streams: dict[str, Any] | None = None) -> dict[str, Any]:
    raw.send(up.hello("lien-chieu", "lien-chieu", "db-1", streams or {"summary": 0}, "test"))
    return raw.recv()


def test_integers_are_never_bools_or_floats(raw: RawConsole) -> None:
    w = welcome(raw, {"summary": True})
    assert (w["t"], w["code"]) == (up.ERROR, "bad_header")
    w = welcome(raw, {"summary": 1.0})
    assert (w["t"], w["code"]) == (up.ERROR, "bad_header")
    assert welcome(raw)["t"] == up.WELCOME
    payload = minute_payload("x", "river-1", 29_000_001, 1.0)
    for created in (True, 1.5):
        raw.send(
            up.encode(
                {"t": up.DATA, "stream": "summary", "first": 1, "last": 1},
                msgpack.packb([[1, "minute", created, payload]], use_bin_type=True),
            )
        )
        err = raw.recv()
        assert (err["code"], err["stream"], err["first"], err["last"]) == (
            "bad_records",
            "summary",
            1,
            1,
        )
    raw.send(up.encode({"t": up.DATA, "stream": "summary", "first": True, "last": 1}, b"\x90"))
    assert raw.recv()["code"] == "bad_header"


def test_seq_ranges_that_are_not_ranges_are_bad_records_not_too_many(raw: RawConsole) -> None:
    welcome(raw)
    for first, last in ((0, 0), (5, 4), (-3, 2), (2**63, 2**63)):
        raw.send(
            up.encode({"t": up.DATA, "stream": "summary", "first": first, "last": last}, b"\x90")
        )
        err = raw.recv()
        assert err["code"] == "bad_records", (first, last, err)
    raw.send(up.encode({"t": up.DATA, "stream": "summary", "first": 1, "last": 10**6}, b"\x90"))
    assert raw.recv()["code"] == "too_many_records"


def test_every_error_names_the_hub_epoch_and_the_data_it_refuses(raw: RawConsole, hub: Hub) -> None:
    welcome(raw)
    raw.send(up.encode({"t": up.DATA, "stream": "secret", "first": 7, "last": 9}, b"\x90"))
    err = raw.recv()
    assert (err["code"], err["epoch"], err["stream"], err["first"], err["last"]) == (
        "unknown_stream",
        hub.server.epoch,
        "secret",
        7,
        9,
    )
    raw.send([up.TAG, b"\xc1"])
    err = raw.recv()
    assert err["code"] == "malformed" and err["epoch"] == hub.server.epoch and "stream" not in err


def test_a_hello_claiming_fewer_records_than_the_hub_holds_is_refused(
    raw: RawConsole, hub: Hub
) -> None:
    """A console whose database was restored from a backup would reuse seqs 51..150 for
    new records, which the hub would ack as duplicates and drop: it must get a new id."""
    welcome(raw)
    raw.send(up.data("summary", records(1, 150)))
    assert raw.recv()["through"] == 150
    err = welcome(raw, {"summary": 50})
    assert (err["t"], err["code"], err["fatal"]) == (up.ERROR, "db_reused", True)
    assert "150" in err["detail"] and "new database id" in err["detail"]
    assert rejected(hub, "rejected_connections", "db_reused") == 1
    # The refused HELLO opened no session.
    raw.send(up.data("summary", records(51, 60)))
    assert raw.recv()["code"] == "not_welcomed"
    # Claiming as much as (or more than) the hub holds is fine.
    assert welcome(raw, {"summary": 150})["acks"] == {"summary": 150}
    assert hub.store.seqs("lien-chieu", "summary") == list(range(1, 151))


class _GatedStore:
    """The hub's store, whose first commit waits until the test opens the gate."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.gate = threading.Event()
        self.started = threading.Event()

    def commit(self, batches: list[Batch]) -> list[BatchResult]:
        if not self.started.is_set():
            self.started.set()
            self.gate.wait(10)
        return list(self.inner.commit(batches))

    def positions(self, peer: str, db: str) -> dict[str, int]:
        return dict(self.inner.positions(peer, db))

    def healthy(self) -> bool:
        return bool(self.inner.healthy())


def test_credit_is_enforced(kit: LinkKit) -> None:
    h = Hub(dataclasses.replace(load_hub_config(kit.hub_config), credit=8))
    gated = _GatedStore(h.store)
    h.server.storage = gated
    h.start()
    ctx = zmq.Context()
    raw = RawConsole(ctx, h.server.bound_endpoint, raw_keys(kit, "lien-chieu"))
    try:
        assert welcome(raw)["credit"] == 8
        raw.send(up.data("summary", records(1, 1)))
        assert gated.started.wait(10)
        # While the hub commits DATA 1, the console sends 24 more: all in the next drain.
        for s in range(2, 26):
            raw.send(up.data("summary", records(s, s)))
        time.sleep(0.3)
        gated.gate.set()
        replies = [raw.recv() for _ in range(25)]
        acks = [r for r in replies if r["t"] == up.ACK]
        refused = [r for r in replies if r["t"] == up.ERROR]
        assert len(acks) == 1 + 8 and len(refused) == 16
        assert {r["code"] for r in refused} == {"over_credit"}
        assert sorted(r["first"] for r in refused) == list(range(10, 26))
        assert h.store.seqs("lien-chieu", "summary") == list(range(1, 10))
        assert rejected(h, "rejected_messages", "over_credit") == 16
    finally:
        raw.close()
        ctx.term()
        h.stop()


def test_the_console_reads_an_error_refusing_its_hello_and_backs_off(
    kit: LinkKit, hub: Hub, tmp_path: Path
) -> None:
    kit.console_keys("hai-chau")
    s = settings_for(kit, "hai-chau", hub.server.bound_endpoint)
    s = dataclasses.replace(s, console_id="cam-le")  # the key is registered to hai-chau
    c = OutboxConsole(tmp_path, "hai-chau", s)
    try:
        c.client.start()
        wait_until(lambda: c.client.status().state == REFUSED, 10, "refused")
        st = c.client.status()
        assert "id_mismatch" in st.detail and st.errors == {"id_mismatch": 1}
        time.sleep(2.0)  # refused_retry_s is 30 s: no HELLO storm meanwhile
        assert rejected(hub, "rejected_messages", "id_mismatch") == 1
    finally:
        c.close()


def test_after_a_hub_restart_not_welcomed_brings_a_new_hello_at_once(
    kit: LinkKit, tmp_path: Path
) -> None:
    cfg = load_hub_config(kit.hub_config)
    h = Hub(cfg)
    h.start()
    endpoint = h.server.bound_endpoint
    # Heartbeats of 5 s and an ack timeout of 20 s: neither ends the session quickly.
    s = dataclasses.replace(
        settings_for(kit, "cam-le", endpoint, batch_records=50), heartbeat_s=5.0
    )
    c = OutboxConsole(tmp_path, "cam-le", s)
    try:
        c.write_summaries(100)
        c.client.start()
        wait_until(lambda: c.acked(Stream.SUMMARY) == 100, 20, "first delivery")
        h.stop()
        h = Hub(dataclasses.replace(cfg, bind=endpoint))
        h.start()
        c.write_summaries(100)
        started = time.monotonic()
        wait_until(lambda: c.acked(Stream.SUMMARY) == 200, 20, "delivery after the restart")
        assert time.monotonic() - started < 8.0
        assert c.client.status().sessions >= 2 and c.client.status().state == ONLINE
    finally:
        c.close()
        h.stop()


def test_poison_records_are_quarantined_acked_and_counted(raw: RawConsole, hub: Hub) -> None:
    welcome(raw)
    good = minute_payload("x", "river-1", 29_000_001, 1.0)
    nan = msgpack.packb({**msgpack.unpackb(good), "mean": float("nan")})
    huge = msgpack.packb({**msgpack.unpackb(good), "n": 2**64 - 1})
    recs = [
        (1, "minute", 0, good),
        (2, "minute", 2**64 - 1, good),
        (3, "minute", 0, nan),
        (4, "minute", 0, huge),
        (5, "minute", 0, good),
    ]
    raw.send(up.data("summary", recs))
    ack = raw.recv()
    assert (ack["t"], ack["through"], ack["resend"]) == (up.ACK, 5, False)
    stats = hub.store.stats()
    assert stats["consoles"]["lien-chieu"]["quarantined"] == {"bad_created_ms": 1, "invalid": 2}
    assert stats["bad_payloads"] == 2 and stats["storage_errors"] == 0
    assert hub.server.counters.snapshot()["quarantined"] == 3


def test_not_welcomed_makes_the_console_say_hello_again_on_the_same_connection(
    kit: LinkKit, tmp_path: Path
) -> None:
    """A hub behind a proxy restarts, or closes an idle session, while the console's TCP
    connection stays up: the next DATA gets not_welcomed, and the console must HELLO at
    once (not wait for its 20 s ack timeout)."""
    from transport.curve import load_keypair

    hub_keys = load_keypair(kit.root / "keys" / "hub.key_secret", need_secret=True)
    assert hub_keys.secret is not None
    ctx = zmq.Context()
    router = ctx.socket(zmq.ROUTER)
    router.linger = 0
    router.curve_server = True
    router.curve_secretkey = hub_keys.secret
    router.curve_publickey = hub_keys.public
    port = router.bind_to_random_port("tcp://127.0.0.1")
    seen: list[tuple[str, float]] = []
    stop = threading.Event()

    def fake_hub() -> None:
        epoch, dropped = "epoch-a", False
        while not stop.is_set():
            if not router.poll(50):
                continue
            routing, *frames = router.recv_multipart()
            header, _ = up.decode(frames, up.Limits())
            seen.append((header["t"], time.monotonic()))
            if header["t"] == up.HELLO:
                w = {"t": up.WELCOME, "epoch": epoch, "acks": {"summary": 0, "status": 0},
                     "credit": 4, "max_records": 100, "hb_s": 5.0}  # fmt: skip
                router.send_multipart([routing, *up.encode(w)])
            elif header["t"] == up.DATA and not dropped:
                dropped, epoch = True, "epoch-b"  # the session is gone
                router.send_multipart(
                    [routing, *up.error("not_welcomed", "no session", epoch=epoch)]
                )
            elif header["t"] == up.DATA:
                a = {"t": up.ACK, "epoch": epoch, "stream": header["stream"],
                     "through": header["last"], "credit": 4, "resend": False}  # fmt: skip
                router.send_multipart([routing, *up.encode(a)])

    t = threading.Thread(target=fake_hub, daemon=True)
    t.start()
    s = dataclasses.replace(
        settings_for(kit, "cam-le", f"tcp://127.0.0.1:{port}", batch_records=50), heartbeat_s=5.0
    )
    c = OutboxConsole(tmp_path, "cam-le", s)
    try:
        c.write_summaries(20)
        c.client.start()
        wait_until(lambda: c.acked(Stream.SUMMARY) == 20, 10, "delivered after a new HELLO")
        hellos = [ts for typ, ts in seen if typ == up.HELLO]
        first_data = next(ts for typ, ts in seen if typ == up.DATA)
        assert len(hellos) == 2 and hellos[1] - first_data < 2.0
        assert c.client.status().errors == {"not_welcomed": 1}
    finally:
        c.close()
        stop.set()
        t.join(5)
        router.close()
        ctx.term()


def test_a_restored_database_is_refused_until_it_gets_a_new_id(
    kit: LinkKit, hub: Hub, tmp_path: Path
) -> None:
    """The procedure of §2.4: backup, more records delivered, restore → db_reused; after
    `opsconsole outbox --new-database-id` the console delivers again, under the new id."""
    import shutil

    from console.district.store.outbox import new_database_id

    s = settings_for(kit, "son-tra", hub.server.bound_endpoint, refused_retry_s=0.5)
    log = tmp_path / "son-tra" / "son-tra.sqlite3"
    c = OutboxConsole(tmp_path, "son-tra", s)
    try:
        c.write_summaries(40)
        c.client.start()
        wait_until(lambda: c.acked(Stream.SUMMARY) == 40, 20, "40 delivered")
    finally:
        c.close()
    shutil.copy(log, tmp_path / "backup.sqlite3")
    c = OutboxConsole(tmp_path, "son-tra", s)
    try:
        c.write_summaries(20)
        c.client.start()
        wait_until(lambda: c.acked(Stream.SUMMARY) == 60, 20, "60 delivered")
    finally:
        c.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{log}{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "backup.sqlite3", log)  # the restore
    c = OutboxConsole(tmp_path, "son-tra", s)
    try:
        c.write_summaries(5)
        c.client.start()
        wait_until(lambda: c.client.status().state == REFUSED, 20, "refused")
        assert "db_reused" in c.client.status().detail
    finally:
        c.close()
    old_db = c.db.stream_id
    engine = c.db.engine
    new_id, streams = new_database_id(engine)
    engine.dispose()
    assert streams["summary"] == (5, 40) and new_id != old_db
    c = OutboxConsole(tmp_path, "son-tra", s)
    try:
        assert c.db.stream_id == new_id and c.seqs(Stream.SUMMARY) == [1, 2, 3, 4, 5]
        c.client.start()
        wait_until(lambda: c.acked(Stream.SUMMARY) == 5, 20, "delivered under the new id")
        assert hub.store.positions("son-tra", new_id)["summary"] == 5
        assert hub.store.positions("son-tra", old_db)["summary"] == 60
    finally:
        c.close()
