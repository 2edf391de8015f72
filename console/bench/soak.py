"""``opsconsole bench soak``: the operator window through a 12-hour shift, compressed.

Everything the demo runs, for ``hours`` of simulated time in ``minutes`` of
real time (speed = hours·60 / minutes: 72× for 12 hours in 10 minutes): the
simulator process plays the ``shift`` scenario (ordinary weather, a flood
from hour 4 to hour 8, recovery), the console ingests, raises alarms, writes
its log and forwards summaries to a local hub process, and the window runs
offscreen at 25 frames/s with trends and tiles, the alarm table and journal.
A simulated operator acknowledges every unacknowledged alarm every ten
simulated minutes.

Reported per simulated hour: RSS, Python objects (``gc``), Qt objects (the
window's descendants), frame p50/p99 (refresh + paint), alarms active, the
log's size. Target: RSS at the end within 10 % of RSS after the first
simulated hour (a leak would grow with time), frame p99 ≤ 33 ms every hour.
"""

from __future__ import annotations

import contextlib
import gc
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from console.bench.gui import baseline_frames
from console.bench.targets import judge

FRAME_S = 1 / 25
ACK_EVERY_SIM_S = 600.0


def rss_bytes() -> int:
    """Resident set size now (Linux /proc; elsewhere the peak so far)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return peak_rss_bytes()


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) * (1 if os.uname().sysname == "Darwin" else 1024)


def _end(proc: subprocess.Popen[Any]) -> None:
    """Terminate a child process (if it still runs) and reap it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)


