"""Shared fixtures. Everything runs headless; Qt (when used) on the offscreen platform."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from console.district.config import SiteConfig, default_site_path, load_site

pytest_plugins = ["tests.pg"]  # the PostgreSQL server fixtures

# Property tests: no per-example deadline (a shared 2-core machine stalls at
# random); in CI the examples are derandomized so a run is reproducible, while
# local runs keep exploring new ones.
hypothesis_settings.register_profile("local", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "local")

SMALL_SITE = """
[site]
id = "test-site"
name = { vi = "Trạm thử", en = "Test site" }
timezone = "Asia/Ho_Chi_Minh"

[endpoints]
feeds_pull = ["tcp://127.0.0.1:*"]

[[feeds]]
id = "river-1"
kind = "river_level"
name = { vi = "Mực nước sông Hàn", en = "Han River level" }
lat = 16.06
lon = 108.22
interval_s = 60
valid_min = -1.0
valid_max = 10.0
alert_levels = [1.0, 2.0, 3.0]
alarms = { high = "alert_levels", deadband = 0.1, stale = false }

[[feeds]]
id = "rain-1"
kind = "rainfall"
name = { vi = "Lượng mưa Hải Châu", en = "Rainfall Hai Chau" }
lat = 16.07
lon = 108.21
interval_s = 60
valid_min = 0.0
valid_max = 300.0

[[feeds]]
id = "pm25-1"
kind = "pm25"
name = { vi = "Bụi PM2.5 chợ Hàn", en = "PM2.5 Han market" }
lat = 16.068
lon = 108.224
interval_s = 60
valid_min = 0.0
valid_max = 1000.0
"""


@pytest.fixture
def small_site_path(tmp_path: Path) -> Path:
    p = tmp_path / "test-site.toml"
    p.write_text(SMALL_SITE, encoding="utf-8")
    return p


@pytest.fixture
def small_site(small_site_path: Path) -> SiteConfig:
    return load_site(small_site_path)


@pytest.fixture
def demo_site() -> SiteConfig:
    return load_site(default_site_path())


def now_ms() -> int:
    return int(time.time() * 1000)


def wait_until(pred: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    """Wait for a condition another thread or process brings about."""
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


@pytest.fixture(scope="module")
def vietnamese_ui():
    """The Qt application with the Vietnamese translation, as operators run it."""
    from console.district.ui.app import make_app
    from console.district.ui.i18n import install_translator

    app = make_app()
    tr = install_translator(app, "vi")
    yield app
    if tr is not None:
        app.removeTranslator(tr)
