"""The city link in one process: real sockets, CURVE, ZAP, real SQLite on both ends."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack
import pytest
import zmq
from sqlalchemy import select

from console.district.store.database import open_site_database
from console.district.store.outbox import Outbox, stream_positions
from console.district.store.schema import outbox
from console.district.store.writer import StoreWriter
from console.hub.config import load_hub_config
from console.hub.server import Hub
from console.shared.records import (
    ActiveAlarms,
    AlarmCounts,
    FeedCounts,
    MinuteSummary,
    SiteStatus,
    encode,
)
from console.shared.vocab import UPLINK_PRIORITY, Stream
from tests.conftest import wait_until
from tests.linkkit import LinkKit, make_kit
from transport import uplinkproto as up
from transport.curve import load_keypair
from transport.uplink_client import ONLINE, REFUSED, LinkSettings, UplinkClient


def minute_payload(site: str, feed: str, minute: int, v: float) -> bytes:
    return encode(
        MinuteSummary(
            site=site,
            feed=feed,
            kind="river_level",
            unit="m",
            minute=minute * 60_000,
            n=2,
            min=v - 1,
            max=v + 1,
            mean=v,
            last=v,
            last_ts=minute * 60_000 + 59_000,
            q=(2, 0, 0),
        )
    )


class OutboxConsole:
    """The console's outbox side with real parts (site DB, writer, Outbox, UplinkClient)."""

    def __init__(self, root: Path, console_id: str, settings: LinkSettings) -> None:
        self.id = console_id
        self.db = open_site_database(root / console_id, console_id, [])
        self.writer = StoreWriter(self.db.engine)
        self.writer.start()
        self.outbox = Outbox(
            self.db.engine, console_id, self.db.stream_id, UPLINK_PRIORITY, self.writer.submit_job
        )
        self.client = UplinkClient(settings, self.outbox)
        self._minute = 29_000_000

    def write_summaries(self, n: int, chunk: int = 5000) -> None:
        for k in range(0, n, chunk):
            recs = []
            for _ in range(min(chunk, n - k)):
                self._minute += 1
                recs.append(
                    (
                        "minute",
                        int(time.time() * 1000),
                        minute_payload(self.id, "river-1", self._minute, 1.5),
                    )
                )
            self.writer.submit_job(self.outbox.append_job(Stream.SUMMARY, recs))
        assert self.writer.flush(30)

    def write_status(self) -> None:
        status = SiteStatus(
            site=self.id,
            ts=int(time.time() * 1000),
            feeds=FeedCounts(total=3, good=2, stale=1),
            alarms=AlarmCounts(active=ActiveAlarms(sev2=1), unack=1),
        )
        self.writer.submit_job(
            self.outbox.append_job(Stream.STATUS, [(status.KIND, status.ts, encode(status))])
        )

    def acked(self, stream: str) -> int:
        return self.outbox.positions()[stream][1]

    def seqs(self, stream: str) -> list[int]:
        with self.db.engine.connect() as c:
            return [
                s
                for (s,) in c.execute(
                    select(outbox.c.seq).where(outbox.c.stream == stream).order_by(outbox.c.seq)
                )
            ]

    def close(self) -> None:
        self.client.stop()
        self.writer.stop()
        self.db.engine.dispose()


def settings_for(
    kit: LinkKit, console_id: str, endpoint: str, *, allow: bool = True, **kw: Any
) -> LinkSettings:
    mine = load_keypair(kit.console_keys(console_id, allow=allow), need_secret=True)
    assert mine.secret is not None
    return LinkSettings(
        endpoint=endpoint,
        console_id=console_id,
        server_key=load_keypair(kit.hub_public, need_secret=False).public,
        public_key=mine.public,
        secret_key=mine.secret,
        heartbeat_s=0.5,
        **kw,
    )


@pytest.fixture
def kit(tmp_path: Path) -> LinkKit:
    return make_kit(tmp_path / "hub")


