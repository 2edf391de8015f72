"""A full disk with real processes: console, simulator and hub on a small file system.

The log (and the hub's database) live on a size-limited tmpfs (80 MB: a
console refuses to start with less than 64 MiB free, console/shared/paths.py);
once it runs, a filler file leaves a little room and the simulator pushes
20,000 readings/s until the disk is full. Then: the console keeps receiving (the window's live data),
counts what it cannot store, keeps its outbox, resumes committing by itself
when the filler is deleted, and stops in bounded time — also while full.

Mounting needs root (CI runs as root); elsewhere these tests skip and say why.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.district.config import default_site_path
from tests.linkkit import make_kit
from tests.procs import JsonLinesProcess

pytestmark = pytest.mark.slow

FS_MB = 80
LEAVE_FREE = 2_500_000
"""Bytes left free by the filler: the log fills them within a second or two."""
STORAGE = (
    "\n[storage]\ndisk_warn_free_mb = 6\ndisk_critical_free_mb = 3\nwrite_queue_rows = 20000\n"
)


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / f"fs-{uuid.uuid4().hex[:8]}"
    mnt.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={FS_MB}m", "tmpfs", str(mnt)],
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot mount a {FS_MB} MB tmpfs here ({exc}): needs root and mount(8)")
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount a {FS_MB} MB tmpfs here (mount said: {done.stderr.strip()}); "
            "this test needs root (CI runs as root)"
        )
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False, capture_output=True, timeout=30)


@pytest.fixture
def reaper() -> Iterator[list[subprocess.Popen[Any]]]:
    """Processes a test started: whatever still runs when it ends (a failure) is killed."""
    procs: list[subprocess.Popen[Any]] = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait(30)


def fill(fs: Path, leave: int = LEAVE_FREE) -> Path:
    """A file taking all but ``leave`` bytes of the file system."""
    filler = fs / "filler"
    free = os.statvfs(fs).f_bavail * os.statvfs(fs).f_frsize
    with filler.open("wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return filler


def site_file(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "site.toml"
    p.write_text(text + STORAGE, "utf-8")
    return p


def headless(site: Path, data: Path) -> JsonLinesProcess:
    return JsonLinesProcess(
        [
            "console",
            "--site",
            str(site),
            "--headless",
            "--data-dir",
            str(data),
            "--json",
            "--status-interval",
            "0.2",
            "--stop-timeout",
            "3",
        ]
    )


def simulator(site: Path, endpoint: str, rate: int = 20_000) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "console",
            "simulate",
            "--site",
            str(site),
            "--endpoint",
            endpoint,
            "--rate",
            str(rate),
            "--duration",
            "120",
            "--speed",
            "60",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def status_until(con: JsonLinesProcess, pred: Any, timeout: float, what: str) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = con.wait_event("status", timeout=10)
        if pred(st):
            return st
    raise AssertionError(
        f"no status with {what} within {timeout} s; stderr:\n{''.join(con.stderr)}"
    )


def stop(con: JsonLinesProcess) -> tuple[dict[str, Any], float]:
    t0 = time.monotonic()
    con.proc.send_signal(signal.SIGTERM)
    stopped = con.wait_event("stopped", timeout=30)
    con.proc.wait(30)
    return stopped, time.monotonic() - t0


def db_rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_full_disk_keeps_live_data_counts_losses_keeps_the_outbox_and_resumes(
    small_fs: Path, tmp_path: Path, reaper: list[subprocess.Popen[Any]]
) -> None:
    kit = make_kit(tmp_path / "hub", database=f"sqlite:///{small_fs / 'hub.sqlite3'}")
    hub = JsonLinesProcess(["hub", "--config", str(kit.hub_config), "--json"])
    reaper.append(hub.proc)
    endpoint = hub.wait_event("ready")["endpoint"]
    site = kit.site("hai-chau", endpoint)
    site = site_file(tmp_path, site.read_text("utf-8"))
    data = small_fs / "log"
    con = headless(site, data)
    reaper.append(con.proc)
    ready = con.wait_event("ready")
    filler = fill(small_fs)
    sim = simulator(site, ready["endpoints"][0])
    reaper.append(sim)
    try:
        full = status_until(con, lambda s: s["disk"]["state"] == "full", 30, "the disk full")
        assert full["commit_failures"] > 0 and "full" in full["disk"]["error"]
        # Live data keeps coming in, what cannot be stored is counted.
        later = status_until(
            con,
            lambda s: (
                s["readings_dropped"] > 0
                and s["readings_received"] > full["readings_received"] + 20_000
            ),
            20,
            "readings dropped while ingest goes on",
        )
        assert later["readings_stored"] == full["readings_stored"], "nothing commits while full"
        assert later["readings_pending"] <= 20_000 + 50_000, "memory stays bounded"
    finally:
        sim.terminate()
        sim.wait(30)
    filler.unlink()  # space returns
    st = status_until(
        con,
        lambda s: s["readings_pending"] == 0 and s["disk"]["state"] != "full",
        30,
        "commits to resume by themselves",
    )
    assert st["readings_received"] == st["readings_stored"] + st["readings_dropped"]
    st = status_until(
        con, lambda s: s["uplink"]["backlog"] == 0, 30, "the hub to acknowledge the outbox"
    )
    stopped, took = stop(con)
    assert took < 15 and con.proc.returncode == 0
    assert stopped["uncommitted"]["clean"] and stopped["readings_pending"] == 0
    assert hub.proc.poll() is None, "the hub survived its own full disk"
    hub.proc.send_signal(signal.SIGTERM)
    hub.proc.wait(30)
    log = data / "hai-chau.sqlite3"
    assert db_rows(log, "PRAGMA integrity_check") == [("ok",)]
    assert db_rows(log, "SELECT count(*) FROM readings") == [(stopped["readings_stored"],)]
    (journal,) = db_rows(
        log,
        "SELECT severity, note FROM alarm_events WHERE alarm_id = 'system:disk' "
        "AND event = 'activate' ORDER BY id LIMIT 1",
    )
    assert journal[0] >= 2, "the disk alarm was raised and journalled"
    sent = db_rows(log, "SELECT stream, seq FROM outbox ORDER BY stream, seq")
    stored = db_rows(
        small_fs / "hub.sqlite3",
        "SELECT stream, seq FROM hub_records WHERE console_id = 'hai-chau' ORDER BY stream, seq",
    )
    assert sent and sent == stored, "outbox intact: the hub holds exactly what was written"


def test_stop_while_the_disk_is_full_is_bounded_and_says_what_was_not_committed(
    small_fs: Path, tmp_path: Path, reaper: list[subprocess.Popen[Any]]
) -> None:
    site = site_file(tmp_path, default_site_path().read_text("utf-8"))
    data = small_fs / "log"
    con = headless(site, data)
    reaper.append(con.proc)
    ready = con.wait_event("ready")
    filler = fill(small_fs)
    sim = simulator(site, ready["endpoints"][0])
    reaper.append(sim)
    try:
        full = status_until(con, lambda s: s["disk"]["state"] == "full", 30, "the disk full")
        stopped, took = stop(con)
    finally:
        sim.kill()
        sim.wait(30)
    assert took < 3 + 10, f"stop took {took:.1f} s with the disk full"
    assert con.proc.returncode == 1
    report = stopped["uncommitted"]
    assert not report["clean"] and "full" in report["last_error"]
    assert report["readings_uncommitted"] > 0
    assert stopped["readings_stored"] >= full["readings_stored"]
    assert any("NOT committed" in line for line in con.stderr)
    with contextlib.suppress(FileNotFoundError):
        filler.unlink()
    log = data / f"{ready['site']}.sqlite3"
    assert db_rows(log, "PRAGMA integrity_check") == [("ok",)]
    assert db_rows(log, "SELECT count(*) FROM readings") == [(stopped["readings_stored"],)]
