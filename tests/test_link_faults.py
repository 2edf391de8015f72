"""Fault tests with real processes: kill -9 the hub, kill -9 the console, cut the link.

Afterwards the console's outbox seq set equals the hub's stored set, per
stream: no gap, no duplicate. The load: the simulator replays ten hours of
history (a gateway flushing its buffer), which the console turns into ~25,000
per-minute summaries, sent in small batches so the faults land mid-stream.

The other direction at the same time: the IOC issues a directive 0.1 s after the
last one was committed, every tenth a city warning (written into the hub's database, as the CLI and the
IOC window do), through every fault. Afterwards the hub's downlink seq set of the
site equals the console's inbox set, per stream, and every directive and warning
is at the console exactly once.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from console.hub.services.downlink import DownlinkService, build_warning
from console.hub.store.store import HubStore
from console.shared import cap
from console.shared.session import os_session
from console.shared.vocab import Role
from tests.conftest import wait_until
from tests.linkkit import LinkKit, make_kit
from tests.procs import JsonLinesProcess
from tests.relay import Relay

pytestmark = pytest.mark.slow

BACKFILL_MIN = "600"


def q(path: Path, sql: str) -> list[tuple[object, ...]]:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.OperationalError:
        return []  # not created yet
    try:
        return con.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []  # tables not created yet
    finally:
        con.close()


class Issuer:
    """The IOC side: a directive 0.1 s after the last, every 10th a warning, until stopped."""

    def __init__(self, kit: LinkKit, database: str) -> None:
        self.store = HubStore(database)
        self.service = DownlinkService(self.store.engine, kit.registry)
        self.directives: list[str] = []
        self.warnings: list[str] = []
        self.failed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ioc-issuer")
        self._thread.start()

    def _run(self) -> None:
        ioc = os_session(Role.IOC_SUPERVISOR)
        n = 0
        while not self._stop.wait(0.1):
            n += 1
            try:
                if n % 10:
                    self.directives.append(
                        self.service.issue_directive(ioc, "hai-chau", f"chỉ đạo {n}").id
                    )
                else:
                    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(microsecond=0)
                    xml = build_warning(
                        sender="ioc", identifier=f"ioc-w-{n}", event_vi=f"Lũ {n}",
                        area_vi="Hải Châu", severity=cap.Severity.MODERATE,
                        expires=now + timedelta(hours=1), sent=now,
                    )  # fmt: skip
                    self.warnings.append(self.service.issue_warning(ioc, "hai-chau", xml).id)
            except Exception:  # the database busy beside a hub being killed: nothing written
                self.failed += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)
        self.store.close()


class Rig:
    def __init__(self, root: Path) -> None:
        self.kit: LinkKit = make_kit(root / "hub")
        self.root = root
        self.data = root / "console"
        self.hub_db = root / "hub" / "hub.sqlite3"
        self.console_db = self.data / "hai-chau.sqlite3"
        self.procs: list[JsonLinesProcess] = []
        self.hub: JsonLinesProcess | None = None
        self.console: JsonLinesProcess | None = None
        self.sim: JsonLinesProcess | None = None
        self.issuer: Issuer | None = None
        self.feeds_endpoint = ""

    def start_hub(self) -> str:
        self.hub = JsonLinesProcess(["hub", "--config", str(self.kit.hub_config), "--json"])
        self.procs.append(self.hub)
        endpoint = str(self.hub.wait_event("ready")["endpoint"])
        # Restarts must come back on the same port: pin it in the config.
        cfg = self.kit.hub_config.read_text()
        self.kit.hub_config.write_text(re.sub(r'(?m)^bind = ".*"$', f'bind = "{endpoint}"', cfg))
        return endpoint

    def start_console(self, hub_endpoint: str) -> None:
        site = self.kit.site("hai-chau", hub_endpoint, batch_records=20)
        args = [
            "console",
            "--site",
            str(site),
            "--headless",
            "--data-dir",
            str(self.data),
            "--json",
        ]
        args += ["--status-interval", "0.2"]
        if self.feeds_endpoint:
            args += ["--feeds-endpoint", self.feeds_endpoint]
        self.console = JsonLinesProcess(args)
        self.procs.append(self.console)
        self.feeds_endpoint = self.console.wait_event("ready")["endpoints"][0]

    def start_issuer(self) -> None:
        """Directives and warnings down to hai-chau throughout (its console key is allowed)."""
        self.kit.console_keys("hai-chau")
        self.issuer = Issuer(self.kit, f"sqlite:///{self.hub_db}")

    def down_drained(self) -> bool:
        """The console's inbox holds every downlink record the hub wrote for hai-chau."""
        hub = dict(q(self.hub_db, "SELECT stream, last_seq FROM down_streams"))
        db = q(self.hub_db, "SELECT value FROM hub_meta WHERE key = 'downlink_db'")
        if not db:
            return False
        held = dict(
            q(
                self.console_db,
                f"SELECT stream, last_seq FROM inbox_marks WHERE source_db = '{db[0][0]}'",
            )
        )
        return bool(hub) and all(held.get(k) == v for k, v in hub.items())

    def start_simulator(self) -> None:
        site = self.kit.root / "hai-chau.toml"
        self.sim = JsonLinesProcess(
            ["simulate", "--site", str(site), "--endpoint", self.feeds_endpoint,
             "--backfill-minutes", BACKFILL_MIN, "--duration", "600", "--batch", "500"]
        )  # fmt: skip
        self.procs.append(self.sim)

    def hub_count(self) -> int:
        rows = q(self.hub_db, "SELECT count(*) FROM hub_records")
        return int(rows[0][0]) if rows else 0  # type: ignore[call-overload]

    def backlog(self) -> int | None:
        rows = q(
            self.console_db, "SELECT sum(last_seq - acked_seq), sum(last_seq) FROM outbox_streams"
        )
        if not rows or rows[0][1] is None:
            return None
        return int(rows[0][0])  # type: ignore[call-overload]

    def summaries_written(self) -> int:
        rows = q(self.console_db, "SELECT last_seq FROM outbox_streams WHERE stream = 'summary'")
        return int(rows[0][0]) if rows else 0  # type: ignore[call-overload]

    def kill(self, p: JsonLinesProcess | None) -> None:
        assert p is not None
        p.proc.send_signal(signal.SIGKILL)
        p.proc.wait(30)

    def stop(self, p: JsonLinesProcess | None) -> None:
        if p is not None and p.proc.poll() is None:
            p.proc.send_signal(signal.SIGTERM)
            p.proc.wait(60)

    def finish_and_compare(self, hub_endpoint: str) -> dict[str, list[int]]:
        """Stop the gateway, drain through a fresh console run, stop it, compare the seq sets."""
        self.stop(self.sim)
        if self.issuer is not None:
            self.issuer.stop()
        self.stop(self.console)
        self.start_console(hub_endpoint)
        wait_until(lambda: self.backlog() == 0, 120, "console outbox drained")
        if self.issuer is not None:
            wait_until(self.down_drained, 60, "the downlink drained into the console's inbox")
        self.stop(self.console)
        assert self.backlog() == 0
        if self.issuer is not None:
            self.compare_downlink(self.issuer)
        console_sets: dict[str, list[int]] = {}
        for stream, seq in q(
            self.console_db, "SELECT stream, seq FROM outbox ORDER BY stream, seq"
        ):
            console_sets.setdefault(str(stream), []).append(int(seq))  # type: ignore[call-overload]
        hub_sets: dict[str, list[int]] = {}
        for stream, seq in q(
            self.hub_db,
            "SELECT stream, seq FROM hub_records WHERE console_id = 'hai-chau' ORDER BY stream, seq",
        ):
            hub_sets.setdefault(str(stream), []).append(int(seq))  # type: ignore[call-overload]
        # Every stream the console writes (the audit stream carries its action log; the
        # alarm stream each alarm transition, when the simulated feeds raised any).
        assert console_sets.keys() == hub_sets.keys()
        assert {"status", "audit", "summary"} <= console_sets.keys()
        assert console_sets.keys() <= {"status", "audit", "summary", "alarm"}
        for stream, seqs in console_sets.items():
            assert seqs == list(range(1, len(seqs) + 1)), f"console {stream} has a gap"
            assert hub_sets[stream] == seqs, f"hub {stream} differs from the console's outbox"
        assert len(console_sets["summary"]) >= 20_000
        return console_sets

    def compare_downlink(self, issuer: Issuer) -> None:
        """The other direction: the hub's downlink of the site = the console's inbox, per
        stream, 1..n; every directive and warning issued is at the console once."""
        (db,) = q(self.hub_db, "SELECT value FROM hub_meta WHERE key = 'downlink_db'")[0]
        hub_sets: dict[str, list[int]] = {}
        for stream, seq in q(
            self.hub_db,
            "SELECT stream, seq FROM down_records WHERE site_id = 'hai-chau' ORDER BY stream, seq",
        ):
            hub_sets.setdefault(str(stream), []).append(int(seq))  # type: ignore[call-overload]
        inbox_sets: dict[str, list[int]] = {}
        for stream, seq in q(
            self.console_db,
            f"SELECT stream, seq FROM inbox WHERE source_db = '{db}' ORDER BY stream, seq",
        ):
            inbox_sets.setdefault(str(stream), []).append(int(seq))  # type: ignore[call-overload]
        print(
            f"\ndownlink: {len(issuer.directives)} directives and {len(issuer.warnings)} "
            f"warnings issued through the faults ({issuer.failed} attempts refused by a busy "
            "database, nothing written), each at the console once"
        )
        assert hub_sets.keys() == inbox_sets.keys() == {"directive", "warning"}
        for stream, seqs in hub_sets.items():
            assert seqs == list(range(1, len(seqs) + 1)), f"hub downlink {stream} has a gap"
            assert inbox_sets[stream] == seqs, f"console inbox {stream} differs from the hub's"
        assert len(issuer.directives) >= 20 and len(issuer.warnings) >= 2
        assert len(hub_sets["directive"]) == len(issuer.directives)
        assert len(hub_sets["warning"]) == len(issuer.warnings)
        got = [str(r[0]) for r in q(self.console_db, "SELECT directive_id FROM directives")]
        assert sorted(got) == sorted(issuer.directives)
        warned = q(self.console_db, "SELECT sender || ',' || identifier FROM city_warnings")
        assert sorted(str(r[0]) for r in warned) == sorted(issuer.warnings)
        assert q(self.console_db, "SELECT count(*) FROM inbox WHERE problem != ''") == [(0,)]
        # The hub knows each was delivered (a console of the site acknowledged it).
        assert q(self.hub_db, "SELECT count(*) FROM down_records WHERE delivered_ms = 0") == [(0,)]

    def close(self) -> None:
        if self.issuer is not None:
            self.issuer.stop()
        for p in self.procs:
            if p.proc.poll() is None:
                p.proc.kill()
                p.proc.wait(30)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    r = Rig(tmp_path)
    yield r
    r.close()