@pytest.fixture
def hub(kit: LinkKit) -> Iterator[Hub]:
    h = Hub(load_hub_config(kit.hub_config))
    h.start()
    yield h
    h.stop()


def test_delivers_every_record_once_and_acks_durably(
    kit: LinkKit, hub: Hub, tmp_path: Path
) -> None:
    c = OutboxConsole(
        tmp_path,
        "hai-chau",
        settings_for(kit, "hai-chau", hub.server.bound_endpoint, batch_records=300),
    )
    try:
        c.write_summaries(5000)
        c.write_status()
        c.client.start()
        wait_until(
            lambda: c.acked(Stream.SUMMARY) == 5000 and c.acked(Stream.STATUS) == 1,
            30,
            "all acked",
        )
        c.write_summaries(1234)
        wait_until(lambda: c.acked(Stream.SUMMARY) == 6234, 30, "live records acked")
        assert c.client.status().state == ONLINE
        assert (
            hub.store.seqs("hai-chau", Stream.SUMMARY)
            == c.seqs(Stream.SUMMARY)
            == list(range(1, 6235))
        )
        assert c.writer.flush(10)
        # The ack is durable in the console's log, not only in memory.
        pos = {p.stream: p for p in stream_positions(c.db.engine)}
        wait_until(
            lambda: (
                {p.stream: p for p in stream_positions(c.db.engine)}[Stream.SUMMARY].acked_seq
                == 6234
            ),
            10,
            "ack committed",
        )
        assert pos[Stream.STATUS].backlog == 0
        city = hub.store.city()
        assert city["sites"][0]["site_id"] == "hai-chau"
        assert city["sites"][0]["alarms_sev2"] == 1 and city["sites"][0]["feeds_stale"] == 1
        assert city["kinds"]["river_level"]["feeds"] == 1
    finally:
        c.close()


def test_status_is_never_stuck_behind_a_summary_backlog(
    kit: LinkKit, hub: Hub, tmp_path: Path
) -> None:
    c = OutboxConsole(
        tmp_path,
        "son-tra",
        settings_for(kit, "son-tra", hub.server.bound_endpoint, batch_records=20),
    )
    try:
        c.write_summaries(60_000)
        c.client.start()
        wait_until(lambda: c.acked(Stream.SUMMARY) > 0, 30, "summary delivery started")
        c.write_status()
        wait_until(lambda: c.acked(Stream.STATUS) == 1, 30, "status acked")
        # Delivered while most of the summary backlog was still waiting.
        assert c.outbox.positions()[Stream.SUMMARY][1] < 30_000
    finally:
        c.close()


def test_hub_restart_mid_stream_resumes_without_gap_or_duplicate(
    kit: LinkKit, tmp_path: Path
) -> None:
    cfg = load_hub_config(kit.hub_config)
    h = Hub(cfg)
    h.start()
    endpoint = h.server.bound_endpoint
    c = OutboxConsole(tmp_path, "cam-le", settings_for(kit, "cam-le", endpoint, batch_records=50))
    try:
        c.write_summaries(40_000)
        c.client.start()
        for _ in range(3):
            before = c.acked(Stream.SUMMARY)
            wait_until(lambda b=before: c.acked(Stream.SUMMARY) > b + 500, 30, "progress")
            h.stop()
            h = Hub(dataclasses.replace(cfg, bind=endpoint))
            h.start()
        wait_until(lambda: c.acked(Stream.SUMMARY) == 40_000, 60, "drained after restarts")
        assert h.store.seqs("cam-le", Stream.SUMMARY) == c.seqs(Stream.SUMMARY)
        assert c.client.status().sessions >= 4
    finally:
        c.close()
        h.stop()


