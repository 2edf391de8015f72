"""Escalations and their acknowledgements through faults, with real processes: kill -9 the hub,
kill -9 the console, cut the link (issue 14, item 6).

The console is a real process (``tests.escalating_console``: the ConsoleApp on the site file)
in which a supervisor escalates a new incident every 0.15 s and updates the previous one every
third time. The IOC (this test process, through ``EscalationWork`` on the hub's database, as
the command line and the IOC window do) acknowledges every escalation it finds stored, through
every fault. Afterwards, both ways, per stream: the console's outbox seq set equals the hub's
stored set and the hub's downlink seq set of the site equals the console's inbox set; every
escalation message is at the hub once, acknowledged once, and shown acknowledged at the
console.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.hub.services.escalations import EscalationRefusedError, EscalationWork
from console.hub.store.store import HubStore
from console.shared.session import Session
from console.shared.vocab import Role
from tests.conftest import wait_until
from tests.linkkit import make_kit
from tests.procs import JsonLinesProcess
from tests.relay import Relay
from tests.test_link_faults import q

pytestmark = pytest.mark.slow

IOC = Session("minh", "Lê Văn Minh", Role.IOC_SUPERVISOR, "ioc-1", authenticated=False)
EVERY_S = "0.15"


def seq_sets(path: Path, sql: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for stream, seq in q(path, sql):
        out.setdefault(str(stream), []).append(int(seq))  # type: ignore[call-overload]
    return out


class Acker:
    """The IOC: acknowledges every open escalation at the hub, 0.1 s after the last look."""

    def __init__(self, database: str) -> None:
        self.store = HubStore(database)
        self.work = EscalationWork(self.store.engine)
        self.acked: list[str] = []
        self.failed = 0
        self.refused: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ioc-acker")
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            try:
                for item in self.work.items(state="open"):
                    self.work.acknowledge(IOC, item["identifier"], "đã nhận", sender=item["sender"])
                    self.acked.append(item["identifier"])
            except EscalationRefusedError as exc:  # must not happen: the test says so
                self.refused.append(str(exc))
            except Exception:  # the database busy beside a hub being killed: nothing written
                self.failed += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)
        self.store.close()


class Rig:
    def __init__(self, root: Path) -> None:
        self.kit = make_kit(root / "hub")
        self.data = root / "console"
        self.hub_db = root / "hub" / "hub.sqlite3"
        self.console_db = self.data / "hai-chau.sqlite3"
        self.procs: list[JsonLinesProcess] = []
        self.hub: JsonLinesProcess | None = None
        self.console: JsonLinesProcess | None = None
        self.acker: Acker | None = None
        self.site = Path()

    def start_hub(self) -> str:
        self.hub = JsonLinesProcess(["hub", "--config", str(self.kit.hub_config), "--json"])
        self.procs.append(self.hub)
        endpoint = str(self.hub.wait_event("ready")["endpoint"])
        cfg = self.kit.hub_config.read_text()  # restarts come back on the same port
        self.kit.hub_config.write_text(re.sub(r"(?m)^bind = \".*\"$", f'bind = "{endpoint}"', cfg))
        if self.acker is None:
            self.acker = Acker(f"sqlite:///{self.hub_db}")
        return endpoint

    def start_console(self, link_endpoint: str, every: str = EVERY_S) -> None:
        if not self.site.name:
            self.site = self.kit.site("hai-chau", link_endpoint, batch_records=20)
        self.console = JsonLinesProcess(
            ["--site", str(self.site), "--data-dir", str(self.data), "--every", every],
            module="tests.escalating_console",
        )
        self.procs.append(self.console)
        self.console.wait_event("ready", 60)

    def sent(self) -> int:
        """Escalation messages the console has written (committed)."""
        rows = q(self.console_db, "SELECT count(*) FROM escalations")
        return int(rows[0][0]) if rows else 0  # type: ignore[call-overload]

    def at_hub(self) -> int:
        rows = q(self.hub_db, "SELECT count(*) FROM escalations")
        return int(rows[0][0]) if rows else 0  # type: ignore[call-overload]

    def queued(self) -> int:
        """Escalation records in the console's outbox the hub has not acknowledged."""
        rows = q(
            self.console_db,
            "SELECT last_seq - acked_seq FROM outbox_streams WHERE stream = 'escalation'",
        )
        return int(rows[0][0]) if rows else 0  # type: ignore[call-overload]

    def drained(self) -> bool:
        """Up: nothing waits in the outbox. Down: every downlink record is in the inbox. And
        every escalation message is shown acknowledged at the console."""
        up = q(self.console_db, "SELECT sum(last_seq - acked_seq) FROM outbox_streams")
        if not up or up[0][0] != 0:
            return False
        hub = dict(q(self.hub_db, "SELECT stream, last_seq FROM down_streams"))
        db = q(self.hub_db, "SELECT value FROM hub_meta WHERE key = 'downlink_db'")
        if not hub or not db:
            return False
        held = dict(
            q(
                self.console_db,
                f"SELECT stream, last_seq FROM inbox_marks WHERE source_db = '{db[0][0]}'",
            )
        )
        if any(held.get(k) != v for k, v in hub.items()):
            return False
        return q(self.console_db, "SELECT count(*) FROM escalations WHERE ack_ms = 0") == [(0,)]

    def kill(self, p: JsonLinesProcess | None) -> None:
        assert p is not None
        p.proc.send_signal(signal.SIGKILL)
        p.proc.wait(30)

    def stop(self, p: JsonLinesProcess | None) -> None:
        if p is not None and p.proc.poll() is None:
            p.proc.send_signal(signal.SIGTERM)
            p.proc.wait(60)

    def finish_and_compare(self, link_endpoint: str) -> None:
        """Stop escalating, drain through a console run that escalates nothing, compare."""
        self.stop(self.console)
        self.start_console(link_endpoint, every="0")
        wait_until(self.drained, 60, "escalations delivered and acknowledged, both ways")
        assert self.acker is not None
        self.acker.stop()
        self.stop(self.console)
        # Up, per stream: the console's outbox = the hub's store, 1..n.
        console_up = seq_sets(
            self.console_db, "SELECT stream, seq FROM outbox ORDER BY stream, seq"
        )
        hub_up = seq_sets(
            self.hub_db,
            "SELECT stream, seq FROM hub_records WHERE console_id = 'hai-chau' ORDER BY stream, seq",
        )
        assert {"escalation", "audit"} <= console_up.keys()
        assert console_up.keys() == hub_up.keys()
        for stream, seqs in console_up.items():
            assert seqs == list(range(1, len(seqs) + 1)), f"console {stream} has a gap"
            assert hub_up[stream] == seqs, f"hub {stream} differs from the console's outbox"
        # Down, per stream: the hub's downlink of the site = the console's inbox, 1..n.
        (db,) = q(self.hub_db, "SELECT value FROM hub_meta WHERE key = 'downlink_db'")[0]
        hub_down = seq_sets(
            self.hub_db,
            "SELECT stream, seq FROM down_records WHERE site_id = 'hai-chau' ORDER BY stream, seq",
        )
        inbox = seq_sets(
            self.console_db,
            f"SELECT stream, seq FROM inbox WHERE source_db = '{db}' ORDER BY stream, seq",
        )
        assert hub_down.keys() == inbox.keys() == {"esc_ack"}
        assert hub_down == inbox
        assert hub_down["esc_ack"] == list(range(1, len(hub_down["esc_ack"]) + 1))
        assert q(self.console_db, "SELECT count(*) FROM inbox WHERE problem != ''") == [(0,)]
        # Every message: at the hub once, acknowledged once, shown acknowledged.
        sent = sorted(str(r[0]) for r in q(self.console_db, "SELECT identifier FROM escalations"))
        stored = sorted(str(r[0]) for r in q(self.hub_db, "SELECT identifier FROM escalations"))
        acked = sorted(
            str(r[0])
            for r in q(self.hub_db, "SELECT identifier FROM escalation_handling WHERE acked_ms > 0")
        )
        assert len(sent) >= 20 and self.acker.refused == []
        assert stored == sent == acked == sorted(self.acker.acked)
        assert len(hub_down["esc_ack"]) == len(sent)
        assert q(self.console_db, "SELECT count(*) FROM escalations WHERE ack_ms = 0") == [(0,)]
        assert q(self.console_db, "SELECT count(*) FROM escalations WHERE delivered_ms = 0") == [
            (0,)
        ]
        print(
            f"\n{len(sent)} escalation messages up and {len(sent)} acknowledgements down through "
            f"the faults, each once ({self.acker.failed} IOC attempts met a busy database)"
        )

    def close(self) -> None:
        if self.acker is not None:
            self.acker.stop()
        for p in self.procs:
            if p.proc.poll() is None:
                p.proc.kill()
                p.proc.wait(30)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    r = Rig(tmp_path)
    yield r
    r.close()


