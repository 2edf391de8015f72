"""The IOC window on a real X server (Xvfb, the xcb platform), not only offscreen: it opens,
fits the screen and draws something (a screenshot of the X screen that is not blank)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.hub.config import SiteNames, write_hub_config
from console.hub.store.store import HubStore
from console.sim.city import CityFeeder
from tests.xvfb import xcb_env, xvfb_display

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_ioc_window_opens_on_xcb_and_is_not_blank(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    config = tmp_path / "hub.toml"
    write_hub_config(
        config,
        bind="tcp://127.0.0.1:*",
        database="sqlite:///hub.sqlite3",
        secret_key="keys/hub.key_secret",
        sites={
            "cam-le": SiteNames("Cẩm Lệ", "Cam Le"),
            "lien-chieu": SiteNames("Liên Chiểu", "Lien Chieu"),
        },
    )
    store = HubStore(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    try:
        feed = CityFeeder(store, ["cam-le", "hai-chau"], 12)
        now = int(time.time() * 1000)
        for m in range(30, 0, -1):
            feed.minutes("cam-le", now - now % 60_000 - m * 60_000)
        feed.status("cam-le", now, sev=(0, 1, 2), unack=3)
        feed.status("hai-chau", now)
    finally:
        store.close()
    with xvfb_display(1366, 768) as display:
        r = subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "ioc_screenshots.py"),
                "shoot",
                "--config",
                str(config),
                "--out",
                str(tmp_path / "shots"),
                "--lang",
                "vi",
            ],
            env=xcb_env(display),
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert r.returncode == 0, r.stderr[-2000:]
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert report["platform"] == "xcb"
    assert report["screen"] == [1366, 768]
    x, y, w, h = report["window"]
    assert x >= 0 and y >= 0 and x + w <= 1366 and y + h <= 768, report  # nothing off-screen
    assert report["minimum"][0] <= 1366 and report["minimum"][1] <= 768, report
    assert len(report["files"]) == 3
    for f in report["files"]:
        img = QImage(f)
        assert (img.width(), img.height()) == (1366, 768), f
        colours = {img.pixel(px, py) for px in range(0, 1366, 7) for py in range(0, 768, 7)}
        assert len(colours) > 20, f"{f} looks blank ({len(colours)} colours)"