class RawConsole:
    """A hand-driven DEALER speaking the protocol (or not), for protocol and security tests."""

    def __init__(
        self, ctx: zmq.Context[Any], endpoint: str, keys: tuple[bytes, bytes, bytes] | None
    ) -> None:
        self.sock = ctx.socket(zmq.DEALER)
        self.sock.linger = 0
        self.mon = self.sock.get_monitor_socket(
            zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_HANDSHAKE_FAILED_AUTH
        )
        if keys is not None:
            self.sock.curve_serverkey, self.sock.curve_publickey, self.sock.curve_secretkey = keys
        self.sock.connect(endpoint)

    def handshake(self, timeout: float = 10) -> int:
        from zmq.utils.monitor import recv_monitor_message

        assert self.mon.poll(int(timeout * 1000)), "no handshake event"
        return int(recv_monitor_message(self.mon)["event"])

    def send(self, frames: list[bytes]) -> None:
        self.sock.send_multipart(frames)

    def recv(self, timeout: float = 10) -> dict[str, Any]:
        assert self.sock.poll(int(timeout * 1000)), "no reply from the hub"
        header, _ = up.decode(self.sock.recv_multipart(), up.Limits())
        return header

    def close(self) -> None:
        self.sock.disable_monitor()
        self.mon.close()
        self.sock.close()


def raw_keys(kit: LinkKit, console_id: str, *, allow: bool = True) -> tuple[bytes, bytes, bytes]:
    mine = load_keypair(kit.console_keys(console_id, allow=allow), need_secret=True)
    assert mine.secret is not None
    return load_keypair(kit.hub_public, need_secret=False).public, mine.public, mine.secret


def records(first: int, last: int) -> list[up.Record]:
    return [
        (s, "minute", 0, minute_payload("x", "river-1", 29_000_000 + s, 1.0))
        for s in range(first, last + 1)
    ]


def test_duplicates_are_dropped_and_gaps_ask_for_a_resend(kit: LinkKit, hub: Hub) -> None:
    ctx = zmq.Context()
    raw = RawConsole(ctx, hub.server.bound_endpoint, raw_keys(kit, "lien-chieu"))
    try:
        raw.send(up.hello("lien-chieu", "lien-chieu", "db-1", {"summary": 0}, "test"))
        w = raw.recv()
        assert w["t"] == up.WELCOME and w["acks"] == {"summary": 0}
        raw.send(up.data("summary", records(1, 10)))
        assert raw.recv()["through"] == 10
        raw.send(up.data("summary", records(5, 12)))  # 5..10 again, 11..12 new
        ack = raw.recv()
        assert (ack["through"], ack["resend"]) == (12, False)
        raw.send(up.data("summary", records(20, 25)))  # 13..19 lost
        ack = raw.recv()
        assert (ack["through"], ack["resend"]) == (12, True)
        assert hub.store.seqs("lien-chieu", "summary") == list(range(1, 13))
        st = hub.store.stats()["consoles"]["lien-chieu"]["streams"]["summary"]
        assert st["duplicates_dropped"] == 6 and st["records_stored"] == 12
        # A reconnecting console learns where to resume.
        raw.send(up.hello("lien-chieu", "lien-chieu", "db-1", {"summary": 30}, "test"))
        assert raw.recv()["acks"] == {"summary": 12}
    finally:
        raw.close()
        ctx.term()


def rejected(hub: Hub, kind: str, reason: str) -> int:
    return int(hub.server.counters.snapshot()[kind].get(reason, 0))


def test_a_console_without_keys_is_refused_and_counted(kit: LinkKit, hub: Hub) -> None:
    ctx = zmq.Context()
    raw = RawConsole(ctx, hub.server.bound_endpoint, None)
    try:
        raw.send(up.hello("hai-chau", "hai-chau", "db", {"summary": 0}, "test"))
        wait_until(
            lambda: rejected(hub, "rejected_connections", "no_curve") >= 1, 10, "no_curve counted"
        )
        assert not raw.sock.poll(200)
        assert hub.store.stats()["consoles"] == {}
    finally:
        raw.close()
        ctx.term()


