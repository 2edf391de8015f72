"""Priority with real processes: a console with 300,000 summaries waiting gets an alarm
transition, and an escalation (a CAP 1.2 alert, on the stream above all), to the hub first:
the ``escalation`` and ``alarm`` streams are served before ``summary``."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from console.shared.vocab import UPLINK_PRIORITY, Stream
from tests.linkkit import make_kit
from tests.procs import JsonLinesProcess

BACKLOG = 300_000


def test_the_streams_above_the_summaries() -> None:
    order = list(UPLINK_PRIORITY)
    assert order[0] is Stream.ESCALATION
    assert order.index(Stream.ALARM) < order.index(Stream.AUDIT) < order.index(Stream.SUMMARY)
    assert order.index(Stream.DIRECTIVE_STATE) < order.index(Stream.ALARM)


@pytest.mark.slow
@pytest.mark.parametrize("stream", ["alarm", "escalation"])
def test_a_record_above_the_summaries_overtakes_a_300k_backlog(tmp_path: Path, stream: str) -> None:
    kit = make_kit(tmp_path / "hub")
    secret = kit.console_keys("cam-le")
    hub = JsonLinesProcess(["hub", "--config", str(kit.hub_config), "--json"])
    console = None
    try:
        endpoint = hub.wait_event("ready")["endpoint"]
        console = subprocess.Popen(
            [sys.executable, "-m", "tests.priority_console", "--endpoint", endpoint,
             "--hub-key", str(kit.hub_public), "--secret", str(secret), "--id", "cam-le",
             "--root", str(tmp_path / "console"), "--records", str(BACKLOG), "--stream", stream],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        out, _ = console.communicate(timeout=120)
        done = json.loads(out.strip().splitlines()[-1])
    finally:
        if console is not None and console.poll() is None:
            console.kill()
            console.wait()
        hub.proc.send_signal(signal.SIGTERM)
        hub.proc.wait(30)
    if stream == "escalation":  # stored at the hub as an escalation, once
        con = sqlite3.connect(tmp_path / "hub" / "hub.sqlite3")
        try:
            rows = con.execute("SELECT identifier, site_id FROM escalations").fetchall()
        finally:
            con.close()
        assert rows == [("cam-le-priority-1", "cam-le")]
    print(
        f"\n{stream} record acknowledged {done['latency_s']} s after it was written, "
        f"with {BACKLOG - done['summaries_acked_then']:,} of {BACKLOG:,} summaries still waiting "
        f"(backlog written in {done['written_s']} s)"
    )
    assert done["acked"] == 1 and done["state"] == "online"
    # It did not wait for the backlog: most of it was still there, and it took well under
    # the time the backlog takes to drain (≥ 10 s on the reference machine).
    assert done["summaries_acked_then"] < BACKLOG // 2
    assert done["latency_s"] < 3.0
