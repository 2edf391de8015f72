"""``opsconsole bench gui``: the operator window's refresh cost under load, offscreen.

The window runs with the engine fed by a separate sender process at a fixed
load (126 feeds, 10k readings/s by default). The bench drives the refresh
itself at 25 Hz; a *frame* is one refresh (tiles, trend ``setData``, feed
table) plus the event processing that paints what it invalidated. In the
same run, the baseline draws the same number of curves and points in a bare
pyqtgraph PlotWidget of the same size (``setData`` + paint per frame).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from console.bench.targets import judge

FRAME_S = 1 / 25


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q)) if values else float("nan")


def run_gui_bench(
    seconds: float = 20.0, rate: float = 10_000.0, warmup: float = 3.0
) -> dict[str, Any]:
    """The window under load, with garbage collected on the GUI thread as it runs."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.district.ui.app import gc_on_gui_thread, make_app

    make_app()
    with gc_on_gui_thread():
        return _measure(seconds, rate, warmup)


def _measure(seconds: float, rate: float, warmup: float) -> dict[str, Any]:
    from PySide6.QtCore import QCoreApplication

    from console.bench.ingest import bench_site, machine, paced_sender
    from console.district.services.app import ConsoleApp
    from console.district.ui.app import make_app, window_settings
    from console.district.ui.main_window import MainWindow
    from console.shared.session import os_session

    make_app()
    site = bench_site()
    with tempfile.TemporaryDirectory(prefix="opsconsole-benchgui-") as tmp:
        data = Path(tmp)
        engine = ConsoleApp(site, data, feeds_pull=["tcp://127.0.0.1:*"], feeds_sub=[])
        engine.start()
        proc = paced_sender(
            engine.endpoints[0], [f.id for f in site.feeds], rate, seconds + warmup + 5
        )
        win = MainWindow(engine.services, os_session(), window_settings(data, site.id), "vi")
        win.resize(1600, 950)
        rivers = [f.id for f in site.feeds if f.kind == "river_level"][:8]
        rains = [f.id for f in site.feeds if f.kind == "rainfall"][:2]
        for k in rivers + rains:
            win.addTrend(k)
        win.show()
        QCoreApplication.processEvents()
        frames: list[float] = []
        refresh: list[float] = []
        t_end = time.perf_counter() + warmup + seconds
        t_measure = time.perf_counter() + warmup
        received0 = 0
        busy = 0.0
        wall0 = 0.0
        next_t = time.perf_counter()
        while time.perf_counter() < t_end:
            t0 = time.perf_counter()
            n0 = len(win.frame_ms)
            win.refresh()
            QCoreApplication.processEvents()
            t1 = time.perf_counter()
            if t0 >= t_measure:
                if not wall0:
                    wall0 = t0
                    received0 = engine.stats().readings_received
                frames.append((t1 - t0) * 1000)
                if len(win.frame_ms) > n0:
                    refresh.append(win.frame_ms[-1])
                busy += t1 - t0
            next_t += FRAME_S
            delay = next_t - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                next_t = time.perf_counter()
        wall = time.perf_counter() - wall0
        received = engine.stats().readings_received - received0
        curves = win.trend.plot.seriesKeys()
        points = int(statistics.mean(win.trend.plot.seriesData(k)[0].size for k in curves))
        win.close()
        proc.kill()
        proc.wait()
        engine.stop()

    # Baseline: the same curves and points in a bare PlotWidget.
    base = baseline_frames(len(curves), points, min(seconds, 10.0))
    result: dict[str, Any] = {
        "bench": "gui",
        "feeds": len(site.feeds),
        "offered_readings_per_s": rate,
        "received_readings_per_s": round(received / wall),
        "seconds": round(wall, 2),
        "frames": len(frames),
        "frame_ms_p50": round(_pct(frames, 50), 2),
        "frame_ms_p99": round(_pct(frames, 99), 2),
        "frame_ms_max": round(max(frames), 2),
        "refresh_only_ms_p50": round(_pct(refresh, 50), 2),
        "refresh_only_ms_p99": round(_pct(refresh, 99), 2),
        "gui_busy_fraction": round(busy / wall, 3),
        "trend_curves": len(curves),
        "points_per_curve": points,
        "tiles": 8,
        "baseline_frame_ms_p50": round(_pct(base, 50), 2),
        "baseline_frame_ms_p99": round(_pct(base, 99), 2),
        "baseline_frames": len(base),
        "machine": machine(),
    }
    result["targets"] = judge(result, {"frame_ms_p99": ("<=", 33)})
    return result


def baseline_frames(curves: int, points: int, seconds: float) -> list[float]:
    """Frames of a bare pyqtgraph plot with the trend's curves and points, same size and
    rate (``setData`` + paint): what this machine gives any window right now."""
    import pyqtgraph as pg
    from PySide6.QtCore import QCoreApplication

    plot = pg.PlotWidget()
    plot.resize(1600, 950)
    plot.show()
    x = np.linspace(0, 600, points)
    rng = np.random.default_rng(1)
    items = [plot.plot(pen=pg.mkPen("#4fc3f7", width=1)) for _ in range(max(curves, 1))]
    out: list[float] = []
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        ys = [rng.normal(size=points).cumsum() for _ in items]
        t0 = time.perf_counter()
        for it, y in zip(items, ys, strict=True):
            it.setData(x, y, skipFiniteCheck=True)
        QCoreApplication.processEvents()
        out.append((time.perf_counter() - t0) * 1000)
        time.sleep(FRAME_S)
    plot.close()
    QCoreApplication.processEvents()
    return out