def test_unknown_and_revoked_keys_are_refused_without_restart(kit: LinkKit, hub: Hub) -> None:
    ctx = zmq.Context()
    stranger = RawConsole(ctx, hub.server.bound_endpoint, raw_keys(kit, "stranger", allow=False))
    try:
        assert stranger.handshake() == zmq.EVENT_HANDSHAKE_FAILED_AUTH
        wait_until(
            lambda: rejected(hub, "rejected_connections", "unknown_key") >= 1, 10, "unknown_key"
        )
    finally:
        stranger.close()
    # An allowed console delivers; after `revoke` its session is cut and new connections refused.
    ok = RawConsole(ctx, hub.server.bound_endpoint, raw_keys(kit, "thanh-khe"))
    try:
        ok.send(up.hello("thanh-khe", "thanh-khe", "db", {"summary": 0}, "test"))
        assert ok.recv()["t"] == up.WELCOME
        ok.send(up.data("summary", records(1, 3)))
        assert ok.recv()["through"] == 3
        kit.revoke("thanh-khe")
        ok.send(up.data("summary", records(4, 6)))
        err = ok.recv()
        assert (err["t"], err["code"], err["fatal"]) == (up.ERROR, "key_revoked", True)
    finally:
        ok.close()
    again = RawConsole(ctx, hub.server.bound_endpoint, raw_keys(kit, "thanh-khe", allow=False))
    try:
        assert again.handshake() == zmq.EVENT_HANDSHAKE_FAILED_AUTH
        wait_until(
            lambda: rejected(hub, "rejected_connections", "revoked_key") >= 2, 10, "revoked_key"
        )
        # The running hub saves its counters for `opsconsole hub stats`.
        wait_until(
            lambda: (
                hub.store.stats()["rejected_connections"].get("revoked_key", 0) >= 2
                and hub.store.stats()["rejected_connections"].get("unknown_key", 0) >= 1
            ),
            10,
            "counters saved",
        )
    finally:
        again.close()
        ctx.term()
    assert hub.store.seqs("thanh-khe", "summary") == [1, 2, 3]


def test_claiming_another_consoles_id_delivers_nothing(kit: LinkKit, hub: Hub) -> None:
    ctx = zmq.Context()
    kit.console_keys("hai-chau")
    raw = RawConsole(ctx, hub.server.bound_endpoint, raw_keys(kit, "ngu-hanh-son"))
    try:
        raw.send(up.hello("hai-chau", "hai-chau", "db", {"summary": 0}, "test"))
        err = raw.recv()
        assert (err["code"], err["fatal"]) == ("id_mismatch", True)
        raw.send(up.data("summary", records(1, 3)))
        assert raw.recv()["code"] == "not_welcomed"
        assert rejected(hub, "rejected_connections", "id_mismatch") == 1
        assert hub.store.stats()["consoles"] == {}
    finally:
        raw.close()
        ctx.term()


