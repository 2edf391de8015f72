"""One console per log, one hub per database; a killed demo leaves no orphan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.district.config import SiteConfig
from console.district.services.app import ConsoleApp
from console.hub.store.store import HubStore
from console.shared.instance import AlreadyRunningError, InstanceLock
from tests.linkkit import make_kit
from tests.procs import JsonLinesProcess


def test_a_second_holder_is_refused_with_the_first_named(tmp_path: Path) -> None:
    first = InstanceLock(tmp_path / "x.lock", "opsconsole console", target=tmp_path / "x.db")
    first.acquire()
    try:
        with pytest.raises(AlreadyRunningError) as err:
            InstanceLock(tmp_path / "x.lock", "demo", target=tmp_path / "x.db").acquire(
                "use another dir"
            )
        msg = str(err.value)
        assert msg.startswith(f"{tmp_path / 'x.db'} is in use by opsconsole console (pid ")
        assert str(os.getpid()) in msg and msg.endswith("; use another dir")
    finally:
        first.release()
    again = InstanceLock(tmp_path / "x.lock", "opsconsole demo")
    again.acquire()
    again.release()


def test_two_consoles_on_one_log_cannot_coexist(tmp_path: Path, small_site: SiteConfig) -> None:
    app = ConsoleApp(small_site, tmp_path, feeds_pull=[], feeds_sub=[])
    try:
        with pytest.raises(AlreadyRunningError, match="is in use by opsconsole console"):
            ConsoleApp(small_site, tmp_path, feeds_pull=[], feeds_sub=[])
    finally:
        app.stop()
    ConsoleApp(small_site, tmp_path, feeds_pull=[], feeds_sub=[]).stop()  # free again


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


def test_two_hubs_on_one_database_cannot_coexist(hub_url: str) -> None:
    first = HubStore(hub_url)
    second = HubStore(hub_url)
    try:
        first.lock("opsconsole hub ioc")
        with pytest.raises(AlreadyRunningError, match=r"is in use by .*opsconsole hub ioc"):
            second.lock("opsconsole hub ioc")
        assert second.stats()["consoles"] == {}  # reading is still allowed (hub stats)
    finally:
        first.close()
        second.close()
    third = HubStore(hub_url)
    third.lock()
    third.close()


@pytest.mark.slow
def test_a_second_console_process_is_refused_in_one_line(
    tmp_path: Path, demo_site: SiteConfig
) -> None:
    argv = ["console", "--site", str(demo_site.path), "--headless", "--data-dir", str(tmp_path),
            "--feeds-endpoint", "tcp://127.0.0.1:*", "--json"]  # fmt: skip
    first = JsonLinesProcess(argv)
    try:
        first.wait_event("ready")
        r = subprocess.run(
            [sys.executable, "-m", "console", *argv],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 3, r.stderr
        lines = [x for x in r.stderr.splitlines() if x.startswith("opsconsole:")]
        assert len(lines) == 1 and "Traceback" not in r.stderr
        assert f"opsconsole console (pid {first.proc.pid} " in lines[0]
        r = subprocess.run(
            [sys.executable, "-m", "console", "demo", "--headless", "--duration", "1",
             "--data-dir", str(tmp_path)],
            check=False, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert r.returncode == 3 and f"(pid {first.proc.pid} " in r.stderr, r.stderr
        assert not (tmp_path / "hub").exists()  # refused before it started anything
    finally:
        first.proc.send_signal(signal.SIGTERM)
        first.proc.wait(30)
    kit = make_kit(tmp_path / "hubkit")
    hub = JsonLinesProcess(["hub", "--config", str(kit.hub_config), "--json"])
    try:
        hub.wait_event("ready")
        r = subprocess.run(
            [sys.executable, "-m", "console", "hub", "--config", str(kit.hub_config)],
            check=False, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert r.returncode == 3 and f"opsconsole hub ioc (pid {hub.proc.pid} " in r.stderr
    finally:
        hub.proc.send_signal(signal.SIGTERM)
        hub.proc.wait(30)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "children").read_text().split()
        except FileNotFoundError:  # a thread that ended while we were listing them
            continue
        out += [int(x) for x in text]
    return out


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_killing_the_demo_leaves_no_orphan(tmp_path: Path) -> None:
    log = (tmp_path / "demo.log").open("w")
    demo = subprocess.Popen(
        [sys.executable, "-m", "console", "demo", "--headless", "--duration", "60",
         "--data-dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    children: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(children) < 2:
            time.sleep(0.2)
            children = _children(demo.pid)
        assert len(children) == 2, "hub and simulator should be running"
        time.sleep(1.0)
        demo.send_signal(signal.SIGKILL)
        demo.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_running(c) for c in children):
            time.sleep(0.1)
        assert not any(_running(c) for c in children), "a child outlived the killed demo"
    finally:
        log.close()
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        for c in children:
            if _running(c):
                os.kill(c, signal.SIGKILL)