def run_soak_bench(minutes: float = 10.0, hours: float = 12.0) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QObject

    from console.bench.ingest import machine
    from console.bench.uplink import _HubProc
    from console.district.config import UplinkConfig, default_site_path, load_site
    from console.district.services.app import ConsoleApp
    from console.district.ui.app import make_app, window_settings
    from console.district.ui.main_window import MainWindow
    from console.shared.session import os_session
    from console.sim.launch import simulator_argv

    make_app()
    site = load_site(default_site_path())
    seconds = minutes * 60
    speed = hours * 3600 / seconds
    rss0 = rss_bytes()
    with (
        tempfile.TemporaryDirectory(prefix="opsconsole-soak-") as tmp,
        contextlib.ExitStack() as cleanup,
    ):
        # Whatever happens (a failed run), the hub and simulator processes end and the
        # console's threads are joined: stopped in reverse order by ``cleanup``.
        data = Path(tmp)
        hub = _HubProc(data / "hub", [site.id])
        cleanup.callback(hub.stop)
        uplink = UplinkConfig(
            hub=hub.endpoint,
            hub_public_key=str(data / "hub" / "keys" / "hub.key"),
            secret_key=data / "hub" / "keys" / f"{site.id}.key_secret",
            console_id=site.id,
            status_period_s=10.0,  # simulated time runs fast, as in the demo
        )
        app = ConsoleApp(
            site,
            data,
            feeds_pull=["tcp://127.0.0.1:*"],
            feeds_sub=[],
            time_scale=speed,
            uplink=uplink,
        )
        app.start()
        cleanup.callback(app.stop)
        sim = subprocess.Popen(
            simulator_argv(
                site.path, app.endpoints[0], scenario="shift", speed=speed, duration=seconds
            ),
            stdout=subprocess.DEVNULL,
        )
        cleanup.callback(_end, sim)
        win = MainWindow(app.services, os_session(), window_settings(data, site.id), "vi")
        win.resize(1600, 950)
        for f in [f for f in site.feeds if f.kind == "river_level"][:6]:
            win.addTrend(f.id)
        for f in [f for f in site.feeds if f.kind == "rainfall"][:2]:
            win.addTrend(f.id)
        win.show()
        win.start()
        win.timer.stop()  # the bench drives the frames itself, at 25 Hz
        alarms = app.services.alarms
        assert alarms is not None
        session = os_session()
        hours_out: list[dict[str, Any]] = []
        frames: list[float] = []
        peak = rss_bytes()
        t_start = time.perf_counter()
        next_t = t_start
        next_ack = ACK_EVERY_SIM_S
        acked = 0
        hour = 0

        def sample(h: int) -> dict[str, Any]:
            gc.collect()
            st = app.stats()
            return {
                "sim_hour": h,
                "rss_mb": round(rss_bytes() / 2**20, 1),
                "python_objects": len(gc.get_objects()),
                "qt_objects": len(win.findChildren(QObject)) + 1,
                "frames": len(frames),
                "frame_ms_p50": round(float(np.percentile(frames, 50)), 2) if frames else None,
                "frame_ms_p99": round(float(np.percentile(frames, 99)), 2) if frames else None,
                "alarms_current": len(alarms.current()),
                "transitions": alarms.transitions,
                "readings_stored": st.readings_stored,
                "log_mb": round(st.disk.log_bytes / 2**20, 2),
            }

        while True:
            now = time.perf_counter()
            sim_s = (now - t_start) * speed
            if sim_s >= (hour + 1) * 3600 or now - t_start >= seconds:
                hour += 1
                app.disk.check(app.clock.time())
                hours_out.append(sample(hour))
                frames = []
                if now - t_start >= seconds or hour >= hours:
                    break
            if sim_s >= next_ack:
                next_ack += ACK_EVERY_SIM_S
                unack = [a.id for a in alarms.current() if a.state.unacknowledged]
                if unack:
                    acked += len(alarms.acknowledge(session, unack, "soak: shift operator"))
            t0 = time.perf_counter()
            win.refresh()
            QCoreApplication.processEvents()
            frames.append((time.perf_counter() - t0) * 1000)
            peak = max(peak, rss_bytes()) if len(frames) % 125 == 0 else peak
            next_t += FRAME_S
            delay = next_t - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                next_t = time.perf_counter()
        wall = time.perf_counter() - t_start
        _end(sim)
        st = app.stats()
        link = app.link_view()
        curves = win.trend.plot.seriesKeys()
        points = max((win.trend.plot.seriesData(k)[0].size for k in curves), default=0)
        win.close()
        QCoreApplication.processEvents()
        cleanup.close()  # the console, then the hub
        log_bytes = st.disk.log_bytes
        peak = max(peak, peak_rss_bytes())  # the shift's peak, before the baseline's plot
    baseline = baseline_frames(len(curves), max(points, 100), min(20.0, seconds / 10))
    first = hours_out[0]["rss_mb"] if hours_out else None
    end = hours_out[-1]["rss_mb"] if hours_out else None
    growth = None if not first or end is None else round((end - first) / first, 4)
    worst_p99 = max(
        (h["frame_ms_p99"] for h in hours_out if h["frame_ms_p99"] is not None), default=None
    )
    result: dict[str, Any] = {
        "bench": "soak",
        "real_minutes": round(wall / 60, 2),
        "sim_hours": hours,
        "speed": round(speed, 2),
        "site": site.id,
        "feeds": len(site.feeds),
        "scenario": "shift",
        "rss_start_mb": round(rss0 / 2**20, 1),
        "rss_after_first_hour_mb": first,
        "rss_peak_mb": round(peak / 2**20, 1),
        "rss_end_mb": end,
        "rss_growth_after_first_hour": growth,
        "python_objects_after_first_hour": hours_out[0]["python_objects"] if hours_out else None,
        "python_objects_end": hours_out[-1]["python_objects"] if hours_out else None,
        "qt_objects_after_first_hour": hours_out[0]["qt_objects"] if hours_out else None,
        "qt_objects_end": hours_out[-1]["qt_objects"] if hours_out else None,
        "frame_ms_p99_worst_hour": worst_p99,
        "baseline_frame_ms_p50": round(float(np.percentile(baseline, 50)), 2),
        "baseline_frame_ms_p99": round(float(np.percentile(baseline, 99)), 2),
        "frame_ms_p99_median_hour": round(
            statistics.median(h["frame_ms_p99"] for h in hours_out if h["frame_ms_p99"]), 2
        )
        if hours_out
        else None,
        "hours": hours_out,
        "readings_stored": st.readings_stored,
        "readings_dropped": st.readings_dropped,
        "alarms_acknowledged": acked,
        "log_bytes": log_bytes,
        "uplink_acked": link.records_acked,
        "uplink_backlog": link.backlog,
        "machine": machine(),
    }
    result["targets"] = judge(
        result, {"rss_growth_after_first_hour": ("<=", 0.10), "frame_ms_p99_worst_hour": ("<=", 33)}
    )
    return result