def test_hostile_frames_are_refused_and_other_consoles_unharmed(
    kit: LinkKit, hub: Hub, tmp_path: Path
) -> None:
    good = OutboxConsole(
        tmp_path,
        "hai-chau",
        settings_for(kit, "hai-chau", hub.server.bound_endpoint, batch_records=100),
    )
    ctx = zmq.Context()
    bad = RawConsole(ctx, hub.server.bound_endpoint, raw_keys(kit, "hoa-vang"))
    try:
        good.write_summaries(20_000)
        good.client.start()
        bad.send(up.hello("hoa-vang", "hoa-vang", "db", {"summary": 0}, "test"))
        assert bad.recv()["t"] == up.WELCOME
        hostile = {
            "malformed": [up.TAG, b"\xc1\xc1\xc1"],
            "bad_frame": [b"GET / HTTP/1.1"],
            "unsupported_version": [b"OPSUP/9", msgpack.packb({"t": "PING"})],
            "unknown_type": up.encode({"t": ["not", "a", "name"]}),
            "bad_header": up.encode({"t": "DATA", "stream": 5, "first": 1, "last": 1}, b"\x90"),
            "bad_records": up.encode(
                {"t": "DATA", "stream": "summary", "first": 1, "last": 2},
                msgpack.packb([[1, "m", 0, b""]]),
            ),
            "too_many_records": up.encode(
                {"t": "DATA", "stream": "summary", "first": 1, "last": 10**6}, b"\x90"
            ),
            "unknown_stream": up.encode(
                {"t": "DATA", "stream": "secret", "first": 1, "last": 1}, b"\x90"
            ),
            "oversize": [up.TAG, b"\x00" * (9 * 2**20)],
        }
        for code, frames in hostile.items():
            bad.send(frames)
            reply = bad.recv()
            assert (reply["t"], reply["code"]) == (up.ERROR, code)
            assert rejected(hub, "rejected_messages", code) >= 1
        wait_until(lambda: good.acked(Stream.SUMMARY) == 20_000, 60, "good console drained")
        assert hub.store.seqs("hai-chau", Stream.SUMMARY) == list(range(1, 20_001))
        assert hub.store.seqs("hoa-vang", Stream.SUMMARY) == []
    finally:
        bad.close()
        ctx.term()
        good.close()


def test_a_refused_console_is_told_why_and_gets_in_once_allowed_without_a_hub_restart(
    kit: LinkKit, hub: Hub, tmp_path: Path
) -> None:
    s = settings_for(kit, "hoa-vang", hub.server.bound_endpoint, allow=False, refused_retry_s=0.2)
    c = OutboxConsole(tmp_path, "hoa-vang", s)
    try:
        c.write_summaries(100)
        c.client.start()
        wait_until(lambda: c.client.status().state == REFUSED, 15, "refused")
        assert "refused this console's key" in c.client.status().detail
        assert c.acked(Stream.SUMMARY) == 0
        kit.allow("hoa-vang", kit.root / "keys" / "hoa-vang.key")  # `opsconsole keys allow`
        wait_until(lambda: c.acked(Stream.SUMMARY) == 100, 20, "delivered once allowed")
        assert c.client.status().state == ONLINE
    finally:
        c.close()


def test_a_wrong_pinned_hub_key_is_reported(kit: LinkKit, hub: Hub, tmp_path: Path) -> None:
    from transport.curve import generate

    other, _ = generate(tmp_path / "other", "not-the-hub")
    s = settings_for(kit, "hai-chau", hub.server.bound_endpoint)
    s = LinkSettings(**{**s.__dict__, "server_key": load_keypair(other, need_secret=False).public})
    c = OutboxConsole(tmp_path, "hai-chau", s)
    try:
        c.client.start()
        wait_until(
            lambda: "hub_public_key" in c.client.status().detail, 20, "handshake failure reported"
        )
        assert c.client.status().state != ONLINE
        wait_until(
            lambda: rejected(hub, "rejected_connections", "bad_handshake") >= 1,
            10,
            "counted at the hub",
        )
    finally:
        c.close()


def test_pruning_keeps_every_unacknowledged_record(kit: LinkKit, hub: Hub, tmp_path: Path) -> None:
    c = OutboxConsole(
        tmp_path, "hai-chau", settings_for(kit, "hai-chau", hub.server.bound_endpoint)
    )
    try:
        c.write_summaries(300)
        c.client.start()
        wait_until(lambda: c.acked(Stream.SUMMARY) == 300, 30, "acked")
        c.client.stop()
        c.write_summaries(200)  # written, never sent
        c.writer.submit_job(c.outbox.prune_job(int(time.time() * 1000) + 60_000))  # "all old"
        assert c.writer.flush(10)
        assert c.seqs(Stream.SUMMARY) == list(range(301, 501))
        assert c.outbox.read(Stream.SUMMARY, 300, 1000)[0][0] == 301
    finally:
        c.close()


