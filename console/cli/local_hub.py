"""A hub on this machine, for ``opsconsole demo``: keys, registry, config, process.

Everything lives under ``DATA_DIR/hub``: the hub's and the console's CURVE
keypairs (made once, kept across demo runs with the same data dir), the
registry allowing the console, the hub config and the hub's SQLite database.
The hub runs as its own process (``opsconsole hub --config … --json``), on a
free loopback port it reports on its first output line, so the whole city
path — outbox, CURVE, ZAP, acks — runs from the one README command.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from console.district.config import UplinkConfig
from console.hub.config import write_hub_config
from console.hub.registry import Entry, read_registry, utc_now, write_registry
from transport.curve import generate, load_keypair

log = logging.getLogger(__name__)


def prepare(data_dir: Path, console_id: str) -> tuple[Path, Path, Path]:
    """(hub config, console secret key file, hub public key file), created if missing."""
    root = data_dir / "hub"
    keys = root / "keys"
    if not (keys / "hub.key_secret").exists():
        generate(keys, "hub")
    if not (keys / f"{console_id}.key_secret").exists():
        generate(keys, console_id)
    registry = root / "consoles.toml"
    entries = {e.console_id: e for e in read_registry(registry)}
    mine = load_keypair(keys / f"{console_id}.key", need_secret=False).public
    if console_id not in entries or entries[console_id].public_key != mine:
        entries[console_id] = Entry(console_id, mine, False, utc_now())
        write_registry(registry, list(entries.values()))
    config = root / "hub.toml"
    write_hub_config(
        config,
        bind="tcp://127.0.0.1:*",
        database="sqlite:///hub.sqlite3",
        secret_key="keys/hub.key_secret",
    )
    return config, keys / f"{console_id}.key_secret", keys / "hub.key"


class LocalHub:
    def __init__(self, data_dir: Path, console_id: str) -> None:
        self.config, self.console_secret, self.hub_public = prepare(data_dir, console_id)
        self.console_id = console_id
        self.proc: subprocess.Popen[str] | None = None
        self.endpoint = ""

    def start(self, timeout: float = 30.0) -> UplinkConfig:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "console",
                "hub",
                "--config",
                str(self.config),
                "--json",
                "--exit-with-parent",  # no orphan hub if the demo is killed
                str(os.getpid()),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout)
            raise RuntimeError(f"the local hub did not start (exit code {self.proc.returncode})")
        self.endpoint = json.loads(line)["endpoint"]
        log.info("local hub at %s (config %s)", self.endpoint, self.config)
        return UplinkConfig(
            hub=self.endpoint,
            hub_public_key=str(self.hub_public),
            secret_key=self.console_secret,
            console_id=self.console_id,
            # Demo time runs fast: report status changes sooner than a real site would.
            status_period_s=10.0,
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
