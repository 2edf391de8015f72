"""One console's poison never slows another: real processes (hub, a poison console, a
console delivering a large backlog), a real injected commit failure."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from console.hub.config import load_hub_config
from console.hub.store.store import HubStore
from tests.hubfault import inject_commit_failure
from tests.linkkit import make_kit
from tests.procs import JsonLinesProcess

BACKLOG = 40_000


@pytest.mark.slow
def test_poison_from_one_console_never_pauses_a_backlog_from_another(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "hub")
    cfg = load_hub_config(kit.hub_config)
    # The database refuses every 4th seq of the poison console although those records
    # are valid: a commit failure the hub's checks cannot foresee.
    store = HubStore(cfg.database)
    inject_commit_failure(store.engine, "poison", every=4)
    store.close()
    poison_secret = kit.console_keys("poison")
    good_secret = kit.console_keys("good")
    hub = JsonLinesProcess(["hub", "--config", str(kit.hub_config), "--json"])
    poison = good = None
    try:
        endpoint = hub.wait_event("ready")["endpoint"]
        common = ["--endpoint", endpoint, "--hub-key", str(kit.hub_public)]
        poison = subprocess.Popen(
            [sys.executable, "-m", "tests.poison_console", *common, "--secret",
             str(poison_secret), "--id", "poison", "--period", "0.05"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        good = subprocess.Popen(
            [sys.executable, "-m", "tests.backlog_console", *common, "--secret",
             str(good_secret), "--id", "good", "--root", str(tmp_path / "good"),
             "--records", str(BACKLOG)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        out, _ = good.communicate(timeout=180)
        done = json.loads(out.strip().splitlines()[-1])
        poison.send_signal(signal.SIGTERM)
        report = json.loads(poison.communicate(timeout=30)[0].strip().splitlines()[-1])
    finally:
        for p in (poison, good):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
        hub.proc.send_signal(signal.SIGTERM)
        hub.proc.wait(30)
    print(
        f"\nbacklog of {BACKLOG} summaries delivered in {done['seconds']} s while another "
        f"console sent {report['sent']} poison records every 50 ms"
    )
    # The backlog went through without a pause, an error or a resend of its own.
    assert (done["acked"], done["errors"], done["state"], done["sessions"]) == (
        BACKLOG,
        {},
        "online",
        1,
    )
    # Every poison record was acknowledged, none refused; none paused the hub.
    assert report["sent"] >= 20 and report["acked"] == report["sent"]
    assert report["errors"] == {}
    stats = json.loads(
        subprocess.run(
            [sys.executable, "-m", "console", "hub", "stats", "--config", str(kit.hub_config),
             "--json"],
            capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    held = stats["consoles"]["poison"]["quarantined"]
    kinds = report["kinds"]
    assert held == {
        "storage_error": kinds["valid_but_refused"],
        "bad_created_ms": kinds["bad_created_ms"],
        "invalid": kinds["nan"] + kinds["u64_count"],
    }
    assert stats["consoles"]["good"]["quarantined"] == {}
    assert stats["consoles"]["good"]["streams"]["summary"]["last_seq"] == BACKLOG
    assert stats["storage_errors"] == 0
    assert stats["bad_payloads"] == kinds["nan"] + kinds["u64_count"]
