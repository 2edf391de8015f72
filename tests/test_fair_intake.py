"""Fair intake: a gateway sending the costliest frames it can never starves another
(docs/PROTOCOL.md §1.3, "decode work"). Real processes: a console, two gateways."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.district.config import SiteConfig
from tests.hostile_gateway import hostile_frame
from tests.procs import JsonLinesProcess
from transport.feedproto import Decoded, FrameLimits, decode_frame


def test_the_costliest_frame_is_refused_without_decoding_its_readings() -> None:
    out = Decoded()
    decode_frame(hostile_frame(), FrameLimits(), 0, out)
    assert out.rejects == {"wrong_type": 10_000} and out.readings == []
    assert "got an array of 89" in out.samples["wrong_type"]


@pytest.mark.slow
def test_a_hostile_gateway_does_not_starve_a_good_one(
    tmp_path: Path, demo_site: SiteConfig
) -> None:
    console = JsonLinesProcess(
        ["console", "--site", str(demo_site.path), "--headless", "--data-dir", str(tmp_path),
         "--feeds-endpoint", "tcp://127.0.0.1:*", "--json", "--status-interval", "0.2"]
    )  # fmt: skip
    hostile = good = None
    try:
        endpoint = console.wait_event("ready")["endpoints"][0]
        hostile = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile_gateway", "--endpoint", endpoint,
             "--seconds", "40"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(1.0)  # the hostile gateway is in full flow before the good one starts
        good = subprocess.Popen(
            [sys.executable, "-m", "console", "simulate", "--site", str(demo_site.path),
             "--endpoint", endpoint, "--rate", "5000", "--batch", "1000", "--interval", "0.05",
             "--duration", "4", "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        out, err = good.communicate(timeout=60)
        sent = json.loads(out.strip().splitlines()[-1])
        finished = time.monotonic()
        assert good.returncode == 0, err
        caught_up = None
        while time.monotonic() - finished < 20:
            st = console.wait_event("status")
            if st["readings_received"] >= sent["readings_sent"]:
                caught_up = time.monotonic() - finished
                break
            print(sent, caught_up, time.monotonic() - finished)
        assert hostile.poll() is None, "the hostile gateway stopped before the good one"
        hostile.send_signal(signal.SIGTERM)
        hostile.communicate(timeout=30)
        console.proc.send_signal(signal.SIGTERM)
        stopped = console.wait_event("stopped")
    finally:
        for p in (hostile, good, console.proc):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
    print(
        f"\nfair intake: {sent['readings_sent']} good readings in {sent['duration_s']:.1f} s, "
        f"all received {caught_up} s after the good gateway finished; "
        f"{stopped['readings_rejected'].get('wrong_type', 0) // 10_000} hostile frames "
        f"refused, {stopped['decode_s']} s decoding"
    )
    # Every good reading arrived while the flood went on, within a couple of seconds.
    assert caught_up is not None and caught_up < 3.0
    assert stopped["readings_received"] == stopped["readings_stored"] == sent["readings_sent"]
    assert stopped["readings_rejected"]["wrong_type"] >= 10_000