def test_escalations_survive_kill_9_of_the_hub_three_times(rig: Rig) -> None:
    endpoint = rig.start_hub()
    rig.start_console(endpoint)
    for _ in range(3):
        before = rig.at_hub()
        wait_until(lambda b=before: rig.at_hub() >= b + 4, 30, "escalations reaching the hub")
        rig.kill(rig.hub)
        rig.start_hub()
    rig.finish_and_compare(endpoint)


def test_escalations_survive_kill_9_of_the_console_twice(rig: Rig) -> None:
    endpoint = rig.start_hub()
    rig.start_console(endpoint)
    for _ in range(2):
        before = rig.sent()
        wait_until(lambda b=before: rig.sent() >= b + 5, 30, "the console escalating")
        rig.kill(rig.console)
        rig.start_console(endpoint)
    wait_until(lambda: rig.sent() >= 20, 30, "escalating after the restarts")
    rig.finish_and_compare(endpoint)


def test_escalations_survive_link_cuts(rig: Rig) -> None:
    endpoint = rig.start_hub()
    relay = Relay(int(endpoint.rsplit(":", 1)[1]))
    try:
        rig.start_console(relay.endpoint)
        for _ in range(2):
            before = rig.at_hub()
            wait_until(lambda b=before: rig.at_hub() >= b + 4, 30, "escalations reaching the hub")
            relay.cut()
            # The console goes on escalating; the messages wait in its outbox.
            wait_until(lambda: rig.queued() >= 3, 30, "escalations queued behind the cut")
            relay.restore()
        assert relay.bytes_dropped > 0
        wait_until(lambda: rig.sent() >= 20, 30, "escalating after the cuts")
        rig.finish_and_compare(relay.endpoint)
    finally:
        relay.close()
