"""The downlink exactly as docs/PROTOCOL.md §2.10 says: negotiation in HELLO/WELCOME, the hub's
DATA and the console's cumulative ACKs, gaps and timeouts, refusals, a restored hub database,
and both directions of compatibility with revision-2 peers."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zmq

from console.district.config import SiteConfig, load_site
from console.district.services.app import ConsoleApp
from console.district.store.commit import WriterCommit
from console.district.store.inbox import ConsoleInbox
from console.hub.config import load_hub_config
from console.hub.server import Hub
from console.hub.services.downlink import DownlinkService
from console.shared import records
from console.shared.clock import SimClock, SystemClock
from console.shared.records import Directive
from console.shared.session import os_session
from console.shared.vocab import Role, Stream
from tests.conftest import wait_until
from tests.linkkit import LinkKit, make_kit
from tests.test_uplink import OutboxConsole, RawConsole, raw_keys, rejected, settings_for
from transport import uplinkproto as up
from transport.streams import Batch, BatchResult
from transport.uplink_client import UplinkClient

IOC = os_session(Role.IOC_SUPERVISOR)


@pytest.fixture
def kit(tmp_path: Path) -> LinkKit:
    return make_kit(tmp_path / "hub")


@pytest.fixture
def hub(kit: LinkKit) -> Iterator[Hub]:
    h = Hub(load_hub_config(kit.hub_config))
    # Short ack timeout so the resend is seen quickly (the default is 20 s).
    h.server.settings = dataclasses.replace(h.server.settings, ack_timeout_s=1.0)
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


def recv(raw: RawConsole, timeout: float = 10) -> tuple[dict[str, Any], bytes | None]:
    assert raw.sock.poll(int(timeout * 1000)), "nothing from the hub"
    return up.decode(raw.sock.recv_multipart(), up.Limits())


def issue(kit: LinkKit, hub: Hub, n: int, site: str = "lien-chieu") -> list[str]:
    svc = DownlinkService(hub.store.engine, kit.registry)
    return [svc.issue_directive(IOC, site, f"chỉ đạo {i}").id for i in range(n)]


def hello(raw: RawConsole, down: tuple[str, dict[str, int]] | None) -> dict[str, Any]:
    raw.send(up.hello("lien-chieu", "lien-chieu", "db-1", {"summary": 0}, "t", down=down))
    header, _ = recv(raw)
    return header


def test_a_hello_without_down_gets_a_revision_2_welcome_and_no_downlink(
    kit: LinkKit, hub: Hub, raw: RawConsole
) -> None:
    issue(kit, hub, 2)
    w = hello(raw, None)
    assert w["t"] == up.WELCOME and "down" not in w and "down_db" not in w
    assert not raw.sock.poll(1500), "a revision-2 console is sent nothing it did not ask for"


def test_data_acks_gaps_and_the_ack_timeout(kit: LinkKit, hub: Hub, raw: RawConsole) -> None:
    ids = issue(kit, hub, 3)
    w = hello(raw, ("", {"directive": 0, "esc_ack": 0}))
    assert w["down_db"] == hub.downlink.identity()
    assert w["down"] == {"esc_ack": 0, "directive": 3}  # the warning stream was not asked for
    header, body = recv(raw)
    assert (header["t"], header["stream"], header["first"], header["last"]) == (
        up.DATA,
        "directive",
        1,
        3,
    )
    assert header["epoch"] == w["epoch"]
    assert body is not None
    recs = up.decode_records(header, body, up.Limits())
    assert [records.decode_as(Directive, r[3]).id for r in recs] == ids
    epoch = w["epoch"]
    raw.send(up.ack(epoch, "directive", 1, 8, False))
    wait_until(lambda: hub.server.counters.snapshot()["down_records_acked"] == 1, 10, "ack 1")
    board = DownlinkService(hub.store.engine, kit.registry).board()
    states = {b["id"]: b["sites"]["lien-chieu"]["state"] for b in board}
    assert states == {ids[0]: "delivered", ids[1]: "queued", ids[2]: "queued"}
    # Beyond what was sent, another epoch, a stream not sent: refused, named.
    raw.send(up.ack(epoch, "directive", 9, 8, False))
    err, _ = recv(raw)
    assert (err["code"], err["stream"]) == ("bad_ack", "directive")
    raw.send(up.ack("not-the-epoch", "directive", 1, 8, False))
    assert recv(raw)[0]["code"] == "bad_header"
    raw.send(up.ack(epoch, "warning", 1, 8, False))
    assert recv(raw)[0]["code"] == "unknown_stream"
    # A gap at the console: the hub sends again from the ack.
    raw.send(up.ack(epoch, "directive", 1, 8, True))
    header, _ = recv(raw)
    assert (header["first"], header["last"]) == (2, 3)
    # Not acknowledged: after the ack timeout, again from the console's last ack.
    header, _ = recv(raw, 5)
    assert (header["first"], header["last"]) == (2, 3)
    assert hub.server.counters.snapshot()["down_resends"] >= 2
    raw.send(up.ack(epoch, "directive", 3, 8, False))
    wait_until(lambda: hub.server.counters.snapshot()["down_records_acked"] == 3, 10, "all acked")
    ids += issue(kit, hub, 1)  # a new one is sent as soon as the hub sees it
    header, _ = recv(raw)
    assert (header["first"], header["last"]) == (4, 4)


def test_the_downlink_fields_of_a_hello_are_checked(raw: RawConsole, hub: Hub) -> None:
    def refused(header: dict[str, Any]) -> str:
        raw.send(
            up.encode(
                {
                    "t": up.HELLO,
                    "console": "lien-chieu",
                    "site": "lien-chieu",
                    "db": "db-1",
                    "streams": {},
                    "sw": "t",
                    **header,
                }
            )
        )
        return str(recv(raw)[0]["code"])

    assert refused({"down": {"directive": 0}}) == "bad_header"  # down without down_db
    assert refused({"down_db": "", "down": {"directive": True}}) == "bad_header"
    assert refused({"down_db": "", "down": {"directive": -1}}) == "bad_header"
    assert refused({"down_db": 7, "down": {}}) == "bad_header"  # the codec: not a str
    assert refused({"down_db": "x" * 65, "down": {}}) == "bad_header"
    assert rejected(hub, "rejected_messages", "bad_header") == 5


def test_a_console_holding_more_than_the_hub_wrote_gets_no_downlink_until_a_new_id(
    kit: LinkKit, hub: Hub, raw: RawConsole
) -> None:
    issue(kit, hub, 2)
    w = hello(raw, (hub.downlink.identity(), {"directive": 5}))
    assert w["down"] == {"directive": 2}
    assert hub.server.counters.snapshot()["down_behind"] == 1
    assert not raw.sock.poll(1000), "nothing sent: it would be dropped as duplicates"


class MemoryInbox:
    """A DownlinkInbox that holds what a test says it holds."""

    def __init__(self, db: str, held: dict[str, int]) -> None:
        self.db, self.held = db, held
        self.batches: list[Batch] = []

    def hello(self) -> tuple[str, dict[str, int]]:
        return self.db, dict(self.held)

    def positions(self, peer: str, db: str) -> dict[str, int]:
        return dict(self.held) if db == self.db else {}

    def commit(self, batches: list[Batch]) -> list[BatchResult]:
        self.batches += batches
        return [BatchResult(b.records[-1][0], len(b.records), 0, False) for b in batches]

    def healthy(self) -> bool:
        return True


def client_with_inbox(
    kit: LinkKit, hub: Hub, tmp_path: Path, inbox: MemoryInbox
) -> tuple[OutboxConsole, UplinkClient]:
    c = OutboxConsole(tmp_path, "cam-le", settings_for(kit, "cam-le", hub.server.bound_endpoint))
    client = UplinkClient(c.client.settings, c.outbox, inbox=inbox)
    return c, client


def test_the_console_says_when_the_hub_is_behind_or_sends_no_downlink(
    kit: LinkKit, tmp_path: Path
) -> None:
    cfg = load_hub_config(kit.hub_config)
    h = Hub(cfg)
    h.start()
    inbox = MemoryInbox(h.downlink.identity(), {"directive": 4})
    c, client = client_with_inbox(kit, h, tmp_path, inbox)
    try:
        client.start()
        wait_until(lambda: client.status().down == "behind", 20, "behind")
        assert "restored" in client.status().detail and client.status().state == "online"
        assert inbox.batches == []
    finally:
        client.stop()
        c.close()
        h.stop()
    # A hub without downlink (as a revision-2 hub): the console says so and goes on.
    h = Hub(dataclasses.replace(cfg, bind=h.server.bound_endpoint))
    h.server.downlink = None
    h.start()
    c, client = client_with_inbox(kit, h, tmp_path / "b", MemoryInbox("", {"directive": 0}))
    try:
        c.write_status()
        client.start()
        wait_until(lambda: client.status().down == "none", 20, "no downlink")
        assert "predates revision 3" in client.status().detail
        wait_until(lambda: c.acked(Stream.STATUS) == 1, 20, "the uplink goes on")
    finally:
        client.stop()
        c.close()
        h.stop()


def test_restarts_of_the_hub_and_the_console_deliver_every_directive_once(
    kit: LinkKit, small_site: SiteConfig, tmp_path: Path
) -> None:
    cfg = load_hub_config(kit.hub_config)
    h = Hub(cfg)
    h.start()
    endpoint = h.server.bound_endpoint
    site = load_site(kit.site("test-site", endpoint, base=small_site.path))
    e = ConsoleApp(site, tmp_path / "data")
    e.start()
    svc = DownlinkService(h.store.engine, kit.registry)
    ids = [svc.issue_directive(IOC, "test-site", f"a{i}").id for i in range(5)]
    try:
        wait_until(lambda: len(e.services.directives.items()) == 5, 20, "first five")
        h.stop()
        svc.engine.dispose()
        h = Hub(dataclasses.replace(cfg, bind=endpoint))
        svc = DownlinkService(h.store.engine, kit.registry)
        ids += [svc.issue_directive(IOC, "test-site", f"b{i}").id for i in range(5)]
        h.start()
        wait_until(lambda: len(e.services.directives.items()) == 10, 30, "after a hub restart")
        e.stop()
        ids += [svc.issue_directive(IOC, "test-site", f"c{i}").id for i in range(5)]
        e = ConsoleApp(site, tmp_path / "data")
        e.start()
        wait_until(lambda: len(e.services.directives.items()) == 15, 30, "after a console restart")
        assert {d.id for d in e.services.directives.items()} == set(ids)
        inbox = ConsoleInbox(e.db.engine, WriterCommit(e.writer), SystemClock())
        assert inbox.hello() == (
            h.downlink.identity(),
            {"esc_ack": 0, "directive": 15, "warning": 0},
        )
        wait_until(
            lambda: all(b["sites"]["test-site"]["state"] == "delivered" for b in svc.board()),
            20,
            "every delivery recorded at the hub",
        )
    finally:
        e.stop()
        h.stop()


def test_the_console_inbox_drops_duplicates_and_refuses_gaps(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    e = ConsoleApp(small_site, tmp_path, clock=SimClock(1_796_000_000.0))
    e.start(receive=False)
    try:
        inbox = ConsoleInbox(e.db.engine, WriterCommit(e.writer), e.clock)
        rec = Directive(
            id="ioc-1", text="x", priority="normal", sites=("test-site",), by="a", name="b", ts=1
        )
        payload = records.encode(rec)

        def batch(first: int, last: int, db: str = "hub-1") -> Batch:
            return Batch(
                "hub",
                "test-site",
                db,
                "directive",
                [(s, "directive", 0, payload) for s in range(first, last + 1)],
            )

        assert inbox.commit([batch(1, 3)])[0] == BatchResult(3, 3, 0, False)
        assert inbox.commit([batch(2, 4)])[0] == BatchResult(4, 1, 2, False)
        assert inbox.commit([batch(7, 8)])[0] == BatchResult(4, 0, 0, True)
        assert inbox.hello() == ("hub-1", {"esc_ack": 0, "directive": 4, "warning": 0})
        # Another hub database: its own marks, from 1; the same directive id is applied once.
        assert inbox.commit([batch(1, 1, "hub-2")])[0] == BatchResult(1, 1, 0, False)
        assert inbox.hello() == ("hub-2", {"esc_ack": 0, "directive": 1, "warning": 0})
        assert inbox.positions("hub", "hub-1") == {"directive": 4}
        e.scheduler.advance(1.0)
        assert [d.id for d in e.services.directives.items()] == ["ioc-1"]
    finally:
        e.stop()