def test_kill_9_the_hub_three_times_mid_stream(rig: Rig) -> None:
    endpoint = rig.start_hub()
    rig.start_console(endpoint)
    rig.start_issuer()
    rig.start_simulator()
    wait_until(lambda: rig.summaries_written() >= 20_000, 120, "backfill summarized")
    done = 0
    for _ in range(3):
        wait_until(lambda d=done: rig.hub_count() > d + 1000, 120, "hub storing")
        rig.kill(rig.hub)
        done = rig.hub_count()
        rig.start_hub()
    rig.finish_and_compare(endpoint)


def test_kill_9_the_console_twice_mid_stream(rig: Rig) -> None:
    endpoint = rig.start_hub()
    rig.start_console(endpoint)
    rig.start_issuer()
    rig.start_simulator()
    for _ in range(2):
        wait_until(lambda: rig.hub_count() > 2000, 120, "delivery under way")
        before = rig.hub_count()
        rig.kill(rig.console)
        rig.start_console(endpoint)
        wait_until(lambda b=before: rig.hub_count() > b + 500, 120, "delivery resumed")
    rig.finish_and_compare(endpoint)


def test_cut_and_restore_the_link(rig: Rig) -> None:
    endpoint = rig.start_hub()
    relay = Relay(int(endpoint.rsplit(":", 1)[1]))
    try:
        rig.start_console(relay.endpoint)
        rig.start_issuer()
        rig.start_simulator()
        states: set[str] = set()
        console = rig.console
        assert console is not None
        for _ in range(2):
            base = rig.hub_count()
            wait_until(lambda b=base: rig.hub_count() > b + 500, 120, "delivery under way")
            relay.cut()
            stalled = rig.hub_count()
            while True:  # the console must notice: heartbeats time out, the lamp goes offline
                msg = console.wait_event("status", 30)
                states.add(msg["uplink"]["state"])
                if msg["uplink"]["state"] in ("offline", "connecting"):
                    break
            assert rig.hub_count() - stalled < 200  # at most what was in flight
            relay.restore()
            while True:
                msg = console.wait_event("status", 60)
                if msg["uplink"]["state"] == "online":
                    break
        assert relay.bytes_dropped > 0
        assert {"online"} < states
        rig.finish_and_compare(relay.endpoint)
    finally:
        relay.close()
