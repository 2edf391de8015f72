"""Shared fixtures. Everything runs headless; Qt (when used) on the offscreen platform."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from console.district.config import SiteConfig, default_site_path, load_site
from tests.threadguard import (
    leftover_python_threads,
    leftover_qt,
    python_threads,
    recording_thread_starts,
    watching_qt,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

pytest_plugins = ["tests.pg", "pytester"]  # PostgreSQL server fixtures; pytester for the leak guard

# Property tests: no per-example deadline (a shared 2-core machine stalls at
# random); in CI the examples are derandomized so a run is reproducible, while
# local runs keep exploring new ones.
hypothesis_settings.register_profile("local", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "local")

OPT_OUT = "allow_dangling_threads"
_HOW_TO_FIX = (
    "Stop what the test started (engine.stop(), hub.stop(), worker join) before it ends; a "
    "component's stop() must join its thread. Only a deliberate leak may be marked "
    f"@pytest.mark.{OPT_OUT}(reason=...)."
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{OPT_OUT}(reason): this test may leave threads or Qt timers running (say why; rare)",
    )


@pytest.fixture(scope="session", autouse=True)
def _garbage_collected_on_the_main_thread() -> Iterator[None]:
    """Python's cyclic collector runs in whichever thread happens to allocate; if it
    frees a Qt object there (a window caught in a reference cycle), Qt crashes. Tests,
    like the windows themselves (pyqtgraph's GarbageCollector), collect on the main
    thread only: automatic collection off, one collection after each test."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_the_test() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(scope="session", autouse=True)
def _record_thread_starts() -> Iterator[None]:
    """Remember where each thread is started, so a leak report can say where."""
    with recording_thread_starts():
        yield


@pytest.fixture(scope="module", autouse=True)
def _no_dangling_threads_in_module() -> Iterator[None]:
    """Module-scoped fixtures (a shared engine, a Qt application) must not leave threads either."""
    before = python_threads()
    yield
    if left := leftover_python_threads(before):
        pytest.fail(
            "the module's fixtures left threads running:\n  - " + "\n  - ".join(left),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _no_dangling_threads(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a thread running: a Python thread, a QThread, work in
    the global QThreadPool, a running QTimer or a pending QTimer.singleShot (after a
    short grace period for threads that are finishing). Modelled on napari's
    dangling_qthreads / dangling_qthread_pool / dangling_qtimers fixtures."""
    marker = request.node.get_closest_marker(OPT_OUT)
    if marker is not None:
        if not (marker.kwargs.get("reason") or marker.args):
            pytest.fail(f"@pytest.mark.{OPT_OUT} needs a reason", pytrace=False)
        yield
        return
    before = python_threads()
    with watching_qt() as qt:
        yield
        left = leftover_python_threads(before)
        if qt is not None:
            left += leftover_qt(qt)
    if left:
        pytest.fail(
            f"the test left {len(left)} thread(s)/timer(s) running:\n  - "
            + "\n  - ".join(left)
            + f"\n{_HOW_TO_FIX}",
            pytrace=False,
        )


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
def vietnamese_ui() -> Iterator[QApplication]:
    """The Qt application with the Vietnamese translation, as operators run it."""
    from console.district.ui.app import make_app
    from console.district.ui.i18n import install_translator

    app = make_app()
    tr = install_translator(app, "vi")
    yield app
    if tr is not None:
        app.removeTranslator(tr)
