"""``opsconsole demo --city`` runs the whole city: hub, three consoles with simulators, real link."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from console.hub.config import load_hub_config


@pytest.mark.slow
def test_the_city_demo_brings_three_sites_to_the_hub(tmp_path: Path) -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "demo",
            "--city",
            "--headless",
            "--json",
            "--duration",
            "12",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert set(out["sites"]) == {"hai-chau", "son-tra", "cam-le"}
    assert all(s["feeds_total"] == 42 for s in out["sites"].values())
    assert "river_level" in out["kinds"]  # backfilled minutes reached the hub
    cfg = load_hub_config(out["hub_config"])
    assert cfg.sites["cam-le"].vi == "Cẩm Lệ"
