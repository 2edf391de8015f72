"""kill -9 the console mid-ingest: everything it reported committed is in the log, which opens clean."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.district.config import SiteConfig
from tests.procs import JsonLinesProcess

pytestmark = pytest.mark.slow


def test_kill_9_loses_nothing_reported_committed(demo_site: SiteConfig, tmp_path: Path) -> None:
    rng = random.Random(20261127)
    db_path = tmp_path / "hai-chau.sqlite3"
    in_db_before = 0
    for _round in range(3):
        con = JsonLinesProcess(
            [
                "console",
                "--site",
                str(demo_site.path),
                "--headless",
                "--data-dir",
                str(tmp_path),
                "--feeds-endpoint",
                "tcp://127.0.0.1:*",
                "--json",
                "--status-interval",
                "0.05",
            ]
        )
        ready = con.wait_event("ready")
        sim = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "console",
                "simulate",
                "--site",
                str(demo_site.path),
                "--endpoint",
                ready["endpoints"][0],
                "--rate",
                "20000",
                "--duration",
                "60",
                "--speed",
                "60",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            reported = 0
            deadline = time.monotonic() + rng.uniform(0.5, 2.0)
            # Keep reading status until a random moment while data is flowing.
            while time.monotonic() < deadline or reported == 0:
                st = con.wait_event("status")
                reported = st["readings_stored"]
            os.kill(con.proc.pid, signal.SIGKILL)
            con.proc.wait(10)
            # Anything it printed after our last read was also committed before it printed.
            while (msg := con.next(5)) is not None:
                reported = max(reported, msg.get("readings_stored", 0))
        finally:
            sim.kill()
            sim.wait(10)
        assert reported > 0
        db = sqlite3.connect(db_path)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            in_db = db.execute("SELECT count(*) FROM readings").fetchone()[0]
        finally:
            db.close()
        assert in_db >= in_db_before + reported, (
            f"round {_round}: the console reported {reported} committed, the log gained {in_db - in_db_before}"
        )
        in_db_before = in_db