def test_the_console_honours_the_hubs_record_limit(kit: LinkKit, tmp_path: Path) -> None:
    cfg = dataclasses.replace(load_hub_config(kit.hub_config), max_records=70)
    h = Hub(cfg)
    h.start()
    s = settings_for(kit, "cam-le", h.server.bound_endpoint, batch_records=5000)
    c = OutboxConsole(tmp_path, "cam-le", s)
    try:
        c.write_summaries(1000)
        c.client.start()
        wait_until(lambda: c.acked(Stream.SUMMARY) == 1000, 30, "delivered in hub-sized batches")
        st = c.client.status()
        assert st.batches_sent >= 1000 // 70 and not st.errors
    finally:
        c.close()
        h.stop()


def test_a_hub_that_lost_pruned_records_is_reported_not_looped(
    kit: LinkKit, tmp_path: Path
) -> None:
    h = Hub(load_hub_config(kit.hub_config))
    h.start()
    endpoint = h.server.bound_endpoint
    c = OutboxConsole(tmp_path, "son-tra", settings_for(kit, "son-tra", endpoint))
    try:
        c.write_summaries(500)
        c.client.start()
        wait_until(lambda: c.acked(Stream.SUMMARY) == 500, 30, "delivered")
        c.writer.submit_job(c.outbox.prune_job(int(time.time() * 1000) + 60_000))
        assert c.writer.flush(10)
        h.stop()
        # The hub comes back from an empty database (a bad restore).
        (kit.root / "hub.sqlite3").unlink()
        for suffix in ("-wal", "-shm"):
            (kit.root / f"hub.sqlite3{suffix}").unlink(missing_ok=True)
        h = Hub(dataclasses.replace(load_hub_config(kit.hub_config), bind=endpoint))
        h.start()
        c.write_summaries(10)
        wait_until(lambda: c.client.status().state == REFUSED, 30, "refused with a reason")
        assert "must be restored" in c.client.status().detail
    finally:
        c.close()
        h.stop()


def test_a_console_reports_only_for_the_site_its_key_was_registered_for(
    kit: LinkKit, hub: Hub
) -> None:
    from console.hub.registry import Entry, read_registry, utc_now, write_registry

    kit.console_keys("hc-ws2")  # a second workstation of Hải Châu
    entries = {e.console_id: e for e in read_registry(kit.registry)}
    e = entries["hc-ws2"]
    entries["hc-ws2"] = Entry(e.console_id, e.public_key, False, utc_now(), site="hai-chau")
    write_registry(kit.registry, list(entries.values()))
    ctx = zmq.Context()
    raw = RawConsole(ctx, hub.server.bound_endpoint, raw_keys(kit, "hc-ws2", allow=False))
    try:
        raw.send(up.hello("hc-ws2", "son-tra", "db", {"status": 0}, "test"))
        err = raw.recv()
        assert (err["code"], err["fatal"]) == ("site_mismatch", True)
        assert rejected(hub, "rejected_connections", "site_mismatch") == 1
        raw.send(up.hello("hc-ws2", "hai-chau", "x" * 65, {"status": 0}, "test"))
        assert raw.recv()["code"] == "bad_header"
        raw.send(up.hello("hc-ws2", "hai-chau", "db", {"status": 0}, "test"))
        assert raw.recv()["t"] == up.WELCOME
        # A record kind longer than the hub stores is refused before it reaches the database.
        bad = [(1, "k" * 17, 0, b"\x80")]
        raw.send(up.data("status", bad))
        assert raw.recv()["code"] == "bad_records"
        raw.send(up.data("status", [(1, "status", 0, b"\x80")]))
        assert raw.recv()["through"] == 1
        assert hub.store.stats()["consoles"]["hc-ws2"]["site"] == "hai-chau"
    finally:
        raw.close()
        ctx.term()
